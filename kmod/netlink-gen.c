// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	netlink/specs/evpn.yaml */
/* YNL-GEN kernel source */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "netlink-gen.h"

#include <linux/evpn.h>
#include <wire.h>

/* Common nested types */
const struct nla_policy evpn_drops_nl_policy[EVPN_DROPS_A_FRAG_SHARE + 1] = {
	[EVPN_DROPS_A_TRUNCATED] = { .type = NLA_U64, },
	[EVPN_DROPS_A_OVERSIZE] = { .type = NLA_U64, },
	[EVPN_DROPS_A_BAD_VERSION] = { .type = NLA_U64, },
	[EVPN_DROPS_A_BAD_HEADER] = { .type = NLA_U64, },
	[EVPN_DROPS_A_UNKNOWN_KEY] = { .type = NLA_U64, },
	[EVPN_DROPS_A_KEY_EXPIRED] = { .type = NLA_U64, },
	[EVPN_DROPS_A_AUTH] = { .type = NLA_U64, },
	[EVPN_DROPS_A_REPLAY] = { .type = NLA_U64, },
	[EVPN_DROPS_A_TTL] = { .type = NLA_U64, },
	[EVPN_DROPS_A_NO_ROUTE] = { .type = NLA_U64, },
	[EVPN_DROPS_A_NOT_FOR_US] = { .type = NLA_U64, },
	[EVPN_DROPS_A_LOOP] = { .type = NLA_U64, },
	[EVPN_DROPS_A_NO_LINK] = { .type = NLA_U64, },
	[EVPN_DROPS_A_NOMEM] = { .type = NLA_U64, },
	[EVPN_DROPS_A_TX_ERROR] = { .type = NLA_U64, },
	[EVPN_DROPS_A_NOT_DATA] = { .type = NLA_U64, },
	[EVPN_DROPS_A_BAD_SRC] = { .type = NLA_U64, },
	[EVPN_DROPS_A_E2E_NO_KEY] = { .type = NLA_U64, },
	[EVPN_DROPS_A_E2E_AUTH] = { .type = NLA_U64, },
	[EVPN_DROPS_A_E2E_REPLAY] = { .type = NLA_U64, },
	[EVPN_DROPS_A_FLOOD_RATE] = { .type = NLA_U64, },
	[EVPN_DROPS_A_FRAG_INVALID] = { .type = NLA_U64, },
	[EVPN_DROPS_A_FRAG_OVERLAP] = { .type = NLA_U64, },
	[EVPN_DROPS_A_FRAG_TIMEOUT] = { .type = NLA_U64, },
	[EVPN_DROPS_A_FRAG_NO_ROOM] = { .type = NLA_U64, },
	[EVPN_DROPS_A_TOO_BIG] = { .type = NLA_U64, },
	[EVPN_DROPS_A_FRAG_SHARE] = { .type = NLA_U64, },
};

const struct nla_policy evpn_e2e_nl_policy[EVPN_E2E_A_PAD + 1] = {
	[EVPN_E2E_A_PEER_ID] = NLA_POLICY_EXACT_LEN(EVPN_NODE_ID_LEN),
	[EVPN_E2E_A_TX_KEY] = NLA_POLICY_EXACT_LEN(EVPN_KEY_LEN),
	[EVPN_E2E_A_TX_IV] = NLA_POLICY_EXACT_LEN(EVPN_IV_LEN),
	[EVPN_E2E_A_RX_KEY] = NLA_POLICY_EXACT_LEN(EVPN_KEY_LEN),
	[EVPN_E2E_A_RX_IV] = NLA_POLICY_EXACT_LEN(EVPN_IV_LEN),
	[EVPN_E2E_A_TX_COUNTER] = { .type = NLA_U64, },
};

const struct nla_policy evpn_fdb_nl_policy[EVPN_FDB_A_AGE + 1] = {
	[EVPN_FDB_A_MAC] = NLA_POLICY_EXACT_LEN(6),
	[EVPN_FDB_A_NODE_ID] = NLA_POLICY_EXACT_LEN(EVPN_NODE_ID_LEN),
	[EVPN_FDB_A_STATIC] = { .type = NLA_FLAG, },
	[EVPN_FDB_A_AGE] = { .type = NLA_U32, },
};

const struct nla_policy evpn_key_nl_policy[EVPN_KEY_A_STATIC + 1] = {
	[EVPN_KEY_A_PEER_ID] = NLA_POLICY_EXACT_LEN(EVPN_NODE_ID_LEN),
	[EVPN_KEY_A_SLOT] = NLA_POLICY_MAX(NLA_U32, 1),
	[EVPN_KEY_A_SUITE] = NLA_POLICY_RANGE(NLA_U32, 1, 2),
	[EVPN_KEY_A_TX_KEY_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[EVPN_KEY_A_TX_KEY] = NLA_POLICY_EXACT_LEN(EVPN_KEY_LEN),
	[EVPN_KEY_A_TX_IV] = NLA_POLICY_EXACT_LEN(EVPN_IV_LEN),
	[EVPN_KEY_A_RX_KEY_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[EVPN_KEY_A_RX_KEY] = NLA_POLICY_EXACT_LEN(EVPN_KEY_LEN),
	[EVPN_KEY_A_RX_IV] = NLA_POLICY_EXACT_LEN(EVPN_IV_LEN),
	[EVPN_KEY_A_TX_COUNTER] = { .type = NLA_U64, },
	[EVPN_KEY_A_RX_PACKETS] = { .type = NLA_U64, },
	[EVPN_KEY_A_AGE] = { .type = NLA_U32, },
	[EVPN_KEY_A_STATIC] = { .type = NLA_FLAG, },
};

const struct nla_policy evpn_link_nl_policy[EVPN_LINK_A_RECORD_MAX + 1] = {
	[EVPN_LINK_A_PEER_ID] = NLA_POLICY_EXACT_LEN(EVPN_NODE_ID_LEN),
	[EVPN_LINK_A_SOCK_FD] = { .type = NLA_U32, },
	[EVPN_LINK_A_REMOTE_IPV4] = NLA_POLICY_EXACT_LEN(4),
	[EVPN_LINK_A_REMOTE_IPV6] = NLA_POLICY_EXACT_LEN(16),
	[EVPN_LINK_A_REMOTE_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[EVPN_LINK_A_LOCAL_IPV4] = NLA_POLICY_EXACT_LEN(4),
	[EVPN_LINK_A_LOCAL_IPV6] = NLA_POLICY_EXACT_LEN(16),
	[EVPN_LINK_A_LOCAL_PORT] = { .type = NLA_U16, },
	[EVPN_LINK_A_RX_PACKETS] = { .type = NLA_U64, },
	[EVPN_LINK_A_RX_BYTES] = { .type = NLA_U64, },
	[EVPN_LINK_A_TX_PACKETS] = { .type = NLA_U64, },
	[EVPN_LINK_A_TX_BYTES] = { .type = NLA_U64, },
	[EVPN_LINK_A_DROPS] = NLA_POLICY_NESTED(evpn_drops_nl_policy),
	[EVPN_LINK_A_KEY] = NLA_POLICY_NESTED(evpn_key_nl_policy),
	[EVPN_LINK_A_NBRS] = { .type = NLA_BINARY, },
	[EVPN_LINK_A_TURN_PEER_IPV4] = NLA_POLICY_EXACT_LEN(4),
	[EVPN_LINK_A_TURN_PEER_IPV6] = NLA_POLICY_EXACT_LEN(16),
	[EVPN_LINK_A_TURN_PEER_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[EVPN_LINK_A_TURN_CHANNEL] = { .type = NLA_U16, },
	[EVPN_LINK_A_RECORD_MAX] = NLA_POLICY_RANGE(NLA_U32, EVPN_RECORD_MIN, EVPN_RECORD_MAX),
};

/* EVPN_CMD_DEV_GET - do */
static const struct nla_policy evpn_dev_get_nl_policy[EVPN_A_IFNAME + 1] = {
	[EVPN_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[EVPN_A_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
};

/* EVPN_CMD_DEV_SET - do */
static const struct nla_policy evpn_dev_set_nl_policy[EVPN_A_NODE_ID + 1] = {
	[EVPN_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[EVPN_A_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
	[EVPN_A_NODE_ID] = NLA_POLICY_EXACT_LEN(EVPN_NODE_ID_LEN),
};

/* EVPN_CMD_LINK_NEW - do */
static const struct nla_policy evpn_link_new_nl_policy[EVPN_A_LINK + 1] = {
	[EVPN_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[EVPN_A_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
	[EVPN_A_LINK] = NLA_POLICY_NESTED(evpn_link_nl_policy),
};

/* EVPN_CMD_LINK_SET - do */
static const struct nla_policy evpn_link_set_nl_policy[EVPN_A_LINK + 1] = {
	[EVPN_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[EVPN_A_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
	[EVPN_A_LINK] = NLA_POLICY_NESTED(evpn_link_nl_policy),
};

/* EVPN_CMD_LINK_DEL - do */
static const struct nla_policy evpn_link_del_nl_policy[EVPN_A_LINK + 1] = {
	[EVPN_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[EVPN_A_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
	[EVPN_A_LINK] = NLA_POLICY_NESTED(evpn_link_nl_policy),
};

/* EVPN_CMD_LINK_GET - do */
static const struct nla_policy evpn_link_get_do_nl_policy[EVPN_A_LINK + 1] = {
	[EVPN_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[EVPN_A_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
	[EVPN_A_LINK] = NLA_POLICY_NESTED(evpn_link_nl_policy),
};

/* EVPN_CMD_KEY_NEW - do */
static const struct nla_policy evpn_key_new_nl_policy[EVPN_A_KEY + 1] = {
	[EVPN_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[EVPN_A_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
	[EVPN_A_KEY] = NLA_POLICY_NESTED(evpn_key_nl_policy),
};

/* EVPN_CMD_KEY_SWAP - do */
static const struct nla_policy evpn_key_swap_nl_policy[EVPN_A_KEY + 1] = {
	[EVPN_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[EVPN_A_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
	[EVPN_A_KEY] = NLA_POLICY_NESTED(evpn_key_nl_policy),
};

/* EVPN_CMD_KEY_DEL - do */
static const struct nla_policy evpn_key_del_nl_policy[EVPN_A_KEY + 1] = {
	[EVPN_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[EVPN_A_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
	[EVPN_A_KEY] = NLA_POLICY_NESTED(evpn_key_nl_policy),
};

/* EVPN_CMD_FDB_GET - dump */
static const struct nla_policy evpn_fdb_get_nl_policy[EVPN_A_FDB + 1] = {
	[EVPN_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[EVPN_A_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
	[EVPN_A_FDB] = NLA_POLICY_NESTED(evpn_fdb_nl_policy),
};

/* EVPN_CMD_FDB_ADD - do */
static const struct nla_policy evpn_fdb_add_nl_policy[EVPN_A_FDB + 1] = {
	[EVPN_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[EVPN_A_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
	[EVPN_A_FDB] = NLA_POLICY_NESTED(evpn_fdb_nl_policy),
};

/* EVPN_CMD_FDB_DEL - do */
static const struct nla_policy evpn_fdb_del_nl_policy[EVPN_A_FDB + 1] = {
	[EVPN_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[EVPN_A_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
	[EVPN_A_FDB] = NLA_POLICY_NESTED(evpn_fdb_nl_policy),
};

/* EVPN_CMD_MCAST_GET - dump */
static const struct nla_policy evpn_mcast_get_nl_policy[EVPN_A_IFNAME + 1] = {
	[EVPN_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[EVPN_A_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
};

/* EVPN_CMD_E2E_SET - do */
static const struct nla_policy evpn_e2e_set_nl_policy[EVPN_A_E2E + 1] = {
	[EVPN_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[EVPN_A_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
	[EVPN_A_E2E] = NLA_POLICY_NESTED(evpn_e2e_nl_policy),
};

/* EVPN_CMD_E2E_DEL - do */
static const struct nla_policy evpn_e2e_del_nl_policy[EVPN_A_E2E + 1] = {
	[EVPN_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[EVPN_A_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
	[EVPN_A_E2E] = NLA_POLICY_NESTED(evpn_e2e_nl_policy),
};

/* Ops table for evpn: struct genl_ops, one entry per command, as Linux
 * 6.1 takes them (scripts/ynl/kernel61.py; 6.2+ also takes split ops) */
const struct genl_ops evpn_nl_ops[15] = {
	{
		.cmd		= EVPN_CMD_DEV_GET,
		.doit		= evpn_nl_dev_get_doit,
		.dumpit		= evpn_nl_dev_get_dumpit,
		.policy		= evpn_dev_get_nl_policy,
		.maxattr	= EVPN_A_IFNAME,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= EVPN_CMD_DEV_SET,
		.doit		= evpn_nl_dev_set_doit,
		.policy		= evpn_dev_set_nl_policy,
		.maxattr	= EVPN_A_NODE_ID,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= EVPN_CMD_LINK_NEW,
		.doit		= evpn_nl_link_new_doit,
		.policy		= evpn_link_new_nl_policy,
		.maxattr	= EVPN_A_LINK,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= EVPN_CMD_LINK_SET,
		.doit		= evpn_nl_link_set_doit,
		.policy		= evpn_link_set_nl_policy,
		.maxattr	= EVPN_A_LINK,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= EVPN_CMD_LINK_DEL,
		.doit		= evpn_nl_link_del_doit,
		.policy		= evpn_link_del_nl_policy,
		.maxattr	= EVPN_A_LINK,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= EVPN_CMD_LINK_GET,
		.doit		= evpn_nl_link_get_doit,
		.dumpit		= evpn_nl_link_get_dumpit,
		.policy		= evpn_link_get_do_nl_policy,
		.maxattr	= EVPN_A_LINK,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= EVPN_CMD_KEY_NEW,
		.doit		= evpn_nl_key_new_doit,
		.policy		= evpn_key_new_nl_policy,
		.maxattr	= EVPN_A_KEY,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= EVPN_CMD_KEY_SWAP,
		.doit		= evpn_nl_key_swap_doit,
		.policy		= evpn_key_swap_nl_policy,
		.maxattr	= EVPN_A_KEY,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= EVPN_CMD_KEY_DEL,
		.doit		= evpn_nl_key_del_doit,
		.policy		= evpn_key_del_nl_policy,
		.maxattr	= EVPN_A_KEY,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= EVPN_CMD_FDB_GET,
		.dumpit		= evpn_nl_fdb_get_dumpit,
		.policy		= evpn_fdb_get_nl_policy,
		.maxattr	= EVPN_A_FDB,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= EVPN_CMD_FDB_ADD,
		.doit		= evpn_nl_fdb_add_doit,
		.policy		= evpn_fdb_add_nl_policy,
		.maxattr	= EVPN_A_FDB,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= EVPN_CMD_FDB_DEL,
		.doit		= evpn_nl_fdb_del_doit,
		.policy		= evpn_fdb_del_nl_policy,
		.maxattr	= EVPN_A_FDB,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= EVPN_CMD_MCAST_GET,
		.dumpit		= evpn_nl_mcast_get_dumpit,
		.policy		= evpn_mcast_get_nl_policy,
		.maxattr	= EVPN_A_IFNAME,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= EVPN_CMD_E2E_SET,
		.doit		= evpn_nl_e2e_set_doit,
		.policy		= evpn_e2e_set_nl_policy,
		.maxattr	= EVPN_A_E2E,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= EVPN_CMD_E2E_DEL,
		.doit		= evpn_nl_e2e_del_doit,
		.policy		= evpn_e2e_del_nl_policy,
		.maxattr	= EVPN_A_E2E,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
};

const struct genl_multicast_group evpn_nl_mcgrps[] = {
	[EVPN_NLGRP_EVENTS] = { .name = "events", .flags = GENL_MCAST_CAP_NET_ADMIN, },
};

struct genl_family evpn_nl_family __ro_after_init = {
	.name		= EVPN_GENL_NAME,
	.version	= EVPN_GENL_VERSION,
	.maxattr	= EVPN_A_MAX,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	/* resv_start_op 0: every command is validated strictly */
	.pre_doit	= evpn_nl_pre_doit,
	.post_doit	= evpn_nl_post_doit,
	.ops		= evpn_nl_ops,
	.n_ops		= ARRAY_SIZE(evpn_nl_ops),
	.mcgrps		= evpn_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(evpn_nl_mcgrps),
};
