/* SPDX-License-Identifier: GPL-2.0 */
/* Receiving records from a link's UDP socket. */
#ifndef EVPN_KMOD_RX_H
#define EVPN_KMOD_RX_H

#include <linux/skbuff.h>

struct evpn_sock;

/* A datagram whose first payload byte is in the evpn range; skb->data is
 * the UDP header. Consumes @skb. Softirq, RCU read side. */
void evpn_rx(struct evpn_sock *esock, struct sk_buff *skb);

#endif /* EVPN_KMOD_RX_H */
