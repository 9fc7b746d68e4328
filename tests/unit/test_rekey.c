// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * rekey.c: both ends of a fresh X25519 exchange mix the same exporter
 * output into the same keys; another key, generation or exporter output
 * gives different keys; a bad peer key is refused.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "rekey.h"
#include "unit.h"

START_TEST(both_sides_agree)
{
	uint8_t pa[REKEY_PUB_LEN], pb[REKEY_PUB_LEN], pc[REKEY_PUB_LEN];
	uint8_t ka[88], kb[88], kc[88], kg[88], base[88];
	EVP_PKEY *a = rekey_eph_new(pa), *b = rekey_eph_new(pb);
	EVP_PKEY *c = rekey_eph_new(pc);
	int i;

	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	for (i = 0; i < 88; i++)
		base[i] = i * 7;
	memcpy(ka, base, 88);
	memcpy(kb, base, 88);
	memcpy(kc, base, 88);
	memcpy(kg, base, 88);
	ck_assert_int_eq(rekey_mix(a, pb, 1, ka, 88), 0);
	ck_assert_int_eq(rekey_mix(b, pa, 1, kb, 88), 0);
	ck_assert_mem_eq(ka, kb, 88);
	ck_assert(memcmp(ka, base, 88) != 0);
	ck_assert_int_eq(rekey_mix(a, pc, 1, kc, 88), 0);	/* other peer */
	ck_assert(memcmp(ka, kc, 88) != 0);
	ck_assert_int_eq(rekey_mix(a, pb, 2, kg, 88), 0);	/* other gen */
	ck_assert(memcmp(ka, kg, 88) != 0);
	EVP_PKEY_free(a);
	EVP_PKEY_free(b);
	EVP_PKEY_free(c);
}
END_TEST

START_TEST(bad_peer_key)
{
	uint8_t pa[REKEY_PUB_LEN], zero[REKEY_PUB_LEN] = { 0 }, km[88] = { 1 };
	EVP_PKEY *a = rekey_eph_new(pa);

	/* the all-zero point gives an all-zero shared secret: refused */
	ck_assert_int_eq(rekey_mix(a, zero, 1, km, 88), -1);
	for (int i = 0; i < 88; i++)
		ck_assert_uint_eq(km[i], 0);	/* wiped */
	EVP_PKEY_free(a);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("rekey");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, both_sides_agree);
	tcase_add_test(tc, bad_peer_key);
	suite_add_tcase(s, tc);
	return unit_run(s, false) ? EXIT_FAILURE : EXIT_SUCCESS;
}
