/* SPDX-License-Identifier: GPL-2.0 */
/* Sealing and sending records: local transmit, forwarding, flood relay. */
#ifndef EVPN_KMOD_TX_H
#define EVPN_KMOD_TX_H

#include <linux/netdevice.h>

#include "link.h"

/* Room the datapath wants in front of the inner frame: evpn header plus
 * the outer UDP and IPv6 headers and an Ethernet header. */
#define EVPN_TX_HEADROOM	(EVPN_HDR_LEN + 8 + 40 + 16)
#define EVPN_TX_TAILROOM	EVPN_TAG_LEN
/* A frame sealed end to end first (e2e.c) needs its counter and tag too;
 * the device asks the stack for this much (one-hop frames use less). */
#define EVPN_TX_E2E_HEADROOM	(EVPN_TX_HEADROOM + EVPN_E2E_HDR_LEN)
#define EVPN_TX_E2E_TAILROOM	(EVPN_TX_TAILROOM + EVPN_TAG_LEN)

/* Make @skb linear, private, with at least @headroom and @tailroom. 0 or
 * -ENOMEM. */
int evpn_tx_make_room(struct sk_buff *skb, int headroom, int tailroom);

/*
 * Seal the inner frame at skb->data in place with @key (@link's) and
 * @counter, for sending on @link. False (drop counted) if it could not
 * be; @skb stays the caller's either way. BH disabled, RCU.
 */
bool evpn_seal(struct evpn_link *link, struct evpn_key *key,
	       struct sk_buff *skb, u64 counter, u8 type, u8 ttl,
	       const struct evpn_id *src, const struct evpn_id *dst);

/*
 * Seal the inner Ethernet frame at skb->data for @link (current key) with
 * the given header fields and send it. Consumes @skb; drops are counted.
 * RCU read side, BH disabled.
 */
void evpn_seal_send(struct evpn_link *link, struct sk_buff *skb, u8 type,
		    u8 ttl, const struct evpn_id *src, const struct evpn_id *dst);

/*
 * Flood @skb (a record's plaintext of @type: 0xE2 from this node or relayed,
 * or 0xE5 relayed) to the neighbours covering (@self, @end), never to
 * neighbour index @skip; one copy per hop. A multicast frame
 * (EVPN_TYPE_FLOOD) skips slices with no subscriber (kmcast.h). A flood
 * this node originates is split per hop where it does not fit one record.
 * Does not consume @skb when @keep, else consumes it. Returns the number
 * of copies sent.
 */
int evpn_flood(struct evpn_dev *edev, struct evpn_nbrs *nb, struct sk_buff *skb,
	       const struct evpn_id *self, const struct evpn_id *src,
	       const struct evpn_id *end, int skip, u8 ttl, bool keep,
	       u8 type);

/*
 * A unicast frame from this node (@self) to @node, about to be sealed for
 * the next hop @link: sealed end to end first unless @link is @node
 * (docs/protocol.md 14.1). Returns the record type to seal it as
 * (EVPN_TYPE_UNICAST or EVPN_TYPE_E2E), or 0: the drop is counted (no pair
 * key: E2E_NO_KEY) and the caller frees @skb. BH disabled, RCU.
 */
u8 evpn_tx_e2e(struct evpn_link *link, struct sk_buff *skb,
	       const struct evpn_id *self, const struct evpn_id *node);

netdev_tx_t evpn_xmit(struct sk_buff *skb, struct net_device *dev);

#endif /* EVPN_KMOD_TX_H */
