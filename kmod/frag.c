// SPDX-License-Identifier: GPL-2.0
/*
 * Fragment records (core/frag.h): a frame too large for one record on its
 * first link is split here into fragment records, each sealed and sent
 * like any record; fragments addressed to this device are reassembled
 * here, in a bounded table (core/frag.c) under one lock, and the whole
 * payload is handled as if it had come in one record of its inner type.
 * Transit nodes never come here for unicast fragments: rx.c forwards them
 * like any record, whatever they carry (an end-to-end sealed payload too).
 *
 * The table is copied into (one copy per fragment) rather than chaining
 * skbs: fragmented frames are the rare, large non-TCP ones (TCP segments
 * fit one record thanks to the MSS clamp below), and a flat table keeps
 * the limits (memory, pieces, time) in the shared, unit-tested core.
 */
#include <linux/etherdevice.h>
#include <linux/jiffies.h>
#include <linux/moduleparam.h>
#include <linux/vmalloc.h>

#include "device.h"
#include "e2e.h"
#include "kfdb.h"
#include "kfrag.h"
#include "kmcast.h"
#include "link.h"
#include "mss.h"
#include "rx.h"
#include "tx.h"

static u64 evpn_now_ms(void)
{
	return jiffies64_to_msecs(get_jiffies_64());
}

/* Partial payloads thrown away by the table (timeout, eviction). Called
 * with the table's lock held. */
static void evpn_reasm_drop(void *ctx, enum evpn_drop_reason r)
{
	struct evpn_dev *edev = ctx;

	evpn_count_drop(edev, r);
	dev_core_stats_rx_dropped_inc(edev->dev);
}

static void evpn_frag_timer(struct timer_list *t)
{
	struct evpn_kfrag *kf = from_timer(kf, t, timer);

	spin_lock(&kf->lock);
	evpn_reasm_expire(&kf->reasm, evpn_now_ms());
	if (evpn_reasm_inuse(&kf->reasm))
		mod_timer(&kf->timer,
			  jiffies + msecs_to_jiffies(EVPN_REASM_TIMEOUT_MS / 2));
	spin_unlock(&kf->lock);
}

int evpn_frag_init(struct evpn_dev *edev)
{
	struct evpn_kfrag *kf;

	kf = kzalloc(sizeof(*kf), GFP_KERNEL);
	if (!kf)
		return -ENOMEM;
	kf->ent = kcalloc(EVPN_REASM_SLOTS, sizeof(*kf->ent), GFP_KERNEL);
	kf->mem = vmalloc(array_size(EVPN_REASM_SLOTS, EVPN_MAX_PAYLOAD_LEN));
	if (!kf->ent || !kf->mem)
		goto err;
	spin_lock_init(&kf->lock);
	timer_setup(&kf->timer, evpn_frag_timer, 0);
	kf->edev = edev;
	atomic_set(&kf->next_id, get_random_u32());
	evpn_reasm_init(&kf->reasm, kf->ent, EVPN_REASM_SLOTS, kf->mem,
			evpn_reasm_drop, edev);
	edev->frag = kf;
	return 0;
err:
	vfree(kf->mem);
	kfree(kf->ent);
	kfree(kf);
	return -ENOMEM;
}

/* No record can arrive any more (ndo_uninit, after the receive queues). */
void evpn_frag_uninit(struct evpn_dev *edev)
{
	struct evpn_kfrag *kf = edev->frag;

	if (!kf)
		return;
	del_timer_sync(&kf->timer);
	vfree(kf->mem);
	kfree(kf->ent);
	kfree(kf);
	edev->frag = NULL;
}

u32 evpn_frag_budget(const struct evpn_link *link, bool direct)
{
	u32 max = READ_ONCE(link->rec_max);

	return direct ? max : min_t(u32, max, EVPN_RECORD_DEFAULT);
}

u32 evpn_frag_next_id(struct evpn_dev *edev)
{
	return (u32)atomic_inc_return(&edev->frag->next_id);
}

/* One fragment: header + bytes [off, off + n) of @skb, in a new skb with
 * room to be sealed in place. */
static struct sk_buff *evpn_frag_build(struct sk_buff *skb,
				       struct evpn_frag_hdr *f, size_t off,
				       size_t n)
{
	struct sk_buff *frag;

	frag = alloc_skb(EVPN_TX_HEADROOM + EVPN_FRAG_HLEN + n +
			 EVPN_TX_TAILROOM, GFP_ATOMIC);
	if (!frag)
		return NULL;
	skb_reserve(frag, EVPN_TX_HEADROOM);
	f->offset = (u16)off;
	evpn_frag_hdr_encode(skb_put(frag, EVPN_FRAG_HLEN), f);
	if (skb_copy_bits(skb, off, skb_put(frag, n), n)) {
		kfree_skb(frag);
		return NULL;
	}
	frag->priority = skb->priority;
	frag->mark = skb->mark;
	return frag;
}

void evpn_frag_send(struct evpn_link *link, struct sk_buff *skb, u8 inner,
		    const struct evpn_id *src, const struct evpn_id *dst,
		    u32 rec_max, u32 id)
{
	struct evpn_frag_hdr f = { .inner = inner, .id = id };
	struct sk_buff *frag;
	unsigned int pieces;
	size_t slice, off, n;

	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb)) {
		evpn_link_drop(link, EVPN_DROP_NOMEM);
		goto out;
	}
	if (!evpn_frag_total_ok(inner, skb->len) ||
	    !evpn_frag_plan(skb->len, rec_max - EVPN_OVERHEAD, &slice, &pieces)) {
		evpn_link_drop(link, EVPN_DROP_TOO_BIG);
		goto out;
	}
	f.total = (u16)skb->len;
	for (off = 0; off < skb->len; off += n) {
		n = min_t(size_t, slice, skb->len - off);
		frag = evpn_frag_build(skb, &f, off, n);
		if (!frag) {
			evpn_link_drop(link, EVPN_DROP_NOMEM);
			break;
		}
		evpn_seal_send(link, frag, evpn_frag_outer(inner),
			       EVPN_TTL_DEFAULT, src, dst);
	}
out:
	consume_skb(skb);
}

/* Add one fragment from @link under the lock; a completed payload is
 * copied into a new skb (*out) and its slot freed at once. *proven: every
 * piece came from the payload's origin itself (src == the link's peer). */
static enum evpn_drop_reason evpn_frag_add(struct evpn_dev *edev,
					   struct evpn_link *link,
					   struct sk_buff *skb,
					   const struct evpn_hdr *h,
					   const struct evpn_frag_hdr *f,
					   struct sk_buff **out, u8 *inner,
					   bool *proven)
{
	struct evpn_kfrag *kf = edev->frag;
	struct evpn_reasm_ent *done;
	enum evpn_drop_reason r;

	*out = NULL;
	spin_lock_bh(&kf->lock);
	r = evpn_reasm_add(&kf->reasm, &h->src, &link->peer, f,
			   skb->data + EVPN_FRAG_HLEN, skb->len - EVPN_FRAG_HLEN,
			   evpn_now_ms(), &done);
	if (r == EVPN_DROP_NONE && done) {
		*inner = done->inner;
		*proven = evpn_id_eq(&done->src, &done->via);
		*out = netdev_alloc_skb_ip_align(edev->dev, done->total);
		if (*out)
			skb_put_data(*out, done->buf, done->total);
		else
			r = EVPN_DROP_NOMEM;
		evpn_reasm_release(done);
	} else if (r == EVPN_DROP_NONE && !timer_pending(&kf->timer)) {
		mod_timer(&kf->timer,
			  jiffies + msecs_to_jiffies(EVPN_REASM_TIMEOUT_MS / 2));
	}
	spin_unlock_bh(&kf->lock);
	return r;
}

/*
 * A reassembled end-to-end payload (inner type 0xE3) for this device,
 * opened with the pair key of @src exactly as the plaintext of a whole
 * 0xE3 record for us (rx.c, evpn_rx_e2e()), then learned from as proven
 * and delivered. @skb->data is the e2e payload, with the headroom
 * evpn_e2e_open() writes into. Consumes @skb.
 */
static void evpn_frag_rx_e2e(struct evpn_dev *edev, struct evpn_link *link,
			     struct sk_buff *skb, const struct evpn_id *src,
			     bool xnet)
{
	enum evpn_drop_reason r;
	struct evpn_id self;

	evpn_dev_get_id(edev, &self);
	r = evpn_e2e_open(edev, src, &self, skb);
	if (unlikely(r != EVPN_DROP_NONE)) {
		evpn_link_drop(link, r);
		dev_core_stats_rx_dropped_inc(edev->dev);
		kfree_skb(skb);
		return;
	}
	evpn_kfdb_learn(edev, eth_hdr(skb)->h_source, src, true);
	evpn_rx_deliver(edev, skb, xnet);
}

/*
 * A reassembled plain frame (inner type 0xE1 or 0xE2), handled as the
 * plaintext of a whole record of that type (rx.c): a unicast frame whose
 * pieces did not all come from its origin is a relayed 0xE1, BAD_SRC as a
 * whole one is (relayed unicast is sealed, 0xE3); a relayed flood's MAC is
 * learned tentatively.
 */
static void evpn_frag_rx_frame(struct evpn_dev *edev, struct evpn_link *link,
			       struct sk_buff *skb, u8 inner,
			       const struct evpn_id *src, bool proven,
			       bool xnet)
{
	if (inner == EVPN_TYPE_UNICAST && !proven) {
		evpn_link_drop(link, EVPN_DROP_BAD_SRC);
		dev_core_stats_rx_dropped_inc(edev->dev);
		kfree_skb(skb);
		return;
	}
	skb_reset_mac_header(skb);
	evpn_kfdb_learn(edev, eth_hdr(skb)->h_source, src, proven);
	/* a flooded multicast frame only for others stays off the device */
	if (inner == EVPN_TYPE_FLOOD &&
	    is_multicast_ether_addr(eth_hdr(skb)->h_dest) &&
	    !evpn_kmc_local_wants(edev, skb)) {
		consume_skb(skb);
		return;
	}
	evpn_rx_deliver(edev, skb, xnet);
}

void evpn_frag_rx(struct evpn_dev *edev, struct evpn_link *link,
		  struct sk_buff *skb, const struct evpn_hdr *h, bool xnet)
{
	enum evpn_drop_reason r;
	struct evpn_frag_hdr f;
	struct sk_buff *out;
	bool proven = false;
	u8 inner = 0;

	r = evpn_frag_hdr_decode(&f, h->type, skb->data, skb->len);
	if (r == EVPN_DROP_NONE)
		r = evpn_frag_add(edev, link, skb, h, &f, &out, &inner,
				  &proven);
	consume_skb(skb);
	if (r != EVPN_DROP_NONE) {
		evpn_link_drop(link, r);
		dev_core_stats_rx_dropped_inc(edev->dev);
		return;
	}
	if (!out)
		return;
	if (inner == EVPN_TYPE_E2E)
		evpn_frag_rx_e2e(edev, link, out, &h->src, xnet);
	else
		evpn_frag_rx_frame(edev, link, out, inner, &h->src, proven,
				   xnet);
}

#ifdef CONFIG_EVPN_DEBUG
static bool mss_clamp = true;
module_param(mss_clamp, bool, 0644);
MODULE_PARM_DESC(mss_clamp, "clamp the MSS of TCP SYNs (default on; benchmarks of the split path)");

static bool evpn_mss_clamp_on(void)
{
	return READ_ONCE(mss_clamp);
}
#else
static bool evpn_mss_clamp_on(void)
{
	return true;
}
#endif

void evpn_mss_clamp_skb(struct sk_buff *skb, bool rx)
{
	unsigned int n = min_t(unsigned int, skb->len, EVPN_MSS_PEEK);
	size_t max = EVPN_MSS_FRAME;
	u8 peek[EVPN_MSS_PEEK];
	const u8 *p;

	/* the per-frame cost: a SYN is never GSO, and a look at a few
	 * header bytes (copied only if not linear) rules the rest out */
	if (!evpn_mss_clamp_on() || skb_is_gso(skb))
		return;
	p = skb_header_pointer(skb, 0, n, peek);
	if (!p || !evpn_mss_wanted(p, n, max))
		return;
	if (skb_ensure_writable(skb, n))
		return;
	/* A received frame's checksums are final (its sender completed them
	 * before sealing; ip_summed describes the outer UDP): patch them. A
	 * transmitted one may still be CHECKSUM_PARTIAL: then the stack
	 * computes the checksum over the new option later. */
	evpn_mss_clamp(skb->data, n, max,
		       !rx && skb->ip_summed == CHECKSUM_PARTIAL);
}
