// SPDX-License-Identifier: GPL-2.0 OR MIT
/* ICMP "fragmentation needed" / ICMPv6 "packet too big" (see icmp.h). */
#include "csum.h"
#include "icmp.h"

#define ET_VLAN		0x8100
#define ET_IPV4		0x0800
#define ET_IPV6		0x86DD
#define IPV4_DF		0x4000
#define IPV4_OFFMASK	0x1fff
#define PROTO_ICMP	1
#define PROTO_ICMPV6	58
#define ICMP_UNREACH	3
#define ICMP_FRAG_NEEDED 4
#define ICMP6_TOO_BIG	2
#define IP4_QUOTE	(20 + 8 + 520)	/* what we quote: header + more */
#define IP6_MIN_MTU	1280

static uint16_t get16(const uint8_t *b)
{
	return (uint16_t)(b[0] << 8 | b[1]);
}

static void put16(uint8_t *b, uint16_t v)
{
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

static void put32(uint8_t *b, uint32_t v)
{
	put16(b, (uint16_t)(v >> 16));
	put16(b + 2, (uint16_t)v);
}

/* Ethernet header of the answer: back to the sender, from its peer. */
static size_t eth_reply(const uint8_t *f, size_t l2, uint8_t *out)
{
	memcpy(out, f + 6, 6);
	memcpy(out + 6, f, 6);
	memcpy(out + 12, f + 12, l2 - 12);	/* VLAN tag and ethertype */
	return l2;
}

static size_t too_big4(const uint8_t *f, size_t len, size_t l3, uint32_t mtu,
		       uint8_t *out)
{
	const uint8_t *ip = f + l3;
	size_t ihl = (size_t)(ip[0] & 15) * 4, q, n;
	uint8_t *o, *ic;

	if (len < l3 + 20 || ip[0] >> 4 != 4 || ihl < 20 || len < l3 + ihl)
		return 0;
	if (!(get16(ip + 6) & IPV4_DF) || (get16(ip + 6) & IPV4_OFFMASK))
		return 0;
	if (ip[12] >= 224 || !(ip[12] | ip[13] | ip[14] | ip[15]))
		return 0;	/* group or unspecified source */
	if (ip[9] == PROTO_ICMP && len >= l3 + ihl + 1 &&
	    ip[ihl] != 8 && ip[ihl] != 0)
		return 0;	/* never answer an ICMP error (RFC 1122) */
	q = len - l3 < IP4_QUOTE ? len - l3 : IP4_QUOTE;
	n = eth_reply(f, l3, out);
	o = out + n;
	memset(o, 0, 28);
	o[0] = 0x45;
	put16(o + 2, (uint16_t)(28 + q));
	o[8] = 64;
	o[9] = PROTO_ICMP;
	memcpy(o + 12, ip + 16, 4);	/* from the packet's destination */
	memcpy(o + 16, ip + 12, 4);	/* to its source */
	put16(o + 10, evpn_csum(o, 20, 0));
	ic = o + 20;
	ic[0] = ICMP_UNREACH;
	ic[1] = ICMP_FRAG_NEEDED;
	put16(ic + 6, (uint16_t)mtu);	/* next-hop MTU (RFC 1191) */
	memcpy(ic + 8, ip, q);
	put16(ic + 2, evpn_csum(ic, 8 + q, 0));
	return n + 28 + q;
}

static size_t too_big6(const uint8_t *f, size_t len, size_t l3, uint32_t mtu,
		       uint8_t *out)
{
	const uint8_t *ip = f + l3;
	size_t q, n, plen;
	uint8_t *o, *ic;
	uint32_t s;
	int i, zero = 1;

	if (len < l3 + 40 || ip[0] >> 4 != 6 || ip[8] == 0xff)
		return 0;	/* short, or a multicast source */
	for (i = 8; i < 24; i++)
		zero &= !ip[i];
	if (zero)
		return 0;
	if (ip[6] == PROTO_ICMPV6 && len >= l3 + 41 && ip[40] < 128)
		return 0;	/* an ICMPv6 error (RFC 4443 2.4 e) */
	/* as much of the packet as keeps the answer within 1280 bytes */
	q = len - l3 < IP6_MIN_MTU - 48 ? len - l3 : IP6_MIN_MTU - 48;
	plen = 8 + q;
	n = eth_reply(f, l3, out);
	o = out + n;
	memset(o, 0, 48);
	o[0] = 0x60;
	put16(o + 4, (uint16_t)plen);
	o[6] = PROTO_ICMPV6;
	o[7] = 64;
	memcpy(o + 8, ip + 24, 16);	/* from the packet's destination */
	memcpy(o + 24, ip + 8, 16);	/* to its source */
	ic = o + 40;
	ic[0] = ICMP6_TOO_BIG;
	put32(ic + 4, mtu < IP6_MIN_MTU ? IP6_MIN_MTU : mtu);
	memcpy(ic + 8, ip, q);
	/* pseudo-header: addresses, length, next header */
	s = evpn_csum_add(o + 8, 32, 0) + (uint32_t)plen + PROTO_ICMPV6;
	put16(ic + 2, evpn_csum(ic, plen, s));
	return n + 40 + plen;
}

size_t evpn_icmp_too_big(const uint8_t *f, size_t len, uint32_t mtu,
			 uint8_t *out)
{
	size_t l3 = 14;
	uint16_t et;

	if (len < 18 || (f[6] & 1))	/* group source MAC */
		return 0;
	et = get16(f + 12);
	if (et == ET_VLAN) {
		et = get16(f + 16);
		l3 += 4;
	}
	if (et == ET_IPV4)
		return too_big4(f, len, l3, mtu, out);
	if (et == ET_IPV6)
		return too_big6(f, len, l3, mtu, out);
	return 0;
}
