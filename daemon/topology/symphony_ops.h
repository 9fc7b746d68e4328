/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * evpnd's Symphony topology (topology_symphony, selected by name
 * "symphony"): the daemon-side adapter from the topology interface
 * (topology.h: members + link states -> wanted links) to the pure algorithm
 * in core/symphony.c. docs/topology.md.
 *
 * Two hooks beyond struct topology_ops, for the config parser and the link
 * manager:
 *  - topology_symphony_configure(): parameters for instances created after
 *    the call (k, short links each way, estimate span, in-degree cap);
 *  - topology_symphony_accept(): whether to accept an incoming link request
 *    from @peer (the in-degree cap: at most 2k incoming long links). A
 *    refused requester should see the link go to TOPO_LINK_BACKOFF (or
 *    NONE); its topology then draws another target.
 */
#ifndef EVPND_TOPOLOGY_SYMPHONY_OPS_H
#define EVPND_TOPOLOGY_SYMPHONY_OPS_H

#include <stdbool.h>

#include "symphony.h"
#include "topology.h"

extern const struct topology_ops topology_symphony;

/* Returns 0, or -1 (and changes nothing) if @cfg is out of range. */
int topology_symphony_configure(const struct evpn_sym_cfg *cfg);

bool topology_symphony_accept(void *t, const struct evpn_id *peer);

/* Tests: instances created after this call draw from GRand seeded with
 * @seed, @seed + 1, ... instead of /dev/urandom. */
void topology_symphony_seed(uint32_t seed);

/* Introspection for `show` and tests: the n estimate used (log2, Q16), and
 * how many of the present peers' links this node counts as incoming long
 * links (links up or in setup that this node does not want itself). */
uint32_t topology_symphony_log2n(void *t);
int topology_symphony_in_long(void *t);

#endif /* EVPND_TOPOLOGY_SYMPHONY_OPS_H */
