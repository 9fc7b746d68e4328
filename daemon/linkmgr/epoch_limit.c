// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Which key epochs a peer may make us install (security review M5): each
 * new epoch costs an X25519 exchange and a datapath key install (with the
 * kernel datapath, an RTNL-held netlink request), so a peer that could
 * name any higher epoch at any rate could keep the host busy installing
 * keys. A new epoch is therefore accepted only
 *
 *  - as the next one: the current epoch + 1 (epoch 0 on a new link), or
 *    the one after an epoch we installed but the peer has not confirmed
 *    (it abandoned that one when its datapath link moved: epoch_restart()).
 *    While our own link recovers from a lost datapath link, the
 *    controlling side may have counted up to two epochs we never saw (one
 *    under negotiation when the path broke, one for the restart), so the
 *    window is then [min_epoch, min_epoch + LM_EPOCH_RELINK_SLACK];
 *  - at most once per LM_EPOCH_MIN_MS: a legitimate KEYID refused for
 *    coming too soon is retransmitted (linkctl.c, every 300 ms) and
 *    accepted a moment later, so the limit costs honest peers nothing.
 *
 * EPOCH_REQ (the peer lost its keys) obeys the same two rules on the
 * controlling side. Refusals are counted (show: epoch_refused) and logged
 * at debug level only (a hostile peer must not flood the log).
 */
#include "lm.h"

/* The lowest epoch we would accept next, and how far above it we may go. */
static void window(const struct link *l, uint32_t *lo, uint32_t *hi)
{
	uint32_t next = l->have_current ? l->epoch + 1 : 0;

	*lo = MAX(next, l->min_epoch);
	*hi = *lo + (l->min_epoch > next ? LM_EPOCH_RELINK_SLACK : 0);
	/* the epoch we installed is still unconfirmed: the peer may have
	 * abandoned it for the one after (its own relink) */
	if (l->pend_installed)
		*hi = MAX(*hi, l->pend_epoch + 1);
}

enum epoch_verdict epoch_admit(const struct link *l, uint32_t epoch,
			       gint64 now)
{
	uint32_t lo, hi;

	window(l, &lo, &hi);
	if (epoch < lo)
		return EPOCH_STALE;
	if (epoch > hi || epoch == UINT32_MAX)
		return EPOCH_JUMP;
	if (l->epoch_last_ms && now - l->epoch_last_ms < LM_EPOCH_MIN_MS)
		return EPOCH_TOO_SOON;
	return EPOCH_OK;
}

enum epoch_verdict epoch_admit_request(const struct link *l, uint32_t after,
				       gint64 now)
{
	uint32_t ours = MAX(l->epoch, l->pend_epoch);

	/* the peer has seen at most what we sent, plus a relink's slack */
	if (after > ours + LM_EPOCH_RELINK_SLACK || after >= UINT32_MAX - 1)
		return EPOCH_JUMP;
	if (l->epoch_last_ms && now - l->epoch_last_ms < LM_EPOCH_MIN_MS)
		return EPOCH_TOO_SOON;
	return EPOCH_OK;
}

bool epoch_refused(struct link *l, enum epoch_verdict v, uint32_t epoch)
{
	if (v == EPOCH_OK)
		return false;
	if (v == EPOCH_STALE)	/* a late retransmission: not the peer's fault */
		return true;
	l->lm->stats.epoch_refused++;
	g_debug("%s: %s: epoch %u refused (%s)", l->lm->name, l->peer->hex,
		epoch, v == EPOCH_JUMP ? "not the next epoch" : "too soon");
	return true;
}
