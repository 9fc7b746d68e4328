// SPDX-License-Identifier: GPL-2.0
/*
 * End-to-end pair keys (docs/protocol.md section 14). A unicast frame to
 * a node that is not the next hop is sealed by its origin with the pair
 * key of the two nodes, and the record carrying it is of type 0xE3;
 * transit nodes carry it unopened (they do not hold the key), and only the
 * destination opens it here -- which proves the origin -- before it
 * delivers the frame and learns from it. evpnd derives the keys (per-run
 * X25519 from signed presence, or pre-shared) and installs them over
 * generic netlink (E2E_SET / E2E_DEL); this module never derives one.
 *
 * Wire: the e2e payload is counter (8) || ChaCha20-Poly1305 ciphertext ||
 * tag (16), with AAD src (16) || dst (16) || counter (8). In a record the
 * header's src and dst are bytes 16..47 and the payload starts at 48, so
 * the AAD is contiguous in the buffer: sealing writes src || dst in front
 * of the counter (where the hop header's own src and dst then go) and
 * opening writes them back in front of the payload; one scatterlist
 * entry, no copy.
 *
 * Lifetimes and locking (as the link keys', kmod/link.c): pair keys live
 * in a per-device hash by node ID, written under RTNL, read under RCU by
 * the datapath, which keeps no pointer past its read-side section (a
 * queued frame looks its key up again when it is sealed). The hash holds
 * the one reference; the last put frees the key after a grace period in
 * process context (freeing a transform may sleep), with kfree_sensitive()
 * for the IVs and the struct; the transforms wipe their key schedules.
 * Each direction of the receive side has its replay window (core/replay.c)
 * under a spinlock, moved only after the tag verified, so forgeries cannot
 * move it. The transmit counter is an atomic: sealers on several CPUs
 * take distinct counters; the little reordering that causes is within the
 * window.
 */
#include <linux/hash.h>
#include <linux/rculist.h>
#include <linux/slab.h>

#include "crypto.h"
#include "device.h"
#include "e2e.h"
#include "link.h"
#include "replay.h"
#include "tx.h"
#include "wire.h"

#define EVPN_E2E_ID_BYTES	(2 * EVPN_ID_LEN)	/* src || dst */

struct evpn_e2e {
	struct hlist_node	hnode;		/* evpn_dev.e2e by @node */
	struct kref		refcount;
	struct rcu_work		free_work;
	struct evpn_id		node;
	struct evpn_aead	tx_aead, rx_aead;
	u8			tx_iv[EVPN_IV_LEN], rx_iv[EVPN_IV_LEN];
	atomic64_t		tx_counter;	/* next counter to seal with */
	spinlock_t		replay_lock;
	struct evpn_replay	replay;
};

static struct hlist_head *evpn_e2e_bucket(struct evpn_dev *edev,
					  const struct evpn_id *node)
{
	/* node IDs are key hashes or chosen: any bits will do */
	return &edev->e2e[hash_64(node->hi ^ node->lo, EVPN_E2E_HASH_BITS)];
}

static struct evpn_e2e *evpn_e2e_lookup(struct evpn_dev *edev,
					const struct evpn_id *node)
{
	struct evpn_e2e *pk;

	hlist_for_each_entry_rcu(pk, evpn_e2e_bucket(edev, node), hnode)
		if (evpn_id_eq(&pk->node, node))
			return pk;
	return NULL;
}

static struct evpn_e2e *evpn_e2e_find_rtnl(struct evpn_dev *edev,
					   const struct evpn_id *node)
{
	struct evpn_e2e *pk;

	ASSERT_RTNL();
	hlist_for_each_entry(pk, evpn_e2e_bucket(edev, node), hnode)
		if (evpn_id_eq(&pk->node, node))
			return pk;
	return NULL;
}

/* ---- datapath ---- */

/* The AAD's src || dst, at @p (32 bytes). */
static void evpn_e2e_put_ids(u8 *p, const struct evpn_id *src,
			     const struct evpn_id *dst)
{
	evpn_id_to_bytes(src, p);
	evpn_id_to_bytes(dst, p + EVPN_ID_LEN);
}

enum evpn_drop_reason evpn_e2e_seal(struct evpn_dev *edev,
				    const struct evpn_id *src,
				    const struct evpn_id *dst,
				    struct sk_buff *skb)
{
	struct evpn_e2e_hdr eh;
	struct evpn_e2e *pk;
	u8 *p;

	pk = evpn_e2e_lookup(edev, dst);
	if (unlikely(!pk))
		return EVPN_DROP_E2E_NO_KEY;
	/* room for both layers at once: one reallocation at most */
	if (unlikely(evpn_tx_make_room(skb, EVPN_TX_E2E_HEADROOM,
				       EVPN_TX_E2E_TAILROOM)))
		return EVPN_DROP_NOMEM;
	eh.counter = atomic64_inc_return(&pk->tx_counter) - 1;
	if (unlikely(eh.counter >= EVPN_E2E_REJECT_AFTER))
		return EVPN_DROP_E2E_NO_KEY;	/* out of reach; never wraps */
	p = skb_push(skb, EVPN_E2E_AAD_LEN);
	evpn_e2e_put_ids(p, src, dst);
	evpn_e2e_hdr_encode(p + EVPN_E2E_ID_BYTES, &eh);
	skb_put(skb, EVPN_TAG_LEN);
	if (unlikely(evpn_aead_crypt_ad(&pk->tx_aead, true, pk->tx_iv,
					eh.counter, skb->data,
					EVPN_E2E_AAD_LEN, skb->len)))
		return EVPN_DROP_TX_ERROR;
	/* the record header brings src and dst back in front */
	__skb_pull(skb, EVPN_E2E_ID_BYTES);
	return EVPN_DROP_NONE;
}

static bool evpn_e2e_replay(struct evpn_e2e *pk, u64 counter, bool accept)
{
	bool ok;

	spin_lock(&pk->replay_lock);
	ok = accept ? evpn_replay_accept(&pk->replay, counter) :
		      evpn_replay_check(&pk->replay, counter);
	spin_unlock(&pk->replay_lock);
	return ok;
}

enum evpn_drop_reason evpn_e2e_open(struct evpn_dev *edev,
				    const struct evpn_id *src,
				    const struct evpn_id *dst,
				    struct sk_buff *skb)
{
	struct evpn_e2e_hdr eh;
	struct evpn_e2e *pk;
	int ret;

	if (unlikely(skb->len < EVPN_E2E_OVERHEAD + EVPN_ETH_HLEN))
		return EVPN_DROP_TRUNCATED;
	/* a no-op on the receive path (linear, private, a header in front) */
	if (unlikely(skb_linearize(skb) ||
		     skb_cow_head(skb, EVPN_E2E_ID_BYTES)))
		return EVPN_DROP_NOMEM;
	pk = evpn_e2e_lookup(edev, src);
	if (unlikely(!pk))
		return EVPN_DROP_E2E_NO_KEY;
	evpn_e2e_hdr_decode(&eh, skb->data);
	if (unlikely(!evpn_e2e_replay(pk, eh.counter, false)))
		return EVPN_DROP_E2E_REPLAY;
	evpn_e2e_put_ids(skb_push(skb, EVPN_E2E_ID_BYTES), src, dst);
	ret = evpn_aead_crypt_ad(&pk->rx_aead, false, pk->rx_iv, eh.counter,
				 skb->data, EVPN_E2E_AAD_LEN, skb->len);
	__skb_pull(skb, EVPN_E2E_ID_BYTES);
	if (unlikely(ret))
		return ret == -EBADMSG ? EVPN_DROP_E2E_AUTH : EVPN_DROP_NOMEM;
	/* only now, so forgeries cannot move the window */
	if (unlikely(!evpn_e2e_replay(pk, eh.counter, true)))
		return EVPN_DROP_E2E_REPLAY;
	__skb_pull(skb, EVPN_E2E_HDR_LEN);
	__skb_trim(skb, skb->len - EVPN_TAG_LEN);
	skb_reset_mac_header(skb);
	return EVPN_DROP_NONE;
}

/* ---- configuration ---- */

static void evpn_e2e_free(struct evpn_e2e *pk)
{
	evpn_aead_destroy(&pk->tx_aead);
	evpn_aead_destroy(&pk->rx_aead);
	kfree_sensitive(pk);
}

static void evpn_e2e_free_work(struct work_struct *work)
{
	evpn_e2e_free(container_of(to_rcu_work(work), struct evpn_e2e,
				   free_work));
}

static void evpn_e2e_release(struct kref *kref)
{
	struct evpn_e2e *pk = container_of(kref, struct evpn_e2e, refcount);

	evpn_key_queue_free(&pk->free_work);
}

static void evpn_e2e_put(struct evpn_e2e *pk)
{
	if (pk)
		kref_put(&pk->refcount, evpn_e2e_release);
}

static struct evpn_e2e *evpn_e2e_alloc(const u8 *tx_key, const u8 *rx_key,
				       struct netlink_ext_ack *extack)
{
	struct evpn_e2e *pk;
	int ret;

	pk = kzalloc(sizeof(*pk), GFP_KERNEL);
	if (!pk)
		return ERR_PTR(-ENOMEM);
	kref_init(&pk->refcount);
	INIT_RCU_WORK(&pk->free_work, evpn_e2e_free_work);
	spin_lock_init(&pk->replay_lock);
	evpn_replay_init(&pk->replay);
	/* ChaCha20-Poly1305 whatever the links use (docs/protocol.md 14.1) */
	ret = evpn_aead_init(&pk->tx_aead, EVPN_SUITE_CHACHA20POLY1305, tx_key,
			     extack);
	if (!ret)
		ret = evpn_aead_init(&pk->rx_aead, EVPN_SUITE_CHACHA20POLY1305,
				     rx_key, extack);
	if (ret) {
		evpn_e2e_free(pk);
		return ERR_PTR(ret);
	}
	return pk;
}

int evpn_e2e_set(struct evpn_dev *edev, const struct evpn_id *peer,
		 const u8 *tx_key, const u8 *tx_iv, const u8 *rx_key,
		 const u8 *rx_iv, u64 tx_counter,
		 struct netlink_ext_ack *extack)
{
	struct evpn_e2e *pk, *old;

	ASSERT_RTNL();
	old = evpn_e2e_find_rtnl(edev, peer);
	if (!old && edev->n_e2e >= EVPN_E2E_MAX_KEYS) {
		NL_SET_ERR_MSG(extack, "evpn: too many pair keys (EVPN_E2E_MAX_KEYS)");
		return -ENOSPC;
	}
	pk = evpn_e2e_alloc(tx_key, rx_key, extack);
	if (IS_ERR(pk))
		return PTR_ERR(pk);
	pk->node = *peer;
	memcpy(pk->tx_iv, tx_iv, EVPN_IV_LEN);
	memcpy(pk->rx_iv, rx_iv, EVPN_IV_LEN);
	atomic64_set(&pk->tx_counter, tx_counter);
	if (old) {
		hlist_replace_rcu(&old->hnode, &pk->hnode);
		evpn_e2e_put(old);
	} else {
		hlist_add_head_rcu(&pk->hnode, evpn_e2e_bucket(edev, peer));
		edev->n_e2e++;
	}
	return 0;
}

static void evpn_e2e_unhash(struct evpn_dev *edev, struct evpn_e2e *pk)
{
	ASSERT_RTNL();
	hlist_del_rcu(&pk->hnode);
	edev->n_e2e--;
	evpn_e2e_put(pk);
}

int evpn_e2e_del(struct evpn_dev *edev, const struct evpn_id *peer)
{
	struct evpn_e2e *pk = evpn_e2e_find_rtnl(edev, peer);

	if (!pk)
		return -ENOENT;
	evpn_e2e_unhash(edev, pk);
	return 0;
}

void evpn_e2e_del_all(struct evpn_dev *edev)
{
	struct hlist_node *tmp;
	struct evpn_e2e *pk;
	unsigned int b;

	ASSERT_RTNL();
	for (b = 0; b < ARRAY_SIZE(edev->e2e); b++)
		hlist_for_each_entry_safe(pk, tmp, &edev->e2e[b], hnode)
			evpn_e2e_unhash(edev, pk);
}
