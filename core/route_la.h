/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Greedy routing with 1-lookahead (Symphony, section 5): besides its own
 * neighbours, a node knows each neighbour's link list and forwards to the
 * neighbour through which it reaches, within two hops, the node closest to
 * the destination. Pure functions over flattened arrays; no allocation.
 *
 * @nbrs[0..n-1] are this node's neighbours; neighbour i's own link list is
 * the next @nn_len[i] entries of @nn (the lists laid end to end in neighbour
 * order). @nn == NULL (or all lengths 0) gives exactly the plain greedy
 * choice of evpn_fwd_next_hop (core/fwd.h).
 *
 * Returns the index into @nbrs of the next hop, or -1 when no node within
 * two hops is closer to @dst than this node (deliver here / drop, as for
 * evpn_fwd_next_hop).
 */
#ifndef EVPN_ROUTE_LA_H
#define EVPN_ROUTE_LA_H

#include "evpn_types.h"
#include "id.h"

/* Bidirectional: distance = the shorter way round (as evpn_fwd_next_hop). */
int evpn_route_la_next_hop(const struct evpn_id *self, const struct evpn_id *dst,
			   const struct evpn_id *nbrs, int n,
			   const struct evpn_id *nn, const int *nn_len);

/*
 * Unidirectional (clockwise only): distance = clockwise distance to @dst, so
 * a hop never passes the destination. Used with outgoing links only; the
 * simulator's baseline for the paper's unidirectional numbers.
 */
int evpn_route_la_next_hop_cw(const struct evpn_id *self, const struct evpn_id *dst,
			      const struct evpn_id *nbrs, int n,
			      const struct evpn_id *nn, const int *nn_len);

#endif /* EVPN_ROUTE_LA_H */
