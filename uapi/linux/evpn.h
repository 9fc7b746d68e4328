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
 * Generic netlink commands. The numbering is ABI: append only. Commands
 * marked "reserved" are not implemented by this module version and are not
 * registered, so the kernel answers them with -EOPNOTSUPP; they are listed
 * so the numbering never changes when they arrive (docs/netlink.md).
 */
enum evpn_cmd {
	EVPN_CMD_UNSPEC,
	EVPN_CMD_DEV_GET,	/* doit by IFINDEX/IFNAME, or dump all */
	EVPN_CMD_DEV_SET,	/* set NODE_ID */
	EVPN_CMD_LINK_NEW,	/* reserved: add a link (peer, socket fd) */
	EVPN_CMD_LINK_SET,	/* reserved: change a link (endpoint, ...) */
	EVPN_CMD_LINK_DEL,	/* reserved: delete a link */
	EVPN_CMD_LINK_GET,	/* reserved: get / dump links */
	EVPN_CMD_KEY_NEW,	/* reserved: install a key in a slot */
	EVPN_CMD_KEY_SWAP,	/* reserved: swap primary/secondary slots */
	EVPN_CMD_KEY_DEL,	/* reserved: delete a key */
	EVPN_CMD_FDB_GET,	/* reserved: dump the FDB */
	EVPN_CMD_FDB_ADD,	/* reserved: static FDB entry */
	EVPN_CMD_FDB_DEL,	/* reserved: delete an FDB entry */
	EVPN_CMD_EVENT,		/* reserved: notification on the "events" group */
	__EVPN_CMD_MAX
};
#define EVPN_CMD_MAX (__EVPN_CMD_MAX - 1)

/* Multicast group (reserved; not yet registered): events the daemon acts on. */
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
	EVPN_A_LINK,		/* reserved: nest, one link (issue 5) */
	EVPN_A_KEY,		/* reserved: nest, one key slot */
	EVPN_A_FDB,		/* reserved: nest, one FDB entry */
	EVPN_A_EVENT,		/* reserved: nest, one event */
	__EVPN_A_MAX
};
#define EVPN_A_MAX (__EVPN_A_MAX - 1)

/* The 16-byte node ID as carried in EVPN_A_NODE_ID (same as core/id.h). */
#define EVPN_NODE_ID_LEN	16

#endif /* _UAPI_LINUX_EVPN_H */
