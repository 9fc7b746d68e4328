/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * "Packet too big" answers (docs/protocol.md section 10.5): an IP packet
 * that cannot be carried (a frame above what the device can send) is
 * answered, as a router would, with ICMP "fragmentation needed" (IPv4 with
 * DF set; RFC 792/1191) or ICMPv6 "packet too big" (RFC 4443), so the
 * sender's stack lowers its path MTU instead of losing the packet silently.
 * The answer appears to come from the packet's destination (its MAC and IP
 * address): the overlay is one Ethernet, there is no router address to use.
 * Shared by both datapaths; no allocation.
 */
#ifndef EVPN_ICMP_H
#define EVPN_ICMP_H

#include "evpn_types.h"

/* Longest answer: Ethernet + VLAN + IPv6 + ICMPv6 + as much of the packet
 * as fits the IPv6 minimum MTU. */
#define EVPN_ICMP_MAX	(14 + 4 + 1280)

/*
 * Build in @out (EVPN_ICMP_MAX bytes) the answer to the Ethernet @frame of
 * @len bytes that cannot be sent, telling the sender to use at most @mtu.
 * Returns its length, or 0 when no answer is due: not IPv4/IPv6 (at most
 * one 802.1Q tag), IPv4 without DF or a non-first fragment, an ICMP error
 * or ICMPv6 error itself, a group or unspecified source, or a truncated
 * header.
 */
size_t evpn_icmp_too_big(const uint8_t *frame, size_t len, uint32_t mtu,
			 uint8_t *out);

#endif /* EVPN_ICMP_H */
