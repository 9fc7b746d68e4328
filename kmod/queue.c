// SPDX-License-Identifier: GPL-2.0
/*
 * Transmit queueing: seal on every CPU, send in order per link.
 *
 * Sealing (segmentation of GSO frames, checksums, AEAD) is most of the
 * transmit cost. Done inline in ndo_start_xmit, a single TCP stream gets
 * exactly one CPU for its own TCP work and all of that. So, as WireGuard
 * does, evpn_xmit() only decides the link and queues the frame twice:
 *
 * - on the link's ring (struct evpn_txq_link), in order, with its record
 *   counters reserved there and then (one per segment), so records leave
 *   in the order TCP handed them over and their counters increase;
 * - on the device's ring (struct evpn_txq_dev), from which per-cpu
 *   workers, kicked round robin over the online CPUs, take frames and seal
 *   them in parallel. Only GSO frames (many records: TCP bulk data) go
 *   there; a frame that is one record is sealed by the sending CPU at
 *   once (cheaper than a worker wakeup, and no latency added to a ping).
 *
 * Then the link's serial transmit step (evpn_txq_drain) sends frames from
 * the head of the link's ring as long as the head is sealed (or dead), so
 * a frame sealed early waits for its predecessors. It runs on one CPU per
 * link (struct evpn_txq_link.cpu, spread over the CPUs by link): inline
 * when the sealer is on that CPU, else in the link's work item there. One
 * CPU because the underlay continues on the sending CPU (a veth or
 * loopback peer receives in that CPU's backlog; NICs hash a flow to one
 * queue anyway): records sent from two CPUs would reach the peer
 * interleaved, and TCP takes reordering for loss.
 *
 * Locking:
 * - link ring: producer_lock serialises counter reservation + produce
 *   (so ring order = counter order); consumer_lock is the transmit step's
 *   lock, only ever try-locked. A caller that fails the trylock has set
 *   EVPN_TXQ_AGAIN before trying, and the holder re-checks it after
 *   unlocking (full barriers on both sides), so a sealed head is never
 *   left behind.
 * - device ring: ptr_ring's own locks (many producers, many consumers).
 * - a frame's state (PENDING -> SEALED or DEAD) is written once, with
 *   release, by its sealer; the transmit step reads it with acquire.
 * All of it runs with BH disabled under RCU (xmit, or a worker's
 * local_bh_disable()).
 *
 * Keys: a queued frame holds no key pointer, only the generation of the
 * key its counters came from. If the current key has changed by the time
 * the frame is sealed (swap, replacement), counters are reserved again
 * from the new key -- a nonce is never used twice under one key.
 *
 * Lifetime: every queued frame is on its link's ring until sent or freed,
 * and the device ring holds only frames that are also on a link ring. A
 * frame holds a reference to its link from enqueue until the transmit
 * step has sent or freed it, and a queued link work item holds one until
 * it has run; a link (and through it the device, link.c) therefore
 * outlives its queue without anyone waiting for it. The last reference
 * may drop inside the transmit step, which then still touches the link:
 * that is safe because the step runs under RCU and links are freed after a
 * grace period. The device's workers are cancelled when the device is
 * freed (after its links); the workqueue goes with the module.
 *
 * Bounded: EVPN_TXQ_LINK_LEN frames per link, EVPN_TXQ_DEV_LEN per device;
 * a full queue is a drop counted as NOMEM. Nothing is allocated per frame.
 */
#include <linux/moduleparam.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>

#include "link.h"
#include "queue.h"
#include "tx.h"

#ifdef CONFIG_EVPN_DEBUG
static bool tx_spread = true;
module_param(tx_spread, bool, 0644);
MODULE_PARM_DESC(tx_spread, "seal transmitted GSO frames on all CPUs, sent in order per link (default on; tests)");

static bool evpn_tx_spread(void)
{
	return READ_ONCE(tx_spread);
}
#else
static bool evpn_tx_spread(void)
{
	return true;
}
#endif

#define EVPN_TXQ_AGAIN		0
#define EVPN_TXQ_BUDGET		16

enum evpn_tx_state {
	EVPN_TX_PENDING,
	EVPN_TX_SEALED,
	EVPN_TX_DEAD,
};

/*
 * What a queued frame carries (skb->cb, 48 bytes) until it is sent. GSO
 * segmentation uses the last 16 bytes (SKB_GSO_CB), so what must survive
 * it -- above all @state, which the transmit step reads concurrently --
 * sits in the first 32; @dst is copied out before segmenting.
 */
struct evpn_tx_cb {
	struct evpn_link	*link;
	struct sk_buff		*segs;		/* sealed records, in order */
	u64			counter;	/* first reserved counter */
	u32			key_gen;	/* key the counters are from */
	u16			n;		/* counters reserved */
	u8			state;		/* enum evpn_tx_state */
	struct evpn_id		dst;		/* clobbered by segmentation */
};

static struct evpn_tx_cb *evpn_tx_cb(struct sk_buff *skb)
{
	BUILD_BUG_ON(sizeof(struct evpn_tx_cb) > sizeof(skb->cb));
	BUILD_BUG_ON(offsetof(struct evpn_tx_cb, dst) > SKB_GSO_CB_OFFSET);
	return (struct evpn_tx_cb *)skb->cb;
}

static struct workqueue_struct *evpn_tx_wq;

bool evpn_txq_enabled(void)
{
	return evpn_tx_spread() && num_online_cpus() > 1;
}

/* Send or free the head frame @skb of @link's ring (transmit step), and
 * drop the frame's link reference. */
static void evpn_txq_send(struct evpn_link *link, struct sk_buff *skb)
{
	struct evpn_tx_cb *cb = evpn_tx_cb(skb);
	struct sk_buff *segs = cb->segs, *next;

	if (cb->state == EVPN_TX_DEAD) {
		kfree_skb(skb);
		goto out;
	}
	/* A GSO frame's segments replace it; a plain frame is its own
	 * record (or NULL if it could not be sealed). */
	if (segs != skb)
		consume_skb(skb);
	skb_list_walk_safe(segs, skb, next) {
		skb_mark_not_on_list(skb);
		evpn_sock_send(link, skb);
	}
out:
	evpn_link_put(link);
}

/* Send the sealed (or dead) frames at the head of the link's ring. */
static void evpn_txq_send_ready(struct evpn_link *link)
{
	struct ptr_ring *r = &link->txq.ring;
	struct sk_buff *skb;

	lockdep_assert_held(&r->consumer_lock);
	while ((skb = __ptr_ring_peek(r)) &&
	       smp_load_acquire(&evpn_tx_cb(skb)->state) != EVPN_TX_PENDING) {
		__ptr_ring_discard_one(r);
		evpn_txq_send(link, skb);
	}
}

/* The link's serial transmit step: send sealed frames from the head. */
static void evpn_txq_drain(struct evpn_link *link)
{
	struct ptr_ring *r = &link->txq.ring;

	set_bit(EVPN_TXQ_AGAIN, &link->txq.again);
	smp_mb__after_atomic();
	while (spin_trylock(&r->consumer_lock)) {
		clear_bit(EVPN_TXQ_AGAIN, &link->txq.again);
		smp_mb__after_atomic();
		evpn_txq_send_ready(link);
		spin_unlock(&r->consumer_lock);
		smp_mb();
		if (!test_bit(EVPN_TXQ_AGAIN, &link->txq.again))
			break;
	}
}

/*
 * Run the transmit step on the link's CPU: here, or in its work item,
 * which holds a link reference while queued. No reference to be had: the
 * link's frames are all gone, nothing to send.
 */
static void evpn_txq_kick(struct evpn_link *link)
{
	int cpu = READ_ONCE(link->txq.cpu);

	if (cpu == smp_processor_id() || !cpu_online(cpu))
		evpn_txq_drain(link);
	else if (evpn_link_get(link) &&
		 !queue_work_on(cpu, evpn_tx_wq, &link->txq.work))
		evpn_link_put(link);	/* already queued, with its own */
}

static void evpn_txq_link_work(struct work_struct *work)
{
	struct evpn_link *link = container_of(work, struct evpn_link, txq.work);

	local_bh_disable();
	rcu_read_lock();
	evpn_txq_drain(link);
	rcu_read_unlock();
	local_bh_enable();
	evpn_link_put(link);
}

static void evpn_txq_mark(struct sk_buff *skb, enum evpn_tx_state state)
{
	smp_store_release(&evpn_tx_cb(skb)->state, state);
}

/* Segment (GSO) or finish (checksum) the frame: a list of linear frames. */
static struct sk_buff *evpn_txq_segment(struct evpn_link *link, struct sk_buff *skb)
{
	struct sk_buff *segs;

	if (!skb_is_gso(skb)) {
		if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb))
			return NULL;
		return skb;
	}
	/* Without SG or checksum features: linear segments whose checksums
	 * were computed during the copy, ready to be sealed in place. */
	segs = skb_gso_segment(skb, 0);
	return IS_ERR(segs) ? NULL : segs;
}

/* Seal one queued frame (a worker, BH disabled, RCU). */
static void evpn_txq_seal(struct evpn_link *link, struct sk_buff *skb)
{
	struct evpn_key *key = rcu_dereference_bh(link->slot[EVPN_KEY_SLOT_CURRENT]);
	struct evpn_tx_cb *cb = evpn_tx_cb(skb);
	struct sk_buff *segs, *seg, *next, **tail = &cb->segs;
	struct evpn_id self, dst = cb->dst;
	u64 counter;
	int i = 0;

	if (unlikely(!key)) {
		evpn_link_drop(link, EVPN_DROP_NO_LINK);
		evpn_txq_mark(skb, EVPN_TX_DEAD);
		return;
	}
	segs = evpn_txq_segment(link, skb);
	if (unlikely(!segs)) {
		evpn_link_drop(link, EVPN_DROP_NOMEM);
		evpn_txq_mark(skb, EVPN_TX_DEAD);
		return;
	}
	/* The key changed since the counters were reserved: take new ones
	 * from the key that seals. */
	if (unlikely(key->gen != cb->key_gen))
		cb->counter = atomic64_fetch_add(cb->n, &key->tx_counter);
	counter = cb->counter;
	evpn_dev_get_id(link->edev, &self);
	skb_list_walk_safe(segs, seg, next) {
		u8 type = 0;

		skb_mark_not_on_list(seg);
		if (unlikely(i >= cb->n))	/* more segments than reserved */
			evpn_link_drop(link, EVPN_DROP_TX_ERROR);
		else	/* sealed end to end first if relayed (e2e.c) */
			type = evpn_tx_e2e(link, seg, &self, &dst);
		if (type && evpn_seal(link, key, seg, counter + i++, type,
				      EVPN_TTL_DEFAULT, &self, &dst)) {
			*tail = seg;
			tail = &seg->next;
			continue;
		}
		/* Not sealed: a segment goes now; the frame itself (not
		 * GSO) stays on the ring until the transmit step frees it. */
		if (seg != skb)
			kfree_skb(seg);
	}
	*tail = NULL;
	evpn_txq_mark(skb, EVPN_TX_SEALED);
}

static void evpn_txq_work(struct work_struct *work)
{
	struct evpn_txq_worker *w = container_of(work, struct evpn_txq_worker, work);
	struct ptr_ring *ring = &w->edev->txq.ring;
	struct evpn_link *link;
	struct sk_buff *skb;
	int n = 0;

	for (;;) {
		local_bh_disable();
		rcu_read_lock();
		skb = ptr_ring_consume(ring);
		if (skb) {
			/* The frame is still on the link's ring: the link
			 * cannot be freed before the drain below is done. */
			link = evpn_tx_cb(skb)->link;
			evpn_txq_seal(link, skb);
			evpn_txq_kick(link);
		}
		rcu_read_unlock();
		local_bh_enable();
		if (!skb)
			return;
		if (++n % EVPN_TXQ_BUDGET == 0)
			cond_resched();
	}
}

static int evpn_txq_next_cpu(struct evpn_txq_dev *q)
{
	int cpu = cpumask_next(READ_ONCE(q->last_cpu), cpu_online_mask);

	if (cpu >= nr_cpu_ids)
		cpu = cpumask_first(cpu_online_mask);
	WRITE_ONCE(q->last_cpu, cpu);
	return cpu;
}

void evpn_txq_enqueue(struct evpn_link *link, struct sk_buff *skb,
		      const struct evpn_id *dst)
{
	struct evpn_key *key = rcu_dereference_bh(link->slot[EVPN_KEY_SLOT_CURRENT]);
	struct evpn_txq_dev *dq = &link->edev->txq;
	struct ptr_ring *r = &link->txq.ring;
	struct evpn_tx_cb *cb = evpn_tx_cb(skb);
	int ret, cpu;

	if (unlikely(!key || !evpn_link_get(link))) {
		evpn_link_drop(link, EVPN_DROP_NO_LINK);
		kfree_skb(skb);
		return;
	}
	cb->link = link;		/* the reference evpn_txq_send() drops */
	cb->segs = skb;
	cb->dst = *dst;
	cb->key_gen = key->gen;
	/* An upper bound of the segment count (skb->len counts the headers). */
	cb->n = skb_is_gso(skb) ?
		min_t(unsigned int, U16_MAX,
		      DIV_ROUND_UP(skb->len, skb_shinfo(skb)->gso_size)) : 1;
	cb->state = EVPN_TX_PENDING;
	spin_lock(&r->producer_lock);
	cb->counter = atomic64_fetch_add(cb->n, &key->tx_counter);
	ret = __ptr_ring_produce(r, skb);
	spin_unlock(&r->producer_lock);
	if (unlikely(ret)) {
		evpn_link_drop(link, EVPN_DROP_NOMEM);
		kfree_skb(skb);
		evpn_link_put(link);
		return;
	}
	/* From here the link's transmit step owns the frame. A frame that
	 * is one record (a ping, an ACK) is sealed right here: handing it to
	 * a worker would cost more than the sealing and add a wakeup to the
	 * round trip. It still goes through the ring, so order holds. */
	if (!skb_is_gso(skb)) {
		evpn_txq_seal(link, skb);
		evpn_txq_kick(link);
		return;
	}
	if (unlikely(ptr_ring_produce(&dq->ring, skb))) {
		evpn_link_drop(link, EVPN_DROP_NOMEM);
		evpn_txq_mark(skb, EVPN_TX_DEAD);
		evpn_txq_kick(link);
		return;
	}
	cpu = evpn_txq_next_cpu(dq);
	queue_work_on(cpu, evpn_tx_wq, &per_cpu_ptr(dq->workers, cpu)->work);
}

int evpn_txq_dev_init(struct evpn_dev *edev)
{
	struct evpn_txq_dev *q = &edev->txq;
	int cpu;

	q->workers = alloc_percpu(struct evpn_txq_worker);
	if (!q->workers)
		return -ENOMEM;
	if (ptr_ring_init(&q->ring, EVPN_TXQ_DEV_LEN, GFP_KERNEL)) {
		free_percpu(q->workers);
		q->workers = NULL;
		return -ENOMEM;
	}
	for_each_possible_cpu(cpu) {
		struct evpn_txq_worker *w = per_cpu_ptr(q->workers, cpu);

		INIT_WORK(&w->work, evpn_txq_work);
		w->edev = edev;
	}
	q->last_cpu = -1;
	return 0;
}

/* The device is being freed (its last reference is gone): its links and
 * their frames are gone, so the ring is empty and stays empty. */
void evpn_txq_dev_uninit(struct evpn_dev *edev)
{
	struct evpn_txq_dev *q = &edev->txq;
	int cpu;

	if (!q->workers)
		return;
	for_each_possible_cpu(cpu)
		cancel_work_sync(&per_cpu_ptr(q->workers, cpu)->work);
	WARN_ON(!__ptr_ring_empty(&q->ring));
	ptr_ring_cleanup(&q->ring, NULL);
	free_percpu(q->workers);
	q->workers = NULL;
}

int evpn_txq_link_init(struct evpn_link *link)
{
	static atomic_t next = ATOMIC_INIT(0);

	INIT_WORK(&link->txq.work, evpn_txq_link_work);
	link->txq.cpu = cpumask_local_spread(atomic_inc_return(&next), NUMA_NO_NODE);
	return ptr_ring_init(&link->txq.ring, EVPN_TXQ_LINK_LEN, GFP_KERNEL);
}

static void evpn_txq_free_skb(void *skb)
{
	kfree_skb(skb);
}

/* The link is being freed: its frames held references, so none is left. */
void evpn_txq_link_uninit(struct evpn_link *link)
{
	WARN_ON_ONCE(!__ptr_ring_empty(&link->txq.ring));
	ptr_ring_cleanup(&link->txq.ring, evpn_txq_free_skb);
}

int evpn_tx_wq_init(void)
{
	evpn_tx_wq = alloc_workqueue("evpn_tx", WQ_CPU_INTENSIVE | WQ_MEM_RECLAIM, 0);
	return evpn_tx_wq ? 0 : -ENOMEM;
}

void evpn_tx_wq_uninit(void)
{
	destroy_workqueue(evpn_tx_wq);
}
