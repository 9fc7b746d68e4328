/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Notifications on the "events" multicast group of the evpn family
 * (EVPN_CMD_EVENT, docs/netlink.md): what the daemon must act on.
 */
#ifndef EVPN_KMOD_EVENTS_H
#define EVPN_KMOD_EVENTS_H

#include <linux/types.h>

struct evpn_key;
struct evpn_link;
struct evpn_endpoint;

/* Any context; nothing is sent when nobody listens. */
void evpn_event_key(struct evpn_key *key, u32 type);
void evpn_event_endpoint(struct evpn_link *link, const struct evpn_endpoint *ep);
void evpn_event_unreachable(struct evpn_link *link, int err);

#endif /* EVPN_KMOD_EVENTS_H */
