// SPDX-License-Identifier: GPL-2.0
/*
 * Relayed links in the kernel (docs/architecture.md "Relayed links under
 * the kernel datapath"). When ICE selects a pair whose local candidate is
 * our TURN relay (UDP to the server), evpnd hands over the socket libnice
 * made the allocation from, with the TURN server as the link's endpoint
 * and the peer's address behind the relay (EVPN_LINK_A_TURN_PEER_*). libnice
 * keeps owning the allocation: it made it, installed the permission and
 * the channel binding for the peer, and keeps refreshing them, on this
 * same socket; we only frame records.
 *
 *   tx  ChannelData on the channel the peer's records arrive on (learned
 *       after authentication: a binding is one channel both ways), else a
 *       Send indication (XOR-PEER-ADDRESS + DATA; the permission libnice
 *       installed covers it).
 *   rx  ChannelData / Data indications whose payload is a record are
 *       unwrapped here and received like any record; everything else
 *       (TURN responses, refreshes, consent checks, DTLS) stays on the
 *       socket for libnice.
 */
#include <linux/random.h>
#include <linux/udp.h>

#include "kturn.h"
#include "link.h"
#include "rx.h"
#include "turn.h"

bool evpn_turn_rx(struct evpn_sock *esock, struct sk_buff *skb)
{
	const unsigned int hl = sizeof(struct udphdr);
	struct evpn_turn_in in;
	unsigned int need;
	u8 b = skb->data[hl];

	if (b >= 0x40 && b <= 0x4F)
		need = hl + EVPN_TURN_CD_HLEN + 1;	/* header + record type */
	else if (b <= 1)
		need = skb->len;	/* Data indication: rare, walk it all */
	else
		return false;
	if (!pskb_may_pull(skb, need) ||
	    !evpn_turn_parse(skb->data + hl, skb->len - hl, &in))
		return false;
	/* Leave a UDP header's worth before the record (evpn_rx pulls it;
	 * the transport header still names the real one) and drop the
	 * padding or attributes after it. */
	if (!pskb_may_pull(skb, hl + in.off) ||
	    pskb_trim_rcsum(skb, hl + in.off + in.len))
		return false;
	skb_pull_rcsum(skb, in.off);
	evpn_rx(esock, skb, in.channel ?: 1);
	return true;
}

void evpn_turn_learn(struct evpn_link *link, const struct evpn_endpoint *ep,
		     u16 turn)
{
	if (ep->turn.family && turn >= EVPN_TURN_CHAN_MIN &&
	    READ_ONCE(link->turn_channel) != turn)
		WRITE_ONCE(link->turn_channel, turn);
}

static int evpn_turn_cd(struct sk_buff *skb, u16 channel)
{
	unsigned int len = skb->len;

	if (skb_cow_head(skb, EVPN_TURN_CD_HLEN + 64))
		return -ENOMEM;
	evpn_turn_cd_hdr(skb_push(skb, EVPN_TURN_CD_HLEN), channel, len);
	return 0;
}

static int evpn_turn_send_ind(struct evpn_link *link,
			      const struct evpn_endpoint *ep,
			      struct sk_buff *skb)
{
	unsigned int len = skb->len, pad = evpn_turn_pad(len);
	unsigned int hlen = evpn_turn_send_hlen(&ep->turn);

	if (pad && __skb_put_padto(skb, len + pad, false))
		return -ENOMEM;
	if (skb_cow_head(skb, hlen + 64))
		return -ENOMEM;
	evpn_turn_send_hdr(skb_push(skb, hlen), &ep->turn, ep->turn_txid, len);
	return 0;
}

int evpn_turn_tx(struct evpn_link *link, const struct evpn_endpoint *ep,
		 struct sk_buff *skb)
{
	u16 channel = READ_ONCE(link->turn_channel);

	return channel ? evpn_turn_cd(skb, channel) :
			 evpn_turn_send_ind(link, ep, skb);
}
