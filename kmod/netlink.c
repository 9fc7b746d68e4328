// SPDX-License-Identifier: GPL-2.0
/*
 * The "evpn" generic netlink family: how evpnd and evpnctl read and
 * configure evpn devices. The ABI is uapi/linux/evpn.h, documented in
 * docs/netlink.md.
 *
 * Every operation needs CAP_NET_ADMIN in the user namespace owning the
 * device's network namespace (GENL_UNS_ADMIN_PERM), sees only devices in
 * the caller's network namespace, and every rejection carries an extack
 * message. Handlers take RTNL themselves (parallel_ops), which is what
 * protects device configuration (kmod/device.h).
 */
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "device.h"
#include "netlink.h"

static const struct nla_policy evpn_dev_get_policy[EVPN_A_IFNAME + 1] = {
	[EVPN_A_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[EVPN_A_IFNAME]		= { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
};

static const struct nla_policy evpn_dev_set_policy[EVPN_A_NODE_ID + 1] = {
	[EVPN_A_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[EVPN_A_IFNAME]		= { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[EVPN_A_NODE_ID]	= NLA_POLICY_EXACT_LEN(EVPN_NODE_ID_LEN),
};

static struct genl_family evpn_genl_family;

/*
 * The evpn device a request names, by EVPN_A_IFINDEX or EVPN_A_IFNAME (both
 * may be given if they agree), in the caller's namespace. Caller holds RTNL.
 */
static struct evpn_dev *evpn_dev_from_attrs(struct genl_info *info)
{
	struct nlattr *ai = info->attrs[EVPN_A_IFINDEX];
	struct nlattr *an = info->attrs[EVPN_A_IFNAME];
	struct net *net = genl_info_net(info);
	struct net_device *dev = NULL;

	ASSERT_RTNL();
	if (!ai && !an) {
		NL_SET_ERR_MSG(info->extack,
			       "evpn: device required (EVPN_A_IFINDEX or EVPN_A_IFNAME)");
		return ERR_PTR(-EINVAL);
	}
	if (ai) {
		dev = __dev_get_by_index(net, nla_get_u32(ai));
		if (!dev) {
			NL_SET_ERR_MSG_ATTR(info->extack, ai,
					    "evpn: no device with this ifindex");
			return ERR_PTR(-ENODEV);
		}
	}
	if (an) {
		struct net_device *byname = __dev_get_by_name(net, nla_data(an));

		if (!byname) {
			NL_SET_ERR_MSG_ATTR(info->extack, an,
					    "evpn: no device with this name");
			return ERR_PTR(-ENODEV);
		}
		if (dev && dev != byname) {
			NL_SET_ERR_MSG_ATTR(info->extack, an,
					    "evpn: ifindex and ifname name different devices");
			return ERR_PTR(-EINVAL);
		}
		dev = byname;
	}
	if (!evpn_is_evpn_dev(dev)) {
		NL_SET_ERR_MSG_ATTR(info->extack, ai ? ai : an,
				    "evpn: not an evpn device");
		return ERR_PTR(-EOPNOTSUPP);
	}
	return netdev_priv(dev);
}

static int evpn_put_drops(struct sk_buff *skb, struct evpn_dev *edev)
{
	u64 drops[__EVPN_DROP_MAX];
	struct nlattr *nest;
	int r;

	evpn_dev_read_drops(edev, drops);
	nest = nla_nest_start(skb, EVPN_A_DEV_DROPS);
	if (!nest)
		return -EMSGSIZE;
	for (r = EVPN_DROP_NONE + 1; r <= EVPN_DROP_MAX; r++) {
		if (nla_put_u64_64bit(skb, r + 1, drops[r], 0)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int evpn_put_dev(struct sk_buff *skb, struct evpn_dev *edev)
{
	struct net_device *dev = edev->dev;
	struct rtnl_link_stats64 st = {};
	u8 id[EVPN_NODE_ID_LEN];

	ASSERT_RTNL();
	dev_fetch_sw_netstats(&st, dev->tstats);
	evpn_id_to_bytes(&edev->node_id, id);

	if (nla_put_u32(skb, EVPN_A_IFINDEX, dev->ifindex) ||
	    nla_put_string(skb, EVPN_A_IFNAME, dev->name) ||
	    nla_put(skb, EVPN_A_NODE_ID, sizeof(id), id) ||
	    nla_put_u32(skb, EVPN_A_MTU, dev->mtu) ||
	    nla_put_u64_64bit(skb, EVPN_A_RX_PACKETS, st.rx_packets, EVPN_A_PAD) ||
	    nla_put_u64_64bit(skb, EVPN_A_RX_BYTES, st.rx_bytes, EVPN_A_PAD) ||
	    nla_put_u64_64bit(skb, EVPN_A_TX_PACKETS, st.tx_packets, EVPN_A_PAD) ||
	    nla_put_u64_64bit(skb, EVPN_A_TX_BYTES, st.tx_bytes, EVPN_A_PAD))
		return -EMSGSIZE;
	return evpn_put_drops(skb, edev);
}

static int evpn_fill_dev(struct sk_buff *skb, struct evpn_dev *edev, u32 portid,
			 u32 seq, int flags, struct netlink_callback *cb)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &evpn_genl_family, flags,
			  EVPN_CMD_DEV_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (evpn_put_dev(skb, edev)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int evpn_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct evpn_dev *edev;
	struct sk_buff *msg;
	int ret;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	rtnl_lock();
	edev = evpn_dev_from_attrs(info);
	if (IS_ERR(edev)) {
		ret = PTR_ERR(edev);
		goto err_unlock;
	}
	ret = evpn_fill_dev(msg, edev, info->snd_portid, info->snd_seq, 0, NULL);
	if (ret) {
		NL_SET_ERR_MSG(info->extack, "evpn: reply does not fit");
		goto err_unlock;
	}
	rtnl_unlock();
	return genlmsg_reply(msg, info);

err_unlock:
	rtnl_unlock();
	nlmsg_free(msg);
	return ret;
}

/*
 * Dump every evpn device in the caller's namespace. cb->args[0] is how many
 * netdevices of the namespace list were already walked; the namespace's
 * dev_base_seq is the generation, so a dump spanning a device add/delete
 * is flagged NLM_F_DUMP_INTR and the caller retries.
 */
static int evpn_nl_dev_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	long skip = cb->args[0], idx = 0;
	struct net_device *dev;
	int ret = 0;

	rtnl_lock();
	cb->seq = net->dev_base_seq;
	for_each_netdev(net, dev) {
		if (idx < skip)
			goto next;
		if (evpn_is_evpn_dev(dev)) {
			ret = evpn_fill_dev(skb, netdev_priv(dev),
					    NETLINK_CB(cb->skb).portid,
					    cb->nlh->nlmsg_seq, NLM_F_MULTI, cb);
			if (ret)
				break;
		}
next:
		idx++;
	}
	rtnl_unlock();
	cb->args[0] = idx;
	/* A partly filled skb is returned; an empty one with a pending
	 * device means that device alone does not fit: report it. */
	if (ret && !skb->len)
		return ret;
	return skb->len;
}

static int evpn_nl_dev_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *aid = info->attrs[EVPN_A_NODE_ID];
	struct evpn_dev *edev;
	int ret = 0;

	if (!aid) {
		NL_SET_ERR_MSG(info->extack,
			       "evpn: nothing to set (EVPN_A_NODE_ID missing)");
		return -EINVAL;
	}

	rtnl_lock();
	edev = evpn_dev_from_attrs(info);
	if (IS_ERR(edev)) {
		ret = PTR_ERR(edev);
		goto out;
	}
	evpn_id_from_bytes(&edev->node_id, nla_data(aid));
out:
	rtnl_unlock();
	return ret;
}

/*
 * Only implemented commands are registered; the reserved ones in
 * enum evpn_cmd are answered -EOPNOTSUPP by the genetlink core.
 */
static const struct genl_ops evpn_genl_ops[] = {
	{
		.cmd	= EVPN_CMD_DEV_GET,
		.doit	= evpn_nl_dev_get_doit,
		.dumpit	= evpn_nl_dev_get_dumpit,
		.policy	= evpn_dev_get_policy,
		.maxattr = ARRAY_SIZE(evpn_dev_get_policy) - 1,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= EVPN_CMD_DEV_SET,
		.doit	= evpn_nl_dev_set_doit,
		.policy	= evpn_dev_set_policy,
		.maxattr = ARRAY_SIZE(evpn_dev_set_policy) - 1,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
};

static struct genl_family evpn_genl_family __ro_after_init = {
	.name		= EVPN_GENL_NAME,
	.version	= EVPN_GENL_VERSION,
	.maxattr	= EVPN_A_MAX,
	.netnsok	= true,
	.parallel_ops	= true,
	/* Every command is new: strict validation of all of them. */
	.resv_start_op	= EVPN_CMD_UNSPEC,
	.ops		= evpn_genl_ops,
	.n_ops		= ARRAY_SIZE(evpn_genl_ops),
	.module		= THIS_MODULE,
};

int __init evpn_genl_init(void)
{
	return genl_register_family(&evpn_genl_family);
}

void evpn_genl_uninit(void)
{
	genl_unregister_family(&evpn_genl_family);
}
