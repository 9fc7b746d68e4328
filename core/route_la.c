// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Greedy routing with 1-lookahead (see route_la.h, docs/topology.md).
 *
 * Candidates. At node x the candidates are (node, hops) pairs: x itself at
 * 0 hops, each neighbour v at 1 hop, each node w on v's advertised link
 * list at 2 hops (through v). The best candidate is the least by
 * (distance to dst, hops), ties going to the first seen (self, then
 * neighbours in index order, then their lists in order). If the best is x
 * itself, return -1; else return the neighbour it is reached through.
 *
 * Why this cannot loop. Let phi(x) = (d, h) of x's best candidate, ordered
 * lexicographically. x forwards to v toward best (t, h), h >= 1, d(t) = d.
 * At v, t is again a candidate with h - 1 hops: t == v itself (h = 1, 0
 * hops) or t on v's own link list (h = 2, 1 hop). So phi(v) <= (d, h - 1)
 * < phi(x): phi strictly decreases along the path and takes finitely many
 * values, so no node is visited twice and the walk ends, at a node whose best
 * candidate is itself -- no neighbour is closer, exactly where plain greedy
 * (evpn_fwd_next_hop) stops too. The argument needs v's advertised list to
 * be links v really has: while a link-list update is in flight (v just lost
 * its link to t) one packet may take a detour; the wire TTL still bounds it,
 * and the list is refreshed within a signalling round trip.
 *
 * Without lists (nn == NULL) the candidates are self and the neighbours
 * only, and the rule is evpn_fwd_next_hop's: the strictly closest neighbour,
 * lowest index on ties, -1 if none is strictly closer than self.
 */
#include "route_la.h"

typedef struct evpn_id (*dist_fn)(const struct evpn_id *a, const struct evpn_id *b);

static struct evpn_id dist_abs(const struct evpn_id *x, const struct evpn_id *dst)
{
	return evpn_id_abs_dist(x, dst);
}

static struct evpn_id dist_cw(const struct evpn_id *x, const struct evpn_id *dst)
{
	return evpn_id_dist(x, dst);
}

static int la_next_hop(const struct evpn_id *self, const struct evpn_id *dst,
		       const struct evpn_id *nbrs, int n,
		       const struct evpn_id *nn, const int *nn_len, dist_fn dist)
{
	struct evpn_id best = dist(self, dst), d;
	int found = -1, i, j, off = 0;

	if (evpn_id_is_zero(&best))
		return -1;		/* we are the destination */
	/* 1 hop first: a neighbour beats any 2-hop candidate at equal distance */
	for (i = 0; i < n; i++) {
		d = dist(&nbrs[i], dst);
		if (evpn_id_cmp(&d, &best) < 0) {
			best = d;
			found = i;
		}
	}
	if (!nn || !nn_len)
		return found;
	for (i = 0; i < n; i++) {
		for (j = 0; j < nn_len[i]; j++) {
			d = dist(&nn[off + j], dst);
			/* (d, 2 hops) beats the best so far only if d is smaller */
			if (evpn_id_cmp(&d, &best) < 0) {
				best = d;
				found = i;
			}
		}
		off += nn_len[i] > 0 ? nn_len[i] : 0;
	}
	return found;
}

int evpn_route_la_next_hop(const struct evpn_id *self, const struct evpn_id *dst,
			   const struct evpn_id *nbrs, int n,
			   const struct evpn_id *nn, const int *nn_len)
{
	return la_next_hop(self, dst, nbrs, n, nn, nn_len, dist_abs);
}

int evpn_route_la_next_hop_cw(const struct evpn_id *self, const struct evpn_id *dst,
			      const struct evpn_id *nbrs, int n,
			      const struct evpn_id *nn, const int *nn_len)
{
	return la_next_hop(self, dst, nbrs, n, nn, nn_len, dist_cw);
}
