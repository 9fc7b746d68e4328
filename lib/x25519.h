/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * X25519 through OpenSSL: a fresh key pair, and the shared secret with a
 * peer's raw public key. Used by link rekeys (daemon/rekey.c, in the
 * overlay module) and end-to-end pair keys (daemon/e2e.c, in the core).
 */
#ifndef EVPN_LIB_X25519_H
#define EVPN_LIB_X25519_H

#include <stdint.h>
#include <openssl/evp.h>

#define EVPN_X25519_LEN	32

/* A new key pair; its raw public key in @pub. NULL on failure. */
EVP_PKEY *evpn_x25519_new(uint8_t pub[EVPN_X25519_LEN]);

/* X25519(@own, @peer_pub) into @out; fails on a small-order peer key
 * (OpenSSL refuses the all-zero result). 0 or -1. */
int evpn_x25519(EVP_PKEY *own, const uint8_t peer_pub[EVPN_X25519_LEN],
		uint8_t out[EVPN_X25519_LEN]);

#endif /* EVPN_LIB_X25519_H */
