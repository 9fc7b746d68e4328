/* SPDX-License-Identifier: GPL-2.0 */
/* The "evpn" generic netlink family (docs/netlink.md). */
#ifndef EVPN_KMOD_NETLINK_H
#define EVPN_KMOD_NETLINK_H

#include <linux/types.h>

struct evpn_key;
struct evpn_link;
struct evpn_endpoint;

int evpn_genl_init(void);
void evpn_genl_uninit(void);

/* Events on the "events" multicast group (any context). */
void evpn_event_key(struct evpn_key *key, u32 type);
void evpn_event_endpoint(struct evpn_link *link, const struct evpn_endpoint *ep);
void evpn_event_unreachable(struct evpn_link *link, int err);

#endif /* EVPN_KMOD_NETLINK_H */
