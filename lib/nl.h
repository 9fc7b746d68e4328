/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The evpn generic netlink messages (docs/netlink.md), built and parsed in
 * one place for evpnd's kernel backend, evpnctl and evpn-nltest. Builders
 * check every nla_put and return NULL (or -ENOMEM / -EMSGSIZE) rather than
 * a truncated request; parsers validate with the policies generated from
 * the spec (evpn_nl_gen.h) and return -EBADMSG for a reply they cannot use.
 */
#ifndef EVPN_LIB_NL_H
#define EVPN_LIB_NL_H

#include <stdbool.h>
#include <stdint.h>
#include <net/if.h>
#include <sys/socket.h>
#include "genl.h"
#include "keys.h"

/* Which device a request is for: @ifindex when non-zero, else @ifname. */
struct evpn_nl_dev {
	int ifindex;
	const char *ifname;
};

/* ---- requests ---- */

/* @cmd with the device selector only (DEV_GET, LINK_GET dump, ...). */
struct nl_msg *evpn_nl_dev_msg(struct evpn_genl *g, uint8_t cmd, int flags,
			       const struct evpn_nl_dev *dev);
/* DEV_SET {NODE_ID}. */
struct nl_msg *evpn_nl_dev_set_node_id(struct evpn_genl *g,
				       const struct evpn_nl_dev *dev,
				       const uint8_t id[EVPN_NODE_ID_LEN]);

/* One EVPN_A_LINK nest: what LINK_NEW / LINK_SET / LINK_DEL / LINK_GET
 * send. Leave out what the command does not take. */
struct evpn_nl_link {
	uint8_t peer[EVPN_NODE_ID_LEN];
	int sock_fd;				/* LINK_NEW; < 0: none */
	const struct sockaddr_storage *remote;	/* NULL: none */
	const uint8_t *nbrs;			/* n_nbrs * 16 bytes */
	int n_nbrs;				/* < 0: no NBRS attribute */
	/* relayed: @remote is the TURN server, this the peer behind it */
	const struct sockaddr_storage *turn_peer;	/* NULL: none */
	uint32_t record_max;			/* 0: no RECORD_MAX */
};
#define EVPN_NL_LINK_INIT { .sock_fd = -1, .n_nbrs = -1 }
struct nl_msg *evpn_nl_link_msg(struct evpn_genl *g, uint8_t cmd,
				const struct evpn_nl_dev *dev,
				const struct evpn_nl_link *l);

/* A key pair for KEY_NEW. Holds key bytes: wipe it after use. */
struct evpn_nl_key {
	uint8_t peer[EVPN_NODE_ID_LEN];
	uint32_t slot;			/* enum evpn_key_slot */
	uint32_t suite;			/* enum evpn_suite */
	uint32_t tx_key_id, rx_key_id;
	struct evpn_dir_key tx, rx;
	bool is_static;
	uint64_t tx_counter;		/* first transmit counter; 0: default */
};
/* KEY_NEW, sent and answered; the request's key bytes are wiped whatever
 * happens. 0 or a negative errno (g->extack says why). */
int evpn_nl_key_new(struct evpn_genl *g, const struct evpn_nl_dev *dev,
		    const struct evpn_nl_key *k);
/* KEY_SWAP {PEER_ID}, or KEY_DEL {PEER_ID, SLOT}. */
struct nl_msg *evpn_nl_key_msg(struct evpn_genl *g, uint8_t cmd,
			       const struct evpn_nl_dev *dev,
			       const uint8_t peer[EVPN_NODE_ID_LEN],
			       uint32_t slot);
/* An end-to-end pair key for E2E_SET (docs/protocol.md 14.2). Holds key
 * bytes: wipe it after use. */
struct evpn_nl_e2e {
	uint8_t peer[EVPN_NODE_ID_LEN];
	struct evpn_dir_key tx, rx;
	uint64_t tx_counter;		/* first e2e counter to send */
};
/* E2E_SET, sent and answered; the request's key bytes are wiped whatever
 * happens. 0 or a negative errno (g->extack says why). */
int evpn_nl_e2e_set(struct evpn_genl *g, const struct evpn_nl_dev *dev,
		    const struct evpn_nl_e2e *k);
/* E2E_DEL {PEER_ID}, or with @peer NULL every pair key of the device. */
struct nl_msg *evpn_nl_e2e_del_msg(struct evpn_genl *g,
				   const struct evpn_nl_dev *dev,
				   const uint8_t *peer);
/* FDB_ADD {MAC, NODE_ID} or FDB_DEL {MAC} (@node NULL). */
struct nl_msg *evpn_nl_fdb_msg(struct evpn_genl *g, uint8_t cmd,
			       const struct evpn_nl_dev *dev,
			       const uint8_t mac[6],
			       const uint8_t *node);

/* A dump of @cmd for @dev (all devices: @dev NULL), retried a few times
 * when a concurrent change interrupted it (-EAGAIN). */
int evpn_nl_dump(struct evpn_genl *g, uint8_t cmd,
		 const struct evpn_nl_dev *dev,
		 int (*cb)(struct nl_msg *, void *), void *arg);

/* ---- replies and events ---- */

/* Drops by reason: [r] for r in 1 .. __EVPN_DROP_MAX - 1. */
typedef uint64_t evpn_nl_drops[__EVPN_DROP_MAX];

struct evpn_nl_dev_info {
	uint32_t ifindex;
	char ifname[IFNAMSIZ];
	bool has_node_id;		/* present and not zero */
	uint8_t node_id[EVPN_NODE_ID_LEN];
	uint32_t mtu;
	uint64_t rx_packets, rx_bytes, tx_packets, tx_bytes, fwd_packets;
	uint64_t fdb_refused_full, fdb_refused_quota;	/* learns refused */
	evpn_nl_drops drops;
};
/* A DEV_GET reply: needs IFINDEX and IFNAME. 0 or -EBADMSG. */
int evpn_nl_parse_dev(struct nl_msg *msg, struct evpn_nl_dev_info *d);

/* One key slot of a link (EVPN_LINK_A_KEY). */
struct evpn_nl_key_info {
	bool valid;
	uint32_t slot, suite, tx_key_id, rx_key_id, age;
	uint64_t tx_counter, rx_packets;
};

struct evpn_nl_link_info {
	uint8_t peer[EVPN_NODE_ID_LEN];
	struct sockaddr_storage local, remote;	/* ss_family 0: absent */
	uint64_t rx_packets, rx_bytes, tx_packets, tx_bytes;
	evpn_nl_drops drops;
	int n_nbrs;				/* -1: no NBRS attribute */
	uint8_t nbrs[EVPN_MAX_NBR_IDS][EVPN_NODE_ID_LEN];
	uint32_t record_max;			/* 0: absent */
	struct evpn_nl_key_info key[2];		/* by slot */
	struct sockaddr_storage turn_peer;	/* ss_family 0: not relayed */
	uint16_t turn_channel;			/* 0: Send indications */
};
/* A LINK_GET reply: needs PEER_ID. 0 or -EBADMSG. */
int evpn_nl_parse_link(struct nl_msg *msg, struct evpn_nl_link_info *l);

struct evpn_nl_fdb_info {
	uint8_t mac[6];
	uint8_t node_id[EVPN_NODE_ID_LEN];
	bool is_static;
	uint32_t age;
};
/* An FDB_GET reply: needs MAC and NODE_ID. 0 or -EBADMSG. */
int evpn_nl_parse_fdb(struct nl_msg *msg, struct evpn_nl_fdb_info *f);

struct evpn_nl_event {
	uint32_t type;				/* enum evpn_event_type */
	uint32_t ifindex;			/* 0: absent */
	char ifname[IFNAMSIZ];			/* "": absent */
	bool has_peer;
	uint8_t peer[EVPN_NODE_ID_LEN];
	bool has_key_id, has_errno;
	uint32_t key_id, err;
	struct sockaddr_storage remote;		/* ss_family 0: absent */
};
/* An EVPN_CMD_EVENT message: needs TYPE. 0 or -EBADMSG. */
int evpn_nl_parse_event(struct nl_msg *msg, struct evpn_nl_event *ev);

#endif /* EVPN_LIB_NL_H */
