/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Fresh key exchange for rekeys (docs/signalling.md section 6): each rekey
 * generation g >= 1 mixes a new X25519 exchange, carried in the in-band
 * KEYID messages, into the DTLS exporter output:
 *
 *   km_g = HKDF-SHA256(salt = exporter(BE64(g)), ikm = X25519(eph, peer),
 *                      info = "evpn-rekey-v1" || BE64(g), L = 88)
 *
 * so a later compromise of the DTLS session's master secret does not reveal
 * keys of generations whose ephemeral keys are gone (forward secrecy per
 * rekey, not only per DTLS session).
 */
#ifndef EVPND_REKEY_H
#define EVPND_REKEY_H

#include <stddef.h>
#include <stdint.h>
#include <openssl/evp.h>

#define REKEY_PUB_LEN 32

/* A new ephemeral X25519 key; its public half in @pub. NULL on failure. */
EVP_PKEY *rekey_eph_new(uint8_t pub[REKEY_PUB_LEN]);

/*
 * Replace @km (@len bytes of exporter output for generation @gen) by the
 * mixed material above. @eph is ours, @peer_pub the peer's. 0 or -1 (@km
 * wiped). The shared secret is wiped before returning.
 */
int rekey_mix(EVP_PKEY *eph, const uint8_t peer_pub[REKEY_PUB_LEN],
	      uint32_t gen, uint8_t *km, size_t len);

#endif /* EVPND_REKEY_H */
