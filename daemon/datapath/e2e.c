// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * TAP datapath: end-to-end pair keys (docs/protocol.md section 14). The
 * origin of a unicast frame to a node that is not its next hop seals the
 * frame with the pair key of the two nodes; transit nodes carry the sealed
 * payload inside their hop records without being able to open it; the
 * destination opens it here, checks the pair key's own replay window, and
 * only then delivers and learns. evpnd derives and installs the keys
 * (daemon/e2e.c); this file only holds and uses them.
 */
#include <errno.h>
#include <string.h>
#include <openssl/crypto.h>
#include "dp_internal.h"

static guint id_hash(gconstpointer p)
{
	const struct evpn_id *id = p;

	/* node IDs are hashes of keys (or chosen by an administrator):
	 * their low bits are as good as any */
	return (guint)id->lo ^ (guint)(id->hi >> 32);
}

static gboolean id_equal(gconstpointer a, gconstpointer b)
{
	return evpn_id_eq(a, b);
}

static void e2e_free(gpointer p)
{
	struct dp_e2e *e = p;

	aead_key_clear(&e->tx);
	aead_key_clear(&e->rx);
	OPENSSL_cleanse(e, sizeof(*e));
	g_free(e);
}

int dp_e2e_init(struct dp *dp)
{
	dp->e2e = g_hash_table_new_full(id_hash, id_equal, NULL, e2e_free);
	return dp->e2e ? 0 : -1;
}

void dp_e2e_free(struct dp *dp)
{
	dp->e2e_hit = NULL;
	if (dp->e2e)
		g_hash_table_destroy(dp->e2e);
	dp->e2e = NULL;
}

unsigned int dp_e2e_count(const struct dp *dp)
{
	return dp->e2e ? g_hash_table_size(dp->e2e) : 0;
}

struct dp_e2e *dp_e2e_find(struct dp *dp, const struct evpn_id *node)
{
	struct dp_e2e *e = dp->e2e_hit;

	if (e && evpn_id_eq(&e->node, node))
		return e;
	e = g_hash_table_lookup(dp->e2e, node);
	if (e)
		dp->e2e_hit = e;
	return e;
}

int tap_e2e_set(struct dp *dp, const struct evpn_id *node,
		const struct dp_e2e_key *k)
{
	struct dp_e2e *e;

	if (evpn_id_eq(node, &dp->cfg.node_id))
		return -EINVAL;
	e = g_new0(struct dp_e2e, 1);
	e->node = *node;
	if (aead_key_init(&e->tx, EVPN_AEAD_CHACHA20POLY1305, k->tx.key,
			  k->tx.iv, true) ||
	    aead_key_init(&e->rx, EVPN_AEAD_CHACHA20POLY1305, k->rx.key,
			  k->rx.iv, false)) {
		e2e_free(e);
		return -EINVAL;
	}
	e->tx_counter = k->tx_counter;
	evpn_replay_init(&e->replay);
	dp->e2e_hit = NULL;
	g_hash_table_replace(dp->e2e, &e->node, e);	/* frees the old one */
	return 0;
}

void tap_e2e_del(struct dp *dp, const struct evpn_id *node)
{
	dp->e2e_hit = NULL;
	g_hash_table_remove(dp->e2e, node);
}

int dp_e2e_seal(struct dp_e2e *e, const struct evpn_id *src,
		const struct evpn_id *dst, const uint8_t *frame, size_t len,
		uint8_t *out)
{
	struct evpn_e2e_hdr eh;
	uint8_t aad[EVPN_E2E_AAD_LEN];

	if (e->tx_counter >= EVPN_E2E_REJECT_AFTER)
		return -1;
	eh.counter = e->tx_counter++;
	evpn_e2e_hdr_encode(out, &eh);
	evpn_e2e_aad(aad, src, dst, out);
	if (aead_seal(&e->tx, eh.counter, aad, sizeof(aad), frame, len,
		      out + EVPN_E2E_HDR_LEN, out + EVPN_E2E_HDR_LEN + len))
		return -1;
	e->tx_packets++;
	return 0;
}

enum evpn_drop_reason dp_e2e_open(struct dp *dp, const struct evpn_id *src,
				  const struct evpn_id *dst, uint8_t *p,
				  size_t len)
{
	uint8_t aad[EVPN_E2E_AAD_LEN];
	size_t clen = len - EVPN_E2E_OVERHEAD;	/* wire.c checked len */
	struct evpn_e2e_hdr eh;
	struct dp_e2e *e;

	evpn_e2e_hdr_decode(&eh, p);
	e = dp_e2e_find(dp, src);
	if (!e)
		return EVPN_DROP_E2E_NO_KEY;
	if (!evpn_replay_check(&e->replay, eh.counter))
		return EVPN_DROP_E2E_REPLAY;
	evpn_e2e_aad(aad, src, dst, p);
	if (aead_open(&e->rx, eh.counter, aad, sizeof(aad),
		      p + EVPN_E2E_HDR_LEN, clen, p + EVPN_E2E_HDR_LEN,
		      p + EVPN_E2E_HDR_LEN + clen))
		return EVPN_DROP_E2E_AUTH;
	/* only now, so forgeries cannot move the window */
	if (!evpn_replay_accept(&e->replay, eh.counter))
		return EVPN_DROP_E2E_REPLAY;
	e->rx_packets++;
	return EVPN_DROP_NONE;
}
