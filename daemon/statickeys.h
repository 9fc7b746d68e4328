/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Keys for static links (test / diagnostic mode), derived from a pre-shared
 * key. docs/configuration.md "Static keys" is the normative description:
 *
 *   okm = HKDF-SHA256(salt = "evpn static link v1", ikm = psk,
 *                     info = "evpn static keys" || lo_id || hi_id, L = 96)
 *   okm[0..87]   -> evpn_keys_split() (lo->hi key||iv, hi->lo key||iv)
 *   okm[88..91]  BE32 key ID of the lo->hi direction (0 -> 1)
 *   okm[92..95]  BE32 key ID of the hi->lo direction (0 -> 1)
 *
 * lo_id/hi_id are the two node IDs (16 bytes big-endian), lower first.
 */
#ifndef EVPND_STATICKEYS_H
#define EVPND_STATICKEYS_H

#include "datapath.h"
#include "id.h"

#define EVPN_STATIC_SALT	"evpn static link v1"
#define EVPN_STATIC_INFO	"evpn static keys"
#define EVPN_STATIC_OKM_LEN	96

/* Returns 0 or -1 (self == peer or KDF failure). Key IDs in tx/rx are
 * derived; callers may override them. */
int static_keys_derive(const uint8_t *psk, size_t psk_len,
		       const struct evpn_id *self, const struct evpn_id *peer,
		       struct dp_key_dir *tx, struct dp_key_dir *rx);

#endif /* EVPND_STATICKEYS_H */
