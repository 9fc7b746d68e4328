// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Unit tests: data record header (core/wire.c), nonce formation and the
 * key split (core/keys.c). The worked example of docs/protocol.md is
 * checked here byte for byte, including the AEAD output for both suites
 * (vectors computed independently with Python's `cryptography`).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <openssl/evp.h>

#include "wire.h"
#include "keys.h"
#include "core_test_util.h"
#include "unit.h"

/* docs/protocol.md, "Worked example". */
static const char EX_HDR_HEX[] =
	"e1400000" "0000002a" "0000000000001234"
	"00112233445566778899aabbccddeeff"
	"fedcba98765432100123456789abcdef";
static const char EX_NONCE_HEX[] = "00010203040506070809183f";
static const char EX_PT_HEX[] =
	"020000000002" "020000000001" "88b5" "68656c6c6f2c206576706e21";
static const char EX_AES_HEX[] =
	"77f23f09116c1639b48d71013aeca9a5085fc2c8d792b83d6fa8"
	"6d7b22e3245b5afda93e8688dba5a678";
static const char EX_CHACHA_HEX[] =
	"a76b66e85f81c50e621dbdcc7b3658bd530060563ebfda6c5ded"
	"5f2967164b084de814abbc68a7736eee";

static struct evpn_hdr example_hdr(void)
{
	struct evpn_hdr h = {
		.type = EVPN_TYPE_UNICAST,
		.ttl = EVPN_TTL_DEFAULT,
		.key_id = 42,
		.counter = 0x1234,
		.src = mkid(0x0011223344556677ULL, 0x8899aabbccddeeffULL),
		.dst = mkid(0xfedcba9876543210ULL, 0x0123456789abcdefULL),
	};
	return h;
}

/* A valid record of @len bytes around @h (payload bytes arbitrary). */
static void make_record(uint8_t *buf, size_t len, const struct evpn_hdr *h)
{
	memset(buf, 0xa5, len);
	evpn_hdr_encode(buf, h);
}

static uint8_t rec[EVPN_OVERHEAD + EVPN_MAX_INNER_LEN + 16];

START_TEST(test_encode_example)
{
	struct evpn_hdr h = example_hdr();
	uint8_t out[EVPN_HDR_LEN], want[EVPN_HDR_LEN];

	ck_assert_uint_eq(unhex(want, EX_HDR_HEX), EVPN_HDR_LEN);
	evpn_hdr_encode(out, &h);
	ck_assert_mem_eq(out, want, EVPN_HDR_LEN);
}
END_TEST

START_TEST(test_roundtrip_random)
{
	uint64_t seed = test_seed(0x3e1e01);
	struct trng r = { seed };
	struct evpn_hdr h, d;
	uint8_t again[EVPN_HDR_LEN];
	int i;

	printf("header roundtrip seed 0x%llx\n", (unsigned long long)seed);
	for (i = 0; i < 20000; i++) {
		size_t len = EVPN_OVERHEAD + EVPN_MIN_INNER_LEN +
			     trng_below(&r, EVPN_MAX_INNER_LEN - EVPN_MIN_INNER_LEN + 1);

		h.type = (trng_next(&r) & 1) ? EVPN_TYPE_UNICAST : EVPN_TYPE_FLOOD;
		h.ttl = (uint8_t)trng_below(&r, EVPN_TTL_MAX + 1);
		h.key_id = (uint32_t)trng_next(&r) | 1;
		h.counter = trng_next(&r);
		h.src = mkid(trng_next(&r), trng_next(&r));
		h.dst = mkid(trng_next(&r), trng_next(&r));
		make_record(rec, len, &h);
		memset(&d, 0x5a, sizeof(d));
		ck_assert_int_eq(evpn_hdr_decode(&d, rec, len), EVPN_DROP_NONE);
		ck_assert_uint_eq(d.type, h.type);
		ck_assert_uint_eq(d.ttl, h.ttl);
		ck_assert_uint_eq(d.key_id, h.key_id);
		ck_assert_uint_eq(d.counter, h.counter);
		ck_assert(evpn_id_eq(&d.src, &h.src));
		ck_assert(evpn_id_eq(&d.dst, &h.dst));
		evpn_hdr_encode(again, &d);
		ck_assert_mem_eq(again, rec, EVPN_HDR_LEN);
	}
}
END_TEST

START_TEST(test_decode_lengths)
{
	struct evpn_hdr h = example_hdr(), d;
	size_t min = EVPN_HDR_LEN + EVPN_TAG_LEN + EVPN_MIN_INNER_LEN;
	size_t max = EVPN_OVERHEAD + EVPN_MAX_INNER_LEN;

	ck_assert_uint_eq(min, 78);
	ck_assert_uint_eq(max, 64 + 9018);
	make_record(rec, sizeof(rec), &h);
	ck_assert_int_eq(evpn_hdr_decode(&d, rec, 0), EVPN_DROP_TRUNCATED);
	ck_assert_int_eq(evpn_hdr_decode(&d, rec, 1), EVPN_DROP_TRUNCATED);
	ck_assert_int_eq(evpn_hdr_decode(&d, rec, EVPN_HDR_LEN), EVPN_DROP_TRUNCATED);
	ck_assert_int_eq(evpn_hdr_decode(&d, rec, min - 1), EVPN_DROP_TRUNCATED);
	ck_assert_int_eq(evpn_hdr_decode(&d, rec, min), EVPN_DROP_NONE);
	ck_assert_int_eq(evpn_hdr_decode(&d, rec, max), EVPN_DROP_NONE);
	ck_assert_int_eq(evpn_hdr_decode(&d, rec, max + 1), EVPN_DROP_OVERSIZE);
	ck_assert_int_eq(evpn_hdr_decode(&d, rec, sizeof(rec)), EVPN_DROP_OVERSIZE);
	ck_assert_int_eq(evpn_hdr_decode(&d, rec, (size_t)-1), EVPN_DROP_OVERSIZE);
}
END_TEST

/* An e2e record's plaintext is the e2e payload: 28 more bytes each way. */
START_TEST(test_decode_e2e_lengths)
{
	struct evpn_hdr h = example_hdr(), d;
	size_t min = EVPN_OVERHEAD + EVPN_E2E_OVERHEAD + EVPN_MIN_INNER_LEN;
	size_t max = EVPN_OVERHEAD + EVPN_E2E_OVERHEAD + EVPN_MAX_INNER_LEN;

	ck_assert_uint_eq(EVPN_E2E_OVERHEAD, 24);
	ck_assert_uint_eq(min, 102);
	h.type = EVPN_TYPE_E2E;
	make_record(rec, sizeof(rec), &h);
	ck_assert_int_eq(evpn_hdr_decode(&d, rec, min - 1), EVPN_DROP_TRUNCATED);
	ck_assert_int_eq(evpn_hdr_decode(&d, rec, min), EVPN_DROP_NONE);
	ck_assert_int_eq(d.type, EVPN_TYPE_E2E);
	ck_assert_int_eq(evpn_hdr_decode(&d, rec, max), EVPN_DROP_NONE);
	ck_assert_int_eq(evpn_hdr_decode(&d, rec, max + 1), EVPN_DROP_OVERSIZE);
}
END_TEST

/* The e2e header and AAD, byte for byte (docs/protocol.md 14.1). */
START_TEST(test_e2e_hdr)
{
	static const uint8_t want_hdr[EVPN_E2E_HDR_LEN] = {
		0xde, 0xad, 0xbe, 0xef, 0, 0, 0x12, 0x34,
	};
	struct evpn_e2e_hdr e = { .counter = 0xdeadbeef00001234ULL }, d;
	struct evpn_hdr h = example_hdr();
	uint8_t b[EVPN_E2E_HDR_LEN], aad[EVPN_E2E_AAD_LEN], id[EVPN_ID_LEN];

	evpn_e2e_hdr_encode(b, &e);
	ck_assert_mem_eq(b, want_hdr, sizeof(b));
	evpn_e2e_hdr_decode(&d, b);
	ck_assert(d.counter == e.counter);
	ck_assert_uint_eq(EVPN_E2E_AAD_LEN, 40);
	evpn_e2e_aad(aad, &h.src, &h.dst, b);
	evpn_id_to_bytes(&h.src, id);
	ck_assert_mem_eq(aad, id, EVPN_ID_LEN);
	evpn_id_to_bytes(&h.dst, id);
	ck_assert_mem_eq(aad + 16, id, EVPN_ID_LEN);
	ck_assert_mem_eq(aad + 32, want_hdr, EVPN_E2E_HDR_LEN);
}
END_TEST

START_TEST(test_decode_first_byte)
{
	struct evpn_hdr h = example_hdr(), d;
	int b;

	for (b = 0; b < 256; b++) {
		enum evpn_drop_reason want;

		make_record(rec, 100, &h);
		rec[0] = (uint8_t)b;
		if (b == 0xE1 || b == 0xE2 || b == 0xE6)
			want = EVPN_DROP_NONE;
		else if (b == 0xE3)	/* 100 < 64 + 24 + 14 */
			want = EVPN_DROP_TRUNCATED;
		else if (b >= 0xE0 && b <= 0xEF)
			want = EVPN_DROP_BAD_VERSION;
		else
			want = EVPN_DROP_NOT_DATA;
		ck_assert_msg(evpn_hdr_decode(&d, rec, 100) == want, "byte 0x%02x", b);
		/* The first byte is judged before the length. */
		if (want != EVPN_DROP_NONE)
			ck_assert_int_eq(evpn_hdr_decode(&d, rec, 5), want);
	}
}
END_TEST

START_TEST(test_decode_header_fields)
{
	struct evpn_hdr h = example_hdr(), d;

	make_record(rec, 100, &h);
	rec[2] = 1;
	ck_assert_int_eq(evpn_hdr_decode(&d, rec, 100), EVPN_DROP_BAD_HEADER);
	rec[2] = 0;
	rec[3] = 0x80;
	ck_assert_int_eq(evpn_hdr_decode(&d, rec, 100), EVPN_DROP_BAD_HEADER);
	rec[3] = 0;
	ck_assert_int_eq(evpn_hdr_decode(&d, rec, 100), EVPN_DROP_NONE);

	h.key_id = 0;
	make_record(rec, 100, &h);
	ck_assert_int_eq(evpn_hdr_decode(&d, rec, 100), EVPN_DROP_BAD_HEADER);
	h.key_id = 0x80000000u;		/* top bit alone is fine */
	make_record(rec, 100, &h);
	ck_assert_int_eq(evpn_hdr_decode(&d, rec, 100), EVPN_DROP_NONE);
	ck_assert_uint_eq(d.key_id, 0x80000000u);

	/* TTL 0 decodes: the datapath judges it after authentication. */
	h.ttl = 0;
	make_record(rec, 100, &h);
	ck_assert_int_eq(evpn_hdr_decode(&d, rec, 100), EVPN_DROP_NONE);
	ck_assert_uint_eq(d.ttl, 0);

	/* A flood record decodes with its interval end in dst. */
	h.type = EVPN_TYPE_FLOOD;
	make_record(rec, 100, &h);
	ck_assert_int_eq(evpn_hdr_decode(&d, rec, 100), EVPN_DROP_NONE);
	ck_assert_uint_eq(d.type, EVPN_TYPE_FLOOD);
	ck_assert(evpn_id_eq(&d.dst, &h.dst));
}
END_TEST

/* Issue 11 item 6: a TTL above the cap (64) is dropped on arrival, counted
 * as TTL, before any key lookup; every TTL up to the cap decodes, and a
 * sender's initial TTL is within the cap. */
START_TEST(test_decode_ttl_cap)
{
	struct evpn_hdr h = example_hdr(), d;
	int ttl;

	ck_assert_uint_eq(EVPN_TTL_MAX, 64);
	ck_assert_uint_le(EVPN_TTL_DEFAULT, EVPN_TTL_MAX);
	for (ttl = 0; ttl < 256; ttl++) {
		h.ttl = (uint8_t)ttl;
		h.type = (ttl & 1) ? EVPN_TYPE_FLOOD : EVPN_TYPE_UNICAST;
		make_record(rec, 100, &h);
		ck_assert_msg(evpn_hdr_decode(&d, rec, 100) ==
			      (ttl > EVPN_TTL_MAX ? EVPN_DROP_TTL : EVPN_DROP_NONE),
			      "ttl %d", ttl);
	}
}
END_TEST

START_TEST(test_classify)
{
	int b;

	for (b = 0; b < 256; b++) {
		enum evpn_pkt_class c = evpn_classify((uint8_t)b), want;

		if (b <= 3)
			want = EVPN_PKT_STUN;
		else if (b >= 20 && b <= 63)
			want = EVPN_PKT_DTLS;
		else if (b >= 64 && b <= 79)
			want = EVPN_PKT_TURN_CHANNEL;
		else if (b == 0xE1 || b == 0xE2 || b == 0xE3 || b == 0xE6)
			want = EVPN_PKT_DATA;
		else if (b >= 0xE0 && b <= 0xEF)
			want = EVPN_PKT_DATA_UNKNOWN;
		else
			want = EVPN_PKT_OTHER;
		ck_assert_msg(c == want, "byte %d class %d", b, c);
	}
}
END_TEST

START_TEST(test_nonce)
{
	uint8_t iv[EVPN_IV_LEN], nonce[EVPN_NONCE_LEN], want[EVPN_NONCE_LEN];
	int i;

	for (i = 0; i < EVPN_IV_LEN; i++)
		iv[i] = (uint8_t)i;
	evpn_nonce(nonce, iv, 0x1234);
	unhex(want, EX_NONCE_HEX);
	ck_assert_mem_eq(nonce, want, EVPN_NONCE_LEN);

	evpn_nonce(nonce, iv, 0);
	ck_assert_mem_eq(nonce, iv, EVPN_NONCE_LEN);	/* counter 0: the IV */

	memset(iv, 0xff, sizeof(iv));
	evpn_nonce(nonce, iv, 0x0102030405060708ULL);
	ck_assert_mem_eq(nonce, "\xff\xff\xff\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7", 12);
	/* distinct counters, distinct nonces (the XOR is a bijection) */
	evpn_nonce(want, iv, 0x0102030405060709ULL);
	ck_assert(memcmp(nonce, want, EVPN_NONCE_LEN) != 0);
}
END_TEST

/* Seal the example frame with OpenSSL and compare with the doc's vector. */
static void check_aead_vector(const EVP_CIPHER *cipher, const char *want_hex)
{
	struct evpn_hdr h = example_hdr();
	uint8_t key[EVPN_KEY_LEN], iv[EVPN_IV_LEN], nonce[EVPN_NONCE_LEN];
	uint8_t hdr[EVPN_HDR_LEN], pt[64], out[128], want[128];
	size_t ptlen, wlen;
	int i, n, fin;
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();

	for (i = 0; i < EVPN_KEY_LEN; i++)
		key[i] = (uint8_t)(0x80 + i);
	for (i = 0; i < EVPN_IV_LEN; i++)
		iv[i] = (uint8_t)i;
	ptlen = unhex(pt, EX_PT_HEX);
	wlen = unhex(want, want_hex);
	ck_assert_uint_eq(wlen, ptlen + EVPN_TAG_LEN);
	evpn_hdr_encode(hdr, &h);
	evpn_nonce(nonce, iv, h.counter);

	ck_assert_ptr_nonnull(ctx);
	ck_assert(EVP_EncryptInit_ex(ctx, cipher, NULL, NULL, NULL) == 1);
	ck_assert(EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_IVLEN, 12, NULL) == 1);
	ck_assert(EVP_EncryptInit_ex(ctx, NULL, NULL, key, nonce) == 1);
	ck_assert(EVP_EncryptUpdate(ctx, NULL, &n, hdr, EVPN_HDR_LEN) == 1);
	ck_assert(EVP_EncryptUpdate(ctx, out, &n, pt, (int)ptlen) == 1);
	ck_assert(EVP_EncryptFinal_ex(ctx, out + n, &fin) == 1);
	ck_assert_uint_eq((size_t)(n + fin), ptlen);
	ck_assert(EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, 16, out + ptlen) == 1);
	EVP_CIPHER_CTX_free(ctx);
	ck_assert_mem_eq(out, want, wlen);
}

START_TEST(test_example_aes_gcm)
{
	check_aead_vector(EVP_aes_256_gcm(), EX_AES_HEX);
}
END_TEST

START_TEST(test_example_chacha)
{
	check_aead_vector(EVP_chacha20_poly1305(), EX_CHACHA_HEX);
}
END_TEST

START_TEST(test_keys_split)
{
	uint8_t km[EVPN_KEYMAT_LEN];
	struct evpn_id a = mkid(1, 0), b = mkid(0, ~0ULL);	/* b < a */
	struct evpn_dir_key atx, arx, btx, brx;
	int i;

	ck_assert_uint_eq(EVPN_KEYMAT_LEN, 88);
	ck_assert_str_eq(EVPN_EXPORTER_LABEL, "EXPORTER-evpn-data-v1");
	for (i = 0; i < EVPN_KEYMAT_LEN; i++)
		km[i] = (uint8_t)i;
	ck_assert_int_eq(evpn_keys_split(km, &a, &b, &atx, &arx), 0);
	ck_assert_int_eq(evpn_keys_split(km, &b, &a, &btx, &brx), 0);
	/* symmetry: each side's tx is the other's rx */
	ck_assert_mem_eq(&atx, &brx, sizeof(atx));
	ck_assert_mem_eq(&arx, &btx, sizeof(arx));
	ck_assert(memcmp(&atx, &arx, sizeof(atx)) != 0);
	/* b is lower: b -> a uses bytes 0..43 (key 0..31, iv 32..43) */
	ck_assert_mem_eq(btx.key, km, 32);
	ck_assert_mem_eq(btx.iv, km + 32, 12);
	ck_assert_mem_eq(atx.key, km + 44, 32);
	ck_assert_mem_eq(atx.iv, km + 76, 12);

	ck_assert_int_eq(evpn_keys_split(km, &a, &a, &atx, &arx), -1);
	for (i = 0; i < EVPN_KEY_LEN; i++)
		ck_assert_uint_eq(atx.key[i] | arx.key[i], 0);
}
END_TEST

static Suite *wire_suite(void)
{
	Suite *s = suite_create("core_wire");
	TCase *tc = tcase_create("wire");

	tcase_add_test(tc, test_encode_example);
	tcase_add_test(tc, test_roundtrip_random);
	tcase_add_test(tc, test_decode_lengths);
	tcase_add_test(tc, test_decode_first_byte);
	tcase_add_test(tc, test_decode_e2e_lengths);
	tcase_add_test(tc, test_e2e_hdr);
	tcase_add_test(tc, test_decode_header_fields);
	tcase_add_test(tc, test_decode_ttl_cap);
	tcase_add_test(tc, test_classify);
	tcase_add_test(tc, test_nonce);
	tcase_add_test(tc, test_example_aes_gcm);
	tcase_add_test(tc, test_example_chacha);
	tcase_add_test(tc, test_keys_split);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return unit_run(wire_suite(), false) ? EXIT_FAILURE : EXIT_SUCCESS;
}
