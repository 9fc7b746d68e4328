/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * A node's long-term DTLS identity: an ECDSA P-256 key and a self-signed
 * certificate, generated once and kept in the state directory (mode 0600).
 * Peers learn its SHA-256 fingerprint from our XMPP presence and accept no
 * other certificate (docs/signalling.md, "Trust").
 */
#ifndef EVPND_IDENTITY_H
#define EVPND_IDENTITY_H

#include <openssl/evp.h>
#include <openssl/x509.h>

/* "AB:CD:..." : 32 bytes as colon-separated upper-case hex, plus NUL. */
#define EVPN_FP_STRLEN (32 * 3)

struct evpn_identity {
	EVP_PKEY *key;
	X509 *cert;
	char fingerprint[EVPN_FP_STRLEN];
};

/*
 * Loads STATE_DIR/identity.pem, or creates it (key + certificate with
 * subject CN=@cn) if it does not exist. Returns 0 or -1 (logged).
 */
int identity_load_or_create(struct evpn_identity *id, const char *state_dir,
			    const char *cn);
/* An in-memory identity that is never written (tests). */
int identity_generate(struct evpn_identity *id, const char *cn);
void identity_free(struct evpn_identity *id);

/* SHA-256 fingerprint of @cert in the colon-hex form. 0 or -1. */
int identity_fingerprint(X509 *cert, char out[EVPN_FP_STRLEN]);
/* Case-insensitive comparison of two fingerprint strings; false if either
 * is malformed. */
bool identity_fp_equal(const char *a, const char *b);
/* True if @s is exactly 32 colon-separated hex byte pairs. */
bool identity_fp_valid(const char *s);

#endif /* EVPND_IDENTITY_H */
