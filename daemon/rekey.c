// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * X25519 + HKDF mixing for rekey generations (see rekey.h).
 */
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/kdf.h>

#include "rekey.h"

#define REKEY_INFO "evpn-rekey-v1"

EVP_PKEY *rekey_eph_new(uint8_t pub[REKEY_PUB_LEN])
{
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "X25519");
	size_t n = REKEY_PUB_LEN;

	if (k && (EVP_PKEY_get_raw_public_key(k, pub, &n) != 1 ||
		  n != REKEY_PUB_LEN)) {
		EVP_PKEY_free(k);
		k = NULL;
	}
	return k;
}

static int x25519(EVP_PKEY *eph, const uint8_t peer_pub[REKEY_PUB_LEN],
		  uint8_t out[32])
{
	EVP_PKEY *peer;
	EVP_PKEY_CTX *ctx = NULL;
	size_t n = 32;
	int ret = -1;

	peer = EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, NULL, peer_pub,
					   REKEY_PUB_LEN);
	if (!peer)
		return -1;
	ctx = EVP_PKEY_CTX_new(eph, NULL);
	/* derive fails on an all-zero result (small-order peer key) */
	if (ctx && EVP_PKEY_derive_init(ctx) == 1 &&
	    EVP_PKEY_derive_set_peer(ctx, peer) == 1 &&
	    EVP_PKEY_derive(ctx, out, &n) == 1 && n == 32)
		ret = 0;
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(peer);
	return ret;
}

int rekey_mix(EVP_PKEY *eph, const uint8_t peer_pub[REKEY_PUB_LEN],
	      uint32_t gen, uint8_t *km, size_t len)
{
	uint8_t shared[32], salt[128], info[sizeof(REKEY_INFO) - 1 + 8];
	EVP_PKEY_CTX *ctx = NULL;
	size_t out = len;
	int ret = -1, i;

	if (len > sizeof(salt) || x25519(eph, peer_pub, shared))
		goto out;
	memcpy(salt, km, len);
	memcpy(info, REKEY_INFO, sizeof(REKEY_INFO) - 1);
	for (i = 0; i < 8; i++)
		info[sizeof(REKEY_INFO) - 1 + i] =
			i < 4 ? 0 : (uint8_t)(gen >> (8 * (7 - i)));
	ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, NULL);
	if (ctx && EVP_PKEY_derive_init(ctx) == 1 &&
	    EVP_PKEY_CTX_set_hkdf_md(ctx, EVP_sha256()) == 1 &&
	    EVP_PKEY_CTX_set1_hkdf_salt(ctx, salt, len) == 1 &&
	    EVP_PKEY_CTX_set1_hkdf_key(ctx, shared, sizeof(shared)) == 1 &&
	    EVP_PKEY_CTX_add1_hkdf_info(ctx, info, sizeof(info)) == 1 &&
	    EVP_PKEY_derive(ctx, km, &out) == 1 && out == len)
		ret = 0;
out:
	EVP_PKEY_CTX_free(ctx);
	OPENSSL_cleanse(shared, sizeof(shared));
	OPENSSL_cleanse(salt, sizeof(salt));
	if (ret)
		OPENSSL_cleanse(km, len);
	return ret;
}
