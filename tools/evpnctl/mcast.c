// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * evpnctl mcast show DEV: an evpn.ko device's multicast group table
 * (IGMP/MLD snooping, docs/protocol.md "Multicast") from the mcast-get
 * dump: one line of sizes, limits and counters, then one line per entry,
 *
 *   mcast evpn0: groups 2/1024 members 3/8192 refused full 0 quota 0 ...
 *   239.1.2.3 local expires 251s
 *   239.1.2.3 node 3000...0002 expires 143s
 *
 * (The TAP datapath shows the same table in `evpnctl show`'s "mcast".)
 */
#include <stdio.h>
#include <string.h>
#include <netlink/genl/genl.h>

#include "evpnctl.h"
#include "evpn_nl_gen.h"
#include "fmt.h"
#include "genl.h"
#include "nl.h"

static uint64_t u64_of(struct nlattr *a)
{
	return a ? nla_get_u64(a) : 0;
}

static uint32_t u32_of(struct nlattr *a)
{
	return a ? nla_get_u32(a) : 0;
}

static void print_stats(const char *dev, struct nlattr *nest)
{
	struct nlattr *st[EVPN_MCAST_STATS_A_MAX + 1];

	if (nla_parse_nested(st, EVPN_MCAST_STATS_A_MAX, nest,
			     evpn_nl_mcast_stats_policy))
		return;
	printf("mcast %s: groups %u/%u members %u/%u refused full %llu quota %llu"
	       " announce tx %llu rx %llu pruned %llu queries %llu\n", dev,
	       u32_of(st[EVPN_MCAST_STATS_A_GROUPS]),
	       u32_of(st[EVPN_MCAST_STATS_A_GROUPS_MAX]),
	       u32_of(st[EVPN_MCAST_STATS_A_MEMBERS]),
	       u32_of(st[EVPN_MCAST_STATS_A_MEMBERS_MAX]),
	       (unsigned long long)u64_of(st[EVPN_MCAST_STATS_A_REFUSED_FULL]),
	       (unsigned long long)u64_of(st[EVPN_MCAST_STATS_A_REFUSED_QUOTA]),
	       (unsigned long long)u64_of(st[EVPN_MCAST_STATS_A_ANNOUNCE_TX]),
	       (unsigned long long)u64_of(st[EVPN_MCAST_STATS_A_ANNOUNCE_RX]),
	       (unsigned long long)u64_of(st[EVPN_MCAST_STATS_A_PRUNED]),
	       (unsigned long long)u64_of(st[EVPN_MCAST_STATS_A_QUERIES_TX]));
}

static void print_entry(struct nlattr *nest)
{
	struct nlattr *mt[EVPN_MCAST_A_MAX + 1];
	char addr[64], hex[EVPN_ID_HEXLEN + 1];

	if (nla_parse_nested(mt, EVPN_MCAST_A_MAX, nest, evpn_nl_mcast_policy) ||
	    !mt[EVPN_MCAST_A_GROUP])
		return;
	evpn_mc_addr_str(nla_data(mt[EVPN_MCAST_A_GROUP]), addr, sizeof(addr));
	if (mt[EVPN_MCAST_A_NODE_ID]) {
		evpn_id_bytes_to_hex(nla_data(mt[EVPN_MCAST_A_NODE_ID]), hex);
		printf("%s node %s expires %us\n", addr, hex,
		       u32_of(mt[EVPN_MCAST_A_EXPIRES]));
	} else {
		printf("%s local expires %us\n", addr,
		       u32_of(mt[EVPN_MCAST_A_EXPIRES]));
	}
}

static int mcast_cb(struct nl_msg *nm, void *arg)
{
	struct nlattr *tb[EVPN_A_MAX + 1];

	if (genlmsg_parse(nlmsg_hdr(nm), 0, tb, EVPN_A_MAX, evpn_nl_policy))
		return NL_SKIP;
	if (tb[EVPN_A_MCAST_STATS])
		print_stats(arg, tb[EVPN_A_MCAST_STATS]);
	if (tb[EVPN_A_MCAST])
		print_entry(tb[EVPN_A_MCAST]);
	return NL_OK;
}

int cmd_kernel_mcast(int argc, char **argv)
{
	struct evpn_nl_dev d = { .ifname = argc > 1 ? argv[1] : NULL };
	struct evpn_genl g;
	int ret;

	if (argc != 2 || strcmp(argv[0], "show")) {
		fprintf(stderr, "usage: evpnctl mcast show DEV\n");
		return 1;
	}
	ret = evpn_genl_open(&g);
	if (ret) {
		evpn_genl_perror(&g, "evpn family", ret);
		return 1;
	}
	ret = evpn_nl_dump(&g, EVPN_CMD_MCAST_GET, &d, mcast_cb, argv[1]);
	if (ret)
		evpn_genl_perror(&g, "mcast show", ret);
	evpn_genl_close(&g);
	return ret ? 1 : 0;
}
