// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Multicast group table and the pruned bounded flood (see mcast.h and
 * docs/protocol.md "Multicast").
 */
#include "mcast.h"
#include "hash.h"

static const uint8_t router_addr[EVPN_MC_ADDR_LEN];

static uint64_t load64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

/* Seeded: a remote node cannot aim groups at one chain. */
static uint32_t bucket_of(const struct evpn_mc *mc, const uint8_t *addr)
{
	return (uint32_t)evpn_fmix64(evpn_fmix64(load64(addr) ^ mc->seed) ^
				load64(addr + 8)) & mc->bmask;
}

static void node_buckets(const struct evpn_mc *mc, const struct evpn_id *node,
			 uint32_t b[2])
{
	uint64_t x = evpn_id_hash(node, mc->seed);

	b[0] = (uint32_t)x & (EVPN_MC_NODE_BUCKETS - 1);
	b[1] = (uint32_t)(x >> 32) & (EVPN_MC_NODE_BUCKETS - 1);
}

uint32_t evpn_mc_node_count(const struct evpn_mc *mc, const struct evpn_id *node)
{
	uint32_t b[2], c0, c1;

	node_buckets(mc, node, b);
	c0 = mc->node_cnt[0][b[0]];
	c1 = mc->node_cnt[1][b[1]];
	return c0 < c1 ? c0 : c1;
}

static void node_count_add(struct evpn_mc *mc, const struct evpn_id *node,
			   int d)
{
	uint32_t b[2];

	node_buckets(mc, node, b);
	mc->node_cnt[0][b[0]] += d;
	mc->node_cnt[1][b[1]] += d;
}

static uint32_t pow2_at_least(uint32_t n)
{
	uint32_t p = 1;

	while (p < n)
		p <<= 1;
	return p;
}

/* Layout of the caller's block: groups, members, buckets (8-byte aligned
 * pieces in this order). */
size_t evpn_mc_storage_size(uint32_t max_groups, uint32_t max_members)
{
	return (size_t)max_groups * sizeof(struct evpn_mc_group) +
	       (size_t)max_members * sizeof(struct evpn_mc_member) +
	       (size_t)pow2_at_least(max_groups) * sizeof(uint32_t);
}

int evpn_mc_init(struct evpn_mc *mc, void *mem, uint32_t max_groups,
		 uint32_t max_members, uint64_t seed)
{
	uint8_t *p = mem;
	uint32_t i, nb;

	if (!max_groups || !max_members || max_groups > (1u << 20) ||
	    max_members > (1u << 24))
		return -1;
	nb = pow2_at_least(max_groups);
	memset(mc, 0, sizeof(*mc));
	memset(mem, 0, evpn_mc_storage_size(max_groups, max_members));
	mc->groups = (struct evpn_mc_group *)p;
	p += (size_t)max_groups * sizeof(struct evpn_mc_group);
	mc->members = (struct evpn_mc_member *)p;
	p += (size_t)max_members * sizeof(struct evpn_mc_member);
	mc->buckets = (uint32_t *)p;
	mc->bmask = nb - 1;
	mc->max_groups = max_groups;
	mc->max_members = max_members;
	mc->node_max = max_members / EVPN_MC_NODE_SHARE;
	if (!mc->node_max)
		mc->node_max = 1;
	mc->seed = seed;
	mc->membership = EVPN_MC_MEMBERSHIP;
	mc->last_member = EVPN_MC_LAST_MEMBER;
	for (i = 0; i < nb; i++)
		mc->buckets[i] = EVPN_MC_NONE;
	for (i = 0; i < max_groups; i++)
		mc->groups[i].next = i + 1 < max_groups ? i + 1 : EVPN_MC_NONE;
	for (i = 0; i < max_members; i++)
		mc->members[i].next = i + 1 < max_members ? i + 1 : EVPN_MC_NONE;
	mc->free_group = 0;
	mc->free_member = 0;
	return 0;
}

/* ---- groups ----------------------------------------------------------- */

static uint32_t group_find(const struct evpn_mc *mc, const uint8_t *addr)
{
	uint32_t g = mc->buckets[bucket_of(mc, addr)];

	while (g != EVPN_MC_NONE &&
	       memcmp(mc->groups[g].addr, addr, EVPN_MC_ADDR_LEN))
		g = mc->groups[g].next;
	return g;
}

static uint32_t group_get(struct evpn_mc *mc, const uint8_t *addr)
{
	uint32_t g = group_find(mc, addr), b;
	struct evpn_mc_group *gr;

	if (g != EVPN_MC_NONE)
		return g;
	g = mc->free_group;
	if (g == EVPN_MC_NONE) {
		mc->refused_full++;
		return g;
	}
	gr = &mc->groups[g];
	mc->free_group = gr->next;
	b = bucket_of(mc, addr);
	memcpy(gr->addr, addr, EVPN_MC_ADDR_LEN);
	gr->flags = EVPN_MC_G_USED;
	gr->members = EVPN_MC_NONE;
	gr->nmembers = 0;
	gr->local_expires = 0;
	gr->next = mc->buckets[b];
	mc->buckets[b] = g;
	mc->ngroups++;
	return g;
}

/* Free @g if nothing refers to it any more. */
static void group_put(struct evpn_mc *mc, uint32_t g)
{
	struct evpn_mc_group *gr = &mc->groups[g];
	uint32_t *pp = &mc->buckets[bucket_of(mc, gr->addr)];

	if (gr->nmembers || gr->local_expires || (gr->flags & EVPN_MC_G_GONE))
		return;
	while (*pp != g)
		pp = &mc->groups[*pp].next;
	*pp = gr->next;
	memset(gr, 0, sizeof(*gr));
	gr->next = mc->free_group;
	mc->free_group = g;
	mc->ngroups--;
}

/* ---- local membership -------------------------------------------------- */

enum evpn_mc_result evpn_mc_local_join(struct evpn_mc *mc, const uint8_t *addr,
				       uint64_t now)
{
	uint32_t g = group_get(mc, addr);
	struct evpn_mc_group *gr;
	bool was_live;

	if (g == EVPN_MC_NONE)
		return EVPN_MC_FULL;
	gr = &mc->groups[g];
	was_live = gr->local_expires > now;
	if (!gr->local_expires && !(gr->flags & EVPN_MC_G_GONE))
		mc->nlocal++;
	gr->flags &= ~EVPN_MC_G_GONE;
	gr->leaves = 0;
	gr->local_expires = now + mc->membership;
	if (was_live)
		return EVPN_MC_REFRESHED;
	mc->dirty = true;
	return EVPN_MC_NEW;
}

void evpn_mc_local_leave(struct evpn_mc *mc, const uint8_t *addr, uint64_t now)
{
	uint32_t g = group_find(mc, addr);
	struct evpn_mc_group *gr;

	if (g == EVPN_MC_NONE)
		return;
	gr = &mc->groups[g];
	if (gr->local_expires > now + mc->last_member)
		gr->local_expires = now + mc->last_member;
}

/* ---- remote members ---------------------------------------------------- */

static uint32_t *member_link(struct evpn_mc *mc, struct evpn_mc_group *gr,
			     const struct evpn_id *node)
{
	uint32_t *pp = &gr->members;

	while (*pp != EVPN_MC_NONE && !evpn_id_eq(&mc->members[*pp].node, node))
		pp = &mc->members[*pp].next;
	return pp;
}

static void member_unlink(struct evpn_mc *mc, uint32_t *pp)
{
	uint32_t m = *pp;
	struct evpn_mc_member *mm = &mc->members[m];

	*pp = mm->next;
	mc->groups[mm->group].nmembers--;
	node_count_add(mc, &mm->node, -1);
	memset(mm, 0, sizeof(*mm));
	mm->next = mc->free_member;
	mc->free_member = m;
	mc->nmembers--;
}

enum evpn_mc_result evpn_mc_remote_join(struct evpn_mc *mc, const uint8_t *addr,
					const struct evpn_id *node,
					uint32_t hold, uint64_t now)
{
	struct evpn_mc_member *mm;
	struct evpn_mc_group *gr;
	uint32_t g, m, *pp;

	g = group_find(mc, addr);
	if (g != EVPN_MC_NONE) {
		pp = member_link(mc, &mc->groups[g], node);
		if (*pp != EVPN_MC_NONE) {
			mc->members[*pp].expires = now + hold;
			return EVPN_MC_REFRESHED;
		}
	}
	if (evpn_mc_node_count(mc, node) >= mc->node_max) {
		mc->refused_quota++;
		return EVPN_MC_QUOTA;
	}
	if (mc->free_member == EVPN_MC_NONE) {
		mc->refused_full++;
		return EVPN_MC_FULL;
	}
	g = group_get(mc, addr);
	if (g == EVPN_MC_NONE)
		return EVPN_MC_FULL;
	gr = &mc->groups[g];
	m = mc->free_member;
	mm = &mc->members[m];
	mc->free_member = mm->next;
	mm->node = *node;
	mm->expires = now + hold;
	mm->group = g;
	mm->next = gr->members;
	gr->members = m;
	gr->nmembers++;
	node_count_add(mc, node, 1);
	mc->nmembers++;
	return EVPN_MC_NEW;
}

void evpn_mc_remote_leave(struct evpn_mc *mc, const uint8_t *addr,
			  const struct evpn_id *node)
{
	uint32_t g = group_find(mc, addr), *pp;

	if (g == EVPN_MC_NONE)
		return;
	pp = member_link(mc, &mc->groups[g], node);
	if (*pp == EVPN_MC_NONE)
		return;
	member_unlink(mc, pp);
	group_put(mc, g);
}

/* ---- aging -------------------------------------------------------------- */

static void expire_group(struct evpn_mc *mc, uint32_t g, uint64_t now)
{
	struct evpn_mc_group *gr = &mc->groups[g];
	uint32_t *pp = &gr->members;

	while (*pp != EVPN_MC_NONE) {
		if (mc->members[*pp].expires <= now)
			member_unlink(mc, pp);
		else
			pp = &mc->members[*pp].next;
	}
	if (gr->local_expires && gr->local_expires <= now) {
		/* stays, flagged, until announcements carried the leave */
		gr->local_expires = 0;
		gr->flags |= EVPN_MC_G_GONE;
		gr->leaves = 1 + EVPN_MC_REPEAT;
		mc->dirty = true;
	}
	group_put(mc, g);
}

void evpn_mc_expire(struct evpn_mc *mc, uint64_t now)
{
	uint32_t g;

	for (g = 0; g < mc->max_groups; g++)
		if (mc->groups[g].flags & EVPN_MC_G_USED)
			expire_group(mc, g, now);
}

/* ---- forwarding ------------------------------------------------------- */

bool evpn_mc_local_wants(const struct evpn_mc *mc, const uint8_t *addr,
			 uint64_t now)
{
	uint32_t g;

	if (addr) {
		g = group_find(mc, addr);
		if (g != EVPN_MC_NONE && mc->groups[g].local_expires > now)
			return true;
	}
	g = group_find(mc, router_addr);
	return g != EVPN_MC_NONE && mc->groups[g].local_expires > now;
}

/* Mark in @keep the hops whose slice holds a live member of group @g. */
static void mark_slices(const struct evpn_mc *mc, uint32_t g,
			const struct evpn_id *nbrs,
			const struct evpn_flood_hop *hops, int n, uint64_t now,
			uint64_t *keep)
{
	const struct evpn_mc_member *mm;
	const struct evpn_id *nb;
	uint32_t m;
	int i;

	if (g == EVPN_MC_NONE)
		return;
	for (m = mc->groups[g].members; m != EVPN_MC_NONE; m = mm->next) {
		mm = &mc->members[m];
		if (mm->expires <= now)
			continue;
		for (i = 0; i < n; i++) {
			if (keep[i / 64] & (1ULL << (i % 64)))
				continue;
			nb = &nbrs[hops[i].nbr];
			if (evpn_id_eq(&mm->node, nb) ||
			    evpn_id_in_open(&mm->node, nb, &hops[i].end)) {
				keep[i / 64] |= 1ULL << (i % 64);
				break;	/* slices are disjoint */
			}
		}
	}
}

#define EVPN_MC_MAX_HOPS 256	/* DP_MAX_LINKS, EVPN_MAX_LINKS */

int evpn_mc_prune(const struct evpn_mc *mc, const uint8_t *addr,
		  const struct evpn_id *nbrs, struct evpn_flood_hop *hops,
		  int n, uint64_t now)
{
	uint64_t keep[EVPN_MC_MAX_HOPS / 64] = { 0 };
	int i, k = 0;

	if (n > EVPN_MC_MAX_HOPS)
		n = EVPN_MC_MAX_HOPS;
	if (addr)
		mark_slices(mc, group_find(mc, addr), nbrs, hops, n, now, keep);
	mark_slices(mc, group_find(mc, router_addr), nbrs, hops, n, now, keep);
	for (i = 0; i < n; i++)
		if (keep[i / 64] & (1ULL << (i % 64)))
			hops[k++] = hops[i];
	return k;
}

/* ---- dumps -------------------------------------------------------------- */

/* *pos: group index in the high 32 bits; 0 = the group's local entry,
 * m + 1 = the member after pool index m ... walked by list position. */
bool evpn_mc_next(const struct evpn_mc *mc, uint64_t *pos, uint64_t now,
		  struct evpn_mc_view *v)
{
	uint32_t g = (uint32_t)(*pos >> 32), idx = (uint32_t)*pos, j, m;
	const struct evpn_mc_group *gr;

	for (; g < mc->max_groups; g++, idx = 0) {
		gr = &mc->groups[g];
		if (!(gr->flags & EVPN_MC_G_USED))
			continue;
		memcpy(v->addr, gr->addr, EVPN_MC_ADDR_LEN);
		if (idx == 0) {
			idx = 1;
			if (gr->local_expires > now) {
				v->local = true;
				memset(&v->node, 0, sizeof(v->node));
				v->expires_in = (uint32_t)(gr->local_expires - now);
				*pos = (uint64_t)g << 32 | idx;
				return true;
			}
		}
		/* the (idx)th member of the list, counting from 1 */
		for (m = gr->members, j = 1; m != EVPN_MC_NONE;
		     m = mc->members[m].next, j++) {
			if (j < idx || mc->members[m].expires <= now)
				continue;
			v->local = false;
			v->node = mc->members[m].node;
			v->expires_in = (uint32_t)(mc->members[m].expires - now);
			*pos = (uint64_t)g << 32 | (j + 1);
			return true;
		}
	}
	*pos = (uint64_t)mc->max_groups << 32;
	return false;
}

/* ---- announcements -------------------------------------------------------- */

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

size_t evpn_mc_announce_build(struct evpn_mc *mc, uint8_t *buf, uint8_t flags,
			      uint32_t *cursor, uint64_t now)
{
	uint32_t g, start = *cursor, cnt = 0;
	struct evpn_mc_group *gr;
	uint8_t *e;
	size_t len;

	for (g = start; g < mc->max_groups && cnt < EVPN_MC_ANN_MAX_ENTRIES; g++) {
		gr = &mc->groups[g];
		if (!(gr->flags & EVPN_MC_G_USED))
			continue;
		if (!(gr->local_expires > now) && !(gr->flags & EVPN_MC_G_GONE))
			continue;
		e = buf + EVPN_MC_ANN_HDR + cnt * EVPN_MC_ANN_ENTRY;
		memset(e, 0, EVPN_MC_ANN_ENTRY);
		memcpy(e + 4, gr->addr, EVPN_MC_ADDR_LEN);
		if (gr->local_expires > now) {
			e[0] = EVPN_MC_OP_JOIN;
		} else {
			e[0] = EVPN_MC_OP_LEAVE;
			if (!gr->leaves || !--gr->leaves) {
				gr->flags &= ~EVPN_MC_G_GONE;
				mc->nlocal--;
				group_put(mc, g);
			}
		}
		cnt++;
	}
	*cursor = g;
	if (g >= mc->max_groups && start < mc->max_groups) {
		/* a complete announcement: the change, or one of its repeats */
		if (mc->dirty)
			mc->repeat = EVPN_MC_REPEAT;
		else if (mc->repeat)
			mc->repeat--;
		mc->dirty = false;
	}
	if (!cnt && !(start == 0 && flags))
		return 0;
	buf[0] = EVPN_MC_ANN_VERSION;
	buf[1] = flags;
	put16(buf + 2, EVPN_MC_HOLD);
	put16(buf + 4, (uint16_t)cnt);
	put16(buf + 6, 0);
	len = EVPN_MC_ANN_HDR + cnt * EVPN_MC_ANN_ENTRY;
	if (len < EVPN_MC_ANN_MIN) {
		memset(buf + len, 0, EVPN_MC_ANN_MIN - len);
		len = EVPN_MC_ANN_MIN;
	}
	return len;
}

int evpn_mc_announce_apply(struct evpn_mc *mc, const struct evpn_id *node,
			   const uint8_t *buf, size_t len, uint64_t now)
{
	uint32_t cnt, i, hold;
	const uint8_t *e;

	if (len < EVPN_MC_ANN_MIN || buf[0] != EVPN_MC_ANN_VERSION)
		return -1;
	hold = get16(buf + 2);
	cnt = get16(buf + 4);
	if (!hold || cnt > EVPN_MC_ANN_MAX_ENTRIES ||
	    len < EVPN_MC_ANN_HDR + cnt * EVPN_MC_ANN_ENTRY)
		return -1;
	for (i = 0; i < cnt; i++) {
		e = buf + EVPN_MC_ANN_HDR + i * EVPN_MC_ANN_ENTRY;
		if (e[0] != EVPN_MC_OP_JOIN && e[0] != EVPN_MC_OP_LEAVE)
			return -1;
	}
	for (i = 0; i < cnt; i++) {
		e = buf + EVPN_MC_ANN_HDR + i * EVPN_MC_ANN_ENTRY;
		if (e[0] == EVPN_MC_OP_JOIN)
			evpn_mc_remote_join(mc, e + 4, node, hold, now);
		else
			evpn_mc_remote_leave(mc, e + 4, node);
	}
	return buf[1];
}
