// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Unit and property tests: greedy next hop and bounded flood (core/fwd.c).
 *
 * Property tests build random rings of 2..2000 nodes (random IDs over the
 * whole ring, IDs clustered around the wrap point, and consecutive IDs),
 * link every node to its ring successor and predecessor, add random
 * Symphony-like (harmonic) and uniform long links, all bidirectional, and
 * then simulate forwarding hop by hop with the real core functions:
 *   (i)   a bounded flood from a random node reaches every node exactly
 *         once, within the TTL;
 *   (ii)  unicast between random nodes reaches the destination within
 *         EVPN_TTL_DEFAULT hops, every hop strictly closer, never looping;
 *   (iii) with successor links removed, a flood still never duplicates and
 *         unicast still never loops.
 * Each graph's seed is printed; EVPN_TEST_SEED=... reruns one sequence.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "fwd.h"
#include "wire.h"
#include "core_test_util.h"
#include "unit.h"

/* ---- fixed examples ---- */

START_TEST(test_next_hop_basic)
{
	struct evpn_id self = mkid(0, 100), dst, nbrs[4];

	nbrs[0] = mkid(0, 110);
	nbrs[1] = mkid(0, 90);
	nbrs[2] = mkid(0, 300);
	nbrs[3] = mkid(~0ULL, ~0ULL - 50);	/* across the wrap */

	ck_assert_int_eq(evpn_fwd_next_hop(&self, &self, nbrs, 4), -1);
	ck_assert_int_eq(evpn_fwd_next_hop(&self, &self, nbrs, 0), -1);
	dst = mkid(0, 250);
	ck_assert_int_eq(evpn_fwd_next_hop(&self, &dst, nbrs, 4), 2);	/* 50 away */
	dst = mkid(0, 200);		/* 90 from nbr 0, 100 from nbr 2 */
	ck_assert_int_eq(evpn_fwd_next_hop(&self, &dst, nbrs, 4), 0);
	dst = mkid(0, 105);		/* 5 from self, 5 from nbr 0: not closer */
	ck_assert_int_eq(evpn_fwd_next_hop(&self, &dst, nbrs, 4), -1);
	dst = mkid(0, 106);
	ck_assert_int_eq(evpn_fwd_next_hop(&self, &dst, nbrs, 4), 0);
	dst = mkid(0, 0);		/* shorter way is counter-clockwise */
	ck_assert_int_eq(evpn_fwd_next_hop(&self, &dst, nbrs, 4), 3);	/* 51 < 90 */
	dst = mkid(~0ULL, ~0ULL - 40);
	ck_assert_int_eq(evpn_fwd_next_hop(&self, &dst, nbrs, 4), 3);
	dst = nbrs[1];
	ck_assert_int_eq(evpn_fwd_next_hop(&self, &dst, nbrs, 4), 1);
	/* only farther neighbours: none */
	ck_assert_int_eq(evpn_fwd_next_hop(&self, &dst, nbrs + 2, 1), -1);
}
END_TEST

START_TEST(test_next_hop_ties)
{
	struct evpn_id self = mkid(0, 0), dst = mkid(0, 100), nbrs[3];

	nbrs[0] = mkid(0, 90);
	nbrs[1] = mkid(0, 110);		/* also 10 away */
	nbrs[2] = mkid(0, 90);		/* duplicate */
	ck_assert_int_eq(evpn_fwd_next_hop(&self, &dst, nbrs, 3), 0);
	ck_assert_int_eq(evpn_fwd_next_hop(&self, &dst, nbrs + 1, 2), 0);
}
END_TEST

START_TEST(test_flood_split_basic)
{
	struct evpn_id self = mkid(0, 100), end = self, nbrs[6];
	struct evpn_flood_hop out[6];
	int n;

	nbrs[0] = mkid(0, 500);
	nbrs[1] = mkid(0, 50);		/* wraps: last clockwise */
	nbrs[2] = mkid(0, 200);
	nbrs[3] = mkid(0, 500);		/* duplicate of 0 */
	nbrs[4] = mkid(0, 100);		/* ourselves: never */
	nbrs[5] = mkid(0, 300);

	/* originated flood (end == self): the whole ring */
	n = evpn_flood_split(&self, &end, nbrs, 6, -1, out);
	ck_assert_int_eq(n, 4);
	ck_assert_int_eq(out[0].nbr, 2);
	ck_assert(evpn_id_eq(&out[0].end, &nbrs[5]));
	ck_assert_int_eq(out[1].nbr, 5);
	ck_assert(evpn_id_eq(&out[1].end, &nbrs[0]));
	ck_assert_int_eq(out[2].nbr, 0);	/* first of the duplicates */
	ck_assert(evpn_id_eq(&out[2].end, &nbrs[1]));
	ck_assert_int_eq(out[3].nbr, 1);
	ck_assert(evpn_id_eq(&out[3].end, &self));

	/* a slice (100, 300): only 200, which covers (200, 300) */
	end = mkid(0, 300);
	n = evpn_flood_split(&self, &end, nbrs, 6, -1, out);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(out[0].nbr, 2);
	ck_assert(evpn_id_eq(&out[0].end, &end));

	/* skip the previous hop */
	end = self;
	n = evpn_flood_split(&self, &end, nbrs, 6, 2, out);
	ck_assert_int_eq(n, 3);
	ck_assert_int_eq(out[0].nbr, 5);

	/* empty slice */
	end = mkid(0, 101);
	ck_assert_int_eq(evpn_flood_split(&self, &end, nbrs, 6, -1, out), 0);
	ck_assert_int_eq(evpn_flood_split(&self, &self, nbrs, 0, -1, out), 0);

	/* slice across the wrap: (100, 60) holds 200, 300, 500, 50 */
	end = mkid(0, 60);
	ck_assert_int_eq(evpn_flood_split(&self, &end, nbrs, 6, -1, out), 4);
	ck_assert(evpn_id_eq(&out[3].end, &end));
}
END_TEST

/* ---- random rings ---- */

#define MAXN	2000
#define MAXDEG	96

struct graph {
	int n;
	struct evpn_id id[MAXN];		/* sorted clockwise */
	int deg[MAXN];
	int adj[MAXN][MAXDEG];			/* neighbour node indices */
	struct evpn_id nid[MAXN][MAXDEG];	/* their IDs, for the API */
};

static struct graph g;

static int id_qcmp(const void *a, const void *b)
{
	return evpn_id_cmp(a, b);
}

static bool linked(int a, int b)
{
	int i;

	for (i = 0; i < g.deg[a]; i++)
		if (g.adj[a][i] == b)
			return true;
	return false;
}

static void add_link(int a, int b)
{
	if (a == b || linked(a, b) || g.deg[a] >= MAXDEG || g.deg[b] >= MAXDEG)
		return;
	g.adj[a][g.deg[a]++] = b;
	g.adj[b][g.deg[b]++] = a;
}

static void drop_link(int a, int b)
{
	int i, k, x, y;

	for (k = 0; k < 2; k++) {
		x = k ? b : a;
		y = k ? a : b;
		for (i = 0; i < g.deg[x]; i++) {
			if (g.adj[x][i] == y) {
				g.adj[x][i] = g.adj[x][--g.deg[x]];
				break;
			}
		}
	}
}

/* Harmonic (Symphony-like) rank offset in [1, n): log-uniform. */
static int harmonic_offset(struct trng *r, int n)
{
	int bits = 0, lo, hi;

	while ((1 << (bits + 1)) < n)
		bits++;
	lo = 1 << trng_below(r, (uint64_t)bits + 1);
	hi = lo * 2 < n ? lo * 2 : n;
	return lo + (int)trng_below(r, (uint64_t)(hi - lo));
}

static void sync_ids(struct trng *r)
{
	int v, i;

	for (v = 0; v < g.n; v++) {
		for (i = g.deg[v] - 1; i > 0; i--) {	/* random link order */
			int j = (int)trng_below(r, (uint64_t)i + 1), t = g.adj[v][i];

			g.adj[v][i] = g.adj[v][j];
			g.adj[v][j] = t;
		}
		for (i = 0; i < g.deg[v]; i++)
			g.nid[v][i] = g.id[g.adj[v][i]];
	}
}

static void build_graph(int n, int mode, struct trng *r)
{
	int i, k, extra;

	g.n = n;
	for (i = 0; i < n; i++) {
		switch (mode) {
		case 0:		/* anywhere on the ring */
			g.id[i] = mkid(trng_next(r), trng_next(r));
			break;
		case 1:		/* clustered on both sides of the wrap point */
			g.id[i] = mkid((trng_next(r) & 1) ? ~0ULL : 0, trng_next(r));
			break;
		default:	/* consecutive IDs straddling 0 */
			g.id[i] = mkid(~0ULL, (uint64_t)(-(n / 2) + i));
			if ((uint64_t)(-(n / 2) + i) < (uint64_t)-(n / 2))
				g.id[i].hi = 0;
			break;
		}
	}
	qsort(g.id, (size_t)n, sizeof(g.id[0]), id_qcmp);
	for (i = 0; i + 1 < n; i++)
		ck_assert(!evpn_id_eq(&g.id[i], &g.id[i + 1]));
	memset(g.deg, 0, sizeof(g.deg[0]) * (size_t)n);
	for (i = 0; i < n; i++)
		add_link(i, (i + 1) % n);	/* successor (= predecessor of i+1) */
	for (i = 0; i < n && n > 2; i++) {
		extra = 1 + (int)trng_below(r, 4);
		for (k = 0; k < extra; k++)
			add_link(i, (i + harmonic_offset(r, n)) % n);
		if (trng_below(r, 4) == 0)
			add_link(i, (int)trng_below(r, (uint64_t)n));
	}
	sync_ids(r);
}

static int index_of(int v, int u)
{
	int i;

	for (i = 0; i < g.deg[v]; i++)
		if (g.adj[v][i] == u)
			return i;
	return -1;
}

struct hop {
	int node, from, ttl, depth;
	struct evpn_id end;
};

static struct hop queue[4 * MAXN];
static int recv_count[MAXN];

/*
 * Simulate a bounded flood from @origin with TTL rules: the origin sends
 * with EVPN_TTL_DEFAULT; a receiver forwards only if TTL - 1 > 0. Returns
 * the deepest hop; fills recv_count; fails on any duplicate delivery.
 */
static int simulate_flood(int origin, uint64_t seed)
{
	struct evpn_flood_hop out[MAXDEG];
	int head = 0, tail = 0, maxdepth = 0, i, cnt;

	memset(recv_count, 0, sizeof(recv_count[0]) * (size_t)g.n);
	recv_count[origin] = 1;
	cnt = evpn_flood_split(&g.id[origin], &g.id[origin], g.nid[origin],
			       g.deg[origin], -1, out);
	for (i = 0; i < cnt; i++)
		queue[tail++] = (struct hop){ g.adj[origin][out[i].nbr], origin,
					      EVPN_TTL_DEFAULT, 1, out[i].end };
	while (head < tail) {
		struct hop h = queue[head++];
		int v = h.node;

		CHECK(++recv_count[v] == 1, "seed 0x%llx n %d: node %d got the flood twice",
		      (unsigned long long)seed, g.n, v);
		CHECK(!evpn_id_eq(&h.end, &g.id[v]), "seed 0x%llx: slice end is receiver",
		      (unsigned long long)seed);
		if (h.depth > maxdepth)
			maxdepth = h.depth;
		if (h.ttl - 1 <= 0)
			continue;	/* would reach 0: not forwarded */
		cnt = evpn_flood_split(&g.id[v], &h.end, g.nid[v], g.deg[v],
				       index_of(v, h.from), out);
		for (i = 0; i < cnt; i++) {
			CHECK(tail < (int)(sizeof(queue) / sizeof(queue[0])), "queue");
			queue[tail++] = (struct hop){ g.adj[v][out[i].nbr], v, h.ttl - 1,
						      h.depth + 1, out[i].end };
		}
	}
	return maxdepth;
}

static int visited[MAXN];
static int stamp;

/* Greedy unicast s -> d. Returns hops, or -1 if stuck (no closer link).
 * Fails on a non-decreasing step, a revisit, or more than TTL hops. */
static int simulate_unicast(int s, int d, uint64_t seed)
{
	int cur = s, hops = 0, nh, nxt;
	struct evpn_id dcur, dnxt;

	stamp++;
	while (cur != d) {
		visited[cur] = stamp;
		nh = evpn_fwd_next_hop(&g.id[cur], &g.id[d], g.nid[cur], g.deg[cur]);
		if (nh < 0)
			return -1;
		nxt = g.adj[cur][nh];
		dcur = evpn_id_abs_dist(&g.id[cur], &g.id[d]);
		dnxt = evpn_id_abs_dist(&g.id[nxt], &g.id[d]);
		CHECK(evpn_id_cmp(&dnxt, &dcur) < 0, "seed 0x%llx: not closer", (unsigned long long)seed);
		CHECK(visited[nxt] != stamp, "seed 0x%llx n %d: loop %d->%d at %d",
		      (unsigned long long)seed, g.n, s, d, nxt);
		hops++;
		CHECK(hops <= EVPN_TTL_DEFAULT, "seed 0x%llx n %d: %d->%d over TTL",
		      (unsigned long long)seed, g.n, s, d);
		cur = nxt;
	}
	return hops;
}

static const int sizes[] = {
	2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 16, 17, 20, 31, 32, 33, 50, 64,
	65, 99, 100, 128, 200, 255, 256, 300, 500, 512, 640, 777, 1000, 1024,
	1300, 1500, 1777, 1999, 2000,
};
#define NFIXED ((int)(sizeof(sizes) / sizeof(sizes[0])))
#define NRANDOM 60	/* plus this many sizes drawn from [2, 2000] */
#define NSIZES (NFIXED + NRANDOM)

static int size_at(int i, uint64_t base)
{
	struct trng r = { base + (uint64_t)i };

	return i < NFIXED ? sizes[i] : 2 + (int)trng_below(&r, MAXN - 1);
}

START_TEST(test_prop_flood_and_unicast)
{
	uint64_t base = test_seed(0xf100d);
	int si, mode, q, v;
	long floods = 0, unicasts = 0, hop_sum = 0;
	int max_hops = 0, max_depth = 0, max_deg = 0;
	clock_t t0 = clock();

	printf("fwd property base seed 0x%llx, %d ring sizes (2..2000) x 3 ID layouts x 2 link sets\n",
	       (unsigned long long)base, NSIZES);
	for (si = 0; si < NSIZES; si++) {
		for (mode = 0; mode < 6; mode++) {	/* 3 layouts x 2 graphs */
			int n = size_at(si, base);
			uint64_t seed = base ^ ((uint64_t)si << 32) ^ (uint64_t)mode << 56;
			struct trng r = { seed };
			int nfl = n < 12 ? n : (n >= 1000 ? 8 : 16);

			build_graph(n, mode % 3, &r);
			for (v = 0; v < n; v++)
				if (g.deg[v] > max_deg)
					max_deg = g.deg[v];
			/* (i) every node exactly once, from random origins */
			for (q = 0; q < nfl; q++) {
				int o = n < 12 ? q : (int)trng_below(&r, (uint64_t)n);
				int depth = simulate_flood(o, seed);

				for (v = 0; v < n; v++)
					CHECK(recv_count[v] == 1,
					      "seed 0x%llx n %d origin %d: node %d got %d copies",
					      (unsigned long long)seed, n, o, v, recv_count[v]);
				if (depth > max_depth)
					max_depth = depth;
				floods++;
			}
			/* (ii) unicast within the TTL, strictly closer, no loop */
			for (q = 0; q < 1000; q++) {
				int s = (int)trng_below(&r, (uint64_t)n);
				int d = (int)trng_below(&r, (uint64_t)n);
				int h = simulate_unicast(s, d, seed);

				CHECK(h >= 0, "seed 0x%llx n %d: %d->%d stuck",
				      (unsigned long long)seed, n, s, d);
				hop_sum += h;
				if (h > max_hops)
					max_hops = h;
				unicasts++;
			}
		}
	}
	printf("fwd property: %ld floods, %ld unicasts; unicast hops avg %.2f max %d; "
	       "flood depth max %d; max degree %d; %.2f s\n",
	       floods, unicasts, (double)hop_sum / (double)unicasts, max_hops,
	       max_depth, max_deg, (double)(clock() - t0) / CLOCKS_PER_SEC);
}
END_TEST

/* (iii) links removed (successors missing): never a duplicate, never a loop. */
START_TEST(test_prop_broken_ring)
{
	uint64_t base = test_seed(0xb40ce);
	int si, q, v;
	long floods = 0, partial = 0, stuck = 0;

	printf("fwd broken-ring base seed 0x%llx\n", (unsigned long long)base);
	for (si = 0; si < NSIZES; si++) {
		int n = size_at(si, base);
		uint64_t seed = base ^ ((uint64_t)si << 32);
		struct trng r = { seed };

		build_graph(n, (int)(seed & 1), &r);
		for (v = 0; v < n; v++) {
			int cut = (int)trng_below(&r, 10);

			if (cut < 3)			/* 30%: successor gone */
				drop_link(v, (v + 1) % n);
			else if (cut == 3 && g.deg[v])	/* 10%: some other link */
				drop_link(v, g.adj[v][trng_below(&r, (uint64_t)g.deg[v])]);
		}
		sync_ids(&r);
		for (q = 0; q < (n < 12 ? n : 6); q++) {
			int o = n < 12 ? q : (int)trng_below(&r, (uint64_t)n);

			simulate_flood(o, seed);	/* fails on duplicates */
			for (v = 0; v < n; v++)
				CHECK(recv_count[v] <= 1, "n %d dup", n);
			for (v = 0; v < n; v++) {
				if (!recv_count[v]) {
					partial++;
					break;
				}
			}
			floods++;
		}
		for (q = 0; q < 200; q++) {
			int s = (int)trng_below(&r, (uint64_t)n);
			int d = (int)trng_below(&r, (uint64_t)n);

			if (simulate_unicast(s, d, seed) < 0)
				stuck++;
		}
	}
	printf("fwd broken-ring: %ld floods (%ld incomplete, none duplicated), "
	       "%ld unicasts stuck without a closer link, none looped\n",
	       floods, partial, stuck);
	ck_assert_int_gt(partial, 0);	/* the cut really mattered */
}
END_TEST

static Suite *fwd_suite(void)
{
	Suite *s = suite_create("core_fwd");
	TCase *tc = tcase_create("fwd");
	TCase *tp = tcase_create("property");

	tcase_add_test(tc, test_next_hop_basic);
	tcase_add_test(tc, test_next_hop_ties);
	tcase_add_test(tc, test_flood_split_basic);
	suite_add_tcase(s, tc);
	tcase_add_test(tp, test_prop_flood_and_unicast);
	tcase_add_test(tp, test_prop_broken_ring);
	tcase_set_timeout(tp, 120);
	suite_add_tcase(s, tp);
	return s;
}

int main(void)
{
	return unit_run(fwd_suite(), false) ? EXIT_FAILURE : EXIT_SUCCESS;
}
