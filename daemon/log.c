// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * evpnd's log writer (log.h).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib.h>

#include "log.h"

static struct {
	bool verbose, debug_ice, journal;
} lg;

static const char *field(const GLogField *f, gsize n, const char *key)
{
	gsize i;

	for (i = 0; i < n; i++)
		if (!strcmp(f[i].key, key) && f[i].length < 0)
			return f[i].value;
	return NULL;
}

/* libnice's domains: "libnice", "libnice-stun", "libnice-socket", ... */
static bool is_ice(const char *domain)
{
	return domain && (g_str_has_prefix(domain, "libnice") ||
			  g_str_has_prefix(domain, "GLib-Net"));
}

static const char *level_word(GLogLevelFlags level)
{
	if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL))
		return "error: ";
	if (level & G_LOG_LEVEL_WARNING)
		return "warning: ";
	if (level & G_LOG_LEVEL_DEBUG)
		return "debug: ";
	return "";
}

/* GLib gives g_critical journald priority 4 (warning); it is our error. */
static GLogWriterOutput to_journal(GLogLevelFlags level,
				   const GLogField *fields, gsize n)
{
	GLogField *f = g_newa(GLogField, n);
	gsize i;

	memcpy(f, fields, n * sizeof(*f));
	for (i = 0; i < n; i++)
		if (!strcmp(f[i].key, "PRIORITY") &&
		    (level & G_LOG_LEVEL_CRITICAL)) {
			f[i].value = "3";
			f[i].length = -1;
		}
	return g_log_writer_journald(level, f, n, NULL);
}

static GLogWriterOutput writer(GLogLevelFlags level, const GLogField *fields,
			       gsize n, gpointer data)
{
	const char *domain = field(fields, n, "GLIB_DOMAIN");
	const char *msg = field(fields, n, "MESSAGE");
	bool ice = is_ice(domain);
	GDateTime *now;

	if ((level & G_LOG_LEVEL_DEBUG) &&
	    !(ice ? lg.debug_ice : lg.verbose))
		return G_LOG_WRITER_HANDLED;
	if (lg.journal &&
	    to_journal(level, fields, n) == G_LOG_WRITER_HANDLED)
		return G_LOG_WRITER_HANDLED;
	now = g_date_time_new_now_local();
	fprintf(stderr, "evpnd: %02d:%02d:%02d.%03d %s%s%s%s\n",
		g_date_time_get_hour(now), g_date_time_get_minute(now),
		g_date_time_get_second(now),
		g_date_time_get_microsecond(now) / 1000, level_word(level),
		ice ? domain : "", ice ? ": " : "", msg ? msg : "");
	g_date_time_unref(now);
	return G_LOG_WRITER_HANDLED;
}

void evpnd_log_init(bool verbose, bool debug_ice)
{
	lg.verbose = verbose || debug_ice;
	lg.debug_ice = debug_ice;
	lg.journal = g_log_writer_is_journald(STDERR_FILENO);
	g_log_set_writer_func(writer, NULL, NULL);
}

bool evpnd_log_debug_ice(void)
{
	return lg.debug_ice;
}
