// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Symphony topology decisions (see symphony.h, docs/topology.md).
 *
 * The harmonic draw needs ln and exp; both are done in base 2 in Q16 fixed
 * point: log2 by repeated squaring of a 32-bit mantissa, 2^-f by a product
 * of the constants 2^-(2^-j). The estimate of n is kept as log2(n), so n is
 * never divided by: n ~ c / D becomes log2 n = log2 c + 128 - log2 D.
 */
#include "symphony.h"

/* ---- 128-bit shifts on evpn_id (values, not ring points) ---- */

static struct evpn_id id_shl(struct evpn_id x, unsigned int s)
{
	struct evpn_id r = { 0, 0 };

	if (s >= 128)
		return r;
	if (s >= 64) {
		r.hi = x.lo << (s - 64);
		return r;
	}
	if (s == 0)
		return x;
	r.hi = x.hi << s | x.lo >> (64 - s);
	r.lo = x.lo << s;
	return r;
}

static struct evpn_id id_shr(struct evpn_id x, unsigned int s)
{
	struct evpn_id r = { 0, 0 };

	if (s >= 128)
		return r;
	if (s >= 64) {
		r.lo = x.hi >> (s - 64);
		return r;
	}
	if (s == 0)
		return x;
	r.lo = x.lo >> s | x.hi << (64 - s);
	r.hi = x.hi >> s;
	return r;
}

static struct evpn_id id_add(const struct evpn_id *a, const struct evpn_id *b)
{
	struct evpn_id r;

	r.lo = a->lo + b->lo;
	r.hi = a->hi + b->hi + (r.lo < a->lo);
	return r;
}

static int msb64(uint64_t v)
{
	int p = 0;

	while (v >>= 1)
		p++;
	return p;
}

uint32_t evpn_sym_log2(const struct evpn_id *x)
{
	uint64_t m;
	uint32_t frac = 0;
	int p, i;

	if (evpn_id_is_zero(x))
		return 0;
	p = x->hi ? 64 + msb64(x->hi) : msb64(x->lo);
	/* 32-bit mantissa m / 2^31 in [1, 2): the top 32 bits from the MSB */
	m = p >= 31 ? id_shr(*x, p - 31).lo : x->lo << (31 - p);
	for (i = 15; i >= 0; i--) {
		m = (m * m) >> 31;	/* square the mantissa: < 2^33 */
		if (m >= (1ULL << 32)) {
			frac |= 1u << i;
			m >>= 1;
		}
	}
	return (uint32_t)p << 16 | frac;
}

/* 2^-(2^(j-16)) in Q32, j = 0..15 (bit j of a Q16 fraction). */
static const uint32_t exp2_neg_bits[16] = {
	0xffff4e8eu, 0xfffe9d1du, 0xfffd3a3bu, 0xfffa747fu,
	0xfff4e91cu, 0xffe9d2b3u, 0xffd3a752u, 0xffa75652u,
	0xff4ecb59u, 0xfe9e115cu, 0xfd3e0c0du, 0xfa83b2dbu,
	0xf5257d15u, 0xeac0c6e8u, 0xd744fccbu, 0xb504f334u,
};

/* A uniform point of (lo, hi] (Q16) for a uniform 32-bit @u. */
static uint32_t t_uniform(uint32_t lo, uint32_t hi, uint32_t u)
{
	return lo + (uint32_t)((((1ULL << 32) - u) * (uint64_t)(hi - lo)) >> 32);
}

/* The ring distance 2^(128 - t) for t = -log2(x) in Q16. */
static struct evpn_id dist_from_t(uint32_t t)
{
	uint32_t ti = t >> 16, tf = t & 0xffff;
	struct evpn_id m = { 0, 1ULL << 32 };	/* 2^-tf in Q32 */
	int j;

	for (j = 0; j < 16; j++)
		if (tf & (1u << j))
			m.lo = (m.lo * exp2_neg_bits[j]) >> 32;
	if (ti == 0 && m.lo >> 32) {
		m.hi = m.lo = ~0ULL;	/* 2^128 itself: clamp */
		return m;
	}
	/* m * 2^-32 * 2^(128 - ti) = m << (96 - ti) */
	return ti <= 96 ? id_shl(m, 96 - ti) : id_shr(m, ti - 96);
}

struct evpn_id evpn_sym_harmonic(uint32_t log2n, uint32_t u)
{
	/* t = (1 - u) log2 n, uniform in (0, log2 n]: log x is uniform */
	return dist_from_t(t_uniform(0, log2n, u));
}

/* ---- ring view ---- */

int evpn_sym_ring_lower(const struct evpn_id *ring, int n, const struct evpn_id *x)
{
	int lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (evpn_id_cmp(&ring[mid], x) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int evpn_sym_ring_manager(const struct evpn_id *ring, int n,
			  const struct evpn_id *x, const struct evpn_id *skip)
{
	int i;

	if (n <= 0)
		return -1;
	i = evpn_sym_ring_lower(ring, n, x);
	if (i == n)
		i = 0;
	if (skip && evpn_id_eq(&ring[i], skip)) {
		if (n == 1)
			return -1;
		i = i + 1 == n ? 0 : i + 1;
	}
	return i;
}

int evpn_sym_ring_insert(struct evpn_id *ring, int n, int cap, const struct evpn_id *x)
{
	int i = evpn_sym_ring_lower(ring, n, x);

	if ((i < n && evpn_id_eq(&ring[i], x)) || n >= cap)
		return n;
	memmove(&ring[i + 1], &ring[i], (size_t)(n - i) * sizeof(*ring));
	ring[i] = *x;
	return n + 1;
}

int evpn_sym_ring_remove(struct evpn_id *ring, int n, const struct evpn_id *x)
{
	int i = evpn_sym_ring_lower(ring, n, x);

	if (i == n || !evpn_id_eq(&ring[i], x))
		return n;
	memmove(&ring[i], &ring[i + 1], (size_t)(n - i - 1) * sizeof(*ring));
	return n - 1;
}

static bool ring_has(const struct evpn_id *ring, int n, const struct evpn_id *x)
{
	int i = evpn_sym_ring_lower(ring, n, x);

	return i < n && evpn_id_eq(&ring[i], x);
}

/*
 * Position of self in the view: @base = first member >= self, @m = members
 * other than self. Successor j (1..m) is ring[(start + j - 1) % n] with
 * start skipping self's own entry; predecessor j is ring[(base - j) % n].
 */
struct ring_pos {
	int n, base, start, m;
};

static struct ring_pos ring_pos(const struct evpn_id *ring, int n,
				const struct evpn_id *self)
{
	struct ring_pos p = { .n = n };

	p.base = evpn_sym_ring_lower(ring, n, self);
	p.start = p.base;
	p.m = n;
	if (p.base < n && evpn_id_eq(&ring[p.base], self)) {
		p.start++;
		p.m--;
	}
	return p;
}

static int succ_idx(const struct ring_pos *p, int j)
{
	return (p->start + j - 1) % p->n;
}

static int pred_idx(const struct ring_pos *p, int j)
{
	return ((p->base - j) % p->n + p->n) % p->n;
}

/* ---- configuration ---- */

void evpn_sym_cfg_default(struct evpn_sym_cfg *cfg)
{
	cfg->n_succ = 1;
	cfg->n_pred = 1;
	cfg->k = 4;
	cfg->span = 8;
	cfg->in_cap = true;
}

int evpn_sym_cfg_check(const struct evpn_sym_cfg *cfg)
{
	if (cfg->n_succ < 1 || cfg->n_succ > EVPN_SYM_MAX_SHORT ||
	    cfg->n_pred < 0 || cfg->n_pred > EVPN_SYM_MAX_SHORT ||
	    cfg->k < 0 || cfg->k > EVPN_SYM_MAX_K ||
	    cfg->span < 1 || cfg->span > EVPN_SYM_MAX_SPAN)
		return -1;
	return 0;
}

void evpn_sym_init(struct evpn_sym *s, const struct evpn_sym_cfg *cfg,
		   const struct evpn_id *self)
{
	memset(s, 0, sizeof(*s));
	s->cfg = *cfg;
	s->self = *self;
}

/* ---- estimate and short links ---- */

static uint32_t log2_small(uint64_t v)
{
	struct evpn_id x = { 0, v };

	return evpn_sym_log2(&x);
}

uint32_t evpn_sym_estimate(const struct evpn_sym *s, const struct evpn_id *ring, int n)
{
	struct ring_pos p = ring_pos(ring, n, &s->self);
	int span = s->cfg.span;
	struct evpn_id d;
	uint32_t ld, lc;

	if (p.m <= 0)
		return 0;
	if (p.m <= 2 * span)
		return log2_small((uint64_t)p.m + 1);	/* the whole ring is in view */
	d = evpn_id_dist(&ring[pred_idx(&p, span)], &ring[succ_idx(&p, span)]);
	ld = evpn_sym_log2(&d);
	lc = log2_small(2 * (uint64_t)span - 1);
	/* log2 n = log2 c + 128 - log2 D, within [0, 128]: members packed
	 * closer than the ring allows (IDs one apart) must not overflow it */
	ld = lc + (128u << 16) > ld ? lc + (128u << 16) - ld : 0;
	return ld < (128u << 16) ? ld : 128u << 16;
}

static bool in_list(const struct evpn_id *l, int n, const struct evpn_id *x)
{
	int i;

	for (i = 0; i < n; i++)
		if (evpn_id_eq(&l[i], x))
			return true;
	return false;
}

int evpn_sym_short_links(const struct evpn_sym *s, const struct evpn_id *ring,
			 int n, struct evpn_id *out)
{
	struct ring_pos p = ring_pos(ring, n, &s->self);
	int j, cnt = 0;

	for (j = 1; j <= s->cfg.n_succ && j <= p.m; j++)
		out[cnt++] = ring[succ_idx(&p, j)];
	for (j = 1; j <= s->cfg.n_pred && j <= p.m; j++) {
		const struct evpn_id *x = &ring[pred_idx(&p, j)];

		if (!in_list(out, cnt, x))
			out[cnt++] = *x;
	}
	return cnt;
}

/* ---- long links ---- */

static void slot_clear(struct evpn_sym_slot *sl)
{
	memset(sl, 0, sizeof(*sl));
}

/* May slot @i take @t? Not self, a short target, another slot's target, or
 * the node that just refused this slot. */
static bool usable_target(const struct evpn_sym *s, int i, const struct evpn_id *t,
			  const struct evpn_id *shorts, int nshort)
{
	const struct evpn_sym_slot *sl = &s->slot[i];
	int j;

	if (evpn_id_eq(t, &s->self) || in_list(shorts, nshort, t))
		return false;
	if (sl->has_refused && evpn_id_eq(t, &sl->refused))
		return false;
	for (j = 0; j < s->cfg.k; j++)
		if (j != i && s->slot[j].state != EVPN_SYM_EMPTY &&
		    s->slot[j].state != EVPN_SYM_GAVE_UP &&
		    evpn_id_eq(&s->slot[j].target, t))
			return false;
	return true;
}

/*
 * Draw slot @i's target with -log2(x) uniform in (@t_lo, @t_hi]: the whole
 * harmonic density for (0, log2 n], or a slice of it (relink_slot).
 */
static bool draw_slot(struct evpn_sym *s, int i, const struct evpn_id *ring, int n,
		      const struct evpn_id *shorts, int nshort,
		      uint32_t t_lo, uint32_t t_hi, evpn_sym_rand_fn rnd, void *rctx)
{
	struct evpn_id x, pt;
	uint32_t t;
	int a, m;

	for (a = 0; a < EVPN_SYM_DRAWS; a++) {
		t = t_uniform(t_lo, t_hi, (uint32_t)(rnd(rctx) >> 32));
		x = dist_from_t(t);
		pt = id_add(&s->self, &x);
		m = evpn_sym_ring_manager(ring, n, &pt, &s->self);
		if (m < 0)
			return false;
		if (!usable_target(s, i, &ring[m], shorts, nshort))
			continue;
		s->slot[i].target = ring[m];
		s->slot[i].t = t;
		s->slot[i].state = EVPN_SYM_WANT;
		return true;
	}
	return false;
}

static bool drifted(uint32_t est, uint32_t used)
{
	uint32_t diff = est > used ? est - used : used - est;

	return !used || diff > EVPN_SYM_LOG2_ONE;
}

/*
 * Move one drawn slot from the harmonic density for log2 n = @old to the
 * one for @l, changing as few links as the densities allow (the paper
 * redraws all; this gives the same distribution). In terms of
 * t = -log2 x: the old law is uniform on (0, old], the new on (0, l].
 *  - growth (l > old): keep the link with probability old / l (the kept
 *    t stays uniform on (0, old]); else redraw t uniformly on (old, l];
 *    the mixture is uniform on (0, l].
 *  - shrink (l < old): keep the link if t <= l (then uniform on (0, l]);
 *    else redraw from the whole new law.
 * Returns true if the slot was emptied or redrawn.
 */
static bool relink_slot(struct evpn_sym *s, int i, uint32_t old, uint32_t l,
			const struct evpn_id *ring, int n,
			const struct evpn_id *shorts, int nshort,
			evpn_sym_rand_fn rnd, void *rctx)
{
	struct evpn_sym_slot *sl = &s->slot[i];
	uint64_t v = rnd(rctx) >> 32;

	if (l > old ? (v * l) >> 32 < old : sl->t <= l)
		return false;
	slot_clear(sl);
	if (l > old && draw_slot(s, i, ring, n, shorts, nshort, old, l, rnd, rctx))
		return true;
	draw_slot(s, i, ring, n, shorts, nshort, 0, l, rnd, rctx);
	return true;
}

uint32_t evpn_sym_update(struct evpn_sym *s, const struct evpn_id *ring, int n,
			 bool ring_changed, evpn_sym_rand_fn rnd, void *rctx)
{
	struct evpn_id shorts[2 * EVPN_SYM_MAX_SHORT];
	uint32_t est = evpn_sym_estimate(s, ring, n), changed = 0;
	int nshort = evpn_sym_short_links(s, ring, n, shorts);
	int i, k = s->cfg.k;

	if (est < EVPN_SYM_LOG2_ONE) {	/* alone (n < 2): no long links */
		for (i = 0; i < k; i++)
			if (s->slot[i].state != EVPN_SYM_EMPTY)
				changed |= 1u << i;
		memset(s->slot, 0, sizeof(s->slot));
		s->log2n_used = 0;
		return changed;
	}
	if (drifted(est, s->log2n_used)) {
		uint32_t old = s->log2n_used;

		s->log2n_used = est;
		for (i = 0; i < k; i++) {
			uint8_t st = s->slot[i].state;

			if (!old || (st != EVPN_SYM_WANT && st != EVPN_SYM_UP))
				slot_clear(&s->slot[i]);	/* drawn below */
			else if (relink_slot(s, i, old, est, ring, n, shorts,
					     nshort, rnd, rctx))
				changed |= 1u << i;
		}
	}
	for (i = 0; i < k; i++) {
		struct evpn_sym_slot *sl = &s->slot[i];

		if (sl->state == EVPN_SYM_GAVE_UP && ring_changed) {
			slot_clear(sl);
		} else if ((sl->state == EVPN_SYM_WANT || sl->state == EVPN_SYM_UP) &&
			   (!ring_has(ring, n, &sl->target) ||
			    in_list(shorts, nshort, &sl->target))) {
			/* target left, or became a short neighbour: redraw */
			slot_clear(sl);
			changed |= 1u << i;
		}
	}
	for (i = 0; i < k; i++)
		if (s->slot[i].state == EVPN_SYM_EMPTY &&
		    draw_slot(s, i, ring, n, shorts, nshort, 0, s->log2n_used,
			      rnd, rctx))
			changed |= 1u << i;
	return changed;
}

void evpn_sym_slot_accepted(struct evpn_sym *s, int i)
{
	if (i >= 0 && i < s->cfg.k && s->slot[i].state == EVPN_SYM_WANT) {
		s->slot[i].state = EVPN_SYM_UP;
		s->slot[i].refusals = 0;
	}
}

void evpn_sym_slot_refused(struct evpn_sym *s, int i)
{
	struct evpn_sym_slot *sl;

	if (i < 0 || i >= s->cfg.k)
		return;
	sl = &s->slot[i];
	if (sl->state != EVPN_SYM_WANT && sl->state != EVPN_SYM_UP)
		return;
	sl->refused = sl->target;
	sl->has_refused = true;
	sl->refusals++;
	sl->state = sl->refusals >= EVPN_SYM_MAX_REFUSALS ?
		    EVPN_SYM_GAVE_UP : EVPN_SYM_EMPTY;
}

void evpn_sym_slot_lost(struct evpn_sym *s, int i)
{
	if (i >= 0 && i < s->cfg.k && s->slot[i].state == EVPN_SYM_UP)
		s->slot[i].state = EVPN_SYM_EMPTY;
}

int evpn_sym_slot_find(const struct evpn_sym *s, const struct evpn_id *id)
{
	int i;

	for (i = 0; i < s->cfg.k; i++)
		if ((s->slot[i].state == EVPN_SYM_WANT ||
		     s->slot[i].state == EVPN_SYM_UP) &&
		    evpn_id_eq(&s->slot[i].target, id))
			return i;
	return -1;
}

bool evpn_sym_accept_incoming(const struct evpn_sym_cfg *cfg, int in_long)
{
	return !cfg->in_cap || in_long < 2 * cfg->k;
}
