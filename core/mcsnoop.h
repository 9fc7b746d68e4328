/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * IGMP/MLD snooping on Ethernet frames: how a multicast frame is forwarded
 * (evpn_mc_classify), what a frame sent by a local port says about group
 * membership (evpn_mc_snoop), and the queries this node's local querier
 * writes to its own ports (evpn_mc_query_build). Plain parsing over a
 * frame buffer; docs/protocol.md "Multicast" has the rules.
 */
#ifndef EVPN_MCSNOOP_H
#define EVPN_MCSNOOP_H

#include "mcast.h"

enum evpn_mc_class {
	EVPN_MC_FLOOD,	/* every node: broadcast, non-IP or link-local
			 * multicast, VLAN-tagged, IGMP/MLD queries, unicast */
	EVPN_MC_DATA,	/* routable IP multicast: subscribers + routers */
	EVPN_MC_CTRL,	/* IGMP/MLD reports, leaves: router nodes only */
};

/* Class of @frame (@len bytes, from its Ethernet header); for
 * EVPN_MC_DATA the group goes to @group (IPv4 as ::ffff:a.b.c.d). */
enum evpn_mc_class evpn_mc_classify(const uint8_t *frame, size_t len,
				    uint8_t group[EVPN_MC_ADDR_LEN]);

#define EVPN_MC_SNOOP_CHANGED	0x01	/* a group joined: announce soon */
#define EVPN_MC_SNOOP_LEFT	0x02	/* a group left: query it (@left) */
#define EVPN_MC_SNOOP_V6	0x04	/* ... it is an IPv6 group */

/*
 * Learn from @frame, sent by a local port: IGMPv1/v2/v3 and MLDv1/v2
 * reports and leaves update local membership; a query or PIM message marks
 * a local router (the all-zero group). Returns EVPN_MC_SNOOP_* flags; with
 * LEFT, @left holds (one of) the groups left.
 */
int evpn_mc_snoop(struct evpn_mc *mc, const uint8_t *frame, size_t len,
		  uint64_t now, uint8_t left[EVPN_MC_ADDR_LEN]);

/* Source MAC of the local querier's frames (locally administered). */
#define EVPN_MC_QUERIER_MAC	{ 0x02, 0x65, 0x76, 0x70, 0x6e, 0x71 }
#define EVPN_MC_QUERY_MAX_LEN	90

/*
 * An IGMPv3 (@v6 false) or MLDv2 general query, or a group-specific one if
 * @group is not NULL, as an Ethernet frame in @buf (room for
 * EVPN_MC_QUERY_MAX_LEN). IGMP queries come from 0.0.0.0 as Linux bridges'
 * querier sends them; MLD ones from a fixed link-local address. Returns the
 * frame length.
 */
size_t evpn_mc_query_build(uint8_t *buf, const uint8_t *group, bool v6);

#endif /* EVPN_MCSNOOP_H */
