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

#include <linux/etherdevice.h>
#include <linux/jiffies.h>
#include <linux/slab.h>

#include "device.h"
#include "kfdb.h"
#include "link.h"
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
static struct evpn_dev *evpn_dev_lookup(struct net *net, struct nlattr **attrs,
				       struct netlink_ext_ack *extack)
{
	struct nlattr *ai = attrs[EVPN_A_IFINDEX];
	struct nlattr *an = attrs[EVPN_A_IFNAME];
	struct net_device *dev = NULL;

	ASSERT_RTNL();
	if (!ai && !an) {
		NL_SET_ERR_MSG(extack,
			       "evpn: device required (EVPN_A_IFINDEX or EVPN_A_IFNAME)");
		return ERR_PTR(-EINVAL);
	}
	if (ai) {
		dev = __dev_get_by_index(net, nla_get_u32(ai));
		if (!dev) {
			NL_SET_ERR_MSG_ATTR(extack, ai,
					    "evpn: no device with this ifindex");
			return ERR_PTR(-ENODEV);
		}
	}
	if (an) {
		struct net_device *byname = __dev_get_by_name(net, nla_data(an));

		if (!byname) {
			NL_SET_ERR_MSG_ATTR(extack, an,
					    "evpn: no device with this name");
			return ERR_PTR(-ENODEV);
		}
		if (dev && dev != byname) {
			NL_SET_ERR_MSG_ATTR(extack, an,
					    "evpn: ifindex and ifname name different devices");
			return ERR_PTR(-EINVAL);
		}
		dev = byname;
	}
	if (!evpn_is_evpn_dev(dev)) {
		NL_SET_ERR_MSG_ATTR(extack, ai ? ai : an,
				    "evpn: not an evpn device");
		return ERR_PTR(-EOPNOTSUPP);
	}
	return netdev_priv(dev);
}

static struct evpn_dev *evpn_dev_from_attrs(struct genl_info *info)
{
	return evpn_dev_lookup(genl_info_net(info), info->attrs, info->extack);
}

static int evpn_put_drop_nest(struct sk_buff *skb, int type, const u64 *drops)
{
	struct nlattr *nest;
	int r;

	nest = nla_nest_start(skb, type);
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

static int evpn_put_drops(struct sk_buff *skb, struct evpn_dev *edev)
{
	u64 drops[__EVPN_DROP_MAX];

	evpn_dev_read_drops(edev, drops);
	return evpn_put_drop_nest(skb, EVPN_A_DEV_DROPS, drops);
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
	    nla_put_u64_64bit(skb, EVPN_A_TX_BYTES, st.tx_bytes, EVPN_A_PAD) ||
	    nla_put_u64_64bit(skb, EVPN_A_FWD_PACKETS, evpn_dev_read_fwd(edev),
			      EVPN_A_PAD))
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
	{
		struct evpn_id id;

		evpn_id_from_bytes(&id, nla_data(aid));
		evpn_dev_set_id(edev, &id);
	}
out:
	rtnl_unlock();
	return ret;
}

/* ---- links ---- */

/* The out-only attributes between REMOTE_PORT and NBRS have no entry
 * (NLA_UNSPEC): strict validation rejects them in requests. */
static const struct nla_policy evpn_link_policy[EVPN_LINK_A_NBRS + 1] = {
	[EVPN_LINK_A_PEER_ID]		= NLA_POLICY_EXACT_LEN(EVPN_NODE_ID_LEN),
	[EVPN_LINK_A_SOCK_FD]		= { .type = NLA_U32 },
	[EVPN_LINK_A_REMOTE_IPV4]	= NLA_POLICY_EXACT_LEN(4),
	[EVPN_LINK_A_REMOTE_IPV6]	= NLA_POLICY_EXACT_LEN(16),
	[EVPN_LINK_A_REMOTE_PORT]	= NLA_POLICY_MIN(NLA_U16, 1),
	/* NLA_BINARY .len: the most bytes (64 IDs) */
	[EVPN_LINK_A_NBRS]		= { .type = NLA_BINARY,
					    .len = EVPN_MAX_NBR_IDS * EVPN_NODE_ID_LEN },
};

static const struct nla_policy evpn_link_op_policy[EVPN_A_LINK + 1] = {
	[EVPN_A_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[EVPN_A_IFNAME]		= { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[EVPN_A_LINK]		= NLA_POLICY_NESTED(evpn_link_policy),
};

static const struct nla_policy evpn_key_policy[EVPN_KEY_A_STATIC + 1] = {
	[EVPN_KEY_A_PEER_ID]	= NLA_POLICY_EXACT_LEN(EVPN_NODE_ID_LEN),
	[EVPN_KEY_A_SLOT]	= NLA_POLICY_MAX(NLA_U32, EVPN_KEY_SLOT_NEXT),
	[EVPN_KEY_A_SUITE]	= NLA_POLICY_RANGE(NLA_U32, EVPN_SUITE_AES256GCM,
						   __EVPN_SUITE_MAX - 1),
	[EVPN_KEY_A_TX_KEY_ID]	= NLA_POLICY_MIN(NLA_U32, 1),
	[EVPN_KEY_A_TX_KEY]	= NLA_POLICY_EXACT_LEN(EVPN_KEY_LEN),
	[EVPN_KEY_A_TX_IV]	= NLA_POLICY_EXACT_LEN(EVPN_IV_LEN),
	[EVPN_KEY_A_RX_KEY_ID]	= NLA_POLICY_MIN(NLA_U32, 1),
	[EVPN_KEY_A_RX_KEY]	= NLA_POLICY_EXACT_LEN(EVPN_KEY_LEN),
	[EVPN_KEY_A_RX_IV]	= NLA_POLICY_EXACT_LEN(EVPN_IV_LEN),
	[EVPN_KEY_A_STATIC]	= { .type = NLA_FLAG },
};

static const struct nla_policy evpn_key_op_policy[EVPN_A_KEY + 1] = {
	[EVPN_A_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[EVPN_A_IFNAME]		= { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[EVPN_A_KEY]		= NLA_POLICY_NESTED(evpn_key_policy),
};

static const struct nla_policy evpn_fdb_policy[EVPN_FDB_A_NODE_ID + 1] = {
	[EVPN_FDB_A_MAC]	= NLA_POLICY_EXACT_LEN(ETH_ALEN),
	[EVPN_FDB_A_NODE_ID]	= NLA_POLICY_EXACT_LEN(EVPN_NODE_ID_LEN),
};

static const struct nla_policy evpn_fdb_op_policy[EVPN_A_FDB + 1] = {
	[EVPN_A_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[EVPN_A_IFNAME]		= { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[EVPN_A_FDB]		= NLA_POLICY_NESTED(evpn_fdb_policy),
};

/* An extack message that is not a literal at the call site (a static string). */
static void evpn_set_err(struct netlink_ext_ack *extack, const struct nlattr *attr,
			 const char *msg)
{
	if (extack) {
		extack->_msg = msg;
		extack->bad_attr = attr;
	}
}

/* Parse the nest @type of @info (required) with @policy into @tb. */
static int evpn_nl_nest(struct genl_info *info, int type, int max,
			const struct nla_policy *policy, struct nlattr **tb,
			const char *what)
{
	if (!info->attrs[type]) {
		evpn_set_err(info->extack, NULL, what);
		return -EINVAL;
	}
	return nla_parse_nested(tb, max, info->attrs[type], policy, info->extack);
}

static int evpn_nl_require(struct genl_info *info, struct nlattr *nest,
			   struct nlattr **tb, int attr, const char *name)
{
	if (tb[attr])
		return 0;
	evpn_set_err(info->extack, nest, name);
	return -EINVAL;
}

static int evpn_nl_peer(struct genl_info *info, struct nlattr *nest,
			struct nlattr *a, struct evpn_id *peer)
{
	if (!a) {
		NL_SET_ERR_MSG_ATTR(info->extack, nest, "evpn: PEER_ID required");
		return -EINVAL;
	}
	evpn_id_from_bytes(peer, nla_data(a));
	if (evpn_id_is_zero(peer)) {
		NL_SET_ERR_MSG_ATTR(info->extack, a, "evpn: PEER_ID must not be zero");
		return -EINVAL;
	}
	return 0;
}

/* The endpoint in @tb (exactly one address family, plus a port). */
static struct evpn_endpoint *evpn_nl_endpoint(struct genl_info *info,
					      struct nlattr *nest, struct nlattr **tb)
{
	struct nlattr *a4 = tb[EVPN_LINK_A_REMOTE_IPV4];
	struct nlattr *a6 = tb[EVPN_LINK_A_REMOTE_IPV6];
	struct evpn_endpoint *ep;

	if (!a4 == !a6) {
		NL_SET_ERR_MSG_ATTR(info->extack, nest,
				    "evpn: exactly one of REMOTE_IPV4 and REMOTE_IPV6 required");
		return ERR_PTR(-EINVAL);
	}
	if (!tb[EVPN_LINK_A_REMOTE_PORT]) {
		NL_SET_ERR_MSG_ATTR(info->extack, nest, "evpn: REMOTE_PORT required");
		return ERR_PTR(-EINVAL);
	}
	ep = kzalloc(sizeof(*ep), GFP_KERNEL);
	if (!ep)
		return ERR_PTR(-ENOMEM);
	ep->port = htons(nla_get_u16(tb[EVPN_LINK_A_REMOTE_PORT]));
	if (a4) {
		ep->family = AF_INET;
		ep->v4 = nla_get_in_addr(a4);
		if (ipv4_is_multicast(ep->v4) || ipv4_is_zeronet(ep->v4) ||
		    ipv4_is_lbcast(ep->v4))
			goto bad;
	} else {
		ep->family = AF_INET6;
		ep->v6 = nla_get_in6_addr(a6);
		if (ipv6_addr_any(&ep->v6) || ipv6_addr_is_multicast(&ep->v6))
			goto bad;
	}
	return ep;
bad:
	kfree(ep);
	NL_SET_ERR_MSG_ATTR(info->extack, a4 ? a4 : a6,
			    "evpn: remote address must be a unicast address");
	return ERR_PTR(-EINVAL);
}

static int evpn_nl_link_new(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[EVPN_LINK_A_MAX + 1], *nest = info->attrs[EVPN_A_LINK];
	struct evpn_endpoint *ep;
	struct evpn_dev *edev;
	struct evpn_id peer;
	int ret;

	ret = evpn_nl_nest(info, EVPN_A_LINK, EVPN_LINK_A_NBRS,
			   evpn_link_policy, tb, "evpn: EVPN_A_LINK required");
	if (ret)
		return ret;
	ret = evpn_nl_peer(info, nest, tb[EVPN_LINK_A_PEER_ID], &peer);
	if (!ret)
		ret = evpn_nl_require(info, nest, tb, EVPN_LINK_A_SOCK_FD, "evpn: SOCK_FD required");
	if (!ret && tb[EVPN_LINK_A_NBRS]) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[EVPN_LINK_A_NBRS],
				    "evpn: NBRS is set with LINK_SET once the link exists");
		ret = -EINVAL;
	}
	if (ret)
		return ret;
	ep = evpn_nl_endpoint(info, nest, tb);
	if (IS_ERR(ep))
		return PTR_ERR(ep);

	rtnl_lock();
	edev = evpn_dev_from_attrs(info);
	if (IS_ERR(edev)) {
		ret = PTR_ERR(edev);
		goto err;
	}
	if (evpn_id_eq(&peer, &edev->node_id)) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[EVPN_LINK_A_PEER_ID],
				    "evpn: PEER_ID is this device's own node ID");
		ret = -EINVAL;
		goto err;
	}
	ret = evpn_link_new(edev, &peer, nla_get_u32(tb[EVPN_LINK_A_SOCK_FD]),
			    ep, info->extack);
	if (ret)
		goto err;
	rtnl_unlock();
	return 0;
err:
	rtnl_unlock();
	kfree(ep);
	return ret;
}

/* The device and link a request names (RTNL held). */
static struct evpn_link *evpn_nl_link_get(struct genl_info *info,
					  struct nlattr *nest, struct nlattr *apeer)
{
	struct evpn_dev *edev;
	struct evpn_link *link;
	struct evpn_id peer;
	int ret;

	ret = evpn_nl_peer(info, nest, apeer, &peer);
	if (ret)
		return ERR_PTR(ret);
	edev = evpn_dev_from_attrs(info);
	if (IS_ERR(edev))
		return ERR_CAST(edev);
	link = evpn_link_find(edev, &peer);
	if (!link) {
		NL_SET_ERR_MSG_ATTR(info->extack, apeer, "evpn: no link to this peer");
		return ERR_PTR(-ENOENT);
	}
	return link;
}

/* EVPN_LINK_A_NBRS: whole node IDs only (the policy bounds the count). */
static int evpn_nl_nbrs_check(struct genl_info *info, struct nlattr *a)
{
	if (nla_len(a) % EVPN_NODE_ID_LEN) {
		NL_SET_ERR_MSG_ATTR(info->extack, a,
				    "evpn: NBRS length must be a multiple of 16 (node IDs)");
		return -EINVAL;
	}
	return 0;
}

/*
 * Change a link: its remote endpoint (REMOTE_* + PORT), its peer's link
 * list (NBRS), or both; at least one.
 */
static int evpn_nl_link_set(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[EVPN_LINK_A_MAX + 1], *nest = info->attrs[EVPN_A_LINK];
	struct evpn_endpoint *ep = NULL;
	struct nlattr *anb;
	struct evpn_link *link;
	int ret;

	ret = evpn_nl_nest(info, EVPN_A_LINK, EVPN_LINK_A_NBRS,
			   evpn_link_policy, tb, "evpn: EVPN_A_LINK required");
	if (ret)
		return ret;
	if (tb[EVPN_LINK_A_SOCK_FD]) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[EVPN_LINK_A_SOCK_FD],
				    "evpn: a link's socket cannot change (delete and re-add it)");
		return -EINVAL;
	}
	anb = tb[EVPN_LINK_A_NBRS];
	if (anb && evpn_nl_nbrs_check(info, anb))
		return -EINVAL;
	if (!anb || tb[EVPN_LINK_A_REMOTE_IPV4] || tb[EVPN_LINK_A_REMOTE_IPV6] ||
	    tb[EVPN_LINK_A_REMOTE_PORT]) {
		ep = evpn_nl_endpoint(info, nest, tb);
		if (IS_ERR(ep))
			return PTR_ERR(ep);
	}
	rtnl_lock();
	link = evpn_nl_link_get(info, nest, tb[EVPN_LINK_A_PEER_ID]);
	if (IS_ERR(link)) {
		ret = PTR_ERR(link);
		goto err;
	}
	if (ep && ep->family == AF_INET6 &&
	    link->esock->sock->sk->sk_family != AF_INET6) {
		NL_SET_ERR_MSG_ATTR(info->extack, nest, "evpn: IPv6 endpoint needs an IPv6 socket");
		ret = -EAFNOSUPPORT;
		goto err;
	}
	if (anb) {
		ret = evpn_link_set_nbrs(link, nla_data(anb),
					 nla_len(anb) / EVPN_NODE_ID_LEN);
		if (ret)
			goto err;
	}
	if (ep)
		evpn_link_set_endpoint(link, ep);
	rtnl_unlock();
	return 0;
err:
	rtnl_unlock();
	kfree(ep);
	return ret;
}

static int evpn_nl_link_del(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[EVPN_LINK_A_MAX + 1], *nest = info->attrs[EVPN_A_LINK];
	struct evpn_link *link;
	struct evpn_id peer;
	int ret;

	ret = evpn_nl_nest(info, EVPN_A_LINK, EVPN_LINK_A_REMOTE_PORT,
			   evpn_link_policy, tb, "evpn: EVPN_A_LINK required");
	if (ret)
		return ret;
	rtnl_lock();
	link = evpn_nl_link_get(info, nest, tb[EVPN_LINK_A_PEER_ID]);
	if (IS_ERR(link)) {
		ret = PTR_ERR(link);
	} else {
		struct evpn_dev *edev = link->edev;

		peer = link->peer;
		evpn_link_del(link);
		evpn_kfdb_flush_node(edev, &peer);
	}
	rtnl_unlock();
	return ret;
}

static int evpn_put_addr(struct sk_buff *skb, int a4, int a6, int aport,
			 sa_family_t family, __be32 v4, const struct in6_addr *v6,
			 __be16 port)
{
	if (family == AF_INET ? nla_put_in_addr(skb, a4, v4) :
				nla_put_in6_addr(skb, a6, v6))
		return -EMSGSIZE;
	return nla_put_u16(skb, aport, ntohs(port));
}

static int evpn_put_key(struct sk_buff *skb, struct evpn_key *key)
{
	struct nlattr *nest = nla_nest_start(skb, EVPN_LINK_A_KEY);
	u64 age = div_u64(get_jiffies_64() - key->installed, HZ);

	if (!nest ||
	    nla_put_u32(skb, EVPN_KEY_A_SLOT, key->slot) ||
	    nla_put_u32(skb, EVPN_KEY_A_SUITE, key->suite) ||
	    nla_put_u32(skb, EVPN_KEY_A_TX_KEY_ID, key->tx_id) ||
	    nla_put_u32(skb, EVPN_KEY_A_RX_KEY_ID, key->rx_id) ||
	    nla_put_u64_64bit(skb, EVPN_KEY_A_TX_COUNTER,
			      atomic64_read(&key->tx_counter), EVPN_KEY_A_PAD) ||
	    nla_put_u64_64bit(skb, EVPN_KEY_A_RX_PACKETS,
			      atomic64_read(&key->rx_packets), EVPN_KEY_A_PAD) ||
	    nla_put_u32(skb, EVPN_KEY_A_AGE, min_t(u64, age, U32_MAX)) ||
	    (key->is_static && nla_put_flag(skb, EVPN_KEY_A_STATIC)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* The peer's link list as set (RTNL), if any. */
static int evpn_put_nbrs(struct sk_buff *skb, struct evpn_link *link)
{
	struct nlattr *a;
	int i;

	if (!link->n_nbr_ids)
		return 0;
	a = nla_reserve(skb, EVPN_LINK_A_NBRS,
			link->n_nbr_ids * EVPN_NODE_ID_LEN);
	if (!a)
		return -EMSGSIZE;
	for (i = 0; i < link->n_nbr_ids; i++)
		evpn_id_to_bytes(&link->nbr_ids[i],
				 (u8 *)nla_data(a) + i * EVPN_NODE_ID_LEN);
	return 0;
}

static int evpn_put_link(struct sk_buff *skb, struct evpn_link *link)
{
	const struct evpn_endpoint *ep = rtnl_dereference(link->ep);
	struct sock *sk = link->esock->sock->sk;
	u64 rxp, rxb, txp, txb, drops[__EVPN_DROP_MAX];
	u8 peer[EVPN_NODE_ID_LEN];
	struct nlattr *nest;
	int s;

	evpn_id_to_bytes(&link->peer, peer);
	evpn_link_read_stats(link, &rxp, &rxb, &txp, &txb, drops);
	nest = nla_nest_start(skb, EVPN_A_LINK);
	if (!nest ||
	    nla_put(skb, EVPN_LINK_A_PEER_ID, sizeof(peer), peer) ||
	    evpn_put_addr(skb, EVPN_LINK_A_REMOTE_IPV4, EVPN_LINK_A_REMOTE_IPV6,
			  EVPN_LINK_A_REMOTE_PORT, ep->family, ep->v4, &ep->v6,
			  ep->port) ||
	    evpn_put_addr(skb, EVPN_LINK_A_LOCAL_IPV4, EVPN_LINK_A_LOCAL_IPV6,
			  EVPN_LINK_A_LOCAL_PORT, sk->sk_family,
			  inet_sk(sk)->inet_rcv_saddr,
#if IS_ENABLED(CONFIG_IPV6)
			  &sk->sk_v6_rcv_saddr,
#else
			  NULL,
#endif
			  inet_sk(sk)->inet_sport) ||
	    nla_put_u64_64bit(skb, EVPN_LINK_A_RX_PACKETS, rxp, EVPN_LINK_A_PAD) ||
	    nla_put_u64_64bit(skb, EVPN_LINK_A_RX_BYTES, rxb, EVPN_LINK_A_PAD) ||
	    nla_put_u64_64bit(skb, EVPN_LINK_A_TX_PACKETS, txp, EVPN_LINK_A_PAD) ||
	    nla_put_u64_64bit(skb, EVPN_LINK_A_TX_BYTES, txb, EVPN_LINK_A_PAD) ||
	    evpn_put_drop_nest(skb, EVPN_LINK_A_DROPS, drops) ||
	    evpn_put_nbrs(skb, link))
		return -EMSGSIZE;
	for (s = 0; s < 2; s++) {
		struct evpn_key *key = rtnl_dereference(link->slot[s]);

		if (key && evpn_put_key(skb, key))
			return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int evpn_fill_link(struct sk_buff *skb, struct evpn_link *link, u32 portid,
			  u32 seq, int flags, struct netlink_callback *cb)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &evpn_genl_family, flags,
			  EVPN_CMD_LINK_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (nla_put_u32(skb, EVPN_A_IFINDEX, link->edev->dev->ifindex) ||
	    evpn_put_link(skb, link)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int evpn_nl_link_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[EVPN_LINK_A_MAX + 1], *nest = info->attrs[EVPN_A_LINK];
	struct evpn_link *link;
	struct sk_buff *msg;
	int ret;

	ret = evpn_nl_nest(info, EVPN_A_LINK, EVPN_LINK_A_REMOTE_PORT,
			   evpn_link_policy, tb, "evpn: EVPN_A_LINK with PEER_ID required (or dump)");
	if (ret)
		return ret;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	rtnl_lock();
	link = evpn_nl_link_get(info, nest, tb[EVPN_LINK_A_PEER_ID]);
	if (IS_ERR(link)) {
		ret = PTR_ERR(link);
		goto err;
	}
	ret = evpn_fill_link(msg, link, info->snd_portid, info->snd_seq, 0, NULL);
	if (ret)
		goto err;
	rtnl_unlock();
	return genlmsg_reply(msg, info);
err:
	rtnl_unlock();
	nlmsg_free(msg);
	return ret;
}

/*
 * Dump the links of the device named in the request. cb->args[0]: links
 * already sent. The device's links_gen is the generation: a link added or
 * deleted between two parts flags the dump NLM_F_DUMP_INTR.
 */
static int evpn_nl_link_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct genl_dumpit_info *di = genl_dumpit_info(cb);
	long skip = cb->args[0], idx = 0;
	struct evpn_link *link;
	struct evpn_dev *edev;
	int ret = 0;

	rtnl_lock();
	edev = evpn_dev_lookup(sock_net(skb->sk), di->attrs, cb->extack);
	if (IS_ERR(edev)) {
		rtnl_unlock();
		return PTR_ERR(edev);
	}
	cb->seq = edev->links_gen;
	list_for_each_entry(link, &edev->links, node) {
		if (idx++ < skip)
			continue;
		ret = evpn_fill_link(skb, link, NETLINK_CB(cb->skb).portid,
				     cb->nlh->nlmsg_seq, NLM_F_MULTI, cb);
		if (ret) {
			idx--;
			break;
		}
	}
	rtnl_unlock();
	cb->args[0] = idx;
	if (ret && !skb->len)
		return ret;
	return skb->len;
}

/* ---- keys ---- */

static int evpn_nl_key_new(struct sk_buff *skb, struct genl_info *info)
{
	static const struct { int attr; const char *name; } req[] = {
		{ EVPN_KEY_A_SLOT, "evpn: SLOT required" }, { EVPN_KEY_A_SUITE, "evpn: SUITE required" },
		{ EVPN_KEY_A_TX_KEY_ID, "evpn: TX_KEY_ID required" }, { EVPN_KEY_A_TX_KEY, "evpn: TX_KEY required" },
		{ EVPN_KEY_A_TX_IV, "evpn: TX_IV required" }, { EVPN_KEY_A_RX_KEY_ID, "evpn: RX_KEY_ID required" },
		{ EVPN_KEY_A_RX_KEY, "evpn: RX_KEY required" }, { EVPN_KEY_A_RX_IV, "evpn: RX_IV required" },
	};
	struct nlattr *tb[EVPN_KEY_A_MAX + 1], *nest = info->attrs[EVPN_A_KEY];
	struct evpn_link *link;
	int i, ret;

	ret = evpn_nl_nest(info, EVPN_A_KEY, EVPN_KEY_A_STATIC, evpn_key_policy,
			   tb, "evpn: EVPN_A_KEY required");
	for (i = 0; !ret && i < ARRAY_SIZE(req); i++)
		ret = evpn_nl_require(info, nest, tb, req[i].attr, req[i].name);
	if (ret)
		goto wipe;
	rtnl_lock();
	link = evpn_nl_link_get(info, nest, tb[EVPN_KEY_A_PEER_ID]);
	if (IS_ERR(link))
		ret = PTR_ERR(link);
	else
		ret = evpn_key_install(link, nla_get_u32(tb[EVPN_KEY_A_SLOT]),
				       nla_get_u32(tb[EVPN_KEY_A_SUITE]),
				       nla_get_u32(tb[EVPN_KEY_A_TX_KEY_ID]),
				       nla_data(tb[EVPN_KEY_A_TX_KEY]),
				       nla_data(tb[EVPN_KEY_A_TX_IV]),
				       nla_get_u32(tb[EVPN_KEY_A_RX_KEY_ID]),
				       nla_data(tb[EVPN_KEY_A_RX_KEY]),
				       nla_data(tb[EVPN_KEY_A_RX_IV]),
				       nla_get_flag(tb[EVPN_KEY_A_STATIC]),
				       info->extack);
	rtnl_unlock();
wipe:
	/* The request skb is ours: leave no key bytes behind in it. */
	if (!IS_ERR_OR_NULL(nest) && tb[EVPN_KEY_A_TX_KEY])
		memzero_explicit(nla_data(tb[EVPN_KEY_A_TX_KEY]), EVPN_KEY_LEN);
	if (!IS_ERR_OR_NULL(nest) && tb[EVPN_KEY_A_RX_KEY])
		memzero_explicit(nla_data(tb[EVPN_KEY_A_RX_KEY]), EVPN_KEY_LEN);
	return ret;
}

static int evpn_nl_key_swap_del(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[EVPN_KEY_A_MAX + 1], *nest = info->attrs[EVPN_A_KEY];
	bool del = info->genlhdr->cmd == EVPN_CMD_KEY_DEL;
	struct evpn_link *link;
	int ret;

	ret = evpn_nl_nest(info, EVPN_A_KEY, EVPN_KEY_A_STATIC, evpn_key_policy,
			   tb, "evpn: EVPN_A_KEY required");
	if (!ret && del)
		ret = evpn_nl_require(info, nest, tb, EVPN_KEY_A_SLOT, "evpn: SLOT required");
	if (ret)
		return ret;
	rtnl_lock();
	link = evpn_nl_link_get(info, nest, tb[EVPN_KEY_A_PEER_ID]);
	if (IS_ERR(link)) {
		ret = PTR_ERR(link);
	} else {
		ret = del ? evpn_key_del(link, nla_get_u32(tb[EVPN_KEY_A_SLOT])) :
			    evpn_key_swap(link);
		if (ret == -ENOENT)
			evpn_set_err(info->extack, nest, del ?
				     "evpn: no key in this slot" :
				     "evpn: no key in the next slot to swap in");
	}
	rtnl_unlock();
	return ret;
}

/* ---- FDB ---- */

static int evpn_nl_fdb_parse(struct genl_info *info, struct nlattr **tb,
			     bool need_node)
{
	struct nlattr *nest = info->attrs[EVPN_A_FDB];
	int ret;

	ret = evpn_nl_nest(info, EVPN_A_FDB, EVPN_FDB_A_NODE_ID, evpn_fdb_policy,
			   tb, "evpn: EVPN_A_FDB required");
	if (!ret)
		ret = evpn_nl_require(info, nest, tb, EVPN_FDB_A_MAC, "evpn: MAC required");
	if (!ret && need_node)
		ret = evpn_nl_require(info, nest, tb, EVPN_FDB_A_NODE_ID, "evpn: NODE_ID required");
	if (ret)
		return ret;
	if (!is_valid_ether_addr(nla_data(tb[EVPN_FDB_A_MAC]))) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[EVPN_FDB_A_MAC],
				    "evpn: MAC must be a unicast address");
		return -EINVAL;
	}
	return 0;
}

static int evpn_nl_fdb_add(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[EVPN_FDB_A_MAX + 1];
	struct evpn_dev *edev;
	struct evpn_id node;
	int ret;

	ret = evpn_nl_fdb_parse(info, tb, true);
	if (ret)
		return ret;
	evpn_id_from_bytes(&node, nla_data(tb[EVPN_FDB_A_NODE_ID]));
	if (evpn_id_is_zero(&node)) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[EVPN_FDB_A_NODE_ID],
				    "evpn: NODE_ID must not be zero");
		return -EINVAL;
	}
	rtnl_lock();
	edev = evpn_dev_from_attrs(info);
	if (IS_ERR(edev)) {
		ret = PTR_ERR(edev);
	} else {
		ret = evpn_kfdb_add_static(edev, nla_data(tb[EVPN_FDB_A_MAC]), &node);
		if (ret)
			NL_SET_ERR_MSG(info->extack, "evpn: FDB full");
	}
	rtnl_unlock();
	return ret;
}

static int evpn_nl_fdb_del(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[EVPN_FDB_A_MAX + 1];
	struct evpn_dev *edev;
	int ret;

	ret = evpn_nl_fdb_parse(info, tb, false);
	if (ret)
		return ret;
	rtnl_lock();
	edev = evpn_dev_from_attrs(info);
	if (IS_ERR(edev)) {
		ret = PTR_ERR(edev);
	} else if (!evpn_kfdb_del(edev, nla_data(tb[EVPN_FDB_A_MAC]))) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[EVPN_FDB_A_MAC],
				    "evpn: no FDB entry for this MAC");
		ret = -ENOENT;
	}
	rtnl_unlock();
	return ret;
}

static int evpn_fill_fdb(struct sk_buff *skb, struct evpn_dev *edev,
			 const struct evpn_fdb_entry *e, u64 now,
			 struct netlink_callback *cb)
{
	u8 node[EVPN_NODE_ID_LEN];
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &evpn_genl_family, NLM_F_MULTI, EVPN_CMD_FDB_GET);
	if (!hdr)
		return -EMSGSIZE;
	genl_dump_check_consistent(cb, hdr);
	evpn_id_to_bytes(&e->node, node);
	nest = nla_nest_start(skb, EVPN_A_FDB);
	if (nla_put_u32(skb, EVPN_A_IFINDEX, edev->dev->ifindex) || !nest ||
	    nla_put(skb, EVPN_FDB_A_MAC, ETH_ALEN, e->mac) ||
	    nla_put(skb, EVPN_FDB_A_NODE_ID, sizeof(node), node) ||
	    ((e->flags & EVPN_FDB_F_STATIC) && nla_put_flag(skb, EVPN_FDB_A_STATIC)) ||
	    nla_put_u32(skb, EVPN_FDB_A_AGE, (u32)min_t(u64, now - e->seen, U32_MAX))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
}

/*
 * FDB dump. cb->args[0]: the slot to resume from. Entries are copied out
 * under the seqlock's write side in small batches (no allocation, no
 * netlink work under the lock); fdb_gen, bumped by every add, move, delete
 * and expiry, is the consistency generation.
 */
static int evpn_nl_fdb_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct genl_dumpit_info *di = genl_dumpit_info(cb);
	struct evpn_fdb_entry batch[16];
	u32 pos = cb->args[0], next;
	const struct evpn_fdb_entry *e;
	struct evpn_dev *edev;
	int i, n, ret = 0;
	u64 now;

	rtnl_lock();
	edev = evpn_dev_lookup(sock_net(skb->sk), di->attrs, cb->extack);
	if (IS_ERR(edev)) {
		rtnl_unlock();
		return PTR_ERR(edev);
	}
	for (;;) {
		u32 at[ARRAY_SIZE(batch)];

		n = 0;
		now = evpn_kfdb_now();
		write_seqlock_bh(&edev->fdb_lock);
		cb->seq = edev->fdb_gen;
		next = pos;
		while (n < ARRAY_SIZE(batch) &&
		       (e = evpn_fdb_next(edev->fdb, &next, now))) {
			batch[n] = *e;
			at[n++] = next;
		}
		write_sequnlock_bh(&edev->fdb_lock);
		for (i = 0; i < n; i++) {
			ret = evpn_fill_fdb(skb, edev, &batch[i], now, cb);
			if (ret)
				goto out;
			pos = at[i];
		}
		if (n < ARRAY_SIZE(batch))
			break;
	}
out:
	rtnl_unlock();
	cb->args[0] = pos;
	if (ret && !skb->len)
		return ret;
	return skb->len;
}

/* ---- events ---- */

enum evpn_mcgrp_ids { EVPN_MCGRP_EVENTS_ID };

static const struct genl_multicast_group evpn_mcgrps[] = {
	[EVPN_MCGRP_EVENTS_ID] = { .name = EVPN_MCGRP_EVENTS,
				   .flags = GENL_MCAST_CAP_NET_ADMIN },
};

/* Start an event message for @link (any context); NULL if nobody listens
 * or no memory. */
static struct sk_buff *evpn_event_start(struct evpn_link *link, u32 type,
					void **hdr, struct nlattr **nest)
{
	struct net *net = dev_net(link->edev->dev);
	u8 peer[EVPN_NODE_ID_LEN];
	struct sk_buff *msg;

	if (!genl_has_listeners(&evpn_genl_family, net, EVPN_MCGRP_EVENTS_ID))
		return NULL;
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_ATOMIC);
	if (!msg)
		return NULL;
	*hdr = genlmsg_put(msg, 0, 0, &evpn_genl_family, 0, EVPN_CMD_EVENT);
	evpn_id_to_bytes(&link->peer, peer);
	if (!*hdr ||
	    nla_put_u32(msg, EVPN_A_IFINDEX, link->edev->dev->ifindex) ||
	    nla_put_string(msg, EVPN_A_IFNAME, link->edev->dev->name) ||
	    !(*nest = nla_nest_start(msg, EVPN_A_EVENT)) ||
	    nla_put_u32(msg, EVPN_EVENT_A_TYPE, type) ||
	    nla_put(msg, EVPN_EVENT_A_PEER_ID, sizeof(peer), peer)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static void evpn_event_send(struct evpn_link *link, struct sk_buff *msg,
			    void *hdr, struct nlattr *nest)
{
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&evpn_genl_family, dev_net(link->edev->dev), msg,
				0, EVPN_MCGRP_EVENTS_ID, GFP_ATOMIC);
}

void evpn_event_key(struct evpn_key *key, u32 type)
{
	struct nlattr *nest;
	struct sk_buff *msg;
	void *hdr;

	msg = evpn_event_start(key->link, type, &hdr, &nest);
	if (!msg)
		return;
	if (nla_put_u32(msg, EVPN_EVENT_A_KEY_ID, key->tx_id) ||
	    nla_put_u32(msg, EVPN_EVENT_A_SLOT, key->slot)) {
		nlmsg_free(msg);
		return;
	}
	evpn_event_send(key->link, msg, hdr, nest);
}

void evpn_event_endpoint(struct evpn_link *link, const struct evpn_endpoint *ep)
{
	struct nlattr *nest;
	struct sk_buff *msg;
	void *hdr;

	msg = evpn_event_start(link, EVPN_EVENT_ENDPOINT_CHANGED, &hdr, &nest);
	if (!msg)
		return;
	if (evpn_put_addr(msg, EVPN_EVENT_A_REMOTE_IPV4, EVPN_EVENT_A_REMOTE_IPV6,
			  EVPN_EVENT_A_REMOTE_PORT, ep->family, ep->v4, &ep->v6,
			  ep->port)) {
		nlmsg_free(msg);
		return;
	}
	evpn_event_send(link, msg, hdr, nest);
}

/* At most one per link per second: a dead route fails every packet. */
void evpn_event_unreachable(struct evpn_link *link, int err)
{
	unsigned long last = READ_ONCE(link->unreach_ts);
	struct nlattr *nest;
	struct sk_buff *msg;
	void *hdr;

	if (last && time_before(jiffies, last + HZ))
		return;
	if (cmpxchg(&link->unreach_ts, last, jiffies ? jiffies : 1) != last)
		return;
	msg = evpn_event_start(link, EVPN_EVENT_PEER_UNREACHABLE, &hdr, &nest);
	if (!msg)
		return;
	if (nla_put_u32(msg, EVPN_EVENT_A_ERRNO, -err)) {
		nlmsg_free(msg);
		return;
	}
	evpn_event_send(link, msg, hdr, nest);
}

/* EVPN_CMD_EVENT is kernel -> user only; unlisted numbers get -EOPNOTSUPP. */
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
	{
		.cmd	= EVPN_CMD_LINK_NEW,
		.doit	= evpn_nl_link_new,
		.policy	= evpn_link_op_policy,
		.maxattr = ARRAY_SIZE(evpn_link_op_policy) - 1,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= EVPN_CMD_LINK_SET,
		.doit	= evpn_nl_link_set,
		.policy	= evpn_link_op_policy,
		.maxattr = ARRAY_SIZE(evpn_link_op_policy) - 1,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= EVPN_CMD_LINK_DEL,
		.doit	= evpn_nl_link_del,
		.policy	= evpn_link_op_policy,
		.maxattr = ARRAY_SIZE(evpn_link_op_policy) - 1,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= EVPN_CMD_LINK_GET,
		.doit	= evpn_nl_link_get_doit,
		.dumpit	= evpn_nl_link_dumpit,
		.policy	= evpn_link_op_policy,
		.maxattr = ARRAY_SIZE(evpn_link_op_policy) - 1,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= EVPN_CMD_KEY_NEW,
		.doit	= evpn_nl_key_new,
		.policy	= evpn_key_op_policy,
		.maxattr = ARRAY_SIZE(evpn_key_op_policy) - 1,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= EVPN_CMD_KEY_SWAP,
		.doit	= evpn_nl_key_swap_del,
		.policy	= evpn_key_op_policy,
		.maxattr = ARRAY_SIZE(evpn_key_op_policy) - 1,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= EVPN_CMD_KEY_DEL,
		.doit	= evpn_nl_key_swap_del,
		.policy	= evpn_key_op_policy,
		.maxattr = ARRAY_SIZE(evpn_key_op_policy) - 1,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= EVPN_CMD_FDB_GET,
		.dumpit	= evpn_nl_fdb_dumpit,
		.policy	= evpn_fdb_op_policy,
		.maxattr = ARRAY_SIZE(evpn_fdb_op_policy) - 1,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= EVPN_CMD_FDB_ADD,
		.doit	= evpn_nl_fdb_add,
		.policy	= evpn_fdb_op_policy,
		.maxattr = ARRAY_SIZE(evpn_fdb_op_policy) - 1,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= EVPN_CMD_FDB_DEL,
		.doit	= evpn_nl_fdb_del,
		.policy	= evpn_fdb_op_policy,
		.maxattr = ARRAY_SIZE(evpn_fdb_op_policy) - 1,
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
	.mcgrps		= evpn_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(evpn_mcgrps),
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
