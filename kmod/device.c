// SPDX-License-Identifier: GPL-2.0
/*
 * The "evpn" network device: a plain Ethernet device created with
 * `ip link add NAME type evpn`.
 *
 * This version has no links yet (they arrive with the kernel fast path,
 * issue 5), so every transmitted frame is dropped and counted as
 * EVPN_DROP_NO_LINK. Everything else a device needs -- addresses, MTU
 * bounds, statistics, network namespaces, clean teardown -- is real.
 */
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/if_vlan.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <net/rtnetlink.h>

#include "device.h"
#include "version.h"
#include "wire.h"

/*
 * The largest MTU is bounded by what one record may carry: EVPN_MAX_INNER_LEN
 * covers the Ethernet header and a VLAN tag on top of a 9000-byte payload.
 */
#define EVPN_MAX_MTU	(EVPN_MAX_INNER_LEN - EVPN_ETH_HLEN - VLAN_HLEN)

static_assert(EVPN_MAX_MTU == 9000);
static_assert(EVPN_DEFAULT_MTU >= ETH_MIN_MTU && EVPN_DEFAULT_MTU <= EVPN_MAX_MTU);
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

/* Drop a frame on the transmit path: per-reason counter plus tx_dropped. */
static void evpn_tx_drop(struct evpn_dev *edev, struct sk_buff *skb,
			 enum evpn_drop_reason reason)
{
	evpn_count_drop(edev, reason);
	dev_core_stats_tx_dropped_inc(edev->dev);
	kfree_skb(skb);
}

static netdev_tx_t evpn_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct evpn_dev *edev = netdev_priv(dev);

	/* No links exist yet: nothing can carry the frame. */
	evpn_tx_drop(edev, skb, EVPN_DROP_NO_LINK);
	return NETDEV_TX_OK;
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
	if (!edev->drops) {
		free_percpu(dev->tstats);
		dev->tstats = NULL;
		return -ENOMEM;
	}
	return 0;
}

/* Called by unregister_netdevice (and on a failed register after init). */
static void evpn_ndo_uninit(struct net_device *dev)
{
	struct evpn_dev *edev = netdev_priv(dev);

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

	/* Transmit takes no device lock and needs no qdisc: like other
	 * tunnels, back-pressure is the underlay socket's business. */
	dev->features |= NETIF_F_LLTX;
	dev->priv_flags |= IFF_NO_QUEUE | IFF_LIVE_ADDR_CHANGE;
	dev->priv_flags &= ~IFF_TX_SKB_SHARING;

	dev->mtu = EVPN_DEFAULT_MTU;
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = EVPN_MAX_MTU;

	eth_hw_addr_random(dev);

	edev->dev = dev;
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

struct rtnl_link_ops evpn_link_ops __read_mostly = {
	.kind		= "evpn",
	.priv_size	= sizeof(struct evpn_dev),
	.setup		= evpn_setup,
	.validate	= evpn_validate,
	.newlink	= evpn_newlink,
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
