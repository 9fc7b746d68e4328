/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Multicast group table: which groups this node's local ports joined
 * (learned by snooping IGMP/MLD reports, core/mcsnoop.h) and which other
 * nodes want which group (learned from their membership announcements,
 * record type EVPN_TYPE_MCAST_ANN, docs/protocol.md "Multicast"). The
 * pruned bounded flood (evpn_mc_prune) asks it, per frame, which flood
 * slices hold a subscriber.
 *
 * Groups are 16-byte addresses: IPv6 as is, IPv4 as ::ffff:a.b.c.d. The
 * all-zero address is the "router" pseudo-group: a node whose ports hold a
 * multicast router or querier joins it and then receives every group.
 *
 * Storage is caller-provided (evpn_mc_storage_size), fixed at init: two
 * pools (groups, members) with free lists and a seeded chained hash over
 * groups. Pool indices are stable, so a dump or an announcement can walk
 * the pools with a plain index cursor. Each group lists its remote member
 * nodes (one entry per node, no cap but the pool); local membership is a
 * timestamp on the group itself. The caller supplies the time (seconds,
 * monotonic) and serialises access; no allocation.
 *
 * Bounds: at most max_groups groups and max_members remote (group, node)
 * pairs; one remote node may hold at most max_members / EVPN_MC_NODE_SHARE
 * of them (count-min sketch as in core/fdb.h, never an undercount).
 * Refusals are counted (refused_full, refused_quota).
 */
#ifndef EVPN_MCAST_H
#define EVPN_MCAST_H

#include "evpn_types.h"
#include "id.h"
#include "fwd.h"

#define EVPN_MC_ADDR_LEN	16
#define EVPN_MC_NONE		0xffffffffu

/* Defaults, as IGMPv3 (RFC 3376 8.x) with robustness 2. */
#define EVPN_MC_QUERY_INTERVAL	125	/* our local querier, seconds */
#define EVPN_MC_QUERY_RESPONSE	10	/* max response time in queries */
#define EVPN_MC_MEMBERSHIP	260	/* 2 * 125 + 10: local entry life */
#define EVPN_MC_LAST_MEMBER	2	/* after a leave: 2 * 1 s */
/* Announcements: refresh every ANNOUNCE seconds, remote entries live HOLD */
#define EVPN_MC_ANNOUNCE	60
#define EVPN_MC_HOLD		150
#define EVPN_MC_SOLICIT_GAP	10	/* answer a solicitation at most this often */
/*
 * Robustness (IGMPv3's Robustness Variable, RFC 3376 8.1 and 8.11; MLDv2,
 * RFC 3810 9.1): a change of local membership is announced at once and
 * then EVPN_MC_REPEAT more times, one per announcement tick (1 s apart),
 * so one lost announcement (a flood of UDP records across log N hops)
 * costs a second instead of a refresh period. A leave is carried by those
 * announcements too, then forgotten.
 */
#define EVPN_MC_REPEAT		2

#define EVPN_MC_GROUPS_DEFAULT	1024
#define EVPN_MC_MEMBERS_DEFAULT	8192
#define EVPN_MC_NODE_SHARE	4
#define EVPN_MC_NODE_BUCKETS	256

#define EVPN_MC_G_USED		0x01
#define EVPN_MC_G_GONE		0x02	/* local member left: announce a leave */

struct evpn_mc_group {
	uint8_t addr[EVPN_MC_ADDR_LEN];
	uint8_t flags;
	uint32_t next;		/* hash chain, or free list */
	uint32_t members;	/* first remote member, or EVPN_MC_NONE */
	uint32_t nmembers;
	uint64_t local_expires;	/* 0: no local member */
	uint8_t leaves;		/* GONE: announcements still to carry the leave */
};

struct evpn_mc_member {
	struct evpn_id node;
	uint64_t expires;
	uint32_t next;		/* next member of the group, or free list */
	uint32_t group;
};

struct evpn_mc {
	struct evpn_mc_group *groups;
	struct evpn_mc_member *members;
	uint32_t *buckets;
	uint32_t bmask;
	uint32_t max_groups, max_members, node_max;
	uint32_t ngroups, nmembers, nlocal;
	uint32_t free_group, free_member;
	uint64_t seed;
	uint32_t node_cnt[2][EVPN_MC_NODE_BUCKETS];
	uint32_t membership, last_member;	/* seconds */
	bool dirty;		/* local membership changed: announce soon */
	uint8_t repeat;		/* announcements still owed for the last change */
	uint64_t refused_full, refused_quota;
};

/* Bytes of storage for the given limits (both >= 1). */
size_t evpn_mc_storage_size(uint32_t max_groups, uint32_t max_members);
/* @mem: evpn_mc_storage_size() bytes, suitably aligned (malloc/kvmalloc).
 * Returns 0, or -1 on bad limits. */
int evpn_mc_init(struct evpn_mc *mc, void *mem, uint32_t max_groups,
		 uint32_t max_members, uint64_t seed);

/* Results of the join functions; negative = refused and counted. */
enum evpn_mc_result {
	EVPN_MC_REFRESHED = 0,
	EVPN_MC_NEW = 1,
	EVPN_MC_FULL = -1,
	EVPN_MC_QUOTA = -2,
};

/* A local port joined (or re-reported) @addr. */
enum evpn_mc_result evpn_mc_local_join(struct evpn_mc *mc, const uint8_t *addr,
				       uint64_t now);
/* A local port left @addr: the entry lives last_member more seconds (other
 * ports behind this node answer the group query in that time). */
void evpn_mc_local_leave(struct evpn_mc *mc, const uint8_t *addr, uint64_t now);
/* Remote node @node wants @addr for @hold seconds (from its announcement). */
enum evpn_mc_result evpn_mc_remote_join(struct evpn_mc *mc, const uint8_t *addr,
					const struct evpn_id *node,
					uint32_t hold, uint64_t now);
void evpn_mc_remote_leave(struct evpn_mc *mc, const uint8_t *addr,
			  const struct evpn_id *node);

/* Drop expired entries (call every second or so). An expired local entry
 * is kept, flagged GONE, until 1 + EVPN_MC_REPEAT announcements said so. */
void evpn_mc_expire(struct evpn_mc *mc, uint64_t now);

/* Frames for @addr are delivered to the local ports: a local member of
 * @addr (NULL: none asked) or a local router. */
bool evpn_mc_local_wants(const struct evpn_mc *mc, const uint8_t *addr,
			 uint64_t now);

/*
 * The pruned bounded flood: of the @n hops evpn_flood_split() chose
 * (neighbour @nbrs[hop.nbr] covers itself and (itself, hop.end)), keep those
 * whose slice holds a live remote member of @addr or a router node (@addr
 * NULL: routers only, e.g. for IGMP/MLD reports). Compacts @hops in place
 * and returns the new count. Cost O(members of @addr and routers * n).
 */
int evpn_mc_prune(const struct evpn_mc *mc, const uint8_t *addr,
		  const struct evpn_id *nbrs, struct evpn_flood_hop *hops,
		  int n, uint64_t now);

/* Counters of remote entries held for @node (upper bound, see above). */
uint32_t evpn_mc_node_count(const struct evpn_mc *mc, const struct evpn_id *node);

/*
 * Dump iteration: *pos starts at 0 and is opaque. Each call fills @v with
 * the next live entry (local entries have local = true and node unset) and
 * returns true, or false at the end.
 */
struct evpn_mc_view {
	uint8_t addr[EVPN_MC_ADDR_LEN];
	bool local;
	struct evpn_id node;
	uint32_t expires_in;	/* seconds */
};
bool evpn_mc_next(const struct evpn_mc *mc, uint64_t *pos, uint64_t now,
		  struct evpn_mc_view *v);

/* ---- membership announcements (payload of EVPN_TYPE_MCAST_ANN) --------
 *
 *   0 version (1) = 1    1 flags (1)    2 hold seconds (BE16)
 *   4 count (BE16)       6 reserved (BE16) = 0
 *   8 count x { op (1): 1 join, 2 leave; reserved (3) = 0; group (16) }
 *   then zero padding up to EVPN_MC_ANN_MIN bytes (records carry at least
 *   an Ethernet header's worth of plaintext).
 */
#define EVPN_MC_ANN_VERSION	1
#define EVPN_MC_ANN_F_SOLICIT	0x01	/* "I am new: re-announce yours" */
#define EVPN_MC_ANN_HDR		8
#define EVPN_MC_ANN_ENTRY	20
#define EVPN_MC_ANN_MIN		14
#define EVPN_MC_ANN_MAX_ENTRIES	64	/* 1288 bytes: fits the default MTU */
#define EVPN_MC_ANN_MAX_LEN	(EVPN_MC_ANN_HDR + \
				 EVPN_MC_ANN_MAX_ENTRIES * EVPN_MC_ANN_ENTRY)
#define EVPN_MC_OP_JOIN		1
#define EVPN_MC_OP_LEAVE	2

/*
 * Build the next announcement of the local memberships into @buf (room for
 * EVPN_MC_ANN_MAX_LEN): joins for live local groups, leaves for GONE ones
 * (forgotten once 1 + EVPN_MC_REPEAT announcements carried them). *cursor
 * starts at 0. Returns the payload length, or 0 when everything was listed
 * (and at least one record was built, unless the table has nothing to say
 * and @flags is 0). Once complete: clears dirty, and owes EVPN_MC_REPEAT
 * repeats if it was set (one fewer if not: every announcement repeats).
 */
size_t evpn_mc_announce_build(struct evpn_mc *mc, uint8_t *buf, uint8_t flags,
			      uint32_t *cursor, uint64_t now);

/* Apply an announcement from @node. Returns -1 if malformed (nothing
 * applied), else its flags. */
int evpn_mc_announce_apply(struct evpn_mc *mc, const struct evpn_id *node,
			   const uint8_t *buf, size_t len, uint64_t now);

/* Is an announcement due for a change (dirty, or repeats still owed)?
 * The datapaths check this every tick (besides the refresh and answers to
 * solicitations). */
static inline bool evpn_mc_change_pending(const struct evpn_mc *mc)
{
	return mc->dirty || mc->repeat;
}

/* Groups this node has local state for (live or GONE). */
static inline bool evpn_mc_has_local(const struct evpn_mc *mc)
{
	return mc->nlocal != 0;
}

#endif /* EVPN_MCAST_H */
