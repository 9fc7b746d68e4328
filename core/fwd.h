/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Forwarding decisions by overlay node ID: greedy unicast next hop and the
 * bounded-flood split. Pure functions over the caller's neighbour list (every
 * node this node has a usable link to, whichever side asked for the link).
 * No allocation; n is small (tens), so O(n^2) work is fine.
 */
#ifndef EVPN_FWD_H
#define EVPN_FWD_H

#include "evpn_types.h"
#include "id.h"

/*
 * Greedy bidirectional routing (Symphony): the neighbour whose ring distance
 * to @dst (the shorter way round) is smallest, provided it is strictly
 * smaller than @self's own distance; ties go to the lower index. Strict
 * decrease makes loops impossible. Returns the index into @nbrs, or -1 when
 * no neighbour is closer (dst == self, or this node is the closest live node
 * to an absent destination).
 */
int evpn_fwd_next_hop(const struct evpn_id *self, const struct evpn_id *dst,
		      const struct evpn_id *nbrs, int n);

/*
 * Bounded flood. A node that must cover the clockwise-open interval
 * (@self, @end) -- @end == @self for a flood this node originates, meaning
 * the whole ring -- sends one copy to each neighbour inside that interval;
 * each copy carries, as its own @end, the next such neighbour clockwise (the
 * last one carries @end). Intervals are disjoint, so no node gets a frame
 * twice, and every node is covered while successor links exist.
 *
 * Fills @out (room for @n entries) in clockwise order; returns the count.
 * @skip, if >= 0, is a neighbour index never sent to (the previous hop).
 * A neighbour equal to @end is outside the interval; if @nbrs lists one node
 * ID twice, only the lower index gets a copy.
 */
struct evpn_flood_hop {
	int nbr;		/* index into the caller's neighbour array */
	struct evpn_id end;	/* interval end the neighbour must cover */
};

int evpn_flood_split(const struct evpn_id *self, const struct evpn_id *end,
		     const struct evpn_id *nbrs, int n, int skip,
		     struct evpn_flood_hop *out);

#endif /* EVPN_FWD_H */
