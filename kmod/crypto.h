/* SPDX-License-Identifier: GPL-2.0 */
/* AEAD sealing and opening of evpn records in place (docs/protocol.md 3-4). */
#ifndef EVPN_KMOD_CRYPTO_H
#define EVPN_KMOD_CRYPTO_H

#include <crypto/aead.h>
#include <linux/netlink.h>
#include <linux/evpn.h>

#include "wire.h"

/*
 * One direction's AEAD: a synchronous transform, plus -- where the platform
 * has one -- the SIMD implementation's internal (FPU-needing) transform,
 * used directly whenever the FPU is usable (crypto_simd_usable()). The
 * public "gcm(aes)" of the AES-NI driver is asynchronous (cryptd), so
 * without this the synchronous choice is the slow generic GCM.
 */
struct evpn_aead {
	struct crypto_aead *tfm;
	struct crypto_aead *simd;	/* or NULL */
};

/* Transforms for @suite keyed with @key (EVPN_KEY_LEN bytes). */
int evpn_aead_init(struct evpn_aead *a, u32 suite, const u8 *key,
		   struct netlink_ext_ack *extack);
void evpn_aead_destroy(struct evpn_aead *a);
/* The driver actually used (for `link show`/debugging). */
const char *evpn_aead_driver(const struct evpn_aead *a);

/*
 * Seal (@enc) or open @len bytes of linear data at @buf: the first
 * @adlen bytes are the associated data, then the text, then (open:
 * present, seal: room for) the EVPN_TAG_LEN-byte tag. @len counts the tag.
 * BH must be disabled (a per-cpu request is used). Returns 0, -EBADMSG
 * (tag mismatch) or another negative errno.
 */
int evpn_aead_crypt_ad(const struct evpn_aead *a, bool enc, const u8 *iv,
		       u64 counter, u8 *buf, unsigned int adlen,
		       unsigned int len);

/* A record: the associated data is its EVPN_HDR_LEN-byte header. (An
 * end-to-end payload's is src || dst || counter, kmod/e2e.c.) */
static inline int evpn_aead_crypt(const struct evpn_aead *a, bool enc,
				  const u8 *iv, u64 counter, u8 *buf,
				  unsigned int len)
{
	return evpn_aead_crypt_ad(a, enc, iv, counter, buf, EVPN_HDR_LEN, len);
}

int evpn_crypto_init(void);
void evpn_crypto_uninit(void);

#endif /* EVPN_KMOD_CRYPTO_H */
