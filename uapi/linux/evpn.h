/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * evpn: kernel <-> userspace ABI.
 *
 * This file is the one definition of everything both evpn.ko and the
 * userspace programs (evpnd, evpnctl) must agree on: the generic netlink
 * family, its commands and attributes, and the datapath drop reasons.
 * docs/netlink.md documents it.
 */
#ifndef _UAPI_LINUX_EVPN_H
#define _UAPI_LINUX_EVPN_H

#define EVPN_GENL_NAME		"evpn"
#define EVPN_GENL_VERSION	1

/*
 * Why a received or transmitted packet was dropped. Both datapaths count
 * drops per reason; the kernel reports them in EVPN_A_DEV_DROPS /
 * EVPN_A_LINK_DROPS as a nest whose attribute type is (reason + 1).
 * Append only: the numbering is ABI.
 */
enum evpn_drop_reason {
	EVPN_DROP_NONE = 0,
	EVPN_DROP_TRUNCATED,	/* shorter than header + tag + Ethernet header */
	EVPN_DROP_OVERSIZE,	/* inner frame longer than EVPN_MAX_INNER_LEN */
	EVPN_DROP_BAD_VERSION,	/* evpn magic range, unknown version/type */
	EVPN_DROP_BAD_HEADER,	/* reserved bits set, zero key ID, bad IDs */
	EVPN_DROP_UNKNOWN_KEY,	/* no receive key with this key ID */
	EVPN_DROP_KEY_EXPIRED,	/* key past its hard packet/age limit */
	EVPN_DROP_AUTH,		/* AEAD tag did not verify */
	EVPN_DROP_REPLAY,	/* counter seen before or older than the window */
	EVPN_DROP_TTL,		/* TTL 0 on arrival, or would reach 0 forwarding */
	EVPN_DROP_NO_ROUTE,	/* no link closer to the destination */
	EVPN_DROP_NOT_FOR_US,	/* unicast reached its closest node, not ours */
	EVPN_DROP_LOOP,		/* frame's source is this node */
	EVPN_DROP_NO_LINK,	/* transmit with no usable link / key */
	EVPN_DROP_NOMEM,	/* allocation or queue full */
	EVPN_DROP_TX_ERROR,	/* socket send failed */
	EVPN_DROP_NOT_DATA,	/* not an evpn data record (userspace datapath) */
	__EVPN_DROP_MAX
};
#define EVPN_DROP_MAX (__EVPN_DROP_MAX - 1)

/*
 * Generic netlink commands. The numbering is ABI: append only. Numbers not
 * listed here are answered -EOPNOTSUPP (docs/netlink.md).
 */
enum evpn_cmd {
	EVPN_CMD_UNSPEC,
	EVPN_CMD_DEV_GET,	/* doit by IFINDEX/IFNAME, or dump all */
	EVPN_CMD_DEV_SET,	/* set NODE_ID */
	EVPN_CMD_LINK_NEW,	/* add a link: EVPN_A_LINK {PEER_ID, SOCK_FD, REMOTE_*} */
	EVPN_CMD_LINK_SET,	/* change a link's remote endpoint */
	EVPN_CMD_LINK_DEL,	/* delete a link (and its keys) by PEER_ID */
	EVPN_CMD_LINK_GET,	/* get one link by PEER_ID, or dump a device's */
	EVPN_CMD_KEY_NEW,	/* install a key pair in a slot: EVPN_A_KEY */
	EVPN_CMD_KEY_SWAP,	/* swap a link's current and next slots */
	EVPN_CMD_KEY_DEL,	/* delete (and wipe) the key pair in a slot */
	EVPN_CMD_FDB_GET,	/* dump a device's FDB */
	EVPN_CMD_FDB_ADD,	/* add/replace a static FDB entry */
	EVPN_CMD_FDB_DEL,	/* delete an FDB entry */
	EVPN_CMD_EVENT,		/* notification on the "events" group */
	__EVPN_CMD_MAX
};
#define EVPN_CMD_MAX (__EVPN_CMD_MAX - 1)

/* Multicast group: events the daemon acts on (EVPN_CMD_EVENT messages). */
#define EVPN_MCGRP_EVENTS	"events"

/*
 * Top-level attributes. Append only. "out" attributes are only ever sent by
 * the kernel; a request carrying one is rejected (strict policy).
 */
enum evpn_attr {
	EVPN_A_UNSPEC,
	EVPN_A_IFINDEX,		/* u32: device selector (in), device (out) */
	EVPN_A_IFNAME,		/* string: device selector (in), name (out) */
	EVPN_A_NODE_ID,		/* binary, EVPN_ID_LEN (16) bytes, big-endian;
				 * all zero = unset */
	EVPN_A_MTU,		/* u32, out */
	EVPN_A_RX_PACKETS,	/* u64, out */
	EVPN_A_RX_BYTES,	/* u64, out */
	EVPN_A_TX_PACKETS,	/* u64, out */
	EVPN_A_TX_BYTES,	/* u64, out */
	EVPN_A_DEV_DROPS,	/* nest, out: u64 per enum evpn_drop_reason,
				 * attribute type = reason + 1 */
	EVPN_A_PAD,		/* alignment padding for u64 attributes */
	EVPN_A_LINK,		/* nest, one link: enum evpn_link_attr */
	EVPN_A_KEY,		/* nest, one key slot: enum evpn_key_attr */
	EVPN_A_FDB,		/* nest, one FDB entry: enum evpn_fdb_attr */
	EVPN_A_EVENT,		/* nest, one event: enum evpn_event_attr */
	EVPN_A_FWD_PACKETS,	/* u64, out: records relayed for other nodes */
	__EVPN_A_MAX
};
#define EVPN_A_MAX (__EVPN_A_MAX - 1)

/* The 16-byte node ID as carried in EVPN_A_NODE_ID (same as core/id.h). */
#define EVPN_NODE_ID_LEN	16

/* AEAD suites (docs/protocol.md section 3). */
enum evpn_suite {
	EVPN_SUITE_NONE = 0,
	EVPN_SUITE_AES256GCM = 1,	/* gcm(aes), 32-byte key */
	EVPN_SUITE_CHACHA20POLY1305 = 2,	/* rfc7539(chacha20,poly1305) */
	__EVPN_SUITE_MAX
};

/* Key slots of a link (docs/protocol.md section 6). */
enum evpn_key_slot {
	EVPN_KEY_SLOT_CURRENT = 0,	/* transmits; receives */
	EVPN_KEY_SLOT_NEXT = 1,		/* receives; becomes current on SWAP */
};

/*
 * Attributes inside EVPN_A_LINK. A link is named by its peer's node ID,
 * unique per device. Addresses are network order, ports host order.
 */
enum evpn_link_attr {
	EVPN_LINK_A_UNSPEC,
	EVPN_LINK_A_PEER_ID,	/* binary, 16 bytes: the peer's node ID */
	EVPN_LINK_A_SOCK_FD,	/* u32, in (LINK_NEW): a bound UDP socket's fd */
	EVPN_LINK_A_REMOTE_IPV4,	/* binary, 4 bytes */
	EVPN_LINK_A_REMOTE_IPV6,	/* binary, 16 bytes */
	EVPN_LINK_A_REMOTE_PORT,	/* u16 (host order), non-zero */
	EVPN_LINK_A_LOCAL_IPV4,	/* binary, 4 bytes, out: socket's address */
	EVPN_LINK_A_LOCAL_IPV6,	/* binary, 16 bytes, out */
	EVPN_LINK_A_LOCAL_PORT,	/* u16, out */
	EVPN_LINK_A_RX_PACKETS,	/* u64, out */
	EVPN_LINK_A_RX_BYTES,	/* u64, out */
	EVPN_LINK_A_TX_PACKETS,	/* u64, out */
	EVPN_LINK_A_TX_BYTES,	/* u64, out */
	EVPN_LINK_A_DROPS,	/* nest, out: as EVPN_A_DEV_DROPS */
	EVPN_LINK_A_KEY,	/* nest, out, repeated: enum evpn_key_attr */
	EVPN_LINK_A_PAD,
	EVPN_LINK_A_NBRS,	/* binary, in (LINK_NEW/LINK_SET) and out: the
				 * peer's own link list for 1-lookahead, a
				 * multiple of 16 bytes (node IDs), at most
				 * EVPN_MAX_NBR_IDS; empty = none */
	__EVPN_LINK_A_MAX
};
#define EVPN_LINK_A_MAX (__EVPN_LINK_A_MAX - 1)

/*
 * Attributes inside EVPN_A_KEY (and EVPN_LINK_A_KEY). A slot holds one key
 * pair: the transmit key/IV with the key ID the peer chose, and the receive
 * key/IV with the key ID this node chose (unique among the device's
 * receive keys). Key bytes are never sent back.
 */
enum evpn_key_attr {
	EVPN_KEY_A_UNSPEC,
	EVPN_KEY_A_PEER_ID,	/* binary, 16 bytes: the link */
	EVPN_KEY_A_SLOT,	/* u32, enum evpn_key_slot */
	EVPN_KEY_A_SUITE,	/* u32, enum evpn_suite */
	EVPN_KEY_A_TX_KEY_ID,	/* u32, non-zero */
	EVPN_KEY_A_TX_KEY,	/* binary, 32 bytes, in */
	EVPN_KEY_A_TX_IV,	/* binary, 12 bytes, in */
	EVPN_KEY_A_RX_KEY_ID,	/* u32, non-zero */
	EVPN_KEY_A_RX_KEY,	/* binary, 32 bytes, in */
	EVPN_KEY_A_RX_IV,	/* binary, 12 bytes, in */
	EVPN_KEY_A_TX_COUNTER,	/* u64, out: records sealed so far */
	EVPN_KEY_A_RX_PACKETS,	/* u64, out: records opened so far */
	EVPN_KEY_A_AGE,		/* u32, out: seconds since installed */
	EVPN_KEY_A_PAD,
	EVPN_KEY_A_STATIC,	/* flag: static (pre-shared) key: no age or
				 * packet limits, and the transmit counter
				 * starts at the wall clock in ns, so
				 * re-installing it never reuses a nonce */
	__EVPN_KEY_A_MAX
};
#define EVPN_KEY_A_MAX (__EVPN_KEY_A_MAX - 1)

/* Attributes inside EVPN_A_FDB. */
enum evpn_fdb_attr {
	EVPN_FDB_A_UNSPEC,
	EVPN_FDB_A_MAC,		/* binary, 6 bytes, unicast */
	EVPN_FDB_A_NODE_ID,	/* binary, 16 bytes */
	EVPN_FDB_A_STATIC,	/* flag: static entry (out) */
	EVPN_FDB_A_AGE,		/* u32, out: seconds since last learned */
	__EVPN_FDB_A_MAX
};
#define EVPN_FDB_A_MAX (__EVPN_FDB_A_MAX - 1)

/* Event types (EVPN_EVENT_A_TYPE). */
enum evpn_event_type {
	EVPN_EVENT_NONE,
	EVPN_EVENT_KEY_SOFT_LIMIT,	/* a key reached its rekey limit */
	EVPN_EVENT_KEY_HARD_LIMIT,	/* a key reached its reject limit */
	EVPN_EVENT_ENDPOINT_CHANGED,	/* authenticated record from a new
					 * address; the link now sends there */
	EVPN_EVENT_PEER_UNREACHABLE,	/* no route / send error to the peer */
	__EVPN_EVENT_MAX
};

/* Attributes inside EVPN_A_EVENT (the message also carries EVPN_A_IFINDEX
 * and EVPN_A_IFNAME). */
enum evpn_event_attr {
	EVPN_EVENT_A_UNSPEC,
	EVPN_EVENT_A_TYPE,	/* u32, enum evpn_event_type */
	EVPN_EVENT_A_PEER_ID,	/* binary, 16 bytes */
	EVPN_EVENT_A_KEY_ID,	/* u32: key events: the key's tx key ID */
	EVPN_EVENT_A_SLOT,	/* u32: key events */
	EVPN_EVENT_A_REMOTE_IPV4,	/* endpoint events: the new endpoint */
	EVPN_EVENT_A_REMOTE_IPV6,
	EVPN_EVENT_A_REMOTE_PORT,
	EVPN_EVENT_A_ERRNO,	/* u32: unreachable: the (positive) errno */
	__EVPN_EVENT_A_MAX
};
#define EVPN_EVENT_A_MAX (__EVPN_EVENT_A_MAX - 1)

/* Most links per device (the forwarding neighbour set). */
#define EVPN_MAX_LINKS		64
/* Most node IDs in one neighbour's link list (EVPN_LINK_A_NBRS, and the
 * in-band NBRS message of docs/signalling.md). */
#define EVPN_MAX_NBR_IDS	64

#endif /* _UAPI_LINUX_EVPN_H */
