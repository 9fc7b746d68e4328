// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Unit tests: TURN framing around evpn records (core/turn.c). The
 * XOR-PEER-ADDRESS encodings are checked against RFC 5769's test vectors
 * (sections 2.2 and 2.3: the same XOR encoding as XOR-MAPPED-ADDRESS).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "turn.h"
#include "unit.h"

/* RFC 5769's transaction ID and peer */
static const uint8_t TXID[12] = { 0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6,
				  0x86, 0xfa, 0x87, 0xdf, 0xae };
static const uint8_t V4[4] = { 192, 0, 2, 1 };
static const uint8_t V6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0x12, 0x34, 0x56, 0x78,
				0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77 };

static struct evpn_turn_peer peer(int fam)
{
	struct evpn_turn_peer p = { .family = (uint8_t)fam, .port = 32853 };

	memcpy(p.addr, fam == 4 ? V4 : V6, fam == 4 ? 4 : 16);
	return p;
}

/* A record of @n bytes: evpn type byte first. */
static void record(uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		b[i] = (uint8_t)(i * 7 + 1);
	b[0] = 0xE1;
}

/* A whole Send indication (header, record, padding) of @plen bytes. */
static size_t send_ind(uint8_t *buf, int fam, size_t plen)
{
	struct evpn_turn_peer p = peer(fam);
	size_t h = evpn_turn_send_hlen(&p), pad = evpn_turn_pad(plen);

	evpn_turn_send_hdr(buf, &p, TXID, plen);
	record(buf + h, plen);
	memset(buf + h + plen, 0, pad);
	return h + plen + pad;
}

START_TEST(test_send_v4)
{
	static const uint8_t xpeer[] = { 0x00, 0x12, 0x00, 0x08, 0x00, 0x01,
					 0xa1, 0x47, 0xe1, 0x12, 0xa6, 0x43 };
	uint8_t buf[256];
	size_t n = send_ind(buf, 4, 101);

	ck_assert_uint_eq(evpn_turn_send_hlen(&(struct evpn_turn_peer){ .family = 4 }), 36);
	ck_assert_uint_eq(n, 36 + 101 + 3);
	ck_assert_uint_eq(buf[0] << 8 | buf[1], EVPN_TURN_SEND_IND);
	ck_assert_uint_eq((size_t)(buf[2] << 8 | buf[3]), n - 20);
	ck_assert_mem_eq(buf + 4, "\x21\x12\xa4\x42", 4);
	ck_assert_mem_eq(buf + 8, TXID, 12);
	ck_assert_mem_eq(buf + 20, xpeer, sizeof(xpeer));
	ck_assert_mem_eq(buf + 32, "\x00\x13\x00\x65", 4);	/* DATA, 101 */
}
END_TEST

START_TEST(test_send_v6)
{
	static const uint8_t xpeer[] = {
		0x00, 0x12, 0x00, 0x14, 0x00, 0x02, 0xa1, 0x47,
		0x01, 0x13, 0xa9, 0xfa, 0xa5, 0xd3, 0xf1, 0x79,
		0xbc, 0x25, 0xf4, 0xb5, 0xbe, 0xd2, 0xb9, 0xd9 };
	uint8_t buf[256];
	size_t n = send_ind(buf, 6, 64);

	ck_assert_uint_eq(n, 48 + 64);
	ck_assert_uint_eq(EVPN_TURN_SEND_HLEN_MAX, 48);
	ck_assert_mem_eq(buf + 20, xpeer, sizeof(xpeer));
}
END_TEST

/* A Data indication is a Send indication's layout with type 0x0017. */
START_TEST(test_parse_data_ind)
{
	uint8_t buf[256];
	struct evpn_turn_in in;
	size_t n = send_ind(buf, _i ? 6 : 4, 99);

	buf[1] = 0x17;
	ck_assert(evpn_turn_parse(buf, n, &in));
	ck_assert_uint_eq(in.off, _i ? 48 : 36);
	ck_assert_uint_eq(in.len, 99);
	ck_assert_uint_eq(in.channel, 0);
	ck_assert_uint_eq(buf[in.off], 0xE1);
	/* a Send indication (our own direction) is not received */
	buf[1] = 0x16;
	ck_assert(!evpn_turn_parse(buf, n, &in));
}
END_TEST

START_TEST(test_parse_data_ind_bad)
{
	uint8_t buf[256], b2[256];
	struct evpn_turn_in in;
	size_t n = send_ind(buf, 4, 40), i;

	buf[1] = 0x17;
	/* every truncation: never read past the end, never accepted */
	for (i = 0; i < n; i++) {
		memcpy(b2, buf, i);
		ck_assert(!evpn_turn_parse(b2, i, &in));
	}
	memcpy(b2, buf, n);
	b2[4] ^= 1;			/* magic cookie */
	ck_assert(!evpn_turn_parse(b2, n, &in));
	memcpy(b2, buf, n);
	b2[3] += 2;			/* length not a multiple of 4 */
	ck_assert(!evpn_turn_parse(b2, n, &in));
	memcpy(b2, buf, n);
	b2[36] = 0x00;			/* DATA holds STUN: libnice's */
	ck_assert(!evpn_turn_parse(b2, n, &in));
	memcpy(b2, buf, n);
	b2[36] = 0x17;			/* DATA holds DTLS: libnice's */
	ck_assert(!evpn_turn_parse(b2, n, &in));
	memcpy(b2, buf, n);
	b2[35] = 200;			/* DATA longer than the message */
	ck_assert(!evpn_turn_parse(b2, n, &in));
	memcpy(b2, buf, n);
	b2[32] = 0x80;			/* no DATA attribute at all */
	ck_assert(!evpn_turn_parse(b2, n, &in));
}
END_TEST

START_TEST(test_channel_data)
{
	uint8_t buf[128];
	struct evpn_turn_in in;

	evpn_turn_cd_hdr(buf, 0x4001, 70);
	ck_assert_mem_eq(buf, "\x40\x01\x00\x46", 4);
	record(buf + 4, 70);
	ck_assert(evpn_turn_parse(buf, 74, &in));
	ck_assert_uint_eq(in.off, 4);
	ck_assert_uint_eq(in.len, 70);
	ck_assert_uint_eq(in.channel, 0x4001);
	/* UDP may carry padding after it */
	ck_assert(evpn_turn_parse(buf, 76, &in) && in.len == 70);
	ck_assert(!evpn_turn_parse(buf, 73, &in));	/* truncated */
	ck_assert(!evpn_turn_parse(buf, 3, &in));
	buf[4] = 0x00;				/* STUN inside: libnice's */
	ck_assert(!evpn_turn_parse(buf, 74, &in));
	buf[4] = 0x16;				/* DTLS inside: libnice's */
	ck_assert(!evpn_turn_parse(buf, 74, &in));
	buf[4] = 0xE2;
	buf[0] = 0x50;				/* reserved channel range */
	ck_assert(!evpn_turn_parse(buf, 74, &in));
	evpn_turn_cd_hdr(buf, 0x4000, 0);	/* empty */
	ck_assert(!evpn_turn_parse(buf, 4, &in));
	ck_assert(!evpn_turn_parse(buf, 0, &in));
}
END_TEST

START_TEST(test_pad)
{
	ck_assert_uint_eq(evpn_turn_pad(0), 0);
	ck_assert_uint_eq(evpn_turn_pad(1), 3);
	ck_assert_uint_eq(evpn_turn_pad(2), 2);
	ck_assert_uint_eq(evpn_turn_pad(3), 1);
	ck_assert_uint_eq(evpn_turn_pad(1500), 0);
}
END_TEST

static Suite *turn_suite(void)
{
	Suite *s = suite_create("core_turn");
	TCase *tc = tcase_create("turn");

	tcase_add_test(tc, test_send_v4);
	tcase_add_test(tc, test_send_v6);
	tcase_add_loop_test(tc, test_parse_data_ind, 0, 2);
	tcase_add_test(tc, test_parse_data_ind_bad);
	tcase_add_test(tc, test_channel_data);
	tcase_add_test(tc, test_pad);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return unit_run(turn_suite(), false) ? EXIT_FAILURE : EXIT_SUCCESS;
}
