/* SPDX-License-Identifier: GPL-2.0 */
/* Receiving records from a link's UDP socket. */
#ifndef EVPN_KMOD_RX_H
#define EVPN_KMOD_RX_H

#include <linux/skbuff.h>

struct evpn_sock;

struct evpn_dev;

/* A datagram whose first payload byte is in the evpn range; skb->data is
 * the UDP header. Consumes @skb. Softirq, RCU read side. */
void evpn_rx(struct evpn_sock *esock, struct sk_buff *skb);

int evpn_rxq_init(struct evpn_dev *edev);
/* Stop the workers and drop what is queued (no new records may arrive:
 * the device's sockets are detached). */
void evpn_rxq_flush(struct evpn_dev *edev);
void evpn_rxq_uninit(struct evpn_dev *edev);
int evpn_rx_wq_init(void);
void evpn_rx_wq_uninit(void);

#endif /* EVPN_KMOD_RX_H */
