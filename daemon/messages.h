/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The in-band link control messages: every message type evpnd sends as
 * DTLS application data on a link (docs/signalling.md section 6). This is
 * the only list of them; the link manager's codec (linkmgr/linkctl.c)
 * sends and dispatches them, nbrs.c encodes and parses NBRS bodies.
 *
 * Fixed messages are 9 bytes: type(1) epoch(BE32) key_id(BE32).
 *   KEYID      "I accept records of @epoch under receive key ID @key_id";
 *              for epoch >= 1 followed by a fresh X25519 public key
 *              (MSG_LEN_PUB bytes in all) that is mixed into the epoch's
 *              keys (rekey.h)
 *   KEYACK     "I installed @epoch for transmit too: switch"
 *   PING       keepalive (anything received counts as liveness); key_id
 *              MSG_PING_PROBE = a probe: answer at once (with key_id 0).
 *              Every keepalive is a probe; its answer times the round trip
 *   CLOSE      orderly teardown
 *   NBRS_ACK   "I have your link list @epoch" (= its seq), key_id 0
 *   EPOCH_REQ  (controlled side to controlling side) "start a key epoch
 *              after @epoch": its datapath link had to be re-created
 *              without keys (ICE moved the link to another socket, and
 *              evpn.ko cannot re-key a link in place: the nonce counter
 *              would restart); key_id 0; retransmitted until the KEYID
 *   PMTU_ACK   "your PMTU_PROBE @epoch (= its seq) of @key_id (= its size)
 *              bytes arrived" (linkmgr/pmtu.c)
 * Variable:
 *   NBRS       type(1) seq(BE32) count(1) count x node ID (16 bytes)
 *              (nbrs.h: the sender's UP links, for 1-lookahead routing)
 *   PMTU_PROBE type(1) seq(BE32) size(BE32) zeros: padded so that the DTLS
 *              datagram is exactly @size bytes, the record size it tests
 *              (in-band path MTU discovery, RFC 8899; linkmgr/pmtu.c)
 * Unknown types are ignored (they still count as liveness).
 */
#ifndef EVPND_MESSAGES_H
#define EVPND_MESSAGES_H

#include <stdint.h>

enum msg_type {
	MSG_KEYID = 1,
	MSG_KEYACK = 2,
	MSG_PING = 3,
	MSG_CLOSE = 4,
	MSG_NBRS = 5,
	MSG_NBRS_ACK = 6,
	MSG_EPOCH_REQ = 7,
	MSG_PMTU_PROBE = 10,
	MSG_PMTU_ACK = 11,
};

#define MSG_LEN		9		/* the fixed messages */
#define MSG_PUB_LEN	32		/* X25519 public key (REKEY_PUB_LEN) */
#define MSG_LEN_PUB	(MSG_LEN + MSG_PUB_LEN)	/* KEYID for epoch >= 1 */
#define MSG_PING_PROBE	1		/* PING key_id: "answer now" */

static inline void msg_put_be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v;
}

static inline uint32_t msg_get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

#endif /* EVPND_MESSAGES_H */
