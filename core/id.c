// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * 128-bit overlay node IDs and ring arithmetic (see id.h).
 *
 * IDs are held as two host-order 64-bit halves; all arithmetic is modulo
 * 2^128 with explicit carry/borrow, so it needs neither __int128 nor any
 * division and compiles unchanged in the kernel.
 */
#include "id.h"

static uint64_t be64_load(const uint8_t *b)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = (v << 8) | b[i];
	return v;
}

static void be64_store(uint8_t *b, uint64_t v)
{
	int i;

	for (i = 7; i >= 0; i--) {
		b[i] = (uint8_t)v;
		v >>= 8;
	}
}

void evpn_id_from_bytes(struct evpn_id *id, const uint8_t b[EVPN_ID_LEN])
{
	id->hi = be64_load(b);
	id->lo = be64_load(b + 8);
}

void evpn_id_to_bytes(const struct evpn_id *id, uint8_t b[EVPN_ID_LEN])
{
	be64_store(b, id->hi);
	be64_store(b + 8, id->lo);
}

int evpn_id_cmp(const struct evpn_id *a, const struct evpn_id *b)
{
	if (a->hi != b->hi)
		return a->hi < b->hi ? -1 : 1;
	if (a->lo != b->lo)
		return a->lo < b->lo ? -1 : 1;
	return 0;
}

bool evpn_id_eq(const struct evpn_id *a, const struct evpn_id *b)
{
	return a->hi == b->hi && a->lo == b->lo;
}

bool evpn_id_is_zero(const struct evpn_id *a)
{
	return !a->hi && !a->lo;
}

struct evpn_id evpn_id_dist(const struct evpn_id *from, const struct evpn_id *to)
{
	struct evpn_id d;

	d.lo = to->lo - from->lo;
	d.hi = to->hi - from->hi - (to->lo < from->lo);
	return d;
}

struct evpn_id evpn_id_abs_dist(const struct evpn_id *a, const struct evpn_id *b)
{
	struct evpn_id cw = evpn_id_dist(a, b);
	struct evpn_id ccw = evpn_id_dist(b, a);

	return evpn_id_cmp(&cw, &ccw) <= 0 ? cw : ccw;
}

bool evpn_id_in_open(const struct evpn_id *x, const struct evpn_id *lo,
		     const struct evpn_id *hi)
{
	struct evpn_id dx = evpn_id_dist(lo, x);
	struct evpn_id dh = evpn_id_dist(lo, hi);

	if (evpn_id_is_zero(&dx))
		return false;		/* x == lo is never inside */
	if (evpn_id_is_zero(&dh))
		return true;		/* lo == hi: the whole ring but lo */
	return evpn_id_cmp(&dx, &dh) < 0;
}

void evpn_id_to_hex(const struct evpn_id *id, char buf[EVPN_ID_HEXLEN + 1])
{
	static const char digits[] = "0123456789abcdef";
	uint8_t b[EVPN_ID_LEN];
	int i;

	evpn_id_to_bytes(id, b);
	for (i = 0; i < EVPN_ID_LEN; i++) {
		buf[2 * i] = digits[b[i] >> 4];
		buf[2 * i + 1] = digits[b[i] & 0xf];
	}
	buf[EVPN_ID_HEXLEN] = '\0';
}

static int hex_val(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int evpn_id_from_hex(struct evpn_id *id, const char *s)
{
	uint8_t b[EVPN_ID_LEN];
	int i, h, l;

	if (!s)
		return -1;
	for (i = 0; i < EVPN_ID_LEN; i++) {
		h = hex_val(s[2 * i]);
		if (h < 0)
			return -1;	/* also stops at a short string's NUL */
		l = hex_val(s[2 * i + 1]);
		if (l < 0)
			return -1;
		b[i] = (uint8_t)(h << 4 | l);
	}
	if (s[EVPN_ID_HEXLEN] != '\0')
		return -1;		/* exactly 32 digits, nothing after */
	evpn_id_from_bytes(id, b);
	return 0;
}
