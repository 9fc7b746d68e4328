/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Key pinning, trust on first use (docs/security.md "Pinned keys"): the
 * key a member's bare JID proved in its first DTLS handshake is remembered in
 * STATE_DIR/known_peers; a different key for that JID later is refused
 * until an operator accepts it (`evpnctl peer accept DEV JID`). So the
 * XMPP server's operator, who can rewrite presences, cannot swap in a key
 * of its own for a member this node already knows.
 *
 * What is pinned is the member's node ID, which is the SHA-256 of its key's
 * SubjectPublicKeyInfo truncated to 128 bits and checked against the
 * certificate at every DTLS handshake (identity.h): pinning the ID pins the
 * key. The certificate fingerprint is kept beside it for humans (a new
 * certificate for the same key is not a key change and just updates it).
 *
 * File format (text, mode 0600, rewritten atomically -- a new file, fsync,
 * rename -- on every change, or PINS_WRITE_DELAY_MS after the first of a
 * burst of first-use pins, pins_set_soon()):
 *
 *   # comment
 *   BARE-JID NODE-ID FINGERPRINT
 *
 * one member per line; BARE-JID lower-case, NODE-ID 32 hex digits,
 * FINGERPRINT as in presences (AB:CD:...). Unparsable lines are reported
 * and dropped at the next rewrite.
 */
#ifndef EVPND_PINS_H
#define EVPND_PINS_H

#include <stdbool.h>
#include <stddef.h>

#include "id.h"

#define PINS_FILE "known_peers"

struct pins;

enum pin_verdict {
	PIN_NEW,	/* JID never seen: pin it (pins_set) */
	PIN_MATCH,	/* the pinned key */
	PIN_CHANGED,	/* another key: refuse until accepted */
};

/* Load STATE_DIR/known_peers (absent: empty). NULL on a read error (logged). */
struct pins *pins_open(const char *state_dir);
/* An in-memory store that is never written (tests). */
struct pins *pins_new_memory(void);
void pins_free(struct pins *ps);

/* @jid may carry a resource; only the bare JID counts. */
enum pin_verdict pins_check(const struct pins *ps, const char *jid,
			    const struct evpn_id *id);
/* Pin (or re-pin) @jid to @id / @fp and write the file. 0 or -1 (logged;
 * the pin then lives in memory only). */
int pins_set(struct pins *ps, const char *jid, const struct evpn_id *id,
	     const char *fp);
/*
 * The same, but the file is written PINS_WRITE_DELAY_MS later, once for all
 * the pins set meanwhile (and at pins_free()): for first-use pins, which
 * come in bursts (a node's start links it to ~10 members within seconds,
 * and each rewrite is a file, an fsync and a rename on the main loop). A
 * crash within that delay loses those pins: the members are pinned again
 * at their next link (trust on first use once more). The pin itself is in
 * force at once.
 */
#define PINS_WRITE_DELAY_MS	1000
void pins_set_soon(struct pins *ps, const char *jid, const struct evpn_id *id,
		   const char *fp);
/* The pinned ID of @jid, or NULL. */
const struct evpn_id *pins_get(const struct pins *ps, const char *jid);
/* "alice@example.org/res" -> "alice@example.org" (lower-case); g_free(). */
char *pins_bare_jid(const char *jid);

#endif /* EVPND_PINS_H */
