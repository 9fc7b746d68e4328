// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * TAP datapath: what happens to each record received and each frame read
 * from the device. Forwarding decisions come from the shared core
 * (core/fwd.h, core/fdb.h); this file only applies them.
 */
#include <string.h>
#include "dp_internal.h"
#include "route_la.h"

#define likely_fits(len, max) __builtin_expect((len) + EVPN_OVERHEAD <= (max), 1)

/*
 * Encrypt @pt into a transmit slot for @link with the given header
 * fields and queue it. The link's current slot is usable (it is a
 * neighbour), but may have hit its hard limit. With @e2e (record type
 * 0xE3 from its origin), the frame is first sealed end to end into the
 * slot, and the hop layer then seals that payload in place.
 */
static void send_record(struct dp *dp, struct dp_link *link, uint8_t type,
			uint8_t ttl, const struct evpn_id *src,
			const struct evpn_id *dst, const uint8_t *pt,
			size_t len, struct dp_e2e *e2e)
{
	struct dp_keyslot *s = &link->slot[link->cur];
	size_t plen = len + (e2e ? EVPN_E2E_OVERHEAD : 0);
	struct evpn_hdr h;
	uint8_t *buf;

	if (plen + EVPN_OVERHEAD > dp->bufsz) {
		/* a peer with a larger MTU: cannot pass it on */
		dp_count_drop(dp, link, EVPN_DROP_OVERSIZE);
		return;
	}
	if (plen + EVPN_OVERHEAD > link->rec_max) {
		/* transit: records are split only at their origin */
		dp_count_drop(dp, link, EVPN_DROP_TOO_BIG);
		return;
	}
	if (!s->valid || dp_slot_expired(link, s)) {
		dp_count_drop(dp, link, s->valid ? EVPN_DROP_KEY_EXPIRED :
						   EVPN_DROP_NO_LINK);
		return;
	}
	if (!dp_static_nonce_ok(link, s)) {	/* never an unpersisted nonce */
		dp_count_drop(dp, link, EVPN_DROP_KEY_EXPIRED);
		return;
	}
	h.type = type;
	h.ttl = ttl;
	h.key_id = s->tx_key_id;
	h.src = *src;
	h.dst = *dst;
	buf = dp_txq_slot(dp);
	if (e2e) {
		if (dp_e2e_seal(e2e, src, dst, pt, len, buf + EVPN_HDR_LEN)) {
			dp_count_drop(dp, link, EVPN_DROP_E2E_NO_KEY);
			return;
		}
		pt = buf + EVPN_HDR_LEN;
	}
	h.counter = s->tx_counter++;
	evpn_hdr_encode(buf, &h);
	if (aead_seal(&s->tx, h.counter, buf, EVPN_HDR_LEN, pt, plen,
		      buf + EVPN_HDR_LEN, buf + EVPN_HDR_LEN + plen)) {
		dp_count_drop(dp, link, EVPN_DROP_NOMEM);
		return;
	}
	dp_txq_commit(dp, link, plen + EVPN_OVERHEAD);
}

void dp_send_record(struct dp *dp, struct dp_link *link, uint8_t type,
		    uint8_t ttl, const struct evpn_id *src,
		    const struct evpn_id *dst, const uint8_t *pt, size_t len)
{
	send_record(dp, link, type, ttl, src, dst, pt, len, NULL);
}

/*
 * A payload this node originates (@type 0xE1/0xE2/0xE6; with @e2e, a
 * unicast frame to be sealed end to end, 0xE3): one record if it fits the
 * link's record size, else fragments (frag.c). Records that may cross
 * transit nodes stay within EVPN_RECORD_DEFAULT, the size every link
 * carries unless probing found its path smaller (transit does not
 * re-split). Sealing comes first: the fragments carry the sealed payload
 * (inner type 0xE3), which only the destination can open.
 */
static void send_payload(struct dp *dp, struct dp_link *link, uint8_t type,
			 const struct evpn_id *dst, const uint8_t *frame,
			 size_t len, struct dp_e2e *e2e, uint32_t frag_id)
{
	size_t max = link->rec_max;
	size_t plen = len + (e2e ? EVPN_E2E_OVERHEAD : 0);

	if (e2e)
		type = EVPN_TYPE_E2E;
	if (type != EVPN_TYPE_UNICAST || !evpn_id_eq(dst, &link->peer))
		max = max < EVPN_RECORD_DEFAULT ? max : EVPN_RECORD_DEFAULT;
	/* membership announcements are small: never split */
	if (likely_fits(plen, max) || type == EVPN_TYPE_MCAST_ANN) {
		send_record(dp, link, type, EVPN_TTL_DEFAULT, &dp->cfg.node_id,
			    dst, frame, len, e2e);
		return;
	}
	if (e2e) {
		if (dp_e2e_seal(e2e, &dp->cfg.node_id, dst, frame, len,
				dp->frag_sealed)) {
			dp_count_drop(dp, link, EVPN_DROP_E2E_NO_KEY);
			return;
		}
		frame = dp->frag_sealed;
	}
	dp_frag_send(dp, link, type, dst, frame, plen, max, frag_id);
}

static int nbr_index(struct dp *dp, const struct dp_link *l)
{
	int i;

	for (i = 0; i < dp->nnbr; i++)
		if (dp->nbr[i] == l)
			return i;
	return -1;
}

/* Bounded flood of @pt (a record's plaintext of @type: 0xE2, 0xE5 or 0xE6):
 * to each neighbour inside (self, end), each with its own slice of the
 * ring; never to @skip (the previous hop). Multicast frames skip slices
 * without a subscriber (mcast.c). A flood we originate (!relay) may be
 * split per link; a relayed one is passed on as it came. */
void dp_flood(struct dp *dp, uint8_t type, uint8_t ttl,
	      const struct evpn_id *src, const struct evpn_id *end, int skip,
	      const uint8_t *pt, size_t len, bool relay)
{
	struct evpn_flood_hop hops[DP_MAX_LINKS];
	uint32_t frag_id = relay ? 0 : dp_frag_next_id(dp);
	int n, i;

	n = evpn_flood_split(&dp->cfg.node_id, end, dp->nbr_id, dp->nnbr,
			     skip, hops);
	if (type == EVPN_TYPE_FLOOD && (pt[0] & 1))
		n = dp_mc_prune(dp, pt, len, hops, n);
	for (i = 0; i < n; i++) {
		if (relay) {
			dp_send_record(dp, dp->nbr[hops[i].nbr], type, ttl,
				       src, &hops[i].end, pt, len);
			dp->c.fwd_packets++;
		} else {
			send_payload(dp, dp->nbr[hops[i].nbr], type,
				     &hops[i].end, pt, len, NULL, frag_id);
		}
	}
}

/* A transit unicast (0xE1, 0xE3 or 0xE4): on toward @h->dst, never back
 * where it came from, re-sealed as it came: an e2e payload or a fragment
 * is neither opened nor reassembled here. */
static void forward(struct dp *dp, struct dp_link *from,
		    const struct evpn_hdr *h, const uint8_t *pt, size_t len)
{
	int nh = evpn_route_la_next_hop(&dp->cfg.node_id, &h->dst, dp->nbr_id,
					dp->nnbr, dp->nn, dp->nn_len);

	if (nh < 0) {
		dp_count_drop(dp, from, EVPN_DROP_NOT_FOR_US);
		return;
	}
	if (dp->nbr[nh] == from) {
		dp_count_drop(dp, from, EVPN_DROP_LOOP);
		return;
	}
	if (h->ttl <= 1) {
		dp_count_drop(dp, from, EVPN_DROP_TTL);
		return;
	}
	dp_send_record(dp, dp->nbr[nh], h->type, h->ttl - 1, &h->src, &h->dst,
		       pt, len);
	dp->c.fwd_packets++;
}

static void not_data(struct dp *dp, struct dp_link *from, uint8_t *buf,
		     size_t len, const struct sockaddr *sa, socklen_t salen,
		     int fd)
{
	struct dp_link *l = from;

	if (!l && sa)
		for (l = dp->links; l; l = l->next)
			if (l->t.fd == fd && l->t.addrlen == salen &&
			    !memcmp(&l->t.addr, sa, salen))
				break;
	if (l && l->t.on_other) {
		l->t.on_other(l->t.other_ctx, buf, len, sa, salen);
		return;
	}
	dp_count_drop(dp, l, EVPN_DROP_NOT_DATA);
}

/* Authenticate and decrypt in place. Returns the link or NULL (counted). */
static struct dp_link *open_record(struct dp *dp, const struct evpn_hdr *h,
				   uint8_t *buf, size_t len)
{
	struct dp_link *l;
	struct dp_keyslot *s;
	size_t clen = len - EVPN_OVERHEAD;
	int si;

	if (!dp_key_lookup(dp, h->key_id, &l, &si)) {
		dp->c.drops[EVPN_DROP_UNKNOWN_KEY]++;
		return NULL;
	}
	s = &l->slot[si];
	if (dp_slot_expired(l, s)) {
		dp_count_drop(dp, l, EVPN_DROP_KEY_EXPIRED);
		return NULL;
	}
	if (!evpn_replay_check(&s->replay, h->counter)) {
		dp_count_drop(dp, l, EVPN_DROP_REPLAY);
		return NULL;
	}
	if (aead_open(&s->rx, h->counter, buf, EVPN_HDR_LEN,
		      buf + EVPN_HDR_LEN, clen, buf + EVPN_HDR_LEN,
		      buf + EVPN_HDR_LEN + clen)) {
		dp_count_drop(dp, l, EVPN_DROP_AUTH);
		return NULL;
	}
	/* only now, so forgeries cannot move the window */
	if (!evpn_replay_accept(&s->replay, h->counter)) {
		dp_count_drop(dp, l, EVPN_DROP_REPLAY);
		return NULL;
	}
	s->rx_packets++;
	l->c.rx_packets++;
	l->c.rx_bytes += len;
	dp->c.rx_packets++;
	dp->c.rx_bytes += len;
	return l;
}

/* The source MAC lives behind the source node: proven origins (the
 * link's own peer, an opened e2e payload) own it; a relayed flood's claim
 * is tentative (docs/protocol.md 14.3). */
static void learn(struct dp *dp, const uint8_t *frame,
		  const struct evpn_id *src, bool proven)
{
	const uint8_t *mac = frame + EVPN_ETH_ALEN;

	if (evpn_mac_is_group(mac))
		return;
	if (proven)
		evpn_fdb_learn(&dp->fdb, mac, src, dp->now);
	else
		evpn_fdb_learn_tentative(&dp->fdb, mac, src, dp->now);
}

void dp_deliver(struct dp *dp, const struct evpn_id *src, uint8_t *frame,
		size_t len, bool proven, bool flooded)
{
	learn(dp, frame, src, proven);
	if (flooded && (frame[0] & 1) && !dp_mc_local_wants(dp, frame, len))
		return;
	if (dp->cfg.mss_clamp)
		evpn_mss_clamp(frame, len, dp_frag_tso_frame(dp), false);
	dp_tap_write(dp, frame, len);
}

void dp_deliver_e2e(struct dp *dp, struct dp_link *l,
		    const struct evpn_id *src, uint8_t *p, size_t len)
{
	enum evpn_drop_reason r;

	r = dp_e2e_open(dp, src, &dp->cfg.node_id, p, len);
	if (r != EVPN_DROP_NONE) {
		dp_count_drop(dp, l, r);
		return;
	}
	dp_deliver(dp, src, p + EVPN_E2E_HDR_LEN, len - EVPN_E2E_OVERHEAD,
		   true, false);
}

/* Relay a flood record (0xE2, 0xE5 or 0xE6) to the rest of its interval. */
static void relay_flood(struct dp *dp, struct dp_link *from,
			const struct evpn_hdr *h, const uint8_t *pt, size_t len)
{
	/* an interval ending at ourselves would be the whole ring: a
	 * conforming sender never sends one, so do not relay it
	 * (docs/protocol.md 8.2) */
	if (h->ttl > 1 && !evpn_id_eq(&h->dst, &dp->cfg.node_id))
		dp_flood(dp, h->type, h->ttl - 1, &h->src, &h->dst,
			 nbr_index(dp, from), pt, len, true);
}

/* A flood, flood fragment or announcement: limited per link (they fan
 * out), delivered or reassembled, relayed. Its origin is proven only if
 * it is the link's peer; else what it teaches the FDB is tentative. */
static void rx_flood(struct dp *dp, struct dp_link *l,
		     const struct evpn_hdr *h, uint8_t *pt, size_t len)
{
	bool proven = evpn_id_eq(&h->src, &l->peer) || dp->no_e2e;

	if (!dp_flood_admit(dp, l)) {
		dp_count_drop(dp, l, EVPN_DROP_FLOOD_RATE);
		return;
	}
	switch (h->type) {
	case EVPN_TYPE_MCAST_ANN:
		dp_mc_rx_announce(dp, l, &h->src, pt, len);
		relay_flood(dp, l, h, pt, len);
		return;
	case EVPN_TYPE_FLOOD:
		dp_deliver(dp, &h->src, pt, len, proven, true);
		relay_flood(dp, l, h, pt, len);
		return;
	default:	/* EVPN_TYPE_FLOOD_FRAG */
		relay_flood(dp, l, h, pt, len);
		dp_frag_input(dp, l, h, pt, len);
		return;
	}
}

void dp_rx_record(struct dp *dp, struct dp_link *from_link, uint8_t *buf,
		  size_t len, const struct sockaddr *from, socklen_t fromlen,
		  int fd)
{
	enum evpn_pkt_class cls;
	enum evpn_drop_reason r;
	struct evpn_hdr h;
	struct dp_link *l;
	uint8_t *pt = buf + EVPN_HDR_LEN;
	size_t plen;
	bool for_us;

	cls = len ? evpn_classify(buf[0]) : EVPN_PKT_OTHER;
	if (cls == EVPN_PKT_DATA_UNKNOWN) {
		dp_count_drop(dp, from_link, EVPN_DROP_BAD_VERSION);
		return;
	}
	if (cls != EVPN_PKT_DATA) {
		not_data(dp, from_link, buf, len, from, fromlen, fd);
		return;
	}
	r = evpn_hdr_decode(&h, buf, len);
	if (r != EVPN_DROP_NONE) {
		dp_count_drop(dp, from_link, r);
		return;
	}
	l = open_record(dp, &h, buf, len);
	if (!l)
		return;
	plen = len - EVPN_OVERHEAD;
	if (h.ttl == 0) {
		dp_count_drop(dp, l, EVPN_DROP_TTL);
		return;
	}
	if (evpn_id_eq(&h.src, &dp->cfg.node_id)) {
		dp_count_drop(dp, l, EVPN_DROP_LOOP);
		return;
	}
	for_us = evpn_id_eq(&h.dst, &dp->cfg.node_id);
	switch (h.type) {
	case EVPN_TYPE_FLOOD:
	case EVPN_TYPE_FLOOD_FRAG:
	case EVPN_TYPE_MCAST_ANN:
		rx_flood(dp, l, &h, pt, plen);
		return;
	case EVPN_TYPE_E2E:
	case EVPN_TYPE_UNICAST_FRAG:
		/* relayed by design (an e2e payload, or a piece of one): no
		 * judgement of the origin here. Where it is delivered, the
		 * pair key proves it (0xE3), or reassembly checks that every
		 * piece came from the origin itself (frag.c, inner 0xE1). */
		if (!for_us)
			forward(dp, l, &h, pt, plen);
		else if (h.type == EVPN_TYPE_E2E)
			dp_deliver_e2e(dp, l, &h.src, pt, plen);
		else
			dp_frag_input(dp, l, &h, pt, plen);
		return;
	}
	/* A one-hop record speaks for its link's peer only: the link key
	 * proves nothing else (docs/protocol.md 14.1). */
	if (!evpn_id_eq(&h.src, &l->peer) && !dp->no_e2e) {
		dp_count_drop(dp, l, EVPN_DROP_BAD_SRC);
		return;
	}
	if (for_us)
		dp_deliver(dp, &h.src, pt, plen, true, false);
	else
		forward(dp, l, &h, pt, plen);	/* transit: never to our TAP */
}

/* A frame larger than the device carries (its MTU raised behind us, a
 * bridged host with a larger one): dropped, and an IP sender told. */
static bool tx_oversize(struct dp *dp, const uint8_t *frame, size_t len)
{
	if (len <= dp->cfg.mtu + EVPN_ETH_HLEN + 4)	/* + VLAN tag */
		return false;
	dp->c.drops[EVPN_DROP_OVERSIZE]++;
	dp_frag_too_big(dp, frame, len);
	return true;
}

void dp_tx_frame(struct dp *dp, uint8_t *frame, size_t len)
{
	const struct evpn_fdb_entry *e = NULL;
	const struct evpn_id *self = &dp->cfg.node_id;
	struct dp_e2e *p = NULL;
	int nh;

	if (len < EVPN_ETH_HLEN) {
		dp->c.drops[EVPN_DROP_TRUNCATED]++;
		return;
	}
	if (tx_oversize(dp, frame, len))
		return;
	if (!dp->nnbr) {
		dp->c.drops[EVPN_DROP_NO_LINK]++;
		return;
	}
	if (dp->cfg.mss_clamp)
		evpn_mss_clamp(frame, len, dp_frag_tso_frame(dp), false);
	if (!evpn_mac_is_group(frame))
		e = evpn_fdb_lookup(&dp->fdb, frame, dp->now);
	else
		dp_mc_snoop(dp, frame, len);
	if (!e) {
		/* broadcast, multicast, unknown unicast */
		dp_flood(dp, EVPN_TYPE_FLOOD, EVPN_TTL_DEFAULT, self, self, -1,
			 frame, len, false);
		return;
	}
	nh = evpn_route_la_next_hop(self, &e->node, dp->nbr_id, dp->nnbr,
				    dp->nn, dp->nn_len);
	if (nh < 0) {
		dp->c.drops[evpn_id_eq(&e->node, self) ? EVPN_DROP_LOOP :
							EVPN_DROP_NO_ROUTE]++;
		return;
	}
	/* one hop: the link key proves us to the destination (0xE1); through
	 * transit nodes: sealed end to end (0xE3), or not at all */
	if (!evpn_id_eq(&dp->nbr_id[nh], &e->node) && !dp->no_e2e) {
		p = dp_e2e_find(dp, &e->node);
		if (!p) {
			dp->c.drops[EVPN_DROP_E2E_NO_KEY]++;
			return;
		}
	}
	send_payload(dp, dp->nbr[nh], EVPN_TYPE_UNICAST, &e->node, frame, len,
		     p, dp_frag_next_id(dp));
}
