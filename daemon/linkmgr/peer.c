// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The link manager's peer table (lm.h): members come and go with their
 * presence; a member silent on its link or deaf to our requests is
 * presumed dead for a while (suspicion); failed attempts back off; after
 * every change the topology says which links we want.
 */
#include <stdlib.h>
#include <string.h>

#include "lm.h"
#include "topology/symphony_ops.h"


static gboolean on_retry(gpointer p)
{
	struct peer *pe = p;

	pe->retry_timer = 0;
	lm_reevaluate(pe->lm);
	return G_SOURCE_REMOVE;
}

/*
 * The suspicion ran out: ask the peer for a link while it stays hidden
 * (probation). Showing it to the topology before it answers would let a
 * dead node's lingering presence take its ring neighbours' place for a
 * whole answer timeout each period, closing their working links ("not
 * wanted") and opening a gap in the ring. An answer (any signalling)
 * shows it again; silence suspects it for twice as long.
 */
static gboolean on_unsuspect(gpointer p)
{
	struct peer *pe = p;

	pe->suspect_timer = 0;
	pe->probing = true;
	if (pe->jid && !pe->link) {
		clear_timer(&pe->retry_timer);
		lm_link_request(pe);
	}
	if (!pe->link)		/* could not even try */
		lm_suspect(pe, "no way to probe it");
	return G_SOURCE_REMOVE;
}

/*
 * A peer presumed dead is hidden from the topology for LM_SUSPECT_MS
 * (doubling on repeated suspicion) even though its presence may linger (a
 * server holding a killed client's session for stream resumption keeps it
 * "available" for minutes): the ring closes around it at once. It takes
 * evidence, never a slow answer alone (link.c): an UP link silent for the
 * adaptive dead time after unanswered probes, or a request unanswered for
 * LM_ANSWER_TRIES adaptive timeouts -- and in both cases nothing else heard
 * from the peer meanwhile (its signalling, a fresh presence). Anything
 * heard from the peer ends the suspicion. A presence's age counts from
 * when it was sent, per the XEP-0203 stamp on presences the server replays
 * to a newcomer: a killed node's lingering session is no sign of life.
 */
void lm_suspect(struct peer *pe, const char *why)
{
	guint ms = LM_SUSPECT_MS << MIN(pe->suspect_count, 4u);

	pe->probing = false;
	if (!pe->suspect_timer) {
		pe->suspect_count++;
		pe->lm->stats.suspected++;
		g_message("%s: %s presumed dead for %u s: %s", pe->lm->name,
			  pe->hex, ms / 1000, why);
	}
	clear_timer(&pe->suspect_timer);
	pe->suspect_timer = g_timeout_add(ms, on_unsuspect, pe);
}

void lm_unsuspect(struct peer *pe)
{
	pe->suspect_count = 0;
	if (!pe->suspect_timer && !pe->probing)
		return;
	pe->probing = false;
	clear_timer(&pe->suspect_timer);
	lm_reevaluate(pe->lm);
}

/* Hidden from the topology: presumed dead, or on probation without an UP
 * link. */
static bool peer_hidden(const struct peer *pe)
{
	return (pe->suspect_timer && !pe->link) ||
	       (pe->probing && !(pe->link && pe->link->st == L_UP));
}

void lm_peer_problem(struct peer *pe, const char *why)
{
	if (!why) {
		pe->problem[0] = 0;
		return;
	}
	if (!strcmp(pe->problem, why))
		return;		/* said already */
	g_strlcpy(pe->problem, why, sizeof(pe->problem));
	g_critical("%s: peer %s (%s): %s: refusing its links", pe->lm->name,
		   pe->hex, pe->jid ? pe->jid : "no presence", why);
}

void lm_backoff(struct peer *pe)
{
	guint ms;

	pe->deferring = false;
	pe->backoff_ms = pe->backoff_ms ? MIN(pe->backoff_ms * 2, LM_BACKOFF_MAX_MS)
					: LM_BACKOFF_MIN_MS;
	ms = pe->backoff_ms + g_random_int_range(0, pe->backoff_ms / 2 + 1);
	clear_timer(&pe->retry_timer);
	pe->retry_timer = g_timeout_add(ms, on_retry, pe);
}

static void peer_free(gpointer p)
{
	struct peer *pe = p;

	if (pe->link) {
		pe->link->peer = NULL;
		pe->link->st = L_DEAD;
		lm_link_destroy(pe->link);
	}
	clear_timer(&pe->retry_timer);
	clear_timer(&pe->grace_timer);
	clear_timer(&pe->suspect_timer);
	g_free(pe->jid);
	g_free(pe);
}

static enum topo_link_state topo_state(const struct peer *pe)
{
	if (pe->link)
		return pe->link->st == L_UP ? TOPO_LINK_UP : TOPO_LINK_SETUP;
	if (pe->retry_timer)	/* the lower ID's wait is part of the setup */
		return pe->deferring ? TOPO_LINK_SETUP : TOPO_LINK_BACKOFF;
	return TOPO_LINK_NONE;
}

/*
 * A wanted peer without a link: the lower node ID first waits once for
 * the higher one's request (both ends usually want the link at the same
 * moment; a lost race costs an ICE agent and a TURN allocation), then it
 * is requested when the setup window has room (pace.c); else it waits for
 * the next reevaluation, which every setup's end triggers.
 */
static void start_wanted(struct peer *pe, bool ring, unsigned int *active)
{
	struct linkmgr *lm = pe->lm;

	if (!pe->want || pe->ring != ring || pe->link || pe->retry_timer)
		return;
	if (!is_self_higher(lm, &pe->id) && !pe->deferred) {
		pe->deferred = pe->deferring = true;
		pe->retry_timer = g_timeout_add(pace_defer_ms(lm), on_retry, pe);
		return;
	}
	if (!pace_may_start(lm, *active, ring))
		return;
	lm_link_request(pe);
	*active += pe->link != NULL;
}

static gboolean do_reevaluate(gpointer p)
{
	struct linkmgr *lm = p;
	GHashTableIter it;
	gpointer v;
	GArray *tp = g_array_new(FALSE, TRUE, sizeof(struct topo_peer));
	GPtrArray *pp = g_ptr_array_new();
	unsigned int active = 0;
	guint i;

	lm->reeval_idle = 0;
	g_hash_table_iter_init(&it, lm->peers);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		struct peer *pe = v;
		struct topo_peer t = { .id = pe->id, .link = topo_state(pe) };

		/* Gone and linkless: nothing left to remember (the table must
		 * not grow with every ID a member ever announced). */
		if (!pe->jid && !pe->link) {
			g_hash_table_iter_remove(&it);
			continue;
		}
		if (pe->link && pe->link->st != L_UP)
			active++;
		if (!pe->jid || peer_hidden(pe))
			continue;
		g_array_append_val(tp, t);
		g_ptr_array_add(pp, pe);
	}
	lm->cfg.topology->select(lm->topo, (struct topo_peer *)tp->data, tp->len);
	for (i = 0; i < pp->len; i++) {
		struct peer *pe = g_ptr_array_index(pp, i);

		pe->want = g_array_index(tp, struct topo_peer, i).want;
		pe->ring = g_array_index(tp, struct topo_peer, i).ring;
		if (!pe->want && pe->link && pe->link->initiator)
			lm_link_fail(pe->link, "not wanted by the topology", true);
	}
	/* ring links first: they take the window's slots before long ones */
	for (i = 0; i < pp->len; i++)
		start_wanted(g_ptr_array_index(pp, i), true, &active);
	for (i = 0; i < pp->len; i++)
		start_wanted(g_ptr_array_index(pp, i), false, &active);
	g_array_free(tp, TRUE);
	g_ptr_array_free(pp, TRUE);
	linkctl_advertise(lm);
	return G_SOURCE_REMOVE;
}

void lm_reevaluate(struct linkmgr *lm)
{
	if (!lm->reeval_idle)
		lm->reeval_idle = g_idle_add_full(G_PRIORITY_DEFAULT, do_reevaluate,
						   lm, NULL);
}

/* The peer's JID no longer speaks for it (left, or moved to another ID). */
static void peer_forget_jid(struct peer *pe)
{
	if (g_hash_table_lookup(pe->lm->by_jid, pe->jid) == pe)
		g_hash_table_remove(pe->lm->by_jid, pe->jid);
	g_free(pe->jid);
	pe->jid = NULL;
	clear_timer(&pe->retry_timer);
	pe->backoff_ms = 0;
	pe->deferred = false;
}

static void peer_release(struct peer *pe, const char *why)
{
	g_message("%s: %s released: %s", pe->lm->name, pe->hex, why);
	peer_forget_jid(pe);
	if (pe->link)
		lm_link_fail(pe->link, why, false);
	clear_timer(&pe->retry_timer);	/* link_fail's backoff */
	lm_reevaluate(pe->lm);
}

/* Same bare JID? */
static bool same_account(const char *a, const char *b)
{
	size_t la = strcspn(a, "/"), lb = strcspn(b, "/");

	return la == lb && !strncmp(a, b, la);
}

void linkmgr_member_up(struct linkmgr *lm, const char *jid,
		       const struct sig_presence *p)
{
	char hex[EVPN_ID_HEXLEN + 1];
	struct peer *pe, *old;

	if (evpn_id_eq(&p->id, &lm->cfg.self)) {
		if (!identity_fp_equal(p->fp, lm->cfg.identity->fingerprint))
			g_warning("%s: %s claims our node ID %s", lm->name, jid,
				  "(ignored)");
		return;
	}
	if (!lm_pin_admit(lm, jid, p)) {
		/* the JID now speaks for a key we do not trust: whatever it
		 * spoke for before is not its any more either */
		old = g_hash_table_lookup(lm->by_jid, jid);
		if (old)
			peer_release(old, "member's key changed (refused)");
		return;
	}
	evpn_id_to_hex(&p->id, hex);
	pe = g_hash_table_lookup(lm->peers, hex);
	if (pe && pe->jid && strcmp(pe->jid, jid) && !same_account(pe->jid, jid)) {
		g_warning("%s: %s claims node ID %s, already held by %s "
			  "(ignored)", lm->name, jid, hex, pe->jid);
		return;
	}
	/* Same account, new resource: the node restarted while the server
	 * still holds its old session (e.g. stream management hibernation).
	 * The newest presence wins. */
	if (!pe) {
		pe = g_new0(struct peer, 1);
		pe->lm = lm;
		pe->id = p->id;
		strcpy(pe->hex, hex);
		g_hash_table_insert(lm->peers, pe->hex, pe);
	}
	/* The JID spoke for another node ID until now: that ID is no longer
	 * its (a restart with a new ID, or a member trying to hold several
	 * ring positions): release it, so no ghost keeps the JID. */
	old = g_hash_table_lookup(lm->by_jid, jid);
	if (old && old != pe)
		peer_release(old, "member changed its node ID");
	clear_timer(&pe->grace_timer);
	if (!pe->jid || strcmp(pe->jid, jid)) {	/* a new session */
		/* A presence the server replays to us (we just came online)
		 * carries its age: a killed node's lingering session is no
		 * sign of life. */
		if (!p->age_ms || p->age_ms < LM_ANSWER_MS)
			lm_unsuspect(pe);
		pe->last_heard = MAX(pe->last_heard, now_ms() - p->age_ms);
		/* a setup in flight talked to the old session: start over */
		if (pe->jid && pe->link && pe->link->st != L_UP) {
			lm_link_fail(pe->link, "peer has a new XMPP session", false);
			clear_timer(&pe->retry_timer);	/* no backoff for that */
			pe->backoff_ms = 0;
			pe->deferred = false;
		}
	}
	lm->last_sig_rx = now_ms();
	if (pe->jid && strcmp(pe->jid, jid))
		g_hash_table_remove(lm->by_jid, pe->jid);
	if (pe->link && strcmp(pe->pres.fp, p->fp))
		lm_link_fail(pe->link, "peer certificate changed", true);
	/* the table's key is the peer's own string: replace both together */
	g_hash_table_remove(lm->by_jid, jid);
	g_free(pe->jid);
	pe->jid = g_strdup(jid);
	pe->pres = *p;
	g_hash_table_insert(lm->by_jid, pe->jid, pe);
	g_message("%s: member %s is %s", lm->name, jid, hex);
	lm_reevaluate(lm);
}

static gboolean on_grace(gpointer p)
{
	struct peer *pe = p;

	pe->grace_timer = 0;
	if (pe->link && !pe->jid && pe->lm->online)
		lm_link_fail(pe->link, "no presence for the grace period "
			  "(revoked or gone)", true);
	return G_SOURCE_REMOVE;
}

static void arm_grace(struct peer *pe)
{
	struct linkmgr *lm = pe->lm;

	clear_timer(&pe->grace_timer);
	pe->grace_timer = g_timeout_add_seconds(
		lm->cfg.presence_grace ?: LM_PRESENCE_GRACE_S, on_grace, pe);
}

void linkmgr_set_online(struct linkmgr *lm, bool online)
{
	GHashTableIter it;
	gpointer v;

	lm->online = online;
	g_hash_table_iter_init(&it, lm->peers);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		struct peer *pe = v;

		clear_timer(&pe->grace_timer);
		if (online && pe->link && !pe->jid)
			arm_grace(pe);
	}
}

void linkmgr_member_down(struct linkmgr *lm, const char *jid, enum lm_gone why)
{
	struct peer *pe = g_hash_table_lookup(lm->by_jid, jid);

	lm_pin_gone(lm, jid);
	if (!pe)
		return;
	peer_forget_jid(pe);
	/* An UP link lives on its own keepalives (the XMPP server may be
	 * away while the path works); revocation and links still in setup
	 * (which need signalling) end now. */
	if (pe->link && (why == LM_GONE_REMOVED || pe->link->st != L_UP))
		lm_link_fail(pe->link, why == LM_GONE_REMOVED ? "removed from the group"
							 : "peer left", false);
	else if (pe->link && why == LM_GONE_UNAVAILABLE && lm->online) {
		arm_grace(pe);
		lm_link_presence_gone(pe->link);
	}
	clear_timer(&pe->retry_timer);
	lm_reevaluate(lm);
}

struct linkmgr *linkmgr_new(const struct linkmgr_config *cfg,
			    const struct linkmgr_ops *ops, void *ctx)
{
	struct linkmgr *lm = g_new0(struct linkmgr, 1);

	lm->cfg = *cfg;
	lm->ice = *cfg->ice;
	lm->cfg.ice = &lm->ice;
	lm->name = g_strdup(cfg->name);
	lm->cfg.name = lm->name;
	lm->ops = ops;
	lm->ctx = ctx;
	if (!lm->cfg.topology)
		lm->cfg.topology = &topology_mesh;
	if (!lm->cfg.suites)
		lm->cfg.suites = SIG_SUITES_ALL;
	lm->topo = lm->cfg.topology->create(&cfg->self);
	lm->peers = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, peer_free);
	lm->by_jid = g_hash_table_new(g_str_hash, g_str_equal);
	lm->by_dpl = g_hash_table_new(NULL, NULL);
	lm->no_lookahead = getenv("EVPND_NO_LOOKAHEAD") != NULL;
	pace_init(lm);
	return lm;
}

void linkmgr_free(struct linkmgr *lm)
{
	GHashTableIter it;
	gpointer v;

	if (!lm)
		return;
	clear_timer(&lm->reeval_idle);
	/* orderly close so peers do not wait for the dead timer */
	g_hash_table_iter_init(&it, lm->peers);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		struct peer *pe = v;

		if (pe->link && pe->link->dtls && dtls_established(pe->link->dtls))
			linkctl_write(pe->link, MSG_CLOSE, 0, 0);
	}
	g_hash_table_destroy(lm->by_jid);
	g_hash_table_destroy(lm->peers);
	lm_pin_free(lm);
	g_hash_table_destroy(lm->by_dpl);
	lm->cfg.topology->destroy(lm->topo);
	g_free(lm->name);
	g_free(lm);
}

const struct lm_stats *linkmgr_stats(const struct linkmgr *lm)
{
	return &lm->stats;
}
