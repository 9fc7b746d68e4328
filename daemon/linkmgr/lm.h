/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The link manager's shared state (internal to daemon/linkmgr/):
 *
 *   peer.c     the peer table: membership (presence), suspicion, backoff,
 *              asking the topology which links to want
 *   link.c     one link's state machine: signalling -> ICE -> DTLS ->
 *              datapath link, liveness, teardown
 *   linkctl.c  the in-band control messages (messages.h): codec,
 *              retransmission, link lists
 *   epoch.c    key epochs: negotiation, install, swap, retire
 *   pace.c     adaptive timeouts (signalling RTT, load, loop lag), the
 *              setup window, per-member request rate limits
 *   show.c     `show` output
 *
 * Life of a link (docs/signalling.md has the message-level view):
 *   REQUESTED   we sent <link type='request'> and gather/trickle candidates
 *   CONNECTING  both ICE credentials known; ICE checks, then DTLS (the
 *               controlling side, higher node ID, is the DTLS client), then
 *               the in-band key exchange for epoch 0
 *   UP          keys installed both ways; keepalives; rekeys
 *   DEAD        torn down (deferred free), peer backs off before retrying
 */
#ifndef EVPND_LM_H
#define EVPND_LM_H

#include <glib.h>
#include <openssl/evp.h>

#include "dtls.h"
#include "linkmgr.h"
#include "messages.h"

#define MAX_PENDING_CANDS 32

enum lstate { L_REQUESTED, L_CONNECTING, L_UP, L_DEAD };

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
	uint32_t min_epoch;		/* accept no older epoch (relinked) */
	uint8_t ctl_msg[MSG_LEN_PUB];
	size_t ctl_len;
	EVP_PKEY *eph;			/* our X25519 key for pend_epoch >= 1 */
	bool ctl_pending;
	int ctl_tries;
	guint ctl_timer, retire_timer, tick_timer, free_idle;
	guint probe_timer;		/* silent UP link: probing */
	gint64 epoch_started;
	gint64 epoch_last_ms;		/* last new epoch started/installed */
	uint64_t epoch_pkts_base;
	gint64 t_start, t_up, last_rx;
	/* pacing (pace.c) */
	gint64 t_sent;			/* request last (re)sent */
	guint req_sends;		/* times the request was sent */
	gint64 t_progress;		/* setup: last sign of progress */
	gint64 last_tick, gap_ms;	/* loop lag; largest recent rx gap */
	guint ticks, probes;		/* probes unanswered */
	gint64 gone_at;			/* ms: the peer's session ended while
					 * UP (lm_link_presence_gone); 0: no */
	bool counted;			/* setup outcome fed to the window */
	bool crossed;			/* the lower ID asked while ours was
					 * unanswered: ours again (cross_check) */
	gint64 ping_sent_us;		/* our last PING probe (0: answered) */
	gint64 rtt_us;			/* its answer's round trip; -1: none yet */
	/* link lists: ours sent (seq) and acknowledged; the peer's newest */
	uint32_t nbrs_sent, nbrs_acked, nbrs_rx_seq;
	int nbrs_rx_len;
	struct evpn_id nbrs_rx[EVPN_MAX_NBR_IDS];	/* for a relink */
	/* path MTU probing (pmtu.c): record size in use, search bounds */
	uint32_t pmtu, pmtu_lo, pmtu_hi, pmtu_probe, pmtu_seq;
	int pmtu_tries;
	guint pmtu_timer;
	gint64 pmtu_raise_at;
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
	bool ring;		/* the topology's short link: set up first */
	bool deferred;		/* the lower ID waited once for the peer's request */
	bool deferring;		/* retry_timer is that wait, not a backoff */
	guint suspect_timer;	/* running: presumed dead, hidden from the topology */
	guint suspect_count;	/* suspicions in a row: each doubles the period */
	bool probing;		/* suspicion ran out: asked, still hidden */
	gint64 last_heard;	/* ms: its last signalling or fresh presence */
	double req_tokens;	/* its link-request bucket (pace.c) */
	gint64 req_at;
	char problem[320];	/* why its links are refused (status; "" if none) */
};

struct lm_pace {
	double srtt, rttvar;		/* signalling RTT, ms */
	bool have_rtt;
	gint64 sample_at;		/* the last sample (ms) */
	double load;			/* load factor, 1..3 (pace_load()) */
	double load_avg;		/* runnable tasks, 10 s average */
	gint64 load_at;
	gint64 lag_ms, lag_at;		/* our main loop's lateness */
	double window;			/* concurrent setups */
};

struct linkmgr {
	struct linkmgr_config cfg;
	struct ice_config ice;
	char *name;
	const struct linkmgr_ops *ops;
	void *ctx;
	void *topo;
	GHashTable *peers;		/* hex id -> struct peer */
	GHashTable *by_jid;		/* full JID -> struct peer (key: pe->jid) */
	GHashTable *by_dpl;		/* struct dp_link * -> struct link */
	guint reeval_idle;
	bool online;
	struct lm_stats stats;
	/* the link list we advertise (sorted peer IDs of UP links) */
	struct evpn_id adv[EVPN_MAX_NBR_IDS];
	int nadv;
	uint32_t adv_seq;
	bool no_lookahead;	/* EVPND_NO_LOOKAHEAD: advertise nothing */
	GHashTable *pin_changes;	/* bare JID -> refused key (pin.c) */
	struct lm_pace pace;
	gint64 last_sig_rx;	/* ms: any member's signalling reached us */
};

static inline gint64 now_ms(void)
{
	return g_get_monotonic_time() / 1000;
}

static inline uint32_t random_nonzero(void)
{
	uint32_t v;

	do
		v = g_random_int();
	while (!v);
	return v;
}

static inline void clear_timer(guint *t)
{
	if (*t)
		g_source_remove(*t);
	*t = 0;
}

static inline bool is_self_higher(const struct linkmgr *lm,
				  const struct evpn_id *peer)
{
	return evpn_id_cmp(&lm->cfg.self, peer) > 0;
}

/* peer.c */
void lm_reevaluate(struct linkmgr *lm);
void lm_suspect(struct peer *pe, const char *why);
void lm_unsuspect(struct peer *pe);
void lm_backoff(struct peer *pe);
/* A refusal the operator must see (a certificate mismatch): logged once at
 * error level, shown by `evpnctl status`; NULL clears it (link up). */
void lm_peer_problem(struct peer *pe, const char *why);

/* link.c */
void lm_link_request(struct peer *pe);
void lm_link_up(struct link *l);
void lm_link_fail(struct link *l, const char *why, bool tell_peer);
void lm_link_destroy(struct link *l);
void lm_link_presence_gone(struct link *l);

/* pace.c */
void pace_init(struct linkmgr *lm);
double pace_load(struct linkmgr *lm);
void pace_loop_late(struct linkmgr *lm, gint64 late);
void pace_rtt_sample(struct linkmgr *lm, gint64 ms);
guint pace_answer_ms(struct linkmgr *lm);
guint pace_defer_ms(struct linkmgr *lm);
guint pace_setup_ms(struct linkmgr *lm);
guint pace_dead_ms(struct link *l);
guint pace_gone_dead_ms(struct link *l);
void pace_link_rx(struct link *l, gint64 now);
void pace_tick_link(struct link *l, gint64 now);
bool pace_may_start(struct linkmgr *lm, unsigned int active, bool ring);
void pace_setup_done(struct linkmgr *lm, bool ok);
bool pace_request_allowed(struct peer *pe);
void pace_show_json(struct linkmgr *lm, JsonBuilder *b);

/* linkctl.c */
void linkctl_write(struct link *l, uint8_t type, uint32_t epoch, uint32_t id);
void linkctl_send_reliable(struct link *l, uint8_t type, uint32_t epoch,
			   uint32_t id, const uint8_t *pub);
void linkctl_done(struct link *l);
void linkctl_input(struct link *l, const uint8_t *buf, size_t len);
void linkctl_nbrs_send(struct link *l);
void linkctl_advertise(struct linkmgr *lm);
void linkctl_nbrs_reapply(struct link *l);

/* pin.c: false if @p's key is not the one pinned for @jid (kept aside) */
bool lm_pin_admit(struct linkmgr *lm, const char *jid,
		  const struct sig_presence *p);
void lm_pin_gone(struct linkmgr *lm, const char *jid);
/* @pe's key passed a DTLS handshake: pin it if its JID has no pin yet. */
void lm_pin_linked(struct peer *pe);
void lm_pin_show_json(struct linkmgr *lm, JsonBuilder *b);
void lm_pin_free(struct linkmgr *lm);

/* epoch_limit.c: which new epochs a peer may make us install */
#define LM_EPOCH_MIN_MS		1000
#define LM_EPOCH_RELINK_SLACK	2
enum epoch_verdict { EPOCH_OK, EPOCH_STALE, EPOCH_JUMP, EPOCH_TOO_SOON };
/* Non-controlling side: a KEYID for @epoch (not the one pending). */
enum epoch_verdict epoch_admit(const struct link *l, uint32_t epoch,
			       gint64 now);
/* Controlling side: an EPOCH_REQ for an epoch after @after. */
enum epoch_verdict epoch_admit_request(const struct link *l, uint32_t after,
				       gint64 now);
/* Count and log a refusal; true unless @v is EPOCH_OK. */
bool epoch_refused(struct link *l, enum epoch_verdict v, uint32_t epoch);

/* pmtu.c: in-band path MTU discovery per link */
void pmtu_start(struct link *l);
void pmtu_stop(struct link *l);
void pmtu_reapply(struct link *l);
/* a PMTU_PROBE or PMTU_ACK from the peer */
void pmtu_input(struct link *l, const uint8_t *buf, size_t len);

/* epoch.c */
void epoch_start(struct link *l, uint32_t epoch);
void epoch_on_keyid(struct link *l, uint32_t epoch, uint32_t id,
		    const uint8_t *pub);
void epoch_on_keyack(struct link *l, uint32_t epoch);
void epoch_check(struct link *l, gint64 now);
void epoch_restart(struct link *l);
void epoch_on_request(struct link *l, uint32_t after);

#endif /* EVPND_LM_H */
