/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Layer-2 forwarding database: MAC address -> overlay node ID, learned from
 * the source MAC of every received frame (like a VXLAN FDB), with aging, a
 * size limit and static entries.
 *
 * Fixed-capacity open-addressing table in caller-provided storage; the caller
 * supplies the current time (seconds, any monotonic origin) and serialises
 * access. No allocation.
 *
 * Layout: linear probing with backward-shift deletion (no tombstones), a
 * hash keyed by a caller-supplied random seed (so remote senders cannot aim
 * MACs at one bucket), at most EVPN_FDB_MAX_PROBE slots from an entry's home
 * slot (an insert that would go further is refused), and at most half the
 * slots in use. Every operation is therefore O(EVPN_FDB_MAX_PROBE) except
 * evpn_fdb_expire()/evpn_fdb_flush*() and iteration, which walk the table.
 *
 * Expired entries stay in the table until evpn_fdb_expire() removes them or
 * a learn reuses their slot, but lookups never return them and dumps skip
 * them. Call evpn_fdb_expire() periodically (e.g. every few seconds).
 */
#ifndef EVPN_FDB_H
#define EVPN_FDB_H

#include "evpn_types.h"
#include "id.h"

#define EVPN_ETH_ALEN		6
#define EVPN_FDB_AGE_DEFAULT	300	/* seconds, as Linux bridges */
#define EVPN_FDB_MAX_DEFAULT	4096	/* entries; capacity >= 2 * max */
#define EVPN_FDB_MAX_PROBE	64	/* slots from home, hard bound */
/*
 * Quota per source node: by default one node's learned (dynamic) entries may
 * take at most max / EVPN_FDB_SRC_SHARE slots (1024 of the default 4096), so
 * a member flooding new MACs cannot stop learning for everyone else
 * (docs/security.md). Statics are not counted.
 *
 * Entries per node are counted in a count-min sketch (two rows of
 * EVPN_FDB_SRC_BUCKETS counters, seeded hashes of the node ID): exact for a
 * node that shares no bucket, never an undercount, so no node ever holds more
 * than the quota. A node is refused early only if both of its buckets are
 * saturated by others; at most EVPN_FDB_SRC_SHARE buckets per row can be, so
 * that happens to a given node with probability <= (4/256)^2 ~ 1/4096, and
 * the seed (per table, random) is not known remotely.
 */
#define EVPN_FDB_SRC_SHARE	4
#define EVPN_FDB_SRC_BUCKETS	256	/* per row, a power of two */

/* One slot: 32 bytes. A slot with flags == 0 is empty. */
#define EVPN_FDB_F_USED		0x01
#define EVPN_FDB_F_STATIC	0x02	/* never aged, never overwritten by learning */
/* Learned from a record whose origin nothing proved (a relayed flood,
 * docs/protocol.md 14.3): never overrides a live proven entry; a proven
 * learn overrides it and clears the flag. */
#define EVPN_FDB_F_TENTATIVE	0x04

struct evpn_fdb_entry {
	uint8_t mac[EVPN_ETH_ALEN];
	uint8_t flags;
	uint8_t pad;
	struct evpn_id node;	/* where frames to @mac go */
	uint64_t seen;		/* time of last learn (or of add_static) */
};

struct evpn_fdb {
	struct evpn_fdb_entry *slots;	/* caller's array, capacity entries */
	uint32_t mask;			/* capacity - 1 */
	uint32_t max;			/* entry limit, <= capacity / 2 */
	uint32_t count;			/* used slots (incl. expired, static) */
	uint32_t age;			/* seconds; 0 = dynamic entries never age */
	uint64_t seed;			/* hash key */
	uint32_t src_max;		/* dynamic entries per source node */
	/* count-min sketch of dynamic entries per node (see above) */
	uint32_t src_cnt[2][EVPN_FDB_SRC_BUCKETS];
	/* learns refused: table full (or probe bound) / source at its quota.
	 * Updated under the caller's write serialisation. */
	uint64_t refused_full;
	uint64_t refused_quota;
};

/*
 * @slots: @capacity entries (a power of two, >= 2), zeroed here.
 * @max: 1 .. capacity / 2. @age: seconds (0: no aging). @seed: random bits
 * (get_random_u64() / getrandom()). Returns 0, or -1 on bad parameters.
 */
int evpn_fdb_init(struct evpn_fdb *fdb, struct evpn_fdb_entry *slots,
		  uint32_t capacity, uint32_t max, uint32_t age, uint64_t seed);
/* Change the limit (1 .. capacity / 2); entries above it are not removed,
 * learning just refuses new MACs until the count drops. Resets the per-source
 * quota to the default for the new limit. Returns 0 or -1. */
int evpn_fdb_set_max(struct evpn_fdb *fdb, uint32_t max);
/* Per-source quota (1 .. max; max turns it off). Returns 0 or -1. */
int evpn_fdb_set_src_max(struct evpn_fdb *fdb, uint32_t src_max);
/* Dynamic entries currently counted for @node (an upper bound, see above). */
uint32_t evpn_fdb_src_count(const struct evpn_fdb *fdb,
			    const struct evpn_id *node);
void evpn_fdb_set_age(struct evpn_fdb *fdb, uint32_t age);

/* Group bit set (multicast/broadcast) or all-zero: never an FDB key. */
bool evpn_mac_is_group(const uint8_t mac[EVPN_ETH_ALEN]);

/* Outcomes of evpn_fdb_learn() / evpn_fdb_add_static(). Negative = refused. */
enum evpn_fdb_result {
	EVPN_FDB_REFRESHED = 0,	/* live entry, same node: timestamp updated */
	EVPN_FDB_NEW = 1,	/* new entry (or an expired one revived) */
	EVPN_FDB_MOVED = 2,	/* live entry now points to another node */
	EVPN_FDB_STATIC = 3,	/* learn ignored: a static entry owns the MAC */
	EVPN_FDB_PROVEN = 4,	/* tentative learn ignored: a live proven
				 * entry points to another node */
	EVPN_FDB_FULL = -1,	/* at max (nothing expired to evict) or probe
				 * bound reached: not added, count it */
	EVPN_FDB_INVALID = -2,	/* group or all-zero MAC */
	EVPN_FDB_QUOTA = -3,	/* the node already holds its quota of
				 * learned MACs: not added/moved, count it */
};

/* Learn @mac -> @node at time @now. Never touches static entries. When the
 * table is full, reuses an expired entry on the MAC's probe path or within
 * EVPN_FDB_MAX_PROBE slots of its home; otherwise refuses (EVPN_FDB_FULL).
 * A new or moved MAC whose node is at its quota is refused (EVPN_FDB_QUOTA);
 * refreshing a MAC the node already holds always works. Refusals are
 * counted in refused_full / refused_quota. */
enum evpn_fdb_result evpn_fdb_learn(struct evpn_fdb *fdb,
				    const uint8_t mac[EVPN_ETH_ALEN],
				    const struct evpn_id *node, uint64_t now);

/* The same for an unproven origin (a relayed flood): the entry is marked
 * EVPN_FDB_F_TENTATIVE; a live proven entry of another node is kept
 * (EVPN_FDB_PROVEN). evpn_fdb_learn() is the proven learn: it overrides
 * tentative entries and clears the mark. */
enum evpn_fdb_result evpn_fdb_learn_tentative(struct evpn_fdb *fdb,
					      const uint8_t mac[EVPN_ETH_ALEN],
					      const struct evpn_id *node,
					      uint64_t now);

/* Add or replace a static entry (replaces a dynamic one for the same MAC).
 * Returns EVPN_FDB_NEW, EVPN_FDB_MOVED (replaced), EVPN_FDB_REFRESHED
 * (already static, same node), EVPN_FDB_FULL or EVPN_FDB_INVALID. */
enum evpn_fdb_result evpn_fdb_add_static(struct evpn_fdb *fdb,
					 const uint8_t mac[EVPN_ETH_ALEN],
					 const struct evpn_id *node,
					 uint64_t now);

/* Live entry for @mac at @now, or NULL (absent or expired). The pointer is
 * valid until the next modifying call. */
const struct evpn_fdb_entry *evpn_fdb_lookup(const struct evpn_fdb *fdb,
					     const uint8_t mac[EVPN_ETH_ALEN],
					     uint64_t now);

/* Remove @mac (static or dynamic). Returns true if it was present. */
bool evpn_fdb_del(struct evpn_fdb *fdb, const uint8_t mac[EVPN_ETH_ALEN]);

/* Remove expired dynamic entries. Returns how many were removed. */
uint32_t evpn_fdb_expire(struct evpn_fdb *fdb, uint64_t now);

/* Remove the dynamic (and, if @statics, static) entries pointing to @node,
 * e.g. when its last route went away. Returns how many were removed. */
uint32_t evpn_fdb_flush_node(struct evpn_fdb *fdb, const struct evpn_id *node,
			     bool statics);

/* Remove every dynamic (and, if @statics, static) entry. */
uint32_t evpn_fdb_flush(struct evpn_fdb *fdb, bool statics);

/* True if @e is a dynamic entry older than the aging time at @now. */
bool evpn_fdb_entry_expired(const struct evpn_fdb *fdb,
			    const struct evpn_fdb_entry *e, uint64_t now);

/*
 * Iteration for dumps: start with *pos = 0; each call returns the next live
 * (unexpired) entry and advances *pos, or NULL at the end. *pos is a slot
 * index, so a dump may resume from it later (netlink dump style); entries
 * added or removed in between may be missed or seen twice.
 */
const struct evpn_fdb_entry *evpn_fdb_next(const struct evpn_fdb *fdb,
					   uint32_t *pos, uint64_t now);

#endif /* EVPN_FDB_H */
