/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The device's addresses from [interface] address = (docs/configuration.md):
 * added over rtnetlink after the device is up, so they come back with every
 * start (evpnd deletes a device it created when it exits), whichever
 * datapath made the device; a SIGHUP applies added and removed ones.
 */
#ifndef EVPND_IFADDR_H
#define EVPND_IFADDR_H

#include "config.h"

/* Adds (or keeps: NLM_F_REPLACE) every configured address on @ifname.
 * Each failure is logged; returns the number of failures. */
int ifaddr_apply(const char *ifname, const struct cfg_addr *addrs, int n);
/* Reload: deletes the addresses @old had and @new has not, adds the rest.
 * Addresses added by hand (ip addr add) are left alone. */
int ifaddr_sync(const char *ifname, const struct evpnd_config *old,
		const struct evpnd_config *new);
/* "10.200.0.1/24" (buffer of at least CFG_ADDR_STRLEN). */
#define CFG_ADDR_STRLEN	(46 + 4)
const char *ifaddr_str(const struct cfg_addr *a, char *buf);

#endif /* EVPND_IFADDR_H */
