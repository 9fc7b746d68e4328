// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The pinned keys of known members (see pins.h).
 */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "identity.h"
#include "pins.h"

struct pin {
	struct evpn_id id;
	char fp[EVPN_FP_STRLEN];
};

struct pins {
	char *path;		/* NULL: memory only */
	GHashTable *by_jid;	/* bare JID -> struct pin */
	guint write_timer;	/* pins_set_soon(): a rewrite is due */
};

char *pins_bare_jid(const char *jid)
{
	return g_ascii_strdown(jid, strcspn(jid, "/"));
}

static struct pins *pins_alloc(void)
{
	struct pins *ps = g_new0(struct pins, 1);

	ps->by_jid = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					   g_free);
	return ps;
}

struct pins *pins_new_memory(void)
{
	return pins_alloc();
}

/* "JID ID FP": 0, or -1 if malformed. */
static int parse_line(struct pins *ps, char *line)
{
	char *f[3], *save = NULL, *w;
	struct pin *p;
	int n = 0;

	for (w = strtok_r(line, " \t", &save); w && n < 3;
	     w = strtok_r(NULL, " \t", &save))
		f[n++] = w;
	if (n != 3 || strtok_r(NULL, " \t", &save) || strchr(f[0], '/') ||
	    !strchr(f[0], '@') || !identity_fp_valid(f[2]))
		return -1;
	p = g_new0(struct pin, 1);
	if (evpn_id_from_hex(&p->id, f[1])) {
		g_free(p);
		return -1;
	}
	memcpy(p->fp, f[2], EVPN_FP_STRLEN);
	g_hash_table_replace(ps->by_jid, pins_bare_jid(f[0]), p);
	return 0;
}

struct pins *pins_open(const char *state_dir)
{
	struct pins *ps = pins_alloc();
	GError *err = NULL;
	char *text = NULL, **lines, **l;
	int lineno = 0;

	ps->path = g_build_filename(state_dir, PINS_FILE, NULL);
	if (!g_file_get_contents(ps->path, &text, NULL, &err)) {
		if (g_error_matches(err, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
			g_error_free(err);
			return ps;	/* no member pinned yet */
		}
		g_warning("pins: %s", err->message);
		g_error_free(err);
		pins_free(ps);
		return NULL;
	}
	lines = g_strsplit(text, "\n", -1);
	for (l = lines; *l; l++) {
		char *s = g_strstrip(*l);

		lineno++;
		if (!*s || *s == '#')
			continue;
		if (parse_line(ps, s))
			g_warning("pins: %s:%d: malformed line (ignored)",
				  ps->path, lineno);
	}
	g_strfreev(lines);
	g_free(text);
	return ps;
}

static int pins_write(const struct pins *ps);

void pins_free(struct pins *ps)
{
	if (!ps)
		return;
	if (ps->write_timer) {		/* a pin not on disk yet */
		g_source_remove(ps->write_timer);
		pins_write(ps);
	}
	g_hash_table_destroy(ps->by_jid);
	g_free(ps->path);
	g_free(ps);
}

static int pins_write(const struct pins *ps)
{
	GString *s = g_string_new("# evpnd pinned member keys (docs/security.md): "
				  "BARE-JID NODE-ID FINGERPRINT\n");
	GHashTableIter it;
	gpointer k, v;
	GError *err = NULL;
	int r = 0;

	g_hash_table_iter_init(&it, ps->by_jid);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		const struct pin *p = v;
		char hex[EVPN_ID_HEXLEN + 1];

		evpn_id_to_hex(&p->id, hex);
		g_string_append_printf(s, "%s %s %s\n", (char *)k, hex, p->fp);
	}
	if (!g_file_set_contents_full(ps->path, s->str, s->len,
				      G_FILE_SET_CONTENTS_CONSISTENT, 0600,
				      &err)) {
		g_warning("pins: cannot write %s: %s (pin kept in memory)",
			  ps->path, err->message);
		g_error_free(err);
		r = -1;
	}
	g_string_free(s, TRUE);
	return r;
}

const struct evpn_id *pins_get(const struct pins *ps, const char *jid)
{
	char *bare = pins_bare_jid(jid);
	const struct pin *p = g_hash_table_lookup(ps->by_jid, bare);

	g_free(bare);
	return p ? &p->id : NULL;
}

enum pin_verdict pins_check(const struct pins *ps, const char *jid,
			    const struct evpn_id *id)
{
	const struct evpn_id *pinned = pins_get(ps, jid);

	if (!pinned)
		return PIN_NEW;
	return evpn_id_eq(pinned, id) ? PIN_MATCH : PIN_CHANGED;
}

/* Set the pin in memory; false if it was there already. */
static bool pin_put(struct pins *ps, const char *jid, const struct evpn_id *id,
		    const char *fp)
{
	char *bare = pins_bare_jid(jid);
	struct pin *p = g_hash_table_lookup(ps->by_jid, bare);

	if (p && evpn_id_eq(&p->id, id) && !strcmp(p->fp, fp)) {
		g_free(bare);
		return false;
	}
	p = g_new0(struct pin, 1);
	p->id = *id;
	g_strlcpy(p->fp, fp, sizeof(p->fp));
	g_hash_table_replace(ps->by_jid, bare, p);
	return true;
}

int pins_set(struct pins *ps, const char *jid, const struct evpn_id *id,
	     const char *fp)
{
	if (!pin_put(ps, jid, id, fp) || !ps->path)
		return 0;	/* nothing new: no rewrite */
	if (ps->write_timer) {	/* this write includes the pending ones */
		g_source_remove(ps->write_timer);
		ps->write_timer = 0;
	}
	return pins_write(ps);
}

static gboolean on_write(gpointer p)
{
	struct pins *ps = p;

	ps->write_timer = 0;
	pins_write(ps);
	return G_SOURCE_REMOVE;
}

void pins_set_soon(struct pins *ps, const char *jid, const struct evpn_id *id,
		   const char *fp)
{
	if (pin_put(ps, jid, id, fp) && ps->path && !ps->write_timer)
		ps->write_timer = g_timeout_add(PINS_WRITE_DELAY_MS, on_write,
						ps);
}
