/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The control socket: RUN_DIR/IFNAME.sock (unix stream, directory 0700).
 * One request line per connection, one reply, then the server closes.
 *
 *   show            -> one JSON object (docs/status.md; evpnctl status
 *                      renders it as text)
 *   link add NAME key=value ...   (keys of a [link NAME] section)
 *   link del NAME
 *
 * Replies to commands are {"ok":true} or {"error":"..."}. Other daemon parts
 * add members to `show` and their own verbs through the hooks below.
 */
#ifndef EVPND_CTL_H
#define EVPND_CTL_H

#include <stdio.h>
#include "datapath.h"

/* A command handler: argv[0] is the verb. Write the whole reply to @out
 * (JSON from lib/jsonout.h, newline-terminated). */
typedef void (*ctl_cmd_fn)(struct dp *dp, int argc, char **argv, FILE *out,
			   void *ctx);
/* Device-level `show` members, added to the open object. */
typedef void (*ctl_show_fn)(JsonBuilder *b, void *ctx);

/* One evpnd per device and run dir: lock RUN_DIR/IFNAME.pid (flock, holds
 * our pid) before creating the device, so a second instance says "already
 * running (pid N)" instead of failing on the busy device. -1: not locked
 * (reported). ctl_unlock() removes the file. */
int ctl_lock(const char *run_dir, const char *ifname);
void ctl_unlock(void);
int ctl_start(struct dp *dp, const char *run_dir);
void ctl_stop(void);
int ctl_register(const char *verb, ctl_cmd_fn fn, void *ctx);
void ctl_set_show_hooks(ctl_show_fn dev, dp_link_json_fn link, void *ctx);

/* Run one request line; used by the socket and by unit tests. */
void ctl_handle_line(struct dp *dp, char *line, FILE *out);

#endif /* EVPND_CTL_H */
