// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * TAP datapath: IGMP/MLD snooping and the pruned multicast flood. The table,
 * parsing and pruning are the shared core's (core/mcast.h, core/mcsnoop.h);
 * this file runs them on the TAP datapath's frames and clock:
 *   - frames the TAP gives us are snooped (local membership) before the
 *     flood, and multicast floods are pruned to slices with subscribers;
 *   - a received multicast flood reaches the TAP only if a local port wants
 *     it (it may still be relayed on);
 *   - membership announcements (EVPN_TYPE_MCAST_ANN) are sent when local
 *     membership changes (at once, then EVPN_MC_REPEAT more times in the
 *     next ticks), every EVPN_MC_ANNOUNCE seconds, and when another node
 *     solicits them; received ones update the table and are relayed;
 *   - a local querier writes IGMP/MLD general queries to the TAP so local
 *     membership is refreshed, and a group query after a leave.
 */
#include <stdlib.h>
#include <unistd.h>
#include <openssl/rand.h>
#include "dp_internal.h"
#include "fmt.h"
#include "jsonout.h"
#include "mcsnoop.h"

struct dp_mc {
	struct evpn_mc t;
	void *mem;
	guint timer;
	uint64_t next_announce, next_query, last_answer;
	int startup_queries;
	bool solicited;		/* another node asked: re-announce */
	bool had_nbrs;		/* for the SOLICIT flag on our first flood */
	uint64_t announce_tx, announce_rx;	/* records */
	uint64_t pruned;	/* flood copies not sent: no subscriber */
	uint64_t queries_tx;	/* IGMP/MLD queries written to the TAP */
};

/* The querier's frames go straight to the TAP (after an all-zero vnet
 * header: no offload) and are counted apart from the frames the overlay
 * delivered (tap_tx_packets). */
static void query(struct dp *dp, const uint8_t *group, bool v6)
{
	uint8_t buf[OFFLOAD_VNET_HLEN + EVPN_MC_QUERY_MAX_LEN] = { 0 };
	size_t off = dp->vnet ? OFFLOAD_VNET_HLEN : 0, len;

	len = off + evpn_mc_query_build(buf + off, group, v6);
	if (write(dp->tap_fd, buf, len) == (ssize_t)len)
		dp->mc->queries_tx++;
}

static void announce(struct dp *dp, uint8_t flags)
{
	uint8_t buf[EVPN_MC_ANN_MAX_LEN];
	uint32_t cursor = 0;
	size_t len;

	while ((len = evpn_mc_announce_build(&dp->mc->t, buf, flags, &cursor,
					     dp->now))) {
		dp_flood(dp, EVPN_TYPE_MCAST_ANN, EVPN_TTL_DEFAULT,
			 &dp->cfg.node_id, &dp->cfg.node_id, -1, buf, len,
			 false);
		dp->mc->announce_tx++;
		flags = 0;
	}
	dp->mc->next_announce = dp->now + EVPN_MC_ANNOUNCE;
}

/* Once a second: age the table, query the local ports, announce. */
static void tick(struct dp *dp)
{
	struct dp_mc *m = dp->mc;

	evpn_mc_expire(&m->t, dp->now);
	if (dp->now >= m->next_query) {
		query(dp, NULL, false);
		query(dp, NULL, true);
		/* startup: twice more at a quarter interval (RFC 3376 8.6) */
		m->next_query = dp->now + (m->startup_queries-- > 0 ?
			EVPN_MC_QUERY_INTERVAL / 4 : EVPN_MC_QUERY_INTERVAL);
	}
	if (!dp->nnbr)
		return;
	if (!m->had_nbrs) {
		/* first neighbour: ask the others for their memberships */
		m->had_nbrs = true;
		announce(dp, EVPN_MC_ANN_F_SOLICIT);
	} else if (evpn_mc_change_pending(&m->t) ||
		   dp->now >= m->next_announce ||
		   (m->solicited &&
		    dp->now >= m->last_answer + EVPN_MC_SOLICIT_GAP)) {
		if (m->solicited)
			m->last_answer = dp->now;
		m->solicited = false;
		announce(dp, 0);
	}
}

static gboolean on_tick(gpointer data)
{
	struct dp *dp = data;

	dp->now = g_get_monotonic_time() / G_USEC_PER_SEC;
	tick(dp);
	dp_tap_flush(dp);
	dp_txq_flush(dp);
	return G_SOURCE_CONTINUE;
}

int dp_mc_init(struct dp *dp)
{
	struct dp_mc *m = calloc(1, sizeof(*m));
	uint64_t seed;

	if (!m)
		return -1;
	dp->mc = m;
	m->mem = malloc(evpn_mc_storage_size(EVPN_MC_GROUPS_DEFAULT,
					     EVPN_MC_MEMBERS_DEFAULT));
	if (!m->mem)
		return -1;
	if (RAND_bytes((unsigned char *)&seed, sizeof(seed)) != 1)
		seed = g_get_monotonic_time();
	if (evpn_mc_init(&m->t, m->mem, EVPN_MC_GROUPS_DEFAULT,
			 EVPN_MC_MEMBERS_DEFAULT, seed))
		return -1;
	m->startup_queries = 2;
	m->next_query = g_get_monotonic_time() / G_USEC_PER_SEC + 1;
	m->timer = g_timeout_add_seconds(1, on_tick, dp);
	return 0;
}

void dp_mc_free(struct dp *dp)
{
	if (!dp->mc)
		return;
	if (dp->mc->timer)
		g_source_remove(dp->mc->timer);
	free(dp->mc->mem);
	free(dp->mc);
	dp->mc = NULL;
}

/* A frame from the TAP with a group destination MAC. */
void dp_mc_snoop(struct dp *dp, const uint8_t *frame, size_t len)
{
	uint8_t left[EVPN_MC_ADDR_LEN];
	int r = evpn_mc_snoop(&dp->mc->t, frame, len, dp->now, left);

	if (r & EVPN_MC_SNOOP_LEFT)
		query(dp, left, r & EVPN_MC_SNOOP_V6);
	if (r & EVPN_MC_SNOOP_CHANGED && dp->nnbr)
		announce(dp, 0);	/* at once: the stream should follow */
}

int dp_mc_prune(struct dp *dp, const uint8_t *frame, size_t len,
		struct evpn_flood_hop *hops, int n)
{
	uint8_t group[EVPN_MC_ADDR_LEN];
	int k;

	switch (evpn_mc_classify(frame, len, group)) {
	case EVPN_MC_DATA:
		k = evpn_mc_prune(&dp->mc->t, group, dp->nbr_id, hops, n,
				  dp->now);
		break;
	case EVPN_MC_CTRL:
		k = evpn_mc_prune(&dp->mc->t, NULL, dp->nbr_id, hops, n,
				  dp->now);
		break;
	default:
		return n;
	}
	dp->mc->pruned += n - k;
	return k;
}

bool dp_mc_local_wants(struct dp *dp, const uint8_t *frame, size_t len)
{
	uint8_t group[EVPN_MC_ADDR_LEN];

	switch (evpn_mc_classify(frame, len, group)) {
	case EVPN_MC_DATA:
		return evpn_mc_local_wants(&dp->mc->t, group, dp->now);
	case EVPN_MC_CTRL:
		return evpn_mc_local_wants(&dp->mc->t, NULL, dp->now);
	default:
		return true;
	}
}

void dp_mc_rx_announce(struct dp *dp, struct dp_link *l,
		       const struct evpn_id *src, const uint8_t *buf,
		       size_t len)
{
	int flags = evpn_mc_announce_apply(&dp->mc->t, src, buf, len, dp->now);

	if (flags < 0) {
		dp_count_drop(dp, l, EVPN_DROP_BAD_HEADER);
		return;
	}
	dp->mc->announce_rx++;
	if (flags & EVPN_MC_ANN_F_SOLICIT)
		dp->mc->solicited = true;
}


/* `show` JSON: ,"mcast":{counters, limits, "groups":[...]} */
void dp_mc_show_json(struct dp *dp, JsonBuilder *b)
{
	const struct evpn_mc *t = &dp->mc->t;
	char id[EVPN_ID_HEXLEN + 1], addr[64];
	struct evpn_mc_view v;
	uint64_t pos = 0;

	ej_object(b, "mcast");
	ej_uint(b, "groups_max", t->max_groups);
	ej_uint(b, "members_max", t->max_members);
	ej_uint(b, "groups", t->ngroups);
	ej_uint(b, "members", t->nmembers);
	ej_uint(b, "refused_full", t->refused_full);
	ej_uint(b, "refused_quota", t->refused_quota);
	ej_uint(b, "announce_tx", dp->mc->announce_tx);
	ej_uint(b, "announce_rx", dp->mc->announce_rx);
	ej_uint(b, "pruned", dp->mc->pruned);
	ej_uint(b, "queries_tx", dp->mc->queries_tx);
	ej_array(b, "entries");
	while (evpn_mc_next(t, &pos, dp->now, &v)) {
		evpn_mc_addr_str(v.addr, addr, sizeof(addr));
		evpn_id_to_hex(&v.node, id);
		json_builder_begin_object(b);
		ej_str(b, "group", addr);
		ej_str(b, "node", v.local ? "local" : id);
		ej_uint(b, "expires", v.expires_in);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
}
