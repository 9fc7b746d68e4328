// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * urn:evpn:0 payloads: build and strictly parse (docs/signalling.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "signalling.h"

static const char *const type_names[__SIG_MAX] = {
	[SIG_REQUEST] = "request",
	[SIG_ACCEPT] = "accept",
	[SIG_CANDIDATES] = "candidates",
	[SIG_EOC] = "end-of-candidates",
	[SIG_CLOSE] = "close",
};

const char *sig_type_name(enum sig_type t)
{
	return t < __SIG_MAX ? type_names[t] : "?";
}

/* RFC 5245 ice-char: ALPHA / DIGIT / "+" / "/" */
static bool ice_chars(const char *s, size_t min, size_t max)
{
	size_t n = strlen(s), i;

	if (n < min || n > max)
		return false;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '+' || c == '/'))
			return false;
	}
	return true;
}

static bool printable(const char *s, size_t min, size_t max)
{
	size_t n = strlen(s), i;

	if (n < min || n > max)
		return false;
	for (i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			return false;
	return true;
}

static bool valid_candidate(const char *s)
{
	return printable(s, 12, SIG_CAND_MAX) && !strncmp(s, "candidate:", 10);
}

static xmpp_stanza_t *new_el(xmpp_ctx_t *ctx, const char *name)
{
	xmpp_stanza_t *el = xmpp_stanza_new(ctx);

	if (el) {
		xmpp_stanza_set_name(el, name);
		xmpp_stanza_set_ns(el, EVPN_NS);
		xmpp_stanza_set_attribute(el, "v", "0");
	}
	return el;
}

xmpp_stanza_t *sig_presence_build(xmpp_ctx_t *ctx, const struct sig_presence *p)
{
	char hex[EVPN_ID_HEXLEN + 1], suites[64];
	xmpp_stanza_t *el;

	if (!identity_fp_valid(p->fp) || !(p->suites & SIG_SUITES_ALL))
		return NULL;
	el = new_el(ctx, "node");
	if (!el)
		return NULL;
	evpn_id_to_hex(&p->id, hex);
	sig_suites_format(p->suites, suites, sizeof(suites));
	xmpp_stanza_set_attribute(el, "id", hex);
	xmpp_stanza_set_attribute(el, "fp", p->fp);
	xmpp_stanza_set_attribute(el, "suites", suites);
	return el;
}

static bool msg_consistent(const struct sig_msg *m)
{
	int i;

	switch (m->type) {
	case SIG_REQUEST:
	case SIG_ACCEPT:
		if (!ice_chars(m->ufrag, 4, SIG_UFRAG_MAX) ||
		    !ice_chars(m->pwd, 22, SIG_PWD_MAX) ||
		    !(m->suites & SIG_SUITES_ALL) || (m->suites & ~SIG_SUITES_ALL))
			return false;
		/* the answer picks exactly one suite */
		return m->type == SIG_REQUEST || !(m->suites & (m->suites - 1));
	case SIG_CANDIDATES:
		if (m->ncands < 1 || m->ncands > SIG_MAX_CANDS)
			return false;
		for (i = 0; i < m->ncands; i++)
			if (!valid_candidate(m->cands[i]))
				return false;
		return true;
	case SIG_EOC:
		return true;
	case SIG_CLOSE:
		return printable(m->reason, 0, SIG_REASON_MAX);
	default:
		return false;
	}
}

xmpp_stanza_t *sig_build(xmpp_ctx_t *ctx, const struct sig_msg *m)
{
	char hex[EVPN_ID_HEXLEN + 1], buf[64];
	xmpp_stanza_t *el, *c;
	int i;

	if (!msg_consistent(m))
		return NULL;
	el = new_el(ctx, "link");
	if (!el)
		return NULL;
	xmpp_stanza_set_attribute(el, "type", type_names[m->type]);
	evpn_id_to_hex(&m->from, hex);
	xmpp_stanza_set_attribute(el, "from-id", hex);
	evpn_id_to_hex(&m->to, hex);
	xmpp_stanza_set_attribute(el, "to-id", hex);
	snprintf(buf, sizeof(buf), "%08x", m->sid);
	xmpp_stanza_set_attribute(el, "sid", buf);
	switch (m->type) {
	case SIG_REQUEST:
	case SIG_ACCEPT:
		xmpp_stanza_set_attribute(el, "ufrag", m->ufrag);
		xmpp_stanza_set_attribute(el, "pwd", m->pwd);
		sig_suites_format(m->suites, buf, sizeof(buf));
		xmpp_stanza_set_attribute(el, "suites", buf);
		break;
	case SIG_CANDIDATES:
		for (i = 0; i < m->ncands; i++) {
			c = xmpp_stanza_new(ctx);
			xmpp_stanza_set_name(c, "c");
			xmpp_stanza_set_attribute(c, "a", m->cands[i]);
			xmpp_stanza_add_child_ex(el, c, 0);
		}
		break;
	case SIG_CLOSE:
		if (m->reason[0])
			xmpp_stanza_set_attribute(el, "reason", m->reason);
		break;
	default:
		break;
	}
	return el;
}

/* True if every attribute of @el is in @allowed (NULL-terminated). */
static bool attrs_allowed(xmpp_stanza_t *el, const char *const *allowed)
{
	const char *attrs[32];
	int n, i, j;

	n = xmpp_stanza_get_attribute_count(el);
	if (n < 0 || n > 16)
		return false;
	n = xmpp_stanza_get_attributes(el, attrs, 32);
	for (i = 0; i < n; i += 2) {
		for (j = 0; allowed[j]; j++)
			if (!strcmp(attrs[i], allowed[j]))
				break;
		if (!allowed[j])
			return false;
	}
	return true;
}

/* The single urn:evpn:0 child named @name (none or two -> NULL / error). */
static int find_payload(xmpp_stanza_t *stanza, const char *name,
			xmpp_stanza_t **out)
{
	xmpp_stanza_t *c;
	int n = 0;

	*out = NULL;
	for (c = xmpp_stanza_get_children(stanza); c; c = xmpp_stanza_get_next(c)) {
		const char *ns;

		if (!xmpp_stanza_is_tag(c))
			continue;
		ns = xmpp_stanza_get_ns(c);
		if (!ns || strcmp(ns, EVPN_NS))
			continue;
		if (strcmp(xmpp_stanza_get_name(c), name) || n++)
			return SIG_E_MALFORMED;
		*out = c;
	}
	return *out ? SIG_OK : SIG_E_NOT_OURS;
}

static int check_version(xmpp_stanza_t *el)
{
	const char *v = xmpp_stanza_get_attribute(el, "v");

	if (!v)
		return SIG_E_MALFORMED;
	return strcmp(v, "0") ? SIG_E_VERSION : SIG_OK;
}

static int copy_attr(xmpp_stanza_t *el, const char *name, char *out,
		     size_t size)
{
	const char *v = xmpp_stanza_get_attribute(el, name);

	if (!v || strlen(v) >= size)
		return -1;
	strcpy(out, v);
	return 0;
}

int sig_presence_parse(xmpp_stanza_t *stanza, struct sig_presence *p)
{
	static const char *const allowed[] = { "xmlns", "v", "id", "fp",
					       "suites", NULL };
	xmpp_stanza_t *el;
	const char *v;
	int r;

	memset(p, 0, sizeof(*p));
	r = find_payload(stanza, "node", &el);
	if (r)
		return r;
	r = check_version(el);
	if (r)
		return r;
	if (!attrs_allowed(el, allowed) || xmpp_stanza_get_children(el))
		return SIG_E_MALFORMED;
	v = xmpp_stanza_get_attribute(el, "id");
	if (!v || evpn_id_from_hex(&p->id, v) || evpn_id_is_zero(&p->id))
		return SIG_E_MALFORMED;
	if (copy_attr(el, "fp", p->fp, sizeof(p->fp)) || !identity_fp_valid(p->fp))
		return SIG_E_MALFORMED;
	v = xmpp_stanza_get_attribute(el, "suites");
	if (!v || sig_suites_parse(v, &p->suites))
		return SIG_E_MALFORMED;
	return SIG_OK;
}

int64_t sig_delay_age_ms(xmpp_stanza_t *stanza, int64_t now_us)
{
	xmpp_stanza_t *el = xmpp_stanza_get_child_by_ns(stanza, "urn:xmpp:delay");
	const char *stamp = el ? xmpp_stanza_get_attribute(el, "stamp") : NULL;
	GDateTime *dt;
	int64_t age;

	if (!stamp || strcmp(xmpp_stanza_get_name(el) ?: "", "delay"))
		return 0;
	dt = g_date_time_new_from_iso8601(stamp, NULL);	/* needs a zone */
	if (!dt)
		return 0;
	age = (now_us - g_date_time_to_unix(dt) * G_USEC_PER_SEC -
	       g_date_time_get_microsecond(dt)) / 1000;
	g_date_time_unref(dt);
	return age < 0 ? 0 : MIN(age, (int64_t)86400 * 1000);
}

static int parse_sid(const char *s, uint32_t *out)
{
	char *end;
	unsigned long v;
	size_t i;

	if (!s || strlen(s) != 8)
		return -1;
	for (i = 0; i < 8; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return -1;
	v = strtoul(s, &end, 16);
	*out = v;
	return *end ? -1 : 0;
}

static int parse_cands(xmpp_stanza_t *el, struct sig_msg *m)
{
	static const char *const allowed[] = { "xmlns", "a", NULL };
	xmpp_stanza_t *c;

	for (c = xmpp_stanza_get_children(el); c; c = xmpp_stanza_get_next(c)) {
		if (!xmpp_stanza_is_tag(c)) {
			/* whitespace between children is fine, text is not */
			const char *t = xmpp_stanza_get_text_ptr(c);

			if (t && t[strspn(t, " \t\r\n")])
				return -1;
			continue;
		}
		if (strcmp(xmpp_stanza_get_name(c), "c") ||
		    strcmp(xmpp_stanza_get_ns(c) ?: "", EVPN_NS) ||
		    m->ncands == SIG_MAX_CANDS || !attrs_allowed(c, allowed) ||
		    xmpp_stanza_get_children(c) ||
		    copy_attr(c, "a", m->cands[m->ncands], SIG_CAND_MAX + 1))
			return -1;
		m->ncands++;
	}
	return 0;
}

int sig_parse(xmpp_stanza_t *stanza, struct sig_msg *m)
{
	static const char *const common[] = { "xmlns", "v", "type", "from-id",
					      "to-id", "sid", NULL };
	static const char *const offer[] = { "xmlns", "v", "type", "from-id",
					     "to-id", "sid", "ufrag", "pwd",
					     "suites", NULL };
	static const char *const close_attrs[] = { "xmlns", "v", "type",
						   "from-id", "to-id", "sid",
						   "reason", NULL };
	xmpp_stanza_t *el;
	const char *v;
	int r, t;

	memset(m, 0, sizeof(*m));
	r = find_payload(stanza, "link", &el);
	if (r)
		return r;
	r = check_version(el);
	if (r)
		return r;
	v = xmpp_stanza_get_attribute(el, "type");
	for (t = 0; v && t < __SIG_MAX; t++)
		if (!strcmp(v, type_names[t]))
			break;
	if (!v || t == __SIG_MAX)
		return SIG_E_MALFORMED;
	m->type = t;
	if (evpn_id_from_hex(&m->from, xmpp_stanza_get_attribute(el, "from-id") ?: "") ||
	    evpn_id_from_hex(&m->to, xmpp_stanza_get_attribute(el, "to-id") ?: "") ||
	    parse_sid(xmpp_stanza_get_attribute(el, "sid"), &m->sid))
		return SIG_E_MALFORMED;
	switch (m->type) {
	case SIG_REQUEST:
	case SIG_ACCEPT:
		if (!attrs_allowed(el, offer) || xmpp_stanza_get_children(el) ||
		    copy_attr(el, "ufrag", m->ufrag, sizeof(m->ufrag)) ||
		    copy_attr(el, "pwd", m->pwd, sizeof(m->pwd)) ||
		    !(v = xmpp_stanza_get_attribute(el, "suites")) ||
		    sig_suites_parse(v, &m->suites))
			return SIG_E_MALFORMED;
		break;
	case SIG_CANDIDATES:
		if (!attrs_allowed(el, common) || parse_cands(el, m))
			return SIG_E_MALFORMED;
		break;
	case SIG_EOC:
		if (!attrs_allowed(el, common) || xmpp_stanza_get_children(el))
			return SIG_E_MALFORMED;
		break;
	case SIG_CLOSE:
		if (!attrs_allowed(el, close_attrs) || xmpp_stanza_get_children(el))
			return SIG_E_MALFORMED;
		v = xmpp_stanza_get_attribute(el, "reason");
		if (v && copy_attr(el, "reason", m->reason, sizeof(m->reason)))
			return SIG_E_MALFORMED;
		break;
	default:
		return SIG_E_MALFORMED;
	}
	return msg_consistent(m) ? SIG_OK : SIG_E_MALFORMED;
}
