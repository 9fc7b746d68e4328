/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The Internet checksum (RFC 1071) over big-endian 16-bit words, for the
 * packets the core builds itself (IGMP/MLD queries: mcsnoop.c; ICMP "too
 * big": icmp.c) and for the tests that check them. Plain C, since the core
 * is built into evpn.ko and evpnd alike (the kernel's helpers work on skbs).
 */
#ifndef EVPN_CSUM_H
#define EVPN_CSUM_H

#include "evpn_types.h"

/* The one's-complement sum of @len bytes at @p added to @sum, not folded:
 * sums of several pieces (a pseudo-header, then the payload) add up. */
static inline uint32_t evpn_csum_add(const uint8_t *p, size_t len,
				     uint32_t sum)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

/* @sum folded to 16 bits: over a packet with a correct checksum, 0xffff. */
static inline uint16_t evpn_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* The checksum field's value for @len bytes at @p after the partial @sum. */
static inline uint16_t evpn_csum(const uint8_t *p, size_t len, uint32_t sum)
{
	return (uint16_t)~evpn_csum_fold(evpn_csum_add(p, len, sum));
}

#endif
