/* SPDX-License-Identifier: GPL-2.0 */
/* Receiving records from a link's UDP socket. */
#ifndef EVPN_KMOD_RX_H
#define EVPN_KMOD_RX_H

#include <linux/skbuff.h>

struct evpn_sock;

struct evpn_dev;

/* A datagram whose first payload byte is in the evpn range; skb->data is
 * the UDP header. @turn: 0, or how a TURN relay framed it (kmod/turn.c).
 * Consumes @skb. Softirq, RCU read side. */
void evpn_rx(struct evpn_sock *esock, struct sk_buff *skb, u16 turn);

/* Deliver the inner Ethernet frame at skb->data to the device (GRO cells).
 * Consumes @skb. */
void evpn_rx_deliver(struct evpn_dev *edev, struct sk_buff *skb, bool xnet);

int evpn_rxq_init(struct evpn_dev *edev);
/* Stop the workers, drop what is queued and free the queues (no new
 * records may arrive: the device's sockets are detached and a grace
 * period passed). */
void evpn_rxq_uninit(struct evpn_dev *edev);
int evpn_rx_wq_init(void);
void evpn_rx_wq_uninit(void);

#endif /* EVPN_KMOD_RX_H */
