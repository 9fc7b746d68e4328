// SPDX-License-Identifier: GPL-2.0
/*
 * IGMP/MLD snooping and the pruned multicast flood (docs/protocol.md
 * "Multicast"): the same core table, parsing and pruning evpnd's TAP
 * datapath uses (core/mcast.c, core/mcsnoop.c), here in kvmalloc'd storage.
 *
 * Locking: one spinlock (BH-safe) guards the table and the state below.
 * The datapath takes it for multicast frames only (snooping on transmit,
 * pruning a flood, deciding local delivery); everything else -- aging, the
 * querier, announcements -- runs in a delayed work item once a second. Net
 * effect on unicast: none. Records are sent and queries injected outside
 * the lock.
 */
#include <linux/etherdevice.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>

#include "kfdb.h"
#include "kmcast.h"
#include "link.h"
#include "mcsnoop.h"
#include "netlink.h"
#include "netlink-gen.h"
#include "tx.h"

#define EVPN_KMC_LEFT_MAX	8	/* group queries pending per tick */

struct evpn_kmc {
	spinlock_t		lock;
	struct evpn_mc		t;
	void			*mem;
	struct evpn_dev		*edev;
	struct delayed_work	work;
	u64			next_announce, next_query, last_answer;
	int			startup_queries;
	bool			solicited, had_nbrs;
	int			nleft;
	u8			left[EVPN_KMC_LEFT_MAX][EVPN_MC_ADDR_LEN];
	bool			left_v6[EVPN_KMC_LEFT_MAX];
	u64			announce_tx, announce_rx, pruned, queries_tx;
};

/* ---- datapath ---------------------------------------------------------- */

void evpn_kmc_snoop(struct evpn_dev *edev, struct sk_buff *skb)
{
	struct evpn_kmc *kmc = edev->mc;
	u8 left[EVPN_MC_ADDR_LEN];
	int r;

	spin_lock_bh(&kmc->lock);
	r = evpn_mc_snoop(&kmc->t, skb->data, skb_headlen(skb),
			  evpn_kfdb_now(), left);
	if ((r & EVPN_MC_SNOOP_LEFT) && kmc->nleft < EVPN_KMC_LEFT_MAX) {
		memcpy(kmc->left[kmc->nleft], left, EVPN_MC_ADDR_LEN);
		kmc->left_v6[kmc->nleft++] = r & EVPN_MC_SNOOP_V6;
	}
	spin_unlock_bh(&kmc->lock);
	/* announce a join (query a leave) now, not at the next tick */
	if (r)
		mod_delayed_work(system_wq, &kmc->work, 0);
}

int evpn_kmc_prune(struct evpn_dev *edev, const struct sk_buff *skb,
		   const struct evpn_nbrs *nb, struct evpn_flood_hop *hops,
		   int n)
{
	struct evpn_kmc *kmc = edev->mc;
	u8 group[EVPN_MC_ADDR_LEN];
	const u8 *g = group;
	int k;

	switch (evpn_mc_classify(skb->data, skb_headlen(skb), group)) {
	case EVPN_MC_DATA:
		break;
	case EVPN_MC_CTRL:
		g = NULL;	/* reports go to router nodes only */
		break;
	default:
		return n;
	}
	spin_lock_bh(&kmc->lock);
	k = evpn_mc_prune(&kmc->t, g, nb->ids, hops, n, evpn_kfdb_now());
	kmc->pruned += n - k;
	spin_unlock_bh(&kmc->lock);
	return k;
}

bool evpn_kmc_local_wants(struct evpn_dev *edev, const struct sk_buff *skb)
{
	struct evpn_kmc *kmc = edev->mc;
	u8 group[EVPN_MC_ADDR_LEN];
	const u8 *g = group;
	bool ret;

	switch (evpn_mc_classify(skb->data, skb_headlen(skb), group)) {
	case EVPN_MC_DATA:
		break;
	case EVPN_MC_CTRL:
		g = NULL;
		break;
	default:
		return true;
	}
	spin_lock_bh(&kmc->lock);
	ret = evpn_mc_local_wants(&kmc->t, g, evpn_kfdb_now());
	spin_unlock_bh(&kmc->lock);
	return ret;
}

void evpn_kmc_rx_announce(struct evpn_dev *edev, struct evpn_link *link,
			  const struct evpn_id *src, const struct sk_buff *skb)
{
	struct evpn_kmc *kmc = edev->mc;
	int flags;

	spin_lock_bh(&kmc->lock);
	flags = evpn_mc_announce_apply(&kmc->t, src, skb->data, skb->len,
				       evpn_kfdb_now());
	if (flags >= 0) {
		kmc->announce_rx++;
		if (flags & EVPN_MC_ANN_F_SOLICIT)
			kmc->solicited = true;
	}
	spin_unlock_bh(&kmc->lock);
	if (flags < 0)
		evpn_link_drop(link, EVPN_DROP_BAD_HEADER);
}

/* ---- the work item: queries and announcements -------------------------- */

/* A query from the local querier, handed to the stack as if received. */
static void evpn_kmc_query(struct evpn_kmc *kmc, const u8 *group, bool v6)
{
	struct net_device *dev = kmc->edev->dev;
	struct sk_buff *skb;
	size_t len;

	skb = netdev_alloc_skb_ip_align(dev, EVPN_MC_QUERY_MAX_LEN);
	if (!skb)
		return;
	len = evpn_mc_query_build(skb->data, group, v6);
	skb_put(skb, len);
	skb->protocol = eth_type_trans(skb, dev);
	netif_rx(skb);
	kmc->queries_tx++;	/* only the work item writes it */
}

/* Flood one announcement record with payload @buf. */
static void evpn_kmc_send(struct evpn_kmc *kmc, const u8 *buf, size_t len)
{
	struct evpn_dev *edev = kmc->edev;
	struct evpn_nbrs *nb;
	struct sk_buff *skb;
	struct evpn_id self;

	skb = alloc_skb(EVPN_TX_HEADROOM + len + EVPN_TX_TAILROOM, GFP_KERNEL);
	if (!skb) {
		evpn_count_drop(edev, EVPN_DROP_NOMEM);
		return;
	}
	skb_reserve(skb, EVPN_TX_HEADROOM);
	skb_put_data(skb, buf, len);
	evpn_dev_get_id(edev, &self);
	rcu_read_lock_bh();
	nb = rcu_dereference_bh(edev->nbrs);
	evpn_flood(edev, nb, skb, &self, &self, &self, -1, EVPN_TTL_DEFAULT,
		   false, EVPN_TYPE_MCAST_ANN);
	rcu_read_unlock_bh();
}

static void evpn_kmc_announce(struct evpn_kmc *kmc, u8 flags, u64 now)
{
	u32 cursor = 0;
	size_t len;
	u8 *buf;

	buf = kmalloc(EVPN_MC_ANN_MAX_LEN, GFP_KERNEL);
	if (!buf)
		return;
	for (;;) {
		spin_lock_bh(&kmc->lock);
		len = evpn_mc_announce_build(&kmc->t, buf, flags, &cursor, now);
		if (len)
			kmc->announce_tx++;
		kmc->next_announce = now + EVPN_MC_ANNOUNCE;
		spin_unlock_bh(&kmc->lock);
		if (!len)
			break;
		evpn_kmc_send(kmc, buf, len);
		flags = 0;
	}
	kfree(buf);
}

static bool evpn_kmc_have_nbrs(struct evpn_dev *edev)
{
	struct evpn_nbrs *nb;
	bool ret;

	rcu_read_lock_bh();
	nb = rcu_dereference_bh(edev->nbrs);
	ret = nb && nb->n;
	rcu_read_unlock_bh();
	return ret;
}

/* Under the lock: what this tick must announce (-1: nothing). */
static int evpn_kmc_due(struct evpn_kmc *kmc, bool nbrs, u64 now)
{
	if (!nbrs)
		return -1;
	if (!kmc->had_nbrs) {
		/* first neighbour: ask the others for their memberships */
		kmc->had_nbrs = true;
		return EVPN_MC_ANN_F_SOLICIT;
	}
	if (kmc->solicited && now >= kmc->last_answer + EVPN_MC_SOLICIT_GAP) {
		kmc->solicited = false;
		kmc->last_answer = now;
		return 0;
	}
	/* a change: at once, then EVPN_MC_REPEAT more ticks (core/mcast.h) */
	return evpn_mc_change_pending(&kmc->t) || now >= kmc->next_announce ?
	       0 : -1;
}

static void evpn_kmc_work(struct work_struct *work)
{
	struct evpn_kmc *kmc = container_of(to_delayed_work(work),
					    struct evpn_kmc, work);
	u8 left[EVPN_KMC_LEFT_MAX][EVPN_MC_ADDR_LEN];
	bool left_v6[EVPN_KMC_LEFT_MAX], query = false;
	bool nbrs = evpn_kmc_have_nbrs(kmc->edev);
	u64 now = evpn_kfdb_now();
	int i, nleft, due;

	spin_lock_bh(&kmc->lock);
	evpn_mc_expire(&kmc->t, now);
	nleft = kmc->nleft;
	memcpy(left, kmc->left, sizeof(left));
	memcpy(left_v6, kmc->left_v6, sizeof(left_v6));
	kmc->nleft = 0;
	if (now >= kmc->next_query) {
		query = true;
		/* startup: twice more at a quarter interval (RFC 3376 8.6) */
		kmc->next_query = now + (kmc->startup_queries-- > 0 ?
			EVPN_MC_QUERY_INTERVAL / 4 : EVPN_MC_QUERY_INTERVAL);
	}
	due = evpn_kmc_due(kmc, nbrs, now);
	spin_unlock_bh(&kmc->lock);

	for (i = 0; i < nleft; i++)
		evpn_kmc_query(kmc, left[i], left_v6[i]);
	if (query && netif_running(kmc->edev->dev)) {
		evpn_kmc_query(kmc, NULL, false);
		evpn_kmc_query(kmc, NULL, true);
	}
	if (due >= 0)
		evpn_kmc_announce(kmc, due, now);
	schedule_delayed_work(&kmc->work, HZ);
}

int evpn_kmc_init(struct evpn_dev *edev)
{
	struct evpn_kmc *kmc;

	kmc = kzalloc(sizeof(*kmc), GFP_KERNEL);
	if (!kmc)
		return -ENOMEM;
	kmc->mem = kvmalloc(evpn_mc_storage_size(EVPN_MC_GROUPS_DEFAULT,
						 EVPN_MC_MEMBERS_DEFAULT),
			    GFP_KERNEL);
	if (!kmc->mem ||
	    evpn_mc_init(&kmc->t, kmc->mem, EVPN_MC_GROUPS_DEFAULT,
			 EVPN_MC_MEMBERS_DEFAULT, get_random_u64())) {
		kvfree(kmc->mem);
		kfree(kmc);
		return -ENOMEM;
	}
	spin_lock_init(&kmc->lock);
	kmc->edev = edev;
	kmc->startup_queries = 2;
	kmc->next_query = evpn_kfdb_now() + 1;
	INIT_DELAYED_WORK(&kmc->work, evpn_kmc_work);
	edev->mc = kmc;
	schedule_delayed_work(&kmc->work, HZ);
	return 0;
}

void evpn_kmc_uninit(struct evpn_dev *edev)
{
	struct evpn_kmc *kmc = edev->mc;

	if (!kmc)
		return;
	cancel_delayed_work_sync(&kmc->work);
	edev->mc = NULL;
	kvfree(kmc->mem);
	kfree(kmc);
}

/* ---- netlink: mcast-get ------------------------------------------------- */

static int evpn_kmc_fill_stats(struct sk_buff *skb, struct evpn_kmc *kmc)
{
	struct nlattr *nest = nla_nest_start(skb, EVPN_A_MCAST_STATS);
	u32 v32[4];
	u64 v64[6];

	if (!nest)
		return -EMSGSIZE;
	spin_lock_bh(&kmc->lock);
	v32[0] = kmc->t.ngroups;
	v32[1] = kmc->t.nmembers;
	v32[2] = kmc->t.max_groups;
	v32[3] = kmc->t.max_members;
	v64[0] = kmc->t.refused_full;
	v64[1] = kmc->t.refused_quota;
	v64[2] = kmc->announce_tx;
	v64[3] = kmc->announce_rx;
	v64[4] = kmc->pruned;
	v64[5] = kmc->queries_tx;
	spin_unlock_bh(&kmc->lock);
	if (nla_put_u32(skb, EVPN_MCAST_STATS_A_GROUPS, v32[0]) ||
	    nla_put_u32(skb, EVPN_MCAST_STATS_A_MEMBERS, v32[1]) ||
	    nla_put_u32(skb, EVPN_MCAST_STATS_A_GROUPS_MAX, v32[2]) ||
	    nla_put_u32(skb, EVPN_MCAST_STATS_A_MEMBERS_MAX, v32[3]) ||
	    nla_put_u64_64bit(skb, EVPN_MCAST_STATS_A_REFUSED_FULL, v64[0],
			      EVPN_MCAST_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, EVPN_MCAST_STATS_A_REFUSED_QUOTA, v64[1],
			      EVPN_MCAST_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, EVPN_MCAST_STATS_A_ANNOUNCE_TX, v64[2],
			      EVPN_MCAST_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, EVPN_MCAST_STATS_A_ANNOUNCE_RX, v64[3],
			      EVPN_MCAST_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, EVPN_MCAST_STATS_A_PRUNED, v64[4],
			      EVPN_MCAST_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, EVPN_MCAST_STATS_A_QUERIES_TX, v64[5],
			      EVPN_MCAST_STATS_A_PAD)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int evpn_kmc_fill_entry(struct sk_buff *skb,
			       const struct evpn_mc_view *v)
{
	struct nlattr *nest = nla_nest_start(skb, EVPN_A_MCAST);
	u8 node[EVPN_NODE_ID_LEN];

	if (!nest)
		return -EMSGSIZE;
	evpn_id_to_bytes(&v->node, node);
	if (nla_put(skb, EVPN_MCAST_A_GROUP, EVPN_MC_ADDR_LEN, v->addr) ||
	    (v->local ? nla_put_flag(skb, EVPN_MCAST_A_LOCAL) :
			nla_put(skb, EVPN_MCAST_A_NODE_ID, sizeof(node), node)) ||
	    nla_put_u32(skb, EVPN_MCAST_A_EXPIRES, v->expires_in)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* One dump message: the stats (@v NULL) or an entry. */
static int evpn_kmc_fill(struct sk_buff *skb, struct evpn_dev *edev,
			 const struct evpn_mc_view *v,
			 struct netlink_callback *cb)
{
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &evpn_nl_family, NLM_F_MULTI, EVPN_CMD_MCAST_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, EVPN_A_IFINDEX, edev->dev->ifindex) ||
	    (v ? evpn_kmc_fill_entry(skb, v) : evpn_kmc_fill_stats(skb, edev->mc))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/*
 * cb->args[0]: 0 until the stats message is out; cb->args[1]: the table
 * position (evpn_mc_next) to resume from. Entries are copied out under the
 * lock in small batches, then put in the message without it.
 */
int evpn_nl_mcast_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct evpn_mc_view batch[16];
	u64 pos = cb->args[1], at[ARRAY_SIZE(batch)];
	struct evpn_dev *edev;
	struct evpn_kmc *kmc;
	int i, n, ret = 0;

	rtnl_lock();
	edev = evpn_nl_dump_dev(skb, cb);
	if (IS_ERR(edev)) {
		rtnl_unlock();
		return PTR_ERR(edev);
	}
	kmc = edev->mc;
	if (!cb->args[0]) {
		ret = evpn_kmc_fill(skb, edev, NULL, cb);
		if (ret)
			goto out;
		cb->args[0] = 1;
	}
	do {
		u64 next = pos, now = evpn_kfdb_now();

		n = 0;
		spin_lock_bh(&kmc->lock);
		while (n < ARRAY_SIZE(batch) &&
		       evpn_mc_next(&kmc->t, &next, now, &batch[n]))
			at[n++] = next;
		spin_unlock_bh(&kmc->lock);
		for (i = 0; i < n; i++) {
			ret = evpn_kmc_fill(skb, edev, &batch[i], cb);
			if (ret)
				goto out;
			pos = at[i];
		}
	} while (n == ARRAY_SIZE(batch));
out:
	rtnl_unlock();
	cb->args[1] = pos;
	if (ret && !skb->len)
		return ret;
	return skb->len;
}
