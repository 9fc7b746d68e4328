// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Unit and property tests: the multicast group table, announcements,
 * IGMP/MLD snooping and the pruned bounded flood (core/mcast.c,
 * core/mcsnoop.c).
 *
 * The property test builds random rings (successor/predecessor links plus
 * random long links), picks random subscriber sets (none, a few, most
 * nodes) and floods hop by hop with the real evpn_flood_split() +
 * evpn_mc_prune(): every subscriber gets the frame exactly once, no node
 * twice, and every non-subscriber that gets it passes it on (pruning leaves
 * no dead-end copies). The seed is printed; EVPN_TEST_SEED=... replays it.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "mcast.h"
#include "mcsnoop.h"
#include "wire.h"
#include "core_test_util.h"
#include "unit.h"

static struct evpn_mc *mc_new(uint32_t groups, uint32_t members)
{
	struct evpn_mc *mc = calloc(1, sizeof(*mc));
	void *mem = malloc(evpn_mc_storage_size(groups, members));

	ck_assert_ptr_nonnull(mc);
	ck_assert_ptr_nonnull(mem);
	ck_assert_int_eq(evpn_mc_init(mc, mem, groups, members, 42), 0);
	return mc;
}

static void mc_free(struct evpn_mc *mc)
{
	free(mc->groups);	/* the start of the storage block */
	free(mc);
}

static void g4(uint8_t out[16], uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	memset(out, 0, 16);
	out[10] = out[11] = 0xff;
	out[12] = a; out[13] = b; out[14] = c; out[15] = d;
}

static int count_entries(const struct evpn_mc *mc, uint64_t now, bool local)
{
	struct evpn_mc_view v;
	uint64_t pos = 0;
	int n = 0;

	while (evpn_mc_next(mc, &pos, now, &v))
		n += v.local == local;
	return n;
}

/* ---- table ---- */

START_TEST(test_local_join_leave_expire)
{
	struct evpn_mc *mc = mc_new(16, 64);
	uint8_t g[16], buf[EVPN_MC_ANN_MAX_LEN];
	uint32_t cur = 0;
	size_t len;
	int i;

	g4(g, 239, 1, 2, 3);
	ck_assert(!evpn_mc_local_wants(mc, g, 100));
	ck_assert_int_eq(evpn_mc_local_join(mc, g, 100), EVPN_MC_NEW);
	ck_assert(mc->dirty);
	ck_assert_int_eq(evpn_mc_local_join(mc, g, 150), EVPN_MC_REFRESHED);
	ck_assert(evpn_mc_local_wants(mc, g, 150 + EVPN_MC_MEMBERSHIP - 1));
	/* not refreshed: times out like an IGMP membership */
	ck_assert(!evpn_mc_local_wants(mc, g, 150 + EVPN_MC_MEMBERSHIP));
	evpn_mc_expire(mc, 150 + EVPN_MC_MEMBERSHIP);
	ck_assert_uint_eq(mc->ngroups, 1);	/* kept: leave to announce */
	/* the leave: announced, then repeated EVPN_MC_REPEAT times */
	for (i = 0; i <= EVPN_MC_REPEAT; i++) {
		ck_assert(evpn_mc_change_pending(mc));
		cur = 0;
		len = evpn_mc_announce_build(mc, buf, 0, &cur, 500 + i);
		ck_assert_uint_eq(len, EVPN_MC_ANN_HDR + EVPN_MC_ANN_ENTRY);
		ck_assert_uint_eq(buf[EVPN_MC_ANN_HDR], EVPN_MC_OP_LEAVE);
		ck_assert_uint_eq(evpn_mc_announce_build(mc, buf, 0, &cur, 500 + i), 0);
		ck_assert_uint_eq(mc->ngroups, i < EVPN_MC_REPEAT ? 1 : 0);
		ck_assert(!mc->dirty);
		ck_assert_uint_eq(mc->repeat, EVPN_MC_REPEAT - i);
	}
	ck_assert(!evpn_mc_change_pending(mc));
	cur = 0;
	ck_assert_uint_eq(evpn_mc_announce_build(mc, buf, 0, &cur, 500), 0);

	/* a leave shortens the entry to the last-member time */
	evpn_mc_local_join(mc, g, 1000);
	evpn_mc_local_leave(mc, g, 1001);
	ck_assert(evpn_mc_local_wants(mc, g, 1001 + EVPN_MC_LAST_MEMBER - 1));
	ck_assert(!evpn_mc_local_wants(mc, g, 1001 + EVPN_MC_LAST_MEMBER));
	/* ... unless another port reports again */
	evpn_mc_local_join(mc, g, 1002);
	ck_assert(evpn_mc_local_wants(mc, g, 1100));
	mc_free(mc);
}
END_TEST

/* A join is announced, then repeated EVPN_MC_REPEAT times (a lost one
 * costs a tick, not a refresh period); a refresh of an existing
 * membership owes nothing; a rejoin during a leave's repeats announces
 * the join, not the leave. */
START_TEST(test_announce_repeat)
{
	struct evpn_mc *mc = mc_new(16, 64), *b = mc_new(16, 64);
	struct evpn_id na = mkid(7, 7);
	uint8_t g[16], buf[EVPN_MC_ANN_MAX_LEN], buf2[EVPN_MC_ANN_MAX_LEN];
	uint32_t cur;
	size_t len = 0;
	int i, sent;

	g4(g, 239, 1, 2, 3);
	ck_assert(!evpn_mc_change_pending(mc));
	evpn_mc_local_join(mc, g, 10);
	/* what a datapath tick does: announce while a change is pending */
	for (sent = 0; sent < 10 && evpn_mc_change_pending(mc); sent++) {
		cur = 0;
		len = evpn_mc_announce_build(mc, buf, 0, &cur, 10 + sent);
		ck_assert_uint_eq(buf[EVPN_MC_ANN_HDR], EVPN_MC_OP_JOIN);
		ck_assert_uint_eq(evpn_mc_announce_build(mc, buf2, 0, &cur,
							 10 + sent), 0);
	}
	/* the last copy alone (the others lost) teaches b */
	ck_assert_int_eq(evpn_mc_announce_apply(b, &na, buf, len, 20), 0);
	ck_assert_int_eq(sent, 1 + EVPN_MC_REPEAT);
	ck_assert_uint_eq(b->nmembers, 1);
	/* a refresh changes nothing */
	ck_assert_int_eq(evpn_mc_local_join(mc, g, 20), EVPN_MC_REFRESHED);
	ck_assert(!evpn_mc_change_pending(mc));
	/* leave, one announcement, rejoin: the join wins, repeated anew */
	evpn_mc_expire(mc, 20 + EVPN_MC_MEMBERSHIP);
	cur = 0;
	evpn_mc_announce_build(mc, buf, 0, &cur, 300);
	ck_assert_uint_eq(buf[EVPN_MC_ANN_HDR], EVPN_MC_OP_LEAVE);
	evpn_mc_announce_build(mc, buf, 0, &cur, 300);
	ck_assert_int_eq(evpn_mc_local_join(mc, g, 301), EVPN_MC_NEW);
	ck_assert_uint_eq(mc->nlocal, 1);
	for (i = 0; i <= EVPN_MC_REPEAT; i++) {
		cur = 0;
		evpn_mc_announce_build(mc, buf, 0, &cur, 302 + i);
		ck_assert_uint_eq(buf[EVPN_MC_ANN_HDR], EVPN_MC_OP_JOIN);
		evpn_mc_announce_build(mc, buf, 0, &cur, 302 + i);
	}
	ck_assert(!evpn_mc_change_pending(mc));
	ck_assert_uint_eq(mc->ngroups, 1);
	mc_free(mc);
	mc_free(b);
}
END_TEST

START_TEST(test_remote_members_limits)
{
	struct evpn_mc *mc = mc_new(8, 16);
	struct evpn_id a = mkid(1, 1), b = mkid(2, 2);
	uint8_t g[16];
	int i;

	g4(g, 239, 0, 0, 1);
	ck_assert_int_eq(evpn_mc_remote_join(mc, g, &a, 10, 0), EVPN_MC_NEW);
	ck_assert_int_eq(evpn_mc_remote_join(mc, g, &a, 10, 5), EVPN_MC_REFRESHED);
	ck_assert_int_eq(evpn_mc_remote_join(mc, g, &b, 10, 5), EVPN_MC_NEW);
	ck_assert_uint_eq(mc->nmembers, 2);
	ck_assert_int_eq(count_entries(mc, 6, false), 2);
	evpn_mc_remote_leave(mc, g, &b);
	ck_assert_uint_eq(mc->nmembers, 1);
	evpn_mc_expire(mc, 15);		/* a's hold (10 s from 5) ran out */
	ck_assert_uint_eq(mc->nmembers, 0);
	ck_assert_uint_eq(mc->ngroups, 0);

	/* per-node quota: 16 / EVPN_MC_NODE_SHARE = 4 groups for node a */
	for (i = 0; i < 4; i++) {
		g4(g, 239, 0, 1, (uint8_t)i);
		ck_assert_int_eq(evpn_mc_remote_join(mc, g, &a, 100, 0),
				 EVPN_MC_NEW);
	}
	g4(g, 239, 0, 1, 9);
	ck_assert_int_eq(evpn_mc_remote_join(mc, g, &a, 100, 0), EVPN_MC_QUOTA);
	ck_assert_uint_eq(mc->refused_quota, 1);
	/* group limit: 8 groups */
	for (i = 0; i < 4; i++) {
		g4(g, 239, 0, 2, (uint8_t)i);
		ck_assert_int_eq(evpn_mc_remote_join(mc, g, &b, 100, 0),
				 EVPN_MC_NEW);
	}
	g4(g, 239, 0, 3, 0);
	ck_assert_int_eq(evpn_mc_local_join(mc, g, 0), EVPN_MC_FULL);
	ck_assert_uint_eq(mc->refused_full, 1);
	ck_assert_uint_eq(mc->ngroups, 8);
	mc_free(mc);
}
END_TEST

START_TEST(test_announce_roundtrip)
{
	struct evpn_mc *a = mc_new(256, 1024), *b = mc_new(256, 1024);
	struct evpn_id na = mkid(7, 7);
	uint8_t g[16], buf[EVPN_MC_ANN_MAX_LEN];
	uint32_t cur = 0;
	size_t len;
	int i, recs = 0;

	/* 100 groups: two records (64 + 36), the first soliciting */
	for (i = 0; i < 100; i++) {
		g4(g, 239, 9, 0, (uint8_t)i);
		evpn_mc_local_join(a, g, 10);
	}
	while ((len = evpn_mc_announce_build(a, buf, recs ? 0 : EVPN_MC_ANN_F_SOLICIT,
					     &cur, 10))) {
		ck_assert_int_eq(evpn_mc_announce_apply(b, &na, buf, len, 10),
				 recs ? 0 : EVPN_MC_ANN_F_SOLICIT);
		recs++;
	}
	ck_assert_int_eq(recs, 2);
	ck_assert_uint_eq(b->nmembers, 100);
	ck_assert_int_eq(count_entries(b, 11, false), 100);
	/* they hold EVPN_MC_HOLD seconds */
	evpn_mc_expire(b, 10 + EVPN_MC_HOLD);
	ck_assert_uint_eq(b->nmembers, 0);

	/* an empty solicitation is padded to the minimum record */
	{
		struct evpn_mc *c = mc_new(4, 4);

		cur = 0;
		len = evpn_mc_announce_build(c, buf, EVPN_MC_ANN_F_SOLICIT, &cur, 0);
		ck_assert_uint_eq(len, EVPN_MC_ANN_MIN);
		ck_assert_int_eq(evpn_mc_announce_apply(b, &na, buf, len, 0),
				 EVPN_MC_ANN_F_SOLICIT);
		mc_free(c);
	}
	/* malformed: short, bad version, count past the end, bad op */
	memset(buf, 0, sizeof(buf));
	buf[0] = 1; buf[3] = 100; buf[5] = 1;
	ck_assert_int_eq(evpn_mc_announce_apply(b, &na, buf, 13, 0), -1);
	ck_assert_int_eq(evpn_mc_announce_apply(b, &na, buf, 27, 0), -1);
	buf[EVPN_MC_ANN_HDR] = 9;
	ck_assert_int_eq(evpn_mc_announce_apply(b, &na, buf, 28, 0), -1);
	buf[EVPN_MC_ANN_HDR] = EVPN_MC_OP_JOIN;
	buf[0] = 2;
	ck_assert_int_eq(evpn_mc_announce_apply(b, &na, buf, 28, 0), -1);
	buf[0] = 1;
	ck_assert_int_eq(evpn_mc_announce_apply(b, &na, buf, 28, 0), 0);
	ck_assert_uint_eq(b->nmembers, 1);
	mc_free(a);
	mc_free(b);
}
END_TEST

/* ---- pruned flood: the five-node example of tests/netns/test_tap_mcast.sh */

START_TEST(test_prune_example)
{
	struct evpn_mc *mc = mc_new(16, 64);
	struct evpn_id A = mkid(0x1000000000000000ULL, 1),
		       B = mkid(0x3000000000000000ULL, 2),
		       C = mkid(0x5000000000000000ULL, 3),
		       D = mkid(0x8000000000000000ULL, 4),
		       E = mkid(0xc000000000000000ULL, 5);
	struct evpn_id nbrs[3] = { E, D, B };
	struct evpn_flood_hop hops[3];
	uint8_t g[16], zero[16] = { 0 };
	int n;

	g4(g, 239, 1, 2, 3);
	evpn_mc_remote_join(mc, g, &B, 100, 0);
	evpn_mc_remote_join(mc, g, &D, 100, 0);
	n = evpn_flood_split(&A, &A, nbrs, 3, -1, hops);
	ck_assert_int_eq(n, 3);
	n = evpn_mc_prune(mc, g, nbrs, hops, n, 1);
	ck_assert_int_eq(n, 2);		/* B and D, not E */
	ck_assert(evpn_id_eq(&nbrs[hops[0].nbr], &B));
	ck_assert(evpn_id_eq(&hops[0].end, &D));
	ck_assert(evpn_id_eq(&nbrs[hops[1].nbr], &D));
	/* reports go to routers only: none yet */
	n = evpn_flood_split(&A, &A, nbrs, 3, -1, hops);
	ck_assert_int_eq(evpn_mc_prune(mc, NULL, nbrs, hops, n, 1), 0);
	/* a router node behind C: its slice is kept for every group */
	evpn_mc_remote_join(mc, zero, &C, 100, 0);
	n = evpn_flood_split(&A, &A, nbrs, 3, -1, hops);
	ck_assert_int_eq(evpn_mc_prune(mc, NULL, nbrs, hops, n, 1), 1);
	ck_assert(evpn_id_eq(&nbrs[hops[0].nbr], &B));	/* C is in B's slice */
	/* expired members prune too */
	n = evpn_flood_split(&A, &A, nbrs, 3, -1, hops);
	ck_assert_int_eq(evpn_mc_prune(mc, g, nbrs, hops, n, 100), 0);
	mc_free(mc);
}
END_TEST

/* ---- property: pruned flood over random overlays ---- */

#define PN_MAX 400
#define PL_MAX 24

struct pgraph {
	int n;
	struct evpn_id id[PN_MAX];
	int deg[PN_MAX];
	int adj[PN_MAX][PL_MAX];
	struct evpn_id adj_id[PN_MAX][PL_MAX];
};

static int cmp_id(const void *a, const void *b)
{
	return evpn_id_cmp(a, b);
}

static void link2(struct pgraph *g, int a, int b)
{
	int i;

	if (a == b || g->deg[a] >= PL_MAX || g->deg[b] >= PL_MAX)
		return;
	for (i = 0; i < g->deg[a]; i++)
		if (g->adj[a][i] == b)
			return;
	g->adj[a][g->deg[a]] = b;
	g->adj_id[a][g->deg[a]++] = g->id[b];
	g->adj[b][g->deg[b]] = a;
	g->adj_id[b][g->deg[b]++] = g->id[a];
}

static void build(struct pgraph *g, struct trng *r, int n)
{
	int i, k;

	memset(g, 0, sizeof(*g));
	g->n = n;
	for (i = 0; i < n; i++)
		g->id[i] = mkid(trng_next(r), trng_next(r));
	qsort(g->id, n, sizeof(g->id[0]), cmp_id);
	for (i = 0; i < n; i++)
		link2(g, i, (i + 1) % n);
	for (i = 0; i < n; i++)
		for (k = 0; k < 3; k++)
			link2(g, i, (int)trng_below(r, n));
}

static int recv_cnt[PN_MAX];
static int sent_cnt[PN_MAX];

/* Node @x got the frame from @from (-1: origin) and covers (x, end). */
static void pflood(struct pgraph *g, struct evpn_mc *mc, const uint8_t *grp,
		   int x, int from, const struct evpn_id *end, int ttl)
{
	struct evpn_flood_hop hops[PL_MAX];
	int i, n, skip = -1;

	for (i = 0; i < g->deg[x]; i++)
		if (g->adj[x][i] == from)
			skip = i;
	n = evpn_flood_split(&g->id[x], end, g->adj_id[x], g->deg[x], skip,
			     hops);
	n = evpn_mc_prune(mc, grp, g->adj_id[x], hops, n, 1);
	CHECK(ttl > 0, "TTL ran out");
	for (i = 0; i < n; i++) {
		int y = g->adj[x][hops[i].nbr];

		sent_cnt[x]++;
		recv_cnt[y]++;
		CHECK(recv_cnt[y] == 1, "node %d got the frame twice", y);
		pflood(g, mc, grp, y, x, &hops[i].end, ttl - 1);
	}
}

START_TEST(test_prop_pruned_flood)
{
	static struct pgraph g;
	struct evpn_mc *mc;
	uint64_t seed = test_seed((uint64_t)time(NULL));
	struct trng r = { seed };
	bool sub[PN_MAX];
	uint8_t grp[16];
	int round, i, n, o, nsub, pct;

	printf("test_prop_pruned_flood: EVPN_TEST_SEED=%llu\n",
	       (unsigned long long)seed);
	g4(grp, 239, 5, 5, 5);
	for (round = 0; round < 60; round++) {
		n = 2 + (int)trng_below(&r, round < 30 ? 30 : PN_MAX - 1);
		build(&g, &r, n);
		mc = mc_new(4, PN_MAX);
		mc->node_max = PN_MAX;
		pct = (int[]){ 0, 5, 30, 90 }[round % 4];
		nsub = 0;
		for (i = 0; i < n; i++) {
			sub[i] = (int)trng_below(&r, 100) < pct;
			if (sub[i]) {
				ck_assert_int_eq(evpn_mc_remote_join(mc, grp,
					&g.id[i], 100, 0), EVPN_MC_NEW);
				nsub++;
			}
		}
		memset(recv_cnt, 0, sizeof(recv_cnt));
		memset(sent_cnt, 0, sizeof(sent_cnt));
		o = (int)trng_below(&r, n);
		pflood(&g, mc, grp, o, -1, &g.id[o], EVPN_TTL_DEFAULT);
		for (i = 0; i < n; i++) {
			if (i == o)
				continue;
			if (sub[i])
				CHECK(recv_cnt[i] == 1, "subscriber %d of %d missed (seed %llu)",
				      i, n, (unsigned long long)seed);
			else if (recv_cnt[i])
				CHECK(sent_cnt[i] > 0, "dead-end copy at %d (seed %llu)",
				      i, (unsigned long long)seed);
		}
		if (!nsub || (nsub == 1 && sub[o]))
			CHECK(sent_cnt[o] == 0, "sent with no subscriber");
		mc_free(mc);
	}
}
END_TEST

/* ---- snooping ---- */

/* An Ethernet + IPv4 frame to @dst with protocol @proto and @plen bytes of
 * payload @p (IHL 6 with Router Alert, as IGMP sends). */
static size_t mk4(uint8_t *f, const uint8_t dst[4], uint8_t proto,
		  const uint8_t *p, size_t plen)
{
	memset(f, 0, 14 + 24);
	f[0] = 0x01; f[1] = 0x00; f[2] = 0x5e;
	f[3] = dst[1] & 0x7f; f[4] = dst[2]; f[5] = dst[3];
	f[12] = 0x08;
	f[14] = 0x46;
	f[14 + 9] = proto;
	memcpy(f + 14 + 16, dst, 4);
	memcpy(f + 38, p, plen);
	return 38 + plen;
}

/* Ethernet + IPv6 (+ Hop-by-Hop if @hbh) + ICMPv6 or UDP payload. */
static size_t mk6(uint8_t *f, const uint8_t dst[16], uint8_t nh, bool hbh,
		  const uint8_t *p, size_t plen)
{
	size_t o = 14 + 40;

	memset(f, 0, o + 8);
	f[0] = 0x33; f[1] = 0x33;
	memcpy(f + 2, dst + 12, 4);
	f[12] = 0x86; f[13] = 0xdd;
	f[14] = 0x60;
	f[14 + 6] = hbh ? 0 : nh;
	memcpy(f + 14 + 24, dst, 16);
	if (hbh) {
		f[o] = nh;
		f[o + 2] = 5; f[o + 3] = 2;
		o += 8;
	}
	memcpy(f + o, p, plen);
	return o + plen;
}

START_TEST(test_snoop_igmp)
{
	struct evpn_mc *mc = mc_new(16, 16);
	static const uint8_t rep_dst[4] = { 224, 0, 0, 22 },
			     grp4[4] = { 239, 1, 2, 3 },
			     ll4[4] = { 224, 0, 0, 251 };
	uint8_t f[200], p[64], g[16], left[16], want[16], zero[16] = { 0 };
	size_t len;

	g4(want, 239, 1, 2, 3);
	/* IGMPv3 report: one EXCLUDE{} record (join) for 239.1.2.3 and one
	 * for the link-local 224.0.0.251 (never stored) */
	memset(p, 0, sizeof(p));
	p[0] = 0x22; p[7] = 2;
	p[8] = 4; memcpy(p + 12, grp4, 4);
	p[16] = 2; memcpy(p + 20, ll4, 4);
	len = mk4(f, rep_dst, 2, p, 24);
	ck_assert_int_eq(evpn_mc_classify(f, len, g), EVPN_MC_CTRL);
	ck_assert_int_eq(evpn_mc_snoop(mc, f, len, 10, left),
			 EVPN_MC_SNOOP_CHANGED);
	ck_assert(evpn_mc_local_wants(mc, want, 11));
	ck_assert_uint_eq(mc->ngroups, 1);
	/* TO_INCLUDE{}: leave */
	p[8] = 3; p[7] = 1;
	len = mk4(f, rep_dst, 2, p, 16);
	ck_assert_int_eq(evpn_mc_snoop(mc, f, len, 20, left), EVPN_MC_SNOOP_LEFT);
	ck_assert_mem_eq(left, want, 16);
	ck_assert(!evpn_mc_local_wants(mc, want, 20 + EVPN_MC_LAST_MEMBER));
	/* truncated record list: nothing, no crash */
	p[7] = 5;
	len = mk4(f, rep_dst, 2, p, 20);
	evpn_mc_snoop(mc, f, len, 30, left);

	/* IGMPv2 report and leave */
	memset(p, 0, 8);
	p[0] = 0x16; memcpy(p + 4, grp4, 4);
	len = mk4(f, grp4, 2, p, 8);
	ck_assert_int_eq(evpn_mc_classify(f, len, g), EVPN_MC_CTRL);
	ck_assert_int_eq(evpn_mc_snoop(mc, f, len, 40, left),
			 EVPN_MC_SNOOP_CHANGED);
	p[0] = 0x17;
	len = mk4(f, rep_dst, 2, p, 8);
	ck_assert_int_eq(evpn_mc_snoop(mc, f, len, 41, left), EVPN_MC_SNOOP_LEFT);

	/* a query from a local port: a router is here */
	p[0] = 0x11;
	memset(p + 4, 0, 4);
	len = mk4(f, (const uint8_t[4]){ 224, 0, 0, 1 }, 2, p, 12);
	ck_assert_int_eq(evpn_mc_classify(f, len, g), EVPN_MC_FLOOD);
	evpn_mc_snoop(mc, f, len, 50, left);
	ck_assert(evpn_mc_local_wants(mc, NULL, 51));
	ck_assert(evpn_mc_local_wants(mc, zero, 51));

	/* data: routable group vs link-local */
	len = mk4(f, grp4, 17, p, 8);
	ck_assert_int_eq(evpn_mc_classify(f, len, g), EVPN_MC_DATA);
	ck_assert_mem_eq(g, want, 16);
	len = mk4(f, ll4, 17, p, 8);
	ck_assert_int_eq(evpn_mc_classify(f, len, g), EVPN_MC_FLOOD);
	/* broadcast, short, VLAN-tagged */
	memset(f, 0xff, 6);
	ck_assert_int_eq(evpn_mc_classify(f, len, g), EVPN_MC_FLOOD);
	ck_assert_int_eq(evpn_mc_classify(f, 10, g), EVPN_MC_FLOOD);
	len = mk4(f, grp4, 17, p, 8);
	f[12] = 0x81;
	ck_assert_int_eq(evpn_mc_classify(f, len, g), EVPN_MC_FLOOD);
	mc_free(mc);
}
END_TEST

START_TEST(test_snoop_mld)
{
	struct evpn_mc *mc = mc_new(16, 16);
	static const uint8_t r2[16] = { 0xff, 0x02, [15] = 0x16 },
			     grp[16] = { 0xff, 0x15, [14] = 0x12, [15] = 0x34 },
			     sol[16] = { 0xff, 0x02, [11] = 1, [12] = 0xff, [15] = 5 },
			     mdns[16] = { 0xff, 0x02, [15] = 0xfb };
	uint8_t f[300], p[128], g[16], left[16];
	size_t len;

	/* MLDv2 report: IS_EX{} for ff15::1234 and the solicited-node group */
	memset(p, 0, sizeof(p));
	p[0] = 143; p[7] = 2;
	p[8] = 2; memcpy(p + 12, grp, 16);
	p[28] = 2; memcpy(p + 32, sol, 16);
	len = mk6(f, r2, 58, true, p, 48);
	ck_assert_int_eq(evpn_mc_classify(f, len, g), EVPN_MC_CTRL);
	ck_assert_int_eq(evpn_mc_snoop(mc, f, len, 10, left),
			 EVPN_MC_SNOOP_CHANGED);
	ck_assert(evpn_mc_local_wants(mc, grp, 11));
	ck_assert_uint_eq(mc->ngroups, 1);	/* link-local one not stored */
	/* MLDv1 done */
	memset(p, 0, 24);
	p[0] = 132; memcpy(p + 8, grp, 16);
	len = mk6(f, r2, 58, true, p, 24);
	ck_assert_int_eq(evpn_mc_snoop(mc, f, len, 20, left),
			 EVPN_MC_SNOOP_LEFT | EVPN_MC_SNOOP_V6);
	/* MLDv1 report without Hop-by-Hop */
	p[0] = 131;
	len = mk6(f, grp, 58, false, p, 24);
	ck_assert_int_eq(evpn_mc_snoop(mc, f, len, 30, left),
			 EVPN_MC_SNOOP_CHANGED);
	/* ND to a solicited-node group, mDNS: flood; UDP to ff15::1234: data */
	memset(p, 0, 24);
	p[0] = 135;
	len = mk6(f, sol, 58, false, p, 24);
	ck_assert_int_eq(evpn_mc_classify(f, len, g), EVPN_MC_FLOOD);
	len = mk6(f, mdns, 17, false, p, 24);
	ck_assert_int_eq(evpn_mc_classify(f, len, g), EVPN_MC_FLOOD);
	len = mk6(f, grp, 17, false, p, 24);
	ck_assert_int_eq(evpn_mc_classify(f, len, g), EVPN_MC_DATA);
	ck_assert_mem_eq(g, grp, 16);
	/* a bad Hop-by-Hop length: flood, no crash */
	len = mk6(f, grp, 58, true, p, 24);
	f[14 + 40 + 1] = 200;
	ck_assert_int_eq(evpn_mc_classify(f, len, g), EVPN_MC_FLOOD);
	evpn_mc_snoop(mc, f, len, 40, left);
	mc_free(mc);
}
END_TEST

static uint32_t sum16(const uint8_t *p, size_t len)
{
	uint32_t s = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	return s;
}

static uint16_t fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

START_TEST(test_query_build)
{
	struct evpn_mc *mc = mc_new(4, 4);
	uint8_t f[EVPN_MC_QUERY_MAX_LEN], g[16], left[16];
	size_t len;

	len = evpn_mc_query_build(f, NULL, false);
	ck_assert_uint_eq(len, 50);
	ck_assert_uint_eq(fold(sum16(f + 14, 24)), 0xffff);	/* IP header */
	ck_assert_uint_eq(fold(sum16(f + 38, 12)), 0xffff);	/* IGMP */
	ck_assert_uint_eq(f[38], 0x11);
	ck_assert_int_eq(evpn_mc_classify(f, len, g), EVPN_MC_FLOOD);
	g4(g, 239, 1, 2, 3);
	len = evpn_mc_query_build(f, g, false);
	ck_assert_uint_eq(f[5], 3);
	ck_assert_mem_eq(f + 42, g + 12, 4);

	len = evpn_mc_query_build(f, NULL, true);
	ck_assert_uint_eq(len, 90);
	ck_assert_uint_eq(f[14 + 48], 130);
	/* ICMPv6 checksum over the pseudo-header */
	ck_assert_uint_eq(fold(sum16(f + 22, 32) + 28 + 58 +
			       sum16(f + 62, 28)), 0xffff);
	ck_assert_int_eq(evpn_mc_classify(f, len, g), EVPN_MC_FLOOD);
	/* our own query, looped back by a bridge, would mark a router: it
	 * is never snooped because it is written to, not read from, ports */
	evpn_mc_snoop(mc, f, len, 0, left);
	ck_assert(evpn_mc_local_wants(mc, NULL, 1));
	mc_free(mc);
}
END_TEST

static Suite *mcast_suite(void)
{
	Suite *s = suite_create("core_mcast");
	TCase *tc = tcase_create("mcast");
	TCase *tp = tcase_create("property");

	tcase_add_test(tc, test_local_join_leave_expire);
	tcase_add_test(tc, test_announce_repeat);
	tcase_add_test(tc, test_remote_members_limits);
	tcase_add_test(tc, test_announce_roundtrip);
	tcase_add_test(tc, test_prune_example);
	tcase_add_test(tc, test_snoop_igmp);
	tcase_add_test(tc, test_snoop_mld);
	tcase_add_test(tc, test_query_build);
	suite_add_tcase(s, tc);
	tcase_add_test(tp, test_prop_pruned_flood);
	tcase_set_timeout(tp, 120);
	suite_add_tcase(s, tp);
	return s;
}

int main(void)
{
	return unit_run(mcast_suite(), false) ? EXIT_FAILURE : EXIT_SUCCESS;
}
