/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The link manager of one overlay: for every member the topology wants, it
 * runs signalling (XMPP) -> ICE (libnice) -> DTLS (fingerprint-pinned) ->
 * a datapath link with exported keys, keeps it alive, rekeys it, and tears
 * it down on failure with exponential backoff. docs/signalling.md.
 * It sees signalling as parsed data (sigmsg.h), never XMPP stanzas.
 * The code: daemon/linkmgr/ (lm.h says which file does what).
 */
#ifndef EVPND_LINKMGR_H
#define EVPND_LINKMGR_H

#include <stdio.h>

#include "datapath.h"
#include "ice.h"
#include "identity.h"
#include "pins.h"
#include "sigmsg.h"
#include "topology.h"

/*
 * Liveness: a link sends a keepalive every LM_KEEPALIVE_MS. After
 * LM_PROBE_AFTER_MS without receiving anything it probes every
 * LM_PROBE_MS (a PING asking for an immediate answer), and it is dead
 * after pace_dead_ms() of silence (linkmgr/pace.c): at least LM_DEAD_MS,
 * three times the largest recent gap the link has shown, stretched by the
 * local load and our own main loop's lag, at most LM_DEAD_MAX_MS, and only
 * once LM_DEAD_PROBES probes went unanswered (a node whose loop did not
 * run sent none). A killed peer is noticed within about LM_DEAD_MS +
 * LM_PROBE_MS on a quiet machine.
 */
#define LM_KEEPALIVE_MS		1000
#define LM_PROBE_AFTER_MS	2000
#define LM_PROBE_MS		250
#define LM_DEAD_MS		4000
#define LM_DEAD_MAX_MS		30000
#define LM_DEAD_PROBES		4
/* ... and after pace_gone_dead_ms() (at least this) once the server said
 * the peer's session ended: probed at once, LM_DEAD_PROBES unanswered. */
#define LM_GONE_DEAD_MS		1000
/* A setup with no progress for pace_setup_ms() (>= this) has stalled. */
#define LM_SETUP_TIMEOUT_MS	15000
/* A peer presumed dead (silent on an UP link, or deaf to a request, with
 * no other sign of life) is hidden from the topology for this long,
 * doubling on repeated suspicion, or until heard from (linkmgr/peer.c). */
#define LM_SUSPECT_MS		30000
/* One try of a request waits pace_answer_ms() for the answer: the
 * signalling RTO (srtt + 4 rttvar), at least LM_ANSWER_MS, stretched by the
 * load; the request is sent LM_ANSWER_TRIES times before the peer can be
 * presumed dead, and only if nothing was heard from it meanwhile while
 * the server delivered others' messages to us. */
#define LM_ANSWER_MS		3000
#define LM_ANSWER_MAX_MS	30000
#define LM_ANSWER_TRIES		2
/* ... one try only for a peer not heard from (signalling, fresh presence)
 * for this long before we asked: a killed node whose session lingers. */
#define LM_ANSWER_MIN_AGE_MS	10000
#define LM_BACKOFF_MIN_MS	1000
/* The lower node ID waits pace_defer_ms() (srtt + 2 rttvar, within
 * LM_DEFER_MS..LM_DEFER_MAX_MS) for the higher one's request. Only a link
 * the higher ID does not want (a Symphony long link drawn by the lower
 * one) waits for nothing. */
#define LM_DEFER_MS		1000
#define LM_DEFER_MAX_MS		10000
#define LM_BACKOFF_MAX_MS	30000
/* An UP link whose peer has had no presence this long while we are online
 * is torn down: revocation for servers that do not push roster changes. */
#define LM_PRESENCE_GRACE_S	60
/* The old key stays acceptable this long after a rekey switched tx. */
#define LM_RETIRE_GRACE_MS	5000

struct linkmgr_config {
	const char *name;		/* overlay name, for logs and link names */
	struct dp *dp;
	const struct evpn_identity *identity;
	struct evpn_id self;
	const struct ice_config *ice;
	const struct topology_ops *topology;
	unsigned int suites;		/* SIG_SUITE_* we accept */
	unsigned int rekey_seconds;	/* 0 = EVPN_REKEY_AFTER_SECONDS */
	uint64_t rekey_packets;		/* 0 = EVPN_REKEY_AFTER_PACKETS */
	unsigned int presence_grace;	/* s; 0 = LM_PRESENCE_GRACE_S */
	struct pins *pins;		/* pinned member keys; NULL: no pinning */
};

struct linkmgr_ops {
	/* Send link message @m to @jid; <0 if XMPP is down (or @m cannot be
	 * encoded). */
	int (*send)(void *ctx, const char *jid, const struct sig_msg *m);
};

enum lm_gone {
	LM_GONE_UNAVAILABLE,	/* the member's presence went away */
	LM_GONE_REMOVED,	/* removed from the group: revoke */
	LM_GONE_OFFLINE,	/* we lost the XMPP server */
};

struct lm_stats {
	unsigned long sig_in, sig_bad, sig_spoofed, sig_stale, sig_out;
	unsigned long links_up, links_failed, rekeys, dtls_refused;
	unsigned long nbrs_in, nbrs_bad;	/* in-band link lists */
	unsigned long key_refused;	/* presences with a key not pinned */
	unsigned long epoch_refused;	/* epoch jumps / too-fast rekeys */
	unsigned long cands_ignored;	/* remote candidates (icefilter.h) */
	unsigned long req_throttled;	/* link requests over the member's rate */
	unsigned long suspected;	/* peers presumed dead */
	unsigned long answers_late;	/* answers after the first try's timeout */
	unsigned long cross_resends;	/* our request again: the lower ID asked
					 * without having it (crossed requests) */
	unsigned long pmtu_probes;		/* path MTU probes sent */
};

struct linkmgr;

struct linkmgr *linkmgr_new(const struct linkmgr_config *cfg,
			    const struct linkmgr_ops *ops, void *ctx);
void linkmgr_free(struct linkmgr *lm);

void linkmgr_member_up(struct linkmgr *lm, const char *jid,
		       const struct sig_presence *p);
void linkmgr_member_down(struct linkmgr *lm, const char *jid,
			 enum lm_gone why);
/* A link message from member @jid; @m NULL: its payload was malformed
 * (counted). */
void linkmgr_message(struct linkmgr *lm, const char *jid,
		     const struct sig_msg *m);
/* The operator accepts the refused new key of (bare) @jid (pins.h): it is
 * pinned and, if the member is present, linked to. 0, or -1 with @err. */
int linkmgr_pin_accept(struct linkmgr *lm, const char *jid, char *err,
		       size_t errlen);
/* Our XMPP session came up / went away (presence grace only counts while
 * we can see presences). */
void linkmgr_set_online(struct linkmgr *lm, bool online);

/* `show` helpers (docs/status.md): overlay members ("peers": [...], counters)
 * and per-link members for links this manager owns (false if not ours). */
void linkmgr_show_json(struct linkmgr *lm, JsonBuilder *b);
bool linkmgr_link_json(struct linkmgr *lm, JsonBuilder *b, struct dp_link *dpl);
const struct lm_stats *linkmgr_stats(const struct linkmgr *lm);

/* Read-only views (linkmgr/view.c) for metrics and the topology picture. */
struct linkmgr_member {
	const struct evpn_id *id;
	const char *jid;		/* NULL while not present */
	const char *state;		/* requested/connecting/up/dead/backoff/none */
};
typedef void (*linkmgr_member_fn)(void *ctx, const struct linkmgr_member *m);
void linkmgr_foreach_member(struct linkmgr *lm, linkmgr_member_fn fn,
			    void *ctx);
unsigned int linkmgr_nmembers(const struct linkmgr *lm);

struct linkmgr_link {
	const struct evpn_id *peer;
	const char *state;
	bool relayed;			/* ICE path through a TURN relay */
	long long up_s;			/* seconds UP (0 if not UP) */
	long long setup_ms;		/* -1 if never UP */
	unsigned int epoch;
	const struct evpn_id *nbrs;	/* the peer's link list, NULL: none yet */
	int nnbrs;			/* -1: none yet */
};
/* False if @dpl is not this manager's link. */
bool linkmgr_link_view(struct linkmgr *lm, struct dp_link *dpl,
		       struct linkmgr_link *out);

#endif /* EVPND_LINKMGR_H */
