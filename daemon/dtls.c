// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * DTLS 1.2 client/server over memory BIOs with fingerprint pinning and the
 * node-ID-to-key binding check.
 *
 * Reading: a plain memory BIO, fed one datagram at a time by dtls_input().
 * Writing: a tiny custom BIO that keeps every write OpenSSL makes as its own
 * datagram (a memory BIO would merge a flight's packets into one blob); after
 * each OpenSSL call the queued datagrams go out through ops->send. Sending
 * after the call, never from inside it, keeps us out of OpenSSL re-entrancy.
 */
#include <string.h>

#include <glib.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include "dtls.h"

/* A conservative path MTU for handshake records: fits IPv6 + UDP + TURN
 * ChannelData overhead on a 1280-byte path. */
#define DTLS_LINK_MTU 1200

struct dtls {
	SSL_CTX *ctx;
	SSL *ssl;
	BIO *rbio;
	GQueue outq;		/* GBytes, datagrams to send */
	const struct dtls_ops *ops;
	void *cb_ctx;
	char peer_fp[EVPN_FP_STRLEN];
	struct evpn_id peer_id;
	bool client;
	bool established;
	bool failed;
	char refused[320];	/* why verify_fp() refused the peer's certificate */
	guint retx_timer;
	guint deadline_timer;
};

static BIO_METHOD *dgram_method;

static int dgram_write(BIO *b, const char *buf, int len)
{
	struct dtls *d = BIO_get_data(b);

	if (len <= 0)
		return 0;
	g_queue_push_tail(&d->outq, g_bytes_new(buf, len));
	return len;
}

static long dgram_ctrl(BIO *b, int cmd, long num, void *ptr)
{
	switch (cmd) {
	case BIO_CTRL_FLUSH:
		return 1;
	case BIO_CTRL_DGRAM_QUERY_MTU:
	case BIO_CTRL_DGRAM_GET_FALLBACK_MTU:
		return DTLS_LINK_MTU;
	case BIO_CTRL_WPENDING:
	case BIO_CTRL_PENDING:
		return 0;
	default:
		return 0;
	}
}

static BIO_METHOD *dgram_method_get(void)
{
	if (!dgram_method) {
		dgram_method = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK,
					    "evpn-dgram-queue");
		BIO_meth_set_write(dgram_method, dgram_write);
		BIO_meth_set_ctrl(dgram_method, dgram_ctrl);
	}
	return dgram_method;
}

static void flush_out(struct dtls *d)
{
	GBytes *b;

	while ((b = g_queue_pop_head(&d->outq))) {
		gsize n;
		const void *p = g_bytes_get_data(b, &n);

		d->ops->send(d->cb_ctx, p, n);
		g_bytes_unref(b);
	}
}

static void log_ssl_errors(const char *what)
{
	unsigned long e;
	char buf[256];

	while ((e = ERR_get_error())) {
		ERR_error_string_n(e, buf, sizeof(buf));
		g_message("dtls: %s: %s", what, buf);
	}
}

static void fail(struct dtls *d, enum dtls_fail reason, const char *why)
{
	if (d->failed)
		return;
	d->failed = true;
	if (d->retx_timer)
		g_source_remove(d->retx_timer);
	if (d->deadline_timer)
		g_source_remove(d->deadline_timer);
	d->retx_timer = d->deadline_timer = 0;
	d->ops->failed(d->cb_ctx, reason, why);
}

/* The ID the peer claims must be the one its key hashes to. */
static bool peer_id_bound(struct dtls *d, X509 *leaf)
{
	char got[EVPN_ID_HEXLEN + 1], want[EVPN_ID_HEXLEN + 1];
	struct evpn_id id;

	if (identity_cert_node_id(leaf, &id))
		return false;
	if (evpn_id_eq(&id, &d->peer_id))
		return true;
	evpn_id_to_hex(&id, got);
	evpn_id_to_hex(&d->peer_id, want);
	snprintf(d->refused, sizeof(d->refused), "certificate mismatch: peer "
		 "claims node ID %s but its key hashes to %s", want, got);
	g_debug("dtls: %s: refusing the link (IDs are bound to keys, "
		"docs/security.md)", d->refused);
	return false;
}

/*
 * Replaces OpenSSL's chain verification: the only acceptable certificate is
 * the one whose SHA-256 fingerprint the peer announced from its
 * authenticated JID, and its key must hash to the node ID the peer
 * announced with it. Self-signed, no CA, dates irrelevant.
 */
static int verify_fp(X509_STORE_CTX *sctx, void *arg)
{
	struct dtls *d = arg;
	X509 *leaf = X509_STORE_CTX_get0_cert(sctx);
	char fp[EVPN_FP_STRLEN];

	if (!leaf || identity_fingerprint(leaf, fp)) {
		X509_STORE_CTX_set_error(sctx, X509_V_ERR_UNSPECIFIED);
		return 0;
	}
	if (!identity_fp_equal(fp, d->peer_fp)) {
		snprintf(d->refused, sizeof(d->refused), "certificate mismatch: "
			 "fingerprint %s does not match the announced %s",
			 fp, d->peer_fp);
		g_debug("dtls: %s: refusing the link", d->refused);
		X509_STORE_CTX_set_error(sctx, X509_V_ERR_CERT_REJECTED);
		return 0;
	}
	if (!peer_id_bound(d, leaf)) {
		X509_STORE_CTX_set_error(sctx, X509_V_ERR_CERT_REJECTED);
		return 0;
	}
	return 1;
}

static gboolean on_deadline(gpointer p)
{
	struct dtls *d = p;

	d->deadline_timer = 0;
	if (!d->established)
		fail(d, DTLS_FAIL_HANDSHAKE_TIMEOUT, "handshake timed out");
	return G_SOURCE_REMOVE;
}

static void arm_retx(struct dtls *d);

static gboolean on_retx(gpointer p)
{
	struct dtls *d = p;

	d->retx_timer = 0;
	if (d->established || d->failed)
		return G_SOURCE_REMOVE;
	if (DTLSv1_handle_timeout(d->ssl) < 0) {
		log_ssl_errors("retransmit");
		fail(d, DTLS_FAIL_RETRANSMIT, "retransmission failed");
		return G_SOURCE_REMOVE;
	}
	flush_out(d);
	arm_retx(d);
	return G_SOURCE_REMOVE;
}

static void arm_retx(struct dtls *d)
{
	struct timeval tv;
	guint ms;

	if (d->retx_timer) {
		g_source_remove(d->retx_timer);
		d->retx_timer = 0;
	}
	if (d->established || d->failed || !DTLSv1_get_timeout(d->ssl, &tv))
		return;
	ms = tv.tv_sec * 1000 + (tv.tv_usec + 999) / 1000;
	d->retx_timer = g_timeout_add(ms ? ms : 1, on_retx, d);
}

/*
 * Retransmission timer: OpenSSL's default starts at 1 s, too slow when the
 * first flight is lost because the peer's ICE agent was not ready yet.
 * Start at 100 ms, double, cap at 2 s.
 */
static unsigned int retx_timer_cb(SSL *ssl, unsigned int prev_us)
{
	if (!prev_us)
		return 100000;
	return prev_us >= 1000000 ? 2000000 : prev_us * 2;
}

static SSL_CTX *make_ctx(const struct evpn_identity *id, struct dtls *d)
{
	SSL_CTX *ctx = SSL_CTX_new(DTLS_method());

	if (!ctx)
		return NULL;
	if (!SSL_CTX_set_min_proto_version(ctx, DTLS1_2_VERSION) ||
	    !SSL_CTX_set_cipher_list(ctx, "ECDHE-ECDSA-AES128-GCM-SHA256:"
				     "ECDHE-ECDSA-AES256-GCM-SHA384:"
				     "ECDHE-ECDSA-CHACHA20-POLY1305") ||
	    !SSL_CTX_set1_groups_list(ctx, "X25519:P-256") ||
	    SSL_CTX_use_certificate(ctx, id->cert) != 1 ||
	    SSL_CTX_use_PrivateKey(ctx, id->key) != 1)
		goto err;
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER |
			   SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
	SSL_CTX_set_cert_verify_callback(ctx, verify_fp, d);
	SSL_CTX_set_options(ctx, SSL_OP_NO_QUERY_MTU | SSL_OP_NO_TICKET |
			    SSL_OP_NO_RENEGOTIATION);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	return ctx;
err:
	log_ssl_errors("context");
	SSL_CTX_free(ctx);
	return NULL;
}

struct dtls *dtls_new(const struct evpn_identity *id, bool client,
		      const char *peer_fp, const struct evpn_id *peer_id,
		      const struct dtls_ops *ops, void *cb_ctx)
{
	struct dtls *d;
	BIO *wbio;

	if (!identity_fp_valid(peer_fp) || !peer_id)
		return NULL;
	d = g_new0(struct dtls, 1);
	g_queue_init(&d->outq);
	d->ops = ops;
	d->cb_ctx = cb_ctx;
	d->client = client;
	g_strlcpy(d->peer_fp, peer_fp, sizeof(d->peer_fp));
	d->peer_id = *peer_id;
	d->ctx = make_ctx(id, d);
	if (!d->ctx)
		goto err;
	d->ssl = SSL_new(d->ctx);
	d->rbio = BIO_new(BIO_s_mem());
	wbio = BIO_new(dgram_method_get());
	if (!d->ssl || !d->rbio || !wbio) {
		BIO_free(wbio);
		goto err;
	}
	BIO_set_mem_eof_return(d->rbio, -1);
	BIO_set_data(wbio, d);
	BIO_set_init(wbio, 1);
	SSL_set_bio(d->ssl, d->rbio, wbio);	/* SSL owns both now */
	SSL_set_mtu(d->ssl, DTLS_LINK_MTU);
	DTLS_set_link_mtu(d->ssl, DTLS_LINK_MTU);
	DTLS_set_timer_cb(d->ssl, retx_timer_cb);
	if (client)
		SSL_set_connect_state(d->ssl);
	else
		SSL_set_accept_state(d->ssl);
	return d;
err:
	log_ssl_errors("new");
	if (!d->ssl)
		BIO_free(d->rbio);
	dtls_free(d);
	return NULL;
}

void dtls_free(struct dtls *d)
{
	GBytes *b;

	if (!d)
		return;
	if (d->retx_timer)
		g_source_remove(d->retx_timer);
	if (d->deadline_timer)
		g_source_remove(d->deadline_timer);
	while ((b = g_queue_pop_head(&d->outq)))
		g_bytes_unref(b);
	SSL_free(d->ssl);
	SSL_CTX_free(d->ctx);
	g_free(d);
}

static void drive_handshake(struct dtls *d)
{
	int r = SSL_do_handshake(d->ssl);

	if (r == 1) {
		flush_out(d);
		d->established = true;
		if (d->retx_timer)
			g_source_remove(d->retx_timer);
		if (d->deadline_timer)
			g_source_remove(d->deadline_timer);
		d->retx_timer = d->deadline_timer = 0;
		g_message("dtls: handshake complete (%s, %s)",
			  SSL_get_version(d->ssl), SSL_get_cipher_name(d->ssl));
		d->ops->established(d->cb_ctx);
		return;
	}
	switch (SSL_get_error(d->ssl, r)) {
	case SSL_ERROR_WANT_READ:
	case SSL_ERROR_WANT_WRITE:
		flush_out(d);	/* e.g. our flight, or a fatal alert */
		arm_retx(d);
		return;
	default:
		log_ssl_errors("handshake");
		flush_out(d);	/* send the alert so the peer stops too */
		fail(d, DTLS_FAIL_HANDSHAKE, d->refused[0] ? d->refused :
		     "handshake failed");
	}
}

int dtls_start(struct dtls *d)
{
	d->deadline_timer = g_timeout_add(DTLS_HANDSHAKE_TIMEOUT_MS,
					  on_deadline, d);
	if (d->client)
		drive_handshake(d);
	return d->failed ? -1 : 0;
}

static void read_app_data(struct dtls *d)
{
	uint8_t buf[2048];
	int r;

	for (;;) {
		r = SSL_read(d->ssl, buf, sizeof(buf));
		if (r > 0) {
			d->ops->data(d->cb_ctx, buf, r);
			if (d->failed)
				return;
			continue;
		}
		switch (SSL_get_error(d->ssl, r)) {
		case SSL_ERROR_WANT_READ:
			flush_out(d);
			return;
		case SSL_ERROR_ZERO_RETURN:
			fail(d, DTLS_FAIL_CLOSED, "peer closed the DTLS session");
			return;
		default:
			/* A bad record (e.g. forged) is just dropped by DTLS;
			 * only a fatal alert ends up here. */
			log_ssl_errors("read");
			fail(d, DTLS_FAIL_SESSION, "DTLS session error");
			return;
		}
	}
}

void dtls_input(struct dtls *d, const uint8_t *buf, size_t len)
{
	if (d->failed || !len)
		return;
	(void)BIO_reset(d->rbio);	/* one datagram at a time */
	if (BIO_write(d->rbio, buf, len) != (int)len)
		return;
	if (!d->established)
		drive_handshake(d);
	if (d->established && !d->failed)
		read_app_data(d);
}

bool dtls_established(const struct dtls *d)
{
	return d->established && !d->failed;
}

int dtls_write(struct dtls *d, const void *buf, size_t len)
{
	int r;

	if (!dtls_established(d))
		return -1;
	r = SSL_write(d->ssl, buf, len);
	flush_out(d);
	if (r != (int)len) {
		log_ssl_errors("write");
		return -1;
	}
	return 0;
}

size_t dtls_overhead(const struct dtls *d)
{
	size_t data;

	if (!dtls_established(d))
		return 0;
	data = DTLS_get_data_mtu(d->ssl);
	return data && data < DTLS_LINK_MTU ? DTLS_LINK_MTU - data : 0;
}

int dtls_export(struct dtls *d, const uint8_t *context, size_t ctxlen,
		uint8_t *out, size_t len)
{
	if (!dtls_established(d))
		return -1;
	if (SSL_export_keying_material(d->ssl, out, len, DTLS_EXPORTER_LABEL,
				       strlen(DTLS_EXPORTER_LABEL), context,
				       ctxlen, context != NULL) != 1) {
		log_ssl_errors("export");
		return -1;
	}
	return 0;
}

const char *dtls_cipher(const struct dtls *d)
{
	return d->ssl ? SSL_get_cipher_name(d->ssl) : "";
}
