/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Transmit queueing: frames from the local interface are sealed on every
 * online CPU and sent in order per link (queue.c).
 */
#ifndef EVPN_KMOD_QUEUE_H
#define EVPN_KMOD_QUEUE_H

#include <linux/ptr_ring.h>
#include <linux/workqueue.h>

struct evpn_dev;
struct evpn_link;
struct evpn_id;
struct sk_buff;

/* Frames waiting per link / per device (each may be a GSO frame). */
#define EVPN_TXQ_LINK_LEN	1024
#define EVPN_TXQ_DEV_LEN	1024

/* One CPU's sealing worker of a device. */
struct evpn_txq_worker {
	struct work_struct	work;
	struct evpn_dev		*edev;
};

/* Per device: frames waiting to be sealed, and the workers sealing them. */
struct evpn_txq_dev {
	struct ptr_ring		ring;
	struct evpn_txq_worker __percpu *workers;
	int			last_cpu;	/* round robin, racy on purpose */
};

/* Per link: frames in counter order, waiting to be sealed and sent. */
struct evpn_txq_link {
	struct ptr_ring		ring;
	unsigned long		again;		/* EVPN_TXQ_AGAIN, see queue.c */
	int			cpu;		/* where the link sends from */
	struct work_struct	work;		/* the transmit step on @cpu */
};

int evpn_txq_dev_init(struct evpn_dev *edev);
void evpn_txq_dev_uninit(struct evpn_dev *edev);
int evpn_txq_link_init(struct evpn_link *link);
void evpn_txq_link_uninit(struct evpn_link *link);

/* Whether evpn_xmit() queues unicast frames (more than one CPU online;
 * debug builds: module parameter tx_spread). */
bool evpn_txq_enabled(void);
/*
 * Queue the inner frame @skb (possibly GSO, checksum possibly partial)
 * for @link, unicast to @dst from this node; the frame takes a link
 * reference. Consumes @skb; drops are counted. RCU read side, BH disabled.
 */
void evpn_txq_enqueue(struct evpn_link *link, struct sk_buff *skb,
		      const struct evpn_id *dst);

int evpn_tx_wq_init(void);
void evpn_tx_wq_uninit(void);

#endif /* EVPN_KMOD_QUEUE_H */
