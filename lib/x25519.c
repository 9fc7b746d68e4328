// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "x25519.h"

EVP_PKEY *evpn_x25519_new(uint8_t pub[EVPN_X25519_LEN])
{
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "X25519");
	size_t n = EVPN_X25519_LEN;

	if (k && (EVP_PKEY_get_raw_public_key(k, pub, &n) != 1 ||
		  n != EVPN_X25519_LEN)) {
		EVP_PKEY_free(k);
		k = NULL;
	}
	return k;
}

int evpn_x25519(EVP_PKEY *own, const uint8_t peer_pub[EVPN_X25519_LEN],
		uint8_t out[EVPN_X25519_LEN])
{
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *peer;
	size_t n = EVPN_X25519_LEN;
	int ret = -1;

	peer = EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, NULL, peer_pub,
					   EVPN_X25519_LEN);
	if (!peer)
		return -1;
	ctx = EVP_PKEY_CTX_new(own, NULL);
	if (ctx && EVP_PKEY_derive_init(ctx) == 1 &&
	    EVP_PKEY_derive_set_peer(ctx, peer) == 1 &&
	    EVP_PKEY_derive(ctx, out, &n) == 1 && n == EVPN_X25519_LEN)
		ret = 0;
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(peer);
	return ret;
}
