// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * nbrs.c: the in-band link-list message round-trips; every malformed
 * variant (length, count, zero / repeated / sender's own ID, wrong type) is
 * rejected, and random mutations never crash or yield an invalid list.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "nbrs.h"
#include "unit.h"

static struct evpn_id sender;

static void mk_id(struct evpn_id *id, unsigned int v)
{
	uint8_t b[EVPN_ID_LEN] = { 0 };

	b[0] = 0x10 + (v & 0x7f);
	b[7] = v >> 8;
	b[15] = v;
	b[15] |= 1;	/* never zero */
	b[14] = v ^ 0x5a;
	evpn_id_from_bytes(id, b);
}

static size_t mk_msg(uint8_t *buf, int n, uint32_t seq)
{
	struct evpn_id ids[EVPN_MAX_NBR_IDS];
	int i;

	for (i = 0; i < n; i++)
		mk_id(&ids[i], i);
	return nbrs_encode(buf, NBRS_MAX_LEN, seq, ids, n);
}

static void setup(void)
{
	ck_assert_int_eq(evpn_id_from_hex(&sender,
					  "fedcba9876543210fedcba9876543210"), 0);
}

START_TEST(roundtrip)
{
	static const int counts[] = { 0, 1, 2, 10, EVPN_MAX_NBR_IDS };
	uint8_t buf[NBRS_MAX_LEN];
	struct evpn_id ids[EVPN_MAX_NBR_IDS], exp;
	int n = counts[_i], got = -1, i;
	uint32_t seq = 0;
	size_t len = mk_msg(buf, n, 0xdeadbeef);

	ck_assert_uint_eq(len, NBRS_HDR_LEN + n * EVPN_ID_LEN);
	ck_assert_int_eq(nbrs_parse(buf, len, &sender, &seq, ids, &got), 0);
	ck_assert_uint_eq(seq, 0xdeadbeef);
	ck_assert_int_eq(got, n);
	for (i = 0; i < n; i++) {
		mk_id(&exp, i);
		ck_assert(evpn_id_eq(&ids[i], &exp));
	}
}
END_TEST

START_TEST(encode_limits)
{
	uint8_t buf[NBRS_MAX_LEN + EVPN_ID_LEN];
	struct evpn_id ids[EVPN_MAX_NBR_IDS + 1];
	int i;

	for (i = 0; i <= EVPN_MAX_NBR_IDS; i++)
		mk_id(&ids[i], i);
	ck_assert_uint_eq(nbrs_encode(buf, sizeof(buf), 1, ids,
				      EVPN_MAX_NBR_IDS + 1), 0);
	ck_assert_uint_eq(nbrs_encode(buf, NBRS_HDR_LEN + EVPN_ID_LEN - 1, 1,
				      ids, 1), 0);
	ck_assert_uint_eq(nbrs_encode(buf, sizeof(buf), 1, ids, -1), 0);
}
END_TEST

enum bad { B_EMPTY, B_SHORT_HDR, B_TYPE, B_LONGER, B_SHORTER, B_COUNT65,
	   B_ZERO, B_DUP, B_SENDER, B_PING, __B_MAX };

START_TEST(malformed)
{
	uint8_t buf[NBRS_MAX_LEN + 2 * EVPN_ID_LEN];
	struct evpn_id ids[EVPN_MAX_NBR_IDS];
	size_t len = mk_msg(buf, 3, 7);
	uint32_t seq = 0;
	int n = -1;

	switch (_i) {
	case B_EMPTY:
		len = 0;
		break;
	case B_SHORT_HDR:
		len = NBRS_HDR_LEN - 1;
		break;
	case B_TYPE:
		buf[0] = MSG_NBRS_ACK;
		break;
	case B_LONGER:
		buf[len++] = 0;
		break;
	case B_SHORTER:
		len--;
		break;
	case B_COUNT65:	/* consistent length, too many IDs */
		memset(buf + NBRS_HDR_LEN, 0x33, sizeof(buf) - NBRS_HDR_LEN);
		buf[5] = EVPN_MAX_NBR_IDS + 1;
		len = NBRS_HDR_LEN + (EVPN_MAX_NBR_IDS + 1) * EVPN_ID_LEN;
		break;
	case B_ZERO:
		memset(buf + NBRS_HDR_LEN + EVPN_ID_LEN, 0, EVPN_ID_LEN);
		break;
	case B_DUP:
		memcpy(buf + NBRS_HDR_LEN + 2 * EVPN_ID_LEN, buf + NBRS_HDR_LEN,
		       EVPN_ID_LEN);
		break;
	case B_SENDER:
		evpn_id_to_bytes(&sender, buf + NBRS_HDR_LEN + 2 * EVPN_ID_LEN);
		break;
	case B_PING:	/* a 9-byte control message is not a list */
		len = 9;
		buf[5] = 0;
		break;
	}
	ck_assert_int_eq(nbrs_parse(buf, len, &sender, &seq, ids, &n), -1);
	ck_assert_int_eq(n, -1);	/* outputs untouched */
	ck_assert_uint_eq(seq, 0);
}
END_TEST

/* Random byte flips and lengths: no crash; whatever parses is a valid list. */
START_TEST(mutations)
{
	uint8_t base[NBRS_MAX_LEN], buf[NBRS_MAX_LEN + 8];
	struct evpn_id ids[EVPN_MAX_NBR_IDS];
	size_t blen = mk_msg(base, 5, 42);
	int i, k, j, n, ok = 0;
	uint32_t seq;

	srand(1);
	for (i = 0; i < 20000; i++) {
		size_t len = blen + (rand() % 5) - 2;

		memcpy(buf, base, blen);
		memset(buf + blen, rand(), sizeof(buf) - blen);
		for (k = 0; k < 1 + rand() % 3; k++)
			buf[rand() % len] ^= 1u << (rand() % 8);
		if (nbrs_parse(buf, len, &sender, &seq, ids, &n))
			continue;
		ok++;
		ck_assert_int_le(n, EVPN_MAX_NBR_IDS);
		ck_assert_uint_eq(len, NBRS_HDR_LEN + n * EVPN_ID_LEN);
		for (k = 0; k < n; k++) {
			ck_assert(!evpn_id_is_zero(&ids[k]));
			ck_assert(!evpn_id_eq(&ids[k], &sender));
			for (j = 0; j < k; j++)
				ck_assert(!evpn_id_eq(&ids[k], &ids[j]));
		}
	}
	ck_assert_int_gt(ok, 0);	/* ID-byte flips still parse */
	ck_assert_int_lt(ok, 20000);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("nbrs");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_loop_test(tc, roundtrip, 0, 5);
	tcase_add_test(tc, encode_limits);
	tcase_add_loop_test(tc, malformed, 0, __B_MAX);
	tcase_add_test(tc, mutations);
	suite_add_tcase(s, tc);
	return unit_run(s, false) ? EXIT_FAILURE : EXIT_SUCCESS;
}
