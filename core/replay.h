/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Anti-replay window (RFC 6479 style bitmap of 64-bit words).
 *
 * One window per receive key. The caller serialises access (the kernel holds
 * the key's spinlock, evpnd is single-threaded) and calls evpn_replay_accept()
 * only after the record authenticated, so forgeries cannot move the window.
 */
#ifndef EVPN_REPLAY_H
#define EVPN_REPLAY_H

#include "evpn_types.h"

#define EVPN_REPLAY_BITS	4096
#define EVPN_REPLAY_WORDS	(EVPN_REPLAY_BITS / 64)
/* Counters this far behind the newest accepted one are still accepted once. */
#define EVPN_REPLAY_WINDOW	(EVPN_REPLAY_BITS - 64)

struct evpn_replay {
	uint64_t top;		/* highest counter accepted so far + 1; 0 = none */
	uint64_t map[EVPN_REPLAY_WORDS];
};

void evpn_replay_init(struct evpn_replay *r);
/* Would @counter be accepted? (cheap pre-check before decrypting) */
bool evpn_replay_check(const struct evpn_replay *r, uint64_t counter);
/* Check and mark @counter as seen. Returns false for a replay / too old.
 * Counters start at 0; UINT64_MAX is reserved and never accepted. */
bool evpn_replay_accept(struct evpn_replay *r, uint64_t counter);

#endif /* EVPN_REPLAY_H */
