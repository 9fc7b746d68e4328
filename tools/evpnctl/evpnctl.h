/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* evpnctl subcommands. Each returns the process exit status. */
#ifndef EVPNCTL_H
#define EVPNCTL_H

#include <stdbool.h>

#include <glib.h>
#include <json-glib/json-glib.h>

/* status.c: `evpnctl status` / `show` */
int cmd_status(int argc, char **argv);
/* show.c: evpn.ko devices (all, or @dev) not named in @skip, as `show`
 * objects added to @b's open array. 0, -ENOPKG (no module), -ENODEV (@dev
 * is no evpn.ko device) or another -errno (printed). */
int kernel_devices(const char *dev, JsonBuilder *b, GHashTable *skip);
int cmd_set(int argc, char **argv);
/* kernel.c: links, keys, FDB and events of evpn.ko devices. */
int cmd_kernel_link(int argc, char **argv);
int cmd_kernel_key(int argc, char **argv);
int cmd_kernel_fdb(int argc, char **argv);
int cmd_kernel_e2e(int argc, char **argv);
int cmd_kernel_events(int argc, char **argv);
/* mcast.c: an evpn.ko device's multicast group table. */
int cmd_kernel_mcast(int argc, char **argv);
/* init.c: write a node config + password file, print the server lines. */
int cmd_init(int argc, char **argv);
/* topology.c: the overlay as this node sees it, as graphviz dot or SVG. */
int cmd_topology(int argc, char **argv);
/* True if DEV is an evpn.ko device (the module answers DEV_GET for it). */
bool evpn_is_kernel_dev(const char *dev);

#endif /* EVPNCTL_H */
