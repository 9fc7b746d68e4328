/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Keys for static links (evpnd's [link] sections, `evpnctl key add ... psk`,
 * evpn-craft) (test / diagnostic mode), derived from a pre-shared
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
#ifndef EVPN_LIB_STATICKEYS_H
#define EVPN_LIB_STATICKEYS_H

#include <stddef.h>
#include <stdint.h>
#include "id.h"
#include "keys.h"

#define EVPN_PSK_LEN		32	/* the pre-shared key: 32 bytes */

#define EVPN_STATIC_SALT	"evpn static link v1"
#define EVPN_STATIC_INFO	"evpn static keys"
#define EVPN_STATIC_OKM_LEN	96

/* This node's two directions of a static link. Holds key bytes: wipe it. */
struct evpn_static_keys {
	struct evpn_dir_key tx, rx;
	uint32_t tx_key_id, rx_key_id;
};

/* Returns 0 or -1 (self == peer or KDF failure; @out is then wiped). Key
 * IDs are derived; callers may override them. */
int evpn_static_keys_derive(const uint8_t *psk, size_t psk_len,
			    const struct evpn_id *self,
			    const struct evpn_id *peer,
			    struct evpn_static_keys *out);

/*
 * The same construction for end-to-end pair keys (docs/protocol.md 14.2):
 *
 *   okm = HKDF-SHA256(salt = @salt, ikm = @ikm,
 *                     info = @label || lo_id || hi_id || @extra, L = 96)
 *
 * split exactly as above. evpn_static_keys_derive() is this with the
 * static salt and label and no @extra.
 */
int evpn_pair_keys_derive(const uint8_t *ikm, size_t ikm_len,
			  const char *salt, const char *label,
			  const uint8_t *extra, size_t extra_len,
			  const struct evpn_id *self,
			  const struct evpn_id *peer,
			  struct evpn_static_keys *out);

/* End-to-end pair keys' constants (docs/protocol.md 14.2): X25519 from
 * presence (@extra = the two public keys in ID order), or pre-shared. */
#define EVPN_E2E_SALT		"evpn e2e v1"
#define EVPN_E2E_INFO_DH	"evpn e2e keys"
#define EVPN_E2E_INFO_PSK	"evpn e2e psk keys"

/* A pre-shared pair key (evpnd's [e2e NAME], `evpnctl e2e add ... psk`,
 * evpn-craft -E): evpn_pair_keys_derive() with the e2e psk constants. */
int evpn_e2e_psk_keys_derive(const uint8_t *psk, size_t psk_len,
			     const struct evpn_id *self,
			     const struct evpn_id *peer,
			     struct evpn_static_keys *out);

#endif /* EVPN_LIB_STATICKEYS_H */
