/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * End-to-end pair keys (docs/protocol.md section 14): where they come from
 * and how they reach the datapath.
 *
 *  - Overlay members: each run of evpnd makes a fresh X25519 key pair and
 *    announces its public half in its presence, signed by the node's
 *    identity key, with that key's SubjectPublicKeyInfo (which hashes to
 *    the node ID). A member's announcement is accepted only if the SPKI
 *    hashes to the ID it speaks for and the signature verifies, so neither
 *    the XMPP server nor another member can substitute a key. The pair key
 *    is HKDF over the X25519 secret, both IDs and both public keys.
 *  - Static mode ([e2e NAME] sections): HKDF over a pre-shared key per pair
 *    and both IDs, the counter starting at the wall clock like static
 *    links' (docs/configuration.md).
 */
#ifndef EVPND_E2E_H
#define EVPND_E2E_H

#include "config.h"
#include "datapath.h"
#include "identity.h"
#include "sigmsg.h"

/* This run's X25519 key (e2e_start() makes it; tests call this). */
int e2e_keygen(void);
/* Makes this run's X25519 key and installs the [e2e] pairs. 0 or -1. */
int e2e_start(struct dp *dp, const struct evpnd_config *cfg);
void e2e_stop(void);

/* Adds the signed e2e key to our presence. 0 or -1 (no key: the
 * datapath has no e2e layer, or signing failed, logged). */
int e2e_presence_fill(const struct evpn_identity *id, struct sig_presence *p);

/* A member's presence: verify its e2e key and install the pair key (a
 * presence without one, or with a bad one, installs nothing: relayed
 * unicast with that node is then dropped, counted as e2e_no_key). */
void e2e_member_up(const char *jid, const struct sig_presence *p);
/* The member was removed from the group: forget its pair key. */
void e2e_member_removed(const char *jid);

/* The message the identity key signs: "evpn-e2e-v1" || ID || pub. */
#define E2E_SIG_LABEL	"evpn-e2e-v1"
#define E2E_SIG_MSG_LEN	(sizeof(E2E_SIG_LABEL) - 1 + EVPN_ID_LEN + \
			 SIG_E2E_PUB_LEN)
void e2e_sig_msg(uint8_t out[E2E_SIG_MSG_LEN], const struct evpn_id *id,
		 const uint8_t pub[SIG_E2E_PUB_LEN]);
/* True if @p's e2e key is bound to @p->id (SPKI hash, signature). */
bool e2e_presence_verify(const struct sig_presence *p);

#endif /* EVPND_E2E_H */
