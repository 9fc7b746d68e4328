// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * One link's state machine (lm.h): signalling (XMPP) -> ICE (libnice) ->
 * DTLS (fingerprint-pinned) -> a datapath link keyed in band (epoch.c),
 * kept alive by keepalives and probes, torn down on failure.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lm.h"
#include "topology/symphony_ops.h"


static void sig_send(struct link *l, struct sig_msg *m)
{
	struct linkmgr *lm = l->lm;

	if (!l->peer || !l->peer->jid)	/* dead link: detached from its peer */
		return;
	m->from = lm->cfg.self;
	m->to = l->peer->id;
	m->sid = l->sid;
	if (lm->ops->send(lm->ctx, l->peer->jid, m) == 0)
		lm->stats.sig_out++;
}

static void send_offer(struct link *l, enum sig_type type, unsigned int suites)
{
	struct sig_msg m = { .type = type, .suites = suites };

	g_strlcpy(m.ufrag, ice_local_ufrag(l->ice), sizeof(m.ufrag));
	g_strlcpy(m.pwd, ice_local_pwd(l->ice), sizeof(m.pwd));
	sig_send(l, &m);
}

/* The setup made progress (an answer, a candidate, an ICE or DTLS step):
 * its stall timer restarts (on_tick()). */
static void link_progress(struct link *l)
{
	l->t_progress = now_ms();
}

/* Feed a setup's outcome to the window once (pace.c). */
static void link_setup_outcome(struct link *l, bool ok)
{
	if (l->counted)
		return;
	l->counted = true;
	pace_setup_done(l->lm, ok);
}

/* Has the peer shown any sign of life since @since (ms)? Signalling from
 * it, a fresh presence, or anything on this link. */
static bool peer_alive_since(const struct link *l, gint64 since)
{
	return l->peer->last_heard >= since || l->last_rx > since;
}

void lm_link_up(struct link *l)
{
	struct linkmgr *lm = l->lm;
	char pair[160];

	l->st = L_UP;
	l->t_up = now_ms();
	l->peer->backoff_ms = 0;
	link_setup_outcome(l, true);
	lm_peer_problem(l->peer, NULL);
	lm->stats.links_up++;
	pmtu_start(l);
	ice_selected_describe(l->ice, pair, sizeof(pair));
	g_message("%s: link to %s up in %" G_GINT64_FORMAT " ms (%s, %s, %s%s)",
		  lm->name, l->peer->hex, l->t_up - l->t_start,
		  ice_selected_relayed(l->ice) ? "relayed" : "direct", pair,
		  dp_suite_name(l->suite), l->peer->ring ? ", ring" : "");
	lm_pin_linked(l->peer);		/* the handshake proved its key */
	lm_reevaluate(lm);
}

static int dtls_tx(void *ctx, const void *buf, size_t len)
{
	struct link *l = ctx;

	return l->ice ? ice_send(l->ice, buf, len) : -1;
}

static int dp_tx(void *ctx, const void *buf, size_t len)
{
	struct link *l = ctx;

	return l->ice && l->st != L_DEAD ? ice_send(l->ice, buf, len) : -1;
}

/* What the datapath noticed about the link (evpn.ko's events). */
static void on_dp_event(void *ctx, enum dp_event ev)
{
	struct link *l = ctx;

	if (l->st != L_UP)
		return;
	switch (ev) {
	case DP_EVENT_REKEY:
		/* the controlling side drives every epoch; the other side's
		 * module sees the same limit on the same records */
		if (l->controlling && !l->pend_active)
			epoch_start(l, l->epoch + 1);
		break;
	case DP_EVENT_UNREACHABLE:
		/* ICE consent and our pings decide whether the path is dead;
		 * ask ICE's view now rather than at the next tick */
		if (l->ice_st == ICE_FAILED)
			lm_link_fail(l, "peer unreachable", false);
		break;
	case DP_EVENT_LOST:
		lm_link_fail(l, "device recreated: new keys needed", true);
		break;
	}
}

/*
 * The link's transport: the ICE-selected socket itself when the local
 * candidate is not a TURN relay (the socket handoff: the datapath sends
 * on it -- evpn.ko also receives the records on it, through its encap hook,
 * while STUN/DTLS still reach libnice), else nice_agent_send -- with, for a
 * relay of ours reached over UDP, the socket the allocation was made from
 * (the TURN handoff: evpn.ko frames records for the relay itself). The
 * environment variable EVPND_NO_HANDOFF keeps every link on libnice, and
 * EVPND_TURN_SHIM relayed links on the kernel backend's loopback shim (for
 * measurements).
 */
static void link_transport(struct link *l, struct dp_transport *t)
{
	memset(t, 0, sizeof(*t));
	t->fd = -1;
	t->send = dp_tx;
	t->send_ctx = l;
	t->on_event = on_dp_event;
	t->event_ctx = l;
	t->relayed = ice_selected_relayed(l->ice);
	if (!getenv("EVPND_NO_HANDOFF"))
		t->fd = ice_selected_socket(l->ice, &t->addr, &t->addrlen);
	if (t->fd >= 0)
		dp_socket_buffers(t->fd);
	else if (!getenv("EVPND_NO_HANDOFF") && !getenv("EVPND_TURN_SHIM"))
		t->turn_fd = ice_selected_turn(l->ice, &t->turn_server,
					       &t->turn_peer);
	if (t->turn_fd < 0 || !t->turn_peer.ss_family) {
		t->turn_fd = -1;
		t->turn_peer.ss_family = 0;
	} else {
		dp_socket_buffers(t->turn_fd);
	}
}

static void link_dp_name(struct link *l, char *name, size_t size)
{
	snprintf(name, size, "%s:%s", l->lm->name, l->peer->hex);
}

static void on_dtls_up(void *ctx)
{
	struct link *l = ctx;
	struct linkmgr *lm = l->lm;
	struct dp_transport t;
	char name[64];

	link_dp_name(l, name, sizeof(name));
	link_transport(l, &t);
	l->dpl = dp_link_add(lm->cfg.dp, &l->peer->id, name, &t);
	if (!l->dpl) {
		lm_link_fail(l, "datapath refused the link", true);
		return;
	}
	g_hash_table_insert(lm->by_dpl, l->dpl, l);
	if (l->controlling)
		epoch_start(l, 0);
}

static void on_dtls_data(void *ctx, const uint8_t *buf, size_t len)
{
	struct link *l = ctx;

	if (l->st == L_DEAD || !l->dpl)
		return;
	linkctl_input(l, buf, len);
}

static void on_dtls_failed(void *ctx, enum dtls_fail reason, const char *why)
{
	struct link *l = ctx;

	if (reason == DTLS_FAIL_HANDSHAKE || reason == DTLS_FAIL_HANDSHAKE_TIMEOUT)
		l->lm->stats.dtls_refused++;
	if (l->st != L_UP)
		link_setup_outcome(l, false);
	if (reason == DTLS_FAIL_HANDSHAKE && g_str_has_prefix(why, "certificate"))
		lm_peer_problem(l->peer, why);
	lm_link_fail(l, why, true);
}

static const struct dtls_ops link_dtls_ops = {
	.send = dtls_tx,
	.established = on_dtls_up,
	.data = on_dtls_data,
	.failed = on_dtls_failed,
};

static int ensure_dtls(struct link *l)
{
	if (l->dtls)
		return 0;
	l->dtls = dtls_new(l->lm->cfg.identity, l->controlling, l->peer->pres.fp,
			   &l->peer->id, &link_dtls_ops, l);
	if (!l->dtls) {
		lm_link_fail(l, "cannot create DTLS session", true);
		return -1;
	}
	return dtls_start(l->dtls);
}

static void on_ice_candidate(void *ctx, const char *attr)
{
	struct link *l = ctx;
	struct sig_msg m = { .type = SIG_CANDIDATES, .ncands = 1 };

	/* libnice keeps gathering until the agent is freed (next idle) */
	if (l->st == L_DEAD)
		return;
	/* one message per candidate, sent the moment it is known */
	if (g_strlcpy(m.cands[0], attr, sizeof(m.cands[0])) >= sizeof(m.cands[0]))
		return;
	g_debug("%s: %s: local %s", l->lm->name, l->peer->hex, attr);
	sig_send(l, &m);
}

static void on_ice_gathered(void *ctx)
{
	struct link *l = ctx;
	struct sig_msg m = { .type = SIG_EOC };

	if (l->st != L_DEAD)
		sig_send(l, &m);
}

static void on_ice_state(void *ctx, enum ice_state st)
{
	struct link *l = ctx;

	l->ice_st = st;
	if (l->st == L_DEAD)
		return;
	link_progress(l);
	g_message("%s: link to %s: ICE %s after %" G_GINT64_FORMAT " ms",
		  l->lm->name, l->peer->hex, ice_state_name(st),
		  now_ms() - l->t_start);
	if (st == ICE_FAILED) {
		if (l->st != L_UP)
			link_setup_outcome(l, false);
		lm_link_fail(l, "ICE failed", true);
	} else if (st == ICE_CONNECTED && l->controlling) {
		ensure_dtls(l);
	}
}

static void on_ice_recv(void *ctx, uint8_t *buf, size_t len)
{
	struct link *l = ctx;

	gint64 now = now_ms();

	if (l->st == L_DEAD || !len)
		return;
	pace_link_rx(l, now);
	l->last_rx = now;
	l->probes = 0;
	l->gone_at = 0;		/* alive after all: its keepalives decide */
	switch (evpn_classify(buf[0])) {
	case EVPN_PKT_DTLS:
		/* the server side's session starts with the first ClientHello */
		if (!l->dtls && !l->controlling && ensure_dtls(l))
			return;
		if (l->dtls)
			dtls_input(l->dtls, buf, len);
		break;
	case EVPN_PKT_DATA:
	case EVPN_PKT_DATA_UNKNOWN:
		if (l->dpl)
			dp_input(l->lm->cfg.dp, l->dpl, buf, len);
		break;
	default:
		break;
	}
}

/*
 * The datapath cannot move this keyed link to another socket (evpn.ko:
 * re-installing a key would restart its nonce counter). Re-create the
 * datapath link on the new transport without keys and key it with a fresh
 * epoch over the DTLS session, which ICE carries on the new pair as it
 * did on the old one.
 */
static int relink(struct link *l, const struct dp_transport *t)
{
	struct linkmgr *lm = l->lm;
	char name[64];

	g_message("%s: link to %s moves to another socket: re-created, "
		  "new key epoch", lm->name, l->peer->hex);
	g_hash_table_remove(lm->by_dpl, l->dpl);
	dp_link_del(lm->cfg.dp, l->dpl);	/* wipes the keys */
	link_dp_name(l, name, sizeof(name));
	l->dpl = dp_link_add(lm->cfg.dp, &l->peer->id, name, t);
	if (!l->dpl)
		return -1;
	g_hash_table_insert(lm->by_dpl, l->dpl, l);
	linkctl_nbrs_reapply(l);
	pmtu_reapply(l);
	epoch_restart(l);
	return 0;
}

/* ICE moved to another pair: the datapath follows (new socket/remote). */
static void on_ice_pair(void *ctx)
{
	struct link *l = ctx;
	struct dp_transport t;
	int r;

	if (l->st == L_DEAD || !l->dpl)
		return;
	link_transport(l, &t);
	r = dp_link_set_transport(l->dpl, &t);
	if (r == -EBUSY)
		r = relink(l, &t);
	if (r)
		lm_link_fail(l, "datapath refused the new ICE pair", true);
}

static const struct ice_ops link_ice_ops = {
	.candidate = on_ice_candidate,
	.gathering_done = on_ice_gathered,
	.state = on_ice_state,
	.recv = on_ice_recv,
	.pair_changed = on_ice_pair,
};

/*
 * An UP link silent for pace_dead_ms() after LM_DEAD_PROBES unanswered
 * probes is dead; after pace_gone_dead_ms() once the peer's session
 * ended (lm_link_presence_gone()). Its peer is presumed dead too (its
 * presence may linger) unless it showed another sign of life meanwhile
 * (its signalling, a fresh presence): then only this path died. Returns
 * true if it was dead.
 */
static bool dead_check(struct link *l, gint64 now)
{
	gint64 silent = now - l->last_rx;
	guint dead;

	if (l->st != L_UP || l->probes < LM_DEAD_PROBES)
		return false;
	dead = l->gone_at ? pace_gone_dead_ms(l) : pace_dead_ms(l);
	if (silent <= dead || (l->gone_at && now - l->gone_at <= dead))
		return false;
	if (!peer_alive_since(l, l->last_rx))
		lm_suspect(l->peer, "silent");
	lm_link_fail(l, l->gone_at ? "peer's session ended and it is silent: "
		     "link dead" : "peer silent: link dead", false);
	return true;
}

/* Probing a silent link (or one whose peer's session ended): until it is
 * heard again or declared dead. */
static gboolean on_probe(gpointer p)
{
	struct link *l = p;
	gint64 now = now_ms();

	if (l->st != L_UP ||
	    (!l->gone_at && now - l->last_rx < LM_PROBE_AFTER_MS) ||
	    dead_check(l, now)) {
		l->probe_timer = 0;
		return G_SOURCE_REMOVE;
	}
	linkctl_write(l, MSG_PING, l->epoch, MSG_PING_PROBE);
	l->probes++;
	return G_SOURCE_CONTINUE;
}

/*
 * The server says the peer's XMPP session ended (unavailable presence)
 * while this link is UP. Strong evidence that the peer is gone (a killed
 * node's socket closes, the server ends its session), but not proof that
 * the path died: a peer may lose only its server and keep its links, which
 * live on their own keepalives (the presence grace decides about those).
 * So probe now, every LM_PROBE_MS: a live peer answers at once (and
 * anything heard from it ends this), a dead one is called dead after
 * pace_gone_dead_ms() instead of the full dead time, and the routes stop
 * using it within about a second.
 */
void lm_link_presence_gone(struct link *l)
{
	if (l->st != L_UP || l->gone_at)
		return;
	l->gone_at = now_ms();
	l->probes = 0;
	g_message("%s: link to %s: the peer's session ended: probing",
		  l->lm->name, l->peer->hex);
	linkctl_write(l, MSG_PING, l->epoch, MSG_PING_PROBE);
	l->probes++;
	clear_timer(&l->probe_timer);
	l->probe_timer = g_timeout_add(LM_PROBE_MS, on_probe, l);
}

static void send_request(struct link *l)
{
	l->t_sent = now_ms();
	l->req_sends++;
	send_offer(l, SIG_REQUEST, l->lm->cfg.suites);
}

/*
 * Crossed requests: ours (we are the higher node ID) wins, and the peer's
 * was ignored (on_request()). The peer accepts ours when it sees it --
 * unless it never will: it dropped ours (it did not know us yet: our
 * request reached it before our presence did, or before its operator
 * accepted our new key) and then asked itself. Then neither side would move
 * until a timeout, and the peer's unanswered request would even presume us
 * dead. So we send ours again (same sid): a peer that dropped it accepts it
 * now; one that has it answers the copy with its accept again. In the
 * common crossing (both asked at once, ours still on its way) the copy is
 * not needed: it waits until ours is one deferral old (pace_defer_ms(),
 * srtt + 2 rttvar: time for the peer's accept to come back), checked on
 * the link's tick, and is not sent once the accept has come. At most one
 * copy per deferral, and not counted as a try (request_check()).
 */
static void cross_check(struct link *l, gint64 now)
{
	if (!l->crossed || l->st != L_REQUESTED ||
	    now - l->t_sent < pace_defer_ms(l->lm))
		return;
	l->crossed = false;
	l->t_sent = now;
	l->lm->stats.cross_resends++;
	g_message("%s: link to %s: the peer asked too, not knowing our "
		  "request: sending it again", l->lm->name, l->peer->hex);
	send_offer(l, SIG_REQUEST, l->lm->cfg.suites);
}

/* A peer heard from lately (signalling, a fresh presence) gets
 * LM_ANSWER_TRIES tries; one silent for LM_ANSWER_MIN_AGE_MS before we
 * asked (a killed node whose session lingers looks like this) gets one. */
static guint request_tries(const struct link *l)
{
	return l->peer->last_heard < l->t_start - LM_ANSWER_MIN_AGE_MS ?
	       1 : LM_ANSWER_TRIES;
}

/*
 * Our request is unanswered. XMPP does not lose messages between two live
 * sessions, so a late answer means a slow server or a busy peer, not a
 * lost request: each try waits pace_answer_ms() (the signalling RTO) and
 * sends the request again (the same sid: the peer answers a duplicate with
 * its accept again). Only after request_tries() tries with nothing heard
 * from the peer, while the server did deliver others' messages to us, is
 * the peer presumed dead. Returns true if the link was failed.
 */
static bool request_check(struct link *l, gint64 now)
{
	struct linkmgr *lm = l->lm;

	if (now - l->t_sent < pace_answer_ms(lm))
		return false;
	if (l->req_sends == 1)
		lm->stats.answers_late++;
	if (l->req_sends < request_tries(l)) {
		send_request(l);
		return false;
	}
	if (peer_alive_since(l, l->t_start))
		return false;	/* alive but slow: wait (setup_check() ends it) */
	if (lm->last_sig_rx <= l->t_sent &&
	    now - l->t_sent < 2 * (gint64)pace_answer_ms(lm))
		return false;	/* nothing reached us at all: our server may be
				 * slow; one timeout more */
	lm_suspect(l->peer, "no answer to our request");
	link_setup_outcome(l, false);
	lm_link_fail(l, "no answer", true);
	return true;
}

/* A setup without progress for pace_setup_ms(), or older than four times
 * that, has failed. */
static void setup_check(struct link *l, gint64 now)
{
	guint ms = pace_setup_ms(l->lm);

	if (now - l->t_progress < ms && now - l->t_start < 4 * (gint64)ms)
		return;
	/* never answered, and not a word from the peer since we asked */
	if (l->st == L_REQUESTED && !peer_alive_since(l, l->t_start))
		lm_suspect(l->peer, "no answer to our request");
	link_setup_outcome(l, false);
	lm_link_fail(l, l->ice_st == ICE_CONNECTED ? "DTLS/key setup timed out"
						  : "ICE setup timed out", true);
}

static gboolean on_tick(gpointer p)
{
	struct link *l = p;
	gint64 now = now_ms();

	if (l->st == L_DEAD)
		return G_SOURCE_CONTINUE;
	pace_tick_link(l, now);
	/* every keepalive is a probe: its answer measures the round trip */
	if (l->dtls && dtls_established(l->dtls)) {
		linkctl_write(l, MSG_PING, l->epoch, MSG_PING_PROBE);
		l->ping_sent_us = g_get_monotonic_time();
	}
	if (dead_check(l, now))
		return G_SOURCE_CONTINUE;
	if (l->st == L_UP && now - l->last_rx >= LM_PROBE_AFTER_MS &&
	    !l->probe_timer) {
		linkctl_write(l, MSG_PING, l->epoch, MSG_PING_PROBE);
		l->probes++;
		l->probe_timer = g_timeout_add(LM_PROBE_MS, on_probe, l);
	}
	if (l->st == L_REQUESTED)
		cross_check(l, now);
	if (l->st == L_REQUESTED && request_check(l, now))
		return G_SOURCE_CONTINUE;
	if (l->st != L_UP) {
		setup_check(l, now);
		return G_SOURCE_CONTINUE;
	}
	if (l->nbrs_sent && l->nbrs_acked != l->nbrs_sent)
		linkctl_nbrs_send(l);		/* lost on the way: again */
	epoch_check(l, now);
	return G_SOURCE_CONTINUE;
}

static struct link *link_new(struct peer *pe, uint32_t sid, bool initiator)
{
	struct linkmgr *lm = pe->lm;
	struct link *l = g_new0(struct link, 1);

	l->lm = lm;
	l->peer = pe;
	l->sid = sid;
	l->initiator = initiator;
	l->controlling = is_self_higher(lm, &pe->id);
	l->st = initiator ? L_REQUESTED : L_CONNECTING;
	l->rtt_us = -1;
	l->pending = g_ptr_array_new_with_free_func(g_free);
	l->t_start = l->last_rx = l->t_progress = now_ms();
	l->ice = ice_new(&lm->ice, l->controlling, &link_ice_ops, l);
	if (!l->ice) {
		g_ptr_array_free(l->pending, TRUE);
		g_free(l);
		return NULL;
	}
	l->tick_timer = g_timeout_add(LM_KEEPALIVE_MS, on_tick, l);
	pe->link = l;
	return l;
}

void lm_link_destroy(struct link *l)
{
	struct linkmgr *lm = l->lm;

	clear_timer(&l->ctl_timer);
	clear_timer(&l->retire_timer);
	clear_timer(&l->tick_timer);
	clear_timer(&l->probe_timer);
	pmtu_stop(l);
	clear_timer(&l->free_idle);
	if (l->dpl) {
		g_hash_table_remove(lm->by_dpl, l->dpl);
		dp_link_del(lm->cfg.dp, l->dpl);	/* wipes the keys */
	}
	EVP_PKEY_free(l->eph);
	dtls_free(l->dtls);
	ice_free(l->ice);
	g_ptr_array_free(l->pending, TRUE);
	if (l->peer && l->peer->link == l)
		l->peer->link = NULL;
	g_free(l);
}

static gboolean on_free(gpointer p)
{
	struct link *l = p;

	l->free_idle = 0;
	lm_link_destroy(l);
	return G_SOURCE_REMOVE;
}

/*
 * Tear down: detach from the peer now (a new attempt may start at once),
 * free on the next idle (we may be inside an ICE/DTLS callback).
 */
void lm_link_fail(struct link *l, const char *why, bool tell_peer)
{
	struct linkmgr *lm = l->lm;
	struct peer *pe = l->peer;

	if (l->st == L_DEAD)
		return;
	if (tell_peer) {
		struct sig_msg m = { .type = SIG_CLOSE };

		g_strlcpy(m.reason, why, sizeof(m.reason));
		if (l->dtls && dtls_established(l->dtls))
			linkctl_write(l, MSG_CLOSE, 0, 0);
		sig_send(l, &m);
	}
	g_message("%s: link to %s %s: %s", lm->name, pe->hex,
		  l->st == L_UP ? "down" : "failed", why);
	if (l->st != L_UP)
		lm->stats.links_failed++;
	g_strlcpy(l->why, why, sizeof(l->why));
	l->st = L_DEAD;
	pmtu_stop(l);
	if (l->dpl) {	/* stop forwarding over it right away */
		g_hash_table_remove(lm->by_dpl, l->dpl);
		dp_link_del(lm->cfg.dp, l->dpl);
		l->dpl = NULL;
	}
	pe->link = NULL;
	l->peer = NULL;
	l->free_idle = g_idle_add_full(G_PRIORITY_DEFAULT, on_free, l, NULL);
	if (pe->probing)	/* the probe failed without a word from it */
		lm_suspect(pe, "no answer to a probe");
	lm_backoff(pe);
	lm_reevaluate(lm);
}

/* We ask for a link. */
void lm_link_request(struct peer *pe)
{
	struct link *l = link_new(pe, random_nonzero(), true);

	if (!l) {
		lm_backoff(pe);
		return;
	}
	g_message("%s: requesting link to %s (%s)", pe->lm->name, pe->hex,
		  l->controlling ? "controlling" : "controlled");
	send_request(l);
	if (ice_gather(l->ice))
		lm_link_fail(l, "cannot gather candidates", true);
}

static void apply_pending(struct link *l)
{
	guint i;

	for (i = 0; i < l->pending->len; i++)
		if (ice_add_remote_candidate(l->ice,
					     g_ptr_array_index(l->pending, i)) > 0)
			l->lm->stats.cands_ignored++;
	g_ptr_array_set_size(l->pending, 0);
}

/* Preference order: AES-256-GCM (AES-NI), then ChaCha20-Poly1305. */
static int pick_suite(unsigned int common, enum dp_suite *out)
{
	if (common & SIG_SUITE_AES256GCM)
		*out = DP_SUITE_AES256GCM;
	else if (common & SIG_SUITE_CHACHA20POLY1305)
		*out = DP_SUITE_CHACHA20POLY1305;
	else
		return -1;
	return 0;
}

/*
 * The topology's admission check (Symphony: at most 2k incoming long
 * links). A refused requester gets a close with reason "full", backs off
 * and, its topology seeing BACKOFF on that slot, draws another target.
 */
static bool accept_request(struct linkmgr *lm, struct peer *pe,
			   const struct sig_msg *m)
{
	struct sig_msg c = { .type = SIG_CLOSE, .sid = m->sid };
	struct link tmp = { .lm = lm, .peer = pe, .sid = m->sid };

	if (lm->cfg.topology != &topology_symphony ||
	    topology_symphony_accept(lm->topo, &pe->id))
		return true;
	g_message("%s: refusing link from %s: in-degree cap reached", lm->name,
		  pe->hex);
	g_strlcpy(c.reason, "full", sizeof(c.reason));
	sig_send(&tmp, &c);
	return false;
}

static void on_request(struct peer *pe, const struct sig_msg *m)
{
	struct linkmgr *lm = pe->lm;
	struct link *l = pe->link;
	enum dp_suite suite;

	if (l && l->sid == m->sid) {
		/* the requester's next try: our accept is late, or lost with
		 * a session of the server; say it again */
		if (!l->initiator && l->st != L_DEAD)
			send_offer(l, SIG_ACCEPT, 1u << l->suite);
		return;
	}
	if (l && l->initiator && l->st == L_REQUESTED &&
	    is_self_higher(lm, &pe->id)) {
		/* crossed requests: the higher node ID's request wins; the
		 * peer answers ours, which we send again if it may not have
		 * it (cross_check()) */
		l->crossed = true;
		cross_check(l, now_ms());
		return;
	}
	if (!accept_request(lm, pe, m))
		return;
	/* Ours lost the tie; or the peer accepted ours and now asks anew
	 * (XMPP keeps one sender's messages in order, so its request came
	 * after its accept: it dropped that attempt, which cannot finish);
	 * or the peer restarted. */
	if (l)
		lm_link_fail(l, "superseded by the peer's request", false);
	if (pick_suite(m->suites & lm->cfg.suites, &suite)) {
		struct sig_msg c = { .type = SIG_CLOSE, .sid = m->sid };
		struct link tmp = { .lm = lm, .peer = pe, .sid = m->sid };

		g_strlcpy(c.reason, "no common suite", sizeof(c.reason));
		sig_send(&tmp, &c);
		return;
	}
	clear_timer(&pe->retry_timer);
	l = link_new(pe, m->sid, false);
	if (!l)
		return;
	l->suite = suite;
	g_message("%s: accepting link from %s (%s)", lm->name, pe->hex,
		  l->controlling ? "controlling" : "controlled");
	if (ice_set_remote_credentials(l->ice, m->ufrag, m->pwd)) {
		lm_link_fail(l, "bad ICE credentials", true);
		return;
	}
	l->remote_creds = true;
	send_offer(l, SIG_ACCEPT, 1u << suite);	/* SIG_SUITE_* bit = suite */
	if (ice_gather(l->ice))
		lm_link_fail(l, "cannot gather candidates", true);
}

static void on_accept(struct link *l, const struct sig_msg *m)
{
	if (l->st != L_REQUESTED)
		return;
	if (pick_suite(m->suites & l->lm->cfg.suites, &l->suite)) {
		lm_link_fail(l, "peer chose a suite we did not offer", true);
		return;
	}
	if (ice_set_remote_credentials(l->ice, m->ufrag, m->pwd)) {
		lm_link_fail(l, "bad ICE credentials", true);
		return;
	}
	l->remote_creds = true;
	l->st = L_CONNECTING;
	apply_pending(l);
}

static void on_candidates(struct link *l, const struct sig_msg *m)
{
	int i;

	for (i = 0; i < m->ncands; i++) {
		g_debug("%s: %s: remote %s", l->lm->name, l->peer->hex, m->cands[i]);
		if (!l->remote_creds) {
			if (l->pending->len < MAX_PENDING_CANDS)
				g_ptr_array_add(l->pending, g_strdup(m->cands[i]));
		} else {
			int r = ice_add_remote_candidate(l->ice, m->cands[i]);

			if (r < 0)
				l->lm->stats.sig_bad++;
			else if (r > 0)
				l->lm->stats.cands_ignored++;
		}
	}
}

void linkmgr_message(struct linkmgr *lm, const char *jid,
		     const struct sig_msg *m)
{
	struct peer *pe = g_hash_table_lookup(lm->by_jid, jid);
	struct link *l;

	lm->stats.sig_in++;
	if (!pe)
		return;
	if (!m) {
		lm->stats.sig_bad++;
		g_message("%s: malformed signalling from %s (ignored)", lm->name, jid);
		return;
	}
	lm->last_sig_rx = now_ms();
	if (!evpn_id_eq(&m->from, &pe->id) || !evpn_id_eq(&m->to, &lm->cfg.self)) {
		lm->stats.sig_spoofed++;
		g_message("%s: signalling from %s names the wrong node IDs "
			  "(ignored)", lm->name, jid);
		return;
	}
	pe->last_heard = now_ms();
	lm_unsuspect(pe);
	if (m->type == SIG_REQUEST) {
		if (pace_request_allowed(pe))
			on_request(pe, m);
		return;
	}
	l = pe->link;
	if (!l || l->sid != m->sid) {
		lm->stats.sig_stale++;
		return;
	}
	if (l->st == L_REQUESTED &&
	    (m->type == SIG_ACCEPT || m->type == SIG_CLOSE))
		pace_rtt_sample(lm, now_ms() - l->t_start);
	link_progress(l);
	switch (m->type) {
	case SIG_ACCEPT:
		on_accept(l, m);
		break;
	case SIG_CANDIDATES:
		on_candidates(l, m);
		break;
	case SIG_EOC:
		if (l->remote_creds)
			ice_remote_end_of_candidates(l->ice);
		break;
	case SIG_CLOSE:
		lm_link_fail(l, m->reason[0] ? m->reason : "closed by peer", false);
		break;
	default:
		break;
	}
}
