/* SPDX-License-Identifier: GPL-2.0 */
/* AEAD sealing and opening of evpn records in place (docs/protocol.md 3-4). */
#ifndef EVPN_KMOD_CRYPTO_H
#define EVPN_KMOD_CRYPTO_H

#include <crypto/aead.h>
#include <linux/netlink.h>
#include <linux/evpn.h>

/* A synchronous transform for @suite keyed with @key (EVPN_KEY_LEN bytes). */
struct crypto_aead *evpn_aead_new(u32 suite, const u8 *key,
				  struct netlink_ext_ack *extack);
void evpn_aead_free(struct crypto_aead *tfm);

/*
 * Seal (@enc) or open @len bytes of linear data at @buf: the first
 * EVPN_HDR_LEN bytes are the associated data, then the text, then (open:
 * present, seal: room for) the EVPN_TAG_LEN-byte tag. @len counts the tag.
 * BH must be disabled (a per-cpu request is used). Returns 0, -EBADMSG
 * (tag mismatch) or another negative errno.
 */
int evpn_aead_crypt(struct crypto_aead *tfm, bool enc, const u8 *iv,
		    u64 counter, u8 *buf, unsigned int len);

int evpn_crypto_init(void);
void evpn_crypto_uninit(void);

#endif /* EVPN_KMOD_CRYPTO_H */
