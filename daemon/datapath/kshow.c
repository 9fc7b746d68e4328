// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The kernel backend's counters and `show` JSON (kernel.h): read from the
 * module (DEV_GET, LINK_GET, FDB_GET) when asked, never cached.
 */
#include <string.h>
#include "fmt.h"
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
	if (r->st)
		memcpy(r->st->key, li.key, sizeof(r->st->key));
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

static int fdb_count_cb(struct nl_msg *msg, void *arg)
{
	(*(uint32_t *)arg)++;
	return NL_OK;
}

static uint32_t fdb_entries(struct kdp *k)
{
	struct evpn_nl_dev dev = kdp_dev(k);
	struct nl_msg *m = evpn_nl_dev_msg(&k->g, EVPN_CMD_FDB_GET, NLM_F_DUMP,
					   &dev);
	uint32_t n = 0;

	if (m && evpn_genl_transact(&k->g, m, fdb_count_cb, &n))
		return 0;
	return n;
}

static void json_link(FILE *out, struct kdp_link *l, dp_link_json_fn extra,
		      void *ctx)
{
	char id[EVPN_ID_HEXLEN + 1], ep[EVPN_SOCKADDR_STRLEN] = "-";
	struct link_state st = { 0 };
	const struct evpn_nl_key_info *cur = &st.key[DP_SLOT_CURRENT];

	refresh_link(l, &st);
	evpn_id_to_hex(&l->peer, id);
	if (l->t.fd >= 0)
		evpn_sockaddr_str((const struct sockaddr *)&l->t.addr, ep,
				  sizeof(ep));
	fprintf(out, "{\"name\":\"%s\",\"peer\":\"%s\",\"endpoint\":\"%s\","
		"\"relayed\":%s,\"static\":%s,\"in_kernel\":%s,"
		"\"kernel_socket\":%s,", l->name, id, ep,
		l->t.relayed ? "true" : "false",
		l->is_static ? "true" : "false",
		l->in_kernel ? "true" : "false",
		l->t.fd >= 0 ? "true" : "false");
	if (cur->valid)
		fprintf(out, "\"suite\":\"%s\",\"key_age\":%u,"
			"\"tx_key_id\":%u,\"rx_key_id\":%u,",
			cur->suite == EVPN_SUITE_CHACHA20POLY1305 ?
			dp_suite_name(DP_SUITE_CHACHA20POLY1305) :
			dp_suite_name(DP_SUITE_AES256GCM),
			cur->age, cur->tx_key_id, cur->rx_key_id);
	else
		fputs("\"suite\":null,\"key_age\":null,", out);
	fprintf(out, "\"next_key\":%s,",
		st.key[DP_SLOT_NEXT].valid ? "true" : "false");
	dp_counters_json(out, &l->c, false);
	if (extra)
		extra(out, (struct dp_link *)l, ctx);
	fputc('}', out);
}

void kdp_show_json(struct dp *dp, FILE *out, dp_link_json_fn extra,
		   void *ctx)
{
	struct kdp *k = KDP(dp);
	char id[EVPN_ID_HEXLEN + 1];
	struct kdp_link *l;

	refresh_dev(k);
	evpn_id_to_hex(&k->cfg.node_id, id);
	fprintf(out, "\"ifname\":\"%s\",\"ifindex\":%d,\"node_id\":\"%s\","
		"\"datapath\":\"kernel\",\"mtu\":%u,\"events\":%llu,",
		k->cfg.ifname, k->ifindex, id, k->cfg.mtu,
		(unsigned long long)k->events);
	dp_counters_json(out, &k->c, true);
	fprintf(out, ",\"fdb_entries\":%u,\"fdb_refused_full\":%llu,"
		"\"fdb_refused_quota\":%llu,\"links\":[", fdb_entries(k),
		(unsigned long long)k->fdb_refused_full,
		(unsigned long long)k->fdb_refused_quota);
	for (l = k->links; l; l = l->next) {
		json_link(out, l, extra, ctx);
		if (l->next)
			fputc(',', out);
	}
	fputc(']', out);
}
