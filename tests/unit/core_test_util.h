/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Small helpers shared by the core unit tests (tests/unit/test_core_*.c):
 * a seedable PRNG (splitmix64) so every random test prints its seed and can
 * be reproduced, and ID construction shortcuts.
 */
#ifndef CORE_TEST_UTIL_H
#define CORE_TEST_UTIL_H

#include <stdint.h>
#include <stdlib.h>
#include "id.h"

struct trng {
	uint64_t s;
};

static inline uint64_t trng_next(struct trng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, n), n > 0 (modulo bias irrelevant for tests). */
static inline uint64_t trng_below(struct trng *r, uint64_t n)
{
	return trng_next(r) % n;
}

static inline struct evpn_id mkid(uint64_t hi, uint64_t lo)
{
	struct evpn_id id = { .hi = hi, .lo = lo };

	return id;
}

/*
 * Assert without Check's per-call bookkeeping (in fork mode every ck_assert
 * writes a location message to a pipe): for hot loops in property tests.
 */
#define CHECK(cond, ...)						\
	do {								\
		if (!(cond))						\
			ck_abort_msg("check failed: " #cond ": " __VA_ARGS__); \
	} while (0)

/* Seed from $EVPN_TEST_SEED if set, else @dflt: lets a failure be replayed. */
static inline uint64_t test_seed(uint64_t dflt)
{
	const char *s = getenv("EVPN_TEST_SEED");

	return s ? strtoull(s, NULL, 0) : dflt;
}

#endif /* CORE_TEST_UTIL_H */
