// SPDX-License-Identifier: GPL-2.0
/*
 * Links and their key slots.
 *
 * Writers hold RTNL (kmod/device.h). The datapath finds links two ways,
 * both under RCU: through the neighbour set (transmit, forwarding) and
 * through the receive key hash (key ID -> key -> link).
 *
 * Lifetimes (as WireGuard's peers and keypairs, ovpn's peers and key
 * slots): nothing on the configuration path waits for a grace period, so
 * RTNL is never held across one.
 *
 * - A key is referenced by its slot only (struct evpn_key.refcount): the
 *   datapath uses it inside an RCU read-side section and keeps nothing
 *   past it (queued frames remember the key's generation, not the key).
 *   Replacing or deleting a key unpublishes it from the hash and the slot
 *   and drops the slot's reference; the last reference queues the free
 *   behind a grace period (queue_rcu_work), in process context because
 *   freeing a crypto transform may sleep (the crypto API's instance
 *   teardown takes a semaphore).
 * - A link is referenced by its device (from LINK_NEW to LINK_DEL or
 *   device teardown), by each frame on its transmit ring and by its
 *   pending transmit work item (queue.c). Deletion unpublishes it (list,
 *   key hash, neighbour set), drops the socket's user count (detaching the
 *   hook if it was the last user) and the device's reference, and returns.
 *   The last reference frees it after a grace period (call_rcu), so every
 *   RCU reader that found it -- through the neighbour set or a key -- is
 *   done with it. The link holds a reference to its net_device (records it
 *   still sends count there) and one to its socket's memory.
 * - Key material: the transforms carry the key schedules and are wiped by
 *   the crypto API when freed; the IVs and the key struct are wiped here
 *   (kfree_sensitive). Key bytes received from netlink are never stored
 *   outside the transforms.
 */
#include <linux/jiffies.h>
#include <linux/hash.h>
#include <linux/moduleparam.h>
#include <linux/rculist.h>
#include <linux/slab.h>

#include "crypto.h"
#include "fwd.h"
#include "link.h"

struct evpn_link *evpn_link_find(struct evpn_dev *edev, const struct evpn_id *peer)
{
	struct evpn_link *link;

	ASSERT_RTNL();
	list_for_each_entry(link, &edev->links, node)
		if (evpn_id_eq(&link->peer, peer))
			return link;
	return NULL;
}

static struct hlist_head *evpn_key_bucket(struct evpn_dev *edev, u32 rx_id)
{
	return &edev->keys[hash_32(rx_id, EVPN_KEY_HASH_BITS)];
}

struct evpn_key *evpn_key_lookup(struct evpn_dev *edev, u32 rx_id)
{
	struct evpn_key *key;

	hlist_for_each_entry_rcu(key, evpn_key_bucket(edev, rx_id), hnode)
		if (key->rx_id == rx_id)
			return key;
	return NULL;
}

static struct evpn_key *evpn_key_find_rtnl(struct evpn_dev *edev, u32 rx_id)
{
	struct evpn_key *key;

	ASSERT_RTNL();
	hlist_for_each_entry(key, evpn_key_bucket(edev, rx_id), hnode)
		if (key->rx_id == rx_id)
			return key;
	return NULL;
}

static bool evpn_link_is_nbr(struct evpn_link *link)
{
	return rtnl_dereference(link->slot[EVPN_KEY_SLOT_CURRENT]);
}

void evpn_nbrs_update(struct evpn_dev *edev)
{
	struct evpn_nbrs *nb, *old;
	struct evpn_link *link;
	int total = 0, off = 0;

	ASSERT_RTNL();
	list_for_each_entry(link, &edev->links, node)
		if (evpn_link_is_nbr(link))
			total += link->n_nbr_ids;
	/* up to 64 lists of 64 IDs: 64 KiB, so kvzalloc */
	nb = kvzalloc(struct_size(nb, nn, total), GFP_KERNEL);
	if (!nb) {
		/* Keep the old set: stale but safe (a link in it is only
		 * freed after evpn_link_del() installed a set without it,
		 * see the fallback there). */
		return;
	}
	list_for_each_entry(link, &edev->links, node) {
		if (!evpn_link_is_nbr(link))
			continue;
		nb->ids[nb->n] = link->peer;
		nb->links[nb->n] = link;
		nb->nn_len[nb->n] = link->n_nbr_ids;
		memcpy(nb->nn + off, link->nbr_ids,
		       link->n_nbr_ids * sizeof(*link->nbr_ids));
		off += link->n_nbr_ids;
		nb->n++;
	}
	old = rtnl_dereference(edev->nbrs);
	rcu_assign_pointer(edev->nbrs, nb);
	if (old)
		kvfree_rcu(old, rcu);
}

/* @ids: @n node IDs in wire order (validated by netlink.c). */
int evpn_link_set_nbrs(struct evpn_link *link, const u8 *ids, int n)
{
	struct evpn_id *nn = NULL, *old;
	int i;

	ASSERT_RTNL();
	if (n) {
		nn = kmalloc_array(n, sizeof(*nn), GFP_KERNEL);
		if (!nn)
			return -ENOMEM;
		for (i = 0; i < n; i++)
			evpn_id_from_bytes(&nn[i], ids + i * EVPN_NODE_ID_LEN);
	}
	old = link->nbr_ids;
	link->nbr_ids = nn;
	link->n_nbr_ids = n;
	/* the datapath reads only the published copy: @old is unused now */
	kfree(old);
	if (evpn_link_is_nbr(link))
		evpn_nbrs_update(link->edev);
	return 0;
}

/*
 * The packet limits of a (non-static) key, docs/protocol.md section 6, and
 * the age at which it asks for a rekey. Debug builds (CONFIG_EVPN_DEBUG,
 * `make kmod-debug`) make them module parameters so that tests can reach
 * them without 2^24 records or two minutes of waiting; they can
 * lower the limits, never raise them above the protocol's
 * (evpn_key_rekey_packets() and evpn_key_reject_packets() clamp).
 */
#ifdef CONFIG_EVPN_DEBUG
static unsigned long rekey_after_packets = EVPN_REKEY_AFTER_PACKETS;
module_param(rekey_after_packets, ulong, 0644);
MODULE_PARM_DESC(rekey_after_packets, "records after which a key asks for a rekey (tests; at most the default)");
static unsigned long reject_after_packets = EVPN_REJECT_AFTER_PACKETS;
module_param(reject_after_packets, ulong, 0644);
MODULE_PARM_DESC(reject_after_packets, "records after which a key is no longer used (tests; at most the default)");
static unsigned int rekey_after_seconds = EVPN_REKEY_AFTER_SECONDS;
module_param(rekey_after_seconds, uint, 0644);
MODULE_PARM_DESC(rekey_after_seconds, "key age in seconds after which a key asks for a rekey (tests; at most the default)");

u64 evpn_key_rekey_packets(void)
{
	return min_t(u64, READ_ONCE(rekey_after_packets), EVPN_REKEY_AFTER_PACKETS);
}

u64 evpn_key_reject_packets(void)
{
	return min_t(u64, READ_ONCE(reject_after_packets), EVPN_REJECT_AFTER_PACKETS);
}

u64 evpn_key_rekey_jiffies(void)
{
	return (u64)min_t(unsigned int, READ_ONCE(rekey_after_seconds),
			  EVPN_REKEY_AFTER_SECONDS) * HZ;
}
#else
u64 evpn_key_rekey_packets(void)
{
	return EVPN_REKEY_AFTER_PACKETS;
}

u64 evpn_key_reject_packets(void)
{
	return EVPN_REJECT_AFTER_PACKETS;
}

u64 evpn_key_rekey_jiffies(void)
{
	return (u64)EVPN_REKEY_AFTER_SECONDS * HZ;
}
#endif

/* Key generations: queued frames name the key their counters came from. */
static atomic_t evpn_key_gen = ATOMIC_INIT(0);

/* Keys are freed here, after a grace period (evpn_key_put). */
static struct workqueue_struct *evpn_key_wq;

static void evpn_key_free(struct evpn_key *key)
{
	evpn_aead_destroy(&key->tx_aead);
	evpn_aead_destroy(&key->rx_aead);
	kfree_sensitive(key);
}

static void evpn_key_free_work(struct work_struct *work)
{
	evpn_key_free(container_of(to_rcu_work(work), struct evpn_key, free_work));
}

static void evpn_key_release(struct kref *kref)
{
	struct evpn_key *key = container_of(kref, struct evpn_key, refcount);

	queue_rcu_work(evpn_key_wq, &key->free_work);
}

static void evpn_key_put(struct evpn_key *key)
{
	if (key)
		kref_put(&key->refcount, evpn_key_release);
}

/* Unpublish @key from the hash (RTNL); the caller drops the slot's reference. */
static void evpn_key_unhash(struct evpn_key *key)
{
	ASSERT_RTNL();
	hlist_del_init_rcu(&key->hnode);
}

static struct evpn_key *evpn_key_alloc(u32 suite, const u8 *tx_key,
				       const u8 *rx_key,
				       struct netlink_ext_ack *extack)
{
	struct evpn_key *key;
	int ret;

	key = kzalloc(sizeof(*key), GFP_KERNEL);
	if (!key)
		return ERR_PTR(-ENOMEM);
	kref_init(&key->refcount);
	INIT_RCU_WORK(&key->free_work, evpn_key_free_work);
	ret = evpn_aead_init(&key->tx_aead, suite, tx_key, extack);
	if (ret)
		goto err;
	ret = evpn_aead_init(&key->rx_aead, suite, rx_key, extack);
	if (ret)
		goto err;
	return key;
err:
	evpn_key_free(key);
	return ERR_PTR(ret);
}

int evpn_key_install(struct evpn_link *link, int slot, u32 suite,
		     u32 tx_id, const u8 *tx_key, const u8 *tx_iv,
		     u32 rx_id, const u8 *rx_key, const u8 *rx_iv, bool is_static,
		     const u64 *tx_start, struct netlink_ext_ack *extack)
{
	struct evpn_dev *edev = link->edev;
	struct evpn_key *key, *old, *dup;

	ASSERT_RTNL();
	old = rtnl_dereference(link->slot[slot]);
	dup = evpn_key_find_rtnl(edev, rx_id);
	if (dup && dup != old) {
		NL_SET_ERR_MSG(extack, "evpn: RX_KEY_ID already used by another key of this device");
		return -EEXIST;
	}
	key = evpn_key_alloc(suite, tx_key, rx_key, extack);
	if (IS_ERR(key))
		return PTR_ERR(key);
	pr_debug("evpn: %s: suite %u key uses %s\n", netdev_name(edev->dev), suite,
		 evpn_aead_driver(&key->tx_aead));
	key->link = link;
	key->slot = slot;
	key->suite = suite;
	key->tx_id = tx_id;
	key->rx_id = rx_id;
	memcpy(key->tx_iv, tx_iv, EVPN_IV_LEN);
	memcpy(key->rx_iv, rx_iv, EVPN_IV_LEN);
	key->is_static = is_static;
	key->gen = atomic_inc_return(&evpn_key_gen);
	/* Static keys outlive restarts: their counters must never repeat.
	 * evpnd passes the first counter from its persisted high-water mark
	 * (daemon/noncefloor.h), which survives clock steps; without one the
	 * wall clock in ns is the fallback (fewer than one record per ns). */
	if (tx_start)
		atomic64_set(&key->tx_counter, *tx_start);
	else
		atomic64_set(&key->tx_counter, is_static ? ktime_get_real_ns() : 0);
	atomic64_set(&key->rx_packets, 0);
	key->installed = get_jiffies_64();
	spin_lock_init(&key->replay_lock);
	evpn_replay_init(&key->replay);

	if (old)
		evpn_key_unhash(old);
	hlist_add_head_rcu(&key->hnode, evpn_key_bucket(edev, rx_id));
	rcu_assign_pointer(link->slot[slot], key);
	if (slot == EVPN_KEY_SLOT_CURRENT && !old)
		evpn_nbrs_update(edev);
	evpn_key_put(old);
	return 0;
}

int evpn_key_swap(struct evpn_link *link)
{
	struct evpn_key *cur, *next;

	ASSERT_RTNL();
	cur = rtnl_dereference(link->slot[EVPN_KEY_SLOT_CURRENT]);
	next = rtnl_dereference(link->slot[EVPN_KEY_SLOT_NEXT]);
	if (!next)
		return -ENOENT;
	next->slot = EVPN_KEY_SLOT_CURRENT;
	if (cur)
		cur->slot = EVPN_KEY_SLOT_NEXT;
	rcu_assign_pointer(link->slot[EVPN_KEY_SLOT_CURRENT], next);
	rcu_assign_pointer(link->slot[EVPN_KEY_SLOT_NEXT], cur);
	if (!cur)
		evpn_nbrs_update(link->edev);
	return 0;
}

int evpn_key_del(struct evpn_link *link, int slot)
{
	struct evpn_key *key;

	ASSERT_RTNL();
	key = rtnl_dereference(link->slot[slot]);
	if (!key)
		return -ENOENT;
	evpn_key_unhash(key);
	RCU_INIT_POINTER(link->slot[slot], NULL);
	if (slot == EVPN_KEY_SLOT_CURRENT)
		evpn_nbrs_update(link->edev);
	evpn_key_put(key);
	return 0;
}

static struct evpn_link_stats __percpu *evpn_link_alloc_stats(void)
{
	struct evpn_link_stats __percpu *st;
	int cpu;

	st = alloc_percpu(struct evpn_link_stats);
	if (!st)
		return NULL;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(st, cpu)->syncp);
	return st;
}

int evpn_link_new(struct evpn_dev *edev, const struct evpn_id *peer, int fd,
		  struct evpn_endpoint *ep, struct netlink_ext_ack *extack)
{
	struct evpn_link *link;
	int ret = -ENOMEM;

	ASSERT_RTNL();
	if (evpn_link_find(edev, peer)) {
		NL_SET_ERR_MSG(extack, "evpn: a link to this peer exists");
		return -EEXIST;
	}
	if (edev->n_links >= EVPN_MAX_LINKS) {
		NL_SET_ERR_MSG(extack, "evpn: too many links on this device");
		return -ENOSPC;
	}
	link = kzalloc(sizeof(*link), GFP_KERNEL);
	if (!link)
		return -ENOMEM;
	link->stats = evpn_link_alloc_stats();
	if (!link->stats)
		goto err_free;
	if (dst_cache_init(&link->dst_cache, GFP_KERNEL))
		goto err_stats;
	if (evpn_txq_link_init(link))
		goto err_dst;
	link->esock = evpn_sock_get(edev, fd, extack);
	if (IS_ERR(link->esock)) {
		ret = PTR_ERR(link->esock);
		goto err_txq;
	}
	if (ep->family == AF_INET6 && link->esock->sock->sk->sk_family != AF_INET6) {
		NL_SET_ERR_MSG(extack, "evpn: IPv6 endpoint needs an IPv6 socket");
		ret = -EAFNOSUPPORT;
		goto err_sock;
	}
	kref_init(&link->refcount);	/* the device's */
	link->edev = edev;
	netdev_hold(edev->dev, &link->dev_tracker, GFP_KERNEL);
	link->peer = *peer;
	spin_lock_init(&link->ep_lock);
	RCU_INIT_POINTER(link->ep, ep);
	list_add_tail_rcu(&link->node, &edev->links);
	edev->n_links++;
	edev->links_gen++;
	return 0;

err_sock:
	evpn_sock_unuse(link->esock);
	evpn_sock_put(link->esock);
err_txq:
	evpn_txq_link_uninit(link);
err_dst:
	dst_cache_destroy(&link->dst_cache);
err_stats:
	free_percpu(link->stats);
err_free:
	kfree(link);
	return ret;
}

void evpn_link_set_endpoint(struct evpn_link *link, struct evpn_endpoint *ep)
{
	struct evpn_endpoint *old;

	spin_lock_bh(&link->ep_lock);
	old = rcu_replace_pointer(link->ep, ep, lockdep_is_held(&link->ep_lock));
	dst_cache_reset(&link->dst_cache);
	spin_unlock_bh(&link->ep_lock);
	kfree_rcu(old, rcu);
}

/*
 * After the last reference and a grace period (RCU callback, softirq):
 * no reader can reach @link, its transmit ring is empty (every queued
 * frame held a reference) and no work item of it is pending. The slots
 * are still set: in-flight frames sealed with them until now.
 */
static void evpn_link_free_rcu(struct rcu_head *rcu)
{
	struct evpn_link *link = container_of(rcu, struct evpn_link, rcu);
	struct net_device *dev = link->edev->dev;
	int s;

	evpn_txq_link_uninit(link);
	for (s = 0; s < 2; s++)
		evpn_key_put(rcu_dereference_protected(link->slot[s],
						       !kref_read(&link->refcount)));
	evpn_sock_put(link->esock);
	dst_cache_destroy(&link->dst_cache);
	free_percpu(link->stats);
	kfree(rcu_dereference_protected(link->ep, !kref_read(&link->refcount)));
	kfree(link->nbr_ids);
	netdev_put(dev, &link->dev_tracker);
	kfree(link);
}

static void evpn_link_release(struct kref *kref)
{
	struct evpn_link *link = container_of(kref, struct evpn_link, refcount);

	call_rcu(&link->rcu, evpn_link_free_rcu);
}

/* A new reference to a link found under RCU; false if it is being freed. */
bool evpn_link_get(struct evpn_link *link)
{
	return kref_get_unless_zero(&link->refcount);
}

void evpn_link_put(struct evpn_link *link)
{
	kref_put(&link->refcount, evpn_link_release);
}

/* Unpublish @link from the list and the key hash (RTNL). The caller
 * takes it out of the neighbour set, then calls evpn_link_release_dev(). */
static void evpn_link_unpublish(struct evpn_link *link)
{
	struct evpn_key *key;
	int s;

	ASSERT_RTNL();
	for (s = 0; s < 2; s++) {
		key = rtnl_dereference(link->slot[s]);
		if (key)
			evpn_key_unhash(key);
	}
	list_del_rcu(&link->node);
	link->edev->n_links--;
	link->edev->links_gen++;
}

/*
 * Drop the device's reference to an unpublished link (RTNL). Only once no
 * published pointer leads to it: a reader starting after the last put
 * would not be waited for by the grace period before the free.
 */
static void evpn_link_release_dev(struct evpn_link *link)
{
	ASSERT_RTNL();
	evpn_sock_unuse(link->esock);
	evpn_link_put(link);
}

static void evpn_nbrs_clear_or_update(struct evpn_dev *edev)
{
	struct evpn_nbrs *old;

	evpn_nbrs_update(edev);
	/* If the update could not allocate, the old set may still name a
	 * link being deleted: publish an empty set rather than risk it. */
	old = rtnl_dereference(edev->nbrs);
	if (old) {
		struct evpn_link *link;
		int i;

		for (i = 0; i < old->n; i++) {
			bool found = false;

			list_for_each_entry(link, &edev->links, node)
				found |= link == old->links[i];
			if (!found) {
				RCU_INIT_POINTER(edev->nbrs, NULL);
				kvfree_rcu(old, rcu);
				return;
			}
		}
	}
}

/* No waiting: the link is freed when its last queued frame is gone. */
void evpn_link_del(struct evpn_link *link)
{
	struct evpn_dev *edev = link->edev;

	ASSERT_RTNL();
	evpn_link_unpublish(link);
	evpn_nbrs_clear_or_update(edev);
	evpn_link_release_dev(link);
}

/* Device teardown: every link at once. */
void evpn_link_del_all(struct evpn_dev *edev)
{
	struct evpn_link *link, *tmp;
	struct evpn_nbrs *old;

	ASSERT_RTNL();
	old = rtnl_dereference(edev->nbrs);
	RCU_INIT_POINTER(edev->nbrs, NULL);
	if (old)
		kvfree_rcu(old, rcu);
	list_for_each_entry_safe(link, tmp, &edev->links, node) {
		evpn_link_unpublish(link);
		evpn_link_release_dev(link);
	}
}

int evpn_link_init(void)
{
	evpn_key_wq = alloc_workqueue("evpn_key", WQ_MEM_RECLAIM, 0);
	return evpn_key_wq ? 0 : -ENOMEM;
}

/* After the devices (and so every link) are gone: wait for the frees
 * still queued behind a grace period, then for the key frees they queued. */
void evpn_link_uninit(void)
{
	rcu_barrier();
	destroy_workqueue(evpn_key_wq);
}

void evpn_link_count(struct evpn_link *link, bool rx, unsigned int len)
{
	struct evpn_link_stats *st = this_cpu_ptr(link->stats);
	unsigned long flags;

	flags = u64_stats_update_begin_irqsave(&st->syncp);
	if (rx) {
		u64_stats_inc(&st->rx_packets);
		u64_stats_add(&st->rx_bytes, len);
	} else {
		u64_stats_inc(&st->tx_packets);
		u64_stats_add(&st->tx_bytes, len);
	}
	u64_stats_update_end_irqrestore(&st->syncp, flags);
}

/* Count a drop on the link and on the device. */
void evpn_link_drop(struct evpn_link *link, enum evpn_drop_reason reason)
{
	struct evpn_link_stats *st;
	unsigned long flags;

	evpn_count_drop(link->edev, reason);
	st = get_cpu_ptr(link->stats);
	flags = u64_stats_update_begin_irqsave(&st->syncp);
	u64_stats_inc(&st->drops[reason]);
	u64_stats_update_end_irqrestore(&st->syncp, flags);
	put_cpu_ptr(link->stats);
}

void evpn_link_read_stats(struct evpn_link *link, u64 *rxp, u64 *rxb,
			  u64 *txp, u64 *txb, u64 drops[__EVPN_DROP_MAX])
{
	int cpu, r;

	*rxp = *rxb = *txp = *txb = 0;
	memset(drops, 0, sizeof(u64) * __EVPN_DROP_MAX);
	for_each_possible_cpu(cpu) {
		const struct evpn_link_stats *st = per_cpu_ptr(link->stats, cpu);
		u64 v[4], d[__EVPN_DROP_MAX];
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&st->syncp);
			v[0] = u64_stats_read(&st->rx_packets);
			v[1] = u64_stats_read(&st->rx_bytes);
			v[2] = u64_stats_read(&st->tx_packets);
			v[3] = u64_stats_read(&st->tx_bytes);
			for (r = 1; r < __EVPN_DROP_MAX; r++)
				d[r] = u64_stats_read(&st->drops[r]);
		} while (u64_stats_fetch_retry(&st->syncp, start));
		*rxp += v[0];
		*rxb += v[1];
		*txp += v[2];
		*txb += v[3];
		for (r = 1; r < __EVPN_DROP_MAX; r++)
			drops[r] += d[r];
	}
}
