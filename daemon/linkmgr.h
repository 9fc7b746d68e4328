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
#include "sigmsg.h"
#include "topology.h"

/*
 * Liveness: a link sends a keepalive every LM_KEEPALIVE_MS. After
 * LM_PROBE_AFTER_MS without receiving anything it probes every
 * LM_PROBE_MS (a PING asking for an immediate answer), and it is dead
 * after LM_DEAD_MS of silence: a killed peer is noticed within
 * LM_DEAD_MS + LM_PROBE_MS, while a live one has had 8 probes and two
 * keepalives to answer (a busy peer answers within its main loop's
 * latency, well under a second even on a loaded 2-core machine).
 */
#define LM_KEEPALIVE_MS		1000
#define LM_PROBE_AFTER_MS	2000
#define LM_PROBE_MS		250
#define LM_DEAD_MS		4000
#define LM_SETUP_TIMEOUT_MS	15000
/* A peer silent on an UP link is presumed dead (its presence may linger)
 * and hidden from the topology for this long, or until heard from. */
#define LM_SUSPECT_MS		30000
/* ... as is one that leaves a request unanswered this long, if its
 * presence is older than LM_ANSWER_MIN_AGE_MS (linkmgr/peer.c: lm_suspect()). */
#define LM_ANSWER_MS		3000
#define LM_ANSWER_MIN_AGE_MS	10000
#define LM_BACKOFF_MIN_MS	1000
/* The lower node ID waits this long for the higher one's request: longer
 * than the XMPP server's delay at a busy simultaneous start (1-2 s seen
 * with 32 nodes on 2 cores; at 300 ms a third of the start's setups were
 * crossed requests thrown away). Only a link the higher ID does not want
 * (a Symphony long link drawn by the lower one) waits for nothing. */
#define LM_DEFER_MS		1000
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
/* Our XMPP session came up / went away (presence grace only counts while
 * we can see presences). */
void linkmgr_set_online(struct linkmgr *lm, bool online);

/* `show` helpers: overlay members (", \"peers\": [...]") and per-link
 * members for links this manager owns (returns false if not ours). */
void linkmgr_show_json(struct linkmgr *lm, FILE *out);
bool linkmgr_link_json(struct linkmgr *lm, FILE *out, struct dp_link *dpl);
/* Same facts for `show text`: one indented line, direct vs relayed first. */
bool linkmgr_link_text(struct linkmgr *lm, FILE *out, struct dp_link *dpl);
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
