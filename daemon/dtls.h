/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * DTLS 1.2 over memory: the handshake runs over whatever transport the
 * caller provides (libnice's send/recv for ICE links). Records leave through
 * ops->send one datagram at a time; received datagrams enter via
 * dtls_input(). The peer must present the certificate whose SHA-256
 * fingerprint we were told (from its XMPP presence), and that certificate's
 * key must hash to the node ID the peer claims (identity.h), or the
 * handshake fails.
 * Retransmission timers run on the GLib default main context.
 */
#ifndef EVPND_DTLS_H
#define EVPND_DTLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "identity.h"

#define DTLS_EXPORTER_LABEL "EXPORTER-evpn-data-v1"
/* 2 x (32-byte key + 12-byte IV): one key per direction. */
#define DTLS_EXPORT_LEN 88
/* Whole-handshake deadline (includes all retransmissions). */
#define DTLS_HANDSHAKE_TIMEOUT_MS 10000

struct dtls;

/* Why a session ended (the link manager counts refused handshakes). */
enum dtls_fail {
	DTLS_FAIL_HANDSHAKE,		/* refused: alert, bad certificate */
	DTLS_FAIL_HANDSHAKE_TIMEOUT,	/* no answer in time */
	DTLS_FAIL_RETRANSMIT,		/* could not retransmit a flight */
	DTLS_FAIL_CLOSED,		/* the peer closed the session */
	DTLS_FAIL_SESSION,		/* fatal alert on an established session */
};

struct dtls_ops {
	/* One DTLS datagram to the peer. Return <0 on error (ignored: DTLS
	 * retransmits). */
	int (*send)(void *ctx, const void *buf, size_t len);
	/* The handshake finished and the peer's fingerprint matched. */
	void (*established)(void *ctx);
	/* Application data from the peer (our in-band link control). */
	void (*data)(void *ctx, const uint8_t *buf, size_t len);
	/* Handshake failed / timed out / peer closed; @why is for the log.
	 * The caller frees the dtls object (not from inside this callback). */
	void (*failed)(void *ctx, enum dtls_fail reason, const char *why);
};

/*
 * @client: true for the side that sends the ClientHello.
 * @peer_fp: colon-hex SHA-256 fingerprint the peer's certificate must have.
 * @peer_id: the node ID the peer claims; its certificate's key must hash
 * to it (identity_cert_node_id()).
 */
struct dtls *dtls_new(const struct evpn_identity *id, bool client,
		      const char *peer_fp, const struct evpn_id *peer_id,
		      const struct dtls_ops *ops, void *ctx);
void dtls_free(struct dtls *d);

/* Client: send the ClientHello. Server: arm the handshake deadline. */
int dtls_start(struct dtls *d);
/* A datagram from the peer whose first byte is in the DTLS range 20..63. */
void dtls_input(struct dtls *d, const uint8_t *buf, size_t len);
bool dtls_established(const struct dtls *d);

/* Application data over the established session. 0 or -1. */
int dtls_write(struct dtls *d, const void *buf, size_t len);
/* Bytes a DTLS datagram adds to the application data it carries (record
 * header, explicit nonce, tag) with the negotiated cipher; 0 if unknown. */
size_t dtls_overhead(const struct dtls *d);

/*
 * RFC 5705 exporter with our label and @context (may be NULL/0 for "no
 * context" -- we always pass one: see docs/signalling.md "Keys").
 * 0 or -1.
 */
int dtls_export(struct dtls *d, const uint8_t *context, size_t ctxlen,
		uint8_t *out, size_t len);

/* Negotiated cipher name, for logs / show. */
const char *dtls_cipher(const struct dtls *d);

#endif /* EVPND_DTLS_H */
