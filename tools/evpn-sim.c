// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * evpn-sim: the Symphony overlay at scale, with instant links.
 *
 * N nodes with random 128-bit IDs each run the real topology code
 * (core/symphony.c: estimate n, short links, harmonic long links, in-degree
 * cap with redraw) and packets follow the real routing code (core/fwd.c's
 * evpn_fwd_next_hop, core/route_la.c's lookahead and clockwise variants).
 * Nothing here decides a link or a hop; it only plays the network: it
 * delivers link requests instantly, applies the target's acceptance rule,
 * and walks packets hop by hop.
 *
 *   evpn-sim [-n N] [-k K] [-p PAIRS] [-s SEED] [-S SUCC] [-P PRED]
 *            [-e SPAN] [-c] [-C FRACTION] [-g FRACTION]
 *
 *   -c           in-degree cap off (default on: 2k incoming long links)
 *   -C FRACTION  churn: after building, replace FRACTION of the nodes by new
 *                ones, let every node repair (the same update calls evpnd
 *                makes on member leave/join), then measure
 *   -g FRACTION  growth: FRACTION of the nodes start and converge, then the
 *                rest join; early nodes whose estimate of n left [1/2, 2]x
 *                the value they drew with relink (topo line: relinked=)
 *
 * Prints one line per routing mode (uni|bi x nola|la):
 *   sim n=.. k=.. cap=.. churn=.. route=bi-la pairs=.. hops_avg=.. hops_p99=..
 *       links_avg=.. over_ttl=.. stuck=.. loops=..
 * (over_ttl: paths longer than the wire's default TTL, which would be
 * dropped) and one "topo" line (estimate quality, in-degree, refusals; with
 * -C the join cost: link requests sent by all nodes while repairing, and long
 * links survivors moved, both per node that joined).
 * Exit status 1 if any packet was stuck or looped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fwd.h"
#include "id.h"
#include "route_la.h"
#include "symphony.h"
#include "wire.h"

struct node {
	struct evpn_id id;
	struct evpn_sym sym;
	int in_long;		/* accepted incoming long links */
	uint32_t l2n_before;	/* -g: estimate used before the second wave */
	int refusals;		/* refusals this node's slots received */
};

struct sim {
	struct evpn_sym_cfg cfg;
	int n;
	struct node *nodes;	/* sorted by id: index == ring position */
	struct evpn_id *ring;	/* the member list every node sees */
	/* CSR adjacency: all links (bidirectional), and outgoing links only */
	int *all_off, *all_idx, *out_off, *out_idx;
	struct evpn_id *all_id, *out_id;
	uint64_t rng;
	long refused, gave_up, relinked;
	long requests;		/* link requests sent (accepted or refused) */
	/* -C: cost of the churn, per node that joined (report_topo) */
	long churn_joined, churn_requests, churn_moved;
};

static uint64_t rng_next(void *ctx)
{
	uint64_t *s = ctx;
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void *xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz);

	if (!p) {
		perror("evpn-sim");
		exit(2);
	}
	return p;
}

static int node_cmp(const void *a, const void *b)
{
	return evpn_id_cmp(&((const struct node *)a)->id, &((const struct node *)b)->id);
}

/* Ring position of @id, or -1 if it is not a member. */
static int find(const struct sim *s, const struct evpn_id *id)
{
	int i = evpn_sym_ring_lower(s->ring, s->n, id);

	return i < s->n && evpn_id_eq(&s->ring[i], id) ? i : -1;
}

static void sort_nodes(struct sim *s)
{
	int i;

	qsort(s->nodes, (size_t)s->n, sizeof(*s->nodes), node_cmp);
	for (i = 0; i < s->n; i++)
		s->ring[i] = s->nodes[i].id;
}

static struct evpn_id random_id(struct sim *s)
{
	struct evpn_id id;

	id.hi = rng_next(&s->rng);
	id.lo = rng_next(&s->rng);
	return id;
}

/*
 * One node reacts to a ring change the way evpnd does: evpn_sym_update, then
 * a link request per wanted slot. The target answers at once with
 * evpn_sym_accept_incoming; a refusal makes the node draw again. Before the
 * update, remember which targets held our accepted links, so a target we
 * dropped (redraw after drift, target became a short neighbour) loses the
 * incoming link it was counting.
 */
static void node_converge(struct sim *s, int i, bool ring_changed)
{
	struct node *nd = &s->nodes[i];
	struct evpn_id old[EVPN_SYM_MAX_K];
	bool was_up[EVPN_SYM_MAX_K];
	int j, t, round;

	for (j = 0; j < s->cfg.k; j++) {
		old[j] = nd->sym.slot[j].target;
		was_up[j] = nd->sym.slot[j].state == EVPN_SYM_UP;
	}
	for (round = 0; round < 4 * EVPN_SYM_MAX_REFUSALS; round++) {
		bool pending = false;

		evpn_sym_update(&nd->sym, s->ring, s->n, ring_changed && !round,
				rng_next, &s->rng);
		for (j = 0; j < s->cfg.k; j++) {
			struct evpn_sym_slot *sl = &nd->sym.slot[j];

			if (sl->state != EVPN_SYM_WANT)
				continue;
			t = find(s, &sl->target);
			s->requests++;
			if (t >= 0 && evpn_sym_accept_incoming(&s->nodes[t].sym.cfg,
							       s->nodes[t].in_long)) {
				s->nodes[t].in_long++;
				evpn_sym_slot_accepted(&nd->sym, j);
			} else {
				s->refused++;
				evpn_sym_slot_refused(&nd->sym, j);
				if (sl->state == EVPN_SYM_GAVE_UP)
					s->gave_up++;
				pending = true;
			}
		}
		if (!pending)
			break;
	}
	/* release targets that no longer hold one of our links */
	for (j = 0; j < s->cfg.k; j++) {
		if (!was_up[j])
			continue;
		if (evpn_sym_slot_find(&nd->sym, &old[j]) >= 0)
			continue;
		t = find(s, &old[j]);
		if (t >= 0 && s->nodes[t].in_long > 0)
			s->nodes[t].in_long--;
	}
}

static void shuffle(struct sim *s, int *order, int n)
{
	int i, j, tmp;

	for (i = 0; i < n; i++)
		order[i] = i;
	for (i = n - 1; i > 0; i--) {
		j = (int)(rng_next(&s->rng) % (uint64_t)(i + 1));
		tmp = order[i];
		order[i] = order[j];
		order[j] = tmp;
	}
}

/* Every node (in random order) converges on the current ring. */
static void converge_all(struct sim *s, bool ring_changed)
{
	int *order = xcalloc((size_t)s->n, sizeof(int));
	int i;

	shuffle(s, order, s->n);
	for (i = 0; i < s->n; i++)
		node_converge(s, order[i], ring_changed);
	free(order);
}

/* Nodes [from, to) join with fresh IDs and state. */
static void join(struct sim *s, int from, int to)
{
	int i;

	for (i = from; i < to; i++) {
		s->nodes[i].id = random_id(s);
		s->nodes[i].in_long = 0;
		evpn_sym_init(&s->nodes[i].sym, &s->cfg, &s->nodes[i].id);
	}
}

/*
 * All nodes start at once; or, with @grow_frac, a fraction of them first and
 * the rest later, so the first ones see their estimate of n grow past 2x and
 * must relink (counted in s->relinked).
 */
static void build(struct sim *s, double grow_frac)
{
	int n = s->n, n0 = grow_frac > 0 ? (int)(grow_frac * n) : n, i;

	if (n0 < 2)
		n0 = n;
	s->n = n0;
	join(s, 0, n0);
	sort_nodes(s);
	converge_all(s, true);
	if (n0 == n)
		return;
	for (i = 0; i < n0; i++)
		s->nodes[i].l2n_before = s->nodes[i].sym.log2n_used;
	s->n = n;
	join(s, n0, n);
	sort_nodes(s);
	converge_all(s, true);
	for (i = 0; i < n; i++)
		s->relinked += s->nodes[i].l2n_before &&
			       s->nodes[i].l2n_before != s->nodes[i].sym.log2n_used;
}

/*
 * Replace @frac of the nodes: the leavers vanish (their links die with
 * them), newcomers get fresh IDs and state; then every node re-runs its
 * update -- survivors drop links to leavers, redraw, adopt new neighbours.
 */
/*
 * The cost of a churn round, charged to the nodes that joined: the link
 * requests every node sent while converging (newcomers drawing their long
 * links, survivors replacing links to leavers), and the long links that
 * survivors moved. Saved per survivor slot before, compared after.
 */
static struct evpn_id *churn_saved;

static void churn_cost_begin(struct sim *s, int joined, bool **fresh)
{
	int i, j;

	*fresh = xcalloc((size_t)s->n, sizeof(bool));
	churn_saved = xcalloc((size_t)s->n * EVPN_SYM_MAX_K, sizeof(*churn_saved));
	for (i = 0; i < s->n; i++) {
		/* a newcomer has drawn nothing yet */
		(*fresh)[i] = s->nodes[i].sym.log2n_used == 0;
		for (j = 0; j < s->cfg.k; j++)
			churn_saved[i * EVPN_SYM_MAX_K + j] = s->nodes[i].sym.slot[j].target;
	}
	s->churn_joined = joined;
	s->churn_requests = -s->requests;
}

static void churn_cost_end(struct sim *s, bool *fresh)
{
	int i, j;

	s->churn_requests += s->requests;
	for (i = 0; i < s->n; i++) {
		if (fresh[i])
			continue;
		for (j = 0; j < s->cfg.k; j++)
			s->churn_moved += !evpn_id_eq(&churn_saved[i * EVPN_SYM_MAX_K + j],
						      &s->nodes[i].sym.slot[j].target);
	}
	free(churn_saved);
	churn_saved = NULL;
	free(fresh);
}

static void churn(struct sim *s, double frac)
{
	int nrep = (int)(frac * s->n), *order, i, j;
	bool *fresh;

	order = xcalloc((size_t)s->n, sizeof(int));
	shuffle(s, order, s->n);
	/* leavers: release the targets of their accepted long links */
	for (i = 0; i < nrep; i++) {
		struct node *nd = &s->nodes[order[i]];

		for (j = 0; j < s->cfg.k; j++) {
			int t;

			if (nd->sym.slot[j].state != EVPN_SYM_UP)
				continue;
			t = find(s, &nd->sym.slot[j].target);
			if (t >= 0 && s->nodes[t].in_long > 0)
				s->nodes[t].in_long--;
		}
	}
	for (i = 0; i < nrep; i++)
		join(s, order[i], order[i] + 1);
	free(order);
	sort_nodes(s);
	churn_cost_begin(s, nrep, &fresh);
	converge_all(s, true);
	churn_cost_end(s, fresh);
}

/* Append @x to node @a's list in a CSR under construction (no duplicates). */
static void adj_add(int *cnt, int *idx, int cap, int a, int x)
{
	int j;

	if (a == x)
		return;
	for (j = 0; j < cnt[a]; j++)
		if (idx[a * cap + j] == x)
			return;
	if (cnt[a] < cap)
		idx[a * cap + cnt[a]++] = x;
}

static void csr(struct sim *s, const int *cnt, const int *tmp, int cap,
		int **off, int **idx, struct evpn_id **ids)
{
	int i, j, tot = 0;

	*off = xcalloc((size_t)s->n + 1, sizeof(int));
	for (i = 0; i < s->n; i++)
		tot += cnt[i];
	*idx = xcalloc((size_t)tot, sizeof(int));
	*ids = xcalloc((size_t)tot, sizeof(struct evpn_id));
	for (i = 0, tot = 0; i < s->n; i++) {
		(*off)[i] = tot;
		for (j = 0; j < cnt[i]; j++, tot++) {
			(*idx)[tot] = tmp[i * cap + j];
			(*ids)[tot] = s->ring[tmp[i * cap + j]];
		}
	}
	(*off)[s->n] = tot;
}

/*
 * The link graph: node a's outgoing links are its short-link targets and its
 * accepted long-link targets; every link is usable both ways, so the
 * bidirectional neighbour list of a is its outgoing links plus everyone who
 * links to it.
 */
static void links(struct sim *s)
{
	int cap = 2 * EVPN_SYM_MAX_SHORT + EVPN_SYM_MAX_K;
	int acap = 64 + 3 * cap;	/* in-degree is capped at 2k (or rare) */
	int *ocnt = xcalloc((size_t)s->n, sizeof(int));
	int *acnt = xcalloc((size_t)s->n, sizeof(int));
	int *otmp = xcalloc((size_t)s->n * cap, sizeof(int));
	int *atmp = xcalloc((size_t)s->n * acap, sizeof(int));
	struct evpn_id sh[2 * EVPN_SYM_MAX_SHORT];
	int i, j, m, t;

	for (i = 0; i < s->n; i++) {
		struct evpn_sym *sym = &s->nodes[i].sym;

		m = evpn_sym_short_links(sym, s->ring, s->n, sh);
		for (j = 0; j < m; j++)
			adj_add(ocnt, otmp, cap, i, find(s, &sh[j]));
		for (j = 0; j < s->cfg.k; j++)
			if (sym->slot[j].state == EVPN_SYM_UP &&
			    (t = find(s, &sym->slot[j].target)) >= 0)
				adj_add(ocnt, otmp, cap, i, t);
	}
	for (i = 0; i < s->n; i++)
		for (j = 0; j < ocnt[i]; j++) {
			t = otmp[i * cap + j];
			adj_add(acnt, atmp, acap, i, t);
			adj_add(acnt, atmp, acap, t, i);
		}
	csr(s, ocnt, otmp, cap, &s->out_off, &s->out_idx, &s->out_id);
	csr(s, acnt, atmp, acap, &s->all_off, &s->all_idx, &s->all_id);
	free(ocnt);
	free(acnt);
	free(otmp);
	free(atmp);
}

static void links_free(struct sim *s)
{
	free(s->all_off);
	free(s->all_idx);
	free(s->all_id);
	free(s->out_off);
	free(s->out_idx);
	free(s->out_id);
}

/*
 * Walks are measured up to MAX_HOPS, well past the wire TTL, so the table
 * shows true path lengths; how many exceed EVPN_TTL_DEFAULT is reported
 * separately (over_ttl). A walk reaching MAX_HOPS counts as a loop.
 */
#define MAX_HOPS 1024

struct route_stats {
	long pairs, stuck, loops, over_ttl, hist[MAX_HOPS + 1];
	double sum;
};

/* Walk one packet from @src to @dst; returns hops, -1 if stuck (no next
 * hop short of the destination), -2 after MAX_HOPS (a loop). */
static int route(struct sim *s, int src, int dst, bool bi, bool la,
		 struct evpn_id *nnbuf, int *nnlen)
{
	const int *off = bi ? s->all_off : s->out_off;
	const int *idx = bi ? s->all_idx : s->out_idx;
	const struct evpn_id *ids = bi ? s->all_id : s->out_id;
	int cur = src, hops = 0, nb, deg, j, v, tot;

	while (cur != dst) {
		if (hops >= MAX_HOPS)
			return -2;
		deg = off[cur + 1] - off[cur];
		if (!la) {
			nb = bi ? evpn_fwd_next_hop(&s->ring[cur], &s->ring[dst],
						    &ids[off[cur]], deg)
				: evpn_route_la_next_hop_cw(&s->ring[cur], &s->ring[dst],
							    &ids[off[cur]], deg,
							    NULL, NULL);
		} else {
			/* the neighbours' link lists, laid end to end */
			for (j = 0, tot = 0; j < deg; j++) {
				v = idx[off[cur] + j];
				nnlen[j] = off[v + 1] - off[v];
				memcpy(&nnbuf[tot], &ids[off[v]],
				       (size_t)nnlen[j] * sizeof(*nnbuf));
				tot += nnlen[j];
			}
			nb = (bi ? evpn_route_la_next_hop : evpn_route_la_next_hop_cw)
				(&s->ring[cur], &s->ring[dst], &ids[off[cur]], deg,
				 nnbuf, nnlen);
		}
		if (nb < 0)
			return -1;	/* stuck short of the destination */
		cur = idx[off[cur] + nb];
		hops++;
	}
	return hops;
}

static int p99(const struct route_stats *st)
{
	long acc = 0, want = (st->pairs - st->stuck - st->loops) * 99 / 100;
	int h;

	for (h = 0; h <= MAX_HOPS; h++) {
		acc += st->hist[h];
		if (acc > want)
			return h;
	}
	return MAX_HOPS;
}

static void usage(void)
{
	fprintf(stderr, "usage: evpn-sim [-n N] [-k K] [-p PAIRS] [-s SEED] "
		"[-S SUCC] [-P PRED] [-e SPAN] [-c] [-C FRACTION] [-g FRACTION]\n");
	exit(2);
}

static void report_topo(const struct sim *s, double churn_frac)
{
	long within = 0, in_max = 0, lmax = 0, i;
	uint32_t truth = evpn_sym_log2(&(struct evpn_id){ 0, (uint64_t)s->n });

	for (i = 0; i < s->n; i++) {
		uint32_t e = evpn_sym_estimate(&s->nodes[i].sym, s->ring, s->n);
		uint32_t d = e > truth ? e - truth : truth - e;

		within += d <= EVPN_SYM_LOG2_ONE;
		if (s->nodes[i].in_long > in_max)
			in_max = s->nodes[i].in_long;
		if (s->all_off[i + 1] - s->all_off[i] > lmax)
			lmax = s->all_off[i + 1] - s->all_off[i];
	}
	printf("topo n=%d k=%d cap=%s churn=%.2f est_within2=%.4f in_long_max=%ld "
	       "links_max=%ld refused=%ld gave_up=%ld relinked=%ld "
	       "join_requests=%.2f join_moved=%.2f\n",
	       s->n, s->cfg.k, s->cfg.in_cap ? "on" : "off", churn_frac,
	       (double)within / s->n, in_max, lmax, s->refused, s->gave_up,
	       s->relinked,
	       s->churn_joined ? (double)s->churn_requests / s->churn_joined : 0,
	       s->churn_joined ? (double)s->churn_moved / s->churn_joined : 0);
}

int main(int argc, char **argv)
{
	static const struct { bool bi, la; const char *name; } modes[] = {
		{ false, false, "uni-nola" }, { false, true, "uni-la" },
		{ true, false, "bi-nola" }, { true, true, "bi-la" },
	};
	struct sim s = { 0 };
	long pairs = 20000, p, ok;
	double churn_frac = 0, grow_frac = 0;
	uint64_t seed = 1;
	struct evpn_id *nnbuf;
	int *nnlen, *src, *dst, opt, m, bad = 0;

	evpn_sym_cfg_default(&s.cfg);
	s.n = 1024;
	while ((opt = getopt(argc, argv, "n:k:p:s:S:P:e:cC:g:")) != -1) {
		switch (opt) {
		case 'n': s.n = atoi(optarg); break;
		case 'k': s.cfg.k = atoi(optarg); break;
		case 'p': pairs = atol(optarg); break;
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'S': s.cfg.n_succ = atoi(optarg); break;
		case 'P': s.cfg.n_pred = atoi(optarg); break;
		case 'e': s.cfg.span = atoi(optarg); break;
		case 'c': s.cfg.in_cap = false; break;
		case 'C': churn_frac = atof(optarg); break;
		case 'g': grow_frac = atof(optarg); break;
		default: usage();
		}
	}
	if (s.n < 2 || pairs < 1 || evpn_sym_cfg_check(&s.cfg) ||
	    churn_frac < 0 || churn_frac > 1 || grow_frac < 0 || grow_frac >= 1)
		usage();
	s.rng = seed;
	s.nodes = xcalloc((size_t)s.n, sizeof(*s.nodes));
	s.ring = xcalloc((size_t)s.n, sizeof(*s.ring));
	build(&s, grow_frac);
	if (churn_frac > 0)
		churn(&s, churn_frac);
	links(&s);
	report_topo(&s, churn_frac);

	/* one sample of distinct (src, dst) pairs, shared by every mode */
	src = xcalloc((size_t)pairs, sizeof(int));
	dst = xcalloc((size_t)pairs, sizeof(int));
	for (p = 0; p < pairs; p++) {
		src[p] = (int)(rng_next(&s.rng) % (uint64_t)s.n);
		do
			dst[p] = (int)(rng_next(&s.rng) % (uint64_t)s.n);
		while (dst[p] == src[p]);
	}
	nnbuf = xcalloc((size_t)s.all_off[s.n], sizeof(*nnbuf));
	nnlen = xcalloc((size_t)s.n, sizeof(int));
	for (m = 0; m < 4; m++) {
		static struct route_stats st;
		const int *off = modes[m].bi ? s.all_off : s.out_off;
		int h;

		memset(&st, 0, sizeof(st));
		for (p = 0; p < pairs; p++) {
			h = route(&s, src[p], dst[p], modes[m].bi, modes[m].la,
				  nnbuf, nnlen);
			st.pairs++;
			if (h < 0) {
				*(h == -1 ? &st.stuck : &st.loops) += 1;
				continue;
			}
			st.hist[h]++;
			st.sum += h;
			st.over_ttl += h > EVPN_TTL_DEFAULT;
		}
		ok = st.pairs - st.stuck - st.loops;
		bad |= ok != st.pairs;
		printf("sim n=%d k=%d cap=%s churn=%.2f route=%s pairs=%ld "
		       "hops_avg=%.3f hops_p99=%d links_avg=%.3f over_ttl=%ld "
		       "stuck=%ld loops=%ld\n",
		       s.n, s.cfg.k, s.cfg.in_cap ? "on" : "off", churn_frac,
		       modes[m].name, st.pairs, ok ? st.sum / (double)ok : 0.0,
		       p99(&st), (double)off[s.n] / s.n, st.over_ttl,
		       st.stuck, st.loops);
	}
	free(nnbuf);
	free(nnlen);
	free(src);
	free(dst);
	links_free(&s);
	free(s.nodes);
	free(s.ring);
	return bad;
}
