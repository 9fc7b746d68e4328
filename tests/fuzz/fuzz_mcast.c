// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer target for the multicast core: a membership announcement from a
 * peer and an Ethernet frame from a local port (classification, IGMP/MLD
 * snooping), fed from arbitrary bytes into one small table, then a pruned
 * flood, aging and a dump over it. The table's own counts must stay within
 * its limits; any violation traps.
 *
 *   make build/fuzz/fuzz_mcast
 *   build/fuzz/fuzz_mcast -max_total_time=10 tests/fuzz/corpus/fuzz_mcast
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mcast.h"
#include "mcsnoop.h"
#include "fuzz.h"

static struct evpn_mc mc;
static void *mem;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct evpn_id nbrs[4] = { { 1, 1 }, { 2, 2 }, { 3, 3 }, { 4, 4 } };
	struct evpn_id self = { 0, 0 }, src = { 2, 2 };
	struct evpn_flood_hop hops[4];
	uint8_t g[16], left[16], buf[EVPN_MC_ANN_MAX_LEN];
	struct evpn_mc_view v;
	uint64_t pos = 0;
	uint32_t cur = 0;
	int n, cnt = 0;

	if (!mem)
		mem = malloc(evpn_mc_storage_size(8, 16));
	ENSURE(!evpn_mc_init(&mc, mem, 8, 16, 7));
	/* the first byte picks the node; the rest is announcement and frame */
	if (size)
		src.lo = data[0] & 3;
	evpn_mc_announce_apply(&mc, &src, data + !!size, size - !!size, 10);
	evpn_mc_classify(data, size, g);
	evpn_mc_snoop(&mc, data, size, 10, left);
	ENSURE(mc.ngroups <= 8 && mc.nmembers <= 16);
	n = evpn_flood_split(&self, &self, nbrs, 4, -1, hops);
	ENSURE(evpn_mc_prune(&mc, g, nbrs, hops, n, 11) <= n);
	while (evpn_mc_next(&mc, &pos, 11, &v))
		ENSURE(++cnt <= 8 + 16);
	while (evpn_mc_announce_build(&mc, buf, 0, &cur, 11))
		;
	evpn_mc_expire(&mc, 100000);	/* past any hold (16 bits) */
	ENSURE(mc.nmembers == 0);
	return 0;
}
