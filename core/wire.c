// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The evpn data record header: classification by first byte, encode,
 * strict decode, and nonce formation (see wire.h, docs/protocol.md).
 */
#include "wire.h"

/* Byte offsets inside the 48-byte header. */
#define OFF_TYPE	0
#define OFF_TTL		1
#define OFF_RSVD	2
#define OFF_KEY_ID	4
#define OFF_COUNTER	8
#define OFF_SRC		16
#define OFF_DST		32

static void put_be32(uint8_t *b, uint32_t v)
{
	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
}

static uint32_t get_be32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

static void put_be64(uint8_t *b, uint64_t v)
{
	put_be32(b, (uint32_t)(v >> 32));
	put_be32(b + 4, (uint32_t)v);
}

static uint64_t get_be64(const uint8_t *b)
{
	return (uint64_t)get_be32(b) << 32 | get_be32(b + 4);
}

enum evpn_pkt_class evpn_classify(uint8_t first_byte)
{
	if (first_byte <= 3)
		return EVPN_PKT_STUN;
	if (first_byte >= 20 && first_byte <= 63)
		return EVPN_PKT_DTLS;
	if (first_byte >= 64 && first_byte <= 79)
		return EVPN_PKT_TURN_CHANNEL;
	switch (first_byte) {
	case EVPN_TYPE_UNICAST:
	case EVPN_TYPE_FLOOD:
	case EVPN_TYPE_E2E:
	case EVPN_TYPE_UNICAST_FRAG:
	case EVPN_TYPE_FLOOD_FRAG:
	case EVPN_TYPE_MCAST_ANN:
		return EVPN_PKT_DATA;
	}
	if ((first_byte & EVPN_MAGIC_MASK) == EVPN_MAGIC)
		return EVPN_PKT_DATA_UNKNOWN;
	return EVPN_PKT_OTHER;
}

void evpn_hdr_encode(uint8_t out[EVPN_HDR_LEN], const struct evpn_hdr *h)
{
	out[OFF_TYPE] = h->type;
	out[OFF_TTL] = h->ttl;
	out[OFF_RSVD] = 0;
	out[OFF_RSVD + 1] = 0;
	put_be32(out + OFF_KEY_ID, h->key_id);
	put_be64(out + OFF_COUNTER, h->counter);
	evpn_id_to_bytes(&h->src, out + OFF_SRC);
	evpn_id_to_bytes(&h->dst, out + OFF_DST);
}

/*
 * Order of checks (docs/protocol.md "Validation"): the first byte decides
 * whether this is an evpn record at all, then its length, then the header
 * fields. Nothing here is authenticated yet, so only cheap structural
 * checks belong here.
 */
enum evpn_drop_reason evpn_hdr_decode(struct evpn_hdr *h, const uint8_t *pkt,
				      size_t len)
{
	size_t extra;

	if (len < 1)
		return EVPN_DROP_TRUNCATED;
	switch (evpn_classify(pkt[OFF_TYPE])) {
	case EVPN_PKT_DATA:
		break;
	case EVPN_PKT_DATA_UNKNOWN:
		return EVPN_DROP_BAD_VERSION;
	default:
		return EVPN_DROP_NOT_DATA;
	}
	/* an e2e record's plaintext is an e2e payload around the frame */
	extra = pkt[OFF_TYPE] == EVPN_TYPE_E2E ? EVPN_E2E_OVERHEAD : 0;
	if (len < EVPN_OVERHEAD + extra + EVPN_MIN_INNER_LEN)
		return EVPN_DROP_TRUNCATED;
	if (len - EVPN_OVERHEAD - extra > EVPN_MAX_INNER_LEN)
		return EVPN_DROP_OVERSIZE;
	if (pkt[OFF_RSVD] || pkt[OFF_RSVD + 1])
		return EVPN_DROP_BAD_HEADER;

	h->type = pkt[OFF_TYPE];
	h->ttl = pkt[OFF_TTL];
	if (h->ttl > EVPN_TTL_MAX)
		return EVPN_DROP_TTL;
	h->key_id = get_be32(pkt + OFF_KEY_ID);
	if (!h->key_id)
		return EVPN_DROP_BAD_HEADER;
	h->counter = get_be64(pkt + OFF_COUNTER);
	evpn_id_from_bytes(&h->src, pkt + OFF_SRC);
	evpn_id_from_bytes(&h->dst, pkt + OFF_DST);
	return EVPN_DROP_NONE;
}

void evpn_nonce(uint8_t nonce[EVPN_NONCE_LEN], const uint8_t iv[EVPN_IV_LEN],
		uint64_t counter)
{
	int i;

	for (i = 0; i < 4; i++)
		nonce[i] = iv[i];
	for (i = 11; i >= 4; i--) {
		nonce[i] = iv[i] ^ (uint8_t)counter;
		counter >>= 8;
	}
}

void evpn_e2e_hdr_encode(uint8_t out[EVPN_E2E_HDR_LEN],
			 const struct evpn_e2e_hdr *e)
{
	put_be64(out, e->counter);
}

void evpn_e2e_hdr_decode(struct evpn_e2e_hdr *e,
			 const uint8_t in[EVPN_E2E_HDR_LEN])
{
	e->counter = get_be64(in);
}

void evpn_e2e_aad(uint8_t aad[EVPN_E2E_AAD_LEN], const struct evpn_id *src,
		  const struct evpn_id *dst,
		  const uint8_t e2e_hdr[EVPN_E2E_HDR_LEN])
{
	int i;

	evpn_id_to_bytes(src, aad);
	evpn_id_to_bytes(dst, aad + EVPN_ID_LEN);
	for (i = 0; i < EVPN_E2E_HDR_LEN; i++)
		aad[2 * EVPN_ID_LEN + i] = e2e_hdr[i];
}
