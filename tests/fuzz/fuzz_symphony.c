// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer target for core/symphony.c and core/route_la.c: arbitrary IDs
 * (collisions, extremes), arbitrary link graphs and arbitrary random words.
 *
 *  - evpn_sym_update on the fuzzed member view (sorted, one entry per ID):
 *    every wanted target is a member, never self, never a short-link target,
 *    never twice; the estimate never exceeds 128 (log2 of the ring);
 *  - evpn_sym_harmonic never returns less than 2^128 / n;
 *  - 1-lookahead routing over a fuzzed undirected graph with true link
 *    lists: the returned index is in range, and walks never revisit a node
 *    (the potential argument in route_la.c); without lists it is exactly
 *    evpn_fwd_next_hop.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fwd.h"
#include "route_la.h"
#include "symphony.h"
#include "fuzz.h"

#define NMAX 40

struct src {
	const uint8_t *p;
	size_t left;
};

static uint64_t take64(struct src *s)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++) {
		v = v << 8 | (s->left ? *s->p : 0x5a);
		if (s->left) {
			s->p++;
			s->left--;
		}
	}
	return v;
}

/* The fuzzer's bytes first, then a fixed generator: never runs dry. */
static uint64_t fuzz_rand(void *ctx)
{
	struct src *s = ctx;
	static uint64_t x = 88172645463325252ULL;

	if (s->left >= 8)
		return take64(s);
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return x;
}

/* IDs from few bytes, so collisions and neighbours are common. */
static struct evpn_id take_id(struct src *s)
{
	uint64_t v = take64(s);
	struct evpn_id id;

	switch (v & 3) {
	case 0:
		id.hi = v >> 2;
		id.lo = v;
		break;
	case 1:
		id.hi = ~0ULL;
		id.lo = ~0ULL - (v >> 60);
		break;
	default:
		id.hi = v & 0xff00ff00ff00ff00ULL;
		id.lo = v >> 56;
		break;
	}
	return id;
}

static int id_cmp(const void *a, const void *b)
{
	return evpn_id_cmp(a, b);
}

static void fuzz_topology(struct src *s, int n)
{
	struct evpn_id ring[NMAX], self = take_id(s), sh[2 * EVPN_SYM_MAX_SHORT], x;
	struct evpn_sym_cfg cfg;
	struct evpn_sym sym;
	int i, j, m = 0, ns, round;

	for (i = 0; i < n; i++) {
		x = take_id(s);
		m = evpn_sym_ring_insert(ring, m, NMAX, &x);
	}
	for (i = 1; i < m; i++)
		ENSURE(evpn_id_cmp(&ring[i - 1], &ring[i]) < 0);
	evpn_sym_cfg_default(&cfg);
	cfg.k = 1 + (int)(take64(s) % EVPN_SYM_MAX_K);
	cfg.n_succ = 1 + (int)(take64(s) % 3);
	cfg.n_pred = (int)(take64(s) % 3);
	cfg.span = 1 + (int)(take64(s) % 8);
	ENSURE(!evpn_sym_cfg_check(&cfg));
	evpn_sym_init(&sym, &cfg, &self);
	for (round = 0; round < 3; round++) {
		evpn_sym_update(&sym, ring, m, round == 0, fuzz_rand, s);
		ENSURE(sym.log2n_used <= 128u << 16);
		ns = evpn_sym_short_links(&sym, ring, m, sh);
		ENSURE(ns <= cfg.n_succ + cfg.n_pred);
		for (i = 0; i < cfg.k; i++) {
			const struct evpn_sym_slot *sl = &sym.slot[i];

			if (sl->state != EVPN_SYM_WANT && sl->state != EVPN_SYM_UP)
				continue;
			ENSURE(!evpn_id_eq(&sl->target, &self));
			ENSURE(evpn_sym_ring_manager(ring, m, &sl->target, NULL) >= 0);
			ENSURE(evpn_id_eq(&ring[evpn_sym_ring_manager(ring, m, &sl->target,
								     NULL)], &sl->target));
			for (j = 0; j < ns; j++)
				ENSURE(!evpn_id_eq(&sl->target, &sh[j]));
			for (j = 0; j < i; j++)
				ENSURE(sym.slot[j].state == EVPN_SYM_EMPTY ||
				      sym.slot[j].state == EVPN_SYM_GAVE_UP ||
				      !evpn_id_eq(&sl->target, &sym.slot[j].target));
			if (take64(s) & 1)
				evpn_sym_slot_accepted(&sym, i);
			else
				evpn_sym_slot_refused(&sym, i);
		}
		if (m > 1 && (take64(s) & 1))	/* a member leaves */
			m = evpn_sym_ring_remove(ring, m, &ring[take64(s) % (uint64_t)m]);
	}
	for (i = 0; i < 8; i++) {
		uint32_t l = (uint32_t)(take64(s) % ((128u << 16) + 1));

		x = evpn_sym_harmonic(l, (uint32_t)take64(s));
		/* x >= 2^(128 - l), up to rounding (log2 floors, < 2^-15);
		 * below 2^24 the integer truncation of x dominates */
		if (l <= 104u << 16)
			ENSURE(evpn_sym_log2(&x) + 4 >= (128u << 16) - l);
	}
}

static void fuzz_route(struct src *s, int n)
{
	static struct evpn_id id[NMAX], nbrs[NMAX], nn[NMAX * NMAX];
	static uint8_t adj[NMAX][NMAX];
	int nnlen[NMAX], map[NMAX], seen[NMAX];
	int a, b, i, j, cur, deg, tot, nb, edges;

	if (n < 2)
		return;
	for (i = 0; i < n; i++)
		id[i] = take_id(s);
	memset(adj, 0, sizeof(adj));
	edges = (int)(take64(s) % (uint64_t)(n * 4));
	for (i = 0; i < edges; i++) {
		a = (int)(take64(s) % (uint64_t)n);
		b = (int)(take64(s) % (uint64_t)n);
		if (a != b)
			adj[a][b] = adj[b][a] = 1;
	}
	for (a = 0; a < n; a++) {
		b = (int)(take64(s) % (uint64_t)n);
		memset(seen, 0, sizeof(seen));
		for (cur = a; cur != b;) {
			ENSURE(!seen[cur]);
			seen[cur] = 1;
			for (i = 0, deg = 0, tot = 0; i < n; i++) {
				if (!adj[cur][i])
					continue;
				map[deg] = i;
				nbrs[deg] = id[i];
				for (j = 0, nnlen[deg] = 0; j < n; j++)
					if (adj[i][j]) {
						nn[tot++] = id[j];
						nnlen[deg]++;
					}
				deg++;
			}
			ENSURE(evpn_route_la_next_hop(&id[cur], &id[b], nbrs, deg, NULL, NULL) ==
			      evpn_fwd_next_hop(&id[cur], &id[b], nbrs, deg));
			nb = evpn_route_la_next_hop(&id[cur], &id[b], nbrs, deg, nn, nnlen);
			ENSURE(nb >= -1 && nb < deg);
			i = evpn_route_la_next_hop_cw(&id[cur], &id[b], nbrs, deg, nn, nnlen);
			ENSURE(i >= -1 && i < deg);
			if (nb < 0)
				break;
			cur = map[nb];
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct src s = { data, size };
	int n;

	if (size < 2)
		return 0;
	n = 1 + (int)(take64(&s) % NMAX);
	if (data[0] & 1)
		fuzz_route(&s, n);
	else
		fuzz_topology(&s, n);
	return 0;
}
