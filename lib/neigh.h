/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The kernel's neighbour table (ARP / IPv6 ND) of one interface, for
 * `evpnctl status`: which overlay addresses sit behind a MAC the FDB maps
 * to a peer.
 */
#ifndef EVPN_NEIGH_H
#define EVPN_NEIGH_H

#include <stdint.h>

struct evpn_neigh {
	uint8_t mac[6];
	char addr[48];		/* numeric IPv4 or IPv6 */
};

/* The reachable/stale/permanent entries of @ifindex: a g_malloc'ed array
 * (g_free it) of *@n entries, or NULL with *@n = 0. */
struct evpn_neigh *evpn_neigh_dump(int ifindex, int *n);

#endif /* EVPN_NEIGH_H */
