/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IGMP/MLD snooping and the pruned multicast flood in evpn.ko: the shared
 * core's group table (core/mcast.h) and snooping (core/mcsnoop.h) behind a
 * spinlock, a once-a-second work item (aging, the local querier,
 * membership announcements) and the mcast-get netlink dump. (Named
 * kmcast.h so it does not shadow core/mcast.h on the include path.)
 */
#ifndef EVPN_KMOD_KMCAST_H
#define EVPN_KMOD_KMCAST_H

#include "device.h"
#include "fwd.h"

int evpn_kmc_init(struct evpn_dev *edev);
void evpn_kmc_uninit(struct evpn_dev *edev);

/* Datapath (BH disabled, RCU). @skb->data is the inner Ethernet frame,
 * linear up to skb_headlen(). */
void evpn_kmc_snoop(struct evpn_dev *edev, struct sk_buff *skb);
int evpn_kmc_prune(struct evpn_dev *edev, const struct sk_buff *skb,
		   const struct evpn_nbrs *nb, struct evpn_flood_hop *hops,
		   int n);
bool evpn_kmc_local_wants(struct evpn_dev *edev, const struct sk_buff *skb);
/* A membership announcement (record payload at skb->data) from @src. */
void evpn_kmc_rx_announce(struct evpn_dev *edev, struct evpn_link *link,
			  const struct evpn_id *src, const struct sk_buff *skb);

#endif /* EVPN_KMOD_KMCAST_H */
