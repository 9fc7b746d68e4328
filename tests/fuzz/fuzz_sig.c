// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer target for the XMPP signalling parser (daemon/signalling.c):
 * the input is stanza text as a server would deliver it; libstrophe parses
 * it (xmpp_stanza_new_from_string) and the daemon's strict parsers read the
 * urn:evpn:0 payload: sig_parse (<link/>), sig_presence_parse (<node/>) and
 * sig_delay_age_ms (XEP-0203 <delay/>). A link message or presence that
 * parses must be one sig_build / sig_presence_build accepts, and rebuild
 * (through text) to the same struct.
 *
 *   make build/fuzz/fuzz_sig
 *   build/fuzz/fuzz_sig -max_total_time=10 tests/fuzz/corpus/fuzz_sig
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "signalling.h"
#include "fuzz.h"

#define FUZZ_MAX_INPUT	16384

static xmpp_ctx_t *ctx;

/* A parsed message survives sig_build -> text -> sig_parse unchanged
 * (through text, as a peer receives it: the <c/> children get their
 * namespace from the serialized parent). */
static void roundtrip(const struct sig_msg *m)
{
	xmpp_stanza_t *msg = xmpp_message_new(ctx, "headline", "a@b/c", NULL);
	xmpp_stanza_t *el = sig_build(ctx, m), *back;
	struct sig_msg again;
	size_t len;
	char *buf;

	ENSURE(msg && el);
	xmpp_stanza_add_child(msg, el);
	xmpp_stanza_release(el);
	ENSURE(!xmpp_stanza_to_text(msg, &buf, &len));
	xmpp_stanza_release(msg);
	back = xmpp_stanza_new_from_string(ctx, buf);
	xmpp_free(ctx, buf);
	ENSURE(back);
	ENSURE(sig_parse(back, &again) == SIG_OK);
	ENSURE(!memcmp(m, &again, sizeof(again)));
	xmpp_stanza_release(back);
}

/* The same for a presence. */
static void presence_roundtrip(const struct sig_presence *p)
{
	xmpp_stanza_t *pres = xmpp_presence_new(ctx);
	xmpp_stanza_t *el = sig_presence_build(ctx, p), *back;
	struct sig_presence again;
	size_t len;
	char *buf;

	ENSURE(p->suites && !(p->suites & ~SIG_SUITES_ALL));
	ENSURE(pres && el);
	xmpp_stanza_add_child(pres, el);
	xmpp_stanza_release(el);
	ENSURE(!xmpp_stanza_to_text(pres, &buf, &len));
	xmpp_stanza_release(pres);
	back = xmpp_stanza_new_from_string(ctx, buf);
	xmpp_free(ctx, buf);
	ENSURE(back);
	ENSURE(sig_presence_parse(back, &again) == SIG_OK);
	ENSURE(!memcmp(p, &again, sizeof(again)));
	xmpp_stanza_release(back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sig_presence p;
	struct sig_msg m;
	xmpp_stanza_t *st;
	char *text;
	int r;

	if (!ctx) {
		xmpp_initialize();
		ctx = xmpp_ctx_new(NULL, NULL);
	}
	if (size > FUZZ_MAX_INPUT)
		return -1;
	text = fuzz_text(data, size);
	st = xmpp_stanza_new_from_string(ctx, text);
	free(text);
	if (!st)
		return 0;
	r = sig_parse(st, &m);
	ENSURE(r == SIG_OK || r == SIG_E_NOT_OURS || r == SIG_E_MALFORMED ||
	       r == SIG_E_VERSION);
	if (r == SIG_OK)
		roundtrip(&m);
	r = sig_presence_parse(st, &p);
	ENSURE(r == SIG_OK || r == SIG_E_NOT_OURS || r == SIG_E_MALFORMED ||
	       r == SIG_E_VERSION);
	if (r == SIG_OK)
		presence_roundtrip(&p);
	r = (int)(sig_delay_age_ms(st, 1800000000LL * 1000000) / 1000);
	ENSURE(r >= 0 && r <= 86400);
	xmpp_stanza_release(st);
	return 0;
}
