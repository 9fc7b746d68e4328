// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Per-link flood rate limit (core/ratelimit.h, security review M2): each
 * link accepts at most EVPN_FLOOD_RATE authenticated flood records per
 * second (bursts of EVPN_FLOOD_BURST); more are dropped as flood_rate
 * before they are delivered, learned from or relayed. The bucket is one
 * word per link, updated with cmpxchg: records of one link are opened on
 * several CPUs at once.
 */
#include <linux/atomic.h>
#include <linux/ktime.h>
#include <linux/moduleparam.h>

#include "link.h"
#include "ratelimit.h"

#ifdef CONFIG_EVPN_DEBUG
static unsigned int flood_rate = EVPN_FLOOD_RATE;
module_param(flood_rate, uint, 0644);
MODULE_PARM_DESC(flood_rate, "flood records per second and link (tests; 0 = no limit)");

static u32 evpn_flood_rate(void)
{
	return READ_ONCE(flood_rate);
}
#else
static u32 evpn_flood_rate(void)
{
	return EVPN_FLOOD_RATE;
}
#endif

bool evpn_link_flood_admit(struct evpn_link *link)
{
	u32 rate = evpn_flood_rate();
	u64 now = ktime_get_ns();
	s64 old = atomic64_read(&link->flood_tat);
	u64 tat;

	do {
		tat = old;
		if (!evpn_gcra(&tat, now, rate, EVPN_FLOOD_BURST(rate)))
			return false;
	} while (!atomic64_try_cmpxchg(&link->flood_tat, &old, tat));
	return true;
}
