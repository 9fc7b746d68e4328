// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer target for the shared core: the data record decoder, the replay
 * window and the forwarding decisions, fed from arbitrary bytes. Every
 * invariant violation traps, so libFuzzer reports it as a crash.
 *
 *   make build/fuzz/fuzz_wire
 *   build/fuzz/fuzz_wire -max_total_time=10 tests/fuzz/corpus/fuzz_wire
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fdb.h"
#include "fwd.h"
#include "replay.h"
#include "turn.h"
#include "wire.h"
#include "fuzz.h"

/* The whole input as a received record. */
static void fuzz_decode(const uint8_t *data, size_t size)
{
	struct evpn_hdr h;
	uint8_t again[EVPN_HDR_LEN];
	enum evpn_drop_reason why = evpn_hdr_decode(&h, data, size);
	enum evpn_pkt_class cls = size ? evpn_classify(data[0]) : EVPN_PKT_OTHER;
	/* an e2e record (0xE3) carries an e2e payload around the frame */
	size_t e2e = size && data[0] == EVPN_TYPE_E2E ? EVPN_E2E_OVERHEAD : 0;

	ENSURE(why >= EVPN_DROP_NONE && why <= EVPN_DROP_MAX);
	if (why != EVPN_DROP_NONE) {
		if (size && cls != EVPN_PKT_DATA)
			ENSURE(why == (cls == EVPN_PKT_DATA_UNKNOWN ?
				       EVPN_DROP_BAD_VERSION : EVPN_DROP_NOT_DATA));
		if (why == EVPN_DROP_TRUNCATED)
			ENSURE(size < EVPN_OVERHEAD + EVPN_MIN_INNER_LEN + e2e);
		if (why == EVPN_DROP_OVERSIZE)
			ENSURE(size > EVPN_OVERHEAD + EVPN_MAX_INNER_LEN + e2e);
		if (why == EVPN_DROP_TTL)
			ENSURE(size > 1 && data[1] > EVPN_TTL_MAX);
		return;
	}
	ENSURE(cls == EVPN_PKT_DATA);
	ENSURE(h.type == EVPN_TYPE_UNICAST || h.type == EVPN_TYPE_FLOOD ||
	       h.type == EVPN_TYPE_E2E || h.type == EVPN_TYPE_MCAST_ANN);
	ENSURE(size >= EVPN_OVERHEAD + EVPN_MIN_INNER_LEN + e2e);
	ENSURE(h.key_id != 0);
	ENSURE(h.ttl <= EVPN_TTL_MAX);
	ENSURE(size >= EVPN_OVERHEAD + EVPN_MIN_INNER_LEN);
	ENSURE(size - EVPN_OVERHEAD <= EVPN_MAX_INNER_LEN + e2e);
	evpn_hdr_encode(again, &h);
	ENSURE(!memcmp(again, data, EVPN_HDR_LEN));
}

/* Counters from the input: each 9-byte step is a mode byte and 8 bytes. */
static struct evpn_replay win;

static void fuzz_replay(const uint8_t *data, size_t size)
{
	uint64_t v, c, top;
	bool pre, ok;
	size_t i;
	int k;

	evpn_replay_init(&win);
	for (i = 0; i + 9 <= size; i += 9) {
		for (v = 0, k = 1; k < 9; k++)
			v = v << 8 | data[i + k];
		top = win.top;
		switch (data[i] & 3) {
		case 0:
			c = v;				/* anywhere */
			break;
		case 1:
			c = top + (v & 0x1fff);		/* ahead, maybe far */
			break;
		default:
			c = top - 1 - (v % (EVPN_REPLAY_WINDOW + 100)); /* behind */
			break;
		}
		pre = evpn_replay_check(&win, c);
		ok = evpn_replay_accept(&win, c);
		ENSURE(pre == ok);
		ENSURE(win.top >= top);			/* never moves back */
		if (c == ~0ULL)
			ENSURE(!ok);
		if (ok) {
			ENSURE(c < win.top);
			ENSURE(win.top - c <= EVPN_REPLAY_WINDOW);
			ENSURE(!evpn_replay_check(&win, c));
			ENSURE(!evpn_replay_accept(&win, c));	/* once */
		}
		if (top && c < top && top - c > EVPN_REPLAY_WINDOW)
			ENSURE(!ok);			/* too old */
		if (c >= top && c != ~0ULL)
			ENSURE(ok);			/* new is always fine */
	}
}

/* IDs from the input: self, dst/end, then up to 24 neighbours. */
#define MAXN 24

static void load_id(struct evpn_id *id, const uint8_t *p)
{
	evpn_id_from_bytes(id, p);
}

static void fuzz_fwd(const uint8_t *data, size_t size)
{
	struct evpn_id self, dst, nbrs[MAXN], ds, d, prev;
	struct evpn_flood_hop out[MAXN];
	int n, i, j, nh, cnt, skip;

	if (size < 1 + 2 * EVPN_ID_LEN)
		return;
	skip = (int)(data[0] % (MAXN + 1)) - 1;
	load_id(&self, data + 1);
	load_id(&dst, data + 1 + EVPN_ID_LEN);
	data += 1 + 2 * EVPN_ID_LEN;
	size -= 1 + 2 * EVPN_ID_LEN;
	for (n = 0; n < MAXN && size >= 2; n++) {
		/* 2 bytes: a neighbour near self/dst (ties, wrap) or 16 fresh */
		if (data[0] & 0x80 || size < EVPN_ID_LEN) {
			nbrs[n] = (data[0] & 0x40) ? dst : self;
			nbrs[n].lo += (uint64_t)(int8_t)data[1];
			data += 2;
			size -= 2;
		} else {
			load_id(&nbrs[n], data);
			data += EVPN_ID_LEN;
			size -= EVPN_ID_LEN;
		}
	}

	/* next hop: strictly closer and the closest, lowest index on ties */
	nh = evpn_fwd_next_hop(&self, &dst, nbrs, n);
	ds = evpn_id_abs_dist(&self, &dst);
	ENSURE(nh >= -1 && nh < n);
	for (i = 0; i < n; i++) {
		d = evpn_id_abs_dist(&nbrs[i], &dst);
		if (nh < 0) {
			ENSURE(evpn_id_cmp(&d, &ds) >= 0);
		} else {
			struct evpn_id best = evpn_id_abs_dist(&nbrs[nh], &dst);

			ENSURE(evpn_id_cmp(&best, &ds) < 0);
			ENSURE(evpn_id_cmp(&best, &d) < 0 ||
			       (evpn_id_cmp(&best, &d) == 0 && nh <= i));
		}
	}

	/* flood split of (self, dst): sorted, inside, distinct, chained ends */
	cnt = evpn_flood_split(&self, &dst, nbrs, n, skip, out);
	ENSURE(cnt >= 0 && cnt <= n);
	for (i = 0; i < cnt; i++) {
		const struct evpn_id *x = &nbrs[out[i].nbr];

		ENSURE(out[i].nbr >= 0 && out[i].nbr < n && out[i].nbr != skip);
		ENSURE(evpn_id_in_open(x, &self, &dst));
		ENSURE(!evpn_id_eq(&out[i].end, x));
		if (i) {
			struct evpn_id a = evpn_id_dist(&self, &prev);
			struct evpn_id b = evpn_id_dist(&self, x);

			ENSURE(evpn_id_cmp(&a, &b) < 0);	/* strictly clockwise */
			ENSURE(evpn_id_eq(&out[i - 1].end, x));
		}
		prev = *x;
	}
	if (cnt)
		ENSURE(evpn_id_eq(&out[cnt - 1].end, &dst));
	/* coverage: every eligible neighbour's node got a slice */
	for (i = 0; i < n; i++) {
		bool found = false;

		if (i == skip || !evpn_id_in_open(&nbrs[i], &self, &dst))
			continue;
		for (j = 0; j < cnt; j++)
			found |= evpn_id_eq(&nbrs[out[j].nbr], &nbrs[i]);
		ENSURE(found);
	}
}

/* FDB operations from the input: 8-byte steps (op, mac[6], node byte). */
static struct evpn_fdb_entry slots[64];
static struct evpn_fdb fdb;

static void fuzz_fdb(const uint8_t *data, size_t size)
{
	const struct evpn_fdb_entry *e;
	uint64_t now = 0;
	size_t i;
	int res;

	ENSURE(evpn_fdb_init(&fdb, slots, 64, 32, 30, 42) == 0);
	for (i = 0; i + 8 <= size; i += 8) {
		const uint8_t *mac = data + i + 1;
		struct evpn_id node = { 0, data[i + 7] };

		now += data[i] >> 4;
		switch (data[i] & 3) {
		case 0:
		case 1:
			res = evpn_fdb_learn(&fdb, mac, &node, now);
			if (res == EVPN_FDB_NEW || res == EVPN_FDB_MOVED ||
			    res == EVPN_FDB_REFRESHED) {
				e = evpn_fdb_lookup(&fdb, mac, now);
				ENSURE(e && evpn_id_eq(&e->node, &node));
			}
			ENSURE(res != EVPN_FDB_INVALID || evpn_mac_is_group(mac));
			break;
		case 2:
			evpn_fdb_del(&fdb, mac);
			ENSURE(!evpn_fdb_lookup(&fdb, mac, now));
			break;
		default:
			evpn_fdb_expire(&fdb, now);
			break;
		}
		ENSURE(fdb.count <= fdb.max);
	}
}

/* The whole input as a datagram from a TURN server (core/turn.c): an
 * accepted record lies inside the input, starts with the evpn magic, and
 * was framed as ChannelData (channel in range) or a Data indication. The
 * record itself is then decoded like any other. */
static void fuzz_turn(const uint8_t *data, size_t size)
{
	struct evpn_turn_in in;

	if (!evpn_turn_parse(data, size, &in))
		return;
	ENSURE(in.len >= 1 && in.off <= size && in.len <= size - in.off);
	ENSURE((data[in.off] & EVPN_MAGIC_MASK) == EVPN_MAGIC);
	if (in.channel)
		ENSURE(in.off == EVPN_TURN_CD_HLEN &&
		       in.channel >= EVPN_TURN_CHAN_MIN &&
		       in.channel <= EVPN_TURN_CHAN_MAX);
	else
		ENSURE(size >= EVPN_TURN_STUN_HLEN + 4 && data[0] == 0 &&
		       data[1] == 0x17 && (in.off & 3) == 0);
	fuzz_decode(data + in.off, in.len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_decode(data, size);
	fuzz_turn(data, size);
	fuzz_replay(data, size);
	fuzz_fwd(data, size);
	fuzz_fdb(data, size);
	return 0;
}
