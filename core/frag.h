/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Overlay fragmentation (docs/protocol.md section 10): a payload too large
 * for one record on the first link is split by its origin into fragment
 * records (types 0xE4 unicast, 0xE5 flood, core/wire.h), forwarded like any
 * record by dst node ID / flood interval, and reassembled only where it is
 * delivered. Each fragment is a whole AEAD record: it is authenticated and
 * replay-checked per hop like any other, so reassembly only ever sees
 * fragments an authenticated neighbour sent.
 *
 * Plaintext of a fragment record: a 12-byte fragment header, then a slice
 * of the inner payload.
 *
 *   0       1       2       3       4                               8
 *   +-------+-------+-------+-------+-------------------------------+
 *   | inner | rsvd  | total (BE16)  |        frag_id (BE32)         |
 *   +-------+-------+-------+-------+-------------------------------+
 *   8  offset (BE16) | rsvd (BE16)  | slice of the inner payload ...
 *   +---------------+---------------+
 *
 * inner: the record type the payload would have had unfragmented: 0xE1 (an
 * Ethernet frame, in 0xE4), 0xE2 (a flooded Ethernet frame, in 0xE5) or
 * 0xE3 (an end-to-end sealed payload, in 0xE4). A reassembled payload is
 * handled exactly as the plaintext of a record of that type.
 *
 * This file has no allocation and no locking: the caller owns the memory of
 * the reassembly table and serialises calls (core/evpn_types.h).
 */
#ifndef EVPN_FRAG_H
#define EVPN_FRAG_H

#include "evpn_types.h"
#include "id.h"
#include "wire.h"

#define EVPN_FRAG_HLEN		12
/* Pieces one payload may arrive in: 9018 bytes in slices of at least
 * ~600 (a 1280-byte IPv6 minimum path minus every overhead). */
#define EVPN_FRAG_MAX_PIECES	16
/* An incomplete payload is dropped this long after its first fragment. */
#define EVPN_REASM_TIMEOUT_MS	1000
/* Default number of payloads reassembled at once per device. */
#define EVPN_REASM_SLOTS	64

struct evpn_frag_hdr {
	uint8_t inner;
	uint16_t total;
	uint32_t id;
	uint16_t offset;
};

void evpn_frag_hdr_encode(uint8_t out[EVPN_FRAG_HLEN],
			  const struct evpn_frag_hdr *f);

/*
 * Decode and check the fragment header at the start of the plaintext of a
 * record of @outer type (0xE4/0xE5) whose plaintext is @len bytes: inner
 * type allowed in @outer, reserved bytes zero, 0 < slice, offset + slice <=
 * total, total within what a record of the inner type may carry
 * (evpn_frag_total_ok). Returns EVPN_DROP_NONE or EVPN_DROP_FRAG_INVALID.
 */
enum evpn_drop_reason evpn_frag_hdr_decode(struct evpn_frag_hdr *f,
					   uint8_t outer, const uint8_t *pt,
					   size_t len);

/* May a payload of @inner type be @total bytes? What a whole record of
 * that type may carry: an Ethernet frame of EVPN_MIN_INNER_LEN ..
 * EVPN_MAX_INNER_LEN bytes, for 0xE3 with the e2e overhead around it. */
bool evpn_frag_total_ok(uint8_t inner, size_t total);

/* The fragment record type that carries a payload of @inner type. */
static inline uint8_t evpn_frag_outer(uint8_t inner)
{
	return inner == EVPN_TYPE_FLOOD ? EVPN_TYPE_FLOOD_FRAG :
					  EVPN_TYPE_UNICAST_FRAG;
}

/*
 * How to cut @total bytes so that every fragment record's plaintext is at
 * most @max_pt bytes: *pieces equal slices of *slice bytes (the last one
 * shorter), so the records of one payload can be batched (UDP GSO).
 * Returns false if it would take more than EVPN_FRAG_MAX_PIECES.
 */
bool evpn_frag_plan(size_t total, size_t max_pt, size_t *slice,
		    unsigned int *pieces);

/* One payload being reassembled. */
struct evpn_reasm_ent {
	bool used;
	uint8_t inner;
	uint8_t npieces;
	uint16_t total;
	uint16_t got;			/* bytes received so far */
	uint32_t id;
	struct evpn_id src;
	/* the neighbour every piece came from: src == via means the link
	 * key proved the origin of the whole payload */
	struct evpn_id via;
	uint64_t expires;		/* ms, caller's clock */
	uint16_t off[EVPN_FRAG_MAX_PIECES];
	uint16_t len[EVPN_FRAG_MAX_PIECES];
	uint8_t *buf;			/* EVPN_MAX_PAYLOAD_LEN bytes */
};

/* Called for each partial payload thrown away (FRAG_TIMEOUT, FRAG_NO_ROOM,
 * FRAG_SHARE). */
typedef void (*evpn_reasm_drop_fn)(void *ctx, enum evpn_drop_reason r);

struct evpn_reasm {
	struct evpn_reasm_ent *ent;
	unsigned int n;
	uint32_t timeout_ms;
	evpn_reasm_drop_fn drop;
	void *ctx;
};

/*
 * @ent: @n entries; @mem: n * EVPN_MAX_PAYLOAD_LEN bytes (both owned by the
 * caller, for the table's whole life).
 */
void evpn_reasm_init(struct evpn_reasm *r, struct evpn_reasm_ent *ent,
		     unsigned int n, uint8_t *mem, evpn_reasm_drop_fn drop,
		     void *ctx);

/*
 * Add one authenticated fragment from origin @src that arrived on the link
 * to neighbour @via. Pieces are matched by (src, via, frag_id): a payload
 * is only ever made of pieces one neighbour's link key authenticated, so
 * another neighbour cannot mix its bytes into it or claim it (and the
 * caller can tell a payload its origin sent directly: src == via). Returns
 * EVPN_DROP_NONE with *done NULL (kept), or with *done set (the payload is
 * complete in (*done)->buf, (*done)->total bytes, of type (*done)->inner:
 * the caller consumes it, then calls evpn_reasm_release()); or the reason
 * the fragment was dropped: FRAG_OVERLAP (it overlaps one already received:
 * the whole partial payload is discarded, as RFC 5722 does for IPv6),
 * FRAG_INVALID (its total or inner type disagree with the first fragment,
 * or too many pieces; the partial payload is discarded too).
 * A full table evicts the oldest partial payload of the neighbour (via)
 * holding the most slots: the new payload's own neighbour's if it holds
 * at least as many as any other (FRAG_NO_ROOM), else another's
 * (FRAG_SHARE). A neighbour thus loses slots only to neighbours holding
 * fewer: one that fills the table only ever evicts its own payloads.
 */
enum evpn_drop_reason evpn_reasm_add(struct evpn_reasm *r,
				     const struct evpn_id *src,
				     const struct evpn_id *via,
				     const struct evpn_frag_hdr *f,
				     const uint8_t *data, size_t len,
				     uint64_t now_ms,
				     struct evpn_reasm_ent **done);

void evpn_reasm_release(struct evpn_reasm_ent *e);

/* Drop (FRAG_TIMEOUT) every entry expired at @now_ms. Returns how many. */
unsigned int evpn_reasm_expire(struct evpn_reasm *r, uint64_t now_ms);

/* Entries in use (for show / tests). */
unsigned int evpn_reasm_inuse(const struct evpn_reasm *r);

#endif /* EVPN_FRAG_H */
