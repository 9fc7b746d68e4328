// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Unit tests: "packet too big" answers (core/icmp.c): built only when due,
 * addressed back to the sender, with valid checksums and the MTU. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "icmp.h"
#include "csum.h"
#include "unit.h"

static uint8_t f[3000], out[EVPN_ICMP_MAX];

static void eth(uint16_t et)
{
	memset(f, 0, sizeof(f));
	memcpy(f, "\x02\x00\x00\x00\x00\x02", 6);	/* to B */
	memcpy(f + 6, "\x02\x00\x00\x00\x00\x01", 6);	/* from A */
	f[12] = (uint8_t)(et >> 8);
	f[13] = (uint8_t)et;
}

/* An IPv4 echo request of @len bytes from 10.0.0.1 to 10.0.0.2. */
static size_t ping4(size_t len, bool df)
{
	eth(0x0800);
	f[14] = 0x45;
	f[16] = (uint8_t)((len - 14) >> 8);
	f[17] = (uint8_t)(len - 14);
	f[20] = df ? 0x40 : 0;
	f[22] = 64;
	f[23] = 1;
	f[26] = 10; f[29] = 1;
	f[30] = 10; f[33] = 2;
	f[34] = 8;	/* echo request */
	return len;
}

START_TEST(test_v4)
{
	size_t n = evpn_icmp_too_big(f, ping4(2014, true), 1500, out);

	ck_assert_uint_eq(n, 14 + 20 + 8 + 548);
	ck_assert_mem_eq(out, f + 6, 6);		/* back to A */
	ck_assert_mem_eq(out + 6, f, 6);		/* from B */
	ck_assert_uint_eq(out[12] << 8 | out[13], 0x0800);
	ck_assert_uint_eq(evpn_csum_fold(evpn_csum_add(out + 14, 20, 0)), 0xffff);
	ck_assert_mem_eq(out + 26, f + 30, 4);		/* src = B */
	ck_assert_mem_eq(out + 30, f + 26, 4);		/* dst = A */
	ck_assert_uint_eq(out[23], 1);
	ck_assert_uint_eq(out[34], 3);
	ck_assert_uint_eq(out[35], 4);
	ck_assert_uint_eq(out[40] << 8 | out[41], 1500);
	ck_assert_uint_eq(evpn_csum_fold(evpn_csum_add(out + 34, n - 34, 0)), 0xffff);
	ck_assert_mem_eq(out + 42, f + 14, 548);	/* the quote */
}
END_TEST

START_TEST(test_v4_not_due)
{
	ck_assert_uint_eq(evpn_icmp_too_big(f, ping4(2014, false), 1500, out), 0);
	ping4(2014, true);
	f[34] = 3;	/* an ICMP error itself */
	ck_assert_uint_eq(evpn_icmp_too_big(f, 2014, 1500, out), 0);
	ping4(2014, true);
	f[26] = 224;	/* group source */
	ck_assert_uint_eq(evpn_icmp_too_big(f, 2014, 1500, out), 0);
	ping4(2014, true);
	f[6] = 0x03;	/* group source MAC */
	ck_assert_uint_eq(evpn_icmp_too_big(f, 2014, 1500, out), 0);
	ping4(2014, true);
	f[21] = 0x10;	/* a non-first fragment */
	ck_assert_uint_eq(evpn_icmp_too_big(f, 2014, 1500, out), 0);
	ping4(2014, true);
	ck_assert_uint_eq(evpn_icmp_too_big(f, 30, 1500, out), 0);
	eth(0x88b5);
	ck_assert_uint_eq(evpn_icmp_too_big(f, 2014, 1500, out), 0);
}
END_TEST

START_TEST(test_v6_vlan)
{
	size_t n, len = 2018, l3 = 18;
	uint32_t s;

	eth(0x8100);
	f[15] = 7;
	f[16] = 0x86;
	f[17] = 0xdd;
	f[l3] = 0x60;
	f[l3 + 4] = (uint8_t)((len - l3 - 40) >> 8);
	f[l3 + 5] = (uint8_t)(len - l3 - 40);
	f[l3 + 6] = 17;		/* UDP */
	f[l3 + 7] = 64;
	f[l3 + 8] = 0xfd; f[l3 + 23] = 1;
	f[l3 + 24] = 0xfd; f[l3 + 39] = 2;
	n = evpn_icmp_too_big(f, len, 1500, out);
	ck_assert_uint_eq(n, l3 + 1280);
	ck_assert_uint_eq(out[15], 7);			/* same VLAN */
	ck_assert_uint_eq(out[l3 + 6], 58);
	ck_assert_mem_eq(out + l3 + 8, f + l3 + 24, 16);
	ck_assert_mem_eq(out + l3 + 24, f + l3 + 8, 16);
	ck_assert_uint_eq(out[l3 + 40], 2);
	ck_assert_uint_eq(out[l3 + 46] << 8 | out[l3 + 47], 1500);
	s = evpn_csum_add(out + l3 + 8, 32, 0) + 1240 + 58;
	ck_assert_uint_eq(evpn_csum_fold(evpn_csum_add(out + l3 + 40, 1240, s)), 0xffff);
	/* an ICMPv6 error is not answered */
	f[l3 + 6] = 58;
	f[l3 + 40] = 1;
	ck_assert_uint_eq(evpn_icmp_too_big(f, len, 1500, out), 0);
}
END_TEST

static Suite *icmp_suite(void)
{
	Suite *s = suite_create("core_icmp");
	TCase *tc = tcase_create("icmp");

	tcase_add_test(tc, test_v4);
	tcase_add_test(tc, test_v4_not_due);
	tcase_add_test(tc, test_v6_vlan);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return unit_run(icmp_suite(), false) ? EXIT_FAILURE : EXIT_SUCCESS;
}
