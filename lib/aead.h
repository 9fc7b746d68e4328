/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * One direction of an evpn record key (evpnd's TAP datapath, evpn-craft): an OpenSSL EVP AEAD context set up
 * once when the key is installed (key schedule computed once), of which only
 * the nonce changes per record.
 */
#ifndef EVPN_LIB_AEAD_H
#define EVPN_LIB_AEAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "wire.h"

/* The record AEADs; evpnd's enum dp_suite has the same values. */
enum evpn_aead {
	EVPN_AEAD_AES256GCM = 0,
	EVPN_AEAD_CHACHA20POLY1305,
};
/* "aes-256-gcm" / "chacha20-poly1305": the configuration's names. */
const char *evpn_aead_name(enum evpn_aead s);
int evpn_aead_parse(const char *name, enum evpn_aead *out);

struct aead_key {
	void *ctx;		/* EVP_CIPHER_CTX */
	uint8_t iv[EVPN_IV_LEN];
	enum evpn_aead suite;
};

int aead_key_init(struct aead_key *k, enum evpn_aead suite,
		  const uint8_t key[EVPN_KEY_LEN],
		  const uint8_t iv[EVPN_IV_LEN], bool encrypt);
/* Frees the context (OpenSSL cleanses the key schedule) and wipes the IV. */
void aead_key_clear(struct aead_key *k);

/* Encrypt @len bytes from @in to @out (may be equal), authenticate @aad,
 * write the tag. Returns 0 or -1. */
int aead_seal(struct aead_key *k, uint64_t counter, const uint8_t *aad,
	      size_t aadlen, const uint8_t *in, size_t len, uint8_t *out,
	      uint8_t tag[EVPN_TAG_LEN]);
/* Decrypt and verify. Returns 0, or -1 if the tag does not verify. */
int aead_open(struct aead_key *k, uint64_t counter, const uint8_t *aad,
	      size_t aadlen, const uint8_t *in, size_t len, uint8_t *out,
	      const uint8_t tag[EVPN_TAG_LEN]);

#endif /* EVPN_LIB_AEAD_H */
