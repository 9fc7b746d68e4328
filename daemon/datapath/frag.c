// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * TAP datapath: payloads too large for one record are split here into
 * fragment records at their origin, and fragments for this node are
 * reassembled here (core/frag.h holds the format and the table; this file
 * owns its memory and clock). A unicast through transit nodes is sealed
 * end to end first (path.c) and split as an e2e payload (inner type 0xE3);
 * one to a neighbour is split as a plain frame (0xE1). Transit nodes never
 * come here for unicast fragments: path.c forwards them like any record.
 */
#include <stdlib.h>
#include <string.h>
#include <openssl/rand.h>
#include "dp_internal.h"
#include "icmp.h"

/* At most this many "packet too big" answers per second. */
#define DP_ICMP_PER_SEC	100

static void reasm_drop(void *ctx, enum evpn_drop_reason r)
{
	struct dp *dp = ctx;

	dp->c.drops[r]++;
}

static uint64_t now_ms(void)
{
	return (uint64_t)g_get_monotonic_time() / 1000;
}

/* Partial payloads time out even when no further fragment arrives. */
static gboolean on_reasm_timer(gpointer data)
{
	struct dp *dp = data;

	evpn_reasm_expire(&dp->reasm, now_ms());
	return G_SOURCE_CONTINUE;
}

int dp_frag_setup(struct dp *dp)
{
	dp->frag_pt = malloc(dp->bufsz);
	dp->frag_sealed = malloc(dp->bufsz);	/* bufsz: room for e2e */
	dp->reasm_ent = calloc(EVPN_REASM_SLOTS, sizeof(*dp->reasm_ent));
	dp->reasm_mem = malloc((size_t)EVPN_REASM_SLOTS * EVPN_MAX_PAYLOAD_LEN);
	if (!dp->frag_pt || !dp->frag_sealed || !dp->reasm_ent ||
	    !dp->reasm_mem)
		return -1;
	/* a random start, so a restarted node's IDs do not meet the ones a
	 * peer may still hold from before */
	if (RAND_bytes((unsigned char *)&dp->frag_id, sizeof(dp->frag_id)) != 1)
		dp->frag_id = (uint32_t)g_get_monotonic_time();
	evpn_reasm_init(&dp->reasm, dp->reasm_ent, EVPN_REASM_SLOTS,
			dp->reasm_mem, reasm_drop, dp);
	dp->reasm_timer = g_timeout_add(EVPN_REASM_TIMEOUT_MS / 2,
					on_reasm_timer, dp);
	return 0;
}

void dp_frag_free(struct dp *dp)
{
	if (dp->reasm_timer)
		g_source_remove(dp->reasm_timer);
	free(dp->frag_pt);
	free(dp->frag_sealed);
	free(dp->reasm_ent);
	free(dp->reasm_mem);
}

void dp_frag_too_big(struct dp *dp, const uint8_t *frame, size_t len)
{
	uint8_t out[EVPN_ICMP_MAX];
	size_t n;

	if (dp->icmp_sec != dp->now) {
		dp->icmp_sec = dp->now;
		dp->icmp_left = DP_ICMP_PER_SEC;
	}
	if (!dp->icmp_left)
		return;
	n = evpn_icmp_too_big(frame, len, dp->cfg.mtu, out);
	if (!n)
		return;
	dp->icmp_left--;
	dp->icmp_too_big++;
	dp_tap_write(dp, out, n);
}

size_t dp_frag_tso_frame(const struct dp *dp)
{
	return EVPN_MSS_FRAME;
}

void dp_frag_send(struct dp *dp, struct dp_link *link, uint8_t inner,
		  const struct evpn_id *dst, const uint8_t *payload, size_t len,
		  size_t rec_max, uint32_t id)
{
	struct evpn_frag_hdr f = { .inner = inner, .total = (uint16_t)len,
				   .id = id };
	unsigned int pieces;
	size_t slice, off, n;

	if (!evpn_frag_total_ok(inner, len) ||
	    !evpn_frag_plan(len, rec_max - EVPN_OVERHEAD, &slice, &pieces)) {
		dp_count_drop(dp, link, EVPN_DROP_TOO_BIG);
		return;
	}
	for (off = 0; off < len; off += n) {
		n = len - off < slice ? len - off : slice;
		f.offset = (uint16_t)off;
		evpn_frag_hdr_encode(dp->frag_pt, &f);
		memcpy(dp->frag_pt + EVPN_FRAG_HLEN, payload + off, n);
		dp_send_record(dp, link, evpn_frag_outer(inner),
			       EVPN_TTL_DEFAULT, &dp->cfg.node_id, dst,
			       dp->frag_pt, EVPN_FRAG_HLEN + n);
	}
	dp->frag_tx++;
}

/*
 * A completed payload, as the plaintext of a record of its inner type
 * (docs/protocol.md 14.3): an e2e payload is opened with the pair key,
 * which proves its origin; a plain frame proves its origin only if every
 * piece came from it directly (src == via): a relayed plain unicast is
 * BAD_SRC, as a whole one is, and a relayed flood teaches the FDB only
 * tentatively.
 */
static void reasm_done(struct dp *dp, struct dp_link *from,
		       struct evpn_reasm_ent *e)
{
	bool proven = evpn_id_eq(&e->src, &e->via) || dp->no_e2e;

	dp->frag_rx++;
	switch (e->inner) {
	case EVPN_TYPE_E2E:
		dp_deliver_e2e(dp, from, &e->src, e->buf, e->total);
		break;
	case EVPN_TYPE_UNICAST:
		if (!proven)
			dp_count_drop(dp, from, EVPN_DROP_BAD_SRC);
		else
			dp_deliver(dp, &e->src, e->buf, e->total, true, false);
		break;
	default:	/* EVPN_TYPE_FLOOD */
		dp_deliver(dp, &e->src, e->buf, e->total, proven, true);
		break;
	}
}

void dp_frag_input(struct dp *dp, struct dp_link *from,
		   const struct evpn_hdr *h, const uint8_t *pt, size_t len)
{
	struct evpn_reasm_ent *done;
	struct evpn_frag_hdr f;
	enum evpn_drop_reason r;

	r = evpn_frag_hdr_decode(&f, h->type, pt, len);
	if (r == EVPN_DROP_NONE)
		r = evpn_reasm_add(&dp->reasm, &h->src, &from->peer, &f,
				   pt + EVPN_FRAG_HLEN, len - EVPN_FRAG_HLEN,
				   now_ms(), &done);
	if (r != EVPN_DROP_NONE) {
		dp_count_drop(dp, from, r);
		return;
	}
	if (!done)
		return;
	reasm_done(dp, from, done);
	evpn_reasm_release(done);
}
