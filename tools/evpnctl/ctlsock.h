/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Client side of evpnd's control socket (daemon/ctl.h): RUN_DIR/IFNAME.sock,
 * RUN_DIR = $EVPN_RUN_DIR or /run/evpn. One request line, one reply.
 */
#ifndef EVPNCTL_CTLSOCK_H
#define EVPNCTL_CTLSOCK_H

#include <stdbool.h>
#include <stdio.h>

/* Send @line (no newline needed) to IFNAME's evpnd and copy the reply to
 * @out. Returns 0, -1 if the daemon could not be reached (message printed),
 * or 1 if it answered with {"error":...}. */
int ctlsock_request(const char *ifname, const char *line, FILE *out);

/* `evpnctl show IFNAME [--json]` for a TAP-datapath device. 0 or non-zero. */
int ctlsock_show(const char *ifname, bool json);

/* `evpnctl link add IFNAME NAME key=value ...` / `link del IFNAME NAME`:
 * argv are the words after "link". 0 or non-zero. */
int ctlsock_link(int argc, char **argv);
/* `evpnctl peer accept DEV JID`: trust a member's new key (evpnd pins.h). */
int ctlsock_peer(int argc, char **argv);

#endif /* EVPNCTL_CTLSOCK_H */
