// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * TAP datapath: links, their key slots and counters, and `show` output.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <openssl/crypto.h>
#include "config.h"
#include "dp_internal.h"
#include "fmt.h"
#include "names.h"
#include "noncefloor.h"
#include "ratelimit.h"

_Static_assert((int)DP_SUITE_AES256GCM == (int)EVPN_AEAD_AES256GCM &&
	       (int)DP_SUITE_CHACHA20POLY1305 ==
	       (int)EVPN_AEAD_CHACHA20POLY1305,
	       "enum dp_suite names lib/aead.h's suites");

const char *dp_suite_name(enum dp_suite s)
{
	return evpn_aead_name((enum evpn_aead)s);
}

int dp_suite_parse(const char *name, enum dp_suite *out)
{
	enum evpn_aead a;

	if (evpn_aead_parse(name, &a))
		return -1;
	*out = (enum dp_suite)a;
	return 0;
}

/* One spelling for evpnd, evpnctl and the docs: lib/names.c. */
const char *dp_drop_name(enum evpn_drop_reason r)
{
	return evpn_drop_name(r);
}

void dp_count_drop(struct dp *dp, struct dp_link *l, enum evpn_drop_reason r)
{
	dp->c.drops[r]++;
	if (l)
		l->c.drops[r]++;
}

/* Neighbours for evpn_route_la_next_hop / evpn_flood_split: every link
 * that can transmit, whichever side created it, with its peer's link list
 * (dp->nn, allocated with the device). */
void dp_rebuild_nbrs(struct dp *dp)
{
	struct dp_link *l;
	int n = 0, off = 0;

	for (l = dp->links; l && n < DP_MAX_LINKS; l = l->next) {
		if (!l->slot[l->cur].valid)
			continue;
		dp->nbr[n] = l;
		dp->nbr_id[n] = l->peer;
		dp->nn_len[n] = dp->nn ? l->nbr_list_len : 0;
		if (dp->nn_len[n])
			memcpy(dp->nn + off, l->nbr_list,
			       l->nbr_list_len * sizeof(l->nbr_list[0]));
		off += dp->nn_len[n];
		n++;
	}
	dp->nnbr = n;
	dp->hit_link = NULL;
}

int tap_link_set_nbrs(struct dp_link *link, const struct evpn_id *ids, int n)
{
	memcpy(link->nbr_list, ids, n * sizeof(ids[0]));
	link->nbr_list_len = n;
	dp_rebuild_nbrs(link->dp);
	return 0;
}

int tap_link_set_record_max(struct dp_link *link, uint32_t bytes)
{
	link->rec_max = bytes;
	return 0;
}

bool dp_key_lookup(struct dp *dp, uint32_t key_id, struct dp_link **link,
		   int *slot)
{
	struct dp_link *l = dp->hit_link;
	int i;

	if (l && l->slot[dp->hit_slot].valid &&
	    l->slot[dp->hit_slot].rx_key_id == key_id) {
		*link = l;
		*slot = dp->hit_slot;
		return true;
	}
	/* tens of links: a linear scan is cheaper than keeping a hash */
	for (l = dp->links; l; l = l->next)
		for (i = 0; i < DP_NSLOTS; i++)
			if (l->slot[i].valid && l->slot[i].rx_key_id == key_id) {
				dp->hit_link = *link = l;
				dp->hit_slot = *slot = i;
				return true;
			}
	return false;
}

bool dp_slot_expired(const struct dp_link *l, const struct dp_keyslot *s)
{
	if (l->no_expire)
		return false;
	if (s->tx_counter >= EVPN_REJECT_AFTER_PACKETS ||
	    s->rx_packets >= EVPN_REJECT_AFTER_PACKETS)
		return true;
	return g_get_monotonic_time() - s->installed >
	       (gint64)EVPN_REJECT_AFTER_SECONDS * G_USEC_PER_SEC;
}

struct dp_link *tap_link_add(struct dp *dp, const struct evpn_id *peer,
			    const char *name, const struct dp_transport *t)
{
	struct dp_link *l;

	if (dp->nlinks >= DP_MAX_LINKS || evpn_id_eq(peer, &dp->cfg.node_id))
		return NULL;
	if (name && tap_link_find(dp, name))
		return NULL;
	l = calloc(1, sizeof(*l));
	if (!l)
		return NULL;
	l->dp = dp;
	l->peer = *peer;
	snprintf(l->name, sizeof(l->name), "%s", name ? name : "");
	l->t = *t;
	l->rec_max = EVPN_RECORD_DEFAULT;
	l->next = dp->links;
	dp->links = l;
	dp->nlinks++;
	return l;
}

static void slot_clear(struct dp_keyslot *s)
{
	aead_key_clear(&s->tx);
	aead_key_clear(&s->rx);
	OPENSSL_cleanse(s, sizeof(*s));
}

static void link_free(struct dp_link *l)
{
	int i;

	for (i = 0; i < DP_NSLOTS; i++)
		slot_clear(&l->slot[i]);
	free(l);
}

void tap_link_del(struct dp *dp, struct dp_link *link)
{
	struct dp_link **p;
	uint32_t i;

	for (p = &dp->links; *p; p = &(*p)->next)
		if (*p == link) {
			*p = link->next;
			dp->nlinks--;
			break;
		}
	/* records already queued for this link must not outlive it */
	for (i = 0; i < (uint32_t)dp->txq.n; i++)
		if (dp->txq.link[i] == link)
			dp->txq.link[i] = NULL;
	dp_rebuild_nbrs(dp);
	link_free(link);
}

void dp_links_free(struct dp *dp)
{
	struct dp_link *l, *n;

	for (l = dp->links; l; l = n) {
		n = l->next;
		link_free(l);
	}
	dp->links = NULL;
	dp->nlinks = 0;
	dp->nnbr = 0;
	dp->hit_link = NULL;
}

struct dp_link *tap_link_find(struct dp *dp, const char *name)
{
	struct dp_link *l;

	for (l = dp->links; l; l = l->next)
		if (!strcmp(l->name, name))
			return l;
	return NULL;
}

int tap_link_set_transport(struct dp_link *link, const struct dp_transport *t)
{
	link->t = *t;
	return 0;
}

const struct evpn_id *tap_link_peer(const struct dp_link *link)
{
	return &link->peer;
}

const char *tap_link_name(const struct dp_link *link)
{
	return link->name;
}

void tap_link_set_user(struct dp_link *link, void *user)
{
	link->user = user;
}

void *tap_link_user(const struct dp_link *link)
{
	return link->user;
}

void tap_link_set_static(struct dp_link *link, bool is_static)
{
	link->no_expire = is_static;
}

/* Static keys survive restarts: their counters come from the persisted
 * nonce floor (noncefloor.h), never from 0. */
bool dp_flood_admit(struct dp *dp, struct dp_link *l)
{
	uint32_t rate = dp->cfg.flood_rate;

	return evpn_gcra(&l->flood_tat, g_get_monotonic_time() * 1000ULL, rate,
			 EVPN_FLOOD_BURST(rate));
}

bool dp_static_nonce_ok(const struct dp_link *l, const struct dp_keyslot *s)
{
	return !l->no_expire || s->tx_counter < nonce_floor_ceiling() ||
	       !nonce_floor_extend(s->tx_counter);
}

int tap_link_set_keys(struct dp_link *link, enum dp_slot slot,
		     enum dp_suite suite, const struct dp_key_dir *tx,
		     const struct dp_key_dir *rx)
{
	struct dp *dp = link->dp;
	struct dp_keyslot ns, *s;
	struct dp_link *o;
	int i, idx = (link->cur + slot) % DP_NSLOTS;

	if (!tx->key_id || !rx->key_id)
		return -EINVAL;
	for (o = dp->links; o; o = o->next)
		for (i = 0; i < DP_NSLOTS; i++)
			if (o->slot[i].valid &&
			    o->slot[i].rx_key_id == rx->key_id &&
			    !(o == link && i == idx))
				return -EEXIST;
	memset(&ns, 0, sizeof(ns));
	if (aead_key_init(&ns.tx, (enum evpn_aead)suite, tx->key, tx->iv, true))
		return -EINVAL;
	if (aead_key_init(&ns.rx, (enum evpn_aead)suite, rx->key, rx->iv, false)) {
		aead_key_clear(&ns.tx);
		return -EINVAL;
	}
	ns.valid = true;
	ns.suite = suite;
	ns.tx_key_id = tx->key_id;
	ns.rx_key_id = rx->key_id;
	if (link->no_expire && !(ns.tx_counter = nonce_floor_start(0))) {
		aead_key_clear(&ns.tx);
		aead_key_clear(&ns.rx);
		return -EIO;
	}
	ns.installed = g_get_monotonic_time();
	evpn_replay_init(&ns.replay);
	s = &link->slot[idx];
	slot_clear(s);
	*s = ns;
	OPENSSL_cleanse(&ns, sizeof(ns));
	dp_rebuild_nbrs(dp);
	return 0;
}

void tap_link_swap_keys(struct dp_link *link)
{
	link->cur = (link->cur + 1) % DP_NSLOTS;
	dp_rebuild_nbrs(link->dp);
}

void tap_link_retire_key(struct dp_link *link, enum dp_slot slot)
{
	slot_clear(&link->slot[(link->cur + slot) % DP_NSLOTS]);
	dp_rebuild_nbrs(link->dp);
}

const struct dp_counters *tap_counters(const struct dp *dp)
{
	return &dp->c;
}

const struct dp_counters *tap_link_counters(const struct dp_link *link)
{
	return &link->c;
}

void tap_link_foreach(struct dp *dp, dp_link_iter_fn fn, void *ctx)
{
	struct dp_link *l, *n;

	for (l = dp->links; l; l = n) {
		n = l->next;
		fn(l, ctx);
	}
}

const char *tap_ifname(const struct dp *dp)
{
	return dp->cfg.ifname;
}

const struct evpn_id *tap_node_id(const struct dp *dp)
{
	return &dp->cfg.node_id;
}

enum dp_kind tap_kind(const struct dp *dp)
{
	return dp->cfg.kind;
}

