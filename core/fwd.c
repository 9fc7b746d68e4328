// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Forwarding decisions by overlay node ID (see fwd.h, docs/protocol.md
 * "Unicast routing" and "Bounded flood").
 */
#include "fwd.h"

int evpn_fwd_next_hop(const struct evpn_id *self, const struct evpn_id *dst,
		      const struct evpn_id *nbrs, int n)
{
	struct evpn_id best = evpn_id_abs_dist(self, dst);
	struct evpn_id d;
	int i, found = -1;

	if (evpn_id_is_zero(&best))
		return -1;		/* we are the destination */
	for (i = 0; i < n; i++) {
		d = evpn_id_abs_dist(&nbrs[i], dst);
		/* Strictly closer than the best so far (initially ourselves):
		 * every hop strictly decreases the distance, so no loops, and
		 * the first of equal candidates (lowest index) wins. */
		if (evpn_id_cmp(&d, &best) < 0) {
			best = d;
			found = i;
		}
	}
	return found;
}

/*
 * Collect the neighbours inside (self, end), sorted clockwise from @self by
 * insertion sort directly into @out. While sorting, out[k].end temporarily
 * holds the clockwise distance self -> neighbour; the real interval ends are
 * filled in afterwards. Duplicate IDs (two entries for one node) are kept
 * once: giving a node two slices would deliver the frame to it twice.
 */
int evpn_flood_split(const struct evpn_id *self, const struct evpn_id *end,
		     const struct evpn_id *nbrs, int n, int skip,
		     struct evpn_flood_hop *out)
{
	struct evpn_id d;
	int i, j, k, cnt = 0, cmp;

	for (i = 0; i < n; i++) {
		if (i == skip || !evpn_id_in_open(&nbrs[i], self, end))
			continue;
		d = evpn_id_dist(self, &nbrs[i]);
		cmp = 1;
		for (j = 0; j < cnt; j++) {
			cmp = evpn_id_cmp(&d, &out[j].end);
			if (cmp <= 0)
				break;
		}
		if (j < cnt && cmp == 0)
			continue;	/* same node already has a slice */
		for (k = cnt; k > j; k--)
			out[k] = out[k - 1];
		out[j].nbr = i;
		out[j].end = d;
		cnt++;
	}
	for (k = 0; k < cnt; k++)
		out[k].end = k + 1 < cnt ? nbrs[out[k + 1].nbr] : *end;
	return cnt;
}
