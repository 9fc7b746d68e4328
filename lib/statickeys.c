// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Static-link key derivation (see statickeys.h).
 */
#include <string.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include "keys.h"
#include "statickeys.h"

static int hkdf_sha256(const uint8_t *ikm, size_t ikm_len,
		       const uint8_t *salt, size_t salt_len,
		       const uint8_t *info, size_t info_len,
		       uint8_t *out, size_t out_len)
{
	EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	EVP_KDF_CTX *kctx;
	OSSL_PARAM p[5];
	int ret = -1;

	if (!kdf)
		return -1;
	kctx = EVP_KDF_CTX_new(kdf);
	EVP_KDF_free(kdf);
	if (!kctx)
		return -1;
	p[0] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
						"SHA256", 0);
	p[1] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
						 (void *)ikm, ikm_len);
	p[2] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT,
						 (void *)salt, salt_len);
	p[3] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO,
						 (void *)info, info_len);
	p[4] = OSSL_PARAM_construct_end();
	if (EVP_KDF_derive(kctx, out, out_len, p) > 0)
		ret = 0;
	EVP_KDF_CTX_free(kctx);
	return ret;
}

static uint32_t key_id_at(const uint8_t *b)
{
	uint32_t v = (uint32_t)b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3];

	return v ? v : 1;	/* key ID 0 is invalid on the wire */
}

int evpn_pair_keys_derive(const uint8_t *ikm, size_t ikm_len,
			  const char *salt, const char *label,
			  const uint8_t *extra, size_t extra_len,
			  const struct evpn_id *self,
			  const struct evpn_id *peer,
			  struct evpn_static_keys *out)
{
	uint8_t info[64 + 2 * EVPN_ID_LEN + 128];
	uint8_t okm[EVPN_STATIC_OKM_LEN];
	const struct evpn_id *lo, *hi;
	size_t il = strlen(label);
	bool self_lo;
	int ret = -1;

	OPENSSL_cleanse(out, sizeof(*out));
	if (evpn_id_eq(self, peer) || il > 64 || extra_len > 128)
		return -1;
	self_lo = evpn_id_cmp(self, peer) < 0;
	lo = self_lo ? self : peer;
	hi = self_lo ? peer : self;
	memcpy(info, label, il);
	evpn_id_to_bytes(lo, info + il);
	evpn_id_to_bytes(hi, info + il + EVPN_ID_LEN);
	if (extra_len)
		memcpy(info + il + 2 * EVPN_ID_LEN, extra, extra_len);
	if (hkdf_sha256(ikm, ikm_len, (const uint8_t *)salt, strlen(salt),
			info, il + 2 * EVPN_ID_LEN + extra_len, okm,
			sizeof(okm)))
		goto out;
	if (evpn_keys_split(okm, self, peer, &out->tx, &out->rx))
		goto out;
	/* lo->hi is the lo node's tx direction */
	out->tx_key_id = key_id_at(okm + (self_lo ? 88 : 92));
	out->rx_key_id = key_id_at(okm + (self_lo ? 92 : 88));
	ret = 0;
out:
	OPENSSL_cleanse(okm, sizeof(okm));
	if (ret)
		OPENSSL_cleanse(out, sizeof(*out));
	return ret;
}

int evpn_static_keys_derive(const uint8_t *psk, size_t psk_len,
			    const struct evpn_id *self,
			    const struct evpn_id *peer,
			    struct evpn_static_keys *out)
{
	return evpn_pair_keys_derive(psk, psk_len, EVPN_STATIC_SALT,
				     EVPN_STATIC_INFO, NULL, 0, self, peer,
				     out);
}

int evpn_e2e_psk_keys_derive(const uint8_t *psk, size_t psk_len,
			     const struct evpn_id *self,
			     const struct evpn_id *peer,
			     struct evpn_static_keys *out)
{
	return evpn_pair_keys_derive(psk, psk_len, EVPN_E2E_SALT,
				     EVPN_E2E_INFO_PSK, NULL, 0, self, peer,
				     out);
}
