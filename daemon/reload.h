/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * SIGHUP: re-read the configuration file and apply what can change while
 * evpnd runs (docs/configuration.md "Reloading").
 */
#ifndef EVPND_RELOAD_H
#define EVPND_RELOAD_H

#include "config.h"
#include "datapath.h"

/*
 * Re-read @running->path. If it has errors, keep everything and say so.
 * Otherwise: static links ([link NAME]) that were added are installed,
 * removed ones deleted, changed ones replaced; unchanged links are left
 * alone (no packet lost). An overlay whose XMPP login failed fatally takes
 * the file's password, server, port and ca-file and tries again
 * (overlay_retry_failed). Every other difference needs a restart: it is
 * logged, one line per setting, and the running value kept. Returns the
 * number of settings that need a restart, or -1 if the file was refused.
 */
int evpnd_reload(struct evpnd_config *running, struct dp *dp);

#endif /* EVPND_RELOAD_H */
