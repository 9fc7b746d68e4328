// SPDX-License-Identifier: GPL-2.0
/*
 * Receive, in the order docs/protocol.md section 11 prescribes: decode and
 * validate the header (core/wire.c), find the receive key by key ID (RCU
 * hash), check its limits, pre-check the counter, open the record in place,
 * then accept the counter (under the key's lock, after authentication, so
 * forgeries cannot move the window), check TTL and loops, learn the source
 * MAC, and deliver (GRO cells) and/or forward (seal again for the next
 * link, TTL - 1) or relay a flood.
 *
 * Runs in softirq from the UDP encap hook, under RCU.
 */
#include <linux/etherdevice.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/jiffies.h>
#include <linux/moduleparam.h>
#include <linux/udp.h>
#include <linux/workqueue.h>
#include <net/gro_cells.h>

#include "crypto.h"
#include "e2e.h"
#include "fwd.h"
#include "kfdb.h"
#include "kfrag.h"
#include "kmcast.h"
#include "kturn.h"
#include "link.h"
#include "netlink.h"
#include "rx.h"
#include "tx.h"

void evpn_rx_deliver(struct evpn_dev *edev, struct sk_buff *skb, bool xnet)
{
	struct net_device *dev = edev->dev;
	unsigned int len;

	evpn_mss_clamp_skb(skb, true);
	skb_scrub_packet(skb, xnet);
	skb->protocol = eth_type_trans(skb, dev);
	skb_reset_network_header(skb);
	/* The AEAD authenticated the whole frame end to end of this hop, and
	 * the sender computed its checksums (the device offers no offload). */
	skb->ip_summed = CHECKSUM_UNNECESSARY;
	skb->csum_level = ~0;
	len = skb->len + ETH_HLEN;
	if (likely(gro_cells_receive(&edev->gro_cells, skb) == NET_RX_SUCCESS))
		dev_sw_netstats_rx_add(dev, len);
	else
		dev_core_stats_rx_dropped_inc(dev);
}

/* The record's outer source, to notice a peer that moved (NAT rebinding). */
static void evpn_rx_source(struct sk_buff *skb, struct evpn_endpoint *ep)
{
	memset(ep, 0, sizeof(*ep));
	ep->port = udp_hdr(skb)->source;
	if (ip_hdr(skb)->version == 4) {
		ep->family = AF_INET;
		ep->v4 = ip_hdr(skb)->saddr;
	} else {
		ep->family = AF_INET6;
		ep->v6 = ipv6_hdr(skb)->saddr;
		/* An IPv6 socket may receive IPv4-mapped traffic on the v4 path;
		 * it is handled above. */
	}
}

static bool evpn_ep_equal(const struct evpn_endpoint *a, const struct evpn_endpoint *b)
{
	if (a->family != b->family || a->port != b->port)
		return false;
	return a->family == AF_INET ? a->v4 == b->v4 : ipv6_addr_equal(&a->v6, &b->v6);
}

/* An authenticated record came from somewhere else: send there from now
 * on (like WireGuard's roaming) and tell the daemon. */
static void evpn_rx_roam(struct evpn_link *link, const struct evpn_endpoint *src,
			 u16 turn)
{
	const struct evpn_endpoint *cur = rcu_dereference(link->ep);
	struct evpn_endpoint *ep;

	if (unlikely(turn || cur->turn.family)) {	/* relayed: no roaming */
		evpn_turn_learn(link, cur, turn);
		return;
	}
	if (likely(evpn_ep_equal(cur, src)))
		return;
	if (src->family == AF_INET6 && link->esock->sock->sk->sk_family != AF_INET6)
		return;
	ep = kmemdup(src, sizeof(*src), GFP_ATOMIC);
	if (!ep)
		return;
	evpn_link_set_endpoint(link, ep);
	evpn_event_endpoint(link, ep);
}

static bool evpn_key_rx_ok(struct evpn_key *key)
{
	u64 n = atomic64_read(&key->rx_packets);
	u64 age = get_jiffies_64() - key->installed;

	if (key->is_static)
		return true;
	return n < evpn_key_reject_packets() &&
	       age < (u64)EVPN_REJECT_AFTER_SECONDS * HZ;
}

static int evpn_nbr_index(const struct evpn_nbrs *nb, const struct evpn_link *link)
{
	int i;

	for (i = 0; nb && i < nb->n; i++)
		if (nb->links[i] == link)
			return i;
	return -1;
}

/* Unicast not for us: on to the neighbour closest to the destination. */
static void evpn_rx_forward(struct evpn_link *link, struct sk_buff *skb,
			    const struct evpn_hdr *h, const struct evpn_id *self)
{
	struct evpn_nbrs *nb = rcu_dereference(link->edev->nbrs);
	int idx;

	idx = nb ? evpn_nbrs_next_hop(nb, self, &h->dst) : -1;
	if (idx < 0) {
		evpn_link_drop(link, EVPN_DROP_NOT_FOR_US);
		goto drop;
	}
	if (nb->links[idx] == link) {
		evpn_link_drop(link, EVPN_DROP_LOOP);
		goto drop;
	}
	if (h->ttl <= 1) {
		evpn_link_drop(link, EVPN_DROP_TTL);
		goto drop;
	}
	evpn_count_fwd(link->edev, 1);
	evpn_seal_send(nb->links[idx], skb, h->type, h->ttl - 1, &h->src,
		       &h->dst);
	return;
drop:
	kfree_skb(skb);
}

static void evpn_rx_drop(struct evpn_dev *edev, struct evpn_link *link,
			 struct sk_buff *skb, enum evpn_drop_reason reason)
{
	if (link)
		evpn_link_drop(link, reason);
	else
		evpn_count_drop(edev, reason);
	dev_core_stats_rx_dropped_inc(edev->dev);
	kfree_skb(skb);
}

/*
 * An end-to-end record (0xE3), its hop layer opened (skb->data is the e2e
 * payload): carried on unopened if it is for another node (transit), else
 * opened with the pair key of its origin (e2e.c), which proves that
 * origin, and only then learned from and delivered.
 */
static void evpn_rx_e2e(struct evpn_link *link, struct sk_buff *skb,
			const struct evpn_hdr *h, const struct evpn_id *self,
			bool xnet)
{
	struct evpn_dev *edev = link->edev;
	enum evpn_drop_reason r;

	if (!evpn_id_eq(&h->dst, self)) {
		evpn_rx_forward(link, skb, h, self);
		return;
	}
	r = evpn_e2e_open(edev, &h->src, &h->dst, skb);
	if (unlikely(r != EVPN_DROP_NONE)) {
		evpn_rx_drop(edev, link, skb, r);
		return;
	}
	evpn_kfdb_learn(edev, eth_hdr(skb)->h_source, &h->src, true);
	evpn_rx_deliver(edev, skb, xnet);
}

/* Counter check or accept under the key's lock. */
static bool evpn_rx_replay(struct evpn_key *key, u64 counter, bool accept)
{
	bool ok;

	spin_lock(&key->replay_lock);
	ok = accept ? evpn_replay_accept(&key->replay, counter) :
		      evpn_replay_check(&key->replay, counter);
	spin_unlock(&key->replay_lock);
	return ok;
}

/* What a queued record carries over to the CPU that opens it (its outer
 * headers stay in the headroom: the source is read there). */
struct evpn_rx_cb {
	bool			xnet;
	u16			turn;
};

static struct evpn_rx_cb *evpn_rx_cb(struct sk_buff *skb)
{
	BUILD_BUG_ON(sizeof(struct evpn_rx_cb) > sizeof(skb->cb));
	return (struct evpn_rx_cb *)skb->cb;
}

static void evpn_rx_open(struct evpn_dev *edev, struct sk_buff *skb);

/*
 * Receive spreading. Opening a record (AEAD) is most of the receive cost,
 * and on the CPU that received the datagram it competes with everything
 * else there -- with veth or loopback underlays, with the sender's own
 * encryption. So records are queued to the next online CPU and opened by
 * a per-cpu worker there, in arrival order per CPU (the replay window
 * tolerates the little reordering a sender migrating between CPUs causes),
 * as WireGuard spreads its decryption. With one CPU (or, in debug builds,
 * the module parameter rx_spread off) they are opened inline. Queues are bounded; overflow is counted as NOMEM.
 */
#define EVPN_RXQ_MAX		4096
#define EVPN_RXQ_BUDGET		64

static struct workqueue_struct *evpn_rx_wq;

#ifdef CONFIG_EVPN_DEBUG
static bool rx_spread = true;
module_param(rx_spread, bool, 0644);
MODULE_PARM_DESC(rx_spread, "open received records on the next CPU (default on; tests)");

static bool evpn_rx_spread(void)
{
	return READ_ONCE(rx_spread);
}
#else
static bool evpn_rx_spread(void)
{
	return true;
}
#endif

#ifdef CONFIG_EVPN_DEBUG
/* How many records were queued to another CPU (tests/vm/test_kdp_junk.sh
 * checks that junk never is). */
static atomic_long_t rx_queued;

static int rx_queued_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%ld\n", atomic_long_read(&rx_queued));
}

static const struct kernel_param_ops rx_queued_ops = { .get = rx_queued_get };
module_param_cb(rx_queued, &rx_queued_ops, NULL, 0444);
MODULE_PARM_DESC(rx_queued, "records queued for opening so far (read-only; tests)");

static void evpn_rx_count_queued(void)
{
	atomic_long_inc(&rx_queued);
}
#else
static void evpn_rx_count_queued(void)
{
}
#endif

/*
 * Before a record costs a queue slot and a worker wakeup: its header must
 * decode and name a key of this device (WireGuard looks up the receiver
 * index first). Junk from anyone on the underlay is dropped here, counted,
 * at the cost of a hash lookup (security review L2). The key may still go
 * away before the record is opened: evpn_rx_open() looks it up again.
 */
static bool evpn_rx_admit(struct evpn_dev *edev, struct sk_buff *skb)
{
	enum evpn_drop_reason r = EVPN_DROP_TRUNCATED;
	struct evpn_hdr h;

	if (pskb_may_pull(skb, EVPN_HDR_LEN))
		r = evpn_hdr_decode(&h, skb->data, skb->len);
	if (r == EVPN_DROP_NONE && !evpn_key_lookup(edev, h.key_id))
		r = EVPN_DROP_UNKNOWN_KEY;
	if (likely(r == EVPN_DROP_NONE))
		return true;
	evpn_rx_drop(edev, NULL, skb, r);
	return false;
}

void evpn_rx(struct evpn_sock *esock, struct sk_buff *skb, u16 turn)
{
	struct evpn_dev *edev = esock->edev;
	struct evpn_rx_cb *cb;
	struct evpn_rxq *q;
	int cpu;

	cb = evpn_rx_cb(skb);
	cb->xnet = !net_eq(sock_net(esock->sock->sk), dev_net(edev->dev));
	cb->turn = turn;
	__skb_pull(skb, sizeof(struct udphdr));
	if (!evpn_rx_admit(edev, skb))
		return;
	cpu = cpumask_next(smp_processor_id(), cpu_online_mask);
	if (cpu >= nr_cpu_ids)
		cpu = cpumask_first(cpu_online_mask);
	if (!evpn_rx_spread() || cpu == smp_processor_id() || !edev->rxq) {
		evpn_rx_open(edev, skb);
		return;
	}
	q = per_cpu_ptr(edev->rxq, cpu);
	if (unlikely(skb_queue_len(&q->queue) >= EVPN_RXQ_MAX)) {
		evpn_count_drop(edev, EVPN_DROP_NOMEM);
		dev_core_stats_rx_dropped_inc(edev->dev);
		kfree_skb(skb);
		return;
	}
	/* Nothing of the underlay may be needed later: it can go away while
	 * the record waits (the device cannot: ndo_uninit flushes the queues,
	 * after unregistering waited out this receive hook). */
	skb_dst_drop(skb);
	skb->dev = edev->dev;
	evpn_rx_count_queued();
	skb_queue_tail(&q->queue, skb);
	queue_work_on(cpu, evpn_rx_wq, &q->work);
}

static void evpn_rxq_work(struct work_struct *work)
{
	struct evpn_rxq *q = container_of(work, struct evpn_rxq, work);
	struct sk_buff *skb;
	int n = 0;

	while ((skb = skb_dequeue(&q->queue))) {
		local_bh_disable();
		rcu_read_lock();
		evpn_rx_open(q->edev, skb);
		rcu_read_unlock();
		local_bh_enable();
		if (++n % EVPN_RXQ_BUDGET == 0)
			cond_resched();
	}
}

int evpn_rxq_init(struct evpn_dev *edev)
{
	int cpu;

	edev->rxq = alloc_percpu(struct evpn_rxq);
	if (!edev->rxq)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		struct evpn_rxq *q = per_cpu_ptr(edev->rxq, cpu);

		skb_queue_head_init(&q->queue);
		INIT_WORK(&q->work, evpn_rxq_work);
		q->edev = edev;
	}
	return 0;
}

static void evpn_rxq_flush(struct evpn_dev *edev)
{
	int cpu;

	if (!edev->rxq)
		return;
	for_each_possible_cpu(cpu) {
		struct evpn_rxq *q = per_cpu_ptr(edev->rxq, cpu);

		cancel_work_sync(&q->work);
		skb_queue_purge(&q->queue);
	}
}

void evpn_rxq_uninit(struct evpn_dev *edev)
{
	evpn_rxq_flush(edev);
	free_percpu(edev->rxq);
	edev->rxq = NULL;
}

int evpn_rx_wq_init(void)
{
	evpn_rx_wq = alloc_workqueue("evpn_rx", WQ_CPU_INTENSIVE | WQ_MEM_RECLAIM, 0);
	return evpn_rx_wq ? 0 : -ENOMEM;
}

void evpn_rx_wq_uninit(void)
{
	destroy_workqueue(evpn_rx_wq);
}

/*
 * A fragment record (0xE4/0xE5), opened: forwarded or relayed as it came
 * (only the destination reassembles), and reassembled if it is ours.
 */
static void evpn_rx_frag(struct evpn_dev *edev, struct evpn_link *link,
			 struct sk_buff *skb, const struct evpn_hdr *h,
			 const struct evpn_id *self, bool xnet)
{
	struct evpn_nbrs *nb;

	if (h->type == EVPN_TYPE_UNICAST_FRAG) {
		if (evpn_id_eq(&h->dst, self))
			evpn_frag_rx(edev, link, skb, h, xnet);
		else
			evpn_rx_forward(link, skb, h, self);
		return;
	}
	nb = rcu_dereference(edev->nbrs);
	if (h->ttl > 1 && !evpn_id_eq(&h->dst, self))
		evpn_count_fwd(edev, evpn_flood(edev, nb, skb, self, &h->src,
						&h->dst, evpn_nbr_index(nb, link),
						h->ttl - 1, true, h->type));
	evpn_frag_rx(edev, link, skb, h, xnet);
}

static void evpn_rx_open(struct evpn_dev *edev, struct sk_buff *skb)
{
	struct evpn_endpoint src;
	bool xnet = evpn_rx_cb(skb)->xnet;
	u16 turn = evpn_rx_cb(skb)->turn;
	enum evpn_drop_reason r;
	struct evpn_link *link;
	struct evpn_key *key;
	struct evpn_nbrs *nb;
	struct evpn_id self;
	struct evpn_hdr h;

	if (unlikely(skb_linearize(skb) || skb_ensure_writable(skb, skb->len))) {
		evpn_rx_drop(edev, NULL, skb, EVPN_DROP_NOMEM);
		return;
	}
	r = evpn_hdr_decode(&h, skb->data, skb->len);
	if (unlikely(r != EVPN_DROP_NONE)) {
		evpn_rx_drop(edev, NULL, skb, r);
		return;
	}
	key = evpn_key_lookup(edev, h.key_id);
	if (unlikely(!key)) {
		evpn_rx_drop(edev, NULL, skb, EVPN_DROP_UNKNOWN_KEY);
		return;
	}
	link = key->link;
	if (unlikely(!evpn_key_rx_ok(key))) {
		if (!test_and_set_bit(EVPN_KEY_EV_HARD, &key->events))
			evpn_event_key(key, EVPN_EVENT_KEY_HARD_LIMIT);
		evpn_rx_drop(edev, link, skb, EVPN_DROP_KEY_EXPIRED);
		return;
	}
	if (unlikely(!evpn_rx_replay(key, h.counter, false))) {
		evpn_rx_drop(edev, link, skb, EVPN_DROP_REPLAY);
		return;
	}
	if (unlikely(evpn_aead_crypt(&key->rx_aead, false, key->rx_iv, h.counter,
				     skb->data, skb->len))) {
		evpn_rx_drop(edev, link, skb, EVPN_DROP_AUTH);
		return;
	}
	if (unlikely(!evpn_rx_replay(key, h.counter, true))) {
		evpn_rx_drop(edev, link, skb, EVPN_DROP_REPLAY);
		return;
	}
	if (atomic64_inc_return(&key->rx_packets) == evpn_key_rekey_packets() &&
	    !key->is_static &&
	    !test_and_set_bit(EVPN_KEY_EV_SOFT, &key->events))
		evpn_event_key(key, EVPN_EVENT_KEY_SOFT_LIMIT);
	if (unlikely(!h.ttl)) {
		evpn_rx_drop(edev, link, skb, EVPN_DROP_TTL);
		return;
	}
	evpn_dev_get_id(edev, &self);
	if (unlikely(evpn_id_eq(&h.src, &self))) {
		evpn_rx_drop(edev, link, skb, EVPN_DROP_LOOP);
		return;
	}
	/* floods, their fragments and announcements fan out: limited per link */
	if ((h.type == EVPN_TYPE_FLOOD || h.type == EVPN_TYPE_FLOOD_FRAG ||
	     h.type == EVPN_TYPE_MCAST_ANN) &&
	    unlikely(!evpn_link_flood_admit(link))) {
		evpn_rx_drop(edev, link, skb, EVPN_DROP_FLOOD_RATE);
		return;
	}
	evpn_rx_source(skb, &src);
	evpn_rx_roam(link, &src, turn);

	/* The record is now the plain frame: drop header and tag. */
	__skb_trim(skb, skb->len - EVPN_TAG_LEN);
	__skb_pull(skb, EVPN_HDR_LEN);
	skb_reset_mac_header(skb);
	evpn_link_count(link, true, skb->len);
	if (unlikely(h.type == EVPN_TYPE_E2E)) {
		evpn_rx_e2e(link, skb, &h, &self, xnet);
		return;
	}
	/* A one-hop unicast speaks for its link's peer only: the link key
	 * proves nothing else, and relayed unicast is 0xE3 (protocol 14.3). */
	if (unlikely(h.type == EVPN_TYPE_UNICAST &&
		     !evpn_id_eq(&h.src, &link->peer))) {
		evpn_rx_drop(edev, link, skb, EVPN_DROP_BAD_SRC);
		return;
	}
	/* Fragments: forwarded or relayed unopened, reassembled if ours
	 * (kmod/frag.c; its origin is judged on the whole payload there) */
	if (unlikely(h.type == EVPN_TYPE_UNICAST_FRAG ||
		     h.type == EVPN_TYPE_FLOOD_FRAG)) {
		evpn_rx_frag(edev, link, skb, &h, &self, xnet);
		return;
	}
	nb = rcu_dereference(edev->nbrs);
	if (h.type == EVPN_TYPE_MCAST_ANN) {
		/* a membership announcement: learn it, relay it, no frame */
		evpn_kmc_rx_announce(edev, link, &h.src, skb);
		if (h.ttl > 1 && !evpn_id_eq(&h.dst, &self))
			evpn_count_fwd(edev, evpn_flood(edev, nb, skb, &self,
							&h.src, &h.dst,
							evpn_nbr_index(nb, link),
							h.ttl - 1, false, h.type));
		else
			consume_skb(skb);
		return;
	}
	/* Only the link's own peer is proven by the link key; a flood
	 * others relayed is learned tentatively (docs/protocol.md 14.3). */
	evpn_kfdb_learn(edev, eth_hdr(skb)->h_source, &h.src,
			evpn_id_eq(&h.src, &link->peer));

	if (h.type == EVPN_TYPE_UNICAST) {
		if (evpn_id_eq(&h.dst, &self))
			evpn_rx_deliver(edev, skb, xnet);
		else
			evpn_rx_forward(link, skb, &h, &self);
		return;
	}
	/* Flood: relay our slice (unless the TTL or a non-conforming interval
	 * end says stop), then deliver. */
	if (h.ttl > 1 && !evpn_id_eq(&h.dst, &self))
		evpn_count_fwd(edev, evpn_flood(edev, nb, skb, &self, &h.src, &h.dst,
						evpn_nbr_index(nb, link), h.ttl - 1,
						true, EVPN_TYPE_FLOOD));
	/* a multicast frame relayed on only for others stays off the device */
	if (is_multicast_ether_addr(eth_hdr(skb)->h_dest) &&
	    !evpn_kmc_local_wants(edev, skb)) {
		consume_skb(skb);
		return;
	}
	evpn_rx_deliver(edev, skb, xnet);
}
