// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Overlay fragmentation: fragment header, split plan, reassembly table
 * (see frag.h, docs/protocol.md section 10).
 */
#include "frag.h"

#define OFF_INNER	0
#define OFF_RSVD1	1
#define OFF_TOTAL	2
#define OFF_ID		4
#define OFF_OFFSET	8
#define OFF_RSVD2	10

static void put16(uint8_t *b, uint16_t v)
{
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

static uint16_t get16(const uint8_t *b)
{
	return (uint16_t)(b[0] << 8 | b[1]);
}

void evpn_frag_hdr_encode(uint8_t out[EVPN_FRAG_HLEN],
			  const struct evpn_frag_hdr *f)
{
	out[OFF_INNER] = f->inner;
	out[OFF_RSVD1] = 0;
	put16(out + OFF_TOTAL, f->total);
	put16(out + OFF_ID, (uint16_t)(f->id >> 16));
	put16(out + OFF_ID + 2, (uint16_t)f->id);
	put16(out + OFF_OFFSET, f->offset);
	put16(out + OFF_RSVD2, 0);
}

/* Which payloads each fragment type may carry: a unicast fragment never
 * turns into a flood at its destination, nor the reverse. */
static bool inner_ok(uint8_t outer, uint8_t inner)
{
	if (outer == EVPN_TYPE_FLOOD_FRAG)
		return inner == EVPN_TYPE_FLOOD;
	return inner == EVPN_TYPE_UNICAST || inner == EVPN_TYPE_E2E;
}

bool evpn_frag_total_ok(uint8_t inner, size_t total)
{
	size_t extra = inner == EVPN_TYPE_E2E ? EVPN_E2E_OVERHEAD : 0;

	return total >= EVPN_MIN_INNER_LEN + extra &&
	       total <= EVPN_MAX_INNER_LEN + extra;
}

enum evpn_drop_reason evpn_frag_hdr_decode(struct evpn_frag_hdr *f,
					   uint8_t outer, const uint8_t *pt,
					   size_t len)
{
	size_t slice;

	if (len <= EVPN_FRAG_HLEN)
		return EVPN_DROP_FRAG_INVALID;
	if (pt[OFF_RSVD1] || get16(pt + OFF_RSVD2))
		return EVPN_DROP_FRAG_INVALID;
	f->inner = pt[OFF_INNER];
	if (!inner_ok(outer, f->inner))
		return EVPN_DROP_FRAG_INVALID;
	f->total = get16(pt + OFF_TOTAL);
	f->id = (uint32_t)get16(pt + OFF_ID) << 16 | get16(pt + OFF_ID + 2);
	f->offset = get16(pt + OFF_OFFSET);
	slice = len - EVPN_FRAG_HLEN;
	if (!evpn_frag_total_ok(f->inner, f->total) ||
	    (size_t)f->offset + slice > f->total)
		return EVPN_DROP_FRAG_INVALID;
	return EVPN_DROP_NONE;
}

bool evpn_frag_plan(size_t total, size_t max_pt, size_t *slice,
		    unsigned int *pieces)
{
	size_t room, n;

	if (max_pt <= EVPN_FRAG_HLEN)
		return false;
	room = max_pt - EVPN_FRAG_HLEN;
	n = (total + room - 1) / room;
	if (n < 2)
		n = 2;	/* callers split only what does not fit one record */
	if (n > EVPN_FRAG_MAX_PIECES)
		return false;
	*slice = (total + n - 1) / n;
	/* equal slices, the last one shorter: a slice >= 2 bytes keeps
	 * every fragment record above the minimum record length */
	if (*slice < 2)
		return false;
	*pieces = (unsigned int)((total + *slice - 1) / *slice);
	return true;
}

void evpn_reasm_init(struct evpn_reasm *r, struct evpn_reasm_ent *ent,
		     unsigned int n, uint8_t *mem, evpn_reasm_drop_fn drop,
		     void *ctx)
{
	unsigned int i;

	r->ent = ent;
	r->n = n;
	r->timeout_ms = EVPN_REASM_TIMEOUT_MS;
	r->drop = drop;
	r->ctx = ctx;
	for (i = 0; i < n; i++) {
		memset(&ent[i], 0, sizeof(ent[i]));
		ent[i].buf = mem + (size_t)i * EVPN_MAX_PAYLOAD_LEN;
	}
}

void evpn_reasm_release(struct evpn_reasm_ent *e)
{
	e->used = false;
}

static void discard(struct evpn_reasm *r, struct evpn_reasm_ent *e,
		    enum evpn_drop_reason why)
{
	evpn_reasm_release(e);
	if (why != EVPN_DROP_NONE && r->drop)
		r->drop(r->ctx, why);
}

unsigned int evpn_reasm_expire(struct evpn_reasm *r, uint64_t now_ms)
{
	unsigned int i, n = 0;

	for (i = 0; i < r->n; i++)
		if (r->ent[i].used && r->ent[i].expires <= now_ms) {
			discard(r, &r->ent[i], EVPN_DROP_FRAG_TIMEOUT);
			n++;
		}
	return n;
}

unsigned int evpn_reasm_inuse(const struct evpn_reasm *r)
{
	unsigned int i, n = 0;

	for (i = 0; i < r->n; i++)
		n += r->ent[i].used;
	return n;
}

/*
 * Each neighbour's share of a full table (docs/protocol.md 10.2): the
 * partial payload to evict for a new one from @via is the oldest (closest
 * to expiry) of the neighbour holding the most slots -- @via's own when it
 * holds at least as many as any other (*why FRAG_NO_ROOM), else another's
 * (FRAG_SHARE). So a neighbour only ever loses a slot to one holding fewer:
 * with d neighbours competing each keeps at least n / d, and one filling
 * the table evicts nothing but its own payloads. Only runs on a full table:
 * O(n * neighbours holding slots), a few thousand ID compares at most.
 */
static struct evpn_reasm_ent *victim(struct evpn_reasm *r,
				     const struct evpn_id *via,
				     enum evpn_drop_reason *why)
{
	struct evpn_reasm_ent *e, *own = NULL, *best = NULL, *old;
	unsigned int i, j, cnt, own_cnt = 0, best_cnt = 0;

	for (i = 0; i < r->n; i++) {
		e = &r->ent[i];
		/* count each neighbour once: at its first entry */
		for (j = 0; j < i; j++)
			if (evpn_id_eq(&r->ent[j].via, &e->via))
				break;
		if (j < i)
			continue;
		for (old = e, cnt = 0, j = i; j < r->n; j++) {
			if (!evpn_id_eq(&r->ent[j].via, &e->via))
				continue;
			cnt++;
			if (r->ent[j].expires < old->expires)
				old = &r->ent[j];
		}
		if (evpn_id_eq(&e->via, via)) {
			own = old;
			own_cnt = cnt;
		} else if (cnt > best_cnt ||
			   (cnt == best_cnt && old->expires < best->expires)) {
			best = old;
			best_cnt = cnt;
		}
	}
	*why = own && own_cnt >= best_cnt ? EVPN_DROP_FRAG_NO_ROOM :
					    EVPN_DROP_FRAG_SHARE;
	return *why == EVPN_DROP_FRAG_NO_ROOM ? own : best;
}

/*
 * The entry for (src, via, id), or a free one, or (table full) the one
 * victim() picks, evicted. Expired entries met on the way are freed. One
 * scan of a small table: this runs only for fragments.
 */
static struct evpn_reasm_ent *find(struct evpn_reasm *r,
				   const struct evpn_id *src,
				   const struct evpn_id *via, uint32_t id,
				   uint64_t now_ms, bool *fresh)
{
	struct evpn_reasm_ent *e, *free_e = NULL;
	enum evpn_drop_reason why;
	unsigned int i;

	for (i = 0; i < r->n; i++) {
		e = &r->ent[i];
		if (e->used && e->expires <= now_ms)
			discard(r, e, EVPN_DROP_FRAG_TIMEOUT);
		if (!e->used) {
			if (!free_e)
				free_e = e;
			continue;
		}
		if (e->id == id && evpn_id_eq(&e->src, src) &&
		    evpn_id_eq(&e->via, via)) {
			*fresh = false;
			return e;
		}
	}
	*fresh = true;
	if (free_e)
		return free_e;
	e = victim(r, via, &why);
	discard(r, e, why);
	return e;
}

static bool overlaps(const struct evpn_reasm_ent *e, size_t off, size_t len)
{
	unsigned int i;

	for (i = 0; i < e->npieces; i++)
		if (off < (size_t)e->off[i] + e->len[i] &&
		    e->off[i] < off + len)
			return true;
	return false;
}

enum evpn_drop_reason evpn_reasm_add(struct evpn_reasm *r,
				     const struct evpn_id *src,
				     const struct evpn_id *via,
				     const struct evpn_frag_hdr *f,
				     const uint8_t *data, size_t len,
				     uint64_t now_ms,
				     struct evpn_reasm_ent **done)
{
	struct evpn_reasm_ent *e;
	bool fresh;

	*done = NULL;
	if (!r->n)
		return EVPN_DROP_FRAG_NO_ROOM;
	e = find(r, src, via, f->id, now_ms, &fresh);
	if (fresh) {
		e->used = true;
		e->src = *src;
		e->via = *via;
		e->id = f->id;
		e->inner = f->inner;
		e->total = f->total;
		e->got = 0;
		e->npieces = 0;
		e->expires = now_ms + r->timeout_ms;
	} else if (e->total != f->total || e->inner != f->inner ||
		   e->npieces == EVPN_FRAG_MAX_PIECES) {
		discard(r, e, EVPN_DROP_NONE);
		return EVPN_DROP_FRAG_INVALID;
	} else if (overlaps(e, f->offset, len)) {
		discard(r, e, EVPN_DROP_NONE);
		return EVPN_DROP_FRAG_OVERLAP;
	}
	memcpy(e->buf + f->offset, data, len);
	e->off[e->npieces] = f->offset;
	e->len[e->npieces] = (uint16_t)len;
	e->npieces++;
	e->got += (uint16_t)len;
	/* no overlap and every slice inside total: got == total means
	 * every byte arrived exactly once */
	if (e->got == e->total)
		*done = e;
	return EVPN_DROP_NONE;
}
