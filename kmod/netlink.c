// SPDX-License-Identifier: GPL-2.0
/*
 * The "evpn" generic netlink family: how evpnd and evpnctl read and
 * configure evpn devices. The ABI is netlink/specs/evpn.yaml; the uapi
 * header, the policies, the ops table and the family (netlink-gen.[ch]) are
 * generated from it, so this file holds only the handlers
 * (docs/netlink.md).
 *
 * Every operation needs CAP_NET_ADMIN in the user namespace owning the
 * device's network namespace (GENL_UNS_ADMIN_PERM), sees only devices in
 * the caller's network namespace, and every rejection carries an extack
 * message. Handlers run in parallel (parallel_ops): every doit gets RTNL,
 * which protects device configuration (kmod/device.h), and its device from
 * evpn_nl_pre_doit() and gives RTNL back in evpn_nl_post_doit(); dumps take
 * RTNL themselves.
 */
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include <linux/etherdevice.h>
#include <linux/jiffies.h>
#include <linux/random.h>
#include <linux/slab.h>

#include "device.h"
#include "e2e.h"
#include "kfdb.h"
#include "link.h"
#include "netlink.h"
#include "netlink-gen.h"

/*
 * Is the required attribute @pfx##@name missing from nest @nest (in @tb)?
 * If so the extack names it: NL_SET_ERR_MSG keeps a pointer to a static
 * copy of its literal, so the message is built here, not passed around.
 */
#define EVPN_NL_MISSING(info, nest, tb, pfx, name) ({			\
	bool __miss = !(tb)[pfx##name];					\
									\
	if (__miss) {							\
		NL_SET_ERR_MSG_ATTR((info)->extack, nest,		\
				    "evpn: " #name " required");	\
		NL_SET_ERR_ATTR_MISS((info)->extack, nest, pfx##name);	\
	}								\
	__miss;								\
})

/*
 * Parse the required nest @attr of a request into @tb, up to @max, with
 * the generated @policy (strict: attributes above @max are refused).
 */
#define EVPN_NL_NEST(info, attr, max, policy, tb) ({			\
	int __ret = -EINVAL;						\
									\
	if (!(info)->attrs[attr]) {					\
		NL_SET_ERR_MSG((info)->extack, "evpn: " #attr " required"); \
		NL_SET_ERR_ATTR_MISS((info)->extack, NULL, attr);	\
	} else {							\
		__ret = nla_parse_nested(tb, max, (info)->attrs[attr],	\
					 policy, (info)->extack);	\
	}								\
	__ret;								\
})

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

/*
 * Before every doit (the family's pre_doit: Linux 6.1 has one per family,
 * not per op): take RTNL and find the device the request names; the doit
 * finds it in info->user_ptr[0]. On failure RTNL is released here and
 * post_doit is not called.
 */
int evpn_nl_pre_doit(const struct genl_ops *ops, struct sk_buff *skb,
		     struct genl_info *info)
{
	struct evpn_dev *edev;

	rtnl_lock();
	edev = evpn_dev_lookup(genl_info_net(info), info->attrs, info->extack);
	if (IS_ERR(edev)) {
		rtnl_unlock();
		return PTR_ERR(edev);
	}
	info->user_ptr[0] = edev;
	return 0;
}

void evpn_nl_post_doit(const struct genl_ops *ops, struct sk_buff *skb,
		       struct genl_info *info)
{
	rtnl_unlock();
}

/* The device of a dump request (RTNL held by the caller). */
struct evpn_dev *evpn_nl_dump_dev(struct sk_buff *skb,
					 struct netlink_callback *cb)
{
	const struct genl_dumpit_info *di = genl_dumpit_info(cb);

	return evpn_dev_lookup(sock_net(skb->sk), di->attrs, cb->extack);
}

static int evpn_put_drop_nest(struct sk_buff *skb, int type, const u64 *drops)
{
	struct nlattr *nest;
	int r;

	nest = nla_nest_start(skb, type);
	if (!nest)
		return -EMSGSIZE;
	for (r = EVPN_DROP_NONE + 1; r <= EVPN_DROP_MAX; r++) {
		if (nla_put_u64_64bit(skb, r + 1, drops[r], EVPN_DROPS_A_PAD)) {
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
	u64 full, quota;

	ASSERT_RTNL();
	dev_fetch_sw_netstats(&st, dev->tstats);
	evpn_id_to_bytes(&edev->node_id, id);
	evpn_kfdb_refused(edev, &full, &quota);

	if (nla_put_u32(skb, EVPN_A_IFINDEX, dev->ifindex) ||
	    nla_put_string(skb, EVPN_A_IFNAME, dev->name) ||
	    nla_put(skb, EVPN_A_NODE_ID, sizeof(id), id) ||
	    nla_put_u32(skb, EVPN_A_MTU, dev->mtu) ||
	    nla_put_u64_64bit(skb, EVPN_A_RX_PACKETS, st.rx_packets, EVPN_A_PAD) ||
	    nla_put_u64_64bit(skb, EVPN_A_RX_BYTES, st.rx_bytes, EVPN_A_PAD) ||
	    nla_put_u64_64bit(skb, EVPN_A_TX_PACKETS, st.tx_packets, EVPN_A_PAD) ||
	    nla_put_u64_64bit(skb, EVPN_A_TX_BYTES, st.tx_bytes, EVPN_A_PAD) ||
	    nla_put_u64_64bit(skb, EVPN_A_FWD_PACKETS, evpn_dev_read_fwd(edev),
			      EVPN_A_PAD) ||
	    nla_put_u64_64bit(skb, EVPN_A_FDB_REFUSED_FULL, full, EVPN_A_PAD) ||
	    nla_put_u64_64bit(skb, EVPN_A_FDB_REFUSED_QUOTA, quota, EVPN_A_PAD))
		return -EMSGSIZE;
	return evpn_put_drops(skb, edev);
}

static int evpn_fill_dev(struct sk_buff *skb, struct evpn_dev *edev, u32 portid,
			 u32 seq, int flags, struct netlink_callback *cb)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &evpn_nl_family, flags,
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

int evpn_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct evpn_dev *edev = info->user_ptr[0];
	struct sk_buff *msg;
	int ret;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	ret = evpn_fill_dev(msg, edev, info->snd_portid, info->snd_seq, 0, NULL);
	if (ret) {
		NL_SET_ERR_MSG(info->extack, "evpn: reply does not fit");
		nlmsg_free(msg);
		return ret;
	}
	return genlmsg_reply(msg, info);
}

/*
 * Dump every evpn device in the caller's namespace. cb->args[0] is how many
 * netdevices of the namespace list were already walked; the namespace's
 * dev_base_seq is the generation, so a dump spanning a device add/delete
 * is flagged NLM_F_DUMP_INTR and the caller retries.
 */
int evpn_nl_dev_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
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

int evpn_nl_dev_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *aid = info->attrs[EVPN_A_NODE_ID];
	struct evpn_id id;

	if (!aid) {
		NL_SET_ERR_MSG(info->extack,
			       "evpn: nothing to set (EVPN_A_NODE_ID missing)");
		return -EINVAL;
	}
	evpn_id_from_bytes(&id, nla_data(aid));
	evpn_dev_set_id(info->user_ptr[0], &id);
	return 0;
}

/* ---- links ---- */

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

/* A relayed link's peer behind the TURN server (TURN_PEER_*), if any. */
static int evpn_nl_turn_peer(struct genl_info *info, struct nlattr *nest,
			     struct nlattr **tb, struct evpn_endpoint *ep)
{
	struct nlattr *a4 = tb[EVPN_LINK_A_TURN_PEER_IPV4];
	struct nlattr *a6 = tb[EVPN_LINK_A_TURN_PEER_IPV6];

	if (!a4 && !a6 && !tb[EVPN_LINK_A_TURN_PEER_PORT])
		return 0;
	if (!a4 == !a6) {
		NL_SET_ERR_MSG_ATTR(info->extack, nest,
				    "evpn: exactly one of TURN_PEER_IPV4 and TURN_PEER_IPV6 required");
		return -EINVAL;
	}
	if (EVPN_NL_MISSING(info, nest, tb, EVPN_LINK_A_, TURN_PEER_PORT))
		return -EINVAL;
	ep->turn.family = a4 ? 4 : 6;
	ep->turn.port = nla_get_u16(tb[EVPN_LINK_A_TURN_PEER_PORT]);
	nla_memcpy(ep->turn.addr, a4 ?: a6, a4 ? 4 : 16);
	get_random_bytes(ep->turn_txid, sizeof(ep->turn_txid));
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
	if (EVPN_NL_MISSING(info, nest, tb, EVPN_LINK_A_, REMOTE_PORT))
		return ERR_PTR(-EINVAL);
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
	if (evpn_nl_turn_peer(info, nest, tb, ep)) {
		kfree(ep);
		return ERR_PTR(-EINVAL);
	}
	return ep;
bad:
	kfree(ep);
	NL_SET_ERR_MSG_ATTR(info->extack, a4 ? a4 : a6,
			    "evpn: remote address must be a unicast address");
	return ERR_PTR(-EINVAL);
}

int evpn_nl_link_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[EVPN_LINK_A_MAX + 1], *nest = info->attrs[EVPN_A_LINK];
	struct evpn_dev *edev = info->user_ptr[0];
	struct evpn_endpoint *ep;
	struct evpn_id peer;
	int ret;

	ret = EVPN_NL_NEST(info, EVPN_A_LINK, EVPN_LINK_A_MAX,
			   evpn_link_nl_policy, tb);
	if (ret)
		return ret;
	ret = evpn_nl_peer(info, nest, tb[EVPN_LINK_A_PEER_ID], &peer);
	if (ret)
		return ret;
	if (EVPN_NL_MISSING(info, nest, tb, EVPN_LINK_A_, SOCK_FD))
		return -EINVAL;
	if (tb[EVPN_LINK_A_NBRS]) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[EVPN_LINK_A_NBRS],
				    "evpn: NBRS is set with LINK_SET once the link exists");
		return -EINVAL;
	}
	if (evpn_id_eq(&peer, &edev->node_id)) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[EVPN_LINK_A_PEER_ID],
				    "evpn: PEER_ID is this device's own node ID");
		return -EINVAL;
	}
	ep = evpn_nl_endpoint(info, nest, tb);
	if (IS_ERR(ep))
		return PTR_ERR(ep);
	ret = evpn_link_new(edev, &peer, nla_get_u32(tb[EVPN_LINK_A_SOCK_FD]),
			    ep, info->extack);
	if (ret) {
		kfree(ep);
		return ret;
	}
	if (tb[EVPN_LINK_A_RECORD_MAX])
		WRITE_ONCE(evpn_link_find(edev, &peer)->rec_max,
			   nla_get_u32(tb[EVPN_LINK_A_RECORD_MAX]));
	return 0;
}

/* The link to the peer in @apeer on the request's device (RTNL held). */
static struct evpn_link *evpn_nl_link_get(struct genl_info *info,
					  struct nlattr *nest, struct nlattr *apeer)
{
	struct evpn_link *link;
	struct evpn_id peer;
	int ret;

	ret = evpn_nl_peer(info, nest, apeer, &peer);
	if (ret)
		return ERR_PTR(ret);
	link = evpn_link_find(info->user_ptr[0], &peer);
	if (!link) {
		NL_SET_ERR_MSG_ATTR(info->extack, apeer, "evpn: no link to this peer");
		return ERR_PTR(-ENOENT);
	}
	return link;
}

/*
 * EVPN_LINK_A_NBRS: whole node IDs, at most EVPN_MAX_NBR_IDS (the 6.12
 * generator renders no length limit for binary attributes).
 */
static int evpn_nl_nbrs_check(struct genl_info *info, struct nlattr *a)
{
	if (nla_len(a) > EVPN_MAX_NBR_IDS * EVPN_NODE_ID_LEN) {
		NL_SET_ERR_MSG_ATTR(info->extack, a,
				    "evpn: NBRS longer than EVPN_MAX_NBR_IDS (64) node IDs");
		return -ERANGE;
	}
	if (nla_len(a) % EVPN_NODE_ID_LEN) {
		NL_SET_ERR_MSG_ATTR(info->extack, a,
				    "evpn: NBRS length must be a multiple of 16 (node IDs)");
		return -EINVAL;
	}
	return 0;
}

/* LINK_SET's remote endpoint, if it sets one (NULL otherwise). */
static struct evpn_endpoint *evpn_nl_link_set_ep(struct genl_info *info,
						 struct nlattr *nest,
						 struct nlattr **tb)
{
	if ((tb[EVPN_LINK_A_NBRS] || tb[EVPN_LINK_A_RECORD_MAX]) &&
	    !tb[EVPN_LINK_A_REMOTE_IPV4] && !tb[EVPN_LINK_A_REMOTE_IPV6] &&
	    !tb[EVPN_LINK_A_REMOTE_PORT])
		return NULL;
	return evpn_nl_endpoint(info, nest, tb);
}

/*
 * Change a link: its remote endpoint (REMOTE_* + PORT), its peer's link
 * list (NBRS), its record size (RECORD_MAX, from path MTU probing), or
 * several; at least one.
 */
int evpn_nl_link_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[EVPN_LINK_A_MAX + 1], *nest = info->attrs[EVPN_A_LINK];
	struct evpn_endpoint *ep;
	struct evpn_link *link;
	struct nlattr *anb;
	int ret;

	ret = EVPN_NL_NEST(info, EVPN_A_LINK, EVPN_LINK_A_MAX,
			   evpn_link_nl_policy, tb);
	if (ret)
		return ret;
	if (tb[EVPN_LINK_A_SOCK_FD]) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[EVPN_LINK_A_SOCK_FD],
				    "evpn: a link's socket cannot change (delete and re-add it)");
		return -EINVAL;
	}
	anb = tb[EVPN_LINK_A_NBRS];
	if (anb) {
		ret = evpn_nl_nbrs_check(info, anb);
		if (ret)
			return ret;
	}
	ep = evpn_nl_link_set_ep(info, nest, tb);
	if (IS_ERR(ep))
		return PTR_ERR(ep);
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
	if (ep) {
		WRITE_ONCE(link->turn_channel, 0);	/* learnt again */
		evpn_link_set_endpoint(link, ep);
	}
	if (tb[EVPN_LINK_A_RECORD_MAX])
		WRITE_ONCE(link->rec_max, nla_get_u32(tb[EVPN_LINK_A_RECORD_MAX]));
	return 0;
err:
	kfree(ep);
	return ret;
}

int evpn_nl_link_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[EVPN_LINK_A_MAX + 1], *nest = info->attrs[EVPN_A_LINK];
	struct evpn_dev *edev = info->user_ptr[0];
	struct evpn_link *link;
	struct evpn_id peer;
	int ret;

	ret = EVPN_NL_NEST(info, EVPN_A_LINK, EVPN_LINK_A_REMOTE_PORT,
			   evpn_link_nl_policy, tb);
	if (ret)
		return ret;
	link = evpn_nl_link_get(info, nest, tb[EVPN_LINK_A_PEER_ID]);
	if (IS_ERR(link))
		return PTR_ERR(link);
	peer = link->peer;
	evpn_link_del(link);
	evpn_kfdb_flush_node(edev, &peer);
	return 0;
}

int evpn_nl_put_addr(struct sk_buff *skb, int a4, int a6, int aport,
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

static int evpn_put_turn(struct sk_buff *skb, struct evpn_link *link,
			 const struct evpn_endpoint *ep)
{
	if (!ep->turn.family)
		return 0;
	if (nla_put(skb, ep->turn.family == 4 ? EVPN_LINK_A_TURN_PEER_IPV4 :
		    EVPN_LINK_A_TURN_PEER_IPV6, ep->turn.family == 4 ? 4 : 16,
		    ep->turn.addr) ||
	    nla_put_u16(skb, EVPN_LINK_A_TURN_PEER_PORT, ep->turn.port) ||
	    nla_put_u16(skb, EVPN_LINK_A_TURN_CHANNEL,
			READ_ONCE(link->turn_channel)))
		return -EMSGSIZE;
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
	    evpn_nl_put_addr(skb, EVPN_LINK_A_REMOTE_IPV4, EVPN_LINK_A_REMOTE_IPV6,
			     EVPN_LINK_A_REMOTE_PORT, ep->family, ep->v4, &ep->v6,
			     ep->port) ||
	    evpn_nl_put_addr(skb, EVPN_LINK_A_LOCAL_IPV4, EVPN_LINK_A_LOCAL_IPV6,
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
	    evpn_put_nbrs(skb, link) || evpn_put_turn(skb, link, ep) ||
	    nla_put_u32(skb, EVPN_LINK_A_RECORD_MAX, READ_ONCE(link->rec_max)))
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

	hdr = genlmsg_put(skb, portid, seq, &evpn_nl_family, flags,
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

int evpn_nl_link_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[EVPN_LINK_A_MAX + 1], *nest = info->attrs[EVPN_A_LINK];
	struct evpn_link *link;
	struct sk_buff *msg;
	int ret;

	if (!nest) {
		NL_SET_ERR_MSG(info->extack,
			       "evpn: EVPN_A_LINK with PEER_ID required (or dump)");
		return -EINVAL;
	}
	ret = EVPN_NL_NEST(info, EVPN_A_LINK, EVPN_LINK_A_REMOTE_PORT,
			   evpn_link_nl_policy, tb);
	if (ret)
		return ret;
	link = evpn_nl_link_get(info, nest, tb[EVPN_LINK_A_PEER_ID]);
	if (IS_ERR(link))
		return PTR_ERR(link);
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	ret = evpn_fill_link(msg, link, info->snd_portid, info->snd_seq, 0, NULL);
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	return genlmsg_reply(msg, info);
}

/*
 * Dump the links of the device named in the request. cb->args[0]: links
 * already sent. The device's links_gen is the generation: a link added or
 * deleted between two parts flags the dump NLM_F_DUMP_INTR.
 */
int evpn_nl_link_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	long skip = cb->args[0], idx = 0;
	struct evpn_link *link;
	struct evpn_dev *edev;
	int ret = 0;

	rtnl_lock();
	edev = evpn_nl_dump_dev(skb, cb);
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

/* Every attribute KEY_NEW needs (PEER_ID is checked with the link). */
static int evpn_nl_key_new_check(struct genl_info *info, struct nlattr *nest,
				 struct nlattr **tb)
{
	if (EVPN_NL_MISSING(info, nest, tb, EVPN_KEY_A_, SLOT) ||
	    EVPN_NL_MISSING(info, nest, tb, EVPN_KEY_A_, SUITE) ||
	    EVPN_NL_MISSING(info, nest, tb, EVPN_KEY_A_, TX_KEY_ID) ||
	    EVPN_NL_MISSING(info, nest, tb, EVPN_KEY_A_, TX_KEY) ||
	    EVPN_NL_MISSING(info, nest, tb, EVPN_KEY_A_, TX_IV) ||
	    EVPN_NL_MISSING(info, nest, tb, EVPN_KEY_A_, RX_KEY_ID) ||
	    EVPN_NL_MISSING(info, nest, tb, EVPN_KEY_A_, RX_KEY) ||
	    EVPN_NL_MISSING(info, nest, tb, EVPN_KEY_A_, RX_IV))
		return -EINVAL;
	return 0;
}

/* The request skb is ours: leave no key bytes behind in it. */
static void evpn_nl_key_wipe(struct nlattr **tb)
{
	if (tb[EVPN_KEY_A_TX_KEY])
		memzero_explicit(nla_data(tb[EVPN_KEY_A_TX_KEY]), EVPN_KEY_LEN);
	if (tb[EVPN_KEY_A_RX_KEY])
		memzero_explicit(nla_data(tb[EVPN_KEY_A_RX_KEY]), EVPN_KEY_LEN);
}

int evpn_nl_key_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[EVPN_KEY_A_MAX + 1], *nest = info->attrs[EVPN_A_KEY];
	struct evpn_link *link;
	u64 tx_start;
	int ret;

	ret = EVPN_NL_NEST(info, EVPN_A_KEY, EVPN_KEY_A_MAX, evpn_key_nl_policy, tb);
	if (ret)
		return ret;
	ret = evpn_nl_key_new_check(info, nest, tb);
	if (ret)
		goto wipe;
	link = evpn_nl_link_get(info, nest, tb[EVPN_KEY_A_PEER_ID]);
	if (IS_ERR(link)) {
		ret = PTR_ERR(link);
		goto wipe;
	}
	if (tb[EVPN_KEY_A_TX_COUNTER])
		tx_start = nla_get_u64(tb[EVPN_KEY_A_TX_COUNTER]);
	ret = evpn_key_install(link, nla_get_u32(tb[EVPN_KEY_A_SLOT]),
			       nla_get_u32(tb[EVPN_KEY_A_SUITE]),
			       nla_get_u32(tb[EVPN_KEY_A_TX_KEY_ID]),
			       nla_data(tb[EVPN_KEY_A_TX_KEY]),
			       nla_data(tb[EVPN_KEY_A_TX_IV]),
			       nla_get_u32(tb[EVPN_KEY_A_RX_KEY_ID]),
			       nla_data(tb[EVPN_KEY_A_RX_KEY]),
			       nla_data(tb[EVPN_KEY_A_RX_IV]),
			       nla_get_flag(tb[EVPN_KEY_A_STATIC]),
			       tb[EVPN_KEY_A_TX_COUNTER] ? &tx_start : NULL,
			       info->extack);
wipe:
	evpn_nl_key_wipe(tb);
	return ret;
}

/* The link a KEY_SWAP / KEY_DEL request names. */
static struct evpn_link *evpn_nl_key_link(struct genl_info *info,
					  struct nlattr **tb)
{
	int ret;

	ret = EVPN_NL_NEST(info, EVPN_A_KEY, EVPN_KEY_A_MAX, evpn_key_nl_policy, tb);
	if (ret)
		return ERR_PTR(ret);
	return evpn_nl_link_get(info, info->attrs[EVPN_A_KEY], tb[EVPN_KEY_A_PEER_ID]);
}

int evpn_nl_key_swap_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[EVPN_KEY_A_MAX + 1];
	struct evpn_link *link;
	int ret;

	link = evpn_nl_key_link(info, tb);
	if (IS_ERR(link))
		return PTR_ERR(link);
	ret = evpn_key_swap(link);
	if (ret == -ENOENT)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[EVPN_A_KEY],
				    "evpn: no key in the next slot to swap in");
	return ret;
}

int evpn_nl_key_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[EVPN_KEY_A_MAX + 1], *nest = info->attrs[EVPN_A_KEY];
	struct evpn_link *link;
	int ret;

	ret = EVPN_NL_NEST(info, EVPN_A_KEY, EVPN_KEY_A_MAX, evpn_key_nl_policy, tb);
	if (ret)
		return ret;
	if (EVPN_NL_MISSING(info, nest, tb, EVPN_KEY_A_, SLOT))
		return -EINVAL;
	link = evpn_nl_link_get(info, nest, tb[EVPN_KEY_A_PEER_ID]);
	if (IS_ERR(link))
		return PTR_ERR(link);
	ret = evpn_key_del(link, nla_get_u32(tb[EVPN_KEY_A_SLOT]));
	if (ret == -ENOENT)
		NL_SET_ERR_MSG_ATTR(info->extack, nest, "evpn: no key in this slot");
	return ret;
}

/* ---- FDB ---- */

static int evpn_nl_fdb_parse(struct genl_info *info, struct nlattr **tb,
			     bool need_node)
{
	struct nlattr *nest = info->attrs[EVPN_A_FDB];
	int ret;

	ret = EVPN_NL_NEST(info, EVPN_A_FDB, EVPN_FDB_A_NODE_ID,
			   evpn_fdb_nl_policy, tb);
	if (ret)
		return ret;
	if (EVPN_NL_MISSING(info, nest, tb, EVPN_FDB_A_, MAC) ||
	    (need_node && EVPN_NL_MISSING(info, nest, tb, EVPN_FDB_A_, NODE_ID)))
		return -EINVAL;
	if (!is_valid_ether_addr(nla_data(tb[EVPN_FDB_A_MAC]))) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[EVPN_FDB_A_MAC],
				    "evpn: MAC must be a unicast address");
		return -EINVAL;
	}
	return 0;
}

int evpn_nl_fdb_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[EVPN_FDB_A_MAX + 1];
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
	ret = evpn_kfdb_add_static(info->user_ptr[0], nla_data(tb[EVPN_FDB_A_MAC]),
				   &node);
	if (ret)
		NL_SET_ERR_MSG(info->extack, "evpn: FDB full");
	return ret;
}

int evpn_nl_fdb_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[EVPN_FDB_A_MAX + 1];
	int ret;

	ret = evpn_nl_fdb_parse(info, tb, false);
	if (ret)
		return ret;
	if (!evpn_kfdb_del(info->user_ptr[0], nla_data(tb[EVPN_FDB_A_MAC]))) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[EVPN_FDB_A_MAC],
				    "evpn: no FDB entry for this MAC");
		return -ENOENT;
	}
	return 0;
}

static int evpn_fill_fdb(struct sk_buff *skb, struct evpn_dev *edev,
			 const struct evpn_fdb_entry *e, u64 now,
			 struct netlink_callback *cb)
{
	u8 node[EVPN_NODE_ID_LEN];
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &evpn_nl_family, NLM_F_MULTI, EVPN_CMD_FDB_GET);
	if (!hdr)
		return -EMSGSIZE;
	genl_dump_check_consistent(cb, hdr);
	evpn_id_to_bytes(&e->node, node);
	/* The device goes beside the nest, not inside it: inside, its type
	 * (1) would read as EVPN_FDB_A_MAC. */
	if (nla_put_u32(skb, EVPN_A_IFINDEX, edev->dev->ifindex))
		goto cancel;
	nest = nla_nest_start(skb, EVPN_A_FDB);
	if (!nest ||
	    nla_put(skb, EVPN_FDB_A_MAC, ETH_ALEN, e->mac) ||
	    nla_put(skb, EVPN_FDB_A_NODE_ID, sizeof(node), node) ||
	    ((e->flags & EVPN_FDB_F_STATIC) && nla_put_flag(skb, EVPN_FDB_A_STATIC)) ||
	    nla_put_u32(skb, EVPN_FDB_A_AGE, (u32)min_t(u64, now - e->seen, U32_MAX)))
		goto cancel;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;

cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/*
 * FDB dump. cb->args[0]: the slot to resume from. Entries are copied out
 * under the seqlock's write side in small batches (no allocation, no
 * netlink work under the lock); fdb_gen, bumped by every add, move, delete
 * and expiry, is the consistency generation.
 */
int evpn_nl_fdb_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct evpn_fdb_entry batch[16];
	u32 pos = cb->args[0], next;
	const struct evpn_fdb_entry *e;
	struct evpn_dev *edev;
	int i, n, ret = 0;
	u64 now;

	rtnl_lock();
	edev = evpn_nl_dump_dev(skb, cb);
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

/* ---- end-to-end pair keys ---- */

/* Every attribute E2E_SET needs; TX_COUNTER, if given, below the limit. */
static int evpn_nl_e2e_check(struct genl_info *info, struct nlattr *nest,
			     struct nlattr **tb)
{
	if (EVPN_NL_MISSING(info, nest, tb, EVPN_E2E_A_, TX_KEY) ||
	    EVPN_NL_MISSING(info, nest, tb, EVPN_E2E_A_, TX_IV) ||
	    EVPN_NL_MISSING(info, nest, tb, EVPN_E2E_A_, RX_KEY) ||
	    EVPN_NL_MISSING(info, nest, tb, EVPN_E2E_A_, RX_IV))
		return -EINVAL;
	if (tb[EVPN_E2E_A_TX_COUNTER] &&
	    nla_get_u64(tb[EVPN_E2E_A_TX_COUNTER]) >= EVPN_E2E_REJECT_AFTER) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[EVPN_E2E_A_TX_COUNTER],
				    "evpn: TX_COUNTER must be below 2^62 (EVPN_E2E_REJECT_AFTER)");
		return -ERANGE;
	}
	return 0;
}

/* The pair's node: non-zero, not this device's own. */
static int evpn_nl_e2e_peer(struct genl_info *info, struct nlattr *nest,
			    struct nlattr **tb, struct evpn_id *peer)
{
	struct evpn_dev *edev = info->user_ptr[0];
	int ret;

	ret = evpn_nl_peer(info, nest, tb[EVPN_E2E_A_PEER_ID], peer);
	if (ret)
		return ret;
	if (evpn_id_eq(peer, &edev->node_id)) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[EVPN_E2E_A_PEER_ID],
				    "evpn: PEER_ID is this device's own node ID");
		return -EINVAL;
	}
	return 0;
}

/* The request skb is ours: leave no key bytes behind in it. */
static void evpn_nl_e2e_wipe(struct nlattr **tb)
{
	if (tb[EVPN_E2E_A_TX_KEY])
		memzero_explicit(nla_data(tb[EVPN_E2E_A_TX_KEY]), EVPN_KEY_LEN);
	if (tb[EVPN_E2E_A_RX_KEY])
		memzero_explicit(nla_data(tb[EVPN_E2E_A_RX_KEY]), EVPN_KEY_LEN);
}

int evpn_nl_e2e_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[EVPN_E2E_A_MAX + 1], *nest = info->attrs[EVPN_A_E2E];
	struct evpn_id peer;
	int ret;

	ret = EVPN_NL_NEST(info, EVPN_A_E2E, EVPN_E2E_A_MAX, evpn_e2e_nl_policy,
			   tb);
	if (ret)
		return ret;
	ret = evpn_nl_e2e_peer(info, nest, tb, &peer);
	if (!ret)
		ret = evpn_nl_e2e_check(info, nest, tb);
	if (!ret)
		ret = evpn_e2e_set(info->user_ptr[0], &peer,
				   nla_data(tb[EVPN_E2E_A_TX_KEY]),
				   nla_data(tb[EVPN_E2E_A_TX_IV]),
				   nla_data(tb[EVPN_E2E_A_RX_KEY]),
				   nla_data(tb[EVPN_E2E_A_RX_IV]),
				   tb[EVPN_E2E_A_TX_COUNTER] ?
				   nla_get_u64(tb[EVPN_E2E_A_TX_COUNTER]) : 0,
				   info->extack);
	evpn_nl_e2e_wipe(tb);
	return ret;
}

/* One pair key by PEER_ID, or without an e2e nest every one. */
int evpn_nl_e2e_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[EVPN_E2E_A_MAX + 1], *nest = info->attrs[EVPN_A_E2E];
	struct evpn_id peer;
	int ret;

	if (!nest) {
		evpn_e2e_del_all(info->user_ptr[0]);
		return 0;
	}
	ret = EVPN_NL_NEST(info, EVPN_A_E2E, EVPN_E2E_A_MAX, evpn_e2e_nl_policy,
			   tb);
	if (!ret)
		ret = evpn_nl_e2e_peer(info, nest, tb, &peer);
	if (ret)
		goto wipe;
	ret = evpn_e2e_del(info->user_ptr[0], &peer);
	if (ret == -ENOENT)
		NL_SET_ERR_MSG_ATTR(info->extack, tb[EVPN_E2E_A_PEER_ID],
				    "evpn: no pair key with this node");
wipe:
	evpn_nl_e2e_wipe(tb);	/* keys have no business here, but still */
	return ret;
}

int __init evpn_genl_init(void)
{
	return genl_register_family(&evpn_nl_family);
}

void evpn_genl_uninit(void)
{
	genl_unregister_family(&evpn_nl_family);
}
