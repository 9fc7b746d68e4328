// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * TURN framing around evpn records: see turn.h and docs/protocol.md
 * "Relayed links".
 */
#include "turn.h"
#include "wire.h"

static uint16_t get16(const uint8_t *b)
{
	return (uint16_t)(b[0] << 8 | b[1]);
}

static void put16(uint8_t *b, uint16_t v)
{
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

static uint32_t get32(const uint8_t *b)
{
	return (uint32_t)get16(b) << 16 | get16(b + 2);
}

static void put32(uint8_t *b, uint32_t v)
{
	put16(b, (uint16_t)(v >> 16));
	put16(b + 2, (uint16_t)v);
}

static bool is_record(const uint8_t *p, size_t len)
{
	return len && (p[0] & EVPN_MAGIC_MASK) == EVPN_MAGIC;
}

/* ChannelData: channel, length, payload (UDP may carry up to 3 bytes of
 * padding after it, RFC 8656 section 12.5). */
static bool parse_cd(const uint8_t *buf, size_t len, struct evpn_turn_in *in)
{
	uint16_t ch, n;

	if (len < EVPN_TURN_CD_HLEN)
		return false;
	ch = get16(buf);
	n = get16(buf + 2);
	if (ch < EVPN_TURN_CHAN_MIN || ch > EVPN_TURN_CHAN_MAX ||
	    n > len - EVPN_TURN_CD_HLEN ||
	    !is_record(buf + EVPN_TURN_CD_HLEN, n))
		return false;
	in->off = EVPN_TURN_CD_HLEN;
	in->len = n;
	in->channel = ch;
	return true;
}

/* Data indication: a well-formed STUN message whose DATA attribute (the
 * first one) holds a record. */
static bool parse_data_ind(const uint8_t *buf, size_t len,
			   struct evpn_turn_in *in)
{
	size_t mlen, pos;

	if (len < EVPN_TURN_STUN_HLEN || get16(buf) != EVPN_TURN_DATA_IND ||
	    get32(buf + 4) != EVPN_TURN_MAGIC)
		return false;
	mlen = get16(buf + 2);
	if ((mlen & 3) || mlen > len - EVPN_TURN_STUN_HLEN)
		return false;
	len = EVPN_TURN_STUN_HLEN + mlen;
	for (pos = EVPN_TURN_STUN_HLEN; len - pos >= 4;) {
		uint16_t type = get16(buf + pos), alen = get16(buf + pos + 2);
		size_t padded = ((size_t)alen + 3) & ~(size_t)3;

		if (padded > len - pos - 4)
			return false;
		if (type == EVPN_TURN_ATTR_DATA) {
			if (!is_record(buf + pos + 4, alen))
				return false;
			in->off = pos + 4;
			in->len = alen;
			in->channel = 0;
			return true;
		}
		pos += 4 + padded;
	}
	return false;
}

bool evpn_turn_parse(const uint8_t *buf, size_t len, struct evpn_turn_in *in)
{
	if (!len)
		return false;
	if (buf[0] >= 0x40 && buf[0] <= 0x4F)
		return parse_cd(buf, len, in);
	return parse_data_ind(buf, len, in);
}

static size_t xpeer_len(const struct evpn_turn_peer *peer)
{
	return peer->family == 6 ? 20 : 8;
}

size_t evpn_turn_send_hlen(const struct evpn_turn_peer *peer)
{
	return EVPN_TURN_STUN_HLEN + 4 + xpeer_len(peer) + 4;
}

size_t evpn_turn_pad(size_t plen)
{
	return (4 - (plen & 3)) & 3;
}

void evpn_turn_send_hdr(uint8_t *out, const struct evpn_turn_peer *peer,
			const uint8_t *txid, size_t plen)
{
	size_t xl = xpeer_len(peer), alen = peer->family == 6 ? 16 : 4, i;
	uint8_t *a = out + EVPN_TURN_STUN_HLEN;
	uint8_t mask[16];

	put16(out, EVPN_TURN_SEND_IND);
	put16(out + 2, (uint16_t)(4 + xl + 4 + plen + evpn_turn_pad(plen)));
	put32(out + 4, EVPN_TURN_MAGIC);
	memcpy(out + 8, txid, EVPN_TURN_TXID_LEN);
	/* XOR-PEER-ADDRESS: port ^ cookie's top half, address ^ cookie
	 * (IPv6: ^ cookie || transaction ID), RFC 8489 section 14.2 */
	put32(mask, EVPN_TURN_MAGIC);
	memcpy(mask + 4, txid, EVPN_TURN_TXID_LEN);
	put16(a, EVPN_TURN_ATTR_XPEER);
	put16(a + 2, (uint16_t)xl);
	a[4] = 0;
	a[5] = peer->family == 6 ? 0x02 : 0x01;
	put16(a + 6, peer->port ^ (uint16_t)(EVPN_TURN_MAGIC >> 16));
	for (i = 0; i < alen; i++)
		a[8 + i] = peer->addr[i] ^ mask[i];
	a += 4 + xl;
	put16(a, EVPN_TURN_ATTR_DATA);
	put16(a + 2, (uint16_t)plen);
}

void evpn_turn_cd_hdr(uint8_t out[EVPN_TURN_CD_HLEN], uint16_t channel,
		      size_t plen)
{
	put16(out, channel);
	put16(out + 2, (uint16_t)plen);
}
