/* SPDX-License-Identifier: GPL-2.0 */
/*
 * End-to-end pair keys (docs/protocol.md section 14): sealing unicast to a
 * node that is not the next hop (record type 0xE3) and opening what such
 * a node sealed for us. Lifetimes and locking: kmod/e2e.c.
 */
#ifndef EVPN_KMOD_E2E_H
#define EVPN_KMOD_E2E_H

#include <linux/netlink.h>
#include <linux/skbuff.h>
#include <linux/evpn.h>

#include "id.h"

struct evpn_dev;

#define EVPN_E2E_HASH_BITS	8
/* Most pair keys per device: each holds two AEAD transforms. */
#define EVPN_E2E_MAX_KEYS	16384

/*
 * Does a unicast to @dst through the neighbour @next_hop need the
 * end-to-end layer? Only when the next hop is not the destination itself: one hop stays plain 0xE1,
 * with no extra work (docs/protocol.md 14.1).
 */
static inline bool evpn_e2e_needed(const struct evpn_id *next_hop,
				   const struct evpn_id *dst)
{
	return !evpn_id_eq(next_hop, dst);
}

/*
 * Seal the Ethernet frame at skb->data (linear or not, checksums final)
 * for @dst with the pair key of (@src = this node, @dst): afterwards
 * skb->data is the e2e payload (counter, ciphertext, tag), with room in
 * front for the record header. Returns EVPN_DROP_NONE, or the reason the
 * caller counts and drops for (E2E_NO_KEY: no pair key with @dst, or it
 * reached EVPN_E2E_REJECT_AFTER; NOMEM). BH disabled, RCU read side.
 * Usable before a fragmentation step: the payload is self-contained.
 */
enum evpn_drop_reason evpn_e2e_seal(struct evpn_dev *edev,
				    const struct evpn_id *src,
				    const struct evpn_id *dst,
				    struct sk_buff *skb);

/*
 * Open the e2e payload at skb->data (the plaintext of a 0xE3 record, or a
 * reassembled one) from @src for @dst (this node) with @src's pair key,
 * checking and then updating the pair key's replay window. On success
 * skb->data is the Ethernet frame (mac header reset): deliver it and learn
 * from it as proven. Else the drop reason (TRUNCATED, NOMEM, E2E_NO_KEY,
 * E2E_REPLAY, E2E_AUTH); @skb stays the caller's either way. The 32 bytes
 * in front of skb->data are overwritten (src || dst, the AAD's start).
 * BH disabled, RCU read side.
 */
enum evpn_drop_reason evpn_e2e_open(struct evpn_dev *edev,
				    const struct evpn_id *src,
				    const struct evpn_id *dst,
				    struct sk_buff *skb);

/* Configuration (RTNL). */
int evpn_e2e_set(struct evpn_dev *edev, const struct evpn_id *peer,
		 const u8 *tx_key, const u8 *tx_iv, const u8 *rx_key,
		 const u8 *rx_iv, u64 tx_counter,
		 struct netlink_ext_ack *extack);
int evpn_e2e_del(struct evpn_dev *edev, const struct evpn_id *peer);
void evpn_e2e_del_all(struct evpn_dev *edev);

#endif /* EVPN_KMOD_E2E_H */
