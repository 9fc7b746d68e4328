/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * A token bucket in one 64-bit word (GCRA, the generic cell rate
 * algorithm): "tat" is the theoretical arrival time of the next record at
 * the sustained rate. A record is allowed if tat is at most @burst - 1
 * intervals ahead of now; it then moves tat one interval on. Equivalent to
 * a bucket of @burst tokens refilled at @rate per second, with no separate
 * refill step. The kernel updates the word with cmpxchg, evpnd (single
 * threaded) directly.
 *
 * Used for the per-link flood limit (security review M2): each link accepts
 * at most EVPN_FLOOD_RATE flood records per second, in bursts of up to
 * EVPN_FLOOD_BURST(rate), counted as drop reason flood_rate beyond that, so a
 * member (or a broadcast storm behind it) cannot make every node relay an
 * unbounded stream. Authenticated records only consume tokens, so a
 * stranger cannot starve a link's floods.
 */
#ifndef EVPN_RATELIMIT_H
#define EVPN_RATELIMIT_H

#include "evpn_types.h"

/* records per second and burst per link; 2000/s of 1400-byte frames is
 * ~22 Mbit/s of broadcast, unknown unicast and unsnooped multicast. The
 * burst is a quarter second's worth. */
#define EVPN_FLOOD_RATE		2000
#define EVPN_FLOOD_BURST(rate)	((rate) / 4 ? (rate) / 4 : 1)

#define EVPN_NSEC_PER_SEC	1000000000U	/* fits 32 bits: no 64-bit division */

/* @tat: the bucket's state (0 = full). @now: a monotonic clock in ns.
 * @rate: records per second (0 = unlimited); @burst >= 1. Returns true if
 * the record may pass, and then updates *@tat. */
static inline bool evpn_gcra(uint64_t *tat, uint64_t now, uint32_t rate,
			     uint32_t burst)
{
	uint64_t t;
	uint32_t interval;

	if (!rate)
		return true;
	interval = EVPN_NSEC_PER_SEC / rate;
	t = *tat > now ? *tat : now;
	if (t - now > (uint64_t)interval * (burst ? burst - 1 : 0))
		return false;
	*tat = t + interval;
	return true;
}

#endif /* EVPN_RATELIMIT_H */
