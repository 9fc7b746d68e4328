// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Unit tests: 128-bit ring arithmetic and hex IDs (core/id.c). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "id.h"
#include "core_test_util.h"
#include "unit.h"

static const uint64_t M = ~0ULL;

START_TEST(test_bytes_roundtrip)
{
	uint8_t b[16], out[16];
	struct evpn_id id;
	int i;

	for (i = 0; i < 16; i++)
		b[i] = (uint8_t)(0xf0 - i);
	evpn_id_from_bytes(&id, b);
	ck_assert_uint_eq(id.hi, 0xf0efeeedecebeae9ULL);
	ck_assert_uint_eq(id.lo, 0xe8e7e6e5e4e3e2e1ULL);
	evpn_id_to_bytes(&id, out);
	ck_assert_mem_eq(b, out, 16);
}
END_TEST

START_TEST(test_cmp_eq_zero)
{
	struct evpn_id a = mkid(1, 0), b = mkid(0, M), z = mkid(0, 0);

	ck_assert_int_eq(evpn_id_cmp(&a, &b), 1);	/* hi dominates */
	ck_assert_int_eq(evpn_id_cmp(&b, &a), -1);
	ck_assert_int_eq(evpn_id_cmp(&a, &a), 0);
	ck_assert(evpn_id_eq(&a, &a));
	ck_assert(!evpn_id_eq(&a, &b));
	ck_assert(evpn_id_is_zero(&z));
	ck_assert(!evpn_id_is_zero(&a));
	b = mkid(1, 1);
	ck_assert_int_eq(evpn_id_cmp(&a, &b), -1);	/* then lo */
}
END_TEST

START_TEST(test_dist_borrow_and_wrap)
{
	struct evpn_id a = mkid(0, M), b = mkid(1, 0), d;

	d = evpn_id_dist(&a, &b);		/* borrow across halves */
	ck_assert_uint_eq(d.hi, 0);
	ck_assert_uint_eq(d.lo, 1);
	d = evpn_id_dist(&b, &a);		/* wraps: 2^128 - 1 */
	ck_assert_uint_eq(d.hi, M);
	ck_assert_uint_eq(d.lo, M);

	a = mkid(M, M - 2);			/* near the top */
	b = mkid(0, 3);
	d = evpn_id_dist(&a, &b);
	ck_assert_uint_eq(d.hi, 0);
	ck_assert_uint_eq(d.lo, 6);
	d = evpn_id_abs_dist(&b, &a);		/* shorter way: across 0 */
	ck_assert_uint_eq(d.hi, 0);
	ck_assert_uint_eq(d.lo, 6);
	d = evpn_id_dist(&a, &a);
	ck_assert(evpn_id_is_zero(&d));
}
END_TEST

START_TEST(test_abs_dist_half_ring)
{
	struct evpn_id a = mkid(0, 0), b = mkid(1ULL << 63, 0), d1, d2;

	d1 = evpn_id_abs_dist(&a, &b);
	d2 = evpn_id_abs_dist(&b, &a);
	ck_assert(evpn_id_eq(&d1, &b));		/* exactly 2^127 each way */
	ck_assert(evpn_id_eq(&d2, &b));
	b = mkid((1ULL << 63) + 1, 0);		/* just past half: ccw wins */
	d1 = evpn_id_abs_dist(&a, &b);
	ck_assert_uint_eq(d1.hi, (1ULL << 63) - 1);
	ck_assert_uint_eq(d1.lo, 0);
}
END_TEST

START_TEST(test_in_open)
{
	struct evpn_id lo = mkid(0, 10), hi = mkid(0, 20), x;

	x = mkid(0, 15);
	ck_assert(evpn_id_in_open(&x, &lo, &hi));
	ck_assert(!evpn_id_in_open(&lo, &lo, &hi));	/* open at lo */
	ck_assert(!evpn_id_in_open(&hi, &lo, &hi));	/* open at hi */
	x = mkid(0, 25);
	ck_assert(!evpn_id_in_open(&x, &lo, &hi));
	/* Wrapping interval (20, 10) contains 25, 0 and the top, not 15. */
	ck_assert(evpn_id_in_open(&x, &hi, &lo));
	x = mkid(M, M);
	ck_assert(evpn_id_in_open(&x, &hi, &lo));
	x = mkid(0, 0);
	ck_assert(evpn_id_in_open(&x, &hi, &lo));
	x = mkid(0, 15);
	ck_assert(!evpn_id_in_open(&x, &hi, &lo));
	/* lo == hi: whole ring but lo. */
	ck_assert(evpn_id_in_open(&x, &lo, &lo));
	ck_assert(evpn_id_in_open(&hi, &lo, &lo));
	ck_assert(!evpn_id_in_open(&lo, &lo, &lo));
	/* Adjacent points: (10, 11) is empty. */
	x = mkid(0, 11);
	ck_assert(!evpn_id_in_open(&x, &lo, &x));
}
END_TEST

START_TEST(test_in_open_random_vs_model)
{
	/* Against a model on small numbers embedded in the low bits of IDs
	 * whose high half is random: the answer depends only on differences. */
	uint64_t seed = test_seed(0x1d0001);
	struct trng r = { seed };
	int i;

	printf("in_open model seed 0x%llx\n", (unsigned long long)seed);
	for (i = 0; i < 100000; i++) {
		uint64_t base = trng_next(&r);
		uint64_t a = trng_below(&r, 16), b = trng_below(&r, 16),
			 c = trng_below(&r, 16);
		/* offsets on a ring of 16 mapped to ring 2^128 by spacing 2^124 */
		struct evpn_id x = mkid(base + (a << 60), 7);
		struct evpn_id lo = mkid(base + (b << 60), 7);
		struct evpn_id hi = mkid(base + (c << 60), 7);
		uint64_t dx = (a - b) & 15, dh = (c - b) & 15;
		bool want = dx != 0 && (dh == 0 || dx < dh);

		ck_assert_msg(evpn_id_in_open(&x, &lo, &hi) == want,
			      "seed 0x%llx iter %d", (unsigned long long)seed, i);
	}
}
END_TEST

START_TEST(test_hex)
{
	struct evpn_id id = mkid(0x0123456789abcdefULL, 0xfedcba9876543210ULL), p;
	char buf[EVPN_ID_HEXLEN + 1];

	evpn_id_to_hex(&id, buf);
	ck_assert_str_eq(buf, "0123456789abcdeffedcba9876543210");
	ck_assert_int_eq(evpn_id_from_hex(&p, buf), 0);
	ck_assert(evpn_id_eq(&p, &id));
	ck_assert_int_eq(evpn_id_from_hex(&p, "0123456789ABCDEFFEDCBA9876543210"), 0);
	ck_assert(evpn_id_eq(&p, &id));
	id = mkid(0, 0);
	evpn_id_to_hex(&id, buf);
	ck_assert_str_eq(buf, "00000000000000000000000000000000");
}
END_TEST

START_TEST(test_hex_errors)
{
	struct evpn_id p = mkid(5, 5);

	ck_assert_int_eq(evpn_id_from_hex(&p, NULL), -1);
	ck_assert_int_eq(evpn_id_from_hex(&p, ""), -1);
	/* 31 digits */
	ck_assert_int_eq(evpn_id_from_hex(&p, "0123456789abcdeffedcba987654321"), -1);
	/* 33 digits */
	ck_assert_int_eq(evpn_id_from_hex(&p, "0123456789abcdeffedcba98765432100"), -1);
	/* trailing garbage, separators, prefix, non-hex */
	ck_assert_int_eq(evpn_id_from_hex(&p, "0123456789abcdeffedcba9876543210 "), -1);
	ck_assert_int_eq(evpn_id_from_hex(&p, "01234567-89abcdeffedcba9876543210"), -1);
	ck_assert_int_eq(evpn_id_from_hex(&p, "0x23456789abcdeffedcba9876543210"), -1);
	ck_assert_int_eq(evpn_id_from_hex(&p, "0123456789abcdeffedcba987654321g"), -1);
	ck_assert_int_eq(evpn_id_from_hex(&p, "g123456789abcdeffedcba9876543210"), -1);
	/* untouched on error */
	ck_assert_uint_eq(p.hi, 5);
	ck_assert_uint_eq(p.lo, 5);
}
END_TEST

static Suite *id_suite(void)
{
	Suite *s = suite_create("core_id");
	TCase *tc = tcase_create("id");

	tcase_add_test(tc, test_bytes_roundtrip);
	tcase_add_test(tc, test_cmp_eq_zero);
	tcase_add_test(tc, test_dist_borrow_and_wrap);
	tcase_add_test(tc, test_abs_dist_half_ring);
	tcase_add_test(tc, test_in_open);
	tcase_add_test(tc, test_in_open_random_vs_model);
	tcase_add_test(tc, test_hex);
	tcase_add_test(tc, test_hex_errors);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return unit_run(id_suite(), false) ? EXIT_FAILURE : EXIT_SUCCESS;
}
