// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * signal.c: every payload round-trips; malformed, unknown or oversized
 * input is rejected (never a crash).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e.h"
#include "signalling.h"
#include "unit.h"

static xmpp_ctx_t *ctx;

static void setup(void)
{
	xmpp_initialize();
	ctx = xmpp_ctx_new(NULL, NULL);
}

static void teardown(void)
{
	xmpp_ctx_free(ctx);
	xmpp_shutdown();
}

#define FP "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89"
#define IDA "0123456789abcdef0123456789abcdef"
#define IDB "fedcba9876543210fedcba9876543210"

/* Wrap @el in a <message>, serialize, reparse from text (as received). */
static xmpp_stanza_t *through_text(xmpp_stanza_t *el)
{
	xmpp_stanza_t *msg = xmpp_message_new(ctx, "headline", "b@x/r", NULL);
	xmpp_stanza_t *back;
	char *buf;
	size_t len;

	xmpp_stanza_add_child_ex(msg, el, 0);
	ck_assert_int_eq(xmpp_stanza_to_text(msg, &buf, &len), 0);
	xmpp_stanza_release(msg);
	back = xmpp_stanza_new_from_string(ctx, buf);
	xmpp_free(ctx, buf);
	ck_assert_ptr_nonnull(back);
	return back;
}

static xmpp_stanza_t *from_text(const char *payload)
{
	char *s = malloc(strlen(payload) + 64);
	xmpp_stanza_t *st;

	sprintf(s, "<message type='headline'>%s</message>", payload);
	st = xmpp_stanza_new_from_string(ctx, s);
	free(s);
	return st;
}

START_TEST(presence_roundtrip)
{
	struct sig_presence p = { .suites = SIG_SUITES_ALL }, q;
	xmpp_stanza_t *st;

	evpn_id_from_hex(&p.id, IDA);
	strcpy(p.fp, FP);
	st = through_text(sig_presence_build(ctx, &p));
	ck_assert_int_eq(sig_presence_parse(st, &q), SIG_OK);
	ck_assert(evpn_id_eq(&p.id, &q.id));
	ck_assert_str_eq(q.fp, FP);
	ck_assert_uint_eq(q.suites, SIG_SUITES_ALL);
	xmpp_stanza_release(st);
}
END_TEST

/* The e2e key in presence: it survives the XML round trip, verifies
 * against the ID it is bound to, and nothing else verifies. */
START_TEST(presence_e2e)
{
	struct evpn_identity a, b;
	struct sig_presence p = { .suites = SIG_SUITES_ALL }, q, o;
	xmpp_stanza_t *st;

	ck_assert_int_eq(identity_generate(&a, NULL), 0);
	ck_assert_int_eq(identity_generate(&b, NULL), 0);
	ck_assert_int_eq(e2e_keygen(), 0);
	p.id = a.node_id;
	strcpy(p.fp, a.fingerprint);
	ck_assert_int_eq(e2e_presence_fill(&a, &p), 0);
	st = through_text(sig_presence_build(ctx, &p));
	ck_assert_int_eq(sig_presence_parse(st, &q), SIG_OK);
	xmpp_stanza_release(st);
	ck_assert(q.has_e2e);
	ck_assert_mem_eq(q.e2e_pub, p.e2e_pub, SIG_E2E_PUB_LEN);
	ck_assert(e2e_presence_verify(&q));
	/* another ID */
	o = q;
	o.id.lo ^= 1;
	ck_assert(!e2e_presence_verify(&o));
	/* another public key */
	o = q;
	o.e2e_pub[5] ^= 1;
	ck_assert(!e2e_presence_verify(&o));
	/* a member signing for someone else's ID with its own key */
	o = q;
	o.id = b.node_id;
	ck_assert(!e2e_presence_verify(&o));
	o.id = a.node_id;
	ck_assert_int_eq(e2e_presence_fill(&b, &o), 0);	/* b's SPKI, sig */
	ck_assert(!e2e_presence_verify(&o));
	/* the key's point altered (off the curve, or another key: the ID
	 * it hashes to changes either way), or the SPKI cut short */
	o = q;
	o.spki[o.spki_len - 1] ^= 1;
	ck_assert(!e2e_presence_verify(&o));
	o = q;
	o.spki_len--;
	ck_assert(!e2e_presence_verify(&o));
	/* no e2e key: nothing to verify */
	o = q;
	o.has_e2e = false;
	ck_assert(!e2e_presence_verify(&o));
	identity_free(&a);
	identity_free(&b);
}
END_TEST

static void fill(struct sig_msg *m, enum sig_type t)
{
	memset(m, 0, sizeof(*m));
	m->type = t;
	evpn_id_from_hex(&m->from, IDA);
	evpn_id_from_hex(&m->to, IDB);
	m->sid = 0xdeadbeef;
	strcpy(m->ufrag, "abcd");
	strcpy(m->pwd, "abcdefghijklmnopqrstuv+/");
	m->suites = t == SIG_ACCEPT ? SIG_SUITE_CHACHA20POLY1305 : SIG_SUITES_ALL;
	if (t == SIG_CANDIDATES) {
		m->ncands = 2;
		strcpy(m->cands[0], "candidate:1 1 UDP 2013266431 10.1.0.2 40000 typ host");
		strcpy(m->cands[1], "candidate:2 1 UDP 1677721855 203.0.113.1 20001 typ srflx raddr 10.1.0.2 rport 40000");
	}
	if (t == SIG_CLOSE)
		strcpy(m->reason, "ice failed");
}

START_TEST(msg_roundtrip)
{
	struct sig_msg m, r;
	xmpp_stanza_t *st;

	fill(&m, _i);
	st = through_text(sig_build(ctx, &m));
	ck_assert_int_eq(sig_parse(st, &r), SIG_OK);
	ck_assert_int_eq(r.type, m.type);
	ck_assert(evpn_id_eq(&r.from, &m.from));
	ck_assert(evpn_id_eq(&r.to, &m.to));
	ck_assert_uint_eq(r.sid, m.sid);
	if (_i == SIG_REQUEST || _i == SIG_ACCEPT) {
		ck_assert_str_eq(r.ufrag, m.ufrag);
		ck_assert_str_eq(r.pwd, m.pwd);
		ck_assert_uint_eq(r.suites, m.suites);
	}
	if (_i == SIG_CANDIDATES) {
		ck_assert_int_eq(r.ncands, 2);
		ck_assert_str_eq(r.cands[1], m.cands[1]);
	}
	if (_i == SIG_CLOSE)
		ck_assert_str_eq(r.reason, "ice failed");
	xmpp_stanza_release(st);
}
END_TEST

START_TEST(build_rejects_inconsistent)
{
	struct sig_msg m;

	fill(&m, SIG_ACCEPT);
	m.suites = SIG_SUITES_ALL;		/* answer must pick one */
	ck_assert_ptr_null(sig_build(ctx, &m));
	fill(&m, SIG_REQUEST);
	strcpy(m.ufrag, "a b!");
	ck_assert_ptr_null(sig_build(ctx, &m));
	fill(&m, SIG_CANDIDATES);
	m.ncands = 0;
	ck_assert_ptr_null(sig_build(ctx, &m));
}
END_TEST

#define HDR "xmlns='urn:evpn:0' v='0' from-id='" IDA "' to-id='" IDB "' sid='0000abcd'"
static const char *const bad_msgs[] = {
	"<link xmlns='urn:evpn:0' v='0' type='eoc'/>",
	"<link " HDR " type='nonsense'/>",
	"<link " HDR "/>",
	"<link " HDR " type='end-of-candidates' extra='1'/>",
	"<link " HDR " type='end-of-candidates'><x/></link>",
	"<link xmlns='urn:evpn:0' v='1' type='end-of-candidates' from-id='" IDA "' to-id='" IDB "' sid='0000abcd'/>",
	"<link xmlns='urn:evpn:0' type='end-of-candidates' from-id='" IDA "' to-id='" IDB "' sid='0000abcd'/>",
	"<link xmlns='urn:evpn:0' v='0' type='end-of-candidates' from-id='xyz' to-id='" IDB "' sid='0000abcd'/>",
	"<link xmlns='urn:evpn:0' v='0' type='end-of-candidates' from-id='" IDA "' to-id='" IDB "' sid='ABCD'/>",
	"<link " HDR " type='request' ufrag='abcd' pwd='short' suites='aes256gcm'/>",
	"<link " HDR " type='request' ufrag='ab' pwd='abcdefghijklmnopqrstuvwxyz' suites='aes256gcm'/>",
	"<link " HDR " type='request' ufrag='abcd' pwd='abcdefghijklmnopqrstuvwxyz' suites='rot13'/>",
	"<link " HDR " type='request' ufrag='abcd' pwd='abcdefghijklmnopqrstuvwxyz' suites='aes256gcm aes256gcm'/>",
	"<link " HDR " type='request' ufrag='abcd' pwd='abcdefghijklmnopqrstuvwxyz'/>",
	"<link " HDR " type='accept' ufrag='abcd' pwd='abcdefghijklmnopqrstuvwxyz' suites='aes256gcm chacha20poly1305'/>",
	"<link " HDR " type='candidates'/>",
	"<link " HDR " type='candidates'><c a='garbage'/></link>",
	"<link " HDR " type='candidates'><c a='candidate:1 1 UDP 1 1.2.3.4 5 typ host'>x</c></link>",
	"<link " HDR " type='candidates'><d a='candidate:1 1 UDP 1 1.2.3.4 5 typ host'/></link>",
	"<link " HDR " type='candidates'>text<c a='candidate:1 1 UDP 1 1.2.3.4 5 typ host'/></link>",
	"<link " HDR " type='candidates'>"
	"<c a='candidate:1 1 UDP 1 1.2.3.4 5 typ host'/><c a='candidate:1 1 UDP 1 1.2.3.4 5 typ host'/>"
	"<c a='candidate:1 1 UDP 1 1.2.3.4 5 typ host'/><c a='candidate:1 1 UDP 1 1.2.3.4 5 typ host'/>"
	"<c a='candidate:1 1 UDP 1 1.2.3.4 5 typ host'/><c a='candidate:1 1 UDP 1 1.2.3.4 5 typ host'/>"
	"<c a='candidate:1 1 UDP 1 1.2.3.4 5 typ host'/><c a='candidate:1 1 UDP 1 1.2.3.4 5 typ host'/>"
	"<c a='candidate:1 1 UDP 1 1.2.3.4 5 typ host'/></link>",
	"<link " HDR " type='end-of-candidates'/><link " HDR " type='end-of-candidates'/>",
	"<node xmlns='urn:evpn:0' v='0'/>",
};

/* Every case is well-formed XML, so it reaches sig_parse and is judged. */
START_TEST(msg_malformed)
{
	xmpp_stanza_t *st = from_text(bad_msgs[_i]);
	struct sig_msg m;
	int r;

	ck_assert_msg(st != NULL, "case #%d is not XML: it would test the XML "
		      "parser, not sig_parse: %s", _i, bad_msgs[_i]);
	r = sig_parse(st, &m);
	ck_assert_msg(r == SIG_E_MALFORMED || r == SIG_E_VERSION,
		      "accepted #%d: %s", _i, bad_msgs[_i]);
	xmpp_stanza_release(st);
}
END_TEST

/*
 * A control character in a close reason: as text (&#x7;) XML 1.0 forbids it
 * and the parser drops the stanza before sig_parse; a stanza built in
 * memory carries it to sig_parse, which must reject it itself.
 */
START_TEST(msg_control_char)
{
	xmpp_stanza_t *st;
	struct sig_msg m;

	ck_assert_ptr_null(from_text("<link " HDR " type='close' reason='&#x7;'/>"));
	st = from_text("<link " HDR " type='close' reason='bye'/>");
	ck_assert_ptr_nonnull(st);
	ck_assert_int_eq(sig_parse(st, &m), SIG_OK);
	xmpp_stanza_set_attribute(xmpp_stanza_get_child_by_name(st, "link"),
				  "reason", "bye\x07");
	ck_assert_int_eq(sig_parse(st, &m), SIG_E_MALFORMED);
	xmpp_stanza_release(st);
}
END_TEST

START_TEST(not_ours)
{
	xmpp_stanza_t *st = from_text("<body>hi</body><link xmlns='urn:other'/>");
	struct sig_msg m;
	struct sig_presence p;

	ck_assert_int_eq(sig_parse(st, &m), SIG_E_NOT_OURS);
	ck_assert_int_eq(sig_presence_parse(st, &p), SIG_E_NOT_OURS);
	xmpp_stanza_release(st);
}
END_TEST

static const char *const bad_presence[] = {
	"<node xmlns='urn:evpn:0' v='0' id='" IDA "' fp='" FP "'/>",
	"<node xmlns='urn:evpn:0' v='0' id='00000000000000000000000000000000' fp='" FP "' suites='aes256gcm'/>",
	"<node xmlns='urn:evpn:0' v='0' id='" IDA "' fp='AB:CD' suites='aes256gcm'/>",
	"<node xmlns='urn:evpn:0' v='0' id='" IDA "' fp='" FP "' suites='aes256gcm' x='y'/>",
	"<node xmlns='urn:evpn:0' v='0' id='" IDA "0' fp='" FP "' suites='aes256gcm'/>",
	"<node xmlns='urn:evpn:0' v='0' id='" IDA "' fp='" FP "' suites='aes256gcm'><a/></node>",
	/* e2e: all three attributes or none, sizes bounded */
	"<node xmlns='urn:evpn:0' v='0' id='" IDA "' fp='" FP "' suites='aes256gcm' e2e='AAAA'/>",
	"<node xmlns='urn:evpn:0' v='0' id='" IDA "' fp='" FP "' suites='aes256gcm' e2e='AAAA' e2e-sig='AAAAAAAAAAAA' spki='AAAAAAAAAAAAAAAAAAAAAAAA'/>",
	"<node xmlns='urn:evpn:0' v='0' id='" IDA "' fp='" FP "' suites='aes256gcm' e2e='AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' e2e-sig='!!' spki='AAAAAAAAAAAAAAAAAAAAAAAA'/>",
};

START_TEST(presence_malformed)
{
	xmpp_stanza_t *st = from_text(bad_presence[_i]);
	struct sig_presence p;

	ck_assert_ptr_nonnull(st);
	ck_assert_int_eq(sig_presence_parse(st, &p), SIG_E_MALFORMED);
	xmpp_stanza_release(st);
}
END_TEST

/* XEP-0203 stamps on replayed presences give their age; anything else 0. */
START_TEST(delay_age)
{
	static const struct { const char *child; int64_t age; } c[] = {
		{ "<delay xmlns='urn:xmpp:delay' from='x' stamp='2026-11-25T08:00:00Z'/>", 30000 },
		{ "<delay xmlns='urn:xmpp:delay' stamp='2026-11-25T08:00:29.500Z'/>", 500 },
		{ "<delay xmlns='urn:xmpp:delay' stamp='2026-11-25T09:00:00Z'/>", 0 },
		{ "<delay xmlns='urn:xmpp:delay' stamp='2026-11-20T08:00:30Z'/>", 86400000 },
		{ "<delay xmlns='urn:xmpp:delay' stamp='2026-11-25T08:00:00'/>", 0 },
		{ "<delay xmlns='urn:xmpp:delay' stamp='garbage'/>", 0 },
		{ "<delay xmlns='urn:xmpp:delay'/>", 0 },
		{ "<x xmlns='urn:xmpp:delay' stamp='2026-11-25T08:00:00Z'/>", 0 },
		{ "<delay xmlns='jabber:x:delay' stamp='2026-11-25T08:00:00Z'/>", 0 },
		{ "", 0 },
	};
	/* 2026-11-25T08:00:30Z */
	int64_t now = (int64_t)1795593630 * 1000000;
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		char buf[256];
		xmpp_stanza_t *st;

		snprintf(buf, sizeof(buf), "<presence>%s</presence>", c[i].child);
		st = xmpp_stanza_new_from_string(ctx, buf);
		ck_assert_ptr_nonnull(st);
		ck_assert_msg(sig_delay_age_ms(st, now) == c[i].age, "case %zu: %lld",
			      i, (long long)sig_delay_age_ms(st, now));
		xmpp_stanza_release(st);
	}
}
END_TEST

/* Random mutations of a valid payload: parse must not crash. */
START_TEST(fuzz_mutations)
{
	const char *base = "<link " HDR " type='candidates'><c a='candidate:1 1 UDP 1 1.2.3.4 5 typ host'/></link>";
	char buf[512];
	int i, ok = 0;

	srand(1);
	for (i = 0; i < 3000; i++) {
		xmpp_stanza_t *st;
		struct sig_msg m;
		size_t j, n = strlen(base);

		strcpy(buf, base);
		for (j = 0; j < 3; j++)
			buf[rand() % n] = "<>'=a /&0x"[rand() % 10];
		st = from_text(buf);
		if (!st)
			continue;
		if (sig_parse(st, &m) == SIG_OK)
			ok++;
		xmpp_stanza_release(st);
	}
	ck_assert_int_lt(ok, 3000);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("signal");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, presence_roundtrip);
	tcase_add_test(tc, presence_e2e);
	tcase_add_loop_test(tc, msg_roundtrip, 0, __SIG_MAX);
	tcase_add_test(tc, build_rejects_inconsistent);
	tcase_add_loop_test(tc, msg_malformed, 0,
			    sizeof(bad_msgs) / sizeof(bad_msgs[0]));
	tcase_add_loop_test(tc, presence_malformed, 0,
			    sizeof(bad_presence) / sizeof(bad_presence[0]));
	tcase_add_test(tc, msg_control_char);
	tcase_add_test(tc, not_ours);
	tcase_add_test(tc, fuzz_mutations);
	tcase_add_test(tc, delay_age);
	suite_add_tcase(s, tc);
	return unit_run(s, false) ? EXIT_FAILURE : EXIT_SUCCESS;
}
