// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * In-band path MTU discovery per link, in the spirit of DPLPMTUD (RFC
 * 8899): no ICMP needed. Probes are DTLS application data (PMTU_PROBE,
 * messages.h) padded so that the whole UDP payload is exactly the record
 * size being tested; they travel the link's 5-tuple, as its data records
 * do, and the peer acknowledges each (PMTU_ACK). The largest size
 * acknowledged becomes the link's record size in the datapath
 * (dp_link_set_record_max; larger frames are split into fragment records).
 *
 *   search   from EVPN_RECORD_DEFAULT: acknowledged -> binary search up to
 *            PMTU_MAX; lost PMTU_TRIES times -> the record size drops to
 *            EVPN_RECORD_MIN at once (a black hole) and the search goes on
 *            between the two
 *   confirm  every PMTU_CONFIRM_MS the size in use is probed again; lost:
 *            black hole, search down as above (the path shrank)
 *   raise    every PMTU_RAISE_MS the search is reopened up to PMTU_MAX
 *            (the path may have grown)
 * A probe lost once is retried after PMTU_PROBE_MS; DTLS itself is
 * unreliable, so only PMTU_TRIES losses in a row count.
 */
#include <string.h>

#include "lm.h"

#define PMTU_BASE	EVPN_RECORD_MIN		/* 1228: an IPv6 1280 path */
#define PMTU_START	EVPN_RECORD_DEFAULT	/* 1448 */
#define PMTU_MAX	(1500 - 20 - 8)		/* 1472: IPv4, no TURN */
#define PMTU_PROBE_MS	1000
#define PMTU_TRIES	3
#define PMTU_CONFIRM_MS	10000
#define PMTU_RAISE_MS	600000
#define PMTU_HDR	9			/* type, seq, size */

static void pmtu_probe(struct link *l, uint32_t size);
static gboolean pmtu_confirm(gpointer p);

static void pmtu_install(struct link *l, uint32_t size)
{
	if (l->pmtu == size)
		return;
	g_message("%s: link to %s: record size %u -> %u (path MTU probing)",
		  l->lm->name, l->peer->hex, l->pmtu, size);
	l->pmtu = size;
	if (l->dpl && dp_link_set_record_max(l->dpl, size))
		g_warning("%s: link to %s: cannot set record size %u",
			  l->lm->name, l->peer->hex, size);
}

static void pmtu_send(struct link *l)
{
	uint8_t m[PMTU_MAX];
	size_t ovh = dtls_overhead(l->dtls), len;

	if (!ovh || l->pmtu_probe < ovh + PMTU_HDR)
		return;
	len = l->pmtu_probe - ovh;
	memset(m, 0, len);
	m[0] = MSG_PMTU_PROBE;
	msg_put_be32(m + 1, l->pmtu_seq);
	msg_put_be32(m + 5, l->pmtu_probe);
	dtls_write(l->dtls, m, len);
	l->lm->stats.pmtu_probes++;
}

/* Next step after the search bounds moved: probe the middle, or settle. */
static void pmtu_next(struct link *l)
{
	if (l->pmtu_lo < l->pmtu_hi) {
		pmtu_probe(l, (l->pmtu_lo + l->pmtu_hi + 1) / 2);
		return;
	}
	l->pmtu_probe = 0;
	clear_timer(&l->pmtu_timer);
	l->pmtu_timer = g_timeout_add(PMTU_CONFIRM_MS, pmtu_confirm, l);
}

static void pmtu_lost(struct link *l)
{
	uint32_t size = l->pmtu_probe;

	l->pmtu_hi = size - 1;
	if (size <= l->pmtu) {
		/* what we send no longer gets through: the smallest size
		 * every path carries, at once, then search */
		l->pmtu_lo = PMTU_BASE;
		pmtu_install(l, PMTU_BASE);
	}
	pmtu_next(l);
}

static gboolean on_pmtu_timer(gpointer p)
{
	struct link *l = p;

	if (++l->pmtu_tries < PMTU_TRIES) {
		pmtu_send(l);
		return G_SOURCE_CONTINUE;
	}
	l->pmtu_timer = 0;
	pmtu_lost(l);
	return G_SOURCE_REMOVE;
}

static void pmtu_probe(struct link *l, uint32_t size)
{
	l->pmtu_probe = size;
	l->pmtu_seq++;
	l->pmtu_tries = 0;
	clear_timer(&l->pmtu_timer);
	pmtu_send(l);
	l->pmtu_timer = g_timeout_add(PMTU_PROBE_MS, on_pmtu_timer, l);
}

gboolean pmtu_confirm(gpointer p)
{
	struct link *l = p;

	l->pmtu_timer = 0;
	if (now_ms() >= l->pmtu_raise_at) {
		l->pmtu_raise_at = now_ms() + PMTU_RAISE_MS;
		l->pmtu_hi = PMTU_MAX;
	}
	if (l->pmtu_lo < l->pmtu_hi)
		pmtu_next(l);
	else
		pmtu_probe(l, l->pmtu);
	return G_SOURCE_REMOVE;
}

void pmtu_start(struct link *l)
{
	l->pmtu = PMTU_START;	/* the datapath's default */
	l->pmtu_lo = PMTU_BASE;
	l->pmtu_hi = PMTU_MAX;
	l->pmtu_raise_at = now_ms() + PMTU_RAISE_MS;
	pmtu_probe(l, PMTU_START);
}

void pmtu_stop(struct link *l)
{
	clear_timer(&l->pmtu_timer);
	l->pmtu_probe = 0;
}

/* The datapath link was re-created: it gets the size again. */
void pmtu_reapply(struct link *l)
{
	if (l->pmtu && l->pmtu != PMTU_START && l->dpl)
		dp_link_set_record_max(l->dpl, l->pmtu);
}

void pmtu_input(struct link *l, const uint8_t *buf, size_t len)
{
	uint32_t seq, size;

	if (len < PMTU_HDR)
		return;
	seq = msg_get_be32(buf + 1);
	size = msg_get_be32(buf + 5);
	if (buf[0] == MSG_PMTU_PROBE) {
		linkctl_write(l, MSG_PMTU_ACK, seq, size);
		return;
	}
	/* an ACK: only for the probe outstanding */
	if (!l->pmtu_probe || seq != l->pmtu_seq || size != l->pmtu_probe)
		return;
	clear_timer(&l->pmtu_timer);
	l->pmtu_lo = size;
	if (size > l->pmtu)
		pmtu_install(l, size);
	pmtu_next(l);
}
