/* SPDX-License-Identifier: GPL-2.0 */
/* The "evpn" generic netlink family (docs/netlink.md). */
#ifndef EVPN_KMOD_NETLINK_H
#define EVPN_KMOD_NETLINK_H

int evpn_genl_init(void);
void evpn_genl_uninit(void);

#endif /* EVPN_KMOD_NETLINK_H */
