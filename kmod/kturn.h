/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Relayed links (kmod/turn.c): records to and from a TURN relay on the
 * socket the allocation was made from, framed as core/turn.h describes.
 */
#ifndef EVPN_KMOD_TURN_H
#define EVPN_KMOD_TURN_H

#include <linux/skbuff.h>

struct evpn_sock;
struct evpn_link;
struct evpn_endpoint;

/* Encap hook, for a datagram that is not a bare record (skb->data is the
 * UDP header, its first payload byte pulled): a ChannelData message or
 * Data indication carrying a record is unwrapped and received (true);
 * anything else is left alone for libnice (false). */
bool evpn_turn_rx(struct evpn_sock *esock, struct sk_buff *skb);

/* After authentication, instead of roaming: a relayed link learns the
 * channel its records arrive on (@turn: the channel, 1 for a Data
 * indication, 0 for a bare record). */
void evpn_turn_learn(struct evpn_link *link, const struct evpn_endpoint *ep,
		     u16 turn);

/* Frame the sealed record at skb->data for the TURN server in @ep. 0 or
 * -errno (@skb is then still the caller's). */
int evpn_turn_tx(struct evpn_link *link, const struct evpn_endpoint *ep,
		 struct sk_buff *skb);

#endif /* EVPN_KMOD_TURN_H */
