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

#include "id.h"

/* Per-cpu drop counters, one per enum evpn_drop_reason (index 0 unused). */
struct evpn_pcpu_drops {
	u64_stats_t		drops[__EVPN_DROP_MAX];
	struct u64_stats_sync	syncp;
};

/*
 * Per-device state (netdev_priv). Locking:
 *
 * - RTNL protects the configuration: @node_id is written only by the genl
 *   DEV_SET handler under rtnl_lock() and read under RTNL by DEV_GET.
 *   When the datapath starts reading it (issue 5) it moves into an
 *   RCU-published config struct, so readers never see a torn 16-byte ID.
 * - @drops and dev->tstats are per-cpu; writers run with BH disabled on
 *   their own CPU (u64_stats_sync), readers sum without locks.
 * - Future members, planned so this struct grows without reshuffling:
 *   links (RCU list/hash, writers under a per-device mutex @conf_lock),
 *   keys (per-link RCU slots), the UDP sockets (one per link, refcounted),
 *   and the FDB (core/fdb.h table under a spinlock, RCU readers).
 */
struct evpn_dev {
	struct net_device		*dev;
	struct evpn_id			node_id;	/* RTNL; zero = unset */
	struct evpn_pcpu_drops __percpu	*drops;
};

extern struct rtnl_link_ops evpn_link_ops;

static inline bool evpn_is_evpn_dev(const struct net_device *dev)
{
	return dev->rtnl_link_ops == &evpn_link_ops;
}

/* Count one drop for @reason (any context). */
void evpn_count_drop(struct evpn_dev *edev, enum evpn_drop_reason reason);

/* Sums of the per-cpu counters, for netlink. */
void evpn_dev_read_drops(struct evpn_dev *edev, u64 out[__EVPN_DROP_MAX]);

int evpn_device_init(void);
void evpn_device_uninit(void);

#endif /* EVPN_KMOD_DEVICE_H */
