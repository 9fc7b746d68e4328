// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Link manager: signalling -> ICE -> DTLS -> datapath link, per peer.
 *
 * Life of a link (docs/signalling.md has the message-level view):
 *   REQUESTED   we sent <link type='request'> and gather/trickle candidates
 *   CONNECTING  both ICE credentials known; ICE checks, then DTLS (the
 *               controlling side, higher node ID, is the DTLS client), then
 *               the in-band key exchange for epoch 0
 *   UP          keys installed both ways; keepalives; rekeys
 *   DEAD        torn down (deferred free), peer backs off before retrying
 *
 * In-band link control (DTLS application data, so it keeps working while
 * the XMPP server is away): 9-byte messages type(1) epoch(BE32) key_id(BE32)
 *   KEYID  "I accept records of @epoch under receive key ID @key_id"; for
 *          epoch >= 1 followed by a fresh X25519 public key (41 bytes) that
 *          is mixed into the epoch's keys (rekey.h)
 *   KEYACK "I installed @epoch for transmit too: switch"
 *   PING   keepalive (anything received counts as liveness); key_id 1 =
 *          a probe of a silent link: answer with a PING at once
 *   CLOSE  orderly teardown
 *   NBRS / NBRS_ACK  our UP links' peer IDs for the neighbour's 1-lookahead
 *          routing (nbrs.h): sent on link up and whenever the set of UP
 *          links changes (coalesced with reevaluate()), retransmitted at
 *          each tick until acknowledged; the receiver keeps the newest
 *          seq per link in the datapath link, so it dies with the link
 * The controlling side starts an epoch with KEYID; the other side installs
 * the epoch's keys in the NEXT slot and answers KEYID; the controlling side
 * installs them in NEXT, swaps to transmit with them and sends KEYACK; the
 * other side swaps. Each side retransmits its message until the answer
 * comes, so a lost record only delays. The old key stays acceptable for
 * LM_RETIRE_GRACE_MS, then is wiped: no loss across a rekey.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <openssl/crypto.h>

#include "dtls.h"
#include "keys.h"
#include "linkmgr.h"
#include "nbrs.h"
#include "rekey.h"
#include "topology/symphony_ops.h"

#define CTL_KEYID	1
#define CTL_KEYACK	2
#define CTL_PING	3
#define CTL_PING_PROBE	1	/* PING key_id: "answer now" */
#define CTL_CLOSE	4
#define CTL_LEN		9
#define CTL_LEN_PUB	(CTL_LEN + REKEY_PUB_LEN)
#define CTL_RETX_MS	300
#define CTL_MAX_TRIES	30
#define MAX_PENDING_CANDS 32

enum lstate { L_REQUESTED, L_CONNECTING, L_UP, L_DEAD };
static const char *const lstate_names[] = { "requested", "connecting", "up",
					    "dead" };

struct peer;

struct link {
	struct linkmgr *lm;
	struct peer *peer;
	uint32_t sid;
	bool controlling, initiator;
	enum lstate st;
	struct ice *ice;
	enum ice_state ice_st;
	struct dtls *dtls;
	bool remote_creds;
	GPtrArray *pending;		/* remote candidates before creds */
	enum dp_suite suite;
	struct dp_link *dpl;
	/* keys */
	uint32_t epoch;			/* transmitting with this one */
	bool have_current;
	uint32_t pend_epoch, pend_rx_id;
	bool pend_active;		/* an epoch is being negotiated */
	bool pend_installed;		/* (non-controlling) NEXT holds it */
	uint8_t ctl_msg[CTL_LEN_PUB];
	size_t ctl_len;
	EVP_PKEY *eph;			/* our X25519 key for pend_epoch >= 1 */
	bool ctl_pending;
	int ctl_tries;
	guint ctl_timer, retire_timer, tick_timer, setup_timer, free_idle;
	guint probe_timer;		/* silent UP link: probing */
	gint64 epoch_started;
	uint64_t epoch_pkts_base;
	gint64 t_start, t_up, last_rx;
	/* link lists: ours sent (seq) and acknowledged; the peer's newest */
	uint32_t nbrs_sent, nbrs_acked, nbrs_rx_seq;
	int nbrs_rx_len;
	char why[64];
};

struct peer {
	struct linkmgr *lm;
	struct evpn_id id;
	char hex[EVPN_ID_HEXLEN + 1];
	char *jid;			/* NULL while not present */
	struct sig_presence pres;
	struct link *link;
	guint retry_timer;
	guint grace_timer;		/* UP link, peer's presence gone */
	guint backoff_ms;
	bool want;
	bool deferred;		/* the lower ID waited once for the peer's request */
	bool deferring;		/* retry_timer is that wait, not a backoff */
	guint suspect_timer;	/* running: presumed dead, hidden from the topology */
	gint64 present_since;	/* ms, when this presence (session) appeared */
	guint suspect_count;	/* suspicions in a row: each doubles the period */
};

struct linkmgr {
	struct linkmgr_config cfg;
	struct ice_config ice;
	char *name;
	const struct linkmgr_ops *ops;
	void *ctx;
	void *topo;
	GHashTable *peers;		/* hex id -> struct peer */
	GHashTable *by_jid;		/* full JID -> struct peer (weak) */
	GHashTable *by_dpl;		/* struct dp_link * -> struct link */
	guint reeval_idle;
	bool online;
	struct lm_stats stats;
	/* the link list we advertise (sorted peer IDs of UP links) */
	struct evpn_id adv[EVPN_MAX_NBR_IDS];
	int nadv;
	uint32_t adv_seq;
	bool no_lookahead;	/* EVPND_NO_LOOKAHEAD: advertise nothing */
};

static void link_fail(struct link *l, const char *why, bool tell_peer);
static void reevaluate(struct linkmgr *lm);

/* ---- helpers ---------------------------------------------------------- */

static gint64 now_ms(void)
{
	return g_get_monotonic_time() / 1000;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v;
}

static uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

static uint32_t random_nonzero(void)
{
	uint32_t v;

	do
		v = g_random_int();
	while (!v);
	return v;
}

static void clear_timer(guint *t)
{
	if (*t)
		g_source_remove(*t);
	*t = 0;
}

static gboolean on_unsuspect(gpointer p);

/*
 * A peer that went silent on an UP link is presumed dead for LM_SUSPECT_MS even though its presence may linger (a
 * server holding a killed client's session for stream resumption keeps it
 * "available" for minutes): the topology does not see it, so the ring
 * closes around it at once. Anything heard from the peer (signalling, a
 * new presence) ends the suspicion. So does a request left unanswered
 * for LM_ANSWER_MS by a peer whose presence is older than
 * LM_ANSWER_MIN_AGE_MS (a node that died before we ever linked to it),
 * or for the whole LM_SETUP_TIMEOUT_MS by a fresh one (a shorter wait
 * would misfire at a simultaneous start, when the XMPP server can delay
 * requests by seconds, and both ends hiding each other would open a gap
 * in the ring). A presence's age counts from when it was sent, per the
 * XEP-0203 stamp on presences the server replays to a newcomer (else a
 * newcomer would see every presence fresh, and wait on each killed node
 * whose session lingers until that presence is LM_ANSWER_MIN_AGE_MS old).
 */
static void suspect(struct peer *pe, const char *why)
{
	guint ms = LM_SUSPECT_MS << MIN(pe->suspect_count, 4u);

	if (!pe->suspect_timer) {
		pe->suspect_count++;
		g_message("%s: %s presumed dead for %u s: %s", pe->lm->name,
			  pe->hex, ms / 1000, why);
	}
	clear_timer(&pe->suspect_timer);
	pe->suspect_timer = g_timeout_add(ms, on_unsuspect, pe);
}

static bool is_self_higher(const struct linkmgr *lm, const struct evpn_id *peer)
{
	return evpn_id_cmp(&lm->cfg.self, peer) > 0;
}

/* ---- signalling out --------------------------------------------------- */

static void sig_send(struct link *l, struct sig_msg *m)
{
	struct linkmgr *lm = l->lm;
	xmpp_stanza_t *el;

	if (!l->peer || !l->peer->jid)	/* dead link: detached from its peer */
		return;
	m->from = lm->cfg.self;
	m->to = l->peer->id;
	m->sid = l->sid;
	el = sig_build(lm->ops->xmpp_ctx(lm->ctx), m);
	if (!el) {
		g_warning("%s: cannot build %s for %s", lm->name,
			  sig_type_name(m->type), l->peer->hex);
		return;
	}
	if (lm->ops->send(lm->ctx, l->peer->jid, el) == 0)
		lm->stats.sig_out++;
}

static void send_offer(struct link *l, enum sig_type type, unsigned int suites)
{
	struct sig_msg m = { .type = type, .suites = suites };

	g_strlcpy(m.ufrag, ice_local_ufrag(l->ice), sizeof(m.ufrag));
	g_strlcpy(m.pwd, ice_local_pwd(l->ice), sizeof(m.pwd));
	sig_send(l, &m);
}

/* ---- in-band control over DTLS ---------------------------------------- */

static void ctl_write(struct link *l, uint8_t type, uint32_t epoch, uint32_t id)
{
	uint8_t m[CTL_LEN];

	m[0] = type;
	put_be32(m + 1, epoch);
	put_be32(m + 5, id);
	dtls_write(l->dtls, m, sizeof(m));
}

static gboolean on_ctl_retx(gpointer p)
{
	struct link *l = p;

	if (++l->ctl_tries > CTL_MAX_TRIES) {
		l->ctl_timer = 0;
		link_fail(l, "key exchange timed out", true);
		return G_SOURCE_REMOVE;
	}
	dtls_write(l->dtls, l->ctl_msg, l->ctl_len);
	return G_SOURCE_CONTINUE;
}

/* Send and keep retransmitting until ctl_done(). @pub: NULL or an X25519
 * public key to append. */
static void ctl_send_reliable(struct link *l, uint8_t type, uint32_t epoch,
			      uint32_t id, const uint8_t *pub)
{
	l->ctl_msg[0] = type;
	put_be32(l->ctl_msg + 1, epoch);
	put_be32(l->ctl_msg + 5, id);
	l->ctl_len = CTL_LEN;
	if (pub) {
		memcpy(l->ctl_msg + CTL_LEN, pub, REKEY_PUB_LEN);
		l->ctl_len = CTL_LEN_PUB;
	}
	l->ctl_pending = true;
	l->ctl_tries = 0;
	clear_timer(&l->ctl_timer);
	dtls_write(l->dtls, l->ctl_msg, l->ctl_len);
	l->ctl_timer = g_timeout_add(CTL_RETX_MS, on_ctl_retx, l);
}

static void ctl_done(struct link *l)
{
	l->ctl_pending = false;
	clear_timer(&l->ctl_timer);
}

/* Our current link list to @l's peer (again, until acknowledged). */
static void nbrs_send(struct link *l)
{
	struct linkmgr *lm = l->lm;
	uint8_t m[NBRS_MAX_LEN];
	size_t len = nbrs_encode(m, sizeof(m), lm->adv_seq, lm->adv, lm->nadv);

	if (!len || !l->dtls || !dtls_established(l->dtls))
		return;
	dtls_write(l->dtls, m, len);
	l->nbrs_sent = lm->adv_seq;
}

static void on_nbrs(struct link *l, const uint8_t *buf, size_t len)
{
	struct linkmgr *lm = l->lm;
	struct evpn_id ids[EVPN_MAX_NBR_IDS];
	uint32_t seq;
	int n;

	if (nbrs_parse(buf, len, &l->peer->id, &seq, ids, &n)) {
		lm->stats.nbrs_bad++;
		g_debug("%s: %s: malformed link list (ignored)", lm->name,
			l->peer->hex);
		return;
	}
	lm->stats.nbrs_in++;
	ctl_write(l, NBRS_ACK_TYPE, seq, 0);	/* also for a stale one */
	if (seq <= l->nbrs_rx_seq)
		return;
	if (dp_link_set_nbrs(l->dpl, ids, n))
		return;
	l->nbrs_rx_seq = seq;
	l->nbrs_rx_len = n;
}

static int id_order(const void *a, const void *b)
{
	return evpn_id_cmp(a, b);
}

/*
 * After every reevaluation: if the set of UP links changed, a new list
 * (new seq) goes to every UP link; a link that came up gets the current
 * one. At most EVPN_MAX_NBR_IDS: a subset of our links is still true,
 * which is all 1-lookahead needs (docs/topology.md).
 */
static void nbrs_advertise(struct linkmgr *lm)
{
	struct evpn_id cur[EVPN_MAX_NBR_IDS];
	GHashTableIter it;
	gpointer v;
	int n = 0;

	if (lm->no_lookahead)
		return;
	g_hash_table_iter_init(&it, lm->peers);
	while (g_hash_table_iter_next(&it, NULL, &v) && n < EVPN_MAX_NBR_IDS) {
		struct peer *pe = v;

		if (pe->link && pe->link->st == L_UP)
			cur[n++] = pe->id;
	}
	qsort(cur, n, sizeof(cur[0]), id_order);
	if (n != lm->nadv || memcmp(cur, lm->adv, n * sizeof(cur[0]))) {
		memcpy(lm->adv, cur, n * sizeof(cur[0]));
		lm->nadv = n;
		lm->adv_seq++;
	}
	g_hash_table_iter_init(&it, lm->peers);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		struct peer *pe = v;

		if (pe->link && pe->link->st == L_UP &&
		    pe->link->nbrs_sent != lm->adv_seq)
			nbrs_send(pe->link);
	}
}

/* ---- keys ------------------------------------------------------------- */

static gboolean on_retire(gpointer p)
{
	struct link *l = p;

	l->retire_timer = 0;
	if (l->dpl)
		dp_link_retire_key(l->dpl, DP_SLOT_NEXT);
	return G_SOURCE_REMOVE;
}

/*
 * Derive generation @epoch's keys and install them in the NEXT slot, with
 * @tx_id chosen by the peer and @rx_id by us. Exporter context = BE64(epoch)
 * (docs/protocol.md 5.1), generation 0 included.
 */
static int install_next(struct link *l, uint32_t epoch, uint32_t tx_id,
			uint32_t rx_id, const uint8_t *peer_pub)
{
	uint8_t km[EVPN_KEYMAT_LEN], ctx[8] = { 0 };
	struct evpn_dir_key tx, rx;
	struct dp_key_dir dtx, drx;
	int r = -1;

	put_be32(ctx + 4, epoch);
	if (dtls_export(l->dtls, ctx, sizeof(ctx), km, sizeof(km)))
		goto out;
	/* generations >= 1: mix in the fresh exchange, then forget our half */
	if (epoch && (!l->eph || !peer_pub ||
		      rekey_mix(l->eph, peer_pub, epoch, km, sizeof(km))))
		goto out;
	if (evpn_keys_split(km, &l->lm->cfg.self, &l->peer->id, &tx, &rx))
		goto out;
	memcpy(dtx.key, tx.key, sizeof(dtx.key));
	memcpy(dtx.iv, tx.iv, sizeof(dtx.iv));
	dtx.key_id = tx_id;
	memcpy(drx.key, rx.key, sizeof(drx.key));
	memcpy(drx.iv, rx.iv, sizeof(drx.iv));
	drx.key_id = rx_id;
	clear_timer(&l->retire_timer);
	r = dp_link_set_keys(l->dpl, DP_SLOT_NEXT, l->suite, &dtx, &drx);
	if (r)
		g_warning("%s: %s: cannot install keys: %s", l->lm->name,
			  l->peer->hex, g_strerror(-r));
out:
	EVP_PKEY_free(l->eph);
	l->eph = NULL;
	OPENSSL_cleanse(km, sizeof(km));
	OPENSSL_cleanse(&tx, sizeof(tx));
	OPENSSL_cleanse(&rx, sizeof(rx));
	OPENSSL_cleanse(&dtx, sizeof(dtx));
	OPENSSL_cleanse(&drx, sizeof(drx));
	return r;
}

static void link_up(struct link *l)
{
	struct linkmgr *lm = l->lm;
	char pair[160];

	l->st = L_UP;
	l->t_up = now_ms();
	clear_timer(&l->setup_timer);
	l->peer->backoff_ms = 0;
	lm->stats.links_up++;
	ice_selected_describe(l->ice, pair, sizeof(pair));
	g_message("%s: link to %s up in %" G_GINT64_FORMAT " ms (%s, %s, %s)",
		  lm->name, l->peer->hex, l->t_up - l->t_start,
		  ice_selected_relayed(l->ice) ? "relayed" : "direct", pair,
		  dp_suite_name(l->suite));
	reevaluate(lm);
}

/* Both sides now transmit with @epoch. */
static void swapped(struct link *l, uint32_t epoch)
{
	bool first = !l->have_current;

	dp_link_swap_keys(l->dpl);
	l->epoch = epoch;
	l->have_current = true;
	l->pend_active = l->pend_installed = false;
	l->epoch_started = now_ms();
	{
		const struct dp_counters *c = dp_link_counters(l->dpl);

		l->epoch_pkts_base = c->tx_packets + c->rx_packets;
	}
	if (first) {
		link_up(l);
	} else {
		l->lm->stats.rekeys++;
		g_message("%s: link to %s rekeyed (epoch %u)", l->lm->name,
			  l->peer->hex, epoch);
		l->retire_timer = g_timeout_add(LM_RETIRE_GRACE_MS, on_retire, l);
	}
}

/* Controlling side: start negotiating @epoch. */
static void start_epoch(struct link *l, uint32_t epoch)
{
	uint8_t pub[REKEY_PUB_LEN];

	EVP_PKEY_free(l->eph);
	l->eph = NULL;
	if (epoch && !(l->eph = rekey_eph_new(pub))) {
		link_fail(l, "cannot make an ephemeral key", true);
		return;
	}
	l->pend_active = true;
	l->pend_epoch = epoch;
	l->pend_rx_id = random_nonzero();
	ctl_send_reliable(l, CTL_KEYID, epoch, l->pend_rx_id, epoch ? pub : NULL);
}

static void on_keyid(struct link *l, uint32_t epoch, uint32_t id,
		     const uint8_t *pub)
{
	uint8_t mine[REKEY_PUB_LEN];

	if (!id || (epoch && !pub))
		return;		/* rekeys must carry the fresh exchange */
	if (l->controlling) {
		if (l->pend_active && epoch == l->pend_epoch) {
			if (install_next(l, epoch, id, l->pend_rx_id, pub)) {
				link_fail(l, "key install failed", true);
				return;
			}
			ctl_done(l);
			swapped(l, epoch);
			ctl_write(l, CTL_KEYACK, epoch, 0);
		} else if (l->have_current && epoch == l->epoch) {
			ctl_write(l, CTL_KEYACK, epoch, 0);	/* ack was lost */
		}
		return;
	}
	if (l->pend_installed && epoch == l->pend_epoch) {
		dtls_write(l->dtls, l->ctl_msg, l->ctl_len);	/* dup */
		return;
	}
	if (l->have_current && epoch <= l->epoch)
		return;		/* stale */
	EVP_PKEY_free(l->eph);
	l->eph = NULL;
	if (epoch && !(l->eph = rekey_eph_new(mine))) {
		link_fail(l, "cannot make an ephemeral key", true);
		return;
	}
	l->pend_epoch = epoch;
	l->pend_rx_id = random_nonzero();
	if (install_next(l, epoch, id, l->pend_rx_id, pub)) {
		link_fail(l, "key install failed", true);
		return;
	}
	l->pend_active = l->pend_installed = true;
	ctl_send_reliable(l, CTL_KEYID, epoch, l->pend_rx_id,
			  epoch ? mine : NULL);
}

static void on_keyack(struct link *l, uint32_t epoch)
{
	if (l->controlling || !l->pend_installed || epoch != l->pend_epoch)
		return;
	ctl_done(l);
	swapped(l, epoch);
}

/* ---- DTLS callbacks --------------------------------------------------- */

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
			start_epoch(l, l->epoch + 1);
		break;
	case DP_EVENT_UNREACHABLE:
		/* ICE consent and our pings decide whether the path is dead;
		 * ask ICE's view now rather than at the next tick */
		if (l->ice_st == ICE_FAILED)
			link_fail(l, "peer unreachable", false);
		break;
	}
}

/*
 * The link's transport: the ICE-selected socket itself when the local
 * candidate is not a TURN relay (the socket handoff: the datapath sends
 * on it -- evpn.ko also receives the records on it, through its encap hook,
 * while STUN/DTLS still reach libnice), else nice_agent_send. The
 * environment variable EVPND_NO_HANDOFF keeps every link on libnice (for
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
}

static void on_dtls_up(void *ctx)
{
	struct link *l = ctx;
	struct linkmgr *lm = l->lm;
	struct dp_transport t;
	char name[64];

	snprintf(name, sizeof(name), "%s:%s", lm->name, l->peer->hex);
	link_transport(l, &t);
	l->dpl = dp_link_add(lm->cfg.dp, &l->peer->id, name, &t);
	if (!l->dpl) {
		link_fail(l, "datapath refused the link", true);
		return;
	}
	g_hash_table_insert(lm->by_dpl, l->dpl, l);
	if (l->controlling)
		start_epoch(l, 0);
}

static void on_dtls_data(void *ctx, const uint8_t *buf, size_t len)
{
	struct link *l = ctx;

	if (l->st == L_DEAD || !l->dpl)
		return;
	if (len && buf[0] == NBRS_TYPE) {
		on_nbrs(l, buf, len);
		return;
	}
	if (len != CTL_LEN && len != CTL_LEN_PUB)
		return;
	if (len == CTL_LEN_PUB && buf[0] != CTL_KEYID)
		return;
	switch (buf[0]) {
	case CTL_KEYID:
		on_keyid(l, get_be32(buf + 1), get_be32(buf + 5),
			 len == CTL_LEN_PUB ? buf + CTL_LEN : NULL);
		break;
	case CTL_KEYACK:
		on_keyack(l, get_be32(buf + 1));
		break;
	case CTL_CLOSE:
		link_fail(l, "peer closed the link", false);
		break;
	case NBRS_ACK_TYPE:
		if (get_be32(buf + 1) == l->nbrs_sent)
			l->nbrs_acked = l->nbrs_sent;
		break;
	case CTL_PING:
		if (get_be32(buf + 5) == CTL_PING_PROBE)
			ctl_write(l, CTL_PING, l->epoch, 0);
		break;
	default:	/* unknown: liveness only */
		break;
	}
}

static void on_dtls_failed(void *ctx, const char *why)
{
	struct link *l = ctx;

	if (strstr(why, "handshake"))
		l->lm->stats.dtls_refused++;
	link_fail(l, why, true);
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
		link_fail(l, "cannot create DTLS session", true);
		return -1;
	}
	return dtls_start(l->dtls);
}

/* ---- ICE callbacks ---------------------------------------------------- */

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
	g_message("%s: link to %s: ICE %s after %" G_GINT64_FORMAT " ms",
		  l->lm->name, l->peer->hex, ice_state_name(st),
		  now_ms() - l->t_start);
	if (st == ICE_FAILED) {
		link_fail(l, "ICE failed", true);
	} else if (st == ICE_CONNECTED && l->controlling) {
		ensure_dtls(l);
	}
}

static void on_ice_recv(void *ctx, uint8_t *buf, size_t len)
{
	struct link *l = ctx;

	if (l->st == L_DEAD || !len)
		return;
	l->last_rx = now_ms();
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

/* ICE moved to another pair: the datapath follows (new socket/remote). */
static void on_ice_pair(void *ctx)
{
	struct link *l = ctx;
	struct dp_transport t;

	if (l->st == L_DEAD || !l->dpl)
		return;
	link_transport(l, &t);
	if (dp_link_set_transport(l->dpl, &t))
		link_fail(l, "datapath refused the new ICE pair", true);
}

static const struct ice_ops link_ice_ops = {
	.candidate = on_ice_candidate,
	.gathering_done = on_ice_gathered,
	.state = on_ice_state,
	.recv = on_ice_recv,
	.pair_changed = on_ice_pair,
};

/* ---- link life cycle -------------------------------------------------- */

/* An UP link silent for LM_DEAD_MS is dead: its peer is presumed dead
 * too (its presence may linger). Returns true if it was. */
static bool dead_check(struct link *l, gint64 now)
{
	if (l->st != L_UP || now - l->last_rx <= LM_DEAD_MS)
		return false;
	suspect(l->peer, "silent");
	link_fail(l, "peer silent: link dead", false);
	return true;
}

/* Probing a silent link: until it is heard again or declared dead. */
static gboolean on_probe(gpointer p)
{
	struct link *l = p;
	gint64 now = now_ms();

	if (l->st != L_UP || now - l->last_rx < LM_PROBE_AFTER_MS ||
	    dead_check(l, now)) {
		l->probe_timer = 0;
		return G_SOURCE_REMOVE;
	}
	ctl_write(l, CTL_PING, l->epoch, CTL_PING_PROBE);
	return G_SOURCE_CONTINUE;
}

static gboolean on_tick(gpointer p)
{
	struct link *l = p;
	struct linkmgr *lm = l->lm;
	gint64 now = now_ms();

	if (l->st == L_DEAD)
		return G_SOURCE_CONTINUE;
	if (l->dtls && dtls_established(l->dtls))
		ctl_write(l, CTL_PING, l->epoch, 0);
	if (dead_check(l, now))
		return G_SOURCE_CONTINUE;
	if (l->st == L_UP && now - l->last_rx >= LM_PROBE_AFTER_MS &&
	    !l->probe_timer) {
		ctl_write(l, CTL_PING, l->epoch, CTL_PING_PROBE);
		l->probe_timer = g_timeout_add(LM_PROBE_MS, on_probe, l);
	}
	if (l->st == L_REQUESTED && now - l->t_start > LM_ANSWER_MS &&
	    now - l->peer->present_since > LM_ANSWER_MIN_AGE_MS) {
		suspect(l->peer, "no answer to our request");
		link_fail(l, "no answer", false);
		return G_SOURCE_CONTINUE;
	}
	if (l->st != L_UP)
		return G_SOURCE_CONTINUE;
	if (l->nbrs_sent && l->nbrs_acked != l->nbrs_sent)
		nbrs_send(l);		/* lost on the way: again */
	if (l->controlling && !l->pend_active) {
		const struct dp_counters *c = dp_link_counters(l->dpl);
		uint64_t pkts = c->tx_packets + c->rx_packets - l->epoch_pkts_base;
		unsigned int secs = lm->cfg.rekey_seconds ?: EVPN_REKEY_AFTER_SECONDS;
		uint64_t maxp = lm->cfg.rekey_packets ?: EVPN_REKEY_AFTER_PACKETS;

		if (now - l->epoch_started >= secs * 1000LL || pkts >= maxp)
			start_epoch(l, l->epoch + 1);
	}
	return G_SOURCE_CONTINUE;
}

static gboolean on_setup_timeout(gpointer p)
{
	struct link *l = p;

	l->setup_timer = 0;
	if (l->st == L_REQUESTED)	/* never answered at all */
		suspect(l->peer, "no answer to our request");
	link_fail(l, l->ice_st == ICE_CONNECTED ? "DTLS/key setup timed out"
						  : "ICE setup timed out", true);
	return G_SOURCE_REMOVE;
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
	l->pending = g_ptr_array_new_with_free_func(g_free);
	l->t_start = l->last_rx = now_ms();
	l->ice = ice_new(&lm->ice, l->controlling, &link_ice_ops, l);
	if (!l->ice) {
		g_ptr_array_free(l->pending, TRUE);
		g_free(l);
		return NULL;
	}
	l->tick_timer = g_timeout_add(LM_KEEPALIVE_MS, on_tick, l);
	l->setup_timer = g_timeout_add(LM_SETUP_TIMEOUT_MS, on_setup_timeout, l);
	pe->link = l;
	return l;
}

static void link_destroy(struct link *l)
{
	struct linkmgr *lm = l->lm;

	clear_timer(&l->ctl_timer);
	clear_timer(&l->retire_timer);
	clear_timer(&l->tick_timer);
	clear_timer(&l->probe_timer);
	clear_timer(&l->setup_timer);
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
	link_destroy(l);
	return G_SOURCE_REMOVE;
}

static gboolean on_retry(gpointer p)
{
	struct peer *pe = p;

	pe->retry_timer = 0;
	reevaluate(pe->lm);
	return G_SOURCE_REMOVE;
}

static gboolean on_unsuspect(gpointer p)
{
	struct peer *pe = p;

	pe->suspect_timer = 0;
	reevaluate(pe->lm);
	return G_SOURCE_REMOVE;
}

static void unsuspect(struct peer *pe)
{
	pe->suspect_count = 0;
	if (!pe->suspect_timer)
		return;
	clear_timer(&pe->suspect_timer);
	reevaluate(pe->lm);
}

static void backoff(struct peer *pe)
{
	guint ms;

	pe->deferring = false;
	pe->backoff_ms = pe->backoff_ms ? MIN(pe->backoff_ms * 2, LM_BACKOFF_MAX_MS)
					: LM_BACKOFF_MIN_MS;
	ms = pe->backoff_ms + g_random_int_range(0, pe->backoff_ms / 2 + 1);
	clear_timer(&pe->retry_timer);
	pe->retry_timer = g_timeout_add(ms, on_retry, pe);
}

/*
 * Tear down: detach from the peer now (a new attempt may start at once),
 * free on the next idle (we may be inside an ICE/DTLS callback).
 */
static void link_fail(struct link *l, const char *why, bool tell_peer)
{
	struct linkmgr *lm = l->lm;
	struct peer *pe = l->peer;

	if (l->st == L_DEAD)
		return;
	if (tell_peer) {
		struct sig_msg m = { .type = SIG_CLOSE };

		g_strlcpy(m.reason, why, sizeof(m.reason));
		if (l->dtls && dtls_established(l->dtls))
			ctl_write(l, CTL_CLOSE, 0, 0);
		sig_send(l, &m);
	}
	g_message("%s: link to %s %s: %s", lm->name, pe->hex,
		  l->st == L_UP ? "down" : "failed", why);
	if (l->st != L_UP)
		lm->stats.links_failed++;
	g_strlcpy(l->why, why, sizeof(l->why));
	l->st = L_DEAD;
	if (l->dpl) {	/* stop forwarding over it right away */
		g_hash_table_remove(lm->by_dpl, l->dpl);
		dp_link_del(lm->cfg.dp, l->dpl);
		l->dpl = NULL;
	}
	pe->link = NULL;
	l->peer = NULL;
	l->free_idle = g_idle_add_full(G_PRIORITY_DEFAULT, on_free, l, NULL);
	backoff(pe);
	reevaluate(lm);
}

/* We ask for a link. */
static void link_request(struct peer *pe)
{
	struct link *l = link_new(pe, random_nonzero(), true);

	if (!l) {
		backoff(pe);
		return;
	}
	g_message("%s: requesting link to %s (%s)", pe->lm->name, pe->hex,
		  l->controlling ? "controlling" : "controlled");
	send_offer(l, SIG_REQUEST, pe->lm->cfg.suites);
	if (ice_gather(l->ice))
		link_fail(l, "cannot gather candidates", true);
}

static void apply_pending(struct link *l)
{
	guint i;

	for (i = 0; i < l->pending->len; i++)
		ice_add_remote_candidate(l->ice, g_ptr_array_index(l->pending, i));
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

	if (l && l->sid == m->sid)
		return;				/* duplicate */
	if (l && l->st == L_REQUESTED && is_self_higher(lm, &pe->id)) {
		/* simultaneous requests: the higher node ID's request wins;
		 * the peer will accept ours */
		return;
	}
	if (!accept_request(lm, pe, m))
		return;
	if (l)		/* ours lost the tie, or the peer restarted */
		link_fail(l, "superseded by the peer's request", false);
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
		link_fail(l, "bad ICE credentials", true);
		return;
	}
	l->remote_creds = true;
	send_offer(l, SIG_ACCEPT, 1u << suite);	/* SIG_SUITE_* bit = suite */
	if (ice_gather(l->ice))
		link_fail(l, "cannot gather candidates", true);
}

static void on_accept(struct link *l, const struct sig_msg *m)
{
	if (l->st != L_REQUESTED)
		return;
	if (pick_suite(m->suites & l->lm->cfg.suites, &l->suite)) {
		link_fail(l, "peer chose a suite we did not offer", true);
		return;
	}
	if (ice_set_remote_credentials(l->ice, m->ufrag, m->pwd)) {
		link_fail(l, "bad ICE credentials", true);
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
		} else if (ice_add_remote_candidate(l->ice, m->cands[i])) {
			l->lm->stats.sig_bad++;
		}
	}
}

/* ---- peers, membership ------------------------------------------------ */

static void peer_free(gpointer p)
{
	struct peer *pe = p;

	if (pe->link) {
		pe->link->peer = NULL;
		pe->link->st = L_DEAD;
		link_destroy(pe->link);
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

static gboolean on_retry(gpointer p);

static gboolean do_reevaluate(gpointer p)
{
	struct linkmgr *lm = p;
	GHashTableIter it;
	gpointer v;
	GArray *tp = g_array_new(FALSE, TRUE, sizeof(struct topo_peer));
	GPtrArray *pp = g_ptr_array_new();
	guint i;

	lm->reeval_idle = 0;
	g_hash_table_iter_init(&it, lm->peers);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		struct peer *pe = v;
		struct topo_peer t = { .id = pe->id, .link = topo_state(pe) };

		if (!pe->jid || (pe->suspect_timer && !pe->link))
			continue;
		g_array_append_val(tp, t);
		g_ptr_array_add(pp, pe);
	}
	lm->cfg.topology->select(lm->topo, (struct topo_peer *)tp->data, tp->len);
	for (i = 0; i < pp->len; i++) {
		struct peer *pe = g_ptr_array_index(pp, i);

		pe->want = g_array_index(tp, struct topo_peer, i).want;
		if (pe->want && !pe->link && !pe->retry_timer &&
		    !is_self_higher(lm, &pe->id) && !pe->deferred) {
			/* Both ends usually want the link at the same moment:
			 * the lower ID gives the higher one's request a head
			 * start instead of racing it (a lost race costs an ICE
			 * agent and a TURN allocation). */
			pe->deferred = pe->deferring = true;
			pe->retry_timer = g_timeout_add(LM_DEFER_MS, on_retry, pe);
		} else if (pe->want && !pe->link && !pe->retry_timer) {
			link_request(pe);
		}
		else if (!pe->want && pe->link && pe->link->initiator)
			link_fail(pe->link, "not wanted by the topology", true);
	}
	g_array_free(tp, TRUE);
	g_ptr_array_free(pp, TRUE);
	nbrs_advertise(lm);
	return G_SOURCE_REMOVE;
}

static void reevaluate(struct linkmgr *lm)
{
	if (!lm->reeval_idle)
		lm->reeval_idle = g_idle_add_full(G_PRIORITY_DEFAULT, do_reevaluate,
						   lm, NULL);
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
	struct peer *pe;

	if (evpn_id_eq(&p->id, &lm->cfg.self)) {
		if (!identity_fp_equal(p->fp, lm->cfg.identity->fingerprint))
			g_warning("%s: %s claims our node ID %s", lm->name, jid,
				  "(ignored)");
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
	clear_timer(&pe->grace_timer);
	if (!pe->jid || strcmp(pe->jid, jid)) {	/* a new session: alive */
		unsuspect(pe);
		/* A presence the server replays to us (we just came online)
		 * carries its age: a newcomer must not wait the fresh-presence
		 * setup timeout on a killed node's lingering session. */
		pe->present_since = now_ms() - p->age_ms;
	}
	if (pe->jid && strcmp(pe->jid, jid))
		g_hash_table_remove(lm->by_jid, pe->jid);
	if (pe->link && strcmp(pe->pres.fp, p->fp))
		link_fail(pe->link, "peer certificate changed", true);
	g_free(pe->jid);
	pe->jid = g_strdup(jid);
	pe->pres = *p;
	g_hash_table_insert(lm->by_jid, pe->jid, pe);
	g_message("%s: member %s is %s", lm->name, jid, hex);
	reevaluate(lm);
}

static gboolean on_grace(gpointer p)
{
	struct peer *pe = p;

	pe->grace_timer = 0;
	if (pe->link && !pe->jid && pe->lm->online)
		link_fail(pe->link, "no presence for the grace period "
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

	if (!pe)
		return;
	g_hash_table_remove(lm->by_jid, jid);
	g_free(pe->jid);
	pe->jid = NULL;
	clear_timer(&pe->retry_timer);
	pe->backoff_ms = 0;
	pe->deferred = false;
	/* An UP link lives on its own keepalives (the XMPP server may be
	 * away while the path works); revocation and links still in setup
	 * (which need signalling) end now. */
	if (pe->link && (why == LM_GONE_REMOVED || pe->link->st != L_UP))
		link_fail(pe->link, why == LM_GONE_REMOVED ? "removed from the group"
							 : "peer left", false);
	else if (pe->link && why == LM_GONE_UNAVAILABLE && lm->online)
		arm_grace(pe);
	clear_timer(&pe->retry_timer);
	reevaluate(lm);
}

void linkmgr_message(struct linkmgr *lm, const char *jid, xmpp_stanza_t *st)
{
	struct peer *pe = g_hash_table_lookup(lm->by_jid, jid);
	struct sig_msg *m;
	struct link *l;
	int r;

	lm->stats.sig_in++;
	if (!pe)
		return;
	m = g_new(struct sig_msg, 1);
	r = sig_parse(st, m);
	if (r) {
		lm->stats.sig_bad++;
		g_message("%s: malformed signalling from %s (ignored)", lm->name, jid);
		goto out;
	}
	if (!evpn_id_eq(&m->from, &pe->id) || !evpn_id_eq(&m->to, &lm->cfg.self)) {
		lm->stats.sig_spoofed++;
		g_message("%s: signalling from %s names the wrong node IDs "
			  "(ignored)", lm->name, jid);
		goto out;
	}
	unsuspect(pe);
	if (m->type == SIG_REQUEST) {
		on_request(pe, m);
		goto out;
	}
	l = pe->link;
	if (!l || l->sid != m->sid) {
		lm->stats.sig_stale++;
		goto out;
	}
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
		link_fail(l, m->reason[0] ? m->reason : "closed by peer", false);
		break;
	default:
		break;
	}
out:
	g_free(m);
}

/* ---- object ----------------------------------------------------------- */

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
			ctl_write(pe->link, CTL_CLOSE, 0, 0);
	}
	g_hash_table_destroy(lm->by_jid);
	g_hash_table_destroy(lm->peers);
	g_hash_table_destroy(lm->by_dpl);
	lm->cfg.topology->destroy(lm->topo);
	g_free(lm->name);
	g_free(lm);
}

const struct lm_stats *linkmgr_stats(const struct linkmgr *lm)
{
	return &lm->stats;
}

static void json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(out, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(out, "\\u%04x", *s);
		else
			fputc(*s, out);
	}
	fputc('"', out);
}

void linkmgr_show_json(struct linkmgr *lm, FILE *out)
{
	GHashTableIter it;
	gpointer v;
	bool first = true;
	const struct lm_stats *s = &lm->stats;

	fprintf(out, ",\"peers\":[");
	g_hash_table_iter_init(&it, lm->peers);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		struct peer *pe = v;

		fprintf(out, "%s{\"id\":\"%s\",\"jid\":", first ? "" : ",", pe->hex);
		first = false;
		if (pe->jid)
			json_str(out, pe->jid);
		else
			fputs("null", out);
		fprintf(out, ",\"link\":\"%s\",\"fingerprint\":\"%s\"}",
			pe->link ? lstate_names[pe->link->st] :
			pe->retry_timer ? "backoff" : "none", pe->pres.fp);
	}
	fprintf(out, "],\"signalling\":{\"in\":%lu,\"out\":%lu,\"malformed\":%lu,"
		"\"spoofed\":%lu,\"stale\":%lu},\"links_up\":%lu,"
		"\"links_failed\":%lu,\"dtls_refused\":%lu,\"rekeys\":%lu,"
		"\"nbrs_in\":%lu,\"nbrs_malformed\":%lu,\"nbrs_seq\":%u",
		s->sig_in, s->sig_out, s->sig_bad, s->sig_spoofed, s->sig_stale,
		s->links_up, s->links_failed, s->dtls_refused, s->rekeys,
		s->nbrs_in, s->nbrs_bad, lm->adv_seq);
}

bool linkmgr_link_text(struct linkmgr *lm, FILE *out, struct dp_link *dpl)
{
	struct link *l = g_hash_table_lookup(lm->by_dpl, dpl);
	char pair[160];

	if (!l)
		return false;
	ice_selected_describe(l->ice, pair, sizeof(pair));
	fprintf(out, "    %s path: %s\n    overlay %s, key epoch %u, up %" G_GINT64_FORMAT
		" s (setup %" G_GINT64_FORMAT " ms), dtls %s\n",
		ice_selected_relayed(l->ice) ? "relayed (TURN)" : "direct",
		pair, lm->name, l->epoch,
		l->t_up ? (now_ms() - l->t_up) / 1000 : 0,
		l->t_up ? l->t_up - l->t_start : -1, dtls_cipher(l->dtls));
	return true;
}

bool linkmgr_link_json(struct linkmgr *lm, FILE *out, struct dp_link *dpl)
{
	struct link *l = g_hash_table_lookup(lm->by_dpl, dpl);
	char pair[160];

	if (!l)
		return false;
	ice_selected_describe(l->ice, pair, sizeof(pair));
	fprintf(out, ",\"overlay\":");
	json_str(out, lm->name);
	fprintf(out, ",\"ice_pair\":");
	json_str(out, pair);
	fprintf(out, ",\"peer_links\":%d", l->nbrs_rx_seq ? l->nbrs_rx_len : -1);
	fprintf(out, ",\"ice_relayed\":%s,\"controlling\":%s,\"epoch\":%u,"
		"\"setup_ms\":%" G_GINT64_FORMAT ",\"up_s\":%" G_GINT64_FORMAT
		",\"dtls_cipher\":",
		ice_selected_relayed(l->ice) ? "true" : "false",
		l->controlling ? "true" : "false", l->epoch,
		l->t_up ? l->t_up - l->t_start : -1,
		l->t_up ? (now_ms() - l->t_up) / 1000 : 0);
	json_str(out, dtls_cipher(l->dtls));
	return true;
}
