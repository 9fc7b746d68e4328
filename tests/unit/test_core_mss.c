// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Unit tests: TCP MSS clamping (core/mss.c): the option is lowered only in
 * SYNs and only when larger, and the TCP checksum stays valid. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "csum.h"
#include "mss.h"
#include "unit.h"

static uint8_t f[200];

/* The TCP checksum over the pseudo-header and segment at @l4 (@tl bytes). */
static uint16_t tcp_sum(bool v6, size_t l3, size_t l4, size_t tl)
{
	uint32_t s = 0;

	if (v6)
		s = evpn_csum_add(f + l3 + 8, 32, s);
	else
		s = evpn_csum_add(f + l3 + 12, 8, s);
	s += 6 + (uint32_t)tl;
	s = evpn_csum_add(f + l4, tl, s);
	return evpn_csum_fold(s);
}

/* An Ethernet + IP + TCP SYN whose options are @opt (@optlen, a multiple
 * of 4), with a correct checksum. Returns the frame length. */
static size_t syn(bool v6, const uint8_t *opt, size_t optlen, uint8_t flags)
{
	size_t l3 = 14, l4 = l3 + (v6 ? 40 : 20), tl = 20 + optlen;
	uint16_t c;

	memset(f, 0, sizeof(f));
	f[12] = v6 ? 0x86 : 0x08;
	f[13] = v6 ? 0xdd : 0x00;
	if (v6) {
		f[l3] = 0x60;
		f[l3 + 5] = (uint8_t)tl;
		f[l3 + 6] = 6;
		f[l3 + 7] = 64;
		f[l3 + 8] = 0xfd;
		f[l3 + 23] = 1;
		f[l3 + 24] = 0xfd;
		f[l3 + 39] = 3;
	} else {
		f[l3] = 0x45;
		f[l3 + 3] = (uint8_t)(20 + tl);
		f[l3 + 8] = 64;
		f[l3 + 9] = 6;
		f[l3 + 12] = 192;
		f[l3 + 15] = 1;
		f[l3 + 16] = 192;
		f[l3 + 19] = 3;
	}
	f[l4] = 0x9c;
	f[l4 + 1] = 0x41;
	f[l4 + 3] = 80;
	f[l4 + 4] = 0x12;
	f[l4 + 7] = 0x34;
	f[l4 + 12] = (uint8_t)((tl / 4) << 4);
	f[l4 + 13] = flags;
	f[l4 + 14] = 0xfa;
	memcpy(f + l4 + 20, opt, optlen);
	c = (uint16_t)~tcp_sum(v6, l3, l4, tl);
	f[l4 + 16] = (uint8_t)(c >> 8);
	f[l4 + 17] = (uint8_t)c;
	return l4 + tl;
}

static void check_ok(bool v6, size_t len)
{
	size_t l4 = 14 + (v6 ? 40 : 20);

	ck_assert_uint_eq(tcp_sum(v6, 14, l4, len - l4), 0xffff);
}

START_TEST(test_clamp_v4)
{
	const uint8_t opt[] = { 2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1,
				0, 0, 0, 0, 1, 3, 3, 7 };	/* MSS 1460 */
	size_t len = syn(false, opt, sizeof(opt), 0x02);

	check_ok(false, len);
	ck_assert(evpn_mss_clamp(f, len, 1384, false));
	ck_assert_uint_eq(f[34 + 22] << 8 | f[34 + 23], 1384 - 14 - 40);
	check_ok(false, len);
	/* already small enough: untouched */
	ck_assert(!evpn_mss_clamp(f, len, 1384, false));
	ck_assert(!evpn_mss_clamp(f, len, 1514, false));
}
END_TEST

START_TEST(test_clamp_v6_odd_offset)
{
	/* NOP, MSS 1440 at an odd offset, NOP, NOP, NOP */
	const uint8_t opt[] = { 1, 2, 4, 0x05, 0xa0, 1, 1, 1 };
	size_t len = syn(true, opt, sizeof(opt), 0x12);	/* SYN-ACK */

	check_ok(true, len);
	ck_assert(evpn_mss_clamp(f, len, 1384, false));
	ck_assert_uint_eq(f[54 + 23] << 8 | f[54 + 24], 1384 - 14 - 60);
	check_ok(true, len);
}
END_TEST

START_TEST(test_not_clamped)
{
	const uint8_t opt[] = { 2, 4, 0x05, 0xb4 };
	size_t len = syn(false, opt, sizeof(opt), 0x10);	/* ACK only */
	uint8_t copy[sizeof(f)];

	memcpy(copy, f, sizeof(f));
	ck_assert(!evpn_mss_clamp(f, len, 1384, false));
	ck_assert_mem_eq(f, copy, sizeof(f));
	/* truncated frames, options running past the header */
	len = syn(false, opt, sizeof(opt), 0x02);
	ck_assert(!evpn_mss_clamp(f, len - 3, 1384, false));
	ck_assert(!evpn_mss_clamp(f, 20, 1384, false));
	f[34 + 21] = 9;		/* option length beyond the header */
	ck_assert(!evpn_mss_clamp(f, len, 1384, false));
	/* UDP */
	len = syn(false, opt, sizeof(opt), 0x02);
	f[14 + 9] = 17;
	ck_assert(!evpn_mss_clamp(f, len, 1384, false));
	/* partial checksum: the option changes, the checksum field does not */
	len = syn(false, opt, sizeof(opt), 0x02);
	f[34 + 16] = 0x12;
	f[34 + 17] = 0x34;
	ck_assert(evpn_mss_clamp(f, len, 1384, true));
	ck_assert_uint_eq(f[34 + 16] << 8 | f[34 + 17], 0x1234);
}
END_TEST

static Suite *mss_suite(void)
{
	Suite *s = suite_create("core_mss");
	TCase *tc = tcase_create("mss");

	tcase_add_test(tc, test_clamp_v4);
	tcase_add_test(tc, test_clamp_v6_odd_offset);
	tcase_add_test(tc, test_not_clamped);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return unit_run(mss_suite(), false) ? EXIT_FAILURE : EXIT_SUCCESS;
}
