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

#include "sigmsg.h"

#define EVPN_NS			"urn:evpn:0"
#define SIG_VERSION		0
enum sig_err {
	SIG_OK = 0,
	SIG_E_NOT_OURS = -1,	/* not an urn:evpn:0 element */
	SIG_E_MALFORMED = -2,
	SIG_E_VERSION = -3,
};

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

#endif /* EVPND_SIGNALLING_H */
