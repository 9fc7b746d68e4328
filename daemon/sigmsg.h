/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Signalling as plain data: what a member's presence and a link message
 * say, once signalling.c has parsed them out of (or before it builds them
 * into) XMPP stanzas. The link manager works on these only and never sees
 * XMPP (docs/signalling.md sections 3 and 4).
 */
#ifndef EVPND_SIGMSG_H
#define EVPND_SIGMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "id.h"
#include "identity.h"

#define SIG_UFRAG_MAX		64
#define SIG_PWD_MAX		128
#define SIG_CAND_MAX		256	/* one SDP candidate attribute */
#define SIG_MAX_CANDS		8	/* per message */
#define SIG_REASON_MAX		64

/* Suite bits (enum dp_suite as bit numbers). */
#define SIG_SUITE_AES256GCM		(1u << 0)
#define SIG_SUITE_CHACHA20POLY1305	(1u << 1)
#define SIG_SUITES_ALL			0x3u

/* The end-to-end key in a presence (docs/protocol.md 14.2). */
#define SIG_E2E_PUB_LEN		32	/* X25519 */
#define SIG_E2E_SIG_MAX		80	/* DER ECDSA P-256 signature */
#define SIG_SPKI_MAX		128	/* DER SubjectPublicKeyInfo */

struct sig_presence {
	struct evpn_id id;
	char fp[EVPN_FP_STRLEN];
	unsigned int suites;		/* SIG_SUITE_* */
	/* optional: this run's X25519 e2e public key, signed by the node's
	 * identity key, whose SPKI (hashing to @id) comes along */
	bool has_e2e;
	uint8_t e2e_pub[SIG_E2E_PUB_LEN];
	uint8_t e2e_sig[SIG_E2E_SIG_MAX];
	size_t e2e_sig_len;
	uint8_t spki[SIG_SPKI_MAX];
	size_t spki_len;
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

const char *sig_type_name(enum sig_type t);

/* "aes256gcm chacha20poly1305" <-> bits. Parse: unknown names fail. */
int sig_suites_parse(const char *s, unsigned int *out);
void sig_suites_format(unsigned int suites, char *buf, size_t size);

#endif /* EVPND_SIGMSG_H */
