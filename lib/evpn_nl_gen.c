// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, generated from: */
/*	netlink/specs/evpn.yaml */
/* by scripts/ynl/libnl.py (make regen): libnl attribute policies */

#include "evpn_nl_gen.h"

/* attribute set "evpn" */
const struct nla_policy evpn_nl_policy[EVPN_A_MAX + 1] = {
	[EVPN_A_IFINDEX] = { .type = NLA_U32 },
	[EVPN_A_IFNAME] = { .type = NLA_STRING, .maxlen = 16 },
	[EVPN_A_NODE_ID] = { .type = NLA_UNSPEC, .minlen = 16, .maxlen = 16 },
	[EVPN_A_MTU] = { .type = NLA_U32 },
	[EVPN_A_RX_PACKETS] = { .type = NLA_U64 },
	[EVPN_A_RX_BYTES] = { .type = NLA_U64 },
	[EVPN_A_TX_PACKETS] = { .type = NLA_U64 },
	[EVPN_A_TX_BYTES] = { .type = NLA_U64 },
	[EVPN_A_DEV_DROPS] = { .type = NLA_NESTED },
	[EVPN_A_LINK] = { .type = NLA_NESTED },
	[EVPN_A_KEY] = { .type = NLA_NESTED },
	[EVPN_A_FDB] = { .type = NLA_NESTED },
	[EVPN_A_EVENT] = { .type = NLA_NESTED },
	[EVPN_A_FWD_PACKETS] = { .type = NLA_U64 },
	[EVPN_A_MCAST] = { .type = NLA_NESTED },
	[EVPN_A_MCAST_STATS] = { .type = NLA_NESTED },
	[EVPN_A_FDB_REFUSED_FULL] = { .type = NLA_U64 },
	[EVPN_A_FDB_REFUSED_QUOTA] = { .type = NLA_U64 },
	[EVPN_A_E2E] = { .type = NLA_NESTED },
};

/* attribute set "drops" */
const struct nla_policy evpn_nl_drops_policy[EVPN_DROPS_A_MAX + 1] = {
	[EVPN_DROPS_A_TRUNCATED] = { .type = NLA_U64 },
	[EVPN_DROPS_A_OVERSIZE] = { .type = NLA_U64 },
	[EVPN_DROPS_A_BAD_VERSION] = { .type = NLA_U64 },
	[EVPN_DROPS_A_BAD_HEADER] = { .type = NLA_U64 },
	[EVPN_DROPS_A_UNKNOWN_KEY] = { .type = NLA_U64 },
	[EVPN_DROPS_A_KEY_EXPIRED] = { .type = NLA_U64 },
	[EVPN_DROPS_A_AUTH] = { .type = NLA_U64 },
	[EVPN_DROPS_A_REPLAY] = { .type = NLA_U64 },
	[EVPN_DROPS_A_TTL] = { .type = NLA_U64 },
	[EVPN_DROPS_A_NO_ROUTE] = { .type = NLA_U64 },
	[EVPN_DROPS_A_NOT_FOR_US] = { .type = NLA_U64 },
	[EVPN_DROPS_A_LOOP] = { .type = NLA_U64 },
	[EVPN_DROPS_A_NO_LINK] = { .type = NLA_U64 },
	[EVPN_DROPS_A_NOMEM] = { .type = NLA_U64 },
	[EVPN_DROPS_A_TX_ERROR] = { .type = NLA_U64 },
	[EVPN_DROPS_A_NOT_DATA] = { .type = NLA_U64 },
	[EVPN_DROPS_A_BAD_SRC] = { .type = NLA_U64 },
	[EVPN_DROPS_A_E2E_NO_KEY] = { .type = NLA_U64 },
	[EVPN_DROPS_A_E2E_AUTH] = { .type = NLA_U64 },
	[EVPN_DROPS_A_E2E_REPLAY] = { .type = NLA_U64 },
	[EVPN_DROPS_A_FLOOD_RATE] = { .type = NLA_U64 },
	[EVPN_DROPS_A_FRAG_INVALID] = { .type = NLA_U64 },
	[EVPN_DROPS_A_FRAG_OVERLAP] = { .type = NLA_U64 },
	[EVPN_DROPS_A_FRAG_TIMEOUT] = { .type = NLA_U64 },
	[EVPN_DROPS_A_FRAG_NO_ROOM] = { .type = NLA_U64 },
	[EVPN_DROPS_A_TOO_BIG] = { .type = NLA_U64 },
	[EVPN_DROPS_A_FRAG_SHARE] = { .type = NLA_U64 },
};

/* attribute set "link" */
const struct nla_policy evpn_nl_link_policy[EVPN_LINK_A_MAX + 1] = {
	[EVPN_LINK_A_PEER_ID] = { .type = NLA_UNSPEC, .minlen = 16, .maxlen = 16 },
	[EVPN_LINK_A_SOCK_FD] = { .type = NLA_U32 },
	[EVPN_LINK_A_REMOTE_IPV4] = { .type = NLA_UNSPEC, .minlen = 4, .maxlen = 4 },
	[EVPN_LINK_A_REMOTE_IPV6] = { .type = NLA_UNSPEC, .minlen = 16, .maxlen = 16 },
	[EVPN_LINK_A_REMOTE_PORT] = { .type = NLA_U16 },
	[EVPN_LINK_A_LOCAL_IPV4] = { .type = NLA_UNSPEC, .minlen = 4, .maxlen = 4 },
	[EVPN_LINK_A_LOCAL_IPV6] = { .type = NLA_UNSPEC, .minlen = 16, .maxlen = 16 },
	[EVPN_LINK_A_LOCAL_PORT] = { .type = NLA_U16 },
	[EVPN_LINK_A_RX_PACKETS] = { .type = NLA_U64 },
	[EVPN_LINK_A_RX_BYTES] = { .type = NLA_U64 },
	[EVPN_LINK_A_TX_PACKETS] = { .type = NLA_U64 },
	[EVPN_LINK_A_TX_BYTES] = { .type = NLA_U64 },
	[EVPN_LINK_A_DROPS] = { .type = NLA_NESTED },
	[EVPN_LINK_A_KEY] = { .type = NLA_NESTED },
	[EVPN_LINK_A_NBRS] = { .type = NLA_UNSPEC },
	[EVPN_LINK_A_TURN_PEER_IPV4] = { .type = NLA_UNSPEC, .minlen = 4, .maxlen = 4 },
	[EVPN_LINK_A_TURN_PEER_IPV6] = { .type = NLA_UNSPEC, .minlen = 16, .maxlen = 16 },
	[EVPN_LINK_A_TURN_PEER_PORT] = { .type = NLA_U16 },
	[EVPN_LINK_A_TURN_CHANNEL] = { .type = NLA_U16 },
	[EVPN_LINK_A_RECORD_MAX] = { .type = NLA_U32 },
};

/* attribute set "key" */
const struct nla_policy evpn_nl_key_policy[EVPN_KEY_A_MAX + 1] = {
	[EVPN_KEY_A_PEER_ID] = { .type = NLA_UNSPEC, .minlen = 16, .maxlen = 16 },
	[EVPN_KEY_A_SLOT] = { .type = NLA_U32 },
	[EVPN_KEY_A_SUITE] = { .type = NLA_U32 },
	[EVPN_KEY_A_TX_KEY_ID] = { .type = NLA_U32 },
	[EVPN_KEY_A_TX_KEY] = { .type = NLA_UNSPEC, .minlen = 32, .maxlen = 32 },
	[EVPN_KEY_A_TX_IV] = { .type = NLA_UNSPEC, .minlen = 12, .maxlen = 12 },
	[EVPN_KEY_A_RX_KEY_ID] = { .type = NLA_U32 },
	[EVPN_KEY_A_RX_KEY] = { .type = NLA_UNSPEC, .minlen = 32, .maxlen = 32 },
	[EVPN_KEY_A_RX_IV] = { .type = NLA_UNSPEC, .minlen = 12, .maxlen = 12 },
	[EVPN_KEY_A_TX_COUNTER] = { .type = NLA_U64 },
	[EVPN_KEY_A_RX_PACKETS] = { .type = NLA_U64 },
	[EVPN_KEY_A_AGE] = { .type = NLA_U32 },
	[EVPN_KEY_A_STATIC] = { .type = NLA_FLAG },
};

/* attribute set "fdb" */
const struct nla_policy evpn_nl_fdb_policy[EVPN_FDB_A_MAX + 1] = {
	[EVPN_FDB_A_MAC] = { .type = NLA_UNSPEC, .minlen = 6, .maxlen = 6 },
	[EVPN_FDB_A_NODE_ID] = { .type = NLA_UNSPEC, .minlen = 16, .maxlen = 16 },
	[EVPN_FDB_A_STATIC] = { .type = NLA_FLAG },
	[EVPN_FDB_A_AGE] = { .type = NLA_U32 },
};

/* attribute set "event" */
const struct nla_policy evpn_nl_event_policy[EVPN_EVENT_A_MAX + 1] = {
	[EVPN_EVENT_A_TYPE] = { .type = NLA_U32 },
	[EVPN_EVENT_A_PEER_ID] = { .type = NLA_UNSPEC, .minlen = 16, .maxlen = 16 },
	[EVPN_EVENT_A_KEY_ID] = { .type = NLA_U32 },
	[EVPN_EVENT_A_SLOT] = { .type = NLA_U32 },
	[EVPN_EVENT_A_REMOTE_IPV4] = { .type = NLA_UNSPEC, .minlen = 4, .maxlen = 4 },
	[EVPN_EVENT_A_REMOTE_IPV6] = { .type = NLA_UNSPEC, .minlen = 16, .maxlen = 16 },
	[EVPN_EVENT_A_REMOTE_PORT] = { .type = NLA_U16 },
	[EVPN_EVENT_A_ERRNO] = { .type = NLA_U32 },
};

/* attribute set "mcast" */
const struct nla_policy evpn_nl_mcast_policy[EVPN_MCAST_A_MAX + 1] = {
	[EVPN_MCAST_A_GROUP] = { .type = NLA_UNSPEC, .minlen = 16, .maxlen = 16 },
	[EVPN_MCAST_A_NODE_ID] = { .type = NLA_UNSPEC, .minlen = 16, .maxlen = 16 },
	[EVPN_MCAST_A_LOCAL] = { .type = NLA_FLAG },
	[EVPN_MCAST_A_EXPIRES] = { .type = NLA_U32 },
};

/* attribute set "mcast-stats" */
const struct nla_policy evpn_nl_mcast_stats_policy[EVPN_MCAST_STATS_A_MAX + 1] = {
	[EVPN_MCAST_STATS_A_GROUPS] = { .type = NLA_U32 },
	[EVPN_MCAST_STATS_A_MEMBERS] = { .type = NLA_U32 },
	[EVPN_MCAST_STATS_A_GROUPS_MAX] = { .type = NLA_U32 },
	[EVPN_MCAST_STATS_A_MEMBERS_MAX] = { .type = NLA_U32 },
	[EVPN_MCAST_STATS_A_REFUSED_FULL] = { .type = NLA_U64 },
	[EVPN_MCAST_STATS_A_REFUSED_QUOTA] = { .type = NLA_U64 },
	[EVPN_MCAST_STATS_A_ANNOUNCE_TX] = { .type = NLA_U64 },
	[EVPN_MCAST_STATS_A_ANNOUNCE_RX] = { .type = NLA_U64 },
	[EVPN_MCAST_STATS_A_PRUNED] = { .type = NLA_U64 },
	[EVPN_MCAST_STATS_A_QUERIES_TX] = { .type = NLA_U64 },
};

/* attribute set "e2e" */
const struct nla_policy evpn_nl_e2e_policy[EVPN_E2E_A_MAX + 1] = {
	[EVPN_E2E_A_PEER_ID] = { .type = NLA_UNSPEC, .minlen = 16, .maxlen = 16 },
	[EVPN_E2E_A_TX_KEY] = { .type = NLA_UNSPEC, .minlen = 32, .maxlen = 32 },
	[EVPN_E2E_A_TX_IV] = { .type = NLA_UNSPEC, .minlen = 12, .maxlen = 12 },
	[EVPN_E2E_A_RX_KEY] = { .type = NLA_UNSPEC, .minlen = 32, .maxlen = 32 },
	[EVPN_E2E_A_RX_IV] = { .type = NLA_UNSPEC, .minlen = 12, .maxlen = 12 },
	[EVPN_E2E_A_TX_COUNTER] = { .type = NLA_U64 },
};
