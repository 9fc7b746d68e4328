// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * X25519 + HKDF mixing for rekey generations (see rekey.h).
 */
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/kdf.h>

#include "rekey.h"
#include "x25519.h"

_Static_assert(REKEY_PUB_LEN == EVPN_X25519_LEN, "an X25519 public key");

#define REKEY_INFO "evpn-rekey-v1"

EVP_PKEY *rekey_eph_new(uint8_t pub[REKEY_PUB_LEN])
{
	return evpn_x25519_new(pub);
}

int rekey_mix(EVP_PKEY *eph, const uint8_t peer_pub[REKEY_PUB_LEN],
	      uint32_t gen, uint8_t *km, size_t len)
{
	uint8_t shared[32], salt[128], info[sizeof(REKEY_INFO) - 1 + 8];
	EVP_PKEY_CTX *ctx = NULL;
	size_t out = len;
	int ret = -1, i;

	if (len > sizeof(salt) || evpn_x25519(eph, peer_pub, shared))
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
