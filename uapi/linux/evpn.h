/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	netlink/specs/evpn.yaml */
/* YNL-GEN uapi header */

#ifndef _UAPI_LINUX_EVPN_H
#define _UAPI_LINUX_EVPN_H

#define EVPN_GENL_NAME		"evpn"
#define EVPN_GENL_VERSION	1

#define EVPN_NODE_ID_LEN	16
#define EVPN_MAX_LINKS		64
#define EVPN_MAX_NBR_IDS	64
#define EVPN_RECORD_MIN		1228
#define EVPN_RECORD_MAX		9082

/**
 * enum evpn_drop_reason - Why a received or transmitted packet was dropped.
 *   Both datapaths count drops per reason; the kernel reports them in the
 *   dev-drops / link drops nests, whose attribute type is (reason + 1).
 * @EVPN_DROP_TRUNCATED: shorter than header + tag + Ethernet header
 * @EVPN_DROP_OVERSIZE: inner frame longer than EVPN_MAX_INNER_LEN
 * @EVPN_DROP_BAD_VERSION: evpn magic range, unknown version/type
 * @EVPN_DROP_BAD_HEADER: reserved bits set, zero key ID, bad IDs
 * @EVPN_DROP_UNKNOWN_KEY: no receive key with this key ID
 * @EVPN_DROP_KEY_EXPIRED: key past its hard packet/age limit
 * @EVPN_DROP_AUTH: AEAD tag did not verify
 * @EVPN_DROP_REPLAY: counter seen before or older than the window
 * @EVPN_DROP_TTL: TTL 0 on arrival, or would reach 0 forwarding
 * @EVPN_DROP_NO_ROUTE: no link closer to the destination
 * @EVPN_DROP_NOT_FOR_US: unicast reached its closest node, not ours
 * @EVPN_DROP_LOOP: frame's source is this node
 * @EVPN_DROP_NO_LINK: transmit with no usable link / key
 * @EVPN_DROP_NOMEM: allocation or queue full
 * @EVPN_DROP_TX_ERROR: socket send failed
 * @EVPN_DROP_NOT_DATA: not an evpn data record (userspace datapath)
 * @EVPN_DROP_BAD_SRC: one-hop record (unicast 0xE1) whose src is not the
 *   link's peer: an unproven origin (docs/protocol.md section 14)
 * @EVPN_DROP_E2E_NO_KEY: end-to-end record (0xE3) from a node without a pair
 *   key, or relayed unicast to a node without one (at its origin)
 * @EVPN_DROP_E2E_AUTH: end-to-end tag did not verify (altered or forged in
 *   transit)
 * @EVPN_DROP_E2E_REPLAY: end-to-end counter seen before or older than the
 *   window
 * @EVPN_DROP_FLOOD_RATE: flood or announcement record over its incoming link's
 *   rate limit (core/ratelimit.h: EVPN_FLOOD_RATE records/s, EVPN_FLOOD_BURST)
 * @EVPN_DROP_FRAG_INVALID: malformed fragment header (inner type, reserved
 *   bytes, slice outside total), or a fragment disagreeing with its payload's
 *   first (total, inner type, too many pieces): the partial payload is dropped
 * @EVPN_DROP_FRAG_OVERLAP: fragment overlaps one already received (the partial
 *   payload is dropped)
 * @EVPN_DROP_FRAG_TIMEOUT: partial payload not completed within the reassembly
 *   timeout
 * @EVPN_DROP_FRAG_NO_ROOM: reassembly table full and this payload's neighbour
 *   holds the most slots: its own oldest partial payload evicted
 *   (docs/protocol.md section 10.2)
 * @EVPN_DROP_TOO_BIG: a record larger than the next link's record size
 *   (transit: links do not re-split), or a frame that cannot be cut into at
 *   most 16 fragments
 * @EVPN_DROP_FRAG_SHARE: reassembly table full: the oldest partial payload of
 *   the neighbour holding the most slots evicted for another neighbour's
 *   payload (each neighbour's share, docs/protocol.md section 10.2)
 */
enum evpn_drop_reason {
	EVPN_DROP_NONE,
	EVPN_DROP_TRUNCATED,
	EVPN_DROP_OVERSIZE,
	EVPN_DROP_BAD_VERSION,
	EVPN_DROP_BAD_HEADER,
	EVPN_DROP_UNKNOWN_KEY,
	EVPN_DROP_KEY_EXPIRED,
	EVPN_DROP_AUTH,
	EVPN_DROP_REPLAY,
	EVPN_DROP_TTL,
	EVPN_DROP_NO_ROUTE,
	EVPN_DROP_NOT_FOR_US,
	EVPN_DROP_LOOP,
	EVPN_DROP_NO_LINK,
	EVPN_DROP_NOMEM,
	EVPN_DROP_TX_ERROR,
	EVPN_DROP_NOT_DATA,
	EVPN_DROP_BAD_SRC,
	EVPN_DROP_E2E_NO_KEY,
	EVPN_DROP_E2E_AUTH,
	EVPN_DROP_E2E_REPLAY,
	EVPN_DROP_FLOOD_RATE,
	EVPN_DROP_FRAG_INVALID,
	EVPN_DROP_FRAG_OVERLAP,
	EVPN_DROP_FRAG_TIMEOUT,
	EVPN_DROP_FRAG_NO_ROOM,
	EVPN_DROP_TOO_BIG,
	EVPN_DROP_FRAG_SHARE,

	/* private: */
	__EVPN_DROP_MAX,
	EVPN_DROP_MAX = (__EVPN_DROP_MAX - 1)
};

/**
 * enum evpn_suite - AEAD suites (docs/protocol.md section 3).
 * @EVPN_SUITE_AES256GCM: gcm(aes), 32-byte key
 * @EVPN_SUITE_CHACHA20POLY1305: rfc7539(chacha20,poly1305)
 */
enum evpn_suite {
	EVPN_SUITE_NONE,
	EVPN_SUITE_AES256GCM,
	EVPN_SUITE_CHACHA20POLY1305,

	/* private: */
	__EVPN_SUITE_MAX,
	EVPN_SUITE_MAX = (__EVPN_SUITE_MAX - 1)
};

/**
 * enum evpn_key_slot - Key slots of a link (docs/protocol.md section 6).
 * @EVPN_KEY_SLOT_CURRENT: transmits; receives
 * @EVPN_KEY_SLOT_NEXT: receives; becomes current on key-swap
 */
enum evpn_key_slot {
	EVPN_KEY_SLOT_CURRENT,
	EVPN_KEY_SLOT_NEXT,
};

/**
 * enum evpn_event_type - Event types (event type attribute).
 * @EVPN_EVENT_KEY_SOFT_LIMIT: a key reached its rekey limit (packets or 120 s)
 * @EVPN_EVENT_KEY_HARD_LIMIT: a key reached its reject limit and is no longer
 *   used
 * @EVPN_EVENT_ENDPOINT_CHANGED: authenticated record from a new address; the
 *   link now sends there
 * @EVPN_EVENT_PEER_UNREACHABLE: no route / send error to the peer (at most one
 *   per second per link)
 */
enum evpn_event_type {
	EVPN_EVENT_NONE,
	EVPN_EVENT_KEY_SOFT_LIMIT,
	EVPN_EVENT_KEY_HARD_LIMIT,
	EVPN_EVENT_ENDPOINT_CHANGED,
	EVPN_EVENT_PEER_UNREACHABLE,

	/* private: */
	__EVPN_EVENT_MAX,
	EVPN_EVENT_MAX = (__EVPN_EVENT_MAX - 1)
};

enum evpn_attr {
	EVPN_A_UNSPEC,
	EVPN_A_IFINDEX,
	EVPN_A_IFNAME,
	EVPN_A_NODE_ID,
	EVPN_A_MTU,
	EVPN_A_RX_PACKETS,
	EVPN_A_RX_BYTES,
	EVPN_A_TX_PACKETS,
	EVPN_A_TX_BYTES,
	EVPN_A_DEV_DROPS,
	EVPN_A_PAD,
	EVPN_A_LINK,
	EVPN_A_KEY,
	EVPN_A_FDB,
	EVPN_A_EVENT,
	EVPN_A_FWD_PACKETS,
	EVPN_A_MCAST,
	EVPN_A_MCAST_STATS,
	EVPN_A_FDB_REFUSED_FULL,
	EVPN_A_FDB_REFUSED_QUOTA,
	EVPN_A_E2E,

	__EVPN_A_MAX
};
#define EVPN_A_MAX (__EVPN_A_MAX - 1)

enum evpn_drops_attr {
	EVPN_DROPS_A_PAD,
	EVPN_DROPS_A_NONE,
	EVPN_DROPS_A_TRUNCATED,
	EVPN_DROPS_A_OVERSIZE,
	EVPN_DROPS_A_BAD_VERSION,
	EVPN_DROPS_A_BAD_HEADER,
	EVPN_DROPS_A_UNKNOWN_KEY,
	EVPN_DROPS_A_KEY_EXPIRED,
	EVPN_DROPS_A_AUTH,
	EVPN_DROPS_A_REPLAY,
	EVPN_DROPS_A_TTL,
	EVPN_DROPS_A_NO_ROUTE,
	EVPN_DROPS_A_NOT_FOR_US,
	EVPN_DROPS_A_LOOP,
	EVPN_DROPS_A_NO_LINK,
	EVPN_DROPS_A_NOMEM,
	EVPN_DROPS_A_TX_ERROR,
	EVPN_DROPS_A_NOT_DATA,
	EVPN_DROPS_A_BAD_SRC,
	EVPN_DROPS_A_E2E_NO_KEY,
	EVPN_DROPS_A_E2E_AUTH,
	EVPN_DROPS_A_E2E_REPLAY,
	EVPN_DROPS_A_FLOOD_RATE,
	EVPN_DROPS_A_FRAG_INVALID,
	EVPN_DROPS_A_FRAG_OVERLAP,
	EVPN_DROPS_A_FRAG_TIMEOUT,
	EVPN_DROPS_A_FRAG_NO_ROOM,
	EVPN_DROPS_A_TOO_BIG,
	EVPN_DROPS_A_FRAG_SHARE,

	__EVPN_DROPS_A_MAX
};
#define EVPN_DROPS_A_MAX (__EVPN_DROPS_A_MAX - 1)

enum evpn_link_attr {
	EVPN_LINK_A_UNSPEC,
	EVPN_LINK_A_PEER_ID,
	EVPN_LINK_A_SOCK_FD,
	EVPN_LINK_A_REMOTE_IPV4,
	EVPN_LINK_A_REMOTE_IPV6,
	EVPN_LINK_A_REMOTE_PORT,
	EVPN_LINK_A_LOCAL_IPV4,
	EVPN_LINK_A_LOCAL_IPV6,
	EVPN_LINK_A_LOCAL_PORT,
	EVPN_LINK_A_RX_PACKETS,
	EVPN_LINK_A_RX_BYTES,
	EVPN_LINK_A_TX_PACKETS,
	EVPN_LINK_A_TX_BYTES,
	EVPN_LINK_A_DROPS,
	EVPN_LINK_A_KEY,
	EVPN_LINK_A_PAD,
	EVPN_LINK_A_NBRS,
	EVPN_LINK_A_TURN_PEER_IPV4,
	EVPN_LINK_A_TURN_PEER_IPV6,
	EVPN_LINK_A_TURN_PEER_PORT,
	EVPN_LINK_A_TURN_CHANNEL,
	EVPN_LINK_A_RECORD_MAX,

	__EVPN_LINK_A_MAX
};
#define EVPN_LINK_A_MAX (__EVPN_LINK_A_MAX - 1)

enum evpn_key_attr {
	EVPN_KEY_A_UNSPEC,
	EVPN_KEY_A_PEER_ID,
	EVPN_KEY_A_SLOT,
	EVPN_KEY_A_SUITE,
	EVPN_KEY_A_TX_KEY_ID,
	EVPN_KEY_A_TX_KEY,
	EVPN_KEY_A_TX_IV,
	EVPN_KEY_A_RX_KEY_ID,
	EVPN_KEY_A_RX_KEY,
	EVPN_KEY_A_RX_IV,
	EVPN_KEY_A_TX_COUNTER,
	EVPN_KEY_A_RX_PACKETS,
	EVPN_KEY_A_AGE,
	EVPN_KEY_A_PAD,
	EVPN_KEY_A_STATIC,

	__EVPN_KEY_A_MAX
};
#define EVPN_KEY_A_MAX (__EVPN_KEY_A_MAX - 1)

enum evpn_fdb_attr {
	EVPN_FDB_A_UNSPEC,
	EVPN_FDB_A_MAC,
	EVPN_FDB_A_NODE_ID,
	EVPN_FDB_A_STATIC,
	EVPN_FDB_A_AGE,

	__EVPN_FDB_A_MAX
};
#define EVPN_FDB_A_MAX (__EVPN_FDB_A_MAX - 1)

enum evpn_event_attr {
	EVPN_EVENT_A_UNSPEC,
	EVPN_EVENT_A_TYPE,
	EVPN_EVENT_A_PEER_ID,
	EVPN_EVENT_A_KEY_ID,
	EVPN_EVENT_A_SLOT,
	EVPN_EVENT_A_REMOTE_IPV4,
	EVPN_EVENT_A_REMOTE_IPV6,
	EVPN_EVENT_A_REMOTE_PORT,
	EVPN_EVENT_A_ERRNO,

	__EVPN_EVENT_A_MAX
};
#define EVPN_EVENT_A_MAX (__EVPN_EVENT_A_MAX - 1)

enum evpn_mcast_attr {
	EVPN_MCAST_A_UNSPEC,
	EVPN_MCAST_A_GROUP,
	EVPN_MCAST_A_NODE_ID,
	EVPN_MCAST_A_LOCAL,
	EVPN_MCAST_A_EXPIRES,

	__EVPN_MCAST_A_MAX
};
#define EVPN_MCAST_A_MAX (__EVPN_MCAST_A_MAX - 1)

enum evpn_mcast_stats_attr {
	EVPN_MCAST_STATS_A_UNSPEC,
	EVPN_MCAST_STATS_A_GROUPS,
	EVPN_MCAST_STATS_A_MEMBERS,
	EVPN_MCAST_STATS_A_GROUPS_MAX,
	EVPN_MCAST_STATS_A_MEMBERS_MAX,
	EVPN_MCAST_STATS_A_PAD,
	EVPN_MCAST_STATS_A_REFUSED_FULL,
	EVPN_MCAST_STATS_A_REFUSED_QUOTA,
	EVPN_MCAST_STATS_A_ANNOUNCE_TX,
	EVPN_MCAST_STATS_A_ANNOUNCE_RX,
	EVPN_MCAST_STATS_A_PRUNED,
	EVPN_MCAST_STATS_A_QUERIES_TX,

	__EVPN_MCAST_STATS_A_MAX
};
#define EVPN_MCAST_STATS_A_MAX (__EVPN_MCAST_STATS_A_MAX - 1)

enum evpn_e2e_attr {
	EVPN_E2E_A_UNSPEC,
	EVPN_E2E_A_PEER_ID,
	EVPN_E2E_A_TX_KEY,
	EVPN_E2E_A_TX_IV,
	EVPN_E2E_A_RX_KEY,
	EVPN_E2E_A_RX_IV,
	EVPN_E2E_A_TX_COUNTER,
	EVPN_E2E_A_PAD,

	__EVPN_E2E_A_MAX
};
#define EVPN_E2E_A_MAX (__EVPN_E2E_A_MAX - 1)

enum evpn_cmd {
	EVPN_CMD_UNSPEC,
	EVPN_CMD_DEV_GET,
	EVPN_CMD_DEV_SET,
	EVPN_CMD_LINK_NEW,
	EVPN_CMD_LINK_SET,
	EVPN_CMD_LINK_DEL,
	EVPN_CMD_LINK_GET,
	EVPN_CMD_KEY_NEW,
	EVPN_CMD_KEY_SWAP,
	EVPN_CMD_KEY_DEL,
	EVPN_CMD_FDB_GET,
	EVPN_CMD_FDB_ADD,
	EVPN_CMD_FDB_DEL,
	EVPN_CMD_EVENT,
	EVPN_CMD_MCAST_GET,
	EVPN_CMD_E2E_SET,
	EVPN_CMD_E2E_DEL,

	__EVPN_CMD_MAX
};
#define EVPN_CMD_MAX (__EVPN_CMD_MAX - 1)

#define EVPN_MCGRP_EVENTS	"events"

#endif /* _UAPI_LINUX_EVPN_H */
