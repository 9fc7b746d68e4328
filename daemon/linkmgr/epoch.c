// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Key epochs of a link (docs/signalling.md section 6). The controlling
 * side starts an epoch with KEYID; the other side installs the epoch's
 * keys in the NEXT slot and answers KEYID; the controlling side installs
 * them in NEXT, swaps to transmit with them and sends KEYACK; the other
 * side swaps. Each side retransmits its message until the answer comes
 * (linkctl.c), so a lost record only delays. The old key stays acceptable
 * for LM_RETIRE_GRACE_MS, then is wiped: no loss across a rekey. Epochs
 * >= 1 mix a fresh X25519 exchange into the exporter output (rekey.h).
 */
#include <string.h>

#include <openssl/crypto.h>

#include "keys.h"
#include "lm.h"
#include "rekey.h"


static gboolean on_retire(gpointer p)
{
	struct link *l = p;

	l->retire_timer = 0;
	if (l->dpl)
		dp_link_retire_key(l->dpl, DP_SLOT_NEXT);
	return G_SOURCE_REMOVE;
}

/*
 * Derive generation @epoch's keys and install them in the NEXT slot, with
 * @tx_id chosen by the peer and @rx_id by us. Exporter context = BE64(epoch)
 * (docs/protocol.md 5.1), generation 0 included.
 */
static int install_next(struct link *l, uint32_t epoch, uint32_t tx_id,
			uint32_t rx_id, const uint8_t *peer_pub)
{
	uint8_t km[EVPN_KEYMAT_LEN], ctx[8] = { 0 };
	struct evpn_dir_key tx, rx;
	struct dp_key_dir dtx, drx;
	int r = -1;

	msg_put_be32(ctx + 4, epoch);
	if (dtls_export(l->dtls, ctx, sizeof(ctx), km, sizeof(km)))
		goto out;
	/* generations >= 1: mix in the fresh exchange, then forget our half */
	if (epoch && (!l->eph || !peer_pub ||
		      rekey_mix(l->eph, peer_pub, epoch, km, sizeof(km))))
		goto out;
	if (evpn_keys_split(km, &l->lm->cfg.self, &l->peer->id, &tx, &rx))
		goto out;
	memcpy(dtx.key, tx.key, sizeof(dtx.key));
	memcpy(dtx.iv, tx.iv, sizeof(dtx.iv));
	dtx.key_id = tx_id;
	memcpy(drx.key, rx.key, sizeof(drx.key));
	memcpy(drx.iv, rx.iv, sizeof(drx.iv));
	drx.key_id = rx_id;
	clear_timer(&l->retire_timer);
	r = dp_link_set_keys(l->dpl, DP_SLOT_NEXT, l->suite, &dtx, &drx);
	if (r)
		g_warning("%s: %s: cannot install keys: %s", l->lm->name,
			  l->peer->hex, g_strerror(-r));
out:
	EVP_PKEY_free(l->eph);
	l->eph = NULL;
	OPENSSL_cleanse(km, sizeof(km));
	OPENSSL_cleanse(&tx, sizeof(tx));
	OPENSSL_cleanse(&rx, sizeof(rx));
	OPENSSL_cleanse(&dtx, sizeof(dtx));
	OPENSSL_cleanse(&drx, sizeof(drx));
	return r;
}

/* Both sides now transmit with @epoch. */
static void swapped(struct link *l, uint32_t epoch)
{
	bool first = !l->have_current;

	dp_link_swap_keys(l->dpl);
	l->epoch = epoch;
	l->have_current = true;
	l->pend_active = l->pend_installed = false;
	l->epoch_started = now_ms();
	{
		const struct dp_counters *c = dp_link_counters(l->dpl);

		l->epoch_pkts_base = c->tx_packets + c->rx_packets;
	}
	if (first) {
		lm_link_up(l);
	} else {
		l->lm->stats.rekeys++;
		g_message("%s: link to %s rekeyed (epoch %u)", l->lm->name,
			  l->peer->hex, epoch);
		l->retire_timer = g_timeout_add(LM_RETIRE_GRACE_MS, on_retire, l);
	}
}

/* Controlling side: start negotiating @epoch. */
void epoch_start(struct link *l, uint32_t epoch)
{
	uint8_t pub[REKEY_PUB_LEN];

	EVP_PKEY_free(l->eph);
	l->eph = NULL;
	if (epoch && !(l->eph = rekey_eph_new(pub))) {
		lm_link_fail(l, "cannot make an ephemeral key", true);
		return;
	}
	l->pend_active = true;
	l->pend_epoch = epoch;
	l->pend_rx_id = random_nonzero();
	l->epoch_last_ms = now_ms();
	linkctl_send_reliable(l, MSG_KEYID, epoch, l->pend_rx_id,
			      epoch ? pub : NULL);
}

void epoch_on_keyid(struct link *l, uint32_t epoch, uint32_t id,
		    const uint8_t *pub)
{
	uint8_t mine[REKEY_PUB_LEN];

	if (!id || (epoch && !pub))
		return;		/* rekeys must carry the fresh exchange */
	if (l->controlling) {
		if (l->pend_active && epoch == l->pend_epoch) {
			if (install_next(l, epoch, id, l->pend_rx_id, pub)) {
				lm_link_fail(l, "key install failed", true);
				return;
			}
			linkctl_done(l);
			swapped(l, epoch);
			linkctl_write(l, MSG_KEYACK, epoch, 0);
		} else if (l->have_current && epoch == l->epoch) {
			linkctl_write(l, MSG_KEYACK, epoch, 0);	/* ack was lost */
		}
		return;
	}
	if (l->pend_installed && epoch == l->pend_epoch) {
		dtls_write(l->dtls, l->ctl_msg, l->ctl_len);	/* dup */
		return;
	}
	/* stale, a jump, or too soon (epoch_limit.c) */
	if (epoch_refused(l, epoch_admit(l, epoch, now_ms()), epoch))
		return;
	EVP_PKEY_free(l->eph);
	l->eph = NULL;
	if (epoch && !(l->eph = rekey_eph_new(mine))) {
		lm_link_fail(l, "cannot make an ephemeral key", true);
		return;
	}
	l->pend_epoch = epoch;
	l->pend_rx_id = random_nonzero();
	if (install_next(l, epoch, id, l->pend_rx_id, pub)) {
		lm_link_fail(l, "key install failed", true);
		return;
	}
	l->pend_active = l->pend_installed = true;
	l->epoch_last_ms = now_ms();
	linkctl_send_reliable(l, MSG_KEYID, epoch, l->pend_rx_id,
			      epoch ? mine : NULL);
}

void epoch_on_keyack(struct link *l, uint32_t epoch)
{
	if (l->controlling || !l->pend_installed || epoch != l->pend_epoch)
		return;
	linkctl_done(l);
	swapped(l, epoch);
}

/* Controlling side, at each tick of an UP link: a new epoch once the
 * current one is old enough or has carried enough records. */
void epoch_check(struct link *l, gint64 now)
{
	struct linkmgr *lm = l->lm;

	if (l->controlling && !l->pend_active) {
		const struct dp_counters *c = dp_link_counters(l->dpl);
		uint64_t pkts = c->tx_packets + c->rx_packets - l->epoch_pkts_base;
		unsigned int secs = lm->cfg.rekey_seconds ?: EVPN_REKEY_AFTER_SECONDS;
		uint64_t maxp = lm->cfg.rekey_packets ?: EVPN_REKEY_AFTER_PACKETS;

		if (now - l->epoch_started >= secs * 1000LL || pkts >= maxp)
			epoch_start(l, l->epoch + 1);
	}
}

/*
 * The link's datapath keys are gone (linkmgr/link.c: relink()): get a
 * fresh epoch over the DTLS session. The controlling side drives epochs:
 * it starts one at once; the other side asks it to (EPOCH_REQ,
 * retransmitted until the KEYID comes). An epoch under negotiation is
 * abandoned (its NEXT key went with the old datapath link), so only a
 * later one is accepted from now on.
 */
void epoch_restart(struct link *l)
{
	uint32_t last = MAX(l->epoch, l->pend_epoch);

	linkctl_done(l);
	clear_timer(&l->retire_timer);
	l->pend_active = l->pend_installed = false;
	l->epoch_pkts_base = 0;		/* the new link counts from 0 */
	l->min_epoch = last + 1;
	if (l->controlling)
		epoch_start(l, last + 1);
	else
		linkctl_send_reliable(l, MSG_EPOCH_REQ, last, 0, NULL);
}

/* Controlling side: the peer lost its keys and wants an epoch > @after. */
void epoch_on_request(struct link *l, uint32_t after)
{
	if (!l->controlling)
		return;
	if (l->pend_active && l->pend_epoch > after)
		return;		/* one is under way: it will do */
	if (epoch_refused(l, epoch_admit_request(l, after, now_ms()), after))
		return;
	epoch_start(l, MAX(MAX(l->epoch, l->pend_epoch), after) + 1);
}
