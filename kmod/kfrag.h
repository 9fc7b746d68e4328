/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fragment records in evpn.ko (core/frag.h, docs/protocol.md section 10):
 * splitting a frame too large for one record at its origin, reassembling
 * fragments addressed to this device, and TCP MSS clamping (core/mss.h).
 */
#ifndef EVPN_KMOD_KFRAG_H
#define EVPN_KMOD_KFRAG_H

#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <linux/timer.h>

#include "frag.h"
#include "wire.h"

struct evpn_dev;
struct evpn_link;

/* The device's reassembly table (bounded: EVPN_REASM_SLOTS payloads). */
struct evpn_kfrag {
	spinlock_t		lock;		/* the table; BH */
	struct evpn_reasm	reasm;
	struct evpn_reasm_ent	*ent;
	u8			*mem;
	struct timer_list	timer;		/* expiry while entries live */
	struct evpn_dev		*edev;
	atomic_t		next_id;	/* IDs of payloads we split */
};

int evpn_frag_init(struct evpn_dev *edev);
void evpn_frag_uninit(struct evpn_dev *edev);

/* Largest record for a payload this node originates on @link: the link's
 * own record size if it goes to the peer itself (@direct), else at most
 * EVPN_RECORD_DEFAULT (transit nodes do not re-split). */
u32 evpn_frag_budget(const struct evpn_link *link, bool direct);

/* A new payload ID (all hops of one flood share it). */
u32 evpn_frag_next_id(struct evpn_dev *edev);

/*
 * Send @skb (the payload of a record of type @inner, not GSO: an Ethernet
 * frame for 0xE1 / 0xE2, or the e2e payload evpn_e2e_seal() made of it for
 * 0xE3 -- seal first, then split) to @link as fragment records
 * of at most @rec_max bytes, from @src to @dst (flood: the interval end).
 * Consumes @skb; drops are counted. BH off, RCU.
 */
void evpn_frag_send(struct evpn_link *link, struct sk_buff *skb, u8 inner,
		    const struct evpn_id *src, const struct evpn_id *dst,
		    u32 rec_max, u32 id);

/*
 * An opened fragment record for this device from @link (skb->data at the
 * fragment header, the tag trimmed). Consumes @skb. Pieces are matched by
 * (src, the link's peer, frag_id); a completed payload is handled as a
 * record of its inner type: an e2e payload is opened with the pair key
 * (evpn_frag_rx_e2e(), frag.c), a plain frame is delivered (FDB learned
 * from it) unless it is a relayed 0xE1 (BAD_SRC). BH off, RCU.
 */
void evpn_frag_rx(struct evpn_dev *edev, struct evpn_link *link,
		  struct sk_buff *skb, const struct evpn_hdr *h, bool xnet);

/* Clamp the MSS of a TCP SYN in the Ethernet frame at skb->data so a
 * segment fits one record (no-op for anything else); @rx: a frame being
 * delivered (opened from a record), else one being sent. */
void evpn_mss_clamp_skb(struct sk_buff *skb, bool rx);

#endif /* EVPN_KMOD_KFRAG_H */
