// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * AEAD for evpn records with OpenSSL EVP (see aead.h).
 */
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include "aead.h"

const char *evpn_aead_name(enum evpn_aead s)
{
	return s == EVPN_AEAD_CHACHA20POLY1305 ? "chacha20-poly1305" :
						  "aes-256-gcm";
}

int evpn_aead_parse(const char *name, enum evpn_aead *out)
{
	if (!strcmp(name, "aes-256-gcm"))
		*out = EVPN_AEAD_AES256GCM;
	else if (!strcmp(name, "chacha20-poly1305"))
		*out = EVPN_AEAD_CHACHA20POLY1305;
	else
		return -1;
	return 0;
}

/* Fetched once: in OpenSSL 3 the implicit fetch behind EVP_aes_256_gcm()
 * costs a lock and a lookup on every init. */
static EVP_CIPHER *suite_cipher(enum evpn_aead suite)
{
	static EVP_CIPHER *gcm, *chacha;

	if (suite == EVPN_AEAD_CHACHA20POLY1305) {
		if (!chacha)
			chacha = EVP_CIPHER_fetch(NULL, "ChaCha20-Poly1305",
						  NULL);
		return chacha;
	}
	if (!gcm)
		gcm = EVP_CIPHER_fetch(NULL, "AES-256-GCM", NULL);
	return gcm;
}

int aead_key_init(struct aead_key *k, enum evpn_aead suite,
		  const uint8_t key[EVPN_KEY_LEN],
		  const uint8_t iv[EVPN_IV_LEN], bool encrypt)
{
	EVP_CIPHER *c = suite_cipher(suite);
	EVP_CIPHER_CTX *ctx;

	memset(k, 0, sizeof(*k));
	if (!c)
		return -1;
	ctx = EVP_CIPHER_CTX_new();
	if (!ctx)
		return -1;
	if (!EVP_CipherInit_ex(ctx, c, NULL, NULL, NULL, encrypt) ||
	    !EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_IVLEN, EVPN_NONCE_LEN,
				 NULL) ||
	    !EVP_CipherInit_ex(ctx, NULL, NULL, key, iv, encrypt)) {
		EVP_CIPHER_CTX_free(ctx);
		return -1;
	}
	k->ctx = ctx;
	k->suite = suite;
	memcpy(k->iv, iv, EVPN_IV_LEN);
	return 0;
}

void aead_key_clear(struct aead_key *k)
{
	if (k->ctx)
		EVP_CIPHER_CTX_free(k->ctx);	/* cleanses the key schedule */
	OPENSSL_cleanse(k, sizeof(*k));
}

/* One record through @k's context, which aead_key_init() made for sealing
 * or for opening: the same steps but for the tag, which is read after
 * sealing and must be set before the final check when opening. */
static int aead_run(struct aead_key *k, uint64_t counter, const uint8_t *aad,
		    size_t aadlen, const uint8_t *in, size_t len, uint8_t *out,
		    uint8_t *tag, int enc)
{
	EVP_CIPHER_CTX *ctx = k->ctx;
	uint8_t nonce[EVPN_NONCE_LEN];
	int outl, fl;

	evpn_nonce(nonce, k->iv, counter);
	/* only the nonce changes: the key schedule stays */
	if (!EVP_CipherInit_ex(ctx, NULL, NULL, NULL, nonce, enc) ||
	    !EVP_CipherUpdate(ctx, NULL, &outl, aad, aadlen) ||
	    !EVP_CipherUpdate(ctx, out, &outl, in, len) ||
	    (!enc && !EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG,
					  EVPN_TAG_LEN, tag)) ||
	    EVP_CipherFinal_ex(ctx, out + outl, &fl) <= 0 ||
	    (enc && !EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG,
					 EVPN_TAG_LEN, tag)))
		return -1;
	return 0;
}

int aead_seal(struct aead_key *k, uint64_t counter, const uint8_t *aad,
	      size_t aadlen, const uint8_t *in, size_t len, uint8_t *out,
	      uint8_t tag[EVPN_TAG_LEN])
{
	return aead_run(k, counter, aad, aadlen, in, len, out, tag, 1);
}

int aead_open(struct aead_key *k, uint64_t counter, const uint8_t *aad,
	      size_t aadlen, const uint8_t *in, size_t len, uint8_t *out,
	      const uint8_t tag[EVPN_TAG_LEN])
{
	return aead_run(k, counter, aad, aadlen, in, len, out, (uint8_t *)tag,
			0);
}
