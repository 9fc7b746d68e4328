// SPDX-License-Identifier: GPL-2.0
/*
 * Transmit: a frame from the local interface goes to the node its
 * destination MAC was learned from (FDB), through the neighbour the shared
 * core picks (evpn_route_la_next_hop: greedy with 1-lookahead), or -- group
 * or unknown destination -- by bounded flood (evpn_flood_split). Each record is sealed in place in
 * the skb (header pushed in front, tag put behind) and sent from the
 * link's UDP socket. Forwarding and flood relay (rx.c) use the same
 * sealing path.
 *
 * Per-packet allocation: none on the unicast path when the skb has the
 * headroom/tailroom the device asks for (needed_headroom/needed_tailroom)
 * and is linear; otherwise the head is reallocated once. A flood
 * necessarily copies the frame once per extra hop.
 */
#include <linux/etherdevice.h>
#include <linux/jiffies.h>
#include <linux/skbuff.h>
#include <linux/slab.h>

#include "crypto.h"
#include "fwd.h"
#include "kfdb.h"
#include "kmcast.h"
#include "netlink.h"
#include "queue.h"
#include "tx.h"

/* Make @skb linear, private and roomy enough to be sealed in place. */
static int evpn_skb_prepare(struct sk_buff *skb)
{
	int head, tail;

	if (unlikely(skb_is_nonlinear(skb)) && skb_linearize(skb))
		return -ENOMEM;
	head = max_t(int, 0, EVPN_TX_HEADROOM - (int)skb_headroom(skb));
	tail = max_t(int, 0, EVPN_TX_TAILROOM - (int)skb_tailroom(skb));
	if (unlikely(head || tail || skb_cloned(skb)))
		return pskb_expand_head(skb, ALIGN(head, NET_SKB_PAD), tail,
					GFP_ATOMIC);
	return 0;
}

/* Soft (rekey) and hard (reject) limits of a transmit key. Returns false
 * when the key must not be used any more. */
static bool evpn_key_tx_ok(struct evpn_key *key, u64 counter)
{
	u64 age = get_jiffies_64() - key->installed;

	if (key->is_static)
		return counter != U64_MAX;
	if (unlikely(counter >= evpn_key_reject_packets() ||
		     age >= (u64)EVPN_REJECT_AFTER_SECONDS * HZ)) {
		if (!test_and_set_bit(EVPN_KEY_EV_HARD, &key->events))
			evpn_event_key(key, EVPN_EVENT_KEY_HARD_LIMIT);
		return false;
	}
	if (unlikely(counter >= evpn_key_rekey_packets() ||
		     age >= evpn_key_rekey_jiffies()) &&
	    !test_and_set_bit(EVPN_KEY_EV_SOFT, &key->events))
		evpn_event_key(key, EVPN_EVENT_KEY_SOFT_LIMIT);
	return true;
}

/*
 * Seal the inner frame at skb->data in place with @key and @counter. On
 * failure the drop is counted on @link and false returned; @skb is the
 * caller's either way.
 */
bool evpn_seal(struct evpn_link *link, struct evpn_key *key,
	       struct sk_buff *skb, u64 counter, u8 type, u8 ttl,
	       const struct evpn_id *src, const struct evpn_id *dst)
{
	enum evpn_drop_reason r;
	struct evpn_hdr h;
	unsigned int len;

	if (unlikely(evpn_skb_prepare(skb))) {
		r = EVPN_DROP_NOMEM;
		goto drop;
	}
	if (unlikely(!evpn_key_tx_ok(key, counter))) {
		r = EVPN_DROP_KEY_EXPIRED;
		goto drop;
	}
	len = skb->len;
	h.type = type;
	h.ttl = ttl;
	h.key_id = key->tx_id;
	h.counter = counter;
	h.src = *src;
	h.dst = *dst;
	evpn_hdr_encode(skb_push(skb, EVPN_HDR_LEN), &h);
	skb_put(skb, EVPN_TAG_LEN);
	if (unlikely(evpn_aead_crypt(&key->tx_aead, true, key->tx_iv, counter,
				     skb->data, skb->len))) {
		r = EVPN_DROP_TX_ERROR;
		goto drop;
	}
	skb->ip_summed = CHECKSUM_NONE;
	skb->dev = link->edev->dev;
	skb_reset_inner_headers(skb);
	evpn_link_count(link, false, len);
	return true;
drop:
	evpn_link_drop(link, r);
	return false;
}

void evpn_seal_send(struct evpn_link *link, struct sk_buff *skb, u8 type,
		    u8 ttl, const struct evpn_id *src, const struct evpn_id *dst)
{
	struct evpn_key *key = rcu_dereference_bh(link->slot[EVPN_KEY_SLOT_CURRENT]);

	if (unlikely(!key)) {
		evpn_link_drop(link, EVPN_DROP_NO_LINK);
		kfree_skb(skb);
		return;
	}
	if (evpn_seal(link, key, skb, atomic64_inc_return(&key->tx_counter) - 1,
		      type, ttl, src, dst))
		evpn_sock_send(link, skb);
	else
		kfree_skb(skb);
}

int evpn_flood(struct evpn_dev *edev, struct evpn_nbrs *nb, struct sk_buff *skb,
	       const struct evpn_id *self, const struct evpn_id *src,
	       const struct evpn_id *end, int skip, u8 ttl, bool keep,
	       u8 type)
{
	struct evpn_flood_hop stack_hops[8], *hops = stack_hops;
	struct sk_buff *copy;
	int i, n = 0;

	if (!nb || !nb->n)
		goto out;
	if (nb->n > ARRAY_SIZE(stack_hops)) {
		hops = kmalloc_array(nb->n, sizeof(*hops), GFP_ATOMIC);
		if (!hops) {
			evpn_count_drop(edev, EVPN_DROP_NOMEM);
			goto out;
		}
	}
	n = evpn_flood_split(self, end, nb->ids, nb->n, skip, hops);
	if (type == EVPN_TYPE_FLOOD && is_multicast_ether_addr(skb->data))
		n = evpn_kmc_prune(edev, skb, nb, hops, n);
	for (i = 0; i < n; i++) {
		if (i == n - 1 && !keep) {
			copy = skb;
			skb = NULL;
		} else {
			copy = skb_copy_expand(skb, EVPN_TX_HEADROOM,
					       EVPN_TX_TAILROOM, GFP_ATOMIC);
			if (!copy) {
				evpn_link_drop(nb->links[hops[i].nbr], EVPN_DROP_NOMEM);
				continue;
			}
		}
		evpn_seal_send(nb->links[hops[i].nbr], copy, type, ttl, src,
			       &hops[i].end);
	}
	if (hops != stack_hops)
		kfree(hops);
out:
	if (!keep && skb)
		kfree_skb(skb);
	return n;
}

static void evpn_tx_drop(struct evpn_dev *edev, struct sk_buff *skb,
			 enum evpn_drop_reason reason)
{
	evpn_count_drop(edev, reason);
	dev_core_stats_tx_dropped_inc(edev->dev);
	kfree_skb(skb);
}

/* Seal and send one non-GSO unicast frame inline (tx_spread off). */
static void evpn_xmit_seal_one(struct evpn_dev *edev, struct evpn_link *link,
			       struct sk_buff *skb, const struct evpn_id *self,
			       const struct evpn_id *node)
{
	/* The device offers checksum offload (so TCP can hand it GSO
	 * frames); the inner frame is final once sealed, so finish it. */
	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb)) {
		evpn_tx_drop(edev, skb, EVPN_DROP_NOMEM);
		return;
	}
	evpn_seal_send(link, skb, EVPN_TYPE_UNICAST, EVPN_TTL_DEFAULT, self, node);
}

/*
 * @skb as a list of frames that are each one record: its segments if it
 * is GSO (linear, checksums computed during the copy), else itself. NULL
 * if it could not be segmented (dropped and counted).
 */
static struct sk_buff *evpn_tx_segs(struct evpn_dev *edev, struct sk_buff *skb)
{
	struct sk_buff *segs;

	if (!skb_is_gso(skb))
		return skb;
	segs = skb_gso_segment(skb, 0);
	if (IS_ERR_OR_NULL(segs)) {
		evpn_tx_drop(edev, skb, EVPN_DROP_NOMEM);
		return NULL;
	}
	consume_skb(skb);
	return segs;
}

/* Flood one non-GSO frame from the local interface. */
static void evpn_xmit_flood_one(struct evpn_dev *edev, struct sk_buff *skb,
				const struct evpn_id *self, struct evpn_nbrs *nb)
{
	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb)) {
		evpn_tx_drop(edev, skb, EVPN_DROP_NOMEM);
		return;
	}
	/* multicast: learn local membership; no copy is not a drop then
	 * (no subscriber anywhere) */
	if (is_multicast_ether_addr(skb->data)) {
		if (skb_linearize(skb)) {
			evpn_tx_drop(edev, skb, EVPN_DROP_NOMEM);
			return;
		}
		evpn_kmc_snoop(edev, skb);
		evpn_flood(edev, nb, skb, self, self, self, -1,
			   EVPN_TTL_DEFAULT, false, EVPN_TYPE_FLOOD);
		return;
	}
	if (!evpn_flood(edev, nb, skb, self, self, self, -1, EVPN_TTL_DEFAULT,
			false, EVPN_TYPE_FLOOD))
		evpn_count_drop(edev, EVPN_DROP_NO_LINK);
}

/*
 * One frame from the local interface, GSO or not. The routing decision is
 * here and only here: FDB lookup, then the shared core's next hop.
 * Unicast frames are queued to be sealed on any CPU and sent in order
 * (queue.c); with tx_spread off they are segmented and sealed right here.
 */
static void evpn_xmit_one(struct evpn_dev *edev, struct sk_buff *skb,
			  const struct evpn_id *self, struct evpn_nbrs *nb)
{
	struct sk_buff *segs, *next;
	struct evpn_link *link;
	struct evpn_id node;
	const u8 *dmac;
	int idx;

	dmac = eth_hdr(skb)->h_dest;
	if (is_multicast_ether_addr(dmac) || !evpn_kfdb_lookup(edev, dmac, &node)) {
		link = NULL;
	} else {
		idx = evpn_nbrs_next_hop(nb, self, &node);
		if (unlikely(idx < 0)) {
			evpn_tx_drop(edev, skb, EVPN_DROP_NO_ROUTE);
			return;
		}
		link = nb->links[idx];
		if (evpn_txq_enabled()) {
			evpn_txq_enqueue(link, skb, &node);
			return;
		}
	}
	segs = evpn_tx_segs(edev, skb);
	skb_list_walk_safe(segs, skb, next) {
		skb_mark_not_on_list(skb);
		if (link)
			evpn_xmit_seal_one(edev, link, skb, self, &node);
		else
			evpn_xmit_flood_one(edev, skb, self, nb);
	}
}

/*
 * The device takes GSO frames (NETIF_F_GSO_SOFTWARE): the stack then
 * traverses TCP/IP once per 64 KiB instead of once per MTU, which is most
 * of the per-packet cost. They are segmented by the sealer (queue.c, or
 * evpn_xmit_one()) without SG or checksum features, so every segment comes
 * out linear with its checksum computed during the copy -- ready to be
 * sealed in place.
 */
netdev_tx_t evpn_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct evpn_dev *edev = netdev_priv(dev);
	struct evpn_nbrs *nb;
	struct evpn_id self;

	if (unlikely(!pskb_may_pull(skb, ETH_HLEN))) {
		evpn_tx_drop(edev, skb, EVPN_DROP_TRUNCATED);
		return NETDEV_TX_OK;
	}
	evpn_dev_get_id(edev, &self);
	nb = rcu_dereference_bh(edev->nbrs);
	if (unlikely(evpn_id_is_zero(&self) || !nb || !nb->n)) {
		evpn_tx_drop(edev, skb, EVPN_DROP_NO_LINK);
		return NETDEV_TX_OK;
	}
	evpn_xmit_one(edev, skb, &self, nb);
	return NETDEV_TX_OK;
}
