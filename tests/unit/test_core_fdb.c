// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Unit and model tests: layer-2 forwarding database (core/fdb.c). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "fdb.h"
#include "core_test_util.h"
#include "unit.h"

#define AGE 300

static struct evpn_fdb_entry slots[1024];
static struct evpn_fdb fdb;

static const struct evpn_id N1 = { 0, 1 }, N2 = { 0, 2 }, N3 = { 0, 3 };

static void mac_of(uint8_t mac[6], uint32_t i)
{
	mac[0] = 0x02;			/* locally administered unicast */
	mac[1] = 0x00;
	mac[2] = (uint8_t)(i >> 24);
	mac[3] = (uint8_t)(i >> 16);
	mac[4] = (uint8_t)(i >> 8);
	mac[5] = (uint8_t)i;
}

/* The per-source quota is on by default (max / 4); the tests of the table
 * mechanics learn mostly from one node, so they lift it (quota = max). */
static void setup_quota(uint32_t cap, uint32_t max)
{
	ck_assert_int_eq(evpn_fdb_init(&fdb, slots, cap, max, AGE, 0x1234), 0);
	ck_assert_uint_eq(fdb.src_max, max / EVPN_FDB_SRC_SHARE ? max / EVPN_FDB_SRC_SHARE : 1);
}

static void setup(uint32_t cap, uint32_t max)
{
	setup_quota(cap, max);
	ck_assert_int_eq(evpn_fdb_set_src_max(&fdb, max), 0);
}

/* The sketch counts exactly the dynamic entries (each once per row), and
 * never less than any node's true count. */
static void check_src_sketch(void)
{
	uint64_t rows[2] = { 0, 0 }, dyn = 0;
	uint32_t i, j, b;

	for (b = 0; b < EVPN_FDB_SRC_BUCKETS; b++) {
		rows[0] += fdb.src_cnt[0][b];
		rows[1] += fdb.src_cnt[1][b];
	}
	for (i = 0; i <= fdb.mask; i++) {
		const struct evpn_fdb_entry *e = &fdb.slots[i];
		uint32_t same = 0;

		if (!(e->flags & EVPN_FDB_F_USED) || (e->flags & EVPN_FDB_F_STATIC))
			continue;
		dyn++;
		for (j = 0; j <= fdb.mask; j++) {
			const struct evpn_fdb_entry *f = &fdb.slots[j];

			if ((f->flags & EVPN_FDB_F_USED) && !(f->flags & EVPN_FDB_F_STATIC) &&
			    evpn_id_eq(&f->node, &e->node))
				same++;
		}
		CHECK(evpn_fdb_src_count(&fdb, &e->node) >= same, "slot %u", i);
	}
	CHECK(rows[0] == dyn && rows[1] == dyn, "rows %llu %llu dynamic %llu",
	      (unsigned long long)rows[0], (unsigned long long)rows[1],
	      (unsigned long long)dyn);
}

static bool points_to(const uint8_t *mac, const struct evpn_id *node, uint64_t now)
{
	const struct evpn_fdb_entry *e = evpn_fdb_lookup(&fdb, mac, now);

	return e && evpn_id_eq(&e->node, node);
}

START_TEST(test_init_params)
{
	ck_assert_int_eq(evpn_fdb_init(&fdb, slots, 0, 1, AGE, 0), -1);
	ck_assert_int_eq(evpn_fdb_init(&fdb, slots, 1, 1, AGE, 0), -1);
	ck_assert_int_eq(evpn_fdb_init(&fdb, slots, 100, 10, AGE, 0), -1);	/* not 2^k */
	ck_assert_int_eq(evpn_fdb_init(&fdb, slots, 64, 0, AGE, 0), -1);
	ck_assert_int_eq(evpn_fdb_init(&fdb, slots, 64, 33, AGE, 0), -1);	/* > cap/2 */
	ck_assert_int_eq(evpn_fdb_init(&fdb, NULL, 64, 32, AGE, 0), -1);
	ck_assert_int_eq(evpn_fdb_init(&fdb, slots, 64, 32, AGE, 0), 0);
	ck_assert_int_eq(evpn_fdb_set_max(&fdb, 33), -1);
	ck_assert_int_eq(evpn_fdb_set_max(&fdb, 16), 0);
	ck_assert_uint_eq(fdb.max, 16);
	ck_assert_uint_eq(sizeof(struct evpn_fdb_entry), 32);
}
END_TEST

START_TEST(test_learn_lookup_move)
{
	uint8_t a[6], b[6];

	setup(64, 32);
	mac_of(a, 1);
	mac_of(b, 2);
	ck_assert_ptr_null(evpn_fdb_lookup(&fdb, a, 0));
	ck_assert_int_eq(evpn_fdb_learn(&fdb, a, &N1, 10), EVPN_FDB_NEW);
	ck_assert_int_eq(evpn_fdb_learn(&fdb, b, &N2, 10), EVPN_FDB_NEW);
	ck_assert(points_to(a, &N1, 10));
	ck_assert(points_to(b, &N2, 10));
	ck_assert_int_eq(evpn_fdb_learn(&fdb, a, &N1, 11), EVPN_FDB_REFRESHED);
	ck_assert_int_eq(evpn_fdb_learn(&fdb, a, &N3, 12), EVPN_FDB_MOVED);
	ck_assert(points_to(a, &N3, 12));
	ck_assert_uint_eq(evpn_fdb_lookup(&fdb, a, 12)->seen, 12);
	ck_assert_uint_eq(fdb.count, 2);
}
END_TEST

START_TEST(test_aging)
{
	uint8_t a[6];

	setup(64, 32);
	mac_of(a, 7);
	ck_assert_int_eq(evpn_fdb_learn(&fdb, a, &N1, 100), EVPN_FDB_NEW);
	ck_assert(points_to(a, &N1, 100 + AGE - 1));
	ck_assert_ptr_null(evpn_fdb_lookup(&fdb, a, 100 + AGE));	/* expired: miss */
	ck_assert(points_to(a, &N1, 50));	/* clock went back: not aged */
	/* a refresh restarts the clock */
	ck_assert_int_eq(evpn_fdb_learn(&fdb, a, &N1, 200), EVPN_FDB_REFRESHED);
	ck_assert(points_to(a, &N1, 200 + AGE - 1));
	/* an expired entry learned again counts as new */
	ck_assert_int_eq(evpn_fdb_learn(&fdb, a, &N2, 200 + AGE), EVPN_FDB_NEW);
	ck_assert(points_to(a, &N2, 200 + AGE));
	ck_assert_uint_eq(evpn_fdb_expire(&fdb, 200 + AGE), 0);
	ck_assert_uint_eq(evpn_fdb_expire(&fdb, 200 + 2 * AGE), 1);
	ck_assert_uint_eq(fdb.count, 0);
	/* age 0: never expires */
	evpn_fdb_set_age(&fdb, 0);
	ck_assert_int_eq(evpn_fdb_learn(&fdb, a, &N1, 1), EVPN_FDB_NEW);
	ck_assert(points_to(a, &N1, 1ULL << 60));
	ck_assert_uint_eq(evpn_fdb_expire(&fdb, 1ULL << 60), 0);
}
END_TEST

START_TEST(test_static_precedence)
{
	uint8_t a[6];

	setup(64, 32);
	mac_of(a, 9);
	ck_assert_int_eq(evpn_fdb_learn(&fdb, a, &N1, 0), EVPN_FDB_NEW);
	ck_assert_int_eq(evpn_fdb_add_static(&fdb, a, &N2, 0), EVPN_FDB_MOVED);
	ck_assert(points_to(a, &N2, 0));
	ck_assert_int_eq(evpn_fdb_learn(&fdb, a, &N3, 1), EVPN_FDB_STATIC);
	ck_assert(points_to(a, &N2, 1));
	ck_assert_int_eq(evpn_fdb_add_static(&fdb, a, &N2, 2), EVPN_FDB_REFRESHED);
	/* static entries never age */
	ck_assert(points_to(a, &N2, 1000000));
	ck_assert_uint_eq(evpn_fdb_expire(&fdb, 1000000), 0);
	ck_assert(evpn_fdb_lookup(&fdb, a, 0)->flags & EVPN_FDB_F_STATIC);
	/* flushes keep statics unless asked */
	ck_assert_uint_eq(evpn_fdb_flush_node(&fdb, &N2, false), 0);
	ck_assert_uint_eq(evpn_fdb_flush(&fdb, false), 0);
	ck_assert(points_to(a, &N2, 0));
	ck_assert_uint_eq(evpn_fdb_flush_node(&fdb, &N2, true), 1);
	ck_assert_ptr_null(evpn_fdb_lookup(&fdb, a, 0));
	/* delete removes statics; learning then works again */
	ck_assert_int_eq(evpn_fdb_add_static(&fdb, a, &N2, 0), EVPN_FDB_NEW);
	ck_assert(evpn_fdb_del(&fdb, a));
	ck_assert(!evpn_fdb_del(&fdb, a));
	ck_assert_int_eq(evpn_fdb_learn(&fdb, a, &N3, 1), EVPN_FDB_NEW);
}
END_TEST

START_TEST(test_group_macs)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t mcast4[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb };
	static const uint8_t mcast6[6] = { 0x33, 0x33, 0x00, 0x00, 0x00, 0x01 };
	static const uint8_t zero[6] = { 0 };
	static const uint8_t uni[6] = { 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff };

	setup(64, 32);
	ck_assert_int_eq(evpn_fdb_learn(&fdb, bcast, &N1, 0), EVPN_FDB_INVALID);
	ck_assert_int_eq(evpn_fdb_learn(&fdb, mcast4, &N1, 0), EVPN_FDB_INVALID);
	ck_assert_int_eq(evpn_fdb_learn(&fdb, mcast6, &N1, 0), EVPN_FDB_INVALID);
	ck_assert_int_eq(evpn_fdb_learn(&fdb, zero, &N1, 0), EVPN_FDB_INVALID);
	ck_assert_int_eq(evpn_fdb_add_static(&fdb, bcast, &N1, 0), EVPN_FDB_INVALID);
	ck_assert_ptr_null(evpn_fdb_lookup(&fdb, bcast, 0));
	ck_assert_uint_eq(fdb.count, 0);
	ck_assert_int_eq(evpn_fdb_learn(&fdb, uni, &N1, 0), EVPN_FDB_NEW);
	ck_assert(evpn_mac_is_group(mcast6));
	ck_assert(!evpn_mac_is_group(uni));
}
END_TEST

START_TEST(test_full_table)
{
	uint8_t m[6];
	uint32_t i;

	setup(16, 8);
	for (i = 0; i < 8; i++) {
		mac_of(m, i);
		ck_assert_int_eq(evpn_fdb_learn(&fdb, m, &N1, 0), EVPN_FDB_NEW);
	}
	mac_of(m, 100);
	ck_assert_int_eq(evpn_fdb_learn(&fdb, m, &N1, 1), EVPN_FDB_FULL);
	ck_assert_int_eq(evpn_fdb_add_static(&fdb, m, &N1, 1), EVPN_FDB_FULL);
	ck_assert_ptr_null(evpn_fdb_lookup(&fdb, m, 1));
	/* existing MACs still refresh and move when full */
	mac_of(m, 3);
	ck_assert_int_eq(evpn_fdb_learn(&fdb, m, &N2, 1), EVPN_FDB_MOVED);
	/* refresh all but #5 late, let the rest expire: a new MAC evicts #5 */
	for (i = 0; i < 8; i++) {
		if (i == 5)
			continue;
		mac_of(m, i);
		evpn_fdb_learn(&fdb, m, &N1, 200);
	}
	mac_of(m, 100);
	ck_assert_int_eq(evpn_fdb_learn(&fdb, m, &N3, AGE), EVPN_FDB_NEW);
	ck_assert(points_to(m, &N3, AGE));
	ck_assert_uint_le(fdb.count, 8);
	mac_of(m, 5);
	ck_assert_ptr_null(evpn_fdb_lookup(&fdb, m, AGE));
	for (i = 0; i < 8; i++) {
		if (i == 5)
			continue;
		mac_of(m, i);
		ck_assert(evpn_fdb_lookup(&fdb, m, AGE) != NULL);
	}
	/* full again, nothing expired */
	mac_of(m, 101);
	ck_assert_int_eq(evpn_fdb_learn(&fdb, m, &N3, AGE), EVPN_FDB_FULL);
	/* deleting makes room */
	mac_of(m, 0);
	ck_assert(evpn_fdb_del(&fdb, m));
	mac_of(m, 101);
	ck_assert_int_eq(evpn_fdb_learn(&fdb, m, &N3, AGE), EVPN_FDB_NEW);
}
END_TEST

START_TEST(test_iteration)
{
	uint8_t m[6];
	uint32_t i, pos = 0, n = 0;
	const struct evpn_fdb_entry *e;
	static uint8_t hit[50];

	setup(128, 64);
	for (i = 0; i < 50; i++) {
		mac_of(m, i);
		evpn_fdb_learn(&fdb, m, &N1, i < 10 ? 0 : 100);	/* 10 will be expired */
	}
	memset(hit, 0, sizeof(hit));
	while ((e = evpn_fdb_next(&fdb, &pos, AGE + 50)) != NULL) {
		ck_assert(e->mac[5] >= 10 && e->mac[5] < 50);
		ck_assert(!hit[e->mac[5]]);
		hit[e->mac[5]] = 1;
		n++;
	}
	ck_assert_uint_eq(n, 40);
	ck_assert_ptr_null(evpn_fdb_next(&fdb, &pos, AGE + 50));
}
END_TEST

START_TEST(test_flush_node)
{
	uint8_t m[6];
	uint32_t i;

	setup(256, 128);
	for (i = 0; i < 100; i++) {
		mac_of(m, i);
		evpn_fdb_learn(&fdb, m, (i % 3) ? &N1 : &N2, 0);
	}
	ck_assert_uint_eq(evpn_fdb_flush_node(&fdb, &N2, false), 34);
	ck_assert_uint_eq(fdb.count, 66);
	for (i = 0; i < 100; i++) {
		mac_of(m, i);
		ck_assert((evpn_fdb_lookup(&fdb, m, 0) != NULL) == ((i % 3) != 0));
	}
	ck_assert_uint_eq(evpn_fdb_flush(&fdb, true), 66);
	ck_assert_uint_eq(fdb.count, 0);
}
END_TEST

/*
 * Model test: random learn/static/del/expire/time steps over a pool of MACs
 * against a plain array, in a small table (many collisions, clusters that
 * wrap around the end) that never reaches its limit, so every outcome is
 * predictable. Checks every MAC after every step.
 */
#define POOL 60
struct model {
	bool present, is_static;
	struct evpn_id node;
	uint64_t seen;
};

static bool model_live(const struct model *m, uint64_t now)
{
	return m->present && (m->is_static || !(now > m->seen && now - m->seen >= AGE));
}

START_TEST(test_model)
{
	uint64_t seed = test_seed(0xfdb0001);
	struct trng g = { seed };
	struct model mod[POOL];
	uint64_t now = 1000;
	uint8_t m[6];
	int step, k;
	uint64_t reaped = 0;

	printf("fdb model seed 0x%llx\n", (unsigned long long)seed);
	memset(mod, 0, sizeof(mod));
	ck_assert_int_eq(evpn_fdb_init(&fdb, slots, 128, 64, AGE, trng_next(&g)), 0);
	ck_assert_int_eq(evpn_fdb_set_src_max(&fdb, 64), 0);
	for (step = 0; step < 200000; step++) {
		uint32_t i = (uint32_t)trng_below(&g, POOL);
		uint64_t op = trng_below(&g, 100);
		struct evpn_id node = mkid(0, trng_below(&g, 4));
		struct model *x = &mod[i];
		int res;

		mac_of(m, i * 2654435761u);
		if (op < 55) {
			res = evpn_fdb_learn(&fdb, m, &node, now);
			if (x->present && x->is_static) {
				CHECK(res == EVPN_FDB_STATIC, "step %d", step);
			} else {
				int want = !model_live(x, now) ? EVPN_FDB_NEW :
					   evpn_id_eq(&x->node, &node) ?
					   EVPN_FDB_REFRESHED : EVPN_FDB_MOVED;
				CHECK(res == want, "step %d res %d want %d", step, res, want);
				x->present = true;
				x->node = node;
				x->seen = now;
			}
		} else if (op < 60) {
			res = evpn_fdb_add_static(&fdb, m, &node, now);
			CHECK(res >= 0, "step %d", step);
			x->present = x->is_static = true;
			x->node = node;
			x->seen = now;
		} else if (op < 75) {
			bool got = evpn_fdb_del(&fdb, m);

			/* An expired entry may already be gone: learning a
			 * new MAC may reuse its slot. */
			if (model_live(x, now))
				CHECK(got, "step %d", step);
			else if (!x->present)
				CHECK(!got, "step %d", step);
			x->present = x->is_static = false;
		} else if (op < 80) {
			uint32_t want = 0;

			for (k = 0; k < POOL; k++) {
				if (mod[k].present && !model_live(&mod[k], now)) {
					mod[k].present = false;
					want++;
				}
			}
			/* (fewer if some expired slots were reused) */
			CHECK(evpn_fdb_expire(&fdb, now) <= want, "step %d", step);
			reaped += want;
		} else {
			now += trng_below(&g, 40);
		}
		for (k = 0; k < POOL; k++) {
			const struct evpn_fdb_entry *e;

			mac_of(m, (uint32_t)k * 2654435761u);
			e = evpn_fdb_lookup(&fdb, m, now);
			if (model_live(&mod[k], now)) {
				CHECK(e && evpn_id_eq(&e->node, &mod[k].node) &&
				      !!(e->flags & EVPN_FDB_F_STATIC) == mod[k].is_static,
				      "seed 0x%llx step %d mac %d", (unsigned long long)seed, step, k);
			} else {
				CHECK(!e, "seed 0x%llx step %d mac %d", (unsigned long long)seed, step, k);
			}
		}
		/* the table never holds more than the model's present set */
		for (k = 0, i = 0; k < POOL; k++)
			i += mod[k].present;
		CHECK(fdb.count <= i, "step %d count %u model %u", step, fdb.count, i);
		if (step % 101 == 0)
			check_src_sketch();
	}
	check_src_sketch();
	printf("fdb model: %llu expirations\n", (unsigned long long)reaped);
	ck_assert_uint_gt(reaped, 100);
}
END_TEST

/* A large table filled to its limit keeps every entry findable and every
 * probe within the bound, and survives deleting half in random order. */
START_TEST(test_fill_and_delete)
{
	static struct evpn_fdb_entry big[1 << 14];
	uint64_t seed = test_seed(0xfdb0002);
	struct trng g = { seed };
	uint32_t i, n = 1 << 13, ok = 0, full = 0;
	uint8_t m[6];

	printf("fdb fill seed 0x%llx\n", (unsigned long long)seed);
	ck_assert_int_eq(evpn_fdb_init(&fdb, big, 1 << 14, n, AGE, trng_next(&g)), 0);
	ck_assert_int_eq(evpn_fdb_set_src_max(&fdb, n), 0);
	for (i = 0; i < n; i++) {
		mac_of(m, i);
		if (evpn_fdb_learn(&fdb, m, &N1, 0) == EVPN_FDB_NEW)
			ok++;
		else
			full++;
	}
	printf("fdb fill: %u of %u inserted at load 1/2, %u refused by the probe bound\n",
	       ok, n, full);
	ck_assert_uint_eq(fdb.count, ok);
	ck_assert_uint_ge(ok, n - n / 100);
	for (i = 0; i < n; i += 2) {
		mac_of(m, i);
		evpn_fdb_del(&fdb, m);
	}
	for (i = 0; i < n; i++) {
		mac_of(m, i);
		if (i & 1) {
			/* was inserted => still found */
			const struct evpn_fdb_entry *e = evpn_fdb_lookup(&fdb, m, 0);

			CHECK(e || full, "odd mac %u lost", i);
		} else {
			CHECK(!evpn_fdb_lookup(&fdb, m, 0), "even mac %u still there", i);
		}
	}
}
END_TEST

/*
 * Issue 11 item 6 (security review M3): one source node can hold at most its
 * quota of learned MACs, so a member flooding new source MACs cannot stop
 * learning for the others. Refusals are counted; refreshes, statics and
 * other nodes are unaffected; the quota frees up as entries go.
 */
static const struct evpn_id ATK = { 0xa77ac4e5, 0x1 };

/* Relayed floods learn tentatively: never over a live proven entry; a
 * proven learn overrides a tentative one and clears the mark
 * (docs/protocol.md 14.3). */
START_TEST(test_tentative)
{
	const struct evpn_fdb_entry *e;
	uint8_t a[6], b[6];

	setup(64, 32);
	mac_of(a, 1);
	mac_of(b, 2);
	ck_assert_int_eq(evpn_fdb_learn(&fdb, a, &N1, 10), EVPN_FDB_NEW);
	/* a forged claim on a proven MAC is refused, same node refreshes */
	ck_assert_int_eq(evpn_fdb_learn_tentative(&fdb, a, &N2, 11),
			 EVPN_FDB_PROVEN);
	ck_assert(points_to(a, &N1, 11));
	ck_assert_int_eq(evpn_fdb_learn_tentative(&fdb, a, &N1, 12),
			 EVPN_FDB_REFRESHED);
	e = evpn_fdb_lookup(&fdb, a, 12);
	ck_assert(!(e->flags & EVPN_FDB_F_TENTATIVE));
	/* a new MAC from a relayed flood is tentative, and moves freely
	 * among tentative claims */
	ck_assert_int_eq(evpn_fdb_learn_tentative(&fdb, b, &N2, 12),
			 EVPN_FDB_NEW);
	ck_assert(evpn_fdb_lookup(&fdb, b, 12)->flags & EVPN_FDB_F_TENTATIVE);
	ck_assert_int_eq(evpn_fdb_learn_tentative(&fdb, b, &N3, 13),
			 EVPN_FDB_MOVED);
	ck_assert(points_to(b, &N3, 13));
	/* a proven frame corrects it */
	ck_assert_int_eq(evpn_fdb_learn(&fdb, b, &N1, 14), EVPN_FDB_MOVED);
	e = evpn_fdb_lookup(&fdb, b, 14);
	ck_assert(!(e->flags & EVPN_FDB_F_TENTATIVE));
	ck_assert_int_eq(evpn_fdb_learn_tentative(&fdb, b, &N2, 15),
			 EVPN_FDB_PROVEN);
	/* an expired proven entry no longer protects its MAC */
	ck_assert_int_eq(evpn_fdb_learn_tentative(&fdb, a, &N2, 12 + AGE + 1),
			 EVPN_FDB_NEW);
	ck_assert(points_to(a, &N2, 12 + AGE + 1));
	ck_assert(evpn_fdb_lookup(&fdb, a, 12 + AGE + 1)->flags &
		  EVPN_FDB_F_TENTATIVE);
}
END_TEST

START_TEST(test_src_quota)
{
	uint32_t i, q, got = 0;
	uint8_t m[6];

	setup_quota(1024, 512);
	q = fdb.src_max;
	ck_assert_uint_eq(q, 128);
	ck_assert_int_eq(evpn_fdb_set_src_max(&fdb, 0), -1);
	ck_assert_int_eq(evpn_fdb_set_src_max(&fdb, 513), -1);
	for (i = 0; i < 1000; i++) {
		mac_of(m, 0x100000 + i);
		int r = evpn_fdb_learn(&fdb, m, &ATK, 0);

		CHECK(r == EVPN_FDB_NEW || r == EVPN_FDB_QUOTA, "mac %u: %d", i, r);
		got += r == EVPN_FDB_NEW;
	}
	ck_assert_uint_eq(got, q);
	ck_assert_uint_eq(fdb.count, q);
	ck_assert_uint_eq(fdb.refused_quota, 1000 - q);
	ck_assert_uint_eq(fdb.refused_full, 0);
	ck_assert_uint_eq(evpn_fdb_src_count(&fdb, &ATK), q);
	/* others still learn */
	for (i = 0; i < 100; i++) {
		mac_of(m, i);
		ck_assert_int_eq(evpn_fdb_learn(&fdb, m, (i & 1) ? &N1 : &N2, 0),
				 EVPN_FDB_NEW);
	}
	/* the attacker cannot take a MAC over either, but refreshes its own */
	mac_of(m, 7);
	ck_assert_int_eq(evpn_fdb_learn(&fdb, m, &ATK, 1), EVPN_FDB_QUOTA);
	ck_assert(points_to(m, &N1, 1));
	mac_of(m, 0x100000);
	ck_assert_int_eq(evpn_fdb_learn(&fdb, m, &ATK, 1), EVPN_FDB_REFRESHED);
	/* statics are the admin's: not limited, not counted */
	for (i = 0; i < 10; i++) {
		mac_of(m, 0x200000 + i);
		ck_assert_int_eq(evpn_fdb_add_static(&fdb, m, &ATK, 1), EVPN_FDB_NEW);
	}
	ck_assert_uint_eq(evpn_fdb_src_count(&fdb, &ATK), q);
	/* a static replacing a learned entry frees its quota slot */
	mac_of(m, 0x100001);
	ck_assert_int_eq(evpn_fdb_add_static(&fdb, m, &N3, 1), EVPN_FDB_MOVED);
	ck_assert_uint_eq(evpn_fdb_src_count(&fdb, &ATK), q - 1);
	mac_of(m, 0x300000);
	ck_assert_int_eq(evpn_fdb_learn(&fdb, m, &ATK, 1), EVPN_FDB_NEW);
	check_src_sketch();
	/* flushing the node, or its entries expiring, frees the quota */
	ck_assert_uint_eq(evpn_fdb_flush_node(&fdb, &ATK, false), q);
	ck_assert_uint_eq(evpn_fdb_src_count(&fdb, &ATK), 0);
	for (i = 0; i < q; i++) {
		mac_of(m, 0x400000 + i);
		ck_assert_int_eq(evpn_fdb_learn(&fdb, m, &ATK, 2), EVPN_FDB_NEW);
	}
	ck_assert_uint_gt(evpn_fdb_expire(&fdb, 2 + AGE), q - 1);
	mac_of(m, 0x500000);
	ck_assert_int_eq(evpn_fdb_learn(&fdb, m, &ATK, 2 + AGE), EVPN_FDB_NEW);
	check_src_sketch();
}
END_TEST

/* Default-sized table: three hostile nodes at their quota leave room, and
 * learning, for 200 other nodes (the sketch mislimits none of them). */
START_TEST(test_src_quota_default_size)
{
	static struct evpn_fdb_entry big[2 * EVPN_FDB_MAX_DEFAULT];
	uint32_t i, a, refused = 0;
	struct evpn_id node;
	uint8_t m[6];

	ck_assert_int_eq(evpn_fdb_init(&fdb, big, 2 * EVPN_FDB_MAX_DEFAULT,
				       EVPN_FDB_MAX_DEFAULT, AGE, 0x5eed), 0);
	ck_assert_uint_eq(fdb.src_max, 1024);
	for (a = 0; a < 3; a++) {
		node = mkid(0xbad, a);
		for (i = 0; i < 5000; i++) {
			mac_of(m, a << 16 | i);
			refused += evpn_fdb_learn(&fdb, m, &node, 0) != EVPN_FDB_NEW;
		}
		ck_assert_uint_le(evpn_fdb_src_count(&fdb, &node), 1024);
	}
	ck_assert_uint_ge(refused, 3 * (5000 - 1024));
	ck_assert_uint_le(fdb.count, 3 * 1024);
	for (a = 0; a < 200; a++) {
		node = mkid(0x600d, a);
		for (i = 0; i < 4; i++) {
			mac_of(m, 0x800000 | a << 8 | i);
			ck_assert_int_eq(evpn_fdb_learn(&fdb, m, &node, 1), EVPN_FDB_NEW);
		}
	}
	check_src_sketch();
}
END_TEST

static Suite *fdb_suite(void)
{
	Suite *s = suite_create("core_fdb");
	TCase *tc = tcase_create("fdb");

	tcase_add_test(tc, test_init_params);
	tcase_add_test(tc, test_learn_lookup_move);
	tcase_add_test(tc, test_tentative);
	tcase_add_test(tc, test_aging);
	tcase_add_test(tc, test_static_precedence);
	tcase_add_test(tc, test_group_macs);
	tcase_add_test(tc, test_full_table);
	tcase_add_test(tc, test_iteration);
	tcase_add_test(tc, test_flush_node);
	tcase_add_test(tc, test_src_quota);
	tcase_add_test(tc, test_src_quota_default_size);
	tcase_add_test(tc, test_model);
	tcase_add_test(tc, test_fill_and_delete);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return unit_run(fdb_suite(), false) ? EXIT_FAILURE : EXIT_SUCCESS;
}
