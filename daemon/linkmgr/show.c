// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The link manager's part of `evpnctl status` (docs/status.md): members,
 * signalling counters, and per-link facts (path, ICE pair, round trip,
 * epoch, setup time). Built with json-glib (lib/jsonout.h).
 */
#include <stdio.h>
#include <string.h>

#include "jsonout.h"
#include "lm.h"
#include "route_la.h"

static const char *const lstate_names[] = { "requested", "connecting", "up",
					    "dead" };

/* The links unicast to @dst would take: the datapath's own choice
 * (greedy with 1-lookahead over UP links and their peers' link lists). */
struct route_view {
	struct evpn_id nbr[EVPN_MAX_NBR_IDS];
	struct evpn_id nn[EVPN_MAX_NBR_IDS * EVPN_MAX_NBR_IDS];
	int nn_len[EVPN_MAX_NBR_IDS];
	int n, nn_off;
};

static void route_view_init(struct linkmgr *lm, struct route_view *rv)
{
	GHashTableIter it;
	gpointer v;

	rv->n = rv->nn_off = 0;
	g_hash_table_iter_init(&it, lm->by_dpl);
	while (g_hash_table_iter_next(&it, NULL, &v) && rv->n < EVPN_MAX_NBR_IDS) {
		struct link *l = v;
		int len = l->nbrs_rx_seq ? l->nbrs_rx_len : 0;

		if (l->st != L_UP || !l->peer)
			continue;
		rv->nbr[rv->n] = l->peer->id;
		memcpy(&rv->nn[rv->nn_off], l->nbrs_rx, len * sizeof(l->nbrs_rx[0]));
		rv->nn_len[rv->n++] = len;
		rv->nn_off += len;
	}
}

static void peer_path(struct linkmgr *lm, struct route_view *rv,
		      struct peer *pe, JsonBuilder *b)
{
	char hex[EVPN_ID_HEXLEN + 1];
	int nh;

	if (pe->link && pe->link->st == L_UP) {
		ej_str(b, "path", ice_selected_relayed(pe->link->ice) ?
		       "relayed" : "direct");
		ej_null(b, "via");
		return;
	}
	nh = evpn_route_la_next_hop(&lm->cfg.self, &pe->id, rv->nbr, rv->n,
				    rv->nn, rv->nn_len);
	if (nh < 0) {
		ej_str(b, "path", "none");
		ej_null(b, "via");
		return;
	}
	evpn_id_to_hex(&rv->nbr[nh], hex);
	ej_str(b, "path", "multihop");
	ej_str(b, "via", hex);
}

static void peer_json(struct linkmgr *lm, struct route_view *rv,
		      struct peer *pe, JsonBuilder *b)
{
	json_builder_begin_object(b);
	ej_str(b, "id", pe->hex);
	ej_str(b, "jid", pe->jid);
	ej_str(b, "link", pe->link ? lstate_names[pe->link->st] :
	       pe->retry_timer ? "backoff" : "none");
	ej_str(b, "fingerprint", pe->pres.fp);
	ej_str(b, "problem", pe->problem[0] ? pe->problem : NULL);
	if (pe->link && pe->link->st != L_UP && pe->link->why[0])
		ej_str(b, "last_error", pe->link->why);
	peer_path(lm, rv, pe, b);
	json_builder_end_object(b);
}

void linkmgr_show_json(struct linkmgr *lm, JsonBuilder *b)
{
	const struct lm_stats *s = &lm->stats;
	struct route_view *rv = g_new(struct route_view, 1);
	GHashTableIter it;
	gpointer v;

	route_view_init(lm, rv);
	ej_array(b, "peers");
	g_hash_table_iter_init(&it, lm->peers);
	while (g_hash_table_iter_next(&it, NULL, &v))
		peer_json(lm, rv, v, b);
	json_builder_end_array(b);
	g_free(rv);
	ej_object(b, "signalling");
	ej_uint(b, "in", s->sig_in);
	ej_uint(b, "out", s->sig_out);
	ej_uint(b, "malformed", s->sig_bad);
	ej_uint(b, "spoofed", s->sig_spoofed);
	ej_uint(b, "stale", s->sig_stale);
	json_builder_end_object(b);
	ej_uint(b, "links_up", s->links_up);
	ej_uint(b, "links_failed", s->links_failed);
	ej_uint(b, "dtls_refused", s->dtls_refused);
	ej_uint(b, "rekeys", s->rekeys);
	ej_uint(b, "nbrs_in", s->nbrs_in);
	ej_uint(b, "nbrs_malformed", s->nbrs_bad);
	ej_uint(b, "nbrs_seq", lm->adv_seq);
	ej_uint(b, "epoch_refused", s->epoch_refused);
	ej_uint(b, "candidates_ignored", s->cands_ignored);
	ej_uint(b, "pmtu_probes", s->pmtu_probes);
	lm_pin_show_json(lm, b);
	pace_show_json(lm, b);
}

/* The TURN server a relayed pair goes through: ours when our candidate is
 * the relay, else the peer's relay address. */
static void relay_json(struct linkmgr *lm, JsonBuilder *b, const char *ltype,
		       const char *raddr)
{
	char srv[80];

	if (!strcmp(ltype, "relay") && lm->ice.turn_host) {
		snprintf(srv, sizeof(srv), "%s:%u", lm->ice.turn_host,
			 lm->ice.turn_port);
		ej_str(b, "relay", srv);
	} else {
		ej_str(b, "relay", raddr);
	}
}

bool linkmgr_link_json(struct linkmgr *lm, JsonBuilder *b, struct dp_link *dpl)
{
	struct link *l = g_hash_table_lookup(lm->by_dpl, dpl);
	const char *ltype = NULL, *rtype = NULL;
	char pair[160], raddr[64];
	bool relayed;

	if (!l)
		return false;
	relayed = ice_selected_relayed(l->ice);
	ice_selected_describe(l->ice, pair, sizeof(pair));
	ej_str(b, "overlay", lm->name);
	ej_str(b, "jid", l->peer ? l->peer->jid : NULL);
	ej_str(b, "ice_pair", pair);
	ej_str(b, "path", relayed ? "relayed" : "direct");
	if (ice_selected_types(l->ice, &ltype, &rtype, raddr, sizeof(raddr))) {
		ej_str(b, "ice_local", ltype);
		ej_str(b, "ice_remote", rtype);
		if (relayed)
			relay_json(lm, b, ltype, raddr);
	}
	ej_int(b, "peer_links", l->nbrs_rx_seq ? l->nbrs_rx_len : -1);
	ej_uint(b, "pmtu", l->pmtu);
	ej_array(b, "pmtu_search");
	json_builder_add_int_value(b, l->pmtu_lo);
	json_builder_add_int_value(b, l->pmtu_hi);
	json_builder_end_array(b);
	ej_bool(b, "ice_relayed", relayed);
	ej_bool(b, "controlling", l->controlling);
	ej_uint(b, "epoch", l->epoch);
	ej_int(b, "setup_ms", l->t_up ? l->t_up - l->t_start : -1);
	ej_int(b, "up_s", l->t_up ? (now_ms() - l->t_up) / 1000 : 0);
	/* the last key exchange: epoch 0 is the DTLS handshake itself */
	ej_int(b, "handshake_age_s", l->epoch_started ?
	       (now_ms() - l->epoch_started) / 1000 : -1);
	if (l->rtt_us >= 0)
		ej_double(b, "rtt_ms", l->rtt_us / 1000.0);
	else
		ej_null(b, "rtt_ms");
	ej_str(b, "dtls_cipher", dtls_cipher(l->dtls));
	return true;
}
