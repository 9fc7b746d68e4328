// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The in-band control messages of a link (messages.h), sent as DTLS
 * application data so they keep working while the XMPP server is away:
 * encoding, dispatch, retransmission of the key exchange, and the link
 * lists (NBRS / NBRS_ACK): our UP links' peer IDs for the neighbours'
 * 1-lookahead routing (nbrs.h), sent on link up and whenever the set of
 * UP links changes (coalesced with the reevaluation), retransmitted at
 * each tick until acknowledged; the receiver keeps the newest seq per link
 * in the datapath link, so it dies with the link.
 */
#include <stdlib.h>
#include <string.h>

#include "lm.h"
#include "nbrs.h"
#include "rekey.h"

#define CTL_RETX_MS	300
#define CTL_MAX_TRIES	30

_Static_assert(MSG_PUB_LEN == REKEY_PUB_LEN, "KEYID carries an X25519 key");

void linkctl_write(struct link *l, uint8_t type, uint32_t epoch, uint32_t id)
{
	uint8_t m[MSG_LEN];

	m[0] = type;
	msg_put_be32(m + 1, epoch);
	msg_put_be32(m + 5, id);
	dtls_write(l->dtls, m, sizeof(m));
}

static gboolean on_ctl_retx(gpointer p)
{
	struct link *l = p;

	if (++l->ctl_tries > CTL_MAX_TRIES) {
		l->ctl_timer = 0;
		lm_link_fail(l, "key exchange timed out", true);
		return G_SOURCE_REMOVE;
	}
	dtls_write(l->dtls, l->ctl_msg, l->ctl_len);
	return G_SOURCE_CONTINUE;
}

/* Send and keep retransmitting until linkctl_done(). @pub: NULL or an X25519
 * public key to append. */
void linkctl_send_reliable(struct link *l, uint8_t type, uint32_t epoch,
			   uint32_t id, const uint8_t *pub)
{
	l->ctl_msg[0] = type;
	msg_put_be32(l->ctl_msg + 1, epoch);
	msg_put_be32(l->ctl_msg + 5, id);
	l->ctl_len = MSG_LEN;
	if (pub) {
		memcpy(l->ctl_msg + MSG_LEN, pub, MSG_PUB_LEN);
		l->ctl_len = MSG_LEN_PUB;
	}
	l->ctl_pending = true;
	l->ctl_tries = 0;
	clear_timer(&l->ctl_timer);
	dtls_write(l->dtls, l->ctl_msg, l->ctl_len);
	l->ctl_timer = g_timeout_add(CTL_RETX_MS, on_ctl_retx, l);
}

void linkctl_done(struct link *l)
{
	l->ctl_pending = false;
	clear_timer(&l->ctl_timer);
}

/* Our current link list to @l's peer (again, until acknowledged). */
void linkctl_nbrs_send(struct link *l)
{
	struct linkmgr *lm = l->lm;
	uint8_t m[NBRS_MAX_LEN];
	size_t len = nbrs_encode(m, sizeof(m), lm->adv_seq, lm->adv, lm->nadv);

	if (!len || !l->dtls || !dtls_established(l->dtls))
		return;
	dtls_write(l->dtls, m, len);
	l->nbrs_sent = lm->adv_seq;
}

static void on_nbrs(struct link *l, const uint8_t *buf, size_t len)
{
	struct linkmgr *lm = l->lm;
	struct evpn_id ids[EVPN_MAX_NBR_IDS];
	uint32_t seq;
	int n;

	if (nbrs_parse(buf, len, &l->peer->id, &seq, ids, &n)) {
		lm->stats.nbrs_bad++;
		g_debug("%s: %s: malformed link list (ignored)", lm->name,
			l->peer->hex);
		return;
	}
	lm->stats.nbrs_in++;
	linkctl_write(l, MSG_NBRS_ACK, seq, 0);	/* also for a stale one */
	if (seq <= l->nbrs_rx_seq)
		return;
	if (dp_link_set_nbrs(l->dpl, ids, n))
		return;
	l->nbrs_rx_seq = seq;
	l->nbrs_rx_len = n;
	memcpy(l->nbrs_rx, ids, n * sizeof(ids[0]));
}

/* The datapath link was re-created: it gets the peer's list again. */
void linkctl_nbrs_reapply(struct link *l)
{
	if (l->nbrs_rx_seq && dp_link_set_nbrs(l->dpl, l->nbrs_rx, l->nbrs_rx_len))
		l->nbrs_rx_seq = 0;	/* the peer's next list will do */
}

static int id_order(const void *a, const void *b)
{
	return evpn_id_cmp(a, b);
}

/*
 * After every reevaluation: if the set of UP links changed, a new list
 * (new seq) goes to every UP link; a link that came up gets the current
 * one. At most EVPN_MAX_NBR_IDS: a subset of our links is still true,
 * which is all 1-lookahead needs (docs/topology.md).
 */
void linkctl_advertise(struct linkmgr *lm)
{
	struct evpn_id cur[EVPN_MAX_NBR_IDS];
	GHashTableIter it;
	gpointer v;
	int n = 0;

	if (lm->no_lookahead)
		return;
	g_hash_table_iter_init(&it, lm->peers);
	while (g_hash_table_iter_next(&it, NULL, &v) && n < EVPN_MAX_NBR_IDS) {
		struct peer *pe = v;

		if (pe->link && pe->link->st == L_UP)
			cur[n++] = pe->id;
	}
	qsort(cur, n, sizeof(cur[0]), id_order);
	if (n != lm->nadv || memcmp(cur, lm->adv, n * sizeof(cur[0]))) {
		memcpy(lm->adv, cur, n * sizeof(cur[0]));
		lm->nadv = n;
		lm->adv_seq++;
	}
	g_hash_table_iter_init(&it, lm->peers);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		struct peer *pe = v;

		if (pe->link && pe->link->st == L_UP &&
		    pe->link->nbrs_sent != lm->adv_seq)
			linkctl_nbrs_send(pe->link);
	}
}

/* A message from the peer on a live link. */
void linkctl_input(struct link *l, const uint8_t *buf, size_t len)
{
	if (len && buf[0] == MSG_NBRS) {
		on_nbrs(l, buf, len);
		return;
	}
	if (len && (buf[0] == MSG_PMTU_PROBE || buf[0] == MSG_PMTU_ACK)) {
		pmtu_input(l, buf, len);
		return;
	}
	if (len != MSG_LEN && len != MSG_LEN_PUB)
		return;
	if (len == MSG_LEN_PUB && buf[0] != MSG_KEYID)
		return;
	switch (buf[0]) {
	case MSG_KEYID:
		epoch_on_keyid(l, msg_get_be32(buf + 1), msg_get_be32(buf + 5),
			       len == MSG_LEN_PUB ? buf + MSG_LEN : NULL);
		break;
	case MSG_KEYACK:
		epoch_on_keyack(l, msg_get_be32(buf + 1));
		break;
	case MSG_CLOSE:
		lm_link_fail(l, "peer closed the link", false);
		break;
	case MSG_NBRS_ACK:
		if (msg_get_be32(buf + 1) == l->nbrs_sent)
			l->nbrs_acked = l->nbrs_sent;
		break;
	case MSG_EPOCH_REQ:
		epoch_on_request(l, msg_get_be32(buf + 1));
		break;
	case MSG_PING:
		if (msg_get_be32(buf + 5) == MSG_PING_PROBE)
			linkctl_write(l, MSG_PING, l->epoch, 0);
		else if (l->ping_sent_us) {	/* an answer: round trip */
			l->rtt_us = g_get_monotonic_time() - l->ping_sent_us;
			l->ping_sent_us = 0;
		}
		break;
	default:	/* unknown: liveness only */
		break;
	}
}
