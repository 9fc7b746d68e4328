// SPDX-License-Identifier: GPL-2.0
/*
 * The "evpn" network device: a plain Ethernet device created with
 * `ip link add NAME type evpn`.
 *
 * Links, keys and the FDB are configured over genetlink (netlink.c); the
 * datapath is tx.c and rx.c. This file is the device's life cycle: per-cpu
 * counters, GRO cells, the FDB and the queues are set up in ndo_init;
 * links (and with them the UDP sockets' hooks) are removed in dellink,
 * which every way of deleting the device goes through (ip link del, netns
 * teardown, module unload), before unregister_netdevice's grace period.
 * The receive side (receive queues, GRO cells, FDB) is released in
 * ndo_uninit, after that grace period. What a deleted link may still use
 * while it sends the frames it had queued -- the transmit queue's workers,
 * the drop counters, dev->tstats (the UDP tunnel transmit counts there) --
 * is released in the destructor, which runs once the last reference is
 * gone: each link holds one until it is freed (link.c).
 */
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/if_vlan.h>
#include <linux/ipv6.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <net/rtnetlink.h>

#include "device.h"
#include "e2e.h"
#include "kfdb.h"
#include "kfrag.h"
#include "kmcast.h"
#include "link.h"
#include "rx.h"
#include "tx.h"
#include "version.h"
#include "wire.h"

#define EVPN_FEATURES	(NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_RXCSUM | \
			 NETIF_F_HIGHDMA | NETIF_F_GSO_SOFTWARE)

/* MTU range: core/wire.h (IPv6's minimum .. what one record carries) */
static_assert(EVPN_MAX_MTU == 9000 &&
	      EVPN_MAX_MTU == EVPN_MAX_INNER_LEN - EVPN_ETH_HLEN - VLAN_HLEN);
static_assert(EVPN_MIN_MTU >= IPV6_MIN_MTU);
static_assert(EVPN_DEFAULT_MTU >= EVPN_MIN_MTU && EVPN_DEFAULT_MTU <= EVPN_MAX_MTU);
static_assert(EVPN_NODE_ID_LEN == EVPN_ID_LEN);

void evpn_count_drop(struct evpn_dev *edev, enum evpn_drop_reason reason)
{
	struct evpn_pcpu_drops *d;
	unsigned long flags;

	if (WARN_ON_ONCE(reason <= EVPN_DROP_NONE || reason > EVPN_DROP_MAX))
		return;
	d = get_cpu_ptr(edev->drops);
	flags = u64_stats_update_begin_irqsave(&d->syncp);
	u64_stats_inc(&d->drops[reason]);
	u64_stats_update_end_irqrestore(&d->syncp, flags);
	put_cpu_ptr(edev->drops);
}

void evpn_count_fwd(struct evpn_dev *edev, unsigned int n)
{
	struct evpn_pcpu_drops *d = this_cpu_ptr(edev->drops);
	unsigned long flags;

	flags = u64_stats_update_begin_irqsave(&d->syncp);
	u64_stats_add(&d->fwd_packets, n);
	u64_stats_update_end_irqrestore(&d->syncp, flags);
}

u64 evpn_dev_read_fwd(struct evpn_dev *edev)
{
	u64 sum = 0, v;
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct evpn_pcpu_drops *d = per_cpu_ptr(edev->drops, cpu);
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&d->syncp);
			v = u64_stats_read(&d->fwd_packets);
		} while (u64_stats_fetch_retry(&d->syncp, start));
		sum += v;
	}
	return sum;
}

void evpn_dev_read_drops(struct evpn_dev *edev, u64 out[__EVPN_DROP_MAX])
{
	int cpu, r;

	memset(out, 0, sizeof(u64) * __EVPN_DROP_MAX);
	for_each_possible_cpu(cpu) {
		const struct evpn_pcpu_drops *d = per_cpu_ptr(edev->drops, cpu);
		u64 v[__EVPN_DROP_MAX];
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&d->syncp);
			for (r = 1; r < __EVPN_DROP_MAX; r++)
				v[r] = u64_stats_read(&d->drops[r]);
		} while (u64_stats_fetch_retry(&d->syncp, start));
		for (r = 1; r < __EVPN_DROP_MAX; r++)
			out[r] += v[r];
	}
}

void evpn_dev_set_id(struct evpn_dev *edev, const struct evpn_id *id)
{
	ASSERT_RTNL();
	edev->node_id = *id;
	local_bh_disable();
	write_seqcount_begin(&edev->id_seq);
	edev->cfg_id = *id;
	write_seqcount_end(&edev->id_seq);
	local_bh_enable();
}

void evpn_dev_get_id(struct evpn_dev *edev, struct evpn_id *id)
{
	unsigned int seq;

	do {
		seq = read_seqcount_begin(&edev->id_seq);
		*id = edev->cfg_id;
	} while (read_seqcount_retry(&edev->id_seq, seq));
}

static struct evpn_pcpu_drops __percpu *evpn_alloc_drops(void)
{
	struct evpn_pcpu_drops __percpu *drops;
	int cpu;

	drops = alloc_percpu(struct evpn_pcpu_drops);
	if (!drops)
		return NULL;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(drops, cpu)->syncp);
	return drops;
}

static int evpn_ndo_init(struct net_device *dev)
{
	struct evpn_dev *edev = netdev_priv(dev);

	dev->tstats = netdev_alloc_pcpu_stats(struct pcpu_sw_netstats);
	if (!dev->tstats)
		return -ENOMEM;
	edev->drops = evpn_alloc_drops();
	if (!edev->drops)
		goto err_tstats;
	if (gro_cells_init(&edev->gro_cells, dev))
		goto err_drops;
	if (evpn_kfdb_init(edev))
		goto err_gro;
	if (evpn_rxq_init(edev))
		goto err_fdb;
	if (evpn_txq_dev_init(edev))
		goto err_rxq;
	if (evpn_kmc_init(edev))
		goto err_txq;
	if (evpn_frag_init(edev))
		goto err_kmc;
	return 0;

err_kmc:
	evpn_kmc_uninit(edev);
err_txq:
	evpn_txq_dev_uninit(edev);
err_rxq:
	evpn_rxq_uninit(edev);
err_fdb:
	evpn_kfdb_uninit(edev);
err_gro:
	gro_cells_destroy(&edev->gro_cells);
err_drops:
	free_percpu(edev->drops);
	edev->drops = NULL;
err_tstats:
	free_percpu(dev->tstats);
	dev->tstats = NULL;
	return -ENOMEM;
}

/* Called by unregister_netdevice (and on a failed register after init). */
static void evpn_ndo_uninit(struct net_device *dev)
{
	struct evpn_dev *edev = netdev_priv(dev);

	WARN_ON(!list_empty(&edev->links));
	evpn_rxq_uninit(edev);
	evpn_frag_uninit(edev);
	evpn_kmc_uninit(edev);	/* after the receive queues: they use it */
	evpn_kfdb_uninit(edev);
	gro_cells_destroy(&edev->gro_cells);
}

/* After the last reference (netdev_run_todo; also on a failed register
 * after init): no link is left to send. Idempotent. */
static void evpn_destruct(struct net_device *dev)
{
	struct evpn_dev *edev = netdev_priv(dev);

	evpn_txq_dev_uninit(edev);
	free_percpu(edev->drops);
	edev->drops = NULL;
	free_percpu(dev->tstats);
	dev->tstats = NULL;
}

static const struct net_device_ops evpn_netdev_ops = {
	.ndo_init		= evpn_ndo_init,
	.ndo_uninit		= evpn_ndo_uninit,
	.ndo_start_xmit		= evpn_xmit,
	.ndo_get_stats64	= dev_get_tstats64,
	.ndo_set_mac_address	= eth_mac_addr,
	.ndo_validate_addr	= eth_validate_addr,
};

static void evpn_get_drvinfo(struct net_device *dev,
			     struct ethtool_drvinfo *info)
{
	strscpy(info->driver, "evpn", sizeof(info->driver));
	strscpy(info->version, EVPN_VERSION, sizeof(info->version));
}

static const struct ethtool_ops evpn_ethtool_ops = {
	.get_drvinfo	= evpn_get_drvinfo,
	.get_link	= ethtool_op_get_link,
};

static void evpn_setup(struct net_device *dev)
{
	struct evpn_dev *edev = netdev_priv(dev);

	ether_setup(dev);
	dev->netdev_ops = &evpn_netdev_ops;
	dev->ethtool_ops = &evpn_ethtool_ops;
	dev->needs_free_netdev = true;
	dev->priv_destructor = evpn_destruct;

	/* Transmit takes no device lock and needs no qdisc: like other
	 * tunnels, back-pressure is the underlay socket's business. */
	dev->features |= NETIF_F_LLTX;
	/* GSO frames are segmented in evpn_xmit() (see there). */
	dev->features |= EVPN_FEATURES;
	dev->hw_features |= EVPN_FEATURES;
	dev->hw_enc_features |= EVPN_FEATURES;
	dev->priv_flags |= IFF_NO_QUEUE | IFF_LIVE_ADDR_CHANGE;
	dev->priv_flags &= ~IFF_TX_SKB_SHARING;

	dev->mtu = EVPN_DEFAULT_MTU;
	dev->min_mtu = EVPN_MIN_MTU;
	dev->max_mtu = EVPN_MAX_MTU;

	/* Room to seal in place (tx.c): no reallocation per frame. */
	dev->needed_headroom = EVPN_TX_E2E_HEADROOM;
	dev->needed_tailroom = EVPN_TX_E2E_TAILROOM;

	eth_hw_addr_random(dev);

	edev->dev = dev;
	seqcount_init(&edev->id_seq);
	INIT_LIST_HEAD(&edev->links);
	INIT_LIST_HEAD(&edev->socks);
}

static int evpn_validate(struct nlattr *tb[], struct nlattr *data[],
			 struct netlink_ext_ack *extack)
{
	if (tb[IFLA_ADDRESS]) {
		if (nla_len(tb[IFLA_ADDRESS]) != ETH_ALEN) {
			NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_ADDRESS],
					    "evpn: address must be 6 bytes");
			return -EINVAL;
		}
		if (!is_valid_ether_addr(nla_data(tb[IFLA_ADDRESS]))) {
			NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_ADDRESS],
					    "evpn: address must be a unicast MAC");
			return -EADDRNOTAVAIL;
		}
	}
	return 0;
}

static int evpn_newlink(struct net *src_net, struct net_device *dev,
			struct nlattr *tb[], struct nlattr *data[],
			struct netlink_ext_ack *extack)
{
	return register_netdevice(dev);
}

/* Every deletion path (ip link del, netns teardown, rtnl_link_unregister)
 * comes here under RTNL: links are unpublished and sockets detached before
 * the device goes. Receive hooks still running are waited out by
 * unregistering (before ndo_uninit flushes the receive queues); links
 * still sending hold the device until they are freed. */
static void evpn_dellink(struct net_device *dev, struct list_head *head)
{
	evpn_link_del_all(netdev_priv(dev));
	evpn_e2e_del_all(netdev_priv(dev));
	unregister_netdevice_queue(dev, head);
}

struct rtnl_link_ops evpn_link_ops __read_mostly = {
	.kind		= "evpn",
	.priv_size	= sizeof(struct evpn_dev),
	.setup		= evpn_setup,
	.validate	= evpn_validate,
	.newlink	= evpn_newlink,
	.dellink	= evpn_dellink,
};

int evpn_device_init(void)
{
	return rtnl_link_register(&evpn_link_ops);
}

/* Deletes every evpn device in every namespace. */
void evpn_device_uninit(void)
{
	rtnl_link_unregister(&evpn_link_ops);
}
