// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * core/ratelimit.h: the GCRA bucket passes a full burst at once, then
 * exactly the sustained rate; it refills only up to the burst; rate 0 is
 * no limit; a clock far from 0 (monotonic ns after years) changes nothing.
 */
#include <check.h>
#include <stdlib.h>

#include "ratelimit.h"
#include "unit.h"

static int burst_at(uint64_t *tat, uint64_t now, uint32_t rate, uint32_t burst,
		    int tries)
{
	int i, ok = 0;

	for (i = 0; i < tries; i++)
		ok += evpn_gcra(tat, now, rate, burst);
	return ok;
}

START_TEST(burst_then_rate)
{
	uint64_t t0 = (uint64_t)_i * 1000000000000000ULL, tat = 0;
	uint32_t rate = 2000, burst = EVPN_FLOOD_BURST(2000);
	int sec, passed = 0;

	ck_assert_uint_eq(burst, 500);
	/* at one instant: exactly the burst */
	ck_assert_int_eq(burst_at(&tat, t0, rate, burst, 10000), 500);
	/* then 10 s of a 10x overload, 1 ms steps: the rate, not more */
	for (sec = 0; sec < 10000; sec++)
		passed += burst_at(&tat, t0 + (sec + 1) * 1000000ULL, rate, burst, 20);
	ck_assert_int_ge(passed, 10 * 2000 - 1);
	ck_assert_int_le(passed, 10 * 2000 + 1);
	/* idle for a minute: the bucket holds the burst again, no more */
	ck_assert_int_eq(burst_at(&tat, t0 + 70 * 1000000000ULL, rate, burst,
				  10000), 500);
}
END_TEST

START_TEST(unlimited_and_tiny)
{
	uint64_t tat = 0;

	ck_assert_int_eq(burst_at(&tat, 5, 0, 0, 100000), 100000);
	ck_assert_uint_eq(tat, 0);
	ck_assert_uint_eq(EVPN_FLOOD_BURST(3), 1);
	ck_assert_int_eq(burst_at(&tat, 1000, 1, 1, 10), 1);
	ck_assert_int_eq(burst_at(&tat, 1000 + 999999999ULL, 1, 1, 10), 0);
	ck_assert_int_eq(burst_at(&tat, 1000 + 1000000000ULL, 1, 1, 10), 1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("core_ratelimit");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, burst_then_rate, 0, 3);
	tcase_add_test(tc, unlimited_and_tiny);
	suite_add_tcase(s, tc);
	return unit_run(s, false) ? EXIT_FAILURE : EXIT_SUCCESS;
}
