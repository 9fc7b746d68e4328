// SPDX-License-Identifier: GPL-2.0 OR MIT
/* TCP MSS clamping (see mss.h). */
#include "mss.h"

#define ETH_HLEN_	14
#define ET_VLAN		0x8100
#define ET_IPV4		0x0800
#define ET_IPV6		0x86DD
#define PROTO_TCP	6
#define TCP_SYN		0x02
#define TCPOPT_EOL	0
#define TCPOPT_NOP	1
#define TCPOPT_MSS	2

static uint16_t get16(const uint8_t *b)
{
	return (uint16_t)(b[0] << 8 | b[1]);
}

static void put16(uint8_t *b, uint16_t v)
{
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

/* RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'). A 16-bit field at an odd
 * offset from the start of the summed data counts byte-swapped (RFC 1071
 * byte order independence). */
static void csum_replace(uint8_t *csum, uint16_t old, uint16_t new, bool odd)
{
	uint32_t sum;

	if (odd) {
		old = (uint16_t)(old << 8 | old >> 8);
		new = (uint16_t)(new << 8 | new >> 8);
	}
	sum = (uint16_t)~get16(csum) + (uint16_t)~old + (uint32_t)new;
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	put16(csum, (uint16_t)~sum);
}

/* Offset of the TCP header of a TCP packet at @l3, 0 if not one we clamp;
 * *iphl is the IP header length the MSS is computed against (without
 * options, as an MTU-derived MSS is). */
static size_t tcp_offset(const uint8_t *f, size_t len, size_t l3,
			 uint16_t et, size_t *iphl)
{
	if (et == ET_IPV4) {
		if (len < l3 + 20 || f[l3] >> 4 != 4 || f[l3 + 9] != PROTO_TCP ||
		    (get16(f + l3 + 6) & 0x3fff))	/* an IP fragment */
			return 0;
		*iphl = 20;
		return l3 + (size_t)(f[l3] & 15) * 4;
	}
	if (et == ET_IPV6) {
		if (len < l3 + 40 || f[l3] >> 4 != 6 || f[l3 + 6] != PROTO_TCP)
			return 0;
		*iphl = 40;
		return l3 + 40;
	}
	return 0;
}

/* Offset of the value of an MSS option above *want (what keeps a frame
 * within @max_frame) in a TCP SYN at @f, with *l4 its TCP header; 0 if
 * there is nothing to clamp. */
static size_t mss_find(const uint8_t *f, size_t len, size_t max_frame,
		       size_t *l4p, uint16_t *want)
{
	size_t l3 = ETH_HLEN_, l4, hl, o, iphl = 0;
	uint16_t et;

	if (len < ETH_HLEN_ + 4)
		return 0;
	et = get16(f + 12);
	if (et == ET_VLAN) {
		et = get16(f + 16);
		l3 += 4;
	}
	l4 = tcp_offset(f, len, l3, et, &iphl);
	if (!l4 || len < l4 + 20 || !(f[l4 + 13] & TCP_SYN))
		return 0;
	hl = (size_t)(f[l4 + 12] >> 4) * 4;
	if (hl < 20 || len < l4 + hl || max_frame < l3 + iphl + 20 + 536)
		return 0;
	*want = (uint16_t)(max_frame - l3 - iphl - 20);
	*l4p = l4;
	for (o = l4 + 20; o < l4 + hl && f[o] != TCPOPT_EOL;) {
		if (f[o] == TCPOPT_NOP) {
			o++;
			continue;
		}
		if (o + 2 > l4 + hl || f[o + 1] < 2 || o + f[o + 1] > l4 + hl)
			return 0;
		if (f[o] == TCPOPT_MSS && f[o + 1] == 4)
			return get16(f + o + 2) > *want ? o + 2 : 0;
		o += f[o + 1];
	}
	return 0;
}

bool evpn_mss_wanted(const uint8_t *frame, size_t len, size_t max_frame)
{
	uint16_t want;
	size_t l4;

	return mss_find(frame, len, max_frame, &l4, &want) != 0;
}

bool evpn_mss_clamp(uint8_t *f, size_t len, size_t max_frame,
		    bool csum_partial)
{
	uint16_t old, want;
	size_t l4, o = mss_find(f, len, max_frame, &l4, &want);

	if (!o)
		return false;
	old = get16(f + o);
	put16(f + o, want);
	if (!csum_partial)
		csum_replace(f + l4 + 16, old, want, (o - l4) & 1);
	return true;
}
