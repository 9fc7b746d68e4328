/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Per-link data keys from shared keying material (docs/protocol.md "Key
 * derivation"). The material comes from the DTLS exporter (RFC 5705,
 * label EVPN_EXPORTER_LABEL, no context, EVPN_KEYMAT_LEN bytes) or, in the
 * static test mode, from the static-key KDF (docs/configuration.md).
 *
 * Bytes 0..43 are key(32) || iv(12) for the direction lower node ID ->
 * higher node ID, bytes 44..87 for higher -> lower, so both ends compute the
 * same two keys and each one's tx key is the other's rx key. No crypto here.
 */
#ifndef EVPN_KEYS_H
#define EVPN_KEYS_H

#include "evpn_types.h"
#include "id.h"
#include "wire.h"

#define EVPN_EXPORTER_LABEL	"EXPORTER-evpn-data-v1"
#define EVPN_DIR_KEYMAT_LEN	(EVPN_KEY_LEN + EVPN_IV_LEN)	/* 44 */
#define EVPN_KEYMAT_LEN		(2 * EVPN_DIR_KEYMAT_LEN)	/* 88 */

/* One direction's AEAD key and IV (the nonce base, see evpn_nonce()). */
struct evpn_dir_key {
	uint8_t key[EVPN_KEY_LEN];
	uint8_t iv[EVPN_IV_LEN];
};

/*
 * Split @km into this node's transmit and receive keys. Returns 0, or -1
 * (outputs zeroed) when @self == @peer, which has no direction.
 */
int evpn_keys_split(const uint8_t km[EVPN_KEYMAT_LEN],
		    const struct evpn_id *self, const struct evpn_id *peer,
		    struct evpn_dir_key *tx, struct evpn_dir_key *rx);

#endif /* EVPN_KEYS_H */
