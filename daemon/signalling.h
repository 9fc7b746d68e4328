/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Signalling payloads (namespace urn:evpn:0), docs/signalling.md.
 *
 * Two kinds of element, both built and parsed here and nowhere else:
 *  - <node xmlns='urn:evpn:0' .../> in our presence: node ID, DTLS
 *    certificate fingerprint, capabilities (AEAD suites);
 *  - <link xmlns='urn:evpn:0' .../> in a headline message to a peer's full
 *    JID: request / accept (ICE ufrag+pwd, suite offer/answer), trickled
 *    candidates, end-of-candidates, close.
 * Parsing is strict: any unknown element, missing/extra/oversized attribute
 * or bad value makes the whole payload invalid (the caller counts it and
 * drops it).
 */
#ifndef EVPND_SIGNALLING_H
#define EVPND_SIGNALLING_H

#include <stdbool.h>
#include <stdint.h>
#include <strophe.h>

#include "id.h"
#include "identity.h"

#define EVPN_NS			"urn:evpn:0"
#define SIG_VERSION		0
#define SIG_UFRAG_MAX		64
#define SIG_PWD_MAX		128
#define SIG_CAND_MAX		256	/* one SDP candidate attribute */
#define SIG_MAX_CANDS		8	/* per message */
#define SIG_REASON_MAX		64

/* Suite bits (enum dp_suite as bit numbers). */
#define SIG_SUITE_AES256GCM		(1u << 0)
#define SIG_SUITE_CHACHA20POLY1305	(1u << 1)
#define SIG_SUITES_ALL			0x3u

struct sig_presence {
	struct evpn_id id;
	char fp[EVPN_FP_STRLEN];
	unsigned int suites;		/* SIG_SUITE_* */
	/* Not signalled: how old the presence was on arrival
	 * (sig_delay_age_ms(), set by the receiver; 0 = fresh). */
	int64_t age_ms;
};

enum sig_type {
	SIG_REQUEST,	/* sid, ufrag, pwd, suites (offer) */
	SIG_ACCEPT,	/* sid, ufrag, pwd, suite (answer: exactly one bit) */
	SIG_CANDIDATES,	/* sid, 1..SIG_MAX_CANDS candidates */
	SIG_EOC,	/* sid: end of candidates */
	SIG_CLOSE,	/* sid, reason */
	__SIG_MAX
};

struct sig_msg {
	enum sig_type type;
	struct evpn_id from, to;	/* node IDs */
	uint32_t sid;			/* link attempt, chosen by requester */
	char ufrag[SIG_UFRAG_MAX + 1];
	char pwd[SIG_PWD_MAX + 1];
	unsigned int suites;
	int ncands;
	char cands[SIG_MAX_CANDS][SIG_CAND_MAX + 1];
	char reason[SIG_REASON_MAX + 1];
};

enum sig_err {
	SIG_OK = 0,
	SIG_E_NOT_OURS = -1,	/* not an urn:evpn:0 element */
	SIG_E_MALFORMED = -2,
	SIG_E_VERSION = -3,
};

const char *sig_type_name(enum sig_type t);

/* Build the element (caller releases it). NULL if @m is inconsistent. */
xmpp_stanza_t *sig_build(xmpp_ctx_t *ctx, const struct sig_msg *m);
xmpp_stanza_t *sig_presence_build(xmpp_ctx_t *ctx,
				  const struct sig_presence *p);

/* Parse the first urn:evpn:0 child of @stanza (a message / presence). */
int sig_parse(xmpp_stanza_t *stanza, struct sig_msg *m);
int sig_presence_parse(xmpp_stanza_t *stanza, struct sig_presence *p);

/*
 * How old @stanza (a presence) was when it reached us, from its XEP-0203
 * <delay xmlns='urn:xmpp:delay' stamp='...'/> (a server replaying a stored
 * presence, e.g. to a client that just came online, stamps it with the
 * time the contact sent it); @now_us is our wall clock (g_get_real_time()).
 * 0 if there is no valid stamp or it is not in the past (clock skew);
 * capped at one day. Only a hint: a member can put its own stamp in its
 * presence, which only changes how soon it is itself suspected when it
 * leaves requests unanswered.
 */
int64_t sig_delay_age_ms(xmpp_stanza_t *stanza, int64_t now_us);

/* "aes256gcm chacha20poly1305" <-> bits. Parse: unknown names fail. */
int sig_suites_parse(const char *s, unsigned int *out);
void sig_suites_format(unsigned int suites, char *buf, size_t size);

#endif /* EVPND_SIGNALLING_H */
