// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Unit and property tests: anti-replay window (core/replay.c). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "replay.h"
#include "core_test_util.h"
#include "unit.h"

#define W EVPN_REPLAY_WINDOW

static struct evpn_replay r;

START_TEST(test_window_size)
{
	ck_assert_uint_ge(W, 2048);
	ck_assert_uint_eq(W, 4032);
}
END_TEST

START_TEST(test_in_order)
{
	uint64_t c;

	evpn_replay_init(&r);
	for (c = 0; c < 10000; c++) {
		CHECK(evpn_replay_check(&r, c), "c=%llu", (unsigned long long)c);
		CHECK(evpn_replay_accept(&r, c), "c=%llu", (unsigned long long)c);
		CHECK(!evpn_replay_check(&r, c), "c=%llu", (unsigned long long)c);
		CHECK(!evpn_replay_accept(&r, c), "c=%llu", (unsigned long long)c);
	}
}
END_TEST

START_TEST(test_first_counter_zero)
{
	evpn_replay_init(&r);
	ck_assert(evpn_replay_accept(&r, 0));
	ck_assert(!evpn_replay_accept(&r, 0));
	ck_assert(evpn_replay_accept(&r, 2));
	ck_assert(evpn_replay_accept(&r, 1));
	ck_assert(!evpn_replay_accept(&r, 1));
}
END_TEST

START_TEST(test_window_edge)
{
	uint64_t top = 100000;

	evpn_replay_init(&r);
	ck_assert(evpn_replay_accept(&r, top));
	/* exactly W - 1 behind the newest: accepted once */
	ck_assert(evpn_replay_check(&r, top - (W - 1)));
	ck_assert(evpn_replay_accept(&r, top - (W - 1)));
	ck_assert(!evpn_replay_accept(&r, top - (W - 1)));
	/* W behind: too old */
	ck_assert(!evpn_replay_check(&r, top - W));
	ck_assert(!evpn_replay_accept(&r, top - W));
	ck_assert(!evpn_replay_accept(&r, 0));
	/* after moving the window by one, the old edge falls out */
	ck_assert(evpn_replay_accept(&r, top + 1));
	ck_assert(!evpn_replay_accept(&r, top - (W - 1)));
	ck_assert(evpn_replay_accept(&r, top - (W - 2)));
}
END_TEST

START_TEST(test_big_jump)
{
	uint64_t c;

	evpn_replay_init(&r);
	for (c = 0; c < 100; c++)
		ck_assert(evpn_replay_accept(&r, c));
	/* jump much further than the window: all old bits must be gone */
	ck_assert(evpn_replay_accept(&r, 1000000));
	for (c = 1000000 - W + 1; c < 1000000; c++)
		CHECK(evpn_replay_accept(&r, c), "c=%llu", (unsigned long long)c);
	/* jump of exactly one bitmap: word aliasing must not leave stale bits */
	ck_assert(evpn_replay_accept(&r, 1000000 + EVPN_REPLAY_BITS));
	for (c = 1000000 + EVPN_REPLAY_BITS - W + 1; c < 1000000 + EVPN_REPLAY_BITS; c++)
		CHECK(evpn_replay_accept(&r, c), "c=%llu", (unsigned long long)c);
	/* jumps by one word at a time */
	evpn_replay_init(&r);
	for (c = 0; c < 64 * 200; c += 64) {
		ck_assert(evpn_replay_accept(&r, c + 63));
		ck_assert(evpn_replay_accept(&r, c));
	}
}
END_TEST

START_TEST(test_huge_counters)
{
	const uint64_t max = ~0ULL;

	evpn_replay_init(&r);
	ck_assert(!evpn_replay_check(&r, max));
	ck_assert(!evpn_replay_accept(&r, max));	/* reserved, never */
	ck_assert(evpn_replay_accept(&r, 1ULL << 63));
	ck_assert(evpn_replay_accept(&r, max - 1));	/* top becomes max */
	ck_assert(!evpn_replay_accept(&r, max - 1));
	ck_assert(!evpn_replay_accept(&r, max));
	ck_assert(evpn_replay_accept(&r, max - 2));
	ck_assert(evpn_replay_accept(&r, max - W));
	ck_assert(!evpn_replay_accept(&r, max - W - 1));
	ck_assert(!evpn_replay_accept(&r, 1ULL << 63));	/* now too old */
	ck_assert(!evpn_replay_accept(&r, 0));
	ck_assert_uint_eq(r.top, max);
}
END_TEST

/* Property: any permutation of W consecutive counters (at random bases,
 * including near the top) is accepted exactly once each. */
START_TEST(test_prop_permutation)
{
	uint64_t seed = test_seed(0x7e91a1);
	struct trng g = { seed };
	static uint64_t perm[W];
	int round, i;

	printf("replay permutation seed 0x%llx\n", (unsigned long long)seed);
	for (round = 0; round < 60; round++) {
		uint64_t base;

		switch (round % 4) {
		case 0: base = 0; break;
		case 1: base = trng_below(&g, 1ULL << 20); break;
		case 2: base = trng_next(&g) >> 1; break;
		default: base = ~0ULL - W - trng_below(&g, 3); break;
		}
		for (i = 0; i < W; i++)
			perm[i] = base + (uint64_t)i;
		for (i = W - 1; i > 0; i--) {
			int j = (int)trng_below(&g, (uint64_t)i + 1);
			uint64_t t = perm[i];

			perm[i] = perm[j];
			perm[j] = t;
		}
		evpn_replay_init(&r);
		for (i = 0; i < W; i++)
			CHECK(evpn_replay_accept(&r, perm[i]),
				      "seed 0x%llx round %d i %d", (unsigned long long)seed, round, i);
		for (i = 0; i < W; i++)
			CHECK(!evpn_replay_accept(&r, perm[i]),
				      "seed 0x%llx round %d dup %d", (unsigned long long)seed, round, i);
		/* one below the block is now out of the window (if it exists) */
		if (base)
			ck_assert(!evpn_replay_accept(&r, base - 1));
	}
}
END_TEST

/*
 * Property: against an exact model over a random walk of counters (jitter
 * behind and ahead of the newest, occasional big jumps). Model: accept iff
 * never seen and (nothing seen yet, or c > newest, or newest - c < W).
 */
#define SPAN (1u << 22)
static uint8_t seen[SPAN];

START_TEST(test_prop_model)
{
	uint64_t seed = test_seed(0x5eed4e);
	struct trng g = { seed };
	uint64_t newest = 0, c;
	bool any = false;
	int i;

	printf("replay model seed 0x%llx\n", (unsigned long long)seed);
	memset(seen, 0, sizeof(seen));
	evpn_replay_init(&r);
	for (i = 0; i < 400000; i++) {
		uint64_t roll = trng_below(&g, 1000);
		bool want, got;

		if (roll == 0)
			c = newest + trng_below(&g, 3 * W);		/* jump */
		else if (roll < 600)
			c = newest + 1 + trng_below(&g, 8);		/* ahead */
		else
			c = newest - trng_below(&g, W + 200);		/* behind */
		if (c >= SPAN - 4 * W || (int64_t)c < 0)
			continue;
		want = !seen[c] && (!any || c > newest || newest - c < W);
		CHECK(evpn_replay_check(&r, c) == want, "step %d", i);
		got = evpn_replay_accept(&r, c);
		CHECK(got == want, "seed 0x%llx step %d counter %llu",
			      (unsigned long long)seed, i, (unsigned long long)c);
		if (got) {
			seen[c] = 1;
			if (!any || c > newest)
				newest = c;
			any = true;
		}
	}
}
END_TEST

static Suite *replay_suite(void)
{
	Suite *s = suite_create("core_replay");
	TCase *tc = tcase_create("replay");

	tcase_add_test(tc, test_window_size);
	tcase_add_test(tc, test_in_order);
	tcase_add_test(tc, test_first_counter_zero);
	tcase_add_test(tc, test_window_edge);
	tcase_add_test(tc, test_big_jump);
	tcase_add_test(tc, test_huge_counters);
	tcase_add_test(tc, test_prop_permutation);
	tcase_add_test(tc, test_prop_model);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return unit_run(replay_suite(), false) ? EXIT_FAILURE : EXIT_SUCCESS;
}
