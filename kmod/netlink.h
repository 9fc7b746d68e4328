/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The "evpn" generic netlink family (docs/netlink.md). Its ABI, policies
 * and ops table are generated from netlink/specs/evpn.yaml (netlink-gen.[ch]);
 * netlink.c holds the handlers, events.c the notifications.
 */
#ifndef EVPN_KMOD_NETLINK_H
#define EVPN_KMOD_NETLINK_H

#include <linux/in6.h>
#include <linux/skbuff.h>
#include <linux/types.h>

#include "events.h"

struct evpn_dev;
struct netlink_callback;

int evpn_genl_init(void);
/* The device a dump request names (RTNL held), or an ERR_PTR. */
struct evpn_dev *evpn_nl_dump_dev(struct sk_buff *skb,
				  struct netlink_callback *cb);
void evpn_genl_uninit(void);

/* An address (@a4 or @a6 by @family) and port (@aport, host order). */
int evpn_nl_put_addr(struct sk_buff *skb, int a4, int a6, int aport,
		     sa_family_t family, __be32 v4, const struct in6_addr *v6,
		     __be16 port);

#endif /* EVPN_KMOD_NETLINK_H */
