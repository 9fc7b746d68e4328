// SPDX-License-Identifier: GPL-2.0
/*
 * The device's FDB: the shared core's table (core/fdb.c, the same code
 * evpnd uses) in kvmalloc'd storage.
 *
 * Transmit looks a MAC up for every frame, receive learns from every
 * frame; both run on any CPU in softirq. Writers (learning, static
 * entries, aging) serialise on the seqlock's spinlock; lookups are
 * lockless seqlock reads that retry if a writer moved entries under them
 * (the core table never chases pointers, so a torn read is bounded and
 * simply retried). Learning first checks, lock-free, whether the entry is
 * already current for this second, so a steady flow from one MAC writes at
 * most once per second.
 */
#include <linux/jiffies.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "kfdb.h"

u64 evpn_kfdb_now(void)
{
	return div_u64(get_jiffies_64(), HZ);
}

/* A writer changed the table: dumps in progress must restart. */
static void evpn_kfdb_changed(struct evpn_dev *edev)
{
	lockdep_assert_held(&edev->fdb_lock.lock);
	edev->fdb_gen++;
}

static void evpn_kfdb_gc(struct work_struct *work)
{
	struct evpn_dev *edev = container_of(to_delayed_work(work),
					     struct evpn_dev, fdb_gc);

	write_seqlock_bh(&edev->fdb_lock);
	if (evpn_fdb_expire(edev->fdb, evpn_kfdb_now()))
		evpn_kfdb_changed(edev);
	write_sequnlock_bh(&edev->fdb_lock);
	schedule_delayed_work(&edev->fdb_gc, EVPN_KFDB_GC_SECS * HZ);
}

int evpn_kfdb_init(struct evpn_dev *edev)
{
	seqlock_init(&edev->fdb_lock);
	edev->fdb = kzalloc(sizeof(*edev->fdb), GFP_KERNEL);
	edev->fdb_slots = kvcalloc(EVPN_KFDB_CAPACITY, sizeof(*edev->fdb_slots),
				   GFP_KERNEL);
	if (!edev->fdb || !edev->fdb_slots ||
	    evpn_fdb_init(edev->fdb, edev->fdb_slots, EVPN_KFDB_CAPACITY,
			  EVPN_FDB_MAX_DEFAULT, EVPN_FDB_AGE_DEFAULT,
			  get_random_u64())) {
		kvfree(edev->fdb_slots);
		kfree(edev->fdb);
		edev->fdb = NULL;
		edev->fdb_slots = NULL;
		return -ENOMEM;
	}
	INIT_DELAYED_WORK(&edev->fdb_gc, evpn_kfdb_gc);
	schedule_delayed_work(&edev->fdb_gc, EVPN_KFDB_GC_SECS * HZ);
	return 0;
}

void evpn_kfdb_uninit(struct evpn_dev *edev)
{
	if (!edev->fdb)
		return;
	cancel_delayed_work_sync(&edev->fdb_gc);
	kvfree(edev->fdb_slots);
	kfree(edev->fdb);
	edev->fdb = NULL;
	edev->fdb_slots = NULL;
}

/* Reads one entry into @node (and its time into @seen) without locking. */
static bool evpn_kfdb_read(struct evpn_dev *edev, const u8 *mac, u64 now,
			   struct evpn_id *node, u64 *seen)
{
	const struct evpn_fdb_entry *e;
	unsigned int seq;
	bool found;

	do {
		seq = read_seqbegin(&edev->fdb_lock);
		e = evpn_fdb_lookup(edev->fdb, mac, now);
		found = e;
		if (e) {
			*node = e->node;
			*seen = e->seen;
		}
	} while (read_seqretry(&edev->fdb_lock, seq));
	return found;
}

void evpn_kfdb_refused(struct evpn_dev *edev, u64 *full, u64 *quota)
{
	unsigned int seq;

	do {
		seq = read_seqbegin(&edev->fdb_lock);
		*full = edev->fdb->refused_full;
		*quota = edev->fdb->refused_quota;
	} while (read_seqretry(&edev->fdb_lock, seq));
}

bool evpn_kfdb_lookup(struct evpn_dev *edev, const u8 *mac, struct evpn_id *node)
{
	u64 seen;

	return evpn_kfdb_read(edev, mac, evpn_kfdb_now(), node, &seen);
}

void evpn_kfdb_learn(struct evpn_dev *edev, const u8 *mac,
		     const struct evpn_id *node, bool proven)
{
	u64 now = evpn_kfdb_now(), seen;
	struct evpn_id cur;
	int r;

	if (evpn_mac_is_group(mac))
		return;
	if (evpn_kfdb_read(edev, mac, now, &cur, &seen) &&
	    evpn_id_eq(&cur, node) && seen == now)
		return;
	write_seqlock(&edev->fdb_lock);
	r = proven ? evpn_fdb_learn(edev->fdb, mac, node, now) :
		     evpn_fdb_learn_tentative(edev->fdb, mac, node, now);
	if (r == EVPN_FDB_NEW || r == EVPN_FDB_MOVED)
		evpn_kfdb_changed(edev);
	write_sequnlock(&edev->fdb_lock);
}

int evpn_kfdb_add_static(struct evpn_dev *edev, const u8 *mac,
			 const struct evpn_id *node)
{
	int r;

	write_seqlock_bh(&edev->fdb_lock);
	r = evpn_fdb_add_static(edev->fdb, mac, node, evpn_kfdb_now());
	evpn_kfdb_changed(edev);
	write_sequnlock_bh(&edev->fdb_lock);
	if (r == EVPN_FDB_FULL)
		return -ENOSPC;
	if (r == EVPN_FDB_INVALID)
		return -EINVAL;
	return 0;
}

bool evpn_kfdb_del(struct evpn_dev *edev, const u8 *mac)
{
	bool found;

	write_seqlock_bh(&edev->fdb_lock);
	found = evpn_fdb_del(edev->fdb, mac);
	evpn_kfdb_changed(edev);
	write_sequnlock_bh(&edev->fdb_lock);
	return found;
}

/* A link went away: its peer's learned MACs would otherwise be unicast
 * into a route that may no longer exist; flooding relearns them. */
void evpn_kfdb_flush_node(struct evpn_dev *edev, const struct evpn_id *node)
{
	write_seqlock_bh(&edev->fdb_lock);
	if (evpn_fdb_flush_node(edev->fdb, node, false))
		evpn_kfdb_changed(edev);
	write_sequnlock_bh(&edev->fdb_lock);
}
