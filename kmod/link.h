/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Links (one per directly connected peer node), their key slots and the
 * UDP sockets they send from. Lifetimes: kmod/link.c; locking:
 * kmod/device.h.
 */
#ifndef EVPN_KMOD_LINK_H
#define EVPN_KMOD_LINK_H

#include <linux/in6.h>
#include <linux/kref.h>
#include <linux/workqueue.h>
#include <linux/refcount.h>
#include <linux/u64_stats_sync.h>
#include <net/dst_cache.h>

#include "crypto.h"
#include "device.h"
#include "replay.h"
#include "turn.h"
#include "wire.h"

/*
 * A UDP socket handed over by userspace, shared by the links using it.
 * @users counts the configured links (the hook stays while there is one);
 * @refcount the links that still point here, configured or dying, so the
 * socket outlives the last record a dying link sends.
 */
struct evpn_sock {
	struct list_head	node;		/* evpn_dev.socks, RTNL */
	struct rcu_head		rcu;
	struct evpn_dev		*edev;
	struct socket		*sock;		/* holds the file reference */
	unsigned int		users;		/* RTNL */
	struct kref		refcount;
};

/* Where a link sends: family AF_INET or AF_INET6. A relayed link's
 * endpoint is its TURN server, and @turn the peer behind it (turn.c). */
struct evpn_endpoint {
	struct rcu_head		rcu;
	sa_family_t		family;
	__be16			port;
	union {
		__be32		v4;
		struct in6_addr	v6;
	};
	struct evpn_turn_peer	turn;		/* family 0: not relayed */
	u8			turn_txid[EVPN_TURN_TXID_LEN];
};

/*
 * One key slot: a transmit and a receive AEAD key of one suite. The slot
 * holds the one reference; the datapath uses keys under RCU only.
 */
struct evpn_key {
	struct hlist_node	hnode;		/* evpn_dev.keys by @rx_id */
	struct kref		refcount;
	struct rcu_work		free_work;	/* freeing a transform may sleep */
	struct evpn_link	*link;		/* no reference: outlived by it */
	u32			rx_id, tx_id;
	u32			suite;
	int			slot;
	bool			is_static;	/* EVPN_KEY_A_STATIC */
	u32			gen;		/* unique per installed key (queue.c) */
	struct evpn_aead	tx_aead, rx_aead;
	u8			tx_iv[EVPN_IV_LEN], rx_iv[EVPN_IV_LEN];
	atomic64_t		tx_counter;	/* next counter to use */
	atomic64_t		rx_packets;
	u64			installed;	/* jiffies64 */
	unsigned long		events;		/* EVPN_KEY_EV_* bits sent */
	spinlock_t		replay_lock;
	struct evpn_replay	replay;
};
#define EVPN_KEY_EV_SOFT	0
#define EVPN_KEY_EV_HARD	1

struct evpn_link_stats {
	u64_stats_t		rx_packets, rx_bytes, tx_packets, tx_bytes;
	u64_stats_t		drops[__EVPN_DROP_MAX];
	struct u64_stats_sync	syncp;
};

struct evpn_link {
	struct list_head	node;		/* evpn_dev.links, RCU */
	struct kref		refcount;	/* the device's + one per queued
						 * frame and pending work item */
	struct rcu_head		rcu;
	struct evpn_dev		*edev;		/* held: @dev_tracker */
	netdevice_tracker	dev_tracker;
	struct evpn_id		peer;
	struct evpn_sock	*esock;
	struct evpn_endpoint __rcu *ep;
	struct evpn_key __rcu	*slot[2];	/* enum evpn_key_slot */
	struct dst_cache	dst_cache;
	struct evpn_link_stats __percpu *stats;
	spinlock_t		ep_lock;	/* endpoint writers (roaming) */
	unsigned long		unreach_ts;	/* last unreachable event */
	/* the peer's own link list (EVPN_LINK_A_NBRS); RTNL. The datapath
	 * reads the copy in evpn_dev.nbrs, never this. */
	struct evpn_id		*nbr_ids;
	int			n_nbr_ids;
	struct evpn_txq_link	txq;		/* queue.c */
	u16			turn_channel;	/* relayed: learned (turn.c) */
	atomic64_t		flood_tat;	/* floodlimit.c */
};

/* floodlimit.c: may another flood record from @link pass? (any context) */
bool evpn_link_flood_admit(struct evpn_link *link);

/* References (any context; evpn_link_get() under RCU). */
bool evpn_link_get(struct evpn_link *link);
void evpn_link_put(struct evpn_link *link);

/* Configuration (RTNL held). */
struct evpn_link *evpn_link_find(struct evpn_dev *edev, const struct evpn_id *peer);
int evpn_link_new(struct evpn_dev *edev, const struct evpn_id *peer, int fd,
		  struct evpn_endpoint *ep, struct netlink_ext_ack *extack);
void evpn_link_set_endpoint(struct evpn_link *link, struct evpn_endpoint *ep);
void evpn_link_del(struct evpn_link *link);
void evpn_link_del_all(struct evpn_dev *edev);
int evpn_key_install(struct evpn_link *link, int slot, u32 suite,
		     u32 tx_id, const u8 *tx_key, const u8 *tx_iv,
		     u32 rx_id, const u8 *rx_key, const u8 *rx_iv, bool is_static,
		     const u64 *tx_start,
		     struct netlink_ext_ack *extack);
int evpn_key_swap(struct evpn_link *link);
/* Replace the peer's link list (@n <= EVPN_MAX_NBR_IDS; 0 = none). */
int evpn_link_set_nbrs(struct evpn_link *link, const u8 *ids, int n);
int evpn_key_del(struct evpn_link *link, int slot);
/* Rebuild the RCU neighbour set after links or current keys changed. */
void evpn_nbrs_update(struct evpn_dev *edev);

/* A key's packet limits (docs/protocol.md section 6; debug builds can
 * lower them for tests). */
u64 evpn_key_rekey_packets(void);
u64 evpn_key_reject_packets(void);
u64 evpn_key_rekey_jiffies(void);

/* Datapath (RCU read side). */
struct evpn_key *evpn_key_lookup(struct evpn_dev *edev, u32 rx_id);
void evpn_link_count(struct evpn_link *link, bool rx, unsigned int len);
void evpn_link_drop(struct evpn_link *link, enum evpn_drop_reason reason);
void evpn_link_read_stats(struct evpn_link *link, u64 *rxp, u64 *rxb,
			  u64 *txp, u64 *txb, u64 drops[__EVPN_DROP_MAX]);

/* Sockets (socket.c). evpn_sock_get() returns a user and a reference. */
struct evpn_sock *evpn_sock_get(struct evpn_dev *edev, int fd,
				struct netlink_ext_ack *extack);
/* Drop a user (RTNL): the last one detaches the socket at once. */
void evpn_sock_unuse(struct evpn_sock *esock);
/* Drop a reference (any context): the last one frees after a grace period. */
void evpn_sock_put(struct evpn_sock *esock);
int evpn_sock_send(struct evpn_link *link, struct sk_buff *skb);

/* Module init/exit: the workqueue keys are freed on. */
int evpn_link_init(void);
void evpn_link_uninit(void);

#endif /* EVPN_KMOD_LINK_H */
