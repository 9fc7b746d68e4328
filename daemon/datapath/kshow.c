// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The kernel backend's counters and `show` JSON (kernel.h): read from the
 * module (DEV_GET, LINK_GET, FDB_GET) when asked, never cached.
 */
#include <string.h>
#include "fmt.h"
#include "jsonout.h"
#include "kernel.h"

static int dev_get_cb(struct nl_msg *msg, void *arg)
{
	struct kdp *k = arg;
	struct evpn_nl_dev_info d;

	if (evpn_nl_parse_dev(msg, &d))
		return NL_SKIP;
	k->ifindex = d.ifindex;
	/* device level: frames to/from the stack (the TAP's counters) */
	k->c.tap_tx_packets = d.rx_packets;
	k->c.tap_tx_bytes = d.rx_bytes;
	k->c.tap_rx_packets = d.tx_packets;
	k->c.tap_rx_bytes = d.tx_bytes;
	k->c.fwd_packets = d.fwd_packets;
	k->fdb_refused_full = d.fdb_refused_full;
	k->fdb_refused_quota = d.fdb_refused_quota;
	memcpy(k->c.drops, d.drops, sizeof(k->c.drops));
	return NL_OK;
}

int kdp_dev_get(struct kdp *k)
{
	struct evpn_nl_dev dev = kdp_dev(k);
	struct nl_msg *m = evpn_nl_dev_msg(&k->g, EVPN_CMD_DEV_GET, 0, &dev);

	if (!m)
		return -ENOMEM;
	return evpn_genl_transact(&k->g, m, dev_get_cb, k);
}

/* Key slots of one link, for show. */
struct link_state {
	struct evpn_nl_key_info key[DP_NSLOTS];
	struct sockaddr_storage turn_peer;	/* relayed in the module */
	uint16_t turn_channel;
};

struct link_read {
	struct kdp *k;
	struct link_state *st;	/* show: key details */
	struct kdp_link *only;
};

static int link_get_cb(struct nl_msg *msg, void *arg)
{
	struct link_read *r = arg;
	struct evpn_nl_link_info li;
	struct kdp_link *l;

	if (evpn_nl_parse_link(msg, &li))
		return NL_OK;
	l = kdp_find_peer(r->k, li.peer);
	if (!l || (r->only && l != r->only))
		return NL_OK;
	/* record counters; the shim's own tx/drops are added on top */
	l->c.rx_packets = li.rx_packets;
	l->c.rx_bytes = li.rx_bytes;
	l->c.tx_packets = li.tx_packets;
	l->c.tx_bytes = li.tx_bytes;
	memcpy(l->c.drops, li.drops, sizeof(l->c.drops));
	if (r->st) {
		memcpy(r->st->key, li.key, sizeof(r->st->key));
		r->st->turn_peer = li.turn_peer;
		r->st->turn_channel = li.turn_channel;
	}
	return NL_OK;
}

/* Counters (and, with @st, key state) of one link from the module. */
static void refresh_link(struct kdp_link *l, struct link_state *st)
{
	struct kdp *k = LDP(l);
	struct link_read r = { .k = k, .only = l, .st = st };
	struct evpn_nl_dev dev = kdp_dev(k);
	struct evpn_nl_link req = EVPN_NL_LINK_INIT;
	struct nl_msg *m;

	if (!l->in_kernel)
		return;
	evpn_id_to_bytes(&l->peer, req.peer);
	m = evpn_nl_link_msg(&k->g, EVPN_CMD_LINK_GET, &dev, &req);
	if (m)
		evpn_genl_transact(&k->g, m, link_get_cb, &r);
}

static void refresh_dev(struct kdp *k)
{
	struct kdp_link *l;

	kdp_dev_get(k);
	k->c.rx_packets = k->c.rx_bytes = 0;
	k->c.tx_packets = k->c.tx_bytes = 0;
	for (l = k->links; l; l = l->next) {
		refresh_link(l, NULL);
		k->c.rx_packets += l->c.rx_packets;
		k->c.rx_bytes += l->c.rx_bytes;
		k->c.tx_packets += l->c.tx_packets;
		k->c.tx_bytes += l->c.tx_bytes;
	}
}

const struct dp_counters *kdp_counters(const struct dp *dp)
{
	struct kdp *k = KDP(dp);

	refresh_dev(k);
	return &k->c;
}

const struct dp_counters *kdp_link_counters(const struct dp_link *link)
{
	struct kdp_link *l = KL(link);

	refresh_link(l, NULL);
	return &l->c;
}

struct fdb_walk {
	dp_fdb_iter_fn fn;
	void *ctx;
	uint32_t n;
};

static int fdb_cb(struct nl_msg *msg, void *arg)
{
	struct fdb_walk *w = arg;
	struct evpn_nl_fdb_info f;
	struct evpn_id node;

	w->n++;
	if (!w->fn || evpn_nl_parse_fdb(msg, &f))
		return NL_OK;
	evpn_id_from_bytes(&node, f.node_id);
	w->fn(f.mac, &node, f.is_static, false, w->ctx);
	return NL_OK;
}

/* Walk the module's FDB (dump); the number of entries. */
static uint32_t fdb_walk(struct kdp *k, dp_fdb_iter_fn fn, void *ctx)
{
	struct evpn_nl_dev dev = kdp_dev(k);
	struct nl_msg *m = evpn_nl_dev_msg(&k->g, EVPN_CMD_FDB_GET, NLM_F_DUMP,
					   &dev);
	struct fdb_walk w = { .fn = fn, .ctx = ctx };

	if (m && evpn_genl_transact(&k->g, m, fdb_cb, &w))
		return 0;
	return w.n;
}

void kdp_fdb_foreach(struct dp *dp, dp_fdb_iter_fn fn, void *ctx)
{
	fdb_walk(KDP(dp), fn, ctx);
}

static void json_link(JsonBuilder *b, struct kdp_link *l,
		      dp_link_json_fn extra, void *ctx)
{
	char ep[EVPN_SOCKADDR_STRLEN] = "-", tp[EVPN_SOCKADDR_STRLEN] = "";
	struct link_state st = { 0 };
	const struct evpn_nl_key_info *cur = &st.key[DP_SLOT_CURRENT];

	refresh_link(l, &st);
	if (l->t.fd >= 0)
		evpn_sockaddr_str((const struct sockaddr *)&l->t.addr, ep,
				  sizeof(ep));
	else if (st.turn_peer.ss_family)
		evpn_sockaddr_str((const struct sockaddr *)&l->t.turn_server,
				  ep, sizeof(ep));
	dp_link_json_begin(b, l->name, &l->peer, ep, l->t.relayed,
			   l->is_static);
	ej_bool(b, "in_kernel", l->in_kernel);
	ej_bool(b, "kernel_socket", l->t.fd >= 0 || st.turn_peer.ss_family);
	/* a relayed link the module frames itself (kmod/turn.c): the peer
	 * behind the relay and the channel (0: Send indications) */
	if (st.turn_peer.ss_family) {
		evpn_sockaddr_str((const struct sockaddr *)&st.turn_peer, tp,
				  sizeof(tp));
		ej_str(b, "turn_peer", tp);
		ej_uint(b, "turn_channel", st.turn_channel);
	}
	dp_link_json_keys(b, !cur->valid ? NULL :
			  cur->suite == EVPN_SUITE_CHACHA20POLY1305 ?
			  dp_suite_name(DP_SUITE_CHACHA20POLY1305) :
			  dp_suite_name(DP_SUITE_AES256GCM),
			  cur->age, cur->tx_key_id, cur->rx_key_id,
			  st.key[DP_SLOT_NEXT].valid);
	dp_link_json_end(b, (struct dp_link *)l, &l->c, extra, ctx);
}

void kdp_show_json(struct dp *dp, JsonBuilder *b, dp_link_json_fn extra,
		   void *ctx)
{
	struct kdp *k = KDP(dp);
	char id[EVPN_ID_HEXLEN + 1];
	struct kdp_link *l;

	refresh_dev(k);
	evpn_id_to_hex(&k->cfg.node_id, id);
	ej_str(b, "ifname", k->cfg.ifname);
	ej_int(b, "ifindex", k->ifindex);
	ej_str(b, "node_id", id);
	ej_str(b, "datapath", "kernel");
	ej_uint(b, "mtu", k->cfg.mtu);
	ej_uint(b, "events", k->events);
	dp_counters_json(b, &k->c, true);
	ej_uint(b, "fdb_entries", fdb_walk(k, NULL, NULL));
	ej_uint(b, "fdb_refused_full", k->fdb_refused_full);
	ej_uint(b, "fdb_refused_quota", k->fdb_refused_quota);
	ej_array(b, "links");
	for (l = k->links; l; l = l->next)
		json_link(b, l, extra, ctx);
	json_builder_end_array(b);
}
