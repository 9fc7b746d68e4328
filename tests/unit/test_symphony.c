// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Symphony: the fixed-point math (log2, harmonic draw), the distribution of
 * the draw, the local estimate of n, the slot life cycle (drift, refusal),
 * 1-lookahead routing (equivalence with evpn_fwd_next_hop without lists,
 * loop freedom on arbitrary graphs), and evpnd's topology adapter driving a
 * small simulated overlay in which every destination is reached, without
 * loops, within the TTL. Seeds are fixed; EVPN_TEST_SEED overrides.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core_test_util.h"
#include "fwd.h"
#include "route_la.h"
#include "symphony.h"
#include "topology/symphony_ops.h"
#include "wire.h"
#include "unit.h"

static long double id_ld(const struct evpn_id *x)
{
	return ldexpl((long double)x->hi, 64) + (long double)x->lo;
}

static uint64_t trng_cb(void *ctx)
{
	return trng_next(ctx);
}

static int id_cmp(const void *a, const void *b)
{
	return evpn_id_cmp(a, b);
}

/* @n distinct random IDs, sorted. */
static struct evpn_id *random_ring(struct trng *r, int n)
{
	struct evpn_id *ring = calloc((size_t)n, sizeof(*ring));
	int i;

	ck_assert_ptr_nonnull(ring);
	for (i = 0; i < n; i++)
		ring[i] = mkid(trng_next(r), trng_next(r));
	qsort(ring, (size_t)n, sizeof(*ring), id_cmp);
	return ring;
}

START_TEST(test_log2)
{
	struct trng r = { test_seed(11) };
	struct evpn_id x;
	int i;

	for (i = 0; i < 128; i++) {
		x = i < 64 ? mkid(0, 1ULL << i) : mkid(1ULL << (i - 64), 0);
		ck_assert_uint_eq(evpn_sym_log2(&x), (uint32_t)i << 16);
	}
	for (i = 0; i < 2000; i++) {
		long double want;
		int sh = (int)trng_below(&r, 128);

		x = mkid(trng_next(&r), trng_next(&r));
		/* spread magnitudes over the whole 128-bit range */
		x = sh >= 64 ? mkid(0, x.hi >> (sh - 64)) :
		    mkid(sh ? x.hi >> sh : x.hi, sh ? (x.lo >> sh | x.hi << (64 - sh)) : x.lo);
		if (evpn_id_is_zero(&x))
			continue;
		want = log2l(id_ld(&x)) * 65536.0L;
		if (fabsl((long double)evpn_sym_log2(&x) - want) > 2.0L)
			ck_abort_msg("log2 off: got %u want %.2Lf", evpn_sym_log2(&x), want);
	}
}
END_TEST

START_TEST(test_harmonic_exact)
{
	struct trng r = { test_seed(12) };
	struct evpn_id x;
	uint32_t l2n, u;
	long double want, got;
	int i;

	for (i = 0; i < 5000; i++) {
		l2n = (uint32_t)trng_below(&r, 100u << 16) + (1u << 16);
		u = (uint32_t)trng_next(&r);
		want = exp2l(128.0L - (1.0L - u / 4294967296.0L) * (l2n / 65536.0L));
		x = evpn_sym_harmonic(l2n, u);
		got = id_ld(&x);
		if (want >= 0x1p128L)
			want = 0x1p128L;
		if (fabsl(got / want - 1.0L) >= 1e-4L)
			ck_abort_msg("harmonic(%u, %u) = %Lg, want %Lg", l2n, u, got, want);
	}
}
END_TEST

/*
 * P(x <= n^-a) = 1 - a for p(x) = 1/(x ln n) on [1/n, 1]: with n = 2^16,
 * half the draws land in [1/n, 1/sqrt(n)] = [2^112, 2^120] (as ring
 * distances) and a quarter below n^-3/4 = 2^116. Tolerance: 5 standard
 * deviations of a binomial proportion over the sample.
 */
START_TEST(test_harmonic_distribution)
{
	struct trng r = { test_seed(13) };
	const int draws = 40000;
	const uint32_t l2n = 16u << 16;
	struct evpn_id lo = mkid(1ULL << 48, 0), mid = mkid(1ULL << 52, 0),
		       half = mkid(1ULL << 56, 0);
	int i, below_half = 0, below_q = 0;
	double f, tol_h = 5 * sqrt(0.25 / draws), tol_q = 5 * sqrt(0.1875 / draws);

	for (i = 0; i < draws; i++) {
		struct evpn_id x = evpn_sym_harmonic(l2n, (uint32_t)trng_next(&r));

		if (evpn_id_cmp(&x, &lo) < 0)
			ck_abort_msg("draw below 1/n");
		below_half += evpn_id_cmp(&x, &half) <= 0;
		below_q += evpn_id_cmp(&x, &mid) <= 0;
	}
	f = (double)below_half / draws;
	ck_assert_msg(fabs(f - 0.5) < tol_h, "P(x <= 1/sqrt n) = %f", f);
	f = (double)below_q / draws;
	ck_assert_msg(fabs(f - 0.25) < tol_q, "P(x <= n^-3/4) = %f", f);
}
END_TEST

/* The local estimate is within a factor 2 of the true n for nearly every
 * node (16 gaps: a miss has probability well under 1%), and exact when the
 * view covers the whole ring. */
START_TEST(test_estimate)
{
	static const int sizes[] = { 64, 1024, 16384 };
	struct trng r = { test_seed(14) };
	struct evpn_sym_cfg cfg;
	struct evpn_sym s;
	unsigned int z;
	int i, within;

	evpn_sym_cfg_default(&cfg);
	for (z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++) {
		int n = sizes[z];
		struct evpn_id *ring = random_ring(&r, n);
		uint32_t truth = evpn_sym_log2(&(struct evpn_id){ 0, (uint64_t)n });

		for (i = 0, within = 0; i < n; i++) {
			uint32_t e;

			evpn_sym_init(&s, &cfg, &ring[i]);
			e = evpn_sym_estimate(&s, ring, n);
			within += (e > truth ? e - truth : truth - e) <= EVPN_SYM_LOG2_ONE;
		}
		ck_assert_msg(within >= n * 98 / 100, "n=%d: %d within 2x", n, within);
		free(ring);
	}
	/* small: the whole ring is in view, n exact (self in the array or not) */
	{
		struct evpn_id *ring = random_ring(&r, 10);

		evpn_sym_init(&s, &cfg, &ring[3]);
		ck_assert_uint_eq(evpn_sym_estimate(&s, ring, 10),
				  evpn_sym_log2(&(struct evpn_id){ 0, 10 }));
		ck_assert_uint_eq(evpn_sym_estimate(&s, ring, 3),
				  evpn_sym_log2(&(struct evpn_id){ 0, 4 }));
		ck_assert_uint_eq(evpn_sym_estimate(&s, ring + 3, 1), 0);
		free(ring);
	}
}
END_TEST

static void check_slots(const struct evpn_sym *s, const struct evpn_id *ring, int n)
{
	struct evpn_id sh[2 * EVPN_SYM_MAX_SHORT];
	int ns = evpn_sym_short_links(s, ring, n, sh), i, j;

	for (i = 0; i < s->cfg.k; i++) {
		ck_assert(s->slot[i].state == EVPN_SYM_WANT ||
			  s->slot[i].state == EVPN_SYM_UP);
		ck_assert(!evpn_id_eq(&s->slot[i].target, &s->self));
		for (j = 0; j < ns; j++)
			ck_assert(!evpn_id_eq(&s->slot[i].target, &sh[j]));
		for (j = 0; j < i; j++)
			ck_assert(!evpn_id_eq(&s->slot[i].target, &s->slot[j].target));
	}
}

START_TEST(test_slots)
{
	struct trng r = { test_seed(15) };
	struct evpn_id *ring = random_ring(&r, 2000), sh[4], self, view[200];
	struct evpn_sym_cfg cfg;
	struct evpn_sym s;
	uint32_t used, ch;
	int i;

	/* a node first sees a tenth of the members (uniformly), then all */
	for (i = 0; i < 200; i++)
		view[i] = ring[10 * i];
	evpn_sym_cfg_default(&cfg);
	self = ring[1000];
	evpn_sym_init(&s, &cfg, &self);
	/* short links: successor then predecessor */
	ck_assert_int_eq(evpn_sym_short_links(&s, view, 200, sh), 2);
	ck_assert(evpn_id_eq(&sh[0], &view[101]) && evpn_id_eq(&sh[1], &view[99]));

	/* 4 distinct usable targets */
	ch = evpn_sym_update(&s, view, 200, true, trng_cb, &r);
	ck_assert_uint_eq(ch, 0xf);
	check_slots(&s, view, 200);
	used = s.log2n_used;
	for (i = 0; i < 4; i++)
		evpn_sym_slot_accepted(&s, i);
	/* nothing changed: nothing redrawn */
	ck_assert_uint_eq(evpn_sym_update(&s, view, 200, false, trng_cb, &r), 0);
	/* a refusal: that slot alone is redrawn, avoiding the refuser */
	{
		struct evpn_id refuser = s.slot[2].target;

		evpn_sym_slot_refused(&s, 2);
		ck_assert_uint_eq(evpn_sym_update(&s, view, 200, false, trng_cb, &r), 1u << 2);
		ck_assert(!evpn_id_eq(&s.slot[2].target, &refuser));
	}
	/* view grows 10x: the estimate drifts beyond 2x and the links relink:
	 * a slot is kept as it was, or redrawn into the new short range */
	{
		struct evpn_id before[4];

		for (i = 0; i < 4; i++) {
			evpn_sym_slot_accepted(&s, i);
			before[i] = s.slot[i].target;
		}
		ch = evpn_sym_update(&s, ring, 2000, true, trng_cb, &r);
		ck_assert_uint_gt(s.log2n_used, used + EVPN_SYM_LOG2_ONE);
		for (i = 0; i < 4; i++) {
			if (ch & (1u << i)) {
				ck_assert_int_eq(s.slot[i].state, EVPN_SYM_WANT);
				ck_assert_uint_gt(s.slot[i].t, used);
				ck_assert_uint_le(s.slot[i].t, s.log2n_used);
			} else {
				ck_assert_int_eq(s.slot[i].state, EVPN_SYM_UP);
				ck_assert(evpn_id_eq(&s.slot[i].target, &before[i]));
			}
		}
		check_slots(&s, ring, 2000);
	}
	/* refused too often: the slot gives up until the ring changes */
	for (i = 0; i < EVPN_SYM_MAX_REFUSALS; i++) {
		evpn_sym_update(&s, ring, 2000, false, trng_cb, &r);
		evpn_sym_slot_refused(&s, 0);
	}
	ck_assert_int_eq(s.slot[0].state, EVPN_SYM_GAVE_UP);
	evpn_sym_update(&s, ring, 2000, false, trng_cb, &r);
	ck_assert_int_eq(s.slot[0].state, EVPN_SYM_GAVE_UP);
	evpn_sym_update(&s, ring, 2000, true, trng_cb, &r);
	ck_assert_int_eq(s.slot[0].state, EVPN_SYM_WANT);
	/* alone: no long links */
	ck_assert_uint_ne(evpn_sym_update(&s, &self, 1, true, trng_cb, &r), 0);
	ck_assert_int_eq(evpn_sym_slot_find(&s, &ring[5]), -1);
	free(ring);
}
END_TEST

/*
 * Relinking keeps the long links harmonic for the new n while changing few
 * of them. Nodes draw 16 long links with a view of 1/8 of a 16384-node ring,
 * then see all of it. Afterwards the share of draws at t = -log2 x <=
 * log2(n)/2 must match that of nodes drawing afresh on the whole ring
 * (about 0.56: draws landing on a short-link neighbour are rejected, which
 * thins the shortest distances), where keeping the old links gives about
 * 0.7; and only about 1 - ln(n/8) / ln(n) ~ 21% of the links may change.
 */
static double share_short_half(const struct evpn_sym *s, int *total)
{
	int i, half = 0;

	for (i = 0; i < s->cfg.k; i++) {
		if (s->slot[i].state == EVPN_SYM_EMPTY)
			continue;
		(*total)++;
		half += s->slot[i].t <= s->log2n_used / 2;
	}
	return half;
}

START_TEST(test_relink_distribution)
{
	enum { N = 16384, TRIALS = 1000 };
	struct trng r = { test_seed(20) };
	struct evpn_id *ring = random_ring(&r, N), *view = calloc(N / 8, sizeof(*view));
	struct evpn_sym_cfg cfg;
	struct evpn_sym s;
	int i, j, moved = 0, n_fresh = 0, n_relink = 0;
	double h_fresh = 0, h_relink = 0, f_fresh, f_relink, tol;

	ck_assert_ptr_nonnull(view);
	for (i = 0; i < N / 8; i++)
		view[i] = ring[8 * i];
	evpn_sym_cfg_default(&cfg);
	cfg.k = 16;
	for (j = 0; j < TRIALS; j++) {
		const struct evpn_id *self = &view[(j * 7) % (N / 8)];

		evpn_sym_init(&s, &cfg, self);		/* reference: fresh */
		evpn_sym_update(&s, ring, N, true, trng_cb, &r);
		h_fresh += share_short_half(&s, &n_fresh);

		evpn_sym_init(&s, &cfg, self);		/* small view, then all */
		evpn_sym_update(&s, view, N / 8, true, trng_cb, &r);
		for (i = 0; i < cfg.k; i++)
			evpn_sym_slot_accepted(&s, i);
		moved += __builtin_popcount(evpn_sym_update(&s, ring, N, true, trng_cb, &r));
		h_relink += share_short_half(&s, &n_relink);
	}
	f_fresh = h_fresh / n_fresh;
	f_relink = h_relink / n_relink;
	tol = 5 * sqrt(0.25 / n_fresh + 0.25 / n_relink);
	ck_assert_msg(fabs(f_relink - f_fresh) < tol, "P(t <= L/2): relinked %f, fresh %f",
		      f_relink, f_fresh);
	f_relink = (double)moved / (TRIALS * cfg.k);
	ck_assert_msg(f_relink > 0.12 && f_relink < 0.30, "relinked fraction %f", f_relink);
	free(view);
	free(ring);
}
END_TEST

START_TEST(test_cap)
{
	struct evpn_sym_cfg cfg;

	evpn_sym_cfg_default(&cfg);
	ck_assert(evpn_sym_accept_incoming(&cfg, 2 * cfg.k - 1));
	ck_assert(!evpn_sym_accept_incoming(&cfg, 2 * cfg.k));
	cfg.in_cap = false;
	ck_assert(evpn_sym_accept_incoming(&cfg, 1000));
	cfg.k = EVPN_SYM_MAX_K + 1;
	ck_assert_int_eq(evpn_sym_cfg_check(&cfg), -1);
}
END_TEST

/* Without link lists, lookahead routing is exactly evpn_fwd_next_hop. */
START_TEST(test_route_no_lists_is_greedy)
{
	struct trng r = { test_seed(16) };
	struct evpn_id self, dst, nbrs[16];
	int i, j, n;

	for (i = 0; i < 20000; i++) {
		self = mkid(trng_next(&r), trng_next(&r));
		dst = trng_below(&r, 8) ? mkid(trng_next(&r), trng_next(&r)) : self;
		n = (int)trng_below(&r, 17);
		for (j = 0; j < n; j++)
			nbrs[j] = trng_below(&r, 6) ? mkid(trng_next(&r), trng_next(&r)) :
				  trng_below(&r, 2) ? dst : nbrs[trng_below(&r, j + 1)];
		if (evpn_route_la_next_hop(&self, &dst, nbrs, n, NULL, NULL) !=
		    evpn_fwd_next_hop(&self, &dst, nbrs, n))
			ck_abort_msg("differs from evpn_fwd_next_hop (case %d)", i);
	}
}
END_TEST

/*
 * Loop freedom on arbitrary graphs (not just Symphony rings): with correct
 * link lists, a walk never revisits a node, and stops only at the
 * destination or where no neighbour is strictly closer.
 */
static void route_walks(struct trng *r, bool cw)
{
	enum { N = 48, D = 6 };
	static struct evpn_id id[N], nn[N * N];
	static int adj[N][N], deg[N], nnlen[N], seen[N];
	int g, a, b, i, j, cur, nb, tot, hops;

	for (g = 0; g < 40; g++) {
		memset(deg, 0, sizeof(deg));
		for (i = 0; i < N; i++)
			id[i] = mkid(trng_next(r), trng_next(r));
		for (i = 0; i < N * D / 2; i++) {	/* random undirected edges */
			a = (int)trng_below(r, N);
			b = (int)trng_below(r, N);
			for (j = 0; j < deg[a] && adj[a][j] != b; j++)
				;
			if (a == b || j < deg[a])
				continue;
			adj[a][deg[a]++] = b;
			adj[b][deg[b]++] = a;
		}
		for (a = 0; a < N; a++)
			for (b = 0; b < N; b++) {
				struct evpn_id nbrs[N];

				memset(seen, 0, sizeof(seen));
				for (cur = a, hops = 0; cur != b; hops++) {
					if (seen[cur])
						ck_abort_msg("loop at %d", cur);
					seen[cur] = 1;
					for (i = 0, tot = 0; i < deg[cur]; i++) {
						int v = adj[cur][i];

						nbrs[i] = id[v];
						nnlen[i] = deg[v];
						for (j = 0; j < deg[v]; j++)
							nn[tot++] = id[adj[v][j]];
					}
					nb = (cw ? evpn_route_la_next_hop_cw : evpn_route_la_next_hop)
						(&id[cur], &id[b], nbrs, deg[cur], nn, nnlen);
					if (nb < 0) {
						/* stuck: plain greedy is stuck here too */
						if (!cw && evpn_fwd_next_hop(&id[cur], &id[b],
									     nbrs, deg[cur]) >= 0)
							ck_abort_msg("lookahead stuck, greedy not");
						break;
					}
					cur = adj[cur][nb];
				}
				if (hops > N)
					ck_abort_msg("%d hops", hops);
			}
	}
}

START_TEST(test_route_la_loop_free)
{
	struct trng r = { test_seed(17) };

	route_walks(&r, false);
	route_walks(&r, true);
}
END_TEST

/*
 * evpnd's adapter (daemon/topology/symphony.c) driving NODES instances
 * through a model of the link manager (daemon/linkmgr/): each select()
 * sees every other member with the state of its link; a wanted peer with no
 * link is requested at once by the higher node ID, while the lower ID first
 * waits one turn in BACKOFF for the peer's request (LM_DEFER_MS); a request
 * is answered with topology_symphony_accept() (refused -> BACKOFF for two
 * turns, expiring before a select, as the retry timer does); links the
 * opener no longer wants close. After convergence, route every pair over
 * the links up with bidirectional 1-lookahead and with plain greedy.
 */
enum { NODES = 160 };

struct net {
	struct evpn_id id[NODES];
	void *topo[NODES];
	uint8_t st[NODES][NODES];	/* enum topo_link_state as seen by a about b */
	uint8_t timer[NODES][NODES];	/* BACKOFF turns left */
	bool deferred[NODES][NODES];
	int8_t opener[NODES][NODES];	/* link up: a if a opened it, else -1 */
	bool want[NODES][NODES];
};

static bool net_round(struct net *net)
{
	struct topo_peer peers[NODES];
	bool changed = false;
	int a, b, m;

	for (a = 0; a < NODES; a++) {
		for (b = 0; b < NODES; b++)	/* retry timers fire */
			if (net->st[a][b] == TOPO_LINK_BACKOFF && !--net->timer[a][b])
				net->st[a][b] = TOPO_LINK_NONE;
		for (b = 0, m = 0; b < NODES; b++)
			if (b != a)
				peers[m++] = (struct topo_peer){ .id = net->id[b],
					.link = net->st[a][b] };
		topology_symphony.select(net->topo[a], peers, (size_t)m);
		for (b = 0, m = 0; b < NODES; b++)
			if (b != a)
				net->want[a][b] = peers[m++].want;
		for (b = 0; b < NODES; b++) {
			if (b == a)
				continue;
			if (net->want[a][b] && net->st[a][b] == TOPO_LINK_NONE) {
				changed = true;
				if (evpn_id_cmp(&net->id[a], &net->id[b]) < 0 &&
				    !net->deferred[a][b]) {
					net->deferred[a][b] = true;
					net->st[a][b] = TOPO_LINK_BACKOFF;
					net->timer[a][b] = 2;
				} else if (topology_symphony_accept(net->topo[b], &net->id[a])) {
					net->st[a][b] = net->st[b][a] = TOPO_LINK_UP;
					net->opener[a][b] = net->opener[b][a] = (int8_t)a;
				} else {
					net->st[a][b] = TOPO_LINK_BACKOFF;
					net->timer[a][b] = 2;
				}
			} else if (!net->want[a][b] && net->st[a][b] == TOPO_LINK_UP &&
				   net->opener[a][b] == a && !net->want[b][a]) {
				changed = true;
				net->st[a][b] = net->st[b][a] = TOPO_LINK_NONE;
			}
		}
	}
	return changed;
}

enum { VMAX = 32 };

struct view {
	int n, nbi[VMAX], nnlen[VMAX];
	struct evpn_id nbrs[VMAX], nn[VMAX * VMAX];
};

START_TEST(test_daemon_overlay_routes)
{
	static struct net net;
	static struct view views[NODES];
	int tot;
	struct trng r = { test_seed(18) };
	struct evpn_sym_cfg cfg;
	int a, b, i, j, rounds, deg[NODES], links = 0, maxdeg = 0, la;

	evpn_sym_cfg_default(&cfg);
	cfg.k = 3;
	cfg.span = 4;
	ck_assert_int_eq(topology_symphony_configure(&cfg), 0);
	topology_symphony_seed((uint32_t)trng_next(&r));
	memset(&net, 0, sizeof(net));
	for (a = 0; a < NODES; a++) {
		net.id[a] = mkid(trng_next(&r), trng_next(&r));
		net.topo[a] = topology_symphony.create(&net.id[a]);
	}
	for (rounds = 0; rounds < 40 && net_round(&net); rounds++)
		;
	ck_assert_int_lt(rounds, 40);	/* converged */
	for (a = 0; a < NODES; a++) {
		for (b = 0, deg[a] = 0; b < NODES; b++)
			deg[a] += net.st[a][b] == TOPO_LINK_UP;
		links += deg[a];
		if (deg[a] > maxdeg)
			maxdeg = deg[a];
		/* the cap holds at acceptance; a link accepted because both
		 * ends wanted it counts as incoming once our own slot moves */
		ck_assert_int_le(topology_symphony_in_long(net.topo[a]), 2 * cfg.k + 2);
	}
	/* about 2k + 2 links per node on average */
	ck_assert_int_le(links, NODES * (2 * cfg.k + 2));
	ck_assert_int_ge(links, NODES * (2 * cfg.k));
	ck_assert_int_le(maxdeg, 2 + cfg.k + 2 * cfg.k);

	/* each node's forwarding view: neighbours and their link lists */
	for (a = 0; a < NODES; a++) {
		struct view *v = &views[a];

		for (i = 0, v->n = 0, tot = 0; i < NODES; i++) {
			if (net.st[a][i] != TOPO_LINK_UP)
				continue;
			ck_assert_int_lt(v->n, VMAX);
			v->nbi[v->n] = i;
			v->nbrs[v->n] = net.id[i];
			for (j = 0, v->nnlen[v->n] = 0; j < NODES; j++)
				if (net.st[i][j] == TOPO_LINK_UP) {
					ck_assert_int_lt(tot, VMAX * VMAX);
					v->nn[tot++] = net.id[j];
					v->nnlen[v->n]++;
				}
			v->n++;
		}
	}
	for (la = 0; la < 2; la++)
		for (a = 0; a < NODES; a++)
			for (b = 0; b < NODES; b++) {
				int seen[NODES] = { 0 }, cur = a, hops = 0, nb;

				while (cur != b) {
					const struct view *v = &views[cur];

					if (seen[cur])
						ck_abort_msg("loop at %d", cur);
					seen[cur] = 1;
					nb = la ? evpn_route_la_next_hop(&net.id[cur], &net.id[b],
									 v->nbrs, v->n, v->nn, v->nnlen)
						: evpn_fwd_next_hop(&net.id[cur], &net.id[b], v->nbrs, v->n);
					if (nb < 0)
						ck_abort_msg("stuck at %d routing %d -> %d",
							     cur, a, b);
					cur = v->nbi[nb];
					if (++hops > EVPN_TTL_DEFAULT)
						ck_abort_msg("TTL exceeded");
				}
			}
	for (a = 0; a < NODES; a++)
		topology_symphony.destroy(net.topo[a]);
	evpn_sym_cfg_default(&cfg);
	topology_symphony_configure(&cfg);
}
END_TEST

/*
 * The adapter's reactions within one select() call (no timers): short
 * links to the ring neighbours plus k long links at once; a long target in
 * backoff is replaced while a short one stays wanted; a departed successor
 * is replaced by the next member; the in-degree cap refuses the (2k+1)th
 * incoming long link but never a peer we want ourselves.
 */
static int wanted(const struct topo_peer *p, int n)
{
	int i, c = 0;

	for (i = 0; i < n; i++)
		c += p[i].want;
	return c;
}

static int peer_idx(const struct topo_peer *p, int n, const struct evpn_id *id)
{
	int i;

	for (i = 0; i < n; i++)
		if (evpn_id_eq(&p[i].id, id))
			return i;
	return -1;
}

START_TEST(test_daemon_adapter_events)
{
	enum { M = 64 };
	struct trng r = { test_seed(19) };
	struct evpn_id ids[M + 1], self;
	struct topo_peer p[M];
	struct evpn_sym_cfg cfg;
	void *t;
	int i, j, n = M, succ, pred, lng = -1, in = 0;

	evpn_sym_cfg_default(&cfg);
	ck_assert_int_eq(topology_symphony_configure(&cfg), 0);
	topology_symphony_seed((uint32_t)trng_next(&r));
	for (i = 0; i <= M; i++)
		ids[i] = mkid(trng_next(&r), trng_next(&r));
	qsort(ids, M + 1, sizeof(ids[0]), id_cmp);
	self = ids[M / 2];			/* ring neighbours: ids[M/2 +- 1] */
	for (i = 0, j = 0; i <= M; i++)
		if (i != M / 2)
			p[j++] = (struct topo_peer){ .id = ids[i] };
	t = topology_symphony.create(&self);
	topology_symphony.select(t, p, (size_t)n);
	succ = peer_idx(p, n, &ids[M / 2 + 1]);
	pred = peer_idx(p, n, &ids[M / 2 - 1]);
	ck_assert(p[succ].want && p[pred].want);
	/* ring first: no long link while a short one is not up yet */
	ck_assert_int_eq(wanted(p, n), 2);
	p[succ].link = TOPO_LINK_SETUP;
	p[pred].link = TOPO_LINK_UP;
	topology_symphony.select(t, p, (size_t)n);
	ck_assert_int_eq(wanted(p, n), 2);
	p[succ].link = TOPO_LINK_UP;
	topology_symphony.select(t, p, (size_t)n);
	ck_assert_int_eq(wanted(p, n), 2 + cfg.k);
	ck_assert_uint_gt(topology_symphony_log2n(t), 5u << 16);

	/* successor and one long target fail after an attempt (SETUP seen):
	 * the long one is replaced at once, the short one stays wanted */
	for (i = 0; i < n && lng < 0; i++)
		if (p[i].want && i != succ && i != pred)
			lng = i;
	p[succ].link = p[lng].link = TOPO_LINK_SETUP;
	topology_symphony.select(t, p, (size_t)n);
	ck_assert(p[succ].want && p[lng].want);
	p[succ].link = p[lng].link = TOPO_LINK_BACKOFF;
	topology_symphony.select(t, p, (size_t)n);
	ck_assert(p[succ].want);
	ck_assert(!p[lng].want);
	ck_assert_int_eq(wanted(p, n), 2 + cfg.k);
	p[lng].link = TOPO_LINK_NONE;

	/* a long target with the higher ID: a first BACKOFF may be the link
	 * manager's deferral (the lower ID waits for the higher one's
	 * request), so the slot waits; a second BACKOFF episode is a refusal */
	for (i = 0, lng = -1; i < n && lng < 0; i++)
		if (p[i].want && i != succ && i != pred && p[i].link == TOPO_LINK_NONE &&
		    evpn_id_cmp(&p[i].id, &self) > 0)
			lng = i;
	if (lng >= 0) {
		p[lng].link = TOPO_LINK_BACKOFF;
		topology_symphony.select(t, p, (size_t)n);
		ck_assert(p[lng].want);
		p[lng].link = TOPO_LINK_NONE;
		topology_symphony.select(t, p, (size_t)n);
		ck_assert(p[lng].want);
		p[lng].link = TOPO_LINK_BACKOFF;
		topology_symphony.select(t, p, (size_t)n);
		ck_assert(!p[lng].want);
		p[lng].link = TOPO_LINK_NONE;
	}
	/* with the lower ID, having asked is enough: the peer refused */
	for (i = 0, lng = -1; i < n && lng < 0; i++)
		if (p[i].want && i != succ && i != pred && p[i].link == TOPO_LINK_NONE &&
		    evpn_id_cmp(&p[i].id, &self) < 0)
			lng = i;
	if (lng >= 0) {
		p[lng].link = TOPO_LINK_BACKOFF;
		topology_symphony.select(t, p, (size_t)n);
		ck_assert(!p[lng].want);
		p[lng].link = TOPO_LINK_NONE;
	}
	p[succ].link = TOPO_LINK_BACKOFF;

	/* the successor leaves: the next member becomes the short link */
	p[succ] = p[--n];
	topology_symphony.select(t, p, (size_t)n);
	ck_assert(p[peer_idx(p, n, &ids[M / 2 + 2])].want);

	/* 2k peers we do not want have linked to us: the next is refused */
	for (i = 0; i < n && in < 2 * cfg.k; i++)
		if (!p[i].want && p[i].link == TOPO_LINK_NONE) {
			p[i].link = TOPO_LINK_UP;
			in++;
		}
	topology_symphony.select(t, p, (size_t)n);
	ck_assert_int_eq(topology_symphony_in_long(t), 2 * cfg.k);
	for (i = 0; i < n; i++)
		if (!p[i].want && p[i].link == TOPO_LINK_NONE)
			break;
	ck_assert_int_lt(i, n);
	ck_assert(!topology_symphony_accept(t, &p[i].id));
	ck_assert(topology_symphony_accept(t, &ids[M / 2 - 1]));	/* predecessor */
	{	/* a newcomer between us and our successor, not yet seen */
		struct evpn_id mid = evpn_id_dist(&self, &ids[M / 2 + 2]);

		mid.lo = mid.lo >> 1 | mid.hi << 63;
		mid.hi >>= 1;
		mid.lo += self.lo;
		mid.hi += self.hi + (mid.lo < self.lo);
		ck_assert(topology_symphony_accept(t, &mid));
	}

	/* a duplicate entry and ourselves in the list change nothing */
	{
		struct topo_peer q[M + 2];
		int before = 0, after = 0;

		for (i = 0; i < n; i++)
			before += p[i].want;
		memcpy(q, p, (size_t)n * sizeof(*q));
		q[n] = p[0];
		q[n + 1] = (struct topo_peer){ .id = self };
		topology_symphony.select(t, q, (size_t)n + 2);
		for (i = 0; i < n; i++)
			after += q[i].want;
		ck_assert(!q[n + 1].want);
		ck_assert_int_eq(after, before);
	}
	topology_symphony.destroy(t);
}
END_TEST

static Suite *symphony_suite(void)
{
	Suite *s = suite_create("symphony");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_log2);
	tcase_add_test(tc, test_harmonic_exact);
	tcase_add_test(tc, test_harmonic_distribution);
	tcase_add_test(tc, test_estimate);
	tcase_add_test(tc, test_slots);
	tcase_add_test(tc, test_relink_distribution);
	tcase_add_test(tc, test_cap);
	tcase_add_test(tc, test_route_no_lists_is_greedy);
	tcase_add_test(tc, test_route_la_loop_free);
	tcase_add_test(tc, test_daemon_overlay_routes);
	tcase_add_test(tc, test_daemon_adapter_events);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return unit_run(symphony_suite(), false) ? EXIT_FAILURE : EXIT_SUCCESS;
}
