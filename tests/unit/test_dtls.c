// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * dtls.c + identity.c: two endpoints wired back to back through in-memory
 * queues. Matching fingerprints give identical exported keys; a wrong
 * fingerprint makes the handshake fail on the side that checks it.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>

#include "dtls.h"
#include "identity.h"
#include "unit.h"

struct end {
	struct dtls *d;
	GQueue *to_peer;
	int established;
	int failed;
	int sent;
	char data[64];
};

static int ep_send(void *ctx, const void *buf, size_t len)
{
	struct end *e = ctx;

	e->sent++;
	g_queue_push_tail(e->to_peer, g_bytes_new(buf, len));
	return 0;
}

static void ep_established(void *ctx)
{
	((struct end *)ctx)->established++;
}

static void ep_data(void *ctx, const uint8_t *buf, size_t len)
{
	struct end *e = ctx;

	ck_assert_uint_lt(len, sizeof(e->data));
	memcpy(e->data, buf, len);
	e->data[len] = 0;
}

static void ep_failed(void *ctx, enum dtls_fail reason, const char *why)
{
	((struct end *)ctx)->failed++;
}

static const struct dtls_ops ops = {
	.send = ep_send, .established = ep_established,
	.data = ep_data, .failed = ep_failed,
};

static GQueue q_ab, q_ba;	/* a->b, b->a */

static void deliver(GQueue *q, struct end *to, int drop_every)
{
	GBytes *b;
	int n = 0;

	while ((b = g_queue_pop_head(q))) {
		gsize len;
		const uint8_t *p = g_bytes_get_data(b, &len);

		if (!drop_every || ++n % drop_every)
			dtls_input(to->d, p, len);
		g_bytes_unref(b);
	}
}

static void pump(struct end *a, struct end *b)
{
	int i;

	for (i = 0; i < 50 && (q_ab.length || q_ba.length); i++) {
		deliver(&q_ab, b, 0);
		deliver(&q_ba, a, 0);
	}
}

static struct evpn_identity ida, idb, idm;

static void setup(void)
{
	ck_assert_int_eq(identity_generate(&ida, "a"), 0);
	ck_assert_int_eq(identity_generate(&idb, "b"), 0);
	ck_assert_int_eq(identity_generate(&idm, "mallory"), 0);
	g_queue_init(&q_ab);
	g_queue_init(&q_ba);
}

static void teardown(void)
{
	g_queue_clear_full(&q_ab, (GDestroyNotify)g_bytes_unref);
	g_queue_clear_full(&q_ba, (GDestroyNotify)g_bytes_unref);
	identity_free(&ida);
	identity_free(&idb);
	identity_free(&idm);
}

START_TEST(handshake_and_export)
{
	struct end a = { .to_peer = &q_ab }, b = { .to_peer = &q_ba };
	uint8_t ka[DTLS_EXPORT_LEN], kb[DTLS_EXPORT_LEN], k2[DTLS_EXPORT_LEN];
	const uint8_t ctx0[4] = { 0, 0, 0, 0 }, ctx1[4] = { 0, 0, 0, 1 };

	a.d = dtls_new(&ida, true, idb.fingerprint, &idb.node_id, &ops, &a);
	b.d = dtls_new(&idb, false, ida.fingerprint, &ida.node_id, &ops, &b);
	ck_assert_ptr_nonnull(a.d);
	ck_assert_ptr_nonnull(b.d);
	ck_assert_int_eq(dtls_export(a.d, ctx0, 4, ka, sizeof(ka)), -1);
	ck_assert_int_eq(dtls_start(b.d), 0);
	ck_assert_int_eq(dtls_start(a.d), 0);
	pump(&a, &b);
	ck_assert_int_eq(a.established, 1);
	ck_assert_int_eq(b.established, 1);
	ck_assert_int_eq(a.failed + b.failed, 0);

	ck_assert_int_eq(dtls_export(a.d, ctx0, 4, ka, sizeof(ka)), 0);
	ck_assert_int_eq(dtls_export(b.d, ctx0, 4, kb, sizeof(kb)), 0);
	ck_assert_mem_eq(ka, kb, sizeof(ka));
	/* A new context (rekey epoch) gives unrelated material. */
	ck_assert_int_eq(dtls_export(a.d, ctx1, 4, k2, sizeof(k2)), 0);
	ck_assert(memcmp(ka, k2, sizeof(ka)) != 0);

	/* In-band application data both ways. */
	ck_assert_int_eq(dtls_write(a.d, "hello", 5), 0);
	ck_assert_int_eq(dtls_write(b.d, "world", 5), 0);
	pump(&a, &b);
	ck_assert_str_eq(b.data, "hello");
	ck_assert_str_eq(a.data, "world");

	/* Garbage after the handshake is dropped, not fatal. */
	dtls_input(b.d, (const uint8_t *)"\x17\xfe\xfd garbage garbage", 20);
	ck_assert_int_eq(b.failed, 0);
	ck_assert(dtls_established(b.d));
	dtls_free(a.d);
	dtls_free(b.d);
}
END_TEST

/* Mallory answers in place of b, with her own certificate: a refuses. */
START_TEST(wrong_fingerprint_refused)
{
	struct end a = { .to_peer = &q_ab }, m = { .to_peer = &q_ba };

	a.d = dtls_new(&ida, true, idb.fingerprint, &idb.node_id, &ops, &a);
	m.d = dtls_new(&idm, false, ida.fingerprint, &ida.node_id, &ops, &m);
	ck_assert_int_eq(dtls_start(m.d), 0);
	ck_assert_int_eq(dtls_start(a.d), 0);
	pump(&a, &m);
	ck_assert_int_eq(a.established, 0);
	ck_assert_int_eq(a.failed, 1);
	ck_assert_int_eq(m.established, 0);
	dtls_free(a.d);
	dtls_free(m.d);
}
END_TEST

/* The server checks the client too (mutual authentication). */
START_TEST(wrong_client_refused)
{
	struct end m = { .to_peer = &q_ab }, b = { .to_peer = &q_ba };

	m.d = dtls_new(&idm, true, idb.fingerprint, &idb.node_id, &ops, &m);
	b.d = dtls_new(&idb, false, ida.fingerprint, &ida.node_id, &ops, &b);
	ck_assert_int_eq(dtls_start(b.d), 0);
	ck_assert_int_eq(dtls_start(m.d), 0);
	pump(&m, &b);
	ck_assert_int_eq(b.established, 0);
	ck_assert_int_eq(b.failed, 1);
	dtls_free(m.d);
	dtls_free(b.d);
}
END_TEST

/*
 * Issue 11 item 1: Mallory presents her own certificate, with the matching
 * fingerprint, but claims a node ID her key does not hash to (b's, say, or
 * one next to a target). The side that checks refuses, as client and as
 * server; with her real ID the same handshake succeeds.
 */
static void claim(bool m_client, const struct evpn_id *claimed, bool ok)
{
	struct end m = { .to_peer = m_client ? &q_ab : &q_ba };
	struct end x = { .to_peer = m_client ? &q_ba : &q_ab };

	m.d = dtls_new(&idm, m_client, ida.fingerprint, &ida.node_id, &ops, &m);
	x.d = dtls_new(&ida, !m_client, idm.fingerprint, claimed, &ops, &x);
	ck_assert_int_eq(dtls_start(m_client ? x.d : m.d), 0);
	ck_assert_int_eq(dtls_start(m_client ? m.d : x.d), 0);
	if (m_client)
		pump(&m, &x);
	else
		pump(&x, &m);
	ck_assert_int_eq(x.established, ok);
	ck_assert_int_eq(x.failed, !ok);
	dtls_free(m.d);
	dtls_free(x.d);
}

START_TEST(unbound_id_refused)
{
	struct evpn_id near = idm.node_id;

	near.lo ^= 1;		/* one bit off her key's ID */
	claim(true, &idb.node_id, false);
	claim(false, &idb.node_id, false);
	claim(true, &near, false);
	claim(false, &near, false);
	claim(true, &idm.node_id, true);
	claim(false, &idm.node_id, true);
	ck_assert_ptr_null(dtls_new(&ida, true, idb.fingerprint, NULL, &ops, NULL));
}
END_TEST

/* Lost packets: the retransmission timer (GLib) recovers. */
START_TEST(retransmit_after_loss)
{
	struct end a = { .to_peer = &q_ab }, b = { .to_peer = &q_ba };
	gint64 end = g_get_monotonic_time() + 8 * G_USEC_PER_SEC;

	a.d = dtls_new(&ida, true, idb.fingerprint, &idb.node_id, &ops, &a);
	b.d = dtls_new(&idb, false, ida.fingerprint, &ida.node_id, &ops, &b);
	dtls_start(b.d);
	dtls_start(a.d);
	/* Drop the ClientHello. */
	g_queue_clear_full(&q_ab, (GDestroyNotify)g_bytes_unref);
	while (!(a.established && b.established) && g_get_monotonic_time() < end) {
		g_main_context_iteration(NULL, TRUE);
		pump(&a, &b);
	}
	ck_assert_int_eq(a.established, 1);
	ck_assert_int_eq(b.established, 1);
	ck_assert_int_ge(a.sent, 3);	/* ClientHello twice + Finished */
	dtls_free(a.d);
	dtls_free(b.d);
}
END_TEST

START_TEST(malformed_input)
{
	struct end b = { .to_peer = &q_ba };
	uint8_t junk[300];
	int i;

	b.d = dtls_new(&idb, false, ida.fingerprint, &ida.node_id, &ops, &b);
	dtls_start(b.d);
	for (i = 0; i < 200; i++) {
		size_t j, len = g_random_int_range(1, sizeof(junk));

		for (j = 0; j < len; j++)
			junk[j] = g_random_int();
		junk[0] = 22;
		dtls_input(b.d, junk, len);
	}
	ck_assert_int_eq(b.established, 0);
	dtls_free(b.d);
	ck_assert_ptr_null(dtls_new(&idb, false, "nonsense", &ida.node_id, &ops, &b));
}
END_TEST

START_TEST(identity_persisted)
{
	char dir[] = "/tmp/evpn-idtest-XXXXXX";
	struct evpn_identity x, y;
	struct stat st;
	char *path;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(identity_load_or_create(&x, dir, "n"), 0);
	path = g_build_filename(dir, "identity.pem", NULL);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	ck_assert_int_eq(identity_load_or_create(&y, dir, "n"), 0);
	ck_assert_str_eq(x.fingerprint, y.fingerprint);
	ck_assert(identity_fp_valid(x.fingerprint));
	ck_assert(identity_fp_equal(x.fingerprint, y.fingerprint));
	ck_assert(!identity_fp_equal(x.fingerprint, ida.fingerprint));
	identity_free(&x);
	identity_free(&y);
	unlink(path);
	rmdir(dir);
	g_free(path);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("dtls");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, handshake_and_export);
	tcase_add_test(tc, wrong_fingerprint_refused);
	tcase_add_test(tc, wrong_client_refused);
	tcase_add_test(tc, unbound_id_refused);
	tcase_add_test(tc, retransmit_after_loss);
	tcase_add_test(tc, malformed_input);
	tcase_add_test(tc, identity_persisted);
	suite_add_tcase(s, tc);
	return unit_run(s, false) ? EXIT_FAILURE : EXIT_SUCCESS;
}
