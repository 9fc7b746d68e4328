/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The evpn data record: the one definition of the wire format, shared by
 * evpn.ko and evpnd's TAP datapath. docs/protocol.md describes every byte.
 *
 *   0      1      2      3      4                               8
 *   +------+------+------+------+-------------------------------+
 *   | type | ttl  |  reserved=0 |        key_id (BE32)          |
 *   +------+------+------+------+-------------------------------+
 *   8                     counter (BE64)                        16
 *   16                    src node ID (16 bytes)                32
 *   32                    dst node ID / flood end (16 bytes)    48
 *   48                    AEAD ciphertext of the Ethernet frame
 *   ..                    AEAD tag (16 bytes)
 *
 * The 48 header bytes are the AEAD's associated data; the inner Ethernet
 * frame is the plaintext. Every hop decrypts with its receive key and
 * re-encrypts with the next link's transmit key (TTL decremented).
 */
#ifndef EVPN_WIRE_H
#define EVPN_WIRE_H

#include "evpn_types.h"
#include "id.h"
#include <linux/evpn.h>

/* First byte. RFC 7983 demultiplexing: STUN 0-3, DTLS 20-63, TURN channels
 * 64-79 are taken; evpn data records use 0xE0-0xEF (0xE1, 0xE2 in v1). */
#define EVPN_TYPE_UNICAST	0xE1
#define EVPN_TYPE_FLOOD		0xE2	/* dst field is the flood interval end */
#define EVPN_TYPE_E2E		0xE3	/* unicast whose plaintext is an e2e payload */
/* Fragments of a payload too large for one record (core/frag.h): forwarded
 * as 0xE1 / 0xE2 are, reassembled where delivered. */
#define EVPN_TYPE_UNICAST_FRAG	0xE4
#define EVPN_TYPE_FLOOD_FRAG	0xE5	/* dst field is the flood interval end */
/* Multicast membership announcement (core/mcast.h): flooded like 0xE2,
 * the plaintext is a group list, not an Ethernet frame. 0xE7 is reserved
 * for multicast too. */
#define EVPN_TYPE_MCAST_ANN	0xE6
#define EVPN_MAGIC_MASK		0xF0
#define EVPN_MAGIC		0xE0

#define EVPN_HDR_LEN		48
#define EVPN_TAG_LEN		16
#define EVPN_OVERHEAD		(EVPN_HDR_LEN + EVPN_TAG_LEN)
#define EVPN_ETH_HLEN		14
#define EVPN_MIN_INNER_LEN	EVPN_ETH_HLEN
#define EVPN_MAX_INNER_LEN	(9000 + EVPN_ETH_HLEN + 4)	/* 9000 MTU + VLAN */

#define EVPN_KEY_LEN		32	/* AES-256-GCM and ChaCha20-Poly1305 */
#define EVPN_IV_LEN		12
#define EVPN_NONCE_LEN		12

/*
 * TTL: an origin sends EVPN_TTL_DEFAULT, every hop forwards with ttl - 1, so
 * no conforming sender ever emits more than EVPN_TTL_MAX. A record above it
 * is dropped on arrival (reason TTL) in evpn_hdr_decode(): it could only
 * make a crafted frame travel (and a flood fan out) further than any honest
 * one. Symphony paths are O(log N) hops (under 20 for N = 2^15), far below.
 */
#define EVPN_TTL_DEFAULT	64
#define EVPN_TTL_MAX		64
#if EVPN_TTL_DEFAULT > EVPN_TTL_MAX
#error "senders must never emit a TTL above EVPN_TTL_MAX"
#endif

/*
 * Sizes (docs/protocol.md section 10). The default device MTU is a standard
 * Ethernet's 1500: a frame that does not fit one record is split into
 * fragment records (core/frag.h). A record must fit a 1500-byte underlay
 * path in the worst case we support: IPv6 (40) + UDP (8) + TURN ChannelData
 * (4) = 52 bytes below the record, so a record is at most 1448 bytes
 * (EVPN_RECORD_DEFAULT) until path MTU probing says otherwise, and an inner
 * frame of up to 1448 - 64 = 1384 bytes (MTU 1370) travels unfragmented.
 */
#define EVPN_UNDERLAY_HDR_MAX	(40 + 8 + 4)
#define EVPN_UNDERLAY_OVERHEAD_MAX (EVPN_UNDERLAY_HDR_MAX + EVPN_OVERHEAD + \
				    EVPN_ETH_HLEN)
#define EVPN_UNFRAG_MTU		(1500 - EVPN_UNDERLAY_OVERHEAD_MAX)	/* 1370 */
#define EVPN_DEFAULT_MTU	1500
/*
 * The device MTU range (both datapaths' config, evpn.ko's min_mtu/max_mtu).
 * The least is IPv6's minimum link MTU (RFC 8200 section 5): the segment
 * carries IPv6 (ND, MLD snooping), which the kernel disables on a device
 * below 1280, and an ICMPv6 "packet too big" below 1280 is not honoured
 * (RFC 8201). A smaller MTU would gain nothing either: a frame that does
 * not fit one record is split into fragment records anyway. The largest
 * is what one record may carry: a 9000-byte payload under an Ethernet
 * header and a VLAN tag (EVPN_MAX_INNER_LEN).
 */
#define EVPN_MIN_MTU		1280
#define EVPN_MAX_MTU		(EVPN_MAX_INNER_LEN - EVPN_ETH_HLEN - 4)	/* 9000 */
#define EVPN_RECORD_DEFAULT	(1500 - EVPN_UNDERLAY_HDR_MAX)		/* 1448 */
/* EVPN_RECORD_MIN / EVPN_RECORD_MAX (uapi, the netlink spec): the range of
 * a link's record size, an IPv6 minimum-MTU path (1280) to the largest
 * record. */
_Static_assert(EVPN_RECORD_MIN == 1280 - EVPN_UNDERLAY_HDR_MAX, "record-min");
_Static_assert(EVPN_RECORD_MAX == EVPN_MAX_INNER_LEN + EVPN_OVERHEAD,
	       "record-max");

/* Key lifetime (docs/protocol.md "Rekeying"): rekey at the soft limits, stop
 * using (and accepting) a key at the hard ones. Packet limits follow the
 * AES-GCM confidentiality bound used by TLS 1.3 (2^24.5 records). */
#define EVPN_REKEY_AFTER_PACKETS	(1ULL << 24)
#define EVPN_REJECT_AFTER_PACKETS	(1ULL << 25)
#define EVPN_REKEY_AFTER_SECONDS	120
#define EVPN_REJECT_AFTER_SECONDS	300

/*
 * End-to-end payload (docs/protocol.md section 14): the hop AEAD's plaintext
 * of a 0xE3 record, sealed by the origin with the pair key of (src, dst) and
 * opened only by dst. A self-contained byte string (a fragment may carry it):
 *
 *   0      e2e counter (BE64): per pair key and direction, never repeats
 *   8      ChaCha20-Poly1305 ciphertext of the Ethernet frame
 *   8+L    tag (16 bytes)
 *
 * AAD = src ID (16) || dst ID (16) || the counter; nonce = evpn_nonce(pair
 * IV, counter). The pair key is named by (src, dst): no key ID, so that a
 * full-size frame's e2e record still fits a 1500-byte IPv4 path
 * (20 + 8 + 64 + 24 + 14 + 1370 = 1500).
 */
#define EVPN_E2E_HDR_LEN	8
#define EVPN_E2E_OVERHEAD	(EVPN_E2E_HDR_LEN + EVPN_TAG_LEN)	/* 24 */
#define EVPN_E2E_AAD_LEN	(2 * EVPN_ID_LEN + EVPN_E2E_HDR_LEN)	/* 40 */
/* The largest plaintext of any record: the e2e payload of the largest
 * frame (what a fragmented 0xE3 reassembles to). */
#define EVPN_MAX_PAYLOAD_LEN	(EVPN_MAX_INNER_LEN + EVPN_E2E_OVERHEAD)	/* 9042 */
/* Pair keys are per run (fresh X25519 each start) or carry a wall-clock
 * counter start (static mode); the limit only keeps 2^64 out of reach. */
#define EVPN_E2E_REJECT_AFTER	(1ULL << 62)

struct evpn_e2e_hdr {
	uint64_t counter;
};

void evpn_e2e_hdr_encode(uint8_t out[EVPN_E2E_HDR_LEN],
			 const struct evpn_e2e_hdr *e);
void evpn_e2e_hdr_decode(struct evpn_e2e_hdr *e,
			 const uint8_t in[EVPN_E2E_HDR_LEN]);
/* @aad = src || dst || @e2e_hdr (the payload's first 12 bytes). */
void evpn_e2e_aad(uint8_t aad[EVPN_E2E_AAD_LEN], const struct evpn_id *src,
		  const struct evpn_id *dst,
		  const uint8_t e2e_hdr[EVPN_E2E_HDR_LEN]);

/* Packet classes by first byte (RFC 7983 + ours). */
enum evpn_pkt_class {
	EVPN_PKT_STUN,
	EVPN_PKT_DTLS,
	EVPN_PKT_TURN_CHANNEL,
	EVPN_PKT_DATA,		/* an evpn record type this version knows */
	EVPN_PKT_DATA_UNKNOWN,	/* evpn magic, unknown version/type */
	EVPN_PKT_OTHER,
};
enum evpn_pkt_class evpn_classify(uint8_t first_byte);

/* A decoded header, host byte order. */
struct evpn_hdr {
	uint8_t type;
	uint8_t ttl;
	uint32_t key_id;
	uint64_t counter;
	struct evpn_id src;
	struct evpn_id dst;
};

void evpn_hdr_encode(uint8_t out[EVPN_HDR_LEN], const struct evpn_hdr *h);

/*
 * Strict pre-authentication validation of a whole record of @len bytes:
 * length bounds (header + tag + at least an Ethernet header, at most
 * EVPN_MAX_INNER_LEN of plaintext), type, reserved bytes zero, key ID non-zero,
 * TTL at most EVPN_TTL_MAX (EVPN_DROP_TTL). TTL 0 is judged by the caller
 * after authentication.
 * Returns EVPN_DROP_NONE and fills @h, or the drop reason.
 */
enum evpn_drop_reason evpn_hdr_decode(struct evpn_hdr *h, const uint8_t *pkt,
				      size_t len);

/* nonce = iv XOR (4 zero bytes || BE64(counter)): unique per key while the
 * counter never repeats (it is never reset under a key). */
void evpn_nonce(uint8_t nonce[EVPN_NONCE_LEN], const uint8_t iv[EVPN_IV_LEN],
		uint64_t counter);

#endif /* EVPN_WIRE_H */
