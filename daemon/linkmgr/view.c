// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Read-only views of one link manager for the metrics endpoint
 * (daemon/metrics.c) and the topology picture (daemon/topoview.c): its
 * members and, per link, the state, path and the peer's own link list
 * (learned from its NBRS messages), from which the whole overlay can be
 * drawn as far as this node's neighbours report it.
 */
#include "lm.h"

static const char *const lstate_names[] = { "requested", "connecting", "up",
					    "dead" };

static const char *peer_state(const struct peer *pe)
{
	if (pe->link)
		return lstate_names[pe->link->st];
	return pe->retry_timer ? "backoff" : "none";
}

void linkmgr_foreach_member(struct linkmgr *lm, linkmgr_member_fn fn,
			    void *ctx)
{
	GHashTableIter it;
	gpointer v;

	g_hash_table_iter_init(&it, lm->peers);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		struct peer *pe = v;
		struct linkmgr_member m = {
			.id = &pe->id, .jid = pe->jid, .state = peer_state(pe),
		};

		fn(ctx, &m);
	}
}

bool linkmgr_link_view(struct linkmgr *lm, struct dp_link *dpl,
		       struct linkmgr_link *out)
{
	struct link *l = g_hash_table_lookup(lm->by_dpl, dpl);

	if (!l)
		return false;
	out->peer = &l->peer->id;
	out->state = lstate_names[l->st];
	out->relayed = l->ice && ice_selected_relayed(l->ice);
	out->up_s = l->st == L_UP && l->t_up ? (now_ms() - l->t_up) / 1000 : 0;
	out->setup_ms = l->t_up ? l->t_up - l->t_start : -1;
	out->epoch = l->epoch;
	out->nbrs = l->nbrs_rx_seq ? l->nbrs_rx : NULL;
	out->nnbrs = l->nbrs_rx_seq ? l->nbrs_rx_len : -1;
	return true;
}

unsigned int linkmgr_nmembers(const struct linkmgr *lm)
{
	return g_hash_table_size(lm->peers);
}
