// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The TAP datapath's part of `show` (docs/status.md), and the counters'
 * JSON every backend shares: built with json-glib (lib/jsonout.h). Apart
 * from link.c so that what evpnctl links of it for the config parser
 * (dp_suite_parse) needs no more of the datapath.
 */
#include <arpa/inet.h>
#include <linux/sock_diag.h>
#include <sys/socket.h>
#include "dp_internal.h"
#include "fmt.h"
#include "jsonout.h"
#include "names.h"

void dp_counters_json(JsonBuilder *b, const struct dp_counters *c, bool dev)
{
	int r;

	ej_uint(b, "rx_packets", c->rx_packets);
	ej_uint(b, "rx_bytes", c->rx_bytes);
	ej_uint(b, "tx_packets", c->tx_packets);
	ej_uint(b, "tx_bytes", c->tx_bytes);
	ej_uint(b, "fwd_packets", c->fwd_packets);
	if (dev) {
		ej_uint(b, "tap_rx_packets", c->tap_rx_packets);
		ej_uint(b, "tap_rx_bytes", c->tap_rx_bytes);
		ej_uint(b, "tap_tx_packets", c->tap_tx_packets);
		ej_uint(b, "tap_tx_bytes", c->tap_tx_bytes);
		ej_uint(b, "device_lost", c->device_lost);
	}
	ej_object(b, "drops");
	for (r = 1; r < __EVPN_DROP_MAX; r++)
		ej_uint(b, dp_drop_name(r), c->drops[r]);
	json_builder_end_object(b);
}

void dp_link_json_begin(JsonBuilder *b, const char *name,
			const struct evpn_id *peer, const char *endpoint,
			bool relayed, bool is_static)
{
	char id[EVPN_ID_HEXLEN + 1];

	evpn_id_to_hex(peer, id);
	json_builder_begin_object(b);
	ej_str(b, "name", name);
	ej_str(b, "peer", id);
	ej_str(b, "endpoint", endpoint);
	ej_bool(b, "relayed", relayed);
	ej_bool(b, "static", is_static);
}

void dp_link_json_keys(JsonBuilder *b, const char *suite, uint64_t age_s,
		       uint32_t tx_key_id, uint32_t rx_key_id, bool next_key)
{
	if (suite) {
		ej_str(b, "suite", suite);
		ej_uint(b, "key_age", age_s);
		ej_uint(b, "tx_key_id", tx_key_id);
		ej_uint(b, "rx_key_id", rx_key_id);
	} else {
		ej_null(b, "suite");
		ej_null(b, "key_age");
	}
	ej_bool(b, "next_key", next_key);
}

void dp_link_json_end(JsonBuilder *b, struct dp_link *link,
		      const struct dp_counters *c, dp_link_json_fn extra,
		      void *ctx)
{
	dp_counters_json(b, c, false);
	if (extra)
		extra(b, link, ctx);
	json_builder_end_object(b);
}

/* Records the kernel dropped on the link's socket before anyone read them
 * (receive buffer full): invisible to our own counters, so shown apart. */
static long long sock_drops(int fd)
{
	uint32_t mi[SK_MEMINFO_VARS];
	socklen_t len = sizeof(mi);

	if (fd < 0 || getsockopt(fd, SOL_SOCKET, SO_MEMINFO, mi, &len) ||
	    len < sizeof(mi))
		return -1;
	return mi[SK_MEMINFO_DROPS];
}

static void json_link(JsonBuilder *b, struct dp_link *l,
		      dp_link_json_fn extra, void *ctx)
{
	char ep[INET6_ADDRSTRLEN + 16];
	const struct dp_keyslot *s = &l->slot[l->cur];
	const struct dp_keyslot *nx = &l->slot[(l->cur + 1) % DP_NSLOTS];
	long long sd = sock_drops(l->t.fd);

	if (l->t.fd >= 0 && l->t.addrlen)
		evpn_sockaddr_str((const struct sockaddr *)&l->t.addr, ep,
			     sizeof(ep));
	else
		snprintf(ep, sizeof(ep), "-");
	dp_link_json_begin(b, l->name, &l->peer, ep, l->t.relayed,
			   l->no_expire);
	dp_link_json_keys(b, s->valid ? dp_suite_name(s->suite) : NULL,
			  (g_get_monotonic_time() - s->installed) /
			  G_USEC_PER_SEC, s->tx_key_id, s->rx_key_id,
			  nx->valid);
	ej_uint(b, "record_max", l->rec_max);
	if (sd >= 0)
		ej_int(b, "socket_drops", sd);
	dp_link_json_end(b, l, &l->c, extra, ctx);
}

static uint32_t fdb_live(struct dp *dp)
{
	uint32_t pos = 0, n = 0;

	while (evpn_fdb_next(&dp->fdb, &pos, g_get_monotonic_time() /
					      G_USEC_PER_SEC))
		n++;
	return n;
}

void tap_show_json(struct dp *dp, JsonBuilder *b, dp_link_json_fn extra_link,
		   void *ctx)
{
	char id[EVPN_ID_HEXLEN + 1];
	struct dp_link *l;

	evpn_id_to_hex(&dp->cfg.node_id, id);
	ej_str(b, "ifname", dp->cfg.ifname);
	ej_str(b, "node_id", id);
	ej_str(b, "datapath", dp->cfg.kind == DP_KIND_TAP ? "tap" : "kernel");
	ej_uint(b, "mtu", dp->cfg.mtu);
	dp_counters_json(b, &dp->c, true);
	ej_uint(b, "frag_tx", dp->frag_tx);
	ej_uint(b, "frag_rx", dp->frag_rx);
	ej_uint(b, "reasm_inuse", evpn_reasm_inuse(&dp->reasm));
	ej_uint(b, "icmp_too_big", dp->icmp_too_big);
	ej_uint(b, "fdb_entries", fdb_live(dp));
	ej_uint(b, "e2e_keys", dp->e2e ? g_hash_table_size(dp->e2e) : 0);
	ej_uint(b, "fdb_refused_full", dp->fdb.refused_full);
	ej_uint(b, "fdb_refused_quota", dp->fdb.refused_quota);
	dp_mc_show_json(dp, b);
	ej_array(b, "links");
	for (l = dp->links; l; l = l->next)
		json_link(b, l, extra_link, ctx);
	json_builder_end_array(b);
}

void tap_fdb_foreach(struct dp *dp, dp_fdb_iter_fn fn, void *ctx)
{
	uint64_t now = g_get_monotonic_time() / G_USEC_PER_SEC;
	const struct evpn_fdb_entry *e;
	uint32_t pos = 0;

	while ((e = evpn_fdb_next(&dp->fdb, &pos, now)))
		fn(e->mac, &e->node, e->flags & EVPN_FDB_F_STATIC,
		   e->flags & EVPN_FDB_F_TENTATIVE, ctx);
}
