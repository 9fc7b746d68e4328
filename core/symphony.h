/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Symphony topology decisions (Manku, Bawa, Raghavan, USITS 2003), as pure
 * functions over a caller-owned view of the ring; docs/topology.md.
 *
 *  - short links: the nearest n_succ successors and n_pred predecessors;
 *  - k long links: each to the manager (first member clockwise at or after)
 *    of the point self + x, x drawn from the harmonic density
 *    p(x) = 1 / (x ln n) on [1/n, 1] (x a fraction of the ring);
 *  - n is estimated locally from the ring distance spanned by the nearest
 *    members, never assumed known; the long links are redrawn when the
 *    estimate leaves [1/2, 2] x the value they were drawn with;
 *  - a node accepts at most 2k incoming long links; a refused requester
 *    draws again.
 *
 * Everything is integer fixed point (log2 in Q16, no floating point, no
 * division), so this file obeys core/'s rules even though only evpnd and
 * the simulator call it. Randomness comes from the caller (a callback), as
 * does the ring view: a sorted array of member IDs (self may or may not be
 * in it; it is skipped). The caller owns I/O: it turns the slots' wanted
 * targets into link requests and reports back accepted / refused.
 */
#ifndef EVPN_SYMPHONY_H
#define EVPN_SYMPHONY_H

#include "evpn_types.h"
#include "id.h"

#define EVPN_SYM_MAX_SHORT	8	/* per direction */
#define EVPN_SYM_MAX_K		16
#define EVPN_SYM_MAX_SPAN	32
#define EVPN_SYM_LOG2_ONE	65536u	/* 1.0 in the Q16 log2 domain */
#define EVPN_SYM_DRAWS		16	/* attempts to find a usable target */
#define EVPN_SYM_MAX_REFUSALS	8	/* a slot gives up until the ring changes */

struct evpn_sym_cfg {
	int n_succ;		/* short links clockwise (default 1) */
	int n_pred;		/* short links counter-clockwise (default 1) */
	int k;			/* long links (default 4) */
	int span;		/* members each way used to estimate n (default 8) */
	bool in_cap;		/* cap incoming long links at 2k (default on) */
};

void evpn_sym_cfg_default(struct evpn_sym_cfg *cfg);
/* 0 if every field is in range, else -1. */
int evpn_sym_cfg_check(const struct evpn_sym_cfg *cfg);

enum evpn_sym_slot_state {
	EVPN_SYM_EMPTY = 0,	/* needs a draw */
	EVPN_SYM_WANT,		/* target drawn, link requested, no answer yet */
	EVPN_SYM_UP,		/* target accepted */
	EVPN_SYM_GAVE_UP,	/* refused too often: idle until the ring changes */
};

struct evpn_sym_slot {
	struct evpn_id target;
	struct evpn_id refused;	/* last target that refused (not redrawn next) */
	uint32_t t;		/* -log2 of the drawn ring fraction, Q16 */
	uint8_t state;		/* enum evpn_sym_slot_state */
	uint8_t refusals;	/* consecutive refusals */
	bool has_refused;
};

struct evpn_sym {
	struct evpn_sym_cfg cfg;
	struct evpn_id self;
	uint32_t log2n_used;	/* Q16 estimate the long links were drawn with; 0 = none */
	struct evpn_sym_slot slot[EVPN_SYM_MAX_K];
};

/* Random 64-bit words (uniform); the caller's RNG. */
typedef uint64_t (*evpn_sym_rand_fn)(void *ctx);

/* ---- fixed-point helpers (exported for tests) ---- */

/* log2(x) in Q16 (x != 0; log2(0) returns 0). Error < 2^-15. */
uint32_t evpn_sym_log2(const struct evpn_id *x);

/*
 * Ring distance (a 128-bit fraction of 2^128) for a uniform 32-bit @u, for
 * the harmonic density on [1/n, 1] with log2(n) = @log2n (Q16):
 * x = n^(u/2^32 - 1), i.e. 2^(128 - (1 - u) log2 n). Clamped to 2^128 - 1.
 */
struct evpn_id evpn_sym_harmonic(uint32_t log2n, uint32_t u);

/* ---- ring view (sorted ascending array of member IDs) ---- */

/* Index of the first member >= @x, or @n if none (wrap to 0). */
int evpn_sym_ring_lower(const struct evpn_id *ring, int n, const struct evpn_id *x);
/* Member managing point @x: the first member clockwise at or after @x,
 * skipping @skip (may be NULL). Returns an index or -1 if there is none. */
int evpn_sym_ring_manager(const struct evpn_id *ring, int n,
			  const struct evpn_id *x, const struct evpn_id *skip);
/* Sorted insert / remove in a caller array of @cap entries. Insert returns
 * the new count (unchanged when already present or full); remove likewise. */
int evpn_sym_ring_insert(struct evpn_id *ring, int n, int cap, const struct evpn_id *x);
int evpn_sym_ring_remove(struct evpn_id *ring, int n, const struct evpn_id *x);

/* ---- the algorithm ---- */

void evpn_sym_init(struct evpn_sym *s, const struct evpn_sym_cfg *cfg,
		   const struct evpn_id *self);

/*
 * Local estimate of n, as log2(n) in Q16: with m members other than self
 * known, if m <= 2 * span the view covers the whole ring and n = m + 1;
 * otherwise n ~ (2 span - 1) / D, D the ring fraction from the span-th
 * predecessor to the span-th successor (2 span gaps; 2 span - 1 makes the
 * estimate of the density unbiased). 0 when self is alone.
 */
uint32_t evpn_sym_estimate(const struct evpn_sym *s, const struct evpn_id *ring, int n);

/* Short-link targets (successors first, then predecessors, no duplicates,
 * never self) into @out (room for n_succ + n_pred). Returns the count. */
int evpn_sym_short_links(const struct evpn_sym *s, const struct evpn_id *ring,
			 int n, struct evpn_id *out);

/*
 * Re-evaluate the long links against the current view; call on every member
 * join/leave and link change. Relinks when the estimate left [1/2, 2] x
 * log2n_used: the long links then follow the harmonic density for the new
 * n, redrawing only as many slots as the change of density requires
 * (growth from n to n': each slot redrawn with probability
 * 1 - ln n / ln n', towards the new short range; see relink_slot() in
 * symphony.c); empties slots whose target
 * left the view; with @ring_changed, wakes GAVE_UP slots; draws a target for
 * every EMPTY slot (state WANT). Targets are never self, a short-link
 * target, another slot's target or the slot's last refuser; a slot with no
 * such target after EVPN_SYM_DRAWS draws stays EMPTY.
 * Returns a bitmask of slots whose target changed (the caller requests links
 * for WANT slots and drops links nobody wants any more).
 */
uint32_t evpn_sym_update(struct evpn_sym *s, const struct evpn_id *ring, int n,
			 bool ring_changed, evpn_sym_rand_fn rnd, void *rctx);

/* The target of slot @i accepted: WANT -> UP. */
void evpn_sym_slot_accepted(struct evpn_sym *s, int i);
/* Refused (in-degree cap) or failed: back to EMPTY (GAVE_UP after
 * EVPN_SYM_MAX_REFUSALS in a row); the next update draws again. */
void evpn_sym_slot_refused(struct evpn_sym *s, int i);
/* An UP link died: EMPTY, redrawn at the next update. */
void evpn_sym_slot_lost(struct evpn_sym *s, int i);
/* Slot index whose target (WANT or UP) is @id, or -1. */
int evpn_sym_slot_find(const struct evpn_sym *s, const struct evpn_id *id);

/* Acceptance rule for an incoming long-link request, given how many
 * incoming long links this node already has. */
bool evpn_sym_accept_incoming(const struct evpn_sym_cfg *cfg, int in_long);

#endif /* EVPN_SYMPHONY_H */
