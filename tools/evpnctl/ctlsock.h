/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Client side of evpnd's control socket (daemon/ctl.h): RUN_DIR/IFNAME.sock.
 * RUN_DIR: the run-dir of the configuration given with -c, else
 * $EVPN_RUN_DIR, else that of evpnd's default configuration file if it
 * exists, else /run/evpn (status.c: evpnctl_run_dir). One request line,
 * one JSON reply.
 */
#ifndef EVPNCTL_CTLSOCK_H
#define EVPNCTL_CTLSOCK_H

#include <stdbool.h>
#include <stdio.h>
#include <json-glib/json-glib.h>

/* The run dir to look in (see above); @config: -c FILE or NULL. */
const char *evpnctl_run_dir(const char *config);
/* The config's interface name (-c FILE), or NULL. */
const char *evpnctl_config_ifname(void);

/* Send @line to IFNAME's evpnd (socket in @run_dir) and parse the reply.
 * Returns the reply's root object (json_node_unref it), or NULL: with
 * *@no_daemon set if nothing listens there (no message printed), else
 * after printing why. An {"error": ...} reply is printed as plain text
 * and NULL returned. */
JsonNode *ctlsock_request(const char *run_dir, const char *ifname,
			  const char *line, bool *no_daemon);

/* A request whose reply is not JSON (`topology`): the reply is copied to
 * @out. 0; -1 if evpnd could not be reached or answered {"error": ...}
 * (printed as plain text). Finds the run dir as evpnctl_run_dir(NULL). */
int ctlsock_raw(const char *ifname, const char *line, FILE *out);

/* `evpnctl link add IFNAME NAME key=value ...` / `link del IFNAME NAME`:
 * argv are the words after "link". 0 or non-zero. */
int ctlsock_link(int argc, char **argv);
/* `evpnctl peer accept DEV JID`: trust a member's new key (evpnd pins.h). */
int ctlsock_peer(int argc, char **argv);

#endif /* EVPNCTL_CTLSOCK_H */
