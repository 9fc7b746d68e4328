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

#endif /* _UAPI_LINUX_EVPN_H */
