/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * A node's long-term DTLS identity: an ECDSA P-256 key and a self-signed
 * certificate, generated once and kept in the state directory (mode 0600).
 * Peers learn its SHA-256 fingerprint from our XMPP presence and accept no
 * other certificate (docs/signalling.md, "Trust").
 *
 * The node's overlay ID is bound to the key: the first 16 bytes of SHA-256
 * over the DER SubjectPublicKeyInfo (docs/protocol.md "Node IDs"). Every
 * peer recomputes it from the certificate in the DTLS handshake, so an ID
 * can be neither chosen nor taken over without the key (docs/security.md).
 */
#ifndef EVPND_IDENTITY_H
#define EVPND_IDENTITY_H

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "id.h"

/* "AB:CD:..." : 32 bytes as colon-separated upper-case hex, plus NUL. */
#define EVPN_FP_STRLEN (32 * 3)

struct evpn_identity {
	EVP_PKEY *key;
	X509 *cert;
	char fingerprint[EVPN_FP_STRLEN];
	struct evpn_id node_id;		/* derived from key, see above */
};

/*
 * Loads STATE_DIR/identity.pem, or creates it (key + certificate with
 * subject CN=@cn, or CN=the node ID in hex if @cn is NULL) if it does not
 * exist. Returns 0 or -1 (logged).
 */
int identity_load_or_create(struct evpn_identity *id, const char *state_dir,
			    const char *cn);
/* An in-memory identity that is never written (tests; @cn NULL as above). */
int identity_generate(struct evpn_identity *id, const char *cn);
void identity_free(struct evpn_identity *id);

/* SHA-256 fingerprint of @cert in the colon-hex form. 0 or -1. */
int identity_fingerprint(X509 *cert, char out[EVPN_FP_STRLEN]);
/* Case-insensitive comparison of two fingerprint strings; false if either
 * is malformed. */
bool identity_fp_equal(const char *a, const char *b);
/* True if @s is exactly 32 colon-separated hex byte pairs. */
bool identity_fp_valid(const char *s);

/* The node ID bound to @key / to @cert's public key: SHA-256 over its DER
 * SubjectPublicKeyInfo, first 16 bytes, big-endian. 0 or -1. */
int identity_key_node_id(EVP_PKEY *key, struct evpn_id *out);
/* The same from a SubjectPublicKeyInfo's DER as received (its hash). */
int identity_spki_node_id(const uint8_t *der, size_t len, struct evpn_id *out);
int identity_cert_node_id(X509 *cert, struct evpn_id *out);

#endif /* EVPND_IDENTITY_H */
