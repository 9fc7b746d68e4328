// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * IGMP (RFC 2236, 3376) and MLD (RFC 2710, 3810) snooping and the local
 * querier's frames (see mcsnoop.h).
 */
#include "csum.h"
#include "mcsnoop.h"

#define ETH_P_IPV4	0x0800
#define ETH_P_IPV6	0x86dd
#define PROTO_IGMP	2
#define PROTO_HOPOPTS	0
#define PROTO_ICMPV6	58
#define PROTO_PIM	103

#define IGMP_QUERY	0x11
#define IGMP_V1_REPORT	0x12
#define IGMP_V2_REPORT	0x16
#define IGMP_V2_LEAVE	0x17
#define IGMP_V3_REPORT	0x22
#define MLD_QUERY	130
#define MLD_V1_REPORT	131
#define MLD_V1_DONE	132
#define MLD_V2_REPORT	143

/* IGMPv3/MLDv2 group record types */
#define REC_IS_IN	1
#define REC_IS_EX	2
#define REC_TO_IN	3
#define REC_TO_EX	4
#define REC_ALLOW	5
#define REC_BLOCK	6

static const uint8_t router_addr[EVPN_MC_ADDR_LEN];

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* An IPv4 header at @ip (@len bytes): its header length, or 0 if bad. */
static size_t ip4_hlen(const uint8_t *ip, size_t len)
{
	size_t hl;

	if (len < 20 || (ip[0] >> 4) != 4)
		return 0;
	hl = (size_t)(ip[0] & 0x0f) * 4;
	return hl >= 20 && hl <= len ? hl : 0;
}

static void v4_mapped(uint8_t out[EVPN_MC_ADDR_LEN], const uint8_t *a4)
{
	memset(out, 0, 10);
	out[10] = 0xff;
	out[11] = 0xff;
	memcpy(out + 12, a4, 4);
}

static bool v4_link_local(const uint8_t *a4)
{
	return a4[0] == 224 && a4[1] == 0 && a4[2] == 0;
}

static bool v4_multicast(const uint8_t *a4)
{
	return (a4[0] & 0xf0) == 0xe0;
}

/* Scope 0-2 (reserved, interface-local, link-local): ff02::/16 and kin. */
static bool v6_link_local(const uint8_t *a6)
{
	return (a6[1] & 0x0f) <= 2;
}

/*
 * IPv6 upper-layer protocol after any Hop-by-Hop header: sets *off to its
 * offset from @ip and returns the protocol number, or -1.
 */
static int ip6_upper(const uint8_t *ip, size_t len, size_t *off)
{
	uint8_t nh;
	size_t o = 40;

	if (len < 40 || (ip[0] >> 4) != 6)
		return -1;
	nh = ip[6];
	if (nh == PROTO_HOPOPTS) {
		if (len < o + 8)
			return -1;
		nh = ip[o];
		o += ((size_t)ip[o + 1] + 1) * 8;
		if (o > len)
			return -1;
	}
	*off = o;
	return nh;
}

static bool mld_type_is_ctrl(uint8_t t)
{
	return t == MLD_V1_REPORT || t == MLD_V1_DONE || t == MLD_V2_REPORT;
}

static bool igmp_type_is_ctrl(uint8_t t)
{
	return t == IGMP_V1_REPORT || t == IGMP_V2_REPORT ||
	       t == IGMP_V2_LEAVE || t == IGMP_V3_REPORT;
}

static enum evpn_mc_class classify4(const uint8_t *ip, size_t len,
				    uint8_t *group)
{
	size_t hl = ip4_hlen(ip, len);

	if (!hl || !v4_multicast(ip + 16))
		return EVPN_MC_FLOOD;
	if (ip[9] == PROTO_IGMP && len > hl && igmp_type_is_ctrl(ip[hl]))
		return EVPN_MC_CTRL;
	if (v4_link_local(ip + 16))
		return EVPN_MC_FLOOD;
	v4_mapped(group, ip + 16);
	return EVPN_MC_DATA;
}

static enum evpn_mc_class classify6(const uint8_t *ip, size_t len,
				    uint8_t *group)
{
	size_t off;
	int nh = ip6_upper(ip, len, &off);

	if (nh < 0 || ip[24] != 0xff)
		return EVPN_MC_FLOOD;
	if (nh == PROTO_ICMPV6 && len > off && mld_type_is_ctrl(ip[off]))
		return EVPN_MC_CTRL;
	if (v6_link_local(ip + 24))
		return EVPN_MC_FLOOD;
	memcpy(group, ip + 24, EVPN_MC_ADDR_LEN);
	return EVPN_MC_DATA;
}

enum evpn_mc_class evpn_mc_classify(const uint8_t *frame, size_t len,
				    uint8_t group[EVPN_MC_ADDR_LEN])
{
	uint16_t type;

	/* only IP multicast MACs: broadcast, unicast, other groups flood */
	if (len < 14 || !(frame[0] & 1))
		return EVPN_MC_FLOOD;
	type = rd16(frame + 12);
	if (type == ETH_P_IPV4 && frame[0] == 0x01 && frame[1] == 0x00 &&
	    frame[2] == 0x5e)
		return classify4(frame + 14, len - 14, group);
	if (type == ETH_P_IPV6 && frame[0] == 0x33 && frame[1] == 0x33)
		return classify6(frame + 14, len - 14, group);
	return EVPN_MC_FLOOD;
}

/* ---- snooping local reports ------------------------------------------- */

struct snoop {
	struct evpn_mc *mc;
	uint64_t now;
	int ret;
	uint8_t *left;
};

static void join(struct snoop *s, const uint8_t *addr)
{
	if (evpn_mc_local_join(s->mc, addr, s->now) == EVPN_MC_NEW)
		s->ret |= EVPN_MC_SNOOP_CHANGED;
}

static void leave(struct snoop *s, const uint8_t *addr, bool v6)
{
	evpn_mc_local_leave(s->mc, addr, s->now);
	memcpy(s->left, addr, EVPN_MC_ADDR_LEN);
	s->ret |= EVPN_MC_SNOOP_LEFT | (v6 ? EVPN_MC_SNOOP_V6 : 0);
}

/* One IGMPv3/MLDv2 group record's effect on a port's membership. */
static void record(struct snoop *s, uint8_t type, uint16_t nsrc,
		   const uint8_t *addr, bool v6)
{
	switch (type) {
	case REC_IS_EX:
	case REC_TO_EX:
		join(s, addr);
		break;
	case REC_IS_IN:
	case REC_TO_IN:
	case REC_ALLOW:
		/* source-specific: any source wanted means the group is */
		if (nsrc)
			join(s, addr);
		else if (type != REC_ALLOW)
			leave(s, addr, v6);
		break;
	default:	/* BLOCK, unknown: no change to "someone wants it" */
		break;
	}
}

static void igmp_v3(struct snoop *s, const uint8_t *p, size_t len)
{
	uint8_t addr[EVPN_MC_ADDR_LEN];
	size_t off = 8, rl;
	uint16_t n, nsrc;

	if (len < 8)
		return;
	for (n = rd16(p + 6); n; n--) {
		if (off + 8 > len)
			return;
		nsrc = rd16(p + off + 2);
		rl = 8 + (size_t)nsrc * 4 + (size_t)p[off + 1] * 4;
		if (off + rl > len)
			return;
		if (v4_multicast(p + off + 4) && !v4_link_local(p + off + 4)) {
			v4_mapped(addr, p + off + 4);
			record(s, p[off], nsrc, addr, false);
		}
		off += rl;
	}
}

static void snoop4(struct snoop *s, const uint8_t *ip, size_t len)
{
	uint8_t addr[EVPN_MC_ADDR_LEN];
	size_t hl = ip4_hlen(ip, len);
	const uint8_t *p = ip + hl;

	if (!hl)
		return;
	if (ip[9] == PROTO_PIM) {
		join(s, router_addr);
		return;
	}
	if (ip[9] != PROTO_IGMP || len < hl + 8)
		return;
	len -= hl;
	if (p[0] == IGMP_QUERY) {
		join(s, router_addr);
		return;
	}
	if (p[0] == IGMP_V3_REPORT) {
		igmp_v3(s, p, len);
		return;
	}
	if (!v4_multicast(p + 4) || v4_link_local(p + 4))
		return;
	v4_mapped(addr, p + 4);
	if (p[0] == IGMP_V1_REPORT || p[0] == IGMP_V2_REPORT)
		join(s, addr);
	else if (p[0] == IGMP_V2_LEAVE)
		leave(s, addr, false);
}

static void mld_v2(struct snoop *s, const uint8_t *p, size_t len)
{
	size_t off = 8, rl;
	uint16_t n, nsrc;

	for (n = rd16(p + 6); n; n--) {
		if (off + 20 > len)
			return;
		nsrc = rd16(p + off + 2);
		rl = 20 + (size_t)nsrc * 16 + (size_t)p[off + 1] * 4;
		if (off + rl > len)
			return;
		if (p[off + 4] == 0xff && !v6_link_local(p + off + 4))
			record(s, p[off], nsrc, p + off + 4, true);
		off += rl;
	}
}

static void snoop6(struct snoop *s, const uint8_t *ip, size_t len)
{
	size_t off;
	int nh = ip6_upper(ip, len, &off);
	const uint8_t *p = ip + off;

	if (nh == PROTO_PIM) {
		join(s, router_addr);
		return;
	}
	if (nh != PROTO_ICMPV6 || len < off + 8)
		return;
	len -= off;
	switch (p[0]) {
	case MLD_QUERY:
		join(s, router_addr);
		return;
	case MLD_V2_REPORT:
		mld_v2(s, p, len);
		return;
	case MLD_V1_REPORT:
	case MLD_V1_DONE:
		if (len < 24 || p[8] != 0xff || v6_link_local(p + 8))
			return;
		if (p[0] == MLD_V1_REPORT)
			join(s, p + 8);
		else
			leave(s, p + 8, true);
		return;
	default:
		return;
	}
}

int evpn_mc_snoop(struct evpn_mc *mc, const uint8_t *frame, size_t len,
		  uint64_t now, uint8_t left[EVPN_MC_ADDR_LEN])
{
	struct snoop s = { .mc = mc, .now = now, .left = left };
	uint16_t type;

	if (len < 14 || !(frame[0] & 1))
		return 0;
	type = rd16(frame + 12);
	if (type == ETH_P_IPV4)
		snoop4(&s, frame + 14, len - 14);
	else if (type == ETH_P_IPV6)
		snoop6(&s, frame + 14, len - 14);
	return s.ret;
}

/* ---- the local querier ----------------------------------------------- */

static void wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static const uint8_t querier_mac[6] = EVPN_MC_QUERIER_MAC;

static size_t query4(uint8_t *f, const uint8_t *group)
{
	static const uint8_t all_hosts[4] = { 224, 0, 0, 1 };
	const uint8_t *dst = group ? group + 12 : all_hosts;
	uint8_t *ip = f + 14, *q = ip + 24;

	f[0] = 0x01; f[1] = 0x00; f[2] = 0x5e;
	f[3] = dst[1] & 0x7f; f[4] = dst[2]; f[5] = dst[3];
	wr16(f + 12, ETH_P_IPV4);
	memset(ip, 0, 24 + 12);
	ip[0] = 0x46;			/* IHL 6: Router Alert option */
	ip[1] = 0xc0;			/* internetwork control */
	wr16(ip + 2, 24 + 12);
	ip[8] = 1;			/* TTL */
	ip[9] = PROTO_IGMP;
	memcpy(ip + 16, dst, 4);	/* source 0.0.0.0 */
	ip[20] = 0x94;
	ip[21] = 0x04;
	wr16(ip + 10, evpn_csum(ip, 24, 0));
	q[0] = IGMP_QUERY;
	q[1] = EVPN_MC_QUERY_RESPONSE * 10;	/* tenths of a second */
	if (group)
		memcpy(q + 4, group + 12, 4);
	q[8] = 2;			/* QRV */
	q[9] = EVPN_MC_QUERY_INTERVAL;	/* QQIC (< 128: exact) */
	wr16(q + 2, evpn_csum(q, 12, 0));
	return 14 + 24 + 12;
}

static size_t query6(uint8_t *f, const uint8_t *group)
{
	static const uint8_t all_nodes[16] = { 0xff, 0x02, [15] = 1 };
	const uint8_t *dst = group ? group : all_nodes;
	uint8_t *ip = f + 14, *h = ip + 40, *q = h + 8;
	uint32_t sum = 0;
	int i;

	f[0] = 0x33; f[1] = 0x33;
	memcpy(f + 2, dst + 12, 4);
	wr16(f + 12, ETH_P_IPV6);
	memset(ip, 0, 40 + 8 + 28);
	ip[0] = 0x60;
	wr16(ip + 4, 8 + 28);
	ip[6] = PROTO_HOPOPTS;
	ip[7] = 1;			/* hop limit */
	/* fe80::65:76ff:fe70:6e71, the EUI-64 of the querier MAC */
	ip[8] = 0xfe; ip[9] = 0x80;
	ip[16] = querier_mac[0] ^ 0x02; ip[17] = querier_mac[1];
	ip[18] = querier_mac[2]; ip[19] = 0xff; ip[20] = 0xfe;
	ip[21] = querier_mac[3]; ip[22] = querier_mac[4];
	ip[23] = querier_mac[5];
	memcpy(ip + 24, dst, 16);
	h[0] = PROTO_ICMPV6;
	h[2] = 5; h[3] = 2;		/* Router Alert: MLD */
	h[6] = 1;			/* PadN, 0 bytes */
	q[0] = MLD_QUERY;
	wr16(q + 4, EVPN_MC_QUERY_RESPONSE * 1000);	/* ms */
	if (group)
		memcpy(q + 8, group, 16);
	q[24] = 2;
	q[25] = EVPN_MC_QUERY_INTERVAL;
	/* pseudo-header: addresses, length, next header */
	for (i = 0; i < 32; i += 2)
		sum += (uint32_t)(ip[8 + i] << 8 | ip[9 + i]);
	sum += 28 + PROTO_ICMPV6;
	wr16(q + 2, evpn_csum(q, 28, sum));
	return 14 + 40 + 8 + 28;
}

size_t evpn_mc_query_build(uint8_t *buf, const uint8_t *group, bool v6)
{
	memcpy(buf + 6, querier_mac, 6);
	return v6 ? query6(buf, group) : query4(buf, group);
}
