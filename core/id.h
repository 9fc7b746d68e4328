/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * 128-bit overlay node IDs and ring arithmetic.
 *
 * The overlay is a ring of 2^128 points. All distances are clockwise
 * (increasing ID, wrapping at 2^128) unless named otherwise. IDs travel on
 * the wire as 16 big-endian bytes; in memory they are two host-order halves
 * so comparisons and subtraction are cheap in both the kernel and userspace.
 */
#ifndef EVPN_ID_H
#define EVPN_ID_H

#include "evpn_types.h"

#define EVPN_ID_LEN 16

struct evpn_id {
	uint64_t hi;
	uint64_t lo;
};

/* Wire (16 big-endian bytes) <-> memory. */
void evpn_id_from_bytes(struct evpn_id *id, const uint8_t b[EVPN_ID_LEN]);
void evpn_id_to_bytes(const struct evpn_id *id, uint8_t b[EVPN_ID_LEN]);

int evpn_id_cmp(const struct evpn_id *a, const struct evpn_id *b);
bool evpn_id_eq(const struct evpn_id *a, const struct evpn_id *b);
bool evpn_id_is_zero(const struct evpn_id *a);

/* (to - from) mod 2^128: clockwise distance from @from to @to. */
struct evpn_id evpn_id_dist(const struct evpn_id *from, const struct evpn_id *to);

/* min(cw, ccw) distance: how far apart two points are on the ring. */
struct evpn_id evpn_id_abs_dist(const struct evpn_id *a, const struct evpn_id *b);

/*
 * True if @x lies in the clockwise-open interval (@lo, @hi). When lo == hi the
 * interval is the whole ring except @lo itself.
 */
bool evpn_id_in_open(const struct evpn_id *x, const struct evpn_id *lo,
		     const struct evpn_id *hi);

/* Hex form: 32 lowercase hex digits, no separators. buf must hold 33 bytes. */
#define EVPN_ID_HEXLEN 32
void evpn_id_to_hex(const struct evpn_id *id, char buf[EVPN_ID_HEXLEN + 1]);
/* Parses exactly 32 hex digits (either case). Returns 0 or -1. */
int evpn_id_from_hex(struct evpn_id *id, const char *s);

#endif /* EVPN_ID_H */
