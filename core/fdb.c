// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Layer-2 forwarding database (see fdb.h for the design and API).
 *
 * Invariant: every used slot lies at most EVPN_FDB_MAX_PROBE - 1 slots past
 * its home slot, and every slot between its home and itself is used. Lookups
 * therefore stop at the first empty slot or after EVPN_FDB_MAX_PROBE slots.
 * Backward-shift deletion only ever moves entries closer to their home, so
 * it keeps the invariant without tombstones.
 */
#include "fdb.h"
#include "hash.h"

static uint64_t mac_to_u64(const uint8_t *mac)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < EVPN_ETH_ALEN; i++)
		v = (v << 8) | mac[i];
	return v;
}

/* Seeded hash of the MAC: spreads MACs that differ in a few bits over the
 * table. Not cryptographic, but without the seed a remote sender cannot
 * tell which MACs collide. */
static uint32_t fdb_home(const struct evpn_fdb *fdb, const uint8_t *mac)
{
	return (uint32_t)evpn_fmix64(mac_to_u64(mac) ^ fdb->seed) & fdb->mask;
}

/* ---- per-source quota (count-min sketch, see fdb.h) ------------------- */

/* Both rows' buckets of @node from one seeded 64-bit hash. */
static void src_buckets(const struct evpn_fdb *fdb, const struct evpn_id *node,
			uint32_t b[2])
{
	uint64_t x = evpn_id_hash(node, fdb->seed);

	b[0] = (uint32_t)x & (EVPN_FDB_SRC_BUCKETS - 1);
	b[1] = (uint32_t)(x >> 32) & (EVPN_FDB_SRC_BUCKETS - 1);
}

uint32_t evpn_fdb_src_count(const struct evpn_fdb *fdb,
			    const struct evpn_id *node)
{
	uint32_t b[2], c0, c1;

	src_buckets(fdb, node, b);
	c0 = fdb->src_cnt[0][b[0]];
	c1 = fdb->src_cnt[1][b[1]];
	return c0 < c1 ? c0 : c1;
}

static bool src_at_quota(const struct evpn_fdb *fdb, const struct evpn_id *node)
{
	return evpn_fdb_src_count(fdb, node) >= fdb->src_max;
}

/* A dynamic entry for @node appears (+1) or goes away (-1). */
static void src_account(struct evpn_fdb *fdb, const struct evpn_id *node,
			int delta)
{
	uint32_t b[2];

	src_buckets(fdb, node, b);
	fdb->src_cnt[0][b[0]] += (uint32_t)delta;
	fdb->src_cnt[1][b[1]] += (uint32_t)delta;
}

static bool is_dynamic(const struct evpn_fdb_entry *e)
{
	return (e->flags & (EVPN_FDB_F_USED | EVPN_FDB_F_STATIC)) ==
	       EVPN_FDB_F_USED;
}

static uint32_t default_src_max(uint32_t max)
{
	uint32_t q = max / EVPN_FDB_SRC_SHARE;

	return q ? q : 1;
}

static bool slot_used(const struct evpn_fdb_entry *e)
{
	return e->flags & EVPN_FDB_F_USED;
}

static bool mac_eq(const uint8_t *a, const uint8_t *b)
{
	return !memcmp(a, b, EVPN_ETH_ALEN);
}

bool evpn_mac_is_group(const uint8_t mac[EVPN_ETH_ALEN])
{
	static const uint8_t zero[EVPN_ETH_ALEN];

	return (mac[0] & 0x01) || mac_eq(mac, zero);
}

static bool max_ok(uint32_t capacity, uint32_t max)
{
	return max >= 1 && max <= capacity / 2;
}

int evpn_fdb_init(struct evpn_fdb *fdb, struct evpn_fdb_entry *slots,
		  uint32_t capacity, uint32_t max, uint32_t age, uint64_t seed)
{
	if (!slots || capacity < 2 || (capacity & (capacity - 1)) ||
	    !max_ok(capacity, max))
		return -1;
	memset(slots, 0, sizeof(*slots) * (size_t)capacity);
	fdb->slots = slots;
	fdb->mask = capacity - 1;
	fdb->max = max;
	fdb->count = 0;
	fdb->age = age;
	fdb->seed = seed;
	fdb->src_max = default_src_max(max);
	memset(fdb->src_cnt, 0, sizeof(fdb->src_cnt));
	fdb->refused_full = 0;
	fdb->refused_quota = 0;
	return 0;
}

int evpn_fdb_set_max(struct evpn_fdb *fdb, uint32_t max)
{
	if (!max_ok(fdb->mask + 1, max))
		return -1;
	fdb->max = max;
	fdb->src_max = default_src_max(max);
	return 0;
}

int evpn_fdb_set_src_max(struct evpn_fdb *fdb, uint32_t src_max)
{
	if (src_max < 1 || src_max > fdb->max)
		return -1;
	fdb->src_max = src_max;
	return 0;
}

void evpn_fdb_set_age(struct evpn_fdb *fdb, uint32_t age)
{
	fdb->age = age;
}

bool evpn_fdb_entry_expired(const struct evpn_fdb *fdb,
			    const struct evpn_fdb_entry *e, uint64_t now)
{
	if (!slot_used(e) || (e->flags & EVPN_FDB_F_STATIC) || !fdb->age)
		return false;
	/* A clock that went backwards (now < seen) does not age anything. */
	return now > e->seen && now - e->seen >= fdb->age;
}

/* Backward-shift deletion of slot @pos. */
static void fdb_remove_slot(struct evpn_fdb *fdb, uint32_t pos)
{
	struct evpn_fdb_entry *s = fdb->slots;
	uint32_t hole = pos, j = pos, home;

	if (is_dynamic(&s[pos]))
		src_account(fdb, &s[pos].node, -1);
	for (;;) {
		j = (j + 1) & fdb->mask;
		if (!slot_used(&s[j]))
			break;		/* end of the cluster */
		home = fdb_home(fdb, s[j].mac);
		/* Move s[j] into the hole if the hole is on its probe path,
		 * i.e. cyclically within [home, j). */
		if (((hole - home) & fdb->mask) < ((j - home) & fdb->mask)) {
			s[hole] = s[j];
			hole = j;
		}
	}
	memset(&s[hole], 0, sizeof(s[hole]));
	fdb->count--;
}

/* Slot holding @mac, or -1. */
static int fdb_find(const struct evpn_fdb *fdb, const uint8_t *mac)
{
	uint32_t home = fdb_home(fdb, mac), pos, i;

	for (i = 0; i < EVPN_FDB_MAX_PROBE; i++) {
		pos = (home + i) & fdb->mask;
		if (!slot_used(&fdb->slots[pos]))
			break;
		if (mac_eq(fdb->slots[pos].mac, mac))
			return (int)pos;
	}
	return -1;
}

/* Where a new @mac would go: the first empty slot on its probe path within
 * the bound (or -1), and the first expired dynamic slot before it (or -1),
 * which may be overwritten in place without breaking the invariant. */
static void fdb_free_slot(const struct evpn_fdb *fdb, const uint8_t *mac,
			  uint64_t now, int *empty, int *reuse)
{
	uint32_t home = fdb_home(fdb, mac), pos, i;

	*empty = -1;
	*reuse = -1;
	for (i = 0; i < EVPN_FDB_MAX_PROBE; i++) {
		pos = (home + i) & fdb->mask;
		if (!slot_used(&fdb->slots[pos])) {
			*empty = (int)pos;
			return;
		}
		if (*reuse < 0 &&
		    evpn_fdb_entry_expired(fdb, &fdb->slots[pos], now))
			*reuse = (int)pos;
	}
}

/* At the limit: delete one expired dynamic entry near @mac's home slot. */
static bool fdb_evict_near(struct evpn_fdb *fdb, const uint8_t *mac,
			   uint64_t now)
{
	uint32_t home = fdb_home(fdb, mac), pos, i;

	for (i = 0; i < EVPN_FDB_MAX_PROBE; i++) {
		pos = (home + i) & fdb->mask;
		if (evpn_fdb_entry_expired(fdb, &fdb->slots[pos], now)) {
			fdb_remove_slot(fdb, pos);
			return true;
		}
	}
	return false;
}

/* (Re)write slot @e; whatever dynamic entry it held is uncounted first. */
static void fdb_fill(struct evpn_fdb *fdb, struct evpn_fdb_entry *e,
		     const uint8_t *mac, const struct evpn_id *node,
		     uint64_t now, uint8_t flags)
{
	bool is_static = flags & EVPN_FDB_F_STATIC;

	if (is_dynamic(e))
		src_account(fdb, &e->node, -1);
	if (!is_static)
		src_account(fdb, node, 1);
	memcpy(e->mac, mac, EVPN_ETH_ALEN);
	e->flags = EVPN_FDB_F_USED | flags;
	e->pad = 0;
	e->node = *node;
	e->seen = now;
}

static enum evpn_fdb_result fdb_insert(struct evpn_fdb *fdb, const uint8_t *mac,
				       const struct evpn_id *node, uint64_t now,
				       uint8_t flags)
{
	bool is_static = flags & EVPN_FDB_F_STATIC;
	int empty, reuse;

	fdb_free_slot(fdb, mac, now, &empty, &reuse);
	if (reuse < 0 && fdb->count >= fdb->max) {
		if (!fdb_evict_near(fdb, mac, now) || fdb->count >= fdb->max)
			return EVPN_FDB_FULL;
		fdb_free_slot(fdb, mac, now, &empty, &reuse);
		reuse = -1;
	}
	if (reuse < 0 && empty < 0)
		return EVPN_FDB_FULL;	/* probe bound: cluster too long */
	/* Judged after fullness: a table full of one node says FULL. */
	if (!is_static && src_at_quota(fdb, node))
		return EVPN_FDB_QUOTA;
	if (reuse >= 0) {
		fdb_fill(fdb, &fdb->slots[reuse], mac, node, now, flags);
		return EVPN_FDB_NEW;
	}
	fdb_fill(fdb, &fdb->slots[empty], mac, node, now, flags);
	fdb->count++;
	return EVPN_FDB_NEW;
}

/* Point the live or expired dynamic entry @e at @node (which differs). */
static enum evpn_fdb_result fdb_repoint(struct evpn_fdb *fdb,
					struct evpn_fdb_entry *e,
					const struct evpn_id *node, uint64_t now,
					bool expired)
{
	if (src_at_quota(fdb, node))
		return EVPN_FDB_QUOTA;
	src_account(fdb, &e->node, -1);
	src_account(fdb, node, 1);
	e->node = *node;
	e->seen = now;
	return expired ? EVPN_FDB_NEW : EVPN_FDB_MOVED;
}

static enum evpn_fdb_result fdb_learn(struct evpn_fdb *fdb, const uint8_t *mac,
				      const struct evpn_id *node, uint64_t now,
				      bool tentative)
{
	struct evpn_fdb_entry *e;
	enum evpn_fdb_result r;
	bool expired;
	int pos;

	if (evpn_mac_is_group(mac))
		return EVPN_FDB_INVALID;
	pos = fdb_find(fdb, mac);
	if (pos < 0)
		return fdb_insert(fdb, mac, node, now,
				  tentative ? EVPN_FDB_F_TENTATIVE : 0);

	e = &fdb->slots[pos];
	if (e->flags & EVPN_FDB_F_STATIC)
		return EVPN_FDB_STATIC;
	expired = evpn_fdb_entry_expired(fdb, e, now);
	/* an unproven origin never takes a MAC from a proven one */
	if (tentative && !expired && !(e->flags & EVPN_FDB_F_TENTATIVE) &&
	    !evpn_id_eq(&e->node, node))
		return EVPN_FDB_PROVEN;
	if (!evpn_id_eq(&e->node, node)) {
		r = fdb_repoint(fdb, e, node, now, expired);
		if (r < 0)
			return r;
	} else {
		e->seen = now;
		r = expired ? EVPN_FDB_NEW : EVPN_FDB_REFRESHED;
	}
	/* proven learns clear the mark; tentative ones set it on a new or
	 * moved entry and leave a proven refreshed one proven */
	if (!tentative)
		e->flags &= (uint8_t)~EVPN_FDB_F_TENTATIVE;
	else if (r != EVPN_FDB_REFRESHED)
		e->flags |= EVPN_FDB_F_TENTATIVE;
	return r;
}

static enum evpn_fdb_result fdb_learn_count(struct evpn_fdb *fdb,
					    const uint8_t *mac,
					    const struct evpn_id *node,
					    uint64_t now, bool tentative)
{
	enum evpn_fdb_result r = fdb_learn(fdb, mac, node, now, tentative);

	if (r == EVPN_FDB_FULL)
		fdb->refused_full++;
	else if (r == EVPN_FDB_QUOTA)
		fdb->refused_quota++;
	return r;
}

enum evpn_fdb_result evpn_fdb_learn(struct evpn_fdb *fdb,
				    const uint8_t mac[EVPN_ETH_ALEN],
				    const struct evpn_id *node, uint64_t now)
{
	return fdb_learn_count(fdb, mac, node, now, false);
}

enum evpn_fdb_result evpn_fdb_learn_tentative(struct evpn_fdb *fdb,
					      const uint8_t mac[EVPN_ETH_ALEN],
					      const struct evpn_id *node,
					      uint64_t now)
{
	return fdb_learn_count(fdb, mac, node, now, true);
}

enum evpn_fdb_result evpn_fdb_add_static(struct evpn_fdb *fdb,
					 const uint8_t mac[EVPN_ETH_ALEN],
					 const struct evpn_id *node,
					 uint64_t now)
{
	struct evpn_fdb_entry *e;
	int pos;

	if (evpn_mac_is_group(mac))
		return EVPN_FDB_INVALID;
	pos = fdb_find(fdb, mac);
	if (pos < 0)
		return fdb_insert(fdb, mac, node, now, EVPN_FDB_F_STATIC);

	e = &fdb->slots[pos];
	if ((e->flags & EVPN_FDB_F_STATIC) && evpn_id_eq(&e->node, node))
		return EVPN_FDB_REFRESHED;
	fdb_fill(fdb, e, mac, node, now, EVPN_FDB_F_STATIC);
	return EVPN_FDB_MOVED;
}

const struct evpn_fdb_entry *evpn_fdb_lookup(const struct evpn_fdb *fdb,
					     const uint8_t mac[EVPN_ETH_ALEN],
					     uint64_t now)
{
	const struct evpn_fdb_entry *e;
	int pos;

	if (evpn_mac_is_group(mac))
		return NULL;
	pos = fdb_find(fdb, mac);
	if (pos < 0)
		return NULL;
	e = &fdb->slots[pos];
	return evpn_fdb_entry_expired(fdb, e, now) ? NULL : e;
}

bool evpn_fdb_del(struct evpn_fdb *fdb, const uint8_t mac[EVPN_ETH_ALEN])
{
	int pos = fdb_find(fdb, mac);

	if (pos < 0)
		return false;
	fdb_remove_slot(fdb, (uint32_t)pos);
	return true;
}

/*
 * Remove every used slot for which @match says so. Deleting slot i may pull
 * a later entry into i, so i is examined again before moving on; entries
 * only move backwards into holes at or after i (cyclically), so each entry
 * is examined at least once.
 */
enum fdb_match { MATCH_EXPIRED, MATCH_NODE, MATCH_ALL };

static bool fdb_matches(const struct evpn_fdb *fdb,
			const struct evpn_fdb_entry *e, enum fdb_match how,
			const struct evpn_id *node, bool statics, uint64_t now)
{
	if (!slot_used(e))
		return false;
	if (how == MATCH_EXPIRED)
		return evpn_fdb_entry_expired(fdb, e, now);
	if ((e->flags & EVPN_FDB_F_STATIC) && !statics)
		return false;
	return how == MATCH_ALL || evpn_id_eq(&e->node, node);
}

static uint32_t fdb_remove_if(struct evpn_fdb *fdb, enum fdb_match how,
			      const struct evpn_id *node, bool statics,
			      uint64_t now)
{
	uint32_t i = 0, removed = 0;

	while (i <= fdb->mask) {
		if (fdb_matches(fdb, &fdb->slots[i], how, node, statics, now)) {
			fdb_remove_slot(fdb, i);
			removed++;
			continue;
		}
		i++;
	}
	return removed;
}

uint32_t evpn_fdb_expire(struct evpn_fdb *fdb, uint64_t now)
{
	if (!fdb->age)
		return 0;
	return fdb_remove_if(fdb, MATCH_EXPIRED, NULL, false, now);
}

uint32_t evpn_fdb_flush_node(struct evpn_fdb *fdb, const struct evpn_id *node,
			     bool statics)
{
	return fdb_remove_if(fdb, MATCH_NODE, node, statics, 0);
}

uint32_t evpn_fdb_flush(struct evpn_fdb *fdb, bool statics)
{
	return fdb_remove_if(fdb, MATCH_ALL, NULL, statics, 0);
}

const struct evpn_fdb_entry *evpn_fdb_next(const struct evpn_fdb *fdb,
					   uint32_t *pos, uint64_t now)
{
	const struct evpn_fdb_entry *e;

	while (*pos <= fdb->mask) {
		e = &fdb->slots[(*pos)++];
		if (slot_used(e) && !evpn_fdb_entry_expired(fdb, e, now))
			return e;
	}
	return NULL;
}
