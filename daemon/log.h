/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * evpnd's logging: GLib structured logging with one writer for everything
 * (evpnd's g_critical/g_warning/g_message/g_debug, libnice, GLib).
 *
 *   error    g_critical: evpnd cannot do what it was asked (a wrong
 *            password, a certificate mismatch); journald priority 3
 *   warning  g_warning: something failed and is being retried or worked
 *            around
 *   info     g_message / g_info: what evpnd does (links up and down)
 *   debug    g_debug: shown with -v; libnice's own debug only with
 *            --debug-ice (or -vv)
 *
 * Under systemd (stderr is the journal: g_log_writer_is_journald) records
 * go to journald with their fields (PRIORITY, CODE_FILE, GLIB_DOMAIN...);
 * otherwise one plain line each on stderr: "evpnd: LEVEL: message" (no
 * level word for info), "libnice: " before libnice's messages.
 */
#ifndef EVPND_LOG_H
#define EVPND_LOG_H

#include <stdbool.h>

/* @verbose: evpnd's debug messages; @debug_ice: libnice's too. */
void evpnd_log_init(bool verbose, bool debug_ice);
/* For the overlay module, which turns libnice's own debug output on or off
 * (libnice formats its debug messages only when asked to). */
bool evpnd_log_debug_ice(void);

#endif /* EVPND_LOG_H */
