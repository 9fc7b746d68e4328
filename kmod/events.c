// SPDX-License-Identifier: GPL-2.0
/*
 * Notifications on the "events" multicast group (EVPN_CMD_EVENT): key
 * limits, endpoint changes, unreachable peers. Sent from the datapath (any
 * context, GFP_ATOMIC), only when the group has listeners; the group itself
 * is generated from the spec (netlink-gen.c: joining needs CAP_NET_ADMIN).
 */
#include <linux/jiffies.h>
#include <net/genetlink.h>

#include "device.h"
#include "events.h"
#include "link.h"
#include "netlink.h"
#include "netlink-gen.h"

/* Start an event message for @link (any context); NULL if nobody listens
 * or no memory. */
static struct sk_buff *evpn_event_start(struct evpn_link *link, u32 type,
					void **hdr, struct nlattr **nest)
{
	struct net *net = dev_net(link->edev->dev);
	u8 peer[EVPN_NODE_ID_LEN];
	struct sk_buff *msg;

	if (!genl_has_listeners(&evpn_nl_family, net, EVPN_NLGRP_EVENTS))
		return NULL;
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_ATOMIC);
	if (!msg)
		return NULL;
	*hdr = genlmsg_put(msg, 0, 0, &evpn_nl_family, 0, EVPN_CMD_EVENT);
	evpn_id_to_bytes(&link->peer, peer);
	if (!*hdr ||
	    nla_put_u32(msg, EVPN_A_IFINDEX, link->edev->dev->ifindex) ||
	    nla_put_string(msg, EVPN_A_IFNAME, link->edev->dev->name) ||
	    !(*nest = nla_nest_start(msg, EVPN_A_EVENT)) ||
	    nla_put_u32(msg, EVPN_EVENT_A_TYPE, type) ||
	    nla_put(msg, EVPN_EVENT_A_PEER_ID, sizeof(peer), peer)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static void evpn_event_send(struct evpn_link *link, struct sk_buff *msg,
			    void *hdr, struct nlattr *nest)
{
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&evpn_nl_family, dev_net(link->edev->dev), msg,
				0, EVPN_NLGRP_EVENTS, GFP_ATOMIC);
}

void evpn_event_key(struct evpn_key *key, u32 type)
{
	struct nlattr *nest;
	struct sk_buff *msg;
	void *hdr;

	msg = evpn_event_start(key->link, type, &hdr, &nest);
	if (!msg)
		return;
	if (nla_put_u32(msg, EVPN_EVENT_A_KEY_ID, key->tx_id) ||
	    nla_put_u32(msg, EVPN_EVENT_A_SLOT, key->slot)) {
		nlmsg_free(msg);
		return;
	}
	evpn_event_send(key->link, msg, hdr, nest);
}

void evpn_event_endpoint(struct evpn_link *link, const struct evpn_endpoint *ep)
{
	struct nlattr *nest;
	struct sk_buff *msg;
	void *hdr;

	msg = evpn_event_start(link, EVPN_EVENT_ENDPOINT_CHANGED, &hdr, &nest);
	if (!msg)
		return;
	if (evpn_nl_put_addr(msg, EVPN_EVENT_A_REMOTE_IPV4, EVPN_EVENT_A_REMOTE_IPV6,
			  EVPN_EVENT_A_REMOTE_PORT, ep->family, ep->v4, &ep->v6,
			  ep->port)) {
		nlmsg_free(msg);
		return;
	}
	evpn_event_send(link, msg, hdr, nest);
}

/* At most one per link per second: a dead route fails every packet. */
void evpn_event_unreachable(struct evpn_link *link, int err)
{
	unsigned long last = READ_ONCE(link->unreach_ts);
	struct nlattr *nest;
	struct sk_buff *msg;
	void *hdr;

	if (last && time_before(jiffies, last + HZ))
		return;
	if (cmpxchg(&link->unreach_ts, last, jiffies ? jiffies : 1) != last)
		return;
	msg = evpn_event_start(link, EVPN_EVENT_PEER_UNREACHABLE, &hdr, &nest);
	if (!msg)
		return;
	if (nla_put_u32(msg, EVPN_EVENT_A_ERRNO, -err)) {
		nlmsg_free(msg);
		return;
	}
	evpn_event_send(link, msg, hdr, nest);
}
