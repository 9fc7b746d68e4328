// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Unit and property tests: fragment header, split plan, reassembly
 * (core/frag.c). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "frag.h"
#include "core_test_util.h"
#include "unit.h"

#define SLOTS 4

static struct evpn_reasm_ent ent[SLOTS];
static uint8_t mem[SLOTS * EVPN_MAX_PAYLOAD_LEN];
static struct evpn_reasm r;
static unsigned int dropped[__EVPN_DROP_MAX];

static void on_drop(void *ctx, enum evpn_drop_reason why)
{
	dropped[why]++;
}

static void setup(void)
{
	memset(dropped, 0, sizeof(dropped));
	evpn_reasm_init(&r, ent, SLOTS, mem, on_drop, NULL);
}

static struct evpn_id src_id(uint64_t lo)
{
	struct evpn_id id = { 0 };

	id.lo = lo;
	return id;
}

/* A fragment of @inner type from origin @src through neighbour @via. */
static enum evpn_drop_reason add_via(uint64_t src, uint64_t via, uint8_t inner,
				     uint32_t id, uint16_t total, uint16_t off,
				     const uint8_t *data, size_t len,
				     uint64_t now, struct evpn_reasm_ent **done)
{
	struct evpn_frag_hdr f = { .inner = inner, .total = total,
				   .id = id, .offset = off };
	struct evpn_id s = src_id(src), v = src_id(via);

	return evpn_reasm_add(&r, &s, &v, &f, data + off, len, now, done);
}

/* A plain unicast fragment straight from its origin. */
static enum evpn_drop_reason add(uint64_t src, uint32_t id, uint16_t total,
				 uint16_t off, const uint8_t *data, size_t len,
				 uint64_t now, struct evpn_reasm_ent **done)
{
	return add_via(src, src, EVPN_TYPE_UNICAST, id, total, off, data, len,
		       now, done);
}

START_TEST(test_hdr_roundtrip)
{
	struct evpn_frag_hdr f = { .inner = EVPN_TYPE_UNICAST, .total = 1514,
				   .id = 0xdeadbeef, .offset = 757 }, d;
	uint8_t pt[EVPN_FRAG_HLEN + 757];

	memset(pt, 0xaa, sizeof(pt));
	evpn_frag_hdr_encode(pt, &f);
	ck_assert_uint_eq(pt[0], 0xE1);
	ck_assert_uint_eq(pt[1], 0);
	ck_assert_uint_eq(pt[2], 1514 >> 8);
	ck_assert_uint_eq(pt[4], 0xde);
	ck_assert_uint_eq(pt[7], 0xef);
	ck_assert_uint_eq(pt[8], 757 >> 8);
	ck_assert_uint_eq(pt[10] | pt[11], 0);
	ck_assert_int_eq(evpn_frag_hdr_decode(&d, EVPN_TYPE_UNICAST_FRAG, pt,
					      sizeof(pt)), EVPN_DROP_NONE);
	ck_assert_uint_eq(d.inner, f.inner);
	ck_assert_uint_eq(d.total, f.total);
	ck_assert_uint_eq(d.id, f.id);
	ck_assert_uint_eq(d.offset, f.offset);
}
END_TEST

START_TEST(test_hdr_invalid)
{
	struct evpn_frag_hdr f = { .inner = EVPN_TYPE_UNICAST, .total = 1000,
				   .id = 7, .offset = 500 }, d;
	uint8_t pt[EVPN_FRAG_HLEN + 500];

	evpn_frag_hdr_encode(pt, &f);
	ck_assert_int_eq(evpn_frag_hdr_decode(&d, EVPN_TYPE_UNICAST_FRAG, pt,
					      sizeof(pt)), EVPN_DROP_NONE);
	/* one byte past total */
	f.offset = 501;
	evpn_frag_hdr_encode(pt, &f);
	ck_assert_int_eq(evpn_frag_hdr_decode(&d, EVPN_TYPE_UNICAST_FRAG, pt,
					      sizeof(pt)), EVPN_DROP_FRAG_INVALID);
	/* header only, no slice */
	f.offset = 0;
	evpn_frag_hdr_encode(pt, &f);
	ck_assert_int_eq(evpn_frag_hdr_decode(&d, EVPN_TYPE_UNICAST_FRAG, pt,
					      EVPN_FRAG_HLEN), EVPN_DROP_FRAG_INVALID);
	/* reserved bytes */
	pt[1] = 1;
	ck_assert_int_eq(evpn_frag_hdr_decode(&d, EVPN_TYPE_UNICAST_FRAG, pt,
					      sizeof(pt)), EVPN_DROP_FRAG_INVALID);
	pt[1] = 0;
	pt[11] = 1;
	ck_assert_int_eq(evpn_frag_hdr_decode(&d, EVPN_TYPE_UNICAST_FRAG, pt,
					      sizeof(pt)), EVPN_DROP_FRAG_INVALID);
	pt[11] = 0;
	/* inner type must match the fragment type */
	ck_assert_int_eq(evpn_frag_hdr_decode(&d, EVPN_TYPE_FLOOD_FRAG, pt,
					      sizeof(pt)), EVPN_DROP_FRAG_INVALID);
	pt[0] = EVPN_TYPE_FLOOD;
	ck_assert_int_eq(evpn_frag_hdr_decode(&d, EVPN_TYPE_FLOOD_FRAG, pt,
					      sizeof(pt)), EVPN_DROP_NONE);
	ck_assert_int_eq(evpn_frag_hdr_decode(&d, EVPN_TYPE_UNICAST_FRAG, pt,
					      sizeof(pt)), EVPN_DROP_FRAG_INVALID);
	pt[0] = EVPN_TYPE_E2E;
	ck_assert_int_eq(evpn_frag_hdr_decode(&d, EVPN_TYPE_UNICAST_FRAG, pt,
					      sizeof(pt)), EVPN_DROP_NONE);
	pt[0] = EVPN_TYPE_UNICAST_FRAG;	/* no nesting */
	ck_assert_int_eq(evpn_frag_hdr_decode(&d, EVPN_TYPE_UNICAST_FRAG, pt,
					      sizeof(pt)), EVPN_DROP_FRAG_INVALID);
	/* total above the largest payload, or below an Ethernet header */
	f.total = EVPN_MAX_INNER_LEN + 1;
	evpn_frag_hdr_encode(pt, &f);
	ck_assert_int_eq(evpn_frag_hdr_decode(&d, EVPN_TYPE_UNICAST_FRAG, pt,
					      sizeof(pt)), EVPN_DROP_FRAG_INVALID);
	f.total = 13;
	evpn_frag_hdr_encode(pt, &f);
	ck_assert_int_eq(evpn_frag_hdr_decode(&d, EVPN_TYPE_UNICAST_FRAG, pt,
					      EVPN_FRAG_HLEN + 2), EVPN_DROP_FRAG_INVALID);
}
END_TEST

START_TEST(test_plan)
{
	size_t slice, total, max;
	unsigned int pieces;

	/* a 1518-byte frame in 1448-byte records: two records */
	ck_assert(evpn_frag_plan(1518, 1448 - EVPN_OVERHEAD, &slice, &pieces));
	ck_assert_uint_eq(pieces, 2);
	ck_assert_uint_eq(slice, 759);
	/* property: every slice fits, pieces cover total, none empty */
	for (total = EVPN_MIN_INNER_LEN; total <= EVPN_MAX_INNER_LEN; total += 7)
		for (max = EVPN_RECORD_MIN - EVPN_OVERHEAD;
		     max <= EVPN_RECORD_MAX; max += 311) {
			if (!evpn_frag_plan(total, max, &slice, &pieces))
				continue;
			ck_assert_uint_le(slice + EVPN_FRAG_HLEN, max);
			ck_assert_uint_ge(pieces, 2);
			ck_assert_uint_le(pieces, EVPN_FRAG_MAX_PIECES);
			ck_assert_uint_ge(slice * pieces, total);
			ck_assert_uint_lt(slice * (pieces - 1), total);
		}
	/* the largest frame fits 16 pieces of the smallest records */
	ck_assert(evpn_frag_plan(EVPN_MAX_INNER_LEN,
				 EVPN_RECORD_MIN - EVPN_OVERHEAD, &slice, &pieces));
	ck_assert(!evpn_frag_plan(EVPN_MAX_INNER_LEN, 500, &slice, &pieces));
	ck_assert(!evpn_frag_plan(100, EVPN_FRAG_HLEN, &slice, &pieces));
}
END_TEST

START_TEST(test_reasm_in_and_out_of_order)
{
	uint8_t data[3000];
	struct evpn_reasm_ent *done;
	size_t i;

	setup();
	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7);
	ck_assert_int_eq(add(1, 5, 3000, 2000, data, 1000, 0, &done), EVPN_DROP_NONE);
	ck_assert_ptr_null(done);
	ck_assert_int_eq(add(1, 5, 3000, 0, data, 1000, 1, &done), EVPN_DROP_NONE);
	ck_assert_ptr_null(done);
	ck_assert_uint_eq(evpn_reasm_inuse(&r), 1);
	ck_assert_int_eq(add(1, 5, 3000, 1000, data, 1000, 2, &done), EVPN_DROP_NONE);
	ck_assert_ptr_nonnull(done);
	ck_assert_uint_eq(done->total, 3000);
	ck_assert_uint_eq(done->inner, EVPN_TYPE_UNICAST);
	ck_assert_mem_eq(done->buf, data, 3000);
	evpn_reasm_release(done);
	ck_assert_uint_eq(evpn_reasm_inuse(&r), 0);
}
END_TEST

START_TEST(test_reasm_sources_apart)
{
	uint8_t a[1000], b[1000];
	struct evpn_reasm_ent *done;

	setup();
	memset(a, 'a', sizeof(a));
	memset(b, 'b', sizeof(b));
	/* same ID from two origins: two payloads */
	ck_assert_int_eq(add(1, 9, 1000, 0, a, 500, 0, &done), EVPN_DROP_NONE);
	ck_assert_int_eq(add(2, 9, 1000, 500, b, 500, 0, &done), EVPN_DROP_NONE);
	ck_assert_ptr_null(done);
	ck_assert_int_eq(add(2, 9, 1000, 0, b, 500, 0, &done), EVPN_DROP_NONE);
	ck_assert_ptr_nonnull(done);
	ck_assert_mem_eq(done->buf, b, 1000);
	evpn_reasm_release(done);
	ck_assert_int_eq(add(1, 9, 1000, 500, a, 500, 0, &done), EVPN_DROP_NONE);
	ck_assert_ptr_nonnull(done);
	ck_assert_mem_eq(done->buf, a, 1000);
	evpn_reasm_release(done);
}
END_TEST

/* The inner type bounds total: a frame 14 .. 9018 bytes, an e2e payload
 * 24 bytes more (docs/protocol.md 10.2). */
START_TEST(test_hdr_total_by_inner)
{
	struct evpn_frag_hdr f = { .id = 1, .offset = 0 }, d;
	uint8_t pt[EVPN_FRAG_HLEN + 10];
	static const struct {
		uint8_t inner;
		uint16_t total;
		bool ok;
	} c[] = {
		{ EVPN_TYPE_UNICAST, EVPN_MIN_INNER_LEN, true },
		{ EVPN_TYPE_UNICAST, EVPN_MAX_INNER_LEN, true },
		{ EVPN_TYPE_UNICAST, EVPN_MAX_INNER_LEN + 1, false },
		{ EVPN_TYPE_E2E, EVPN_MIN_INNER_LEN + EVPN_E2E_OVERHEAD - 1, false },
		{ EVPN_TYPE_E2E, EVPN_MIN_INNER_LEN + EVPN_E2E_OVERHEAD, true },
		{ EVPN_TYPE_E2E, EVPN_MAX_PAYLOAD_LEN, true },
		{ EVPN_TYPE_E2E, EVPN_MAX_PAYLOAD_LEN + 1, false },
	};
	unsigned int i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		f.inner = c[i].inner;
		f.total = c[i].total;
		memset(pt, 0, sizeof(pt));
		evpn_frag_hdr_encode(pt, &f);
		ck_assert_int_eq(evpn_frag_hdr_decode(&d, EVPN_TYPE_UNICAST_FRAG,
						      pt, sizeof(pt)),
				 c[i].ok ? EVPN_DROP_NONE : EVPN_DROP_FRAG_INVALID);
		ck_assert(evpn_frag_total_ok(c[i].inner, c[i].total) == c[i].ok);
	}
}
END_TEST

/* Pieces are matched by the neighbour they came through too: one
 * neighbour can neither complete nor spoil what another delivers, and the
 * finished entry says whether its origin sent it directly (src == via). */
START_TEST(test_reasm_via_apart)
{
	uint8_t a[1000], m[1000];
	struct evpn_reasm_ent *done;

	setup();
	memset(a, 'a', sizeof(a));
	memset(m, 'm', sizeof(m));
	/* origin 1 sends the first half directly ... */
	ck_assert_int_eq(add_via(1, 1, EVPN_TYPE_UNICAST, 5, 1000, 0, a, 500, 0,
				 &done), EVPN_DROP_NONE);
	/* ... a neighbour 3 claims the rest of "its" payload: a payload of
	 * its own, not the second half of 1's */
	ck_assert_int_eq(add_via(1, 3, EVPN_TYPE_UNICAST, 5, 1000, 500, m, 500,
				 0, &done), EVPN_DROP_NONE);
	ck_assert_ptr_null(done);
	/* overlapping bytes through 3 spoil nothing of 1's */
	ck_assert_int_eq(add_via(1, 3, EVPN_TYPE_UNICAST, 5, 1000, 400, m, 200,
				 0, &done), EVPN_DROP_FRAG_OVERLAP);
	ck_assert_int_eq(add_via(1, 1, EVPN_TYPE_UNICAST, 5, 1000, 500, a, 500,
				 0, &done), EVPN_DROP_NONE);
	ck_assert_ptr_nonnull(done);
	ck_assert_mem_eq(done->buf, a, 1000);
	ck_assert(evpn_id_eq(&done->src, &done->via));
	evpn_reasm_release(done);
	/* a payload relayed by 3 for origin 1, whole: not direct */
	ck_assert_int_eq(add_via(1, 3, EVPN_TYPE_UNICAST, 6, 1000, 0, m, 500, 0,
				 &done), EVPN_DROP_NONE);
	ck_assert_int_eq(add_via(1, 3, EVPN_TYPE_UNICAST, 6, 1000, 500, m, 500,
				 0, &done), EVPN_DROP_NONE);
	ck_assert_ptr_nonnull(done);
	ck_assert(!evpn_id_eq(&done->src, &done->via));
	ck_assert_uint_eq(done->via.lo, 3);
	evpn_reasm_release(done);
}
END_TEST

/* The largest e2e payload (a 9018-byte frame sealed) fits a slot. */
START_TEST(test_reasm_e2e_largest)
{
	static uint8_t data[EVPN_MAX_PAYLOAD_LEN];
	struct evpn_reasm_ent *done = NULL;
	size_t slice, off, n;
	unsigned int pieces, i;

	setup();
	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7);
	ck_assert(evpn_frag_plan(sizeof(data), EVPN_RECORD_DEFAULT - EVPN_OVERHEAD,
				 &slice, &pieces));
	for (off = 0; off < sizeof(data); off += n) {
		n = sizeof(data) - off < slice ? sizeof(data) - off : slice;
		ck_assert_int_eq(add_via(1, 2, EVPN_TYPE_E2E, 77, sizeof(data),
					 (uint16_t)off, data, n, 0, &done),
				 EVPN_DROP_NONE);
	}
	ck_assert_ptr_nonnull(done);
	ck_assert_uint_eq(done->inner, EVPN_TYPE_E2E);
	ck_assert_uint_eq(done->total, sizeof(data));
	ck_assert_mem_eq(done->buf, data, sizeof(data));
	evpn_reasm_release(done);
}
END_TEST

START_TEST(test_reasm_overlap_duplicate)
{
	uint8_t d[1000] = { 0 };
	struct evpn_reasm_ent *done;

	setup();
	ck_assert_int_eq(add(1, 1, 1000, 0, d, 600, 0, &done), EVPN_DROP_NONE);
	/* overlapping: the partial payload goes with it */
	ck_assert_int_eq(add(1, 1, 1000, 500, d, 500, 0, &done), EVPN_DROP_FRAG_OVERLAP);
	ck_assert_uint_eq(evpn_reasm_inuse(&r), 0);
	/* a duplicate is an overlap too */
	ck_assert_int_eq(add(1, 2, 1000, 0, d, 500, 0, &done), EVPN_DROP_NONE);
	ck_assert_int_eq(add(1, 2, 1000, 0, d, 500, 0, &done), EVPN_DROP_FRAG_OVERLAP);
	/* the rest of it then starts a new partial payload, never completes */
	ck_assert_int_eq(add(1, 2, 1000, 500, d, 500, 0, &done), EVPN_DROP_NONE);
	ck_assert_ptr_null(done);
	/* a different total for the same ID */
	ck_assert_int_eq(add(1, 2, 1200, 0, d, 500, 0, &done), EVPN_DROP_FRAG_INVALID);
	ck_assert_uint_eq(evpn_reasm_inuse(&r), 0);
}
END_TEST

START_TEST(test_reasm_timeout_and_room)
{
	uint8_t d[1000] = { 0 };
	struct evpn_reasm_ent *done;
	uint32_t id;

	setup();
	ck_assert_int_eq(add(1, 1, 1000, 0, d, 500, 0, &done), EVPN_DROP_NONE);
	ck_assert_uint_eq(evpn_reasm_expire(&r, EVPN_REASM_TIMEOUT_MS - 1), 0);
	ck_assert_uint_eq(evpn_reasm_expire(&r, EVPN_REASM_TIMEOUT_MS), 1);
	ck_assert_uint_eq(dropped[EVPN_DROP_FRAG_TIMEOUT], 1);
	/* the late rest does not complete anything */
	ck_assert_int_eq(add(1, 1, 1000, 500, d, 500, 2000, &done), EVPN_DROP_NONE);
	ck_assert_ptr_null(done);
	setup();
	/* more partial payloads than slots: the oldest is evicted */
	for (id = 0; id < SLOTS + 3; id++)
		ck_assert_int_eq(add(1, id, 1000, 0, d, 500, id, &done),
				 EVPN_DROP_NONE);
	ck_assert_uint_eq(dropped[EVPN_DROP_FRAG_NO_ROOM], 3);
	ck_assert_uint_eq(evpn_reasm_inuse(&r), SLOTS);
	/* the newest still completes; the evicted one does not */
	ck_assert_int_eq(add(1, SLOTS + 2, 1000, 500, d, 500, 10, &done), EVPN_DROP_NONE);
	ck_assert_ptr_nonnull(done);
	evpn_reasm_release(done);
	ck_assert_int_eq(add(1, 0, 1000, 500, d, 500, 10, &done), EVPN_DROP_NONE);
	ck_assert_ptr_null(done);
}
END_TEST

/* One neighbour (via 9) filling the table evicts only its own partial
 * payloads: another neighbour's payload started before and finished after
 * a burst of more than the table from it still completes. */
START_TEST(test_reasm_share_one_fills)
{
	uint8_t d[1000];
	struct evpn_reasm_ent *done;
	uint32_t id;
	size_t i;

	setup();
	for (i = 0; i < sizeof(d); i++)
		d[i] = (uint8_t)i;
	for (id = 0; id < SLOTS; id++)
		ck_assert_int_eq(add_via(9, 9, EVPN_TYPE_UNICAST, id, 1000, 0,
					 d, 500, id, &done), EVPN_DROP_NONE);
	ck_assert_uint_eq(evpn_reasm_inuse(&r), SLOTS);
	/* neighbour 2 (relaying origin 5) needs a slot: 9 holds them all */
	ck_assert_int_eq(add_via(5, 2, EVPN_TYPE_FLOOD, 100, 1000, 0, d, 500,
				 SLOTS, &done), EVPN_DROP_NONE);
	ck_assert_uint_eq(dropped[EVPN_DROP_FRAG_SHARE], 1);
	ck_assert_uint_eq(dropped[EVPN_DROP_FRAG_NO_ROOM], 0);
	/* a burst of three tables' worth from 9: it holds the most slots,
	 * so each new payload of its evicts its own oldest */
	for (id = 10; id < 10 + 3 * SLOTS; id++)
		ck_assert_int_eq(add_via(9, 9, EVPN_TYPE_UNICAST, id, 1000, 0,
					 d, 500, SLOTS + id, &done),
				 EVPN_DROP_NONE);
	ck_assert_uint_eq(dropped[EVPN_DROP_FRAG_NO_ROOM], 3 * SLOTS);
	ck_assert_uint_eq(dropped[EVPN_DROP_FRAG_SHARE], 1);
	ck_assert_int_eq(add_via(5, 2, EVPN_TYPE_FLOOD, 100, 1000, 500, d, 500,
				 100, &done), EVPN_DROP_NONE);
	ck_assert_ptr_nonnull(done);
	ck_assert_mem_eq(done->buf, d, sizeof(d));
	evpn_reasm_release(done);
	/* the same burst from origin 5 through neighbour 9 is still 9's */
	ck_assert_int_eq(add_via(5, 9, EVPN_TYPE_FLOOD, 101, 1000, 0, d, 500,
				 101, &done), EVPN_DROP_NONE);
	ck_assert_int_eq(add_via(5, 2, EVPN_TYPE_FLOOD, 102, 1000, 0, d, 500,
				 102, &done), EVPN_DROP_NONE);
	ck_assert_uint_eq(dropped[EVPN_DROP_FRAG_SHARE], 2);
	ck_assert_int_eq(add_via(5, 9, EVPN_TYPE_FLOOD, 103, 1000, 0, d, 500,
				 103, &done), EVPN_DROP_NONE);
	ck_assert_int_eq(add_via(5, 2, EVPN_TYPE_FLOOD, 102, 1000, 500, d, 500,
				 104, &done), EVPN_DROP_NONE);
	ck_assert_ptr_nonnull(done);
	evpn_reasm_release(done);
}
END_TEST

/* The victim is the oldest payload of the neighbour holding the most
 * slots, not the oldest in the table; a tie goes against the newcomer. */
static void add_first(uint64_t via, uint32_t id, uint64_t now)
{
	static const uint8_t d[1000];
	struct evpn_reasm_ent *done;

	ck_assert_int_eq(add_via(via, via, EVPN_TYPE_UNICAST, id, 1000, 0, d,
				 500, now, &done), EVPN_DROP_NONE);
	ck_assert_ptr_null(done);
}

START_TEST(test_reasm_share_largest)
{
	static const uint8_t d[1000];
	struct evpn_reasm_ent *done;

	setup();
	add_first(1, 0, 0);	/* neighbour 1: ids 0-2, the oldest */
	add_first(1, 1, 1);
	add_first(1, 2, 2);
	add_first(2, 10, 3);
	/* 2 holds 1 < 3: 1's oldest (id 0) goes */
	add_first(2, 11, 4);
	ck_assert_uint_eq(dropped[EVPN_DROP_FRAG_SHARE], 1);
	/* 2 holds 2 == 1's 2: the tie goes against the newcomer (2's id 10) */
	add_first(2, 12, 5);
	ck_assert_uint_eq(dropped[EVPN_DROP_FRAG_NO_ROOM], 1);
	ck_assert_uint_eq(dropped[EVPN_DROP_FRAG_SHARE], 1);
	/* newcomer 3, 1 and 2 hold 2 each: the older of their oldest (1's
	 * id 1) goes */
	add_first(3, 20, 6);
	ck_assert_uint_eq(dropped[EVPN_DROP_FRAG_SHARE], 2);
	/* 3 holds 1 == 1's 1 < 2's 2: 2's oldest (id 11) goes, not 1's id 2,
	 * the oldest in the table */
	add_first(3, 21, 7);
	ck_assert_uint_eq(dropped[EVPN_DROP_FRAG_SHARE], 3);
	ck_assert_uint_eq(dropped[EVPN_DROP_FRAG_NO_ROOM], 1);
	ck_assert_int_eq(add_via(1, 1, EVPN_TYPE_UNICAST, 2, 1000, 500, d, 500,
				 8, &done), EVPN_DROP_NONE);
	ck_assert_ptr_nonnull(done);
	evpn_reasm_release(done);
	/* 2's id 11 was evicted: its rest starts a new payload, in the free
	 * slot (no drop) */
	ck_assert_int_eq(add_via(2, 2, EVPN_TYPE_UNICAST, 11, 1000, 500, d, 500,
				 9, &done), EVPN_DROP_NONE);
	ck_assert_ptr_null(done);
	ck_assert_uint_eq(dropped[EVPN_DROP_FRAG_SHARE], 3);
	ck_assert_uint_eq(evpn_reasm_inuse(&r), SLOTS);
}
END_TEST

START_TEST(test_reasm_too_many_pieces)
{
	uint8_t d[EVPN_FRAG_MAX_PIECES * 20 + 20];
	struct evpn_reasm_ent *done;
	int i;

	setup();
	memset(d, 1, sizeof(d));
	for (i = 0; i < EVPN_FRAG_MAX_PIECES; i++)
		ck_assert_int_eq(add(1, 3, sizeof(d), i * 20, d, 20, 0, &done),
				 EVPN_DROP_NONE);
	ck_assert_int_eq(add(1, 3, sizeof(d), EVPN_FRAG_MAX_PIECES * 20, d, 20,
			     0, &done), EVPN_DROP_FRAG_INVALID);
	ck_assert_uint_eq(evpn_reasm_inuse(&r), 0);
}
END_TEST

/* Property: random payloads split by the plan, delivered in a random
 * order, reassemble to the same bytes. */
START_TEST(test_prop_shuffle)
{
	static uint8_t data[EVPN_MAX_INNER_LEN];
	struct trng g = { .s = 0x5eed + (uint64_t)_i };
	struct evpn_reasm_ent *done = NULL;
	size_t total, max, slice, i;
	unsigned int pieces, order[EVPN_FRAG_MAX_PIECES], k, j, t;
	int round;

	setup();
	for (round = 0; round < 200; round++) {
		total = EVPN_MIN_INNER_LEN + trng_below(&g, EVPN_MAX_INNER_LEN -
							EVPN_MIN_INNER_LEN);
		max = EVPN_RECORD_MIN - EVPN_OVERHEAD +
		      trng_below(&g, EVPN_RECORD_MAX - EVPN_RECORD_MIN);
		if (!evpn_frag_plan(total, max, &slice, &pieces))
			continue;
		for (i = 0; i < total; i++)
			data[i] = (uint8_t)trng_next(&g);
		for (k = 0; k < pieces; k++)
			order[k] = k;
		for (k = pieces - 1; k > 0; k--) {
			j = (unsigned int)trng_below(&g, k + 1);
			t = order[k];
			order[k] = order[j];
			order[j] = t;
		}
		for (k = 0; k < pieces; k++) {
			size_t off = order[k] * slice;
			size_t n = total - off < slice ? total - off : slice;

			ck_assert_int_eq(add(7, (uint32_t)round, (uint16_t)total,
					     (uint16_t)off, data, n, round, &done),
					 EVPN_DROP_NONE);
			ck_assert(k == pieces - 1 ? done != NULL : done == NULL);
		}
		ck_assert_mem_eq(done->buf, data, total);
		evpn_reasm_release(done);
	}
	ck_assert_uint_eq(evpn_reasm_inuse(&r), 0);
}
END_TEST

static Suite *frag_suite(void)
{
	Suite *s = suite_create("core_frag");
	TCase *tc = tcase_create("frag");

	tcase_add_test(tc, test_hdr_roundtrip);
	tcase_add_test(tc, test_hdr_invalid);
	tcase_add_test(tc, test_plan);
	tcase_add_test(tc, test_reasm_in_and_out_of_order);
	tcase_add_test(tc, test_reasm_sources_apart);
	tcase_add_test(tc, test_hdr_total_by_inner);
	tcase_add_test(tc, test_reasm_via_apart);
	tcase_add_test(tc, test_reasm_e2e_largest);
	tcase_add_test(tc, test_reasm_overlap_duplicate);
	tcase_add_test(tc, test_reasm_timeout_and_room);
	tcase_add_test(tc, test_reasm_too_many_pieces);
	tcase_add_test(tc, test_reasm_share_one_fills);
	tcase_add_test(tc, test_reasm_share_largest);
	tcase_add_loop_test(tc, test_prop_shuffle, 0, 4);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return unit_run(frag_suite(), false) ? EXIT_FAILURE : EXIT_SUCCESS;
}
