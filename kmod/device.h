/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The evpn network device: per-device state and the helpers the rest of the
 * module uses to count traffic and drops.
 */
#ifndef EVPN_KMOD_DEVICE_H
#define EVPN_KMOD_DEVICE_H

#include <linux/netdevice.h>
#include <linux/u64_stats_sync.h>
#include <net/rtnetlink.h>
#include <linux/evpn.h>
#include <net/gro_cells.h>

#include "e2e.h"
#include "fdb.h"
#include "id.h"
#include "route_la.h"
#include "queue.h"

/* Per-cpu drop counters, one per enum evpn_drop_reason (index 0 unused),
 * and the records relayed for other nodes (transit unicast, flood copies). */
struct evpn_pcpu_drops {
	u64_stats_t		drops[__EVPN_DROP_MAX];
	u64_stats_t		fwd_packets;
	struct u64_stats_sync	syncp;
};

struct evpn_link;
struct evpn_key;
struct evpn_kfrag;

/* Per-cpu receive queue: records waiting to be opened on that CPU (rx.c). */
struct evpn_rxq {
	struct sk_buff_head	queue;
	struct work_struct	work;
	struct evpn_dev		*edev;
};

/*
 * The forwarding neighbour set, published with RCU: every link that has a
 * current key, as the parallel arrays the shared core (core/fwd.h,
 * core/route_la.h) wants, with each neighbour's own link list
 * (EVPN_LINK_A_NBRS) laid end to end in @nn, @nn_len[i] entries for
 * neighbour i. Rebuilt (copy, publish, kvfree after a grace period) on
 * every change.
 */
struct evpn_nbrs {
	struct rcu_head		rcu;
	int			n;
	struct evpn_id		ids[EVPN_MAX_LINKS];
	struct evpn_link	*links[EVPN_MAX_LINKS];
	int			nn_len[EVPN_MAX_LINKS];
	struct evpn_id		nn[];
};

/* Unicast next hop (greedy with 1-lookahead; plain greedy where no list
 * is known): index into @nb->links, or -1. RCU read side. */
static inline int evpn_nbrs_next_hop(const struct evpn_nbrs *nb,
				     const struct evpn_id *self,
				     const struct evpn_id *dst)
{
	return evpn_route_la_next_hop(self, dst, nb->ids, nb->n, nb->nn,
				      nb->nn_len);
}

#define EVPN_KEY_HASH_BITS	8

/*
 * Per-device state (netdev_priv). Locking:
 *
 * - RTNL protects the configuration: @node_id, @links, @socks, the key and
 *   pair key hashes' membership and @nbrs are written only by genetlink handlers and device
 *   teardown under rtnl_lock(). (One lock for all configuration: changes
 *   are rare and each one is short.)
 * - The datapath (ndo_start_xmit, the UDP encap receive hook) reads only
 *   RCU-published state: @cfg_id (a copy of @node_id), @nbrs, @links and
 *   the key hash. Objects are unpublished under RTNL and freed by the last
 *   reference after a grace period (call_rcu / queue_rcu_work; link.c has
 *   the rules): a reader inside its RCU section needs no reference, and
 *   RTNL is never held across a grace period. Whatever outlives the RCU
 *   section takes a reference: a frame queued for transmission or a
 *   link's pending work item holds its link (evpn_link_get), a link holds
 *   its device (so the transmit queues and counters, released by the
 *   device's destructor, outlive it) and its socket.
 * - Functions that need RTNL say so with ASSERT_RTNL(), and RTNL-protected
 *   pointers are read with rtnl_dereference() (lockdep checks both in a
 *   CONFIG_PROVE_LOCKING kernel); other locks are asserted with
 *   lockdep_assert_held() / lockdep_is_held().
 * - @drops and dev->tstats are per-cpu; writers run with BH disabled on
 *   their own CPU (u64_stats_sync), readers sum without locks.
 * - The FDB (core/fdb.h table) is written under @fdb_lock (a seqlock:
 *   transmit lookups retry instead of taking a lock).
 */
struct evpn_dev {
	struct net_device		*dev;
	struct evpn_id			node_id;	/* RTNL; zero = unset */
	struct evpn_pcpu_drops __percpu	*drops;

	struct evpn_id			cfg_id;		/* datapath copy, see
							 * evpn_dev_set_id() */
	seqcount_t			id_seq;
	struct list_head		links;		/* RCU, RTNL writers */
	int				n_links;
	u32				links_gen;	/* dump consistency */
	struct list_head		socks;		/* RTNL */
	struct evpn_nbrs __rcu		*nbrs;
	struct hlist_head		keys[1 << EVPN_KEY_HASH_BITS];	/* by rx key ID */
	struct gro_cells		gro_cells;
	struct evpn_rxq __percpu	*rxq;
	struct evpn_txq_dev		txq;		/* queue.c */
	struct evpn_kfrag		*frag;		/* frag.c: reassembly */

	seqlock_t			fdb_lock;
	struct evpn_fdb			*fdb;
	struct evpn_fdb_entry		*fdb_slots;
	u32				fdb_gen;	/* dump consistency */
	struct delayed_work		fdb_gc;

	struct evpn_kmc			*mc;		/* mcast.c */

	/* end-to-end pair keys by node ID (e2e.c): RCU, RTNL writers */
	struct hlist_head		e2e[1 << EVPN_E2E_HASH_BITS];
	unsigned int			n_e2e;		/* RTNL */
};

extern struct rtnl_link_ops evpn_link_ops;

static inline bool evpn_is_evpn_dev(const struct net_device *dev)
{
	return dev->rtnl_link_ops == &evpn_link_ops;
}

/* Count one drop for @reason (any context). */
void evpn_count_drop(struct evpn_dev *edev, enum evpn_drop_reason reason);

/* Count @n records relayed for other nodes (BH disabled). */
void evpn_count_fwd(struct evpn_dev *edev, unsigned int n);

/* Sums of the per-cpu counters, for netlink. */
void evpn_dev_read_drops(struct evpn_dev *edev, u64 out[__EVPN_DROP_MAX]);
u64 evpn_dev_read_fwd(struct evpn_dev *edev);

/* Set the node ID (RTNL) and its datapath copy. */
void evpn_dev_set_id(struct evpn_dev *edev, const struct evpn_id *id);
/* The node ID, as the datapath reads it (any context). */
void evpn_dev_get_id(struct evpn_dev *edev, struct evpn_id *id);

int evpn_device_init(void);
void evpn_device_uninit(void);

#endif /* EVPN_KMOD_DEVICE_H */
