// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * TAP offloads: TSO segmentation with checksums, and TCP GRO (offload.h).
 */
#include <endian.h>
#include <string.h>
#include "offload.h"

#define EV_ETH_HLEN	14
#define EV_ETH_P_IP	0x0800
#define EV_ETH_P_IPV6	0x86dd
#define IPPROTO_TCP_	6
#define TCP_FIN		0x01
#define TCP_PSH		0x08
#define TCP_ACK		0x10
#define TCP_CWR		0x80

static uint16_t get16(const uint8_t *p) { return p[0] << 8 | p[1]; }
static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}
static void put16(uint8_t *p, uint16_t v) { p[0] = v >> 8; p[1] = v; }
static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v;
}

/* One's complement sum of @len bytes (big-endian 16-bit words), unfolded. */
static uint64_t csum_add(uint64_t sum, const uint8_t *p, size_t len)
{
	while (len >= 4) {
		sum += get32(p);
		p += 4;
		len -= 4;
	}
	if (len >= 2) {
		sum += get16(p);
		p += 2;
		len -= 2;
	}
	if (len)
		sum += (uint32_t)p[0] << 8;
	return sum;
}

static uint16_t csum_fold(uint64_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

/* Pseudo-header sum for TCP over the IP header at @ip. */
static uint64_t pseudo_sum(const uint8_t *ip, int v6, size_t l4len)
{
	uint64_t s;

	if (v6)
		s = csum_add(0, ip + 8, 32);
	else
		s = csum_add(0, ip + 12, 8);
	return s + IPPROTO_TCP_ + l4len;
}

static void ip4_fix(uint8_t *ip, size_t ihl, size_t total, uint16_t id)
{
	put16(ip + 2, total);
	put16(ip + 4, id);
	put16(ip + 10, 0);
	put16(ip + 10, ~csum_fold(csum_add(0, ip, ihl)));
}

/* Where are IP and TCP in @f? Returns 0 and fills offsets, or -1. */
static int parse_tcp(const uint8_t *f, size_t len, size_t *l4, size_t *hlen,
		     int *v6)
{
	uint16_t type;
	size_t ihl, doff;

	if (len < EV_ETH_HLEN + 40)
		return -1;
	type = get16(f + 12);
	if (type == EV_ETH_P_IP) {
		ihl = (f[EV_ETH_HLEN] & 0x0f) * 4;
		if ((f[EV_ETH_HLEN] >> 4) != 4 || ihl < 20 ||
		    f[EV_ETH_HLEN + 9] != IPPROTO_TCP_)
			return -1;
		*v6 = 0;
	} else if (type == EV_ETH_P_IPV6) {
		ihl = 40;
		if ((f[EV_ETH_HLEN] >> 4) != 6 || f[EV_ETH_HLEN + 6] != IPPROTO_TCP_)
			return -1;
		*v6 = 1;
	} else {
		return -1;
	}
	*l4 = EV_ETH_HLEN + ihl;
	if (len < *l4 + 20)
		return -1;
	doff = (f[*l4 + 12] >> 4) * 4;
	if (doff < 20 || len < *l4 + doff)
		return -1;
	*hlen = *l4 + doff;
	return 0;
}

/* ---- transmit: checksum completion and TSO ---- */

static int tx_csum(uint8_t *f, size_t len, const struct virtio_net_hdr *vh)
{
	size_t start = le16toh(vh->csum_start);
	size_t off = le16toh(vh->csum_offset);

	if (start + off + 2 > len)
		return -1;
	/* the field holds the pseudo-header sum: sum it with the rest */
	put16(f + start + off,
	      ~csum_fold(csum_add(0, f + start, len - start)));
	return 0;
}

static int tso(uint8_t *f, size_t len, size_t gso, size_t max_frame,
	       uint8_t *seg, offload_emit_fn emit, void *ctx)
{
	size_t l4, hlen, off, plen, ihl;
	uint32_t seq;
	uint16_t id;
	uint8_t flags;
	int v6, k = 0;

	if (parse_tcp(f, len, &l4, &hlen, &v6) || !gso)
		return -1;
	if (hlen + gso > max_frame)
		gso = max_frame - hlen;
	ihl = l4 - EV_ETH_HLEN;
	seq = get32(f + l4 + 4);
	id = get16(f + EV_ETH_HLEN + 4);
	flags = f[l4 + 13];
	for (off = hlen; off < len; off += plen, k++) {
		uint8_t *ip = seg + EV_ETH_HLEN, *th = seg + l4;
		uint64_t s;

		plen = len - off < gso ? len - off : gso;
		memcpy(seg, f, hlen);
		memcpy(seg + hlen, f + off, plen);
		if (v6)
			put16(ip + 4, hlen - l4 + plen);
		else
			ip4_fix(ip, ihl, ihl + hlen - l4 + plen, id + k);
		put32(th + 4, seq + (uint32_t)(off - hlen));
		th[13] = flags;
		if (off + plen < len)
			th[13] &= ~(TCP_FIN | TCP_PSH);
		if (k)
			th[13] &= ~TCP_CWR;
		put16(th + 16, 0);
		s = pseudo_sum(ip, v6, hlen - l4 + plen);
		s = csum_add(s, th, hlen - l4 + plen);
		put16(th + 16, ~csum_fold(s));
		emit(ctx, seg, hlen + plen);
	}
	return 0;
}

int offload_tx(uint8_t *buf, size_t len, size_t max_frame, uint8_t *scratch,
	       offload_emit_fn emit, void *ctx)
{
	struct virtio_net_hdr vh;
	uint8_t *f = buf + OFFLOAD_VNET_HLEN;
	size_t flen;

	if (len < OFFLOAD_VNET_HLEN)
		return -1;
	memcpy(&vh, buf, sizeof(vh));
	flen = len - OFFLOAD_VNET_HLEN;
	switch (vh.gso_type & ~VIRTIO_NET_HDR_GSO_ECN) {
	case VIRTIO_NET_HDR_GSO_NONE:
		if ((vh.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) &&
		    tx_csum(f, flen, &vh))
			return -1;
		emit(ctx, f, flen);
		return 0;
	case VIRTIO_NET_HDR_GSO_TCPV4:
	case VIRTIO_NET_HDR_GSO_TCPV6:
		/* every segment's checksum is computed whole */
		return tso(f, flen, le16toh(vh.gso_size), max_frame, scratch,
			   emit, ctx);
	default:
		return -1;
	}
}

/* ---- receive: TCP coalescing ---- */

void gro_flush(struct gro *g, gro_write_fn write_fn, void *ctx)
{
	struct virtio_net_hdr vh;
	uint8_t *f = g->buf + OFFLOAD_VNET_HLEN;
	uint8_t *ip = f + EV_ETH_HLEN, *th = f + g->l4;
	size_t l4len = g->len - g->l4;

	if (!g->len)
		return;
	memset(&vh, 0, sizeof(vh));
	if (g->count > 1) {
		if (g->v6)
			put16(ip + 4, l4len);
		else
			ip4_fix(ip, g->l4 - EV_ETH_HLEN, g->len - EV_ETH_HLEN,
				get16(ip + 4));
		/* partial checksum: the kernel trusts it on local delivery
		 * and completes it per segment when it must resegment */
		put16(th + 16, csum_fold(pseudo_sum(ip, g->v6, l4len)));
		vh.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
		vh.gso_type = g->v6 ? VIRTIO_NET_HDR_GSO_TCPV6 :
				      VIRTIO_NET_HDR_GSO_TCPV4;
		vh.hdr_len = htole16(g->hlen);
		vh.gso_size = htole16(g->seg);
		vh.csum_start = htole16(g->l4);
		vh.csum_offset = htole16(16);
	}
	memcpy(g->buf, &vh, sizeof(vh));
	write_fn(ctx, g->buf, OFFLOAD_VNET_HLEN + g->len, g->count);
	g->len = 0;
	g->count = 0;
}

/* Can @f (TCP, parsed) extend the pending super-frame? */
static int gro_fits(const struct gro *g, const uint8_t *f, size_t len,
		    size_t l4, size_t hlen, int v6)
{
	const uint8_t *p = g->buf + OFFLOAD_VNET_HLEN;
	size_t plen = len - hlen;

	if (!g->len || v6 != g->v6 || l4 != g->l4 || hlen != g->hlen ||
	    !plen || plen > g->seg || g->last != g->seg ||
	    g->len + plen > OFFLOAD_MAX_FRAME - OFFLOAD_VNET_HLEN - 64 ||
	    get32(f + l4 + 4) != g->next_seq)
		return 0;
	/* same Ethernet header; same IP header but length, ID, checksum */
	if (memcmp(p, f, EV_ETH_HLEN))
		return 0;
	if (v6 ? memcmp(p + EV_ETH_HLEN, f + EV_ETH_HLEN, 4) ||
		 memcmp(p + EV_ETH_HLEN + 6, f + EV_ETH_HLEN + 6, 34) :
		 memcmp(p + EV_ETH_HLEN, f + EV_ETH_HLEN, 2) ||
		 memcmp(p + EV_ETH_HLEN + 6, f + EV_ETH_HLEN + 6, 4) ||
		 memcmp(p + EV_ETH_HLEN + 12, f + EV_ETH_HLEN + 12, l4 - EV_ETH_HLEN - 12))
		return 0;
	/* same ports, ack, window, options; flags ACK (PSH may end it) */
	return !memcmp(p + l4, f + l4, 4) &&
	       !memcmp(p + l4 + 8, f + l4 + 8, 5) &&
	       !memcmp(p + l4 + 14, f + l4 + 14, 2) &&
	       !memcmp(p + l4 + 18, f + l4 + 18, hlen - l4 - 18) &&
	       (f[l4 + 13] & ~TCP_PSH) == TCP_ACK;
}

void gro_add(struct gro *g, const uint8_t *f, size_t len,
	     gro_write_fn write_fn, void *ctx)
{
	size_t l4, hlen;
	int v6, ok;

	ok = !parse_tcp(f, len, &l4, &hlen, &v6) && len > hlen &&
	     (f[l4 + 13] & ~TCP_PSH) == TCP_ACK &&
	     (v6 || !(get16(f + EV_ETH_HLEN + 6) & 0x3fff)) &&	/* no frags */
	     (v6 || get16(f + EV_ETH_HLEN + 2) == len - EV_ETH_HLEN);
	if (ok && gro_fits(g, f, len, l4, hlen, v6)) {
		uint8_t *p = g->buf + OFFLOAD_VNET_HLEN;

		memcpy(p + g->len, f + hlen, len - hlen);
		g->len += len - hlen;
		g->last = len - hlen;
		g->next_seq += len - hlen;
		g->count++;
		p[l4 + 13] |= f[l4 + 13] & TCP_PSH;
		if (f[l4 + 13] & TCP_PSH)
			gro_flush(g, write_fn, ctx);
		return;
	}
	gro_flush(g, write_fn, ctx);
	if (len > OFFLOAD_MAX_FRAME - OFFLOAD_VNET_HLEN)
		return;
	memcpy(g->buf + OFFLOAD_VNET_HLEN, f, len);
	g->len = len;
	g->count = 1;
	if (!ok || (f[l4 + 13] & TCP_PSH)) {
		gro_flush(g, write_fn, ctx);	/* not coalescable: as is */
		return;
	}
	g->l4 = l4;
	g->hlen = hlen;
	g->v6 = v6;
	g->seg = g->last = len - hlen;
	g->next_seq = get32(f + l4 + 4) + (uint32_t)(len - hlen);
}
