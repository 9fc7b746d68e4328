// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * What a reply or event may carry (see nl_policy.h): types and lengths as
 * uapi/linux/evpn.h documents them, so a parser may nla_get_*() any
 * attribute the policy let through.
 */
#include <net/if.h>
#include "nl_policy.h"

#define BIN(n)	{ .type = NLA_UNSPEC, .minlen = (n), .maxlen = (n) }
#define U16	{ .type = NLA_U16 }
#define U32	{ .type = NLA_U32 }
#define U64	{ .type = NLA_U64 }
#define NEST	{ .type = NLA_NESTED }
#define FLAG	{ .type = NLA_FLAG }

const struct nla_policy evpn_nl_dev_policy[EVPN_A_MAX + 1] = {
	[EVPN_A_IFINDEX]	= U32,
	[EVPN_A_IFNAME]		= { .type = NLA_STRING, .maxlen = IFNAMSIZ },
	[EVPN_A_NODE_ID]	= BIN(EVPN_NODE_ID_LEN),
	[EVPN_A_MTU]		= U32,
	[EVPN_A_RX_PACKETS]	= U64,
	[EVPN_A_RX_BYTES]	= U64,
	[EVPN_A_TX_PACKETS]	= U64,
	[EVPN_A_TX_BYTES]	= U64,
	[EVPN_A_DEV_DROPS]	= NEST,
	[EVPN_A_LINK]		= NEST,
	[EVPN_A_KEY]		= NEST,
	[EVPN_A_FDB]		= NEST,
	[EVPN_A_EVENT]		= NEST,
	[EVPN_A_FWD_PACKETS]	= U64,
};

const struct nla_policy evpn_nl_link_policy[EVPN_LINK_A_MAX + 1] = {
	[EVPN_LINK_A_PEER_ID]		= BIN(EVPN_NODE_ID_LEN),
	[EVPN_LINK_A_SOCK_FD]		= U32,
	[EVPN_LINK_A_REMOTE_IPV4]	= BIN(4),
	[EVPN_LINK_A_REMOTE_IPV6]	= BIN(16),
	[EVPN_LINK_A_REMOTE_PORT]	= U16,
	[EVPN_LINK_A_LOCAL_IPV4]	= BIN(4),
	[EVPN_LINK_A_LOCAL_IPV6]	= BIN(16),
	[EVPN_LINK_A_LOCAL_PORT]	= U16,
	[EVPN_LINK_A_RX_PACKETS]	= U64,
	[EVPN_LINK_A_RX_BYTES]		= U64,
	[EVPN_LINK_A_TX_PACKETS]	= U64,
	[EVPN_LINK_A_TX_BYTES]		= U64,
	[EVPN_LINK_A_DROPS]		= NEST,
	[EVPN_LINK_A_KEY]		= NEST,
	[EVPN_LINK_A_NBRS]		= { .type = NLA_UNSPEC,
					    .maxlen = EVPN_MAX_NBR_IDS *
						      EVPN_NODE_ID_LEN },
};

const struct nla_policy evpn_nl_key_policy[EVPN_KEY_A_MAX + 1] = {
	[EVPN_KEY_A_PEER_ID]	= BIN(EVPN_NODE_ID_LEN),
	[EVPN_KEY_A_SLOT]	= U32,
	[EVPN_KEY_A_SUITE]	= U32,
	[EVPN_KEY_A_TX_KEY_ID]	= U32,
	[EVPN_KEY_A_TX_KEY]	= BIN(32),
	[EVPN_KEY_A_TX_IV]	= BIN(12),
	[EVPN_KEY_A_RX_KEY_ID]	= U32,
	[EVPN_KEY_A_RX_KEY]	= BIN(32),
	[EVPN_KEY_A_RX_IV]	= BIN(12),
	[EVPN_KEY_A_TX_COUNTER]	= U64,
	[EVPN_KEY_A_RX_PACKETS]	= U64,
	[EVPN_KEY_A_AGE]	= U32,
	[EVPN_KEY_A_STATIC]	= FLAG,
};

/*
 * MAC has no length here: evpn.ko's FDB dump (kmod/netlink.c
 * evpn_fill_fdb) opens the FDB nest before it puts EVPN_A_IFINDEX, so each
 * entry carries a 4-byte attribute of type 1 (= MAC) before the real MAC.
 * nla_parse keeps the last, the MAC; lib/nl.c checks its length. Give MAC
 * its BIN(6) back once the kernel puts IFINDEX outside the nest.
 */
const struct nla_policy evpn_nl_fdb_policy[EVPN_FDB_A_MAX + 1] = {
	[EVPN_FDB_A_MAC]	= { .type = NLA_UNSPEC },
	[EVPN_FDB_A_NODE_ID]	= BIN(EVPN_NODE_ID_LEN),
	[EVPN_FDB_A_STATIC]	= FLAG,
	[EVPN_FDB_A_AGE]	= U32,
};

const struct nla_policy evpn_nl_event_policy[EVPN_EVENT_A_MAX + 1] = {
	[EVPN_EVENT_A_TYPE]		= U32,
	[EVPN_EVENT_A_PEER_ID]		= BIN(EVPN_NODE_ID_LEN),
	[EVPN_EVENT_A_KEY_ID]		= U32,
	[EVPN_EVENT_A_SLOT]		= U32,
	[EVPN_EVENT_A_REMOTE_IPV4]	= BIN(4),
	[EVPN_EVENT_A_REMOTE_IPV6]	= BIN(16),
	[EVPN_EVENT_A_REMOTE_PORT]	= U16,
	[EVPN_EVENT_A_ERRNO]		= U32,
};
