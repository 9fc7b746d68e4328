// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Static-key nonces never repeat across a restart with the clock stepped
 * back (security review M4; daemon/noncefloor.h). The TAP datapath's
 * static key gets its first counter from the persisted floor; counters
 * past the reserved ceiling raise the floor before they are used; after a
 * "restart" (the floor re-read from STATE_DIR) with the wall clock one
 * hour earlier, the new key's first counter is above every counter the
 * previous run used. Also: a corrupt floor file stops evpnd instead of
 * guessing. The device part runs in a private network namespace (root,
 * /dev/net/tun); where it cannot, it prints "SKIP: <test>: <reason>".
 */
#include <check.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "datapath/dp_internal.h"
#include "noncefloor.h"
#include "unit.h"

#define T0	1800000000000000000ULL	/* ns: some day in 2027 */
#define HOUR	3600000000000ULL

static uint64_t fake_now;

static uint64_t fake_clock(void)
{
	return fake_now;
}

static char *tmpdir;

static void setup(void)
{
	tmpdir = g_dir_make_tmp("evpn-nf-XXXXXX", NULL);
	ck_assert_ptr_nonnull(tmpdir);
	fake_now = T0;
	nonce_floor_test_hooks(fake_clock, 1000);
}

static void teardown(void)
{
	char *f = g_build_filename(tmpdir, NONCE_FLOOR_FILE, NULL);

	nonce_floor_close();
	nonce_floor_test_hooks(NULL, 0);
	g_unlink(f);
	g_rmdir(tmpdir);
	g_free(f);
	g_free(tmpdir);
}

static uint64_t file_floor(void)
{
	char *f = g_build_filename(tmpdir, NONCE_FLOOR_FILE, NULL), *text;
	uint64_t v;

	ck_assert(g_file_get_contents(f, &text, NULL, NULL));
	v = g_ascii_strtoull(text, NULL, 10);
	g_free(text);
	g_free(f);
	return v;
}

/* "Send" @n records on @s as path.c does; returns the highest counter. */
static uint64_t send_records(struct dp_link *l, struct dp_keyslot *s, int n)
{
	uint64_t last = 0;
	int i;

	for (i = 0; i < n; i++) {
		ck_assert(dp_static_nonce_ok(l, s));
		/* the persisted floor covers every counter used */
		ck_assert_uint_lt(s->tx_counter, file_floor());
		last = s->tx_counter++;
	}
	return last;
}

START_TEST(floor_module)
{
	struct dp_link l = { .no_expire = true };
	struct dp_keyslot s = { 0 };
	uint64_t used;

	ck_assert_int_eq(nonce_floor_open(tmpdir), 0);
	s.tx_counter = nonce_floor_start(0);
	ck_assert_uint_eq(s.tx_counter, T0);
	ck_assert_uint_eq(file_floor(), T0 + 1000);
	used = send_records(&l, &s, 2500);	/* crosses the ceiling twice */
	ck_assert_uint_eq(used, T0 + 2499);
	/* restart, wall clock stepped back an hour */
	nonce_floor_close();
	fake_now = T0 - HOUR;
	ck_assert_int_eq(nonce_floor_open(tmpdir), 0);
	ck_assert_uint_gt(nonce_floor_start(0), used);
	/* without the floor, the clock would have repeated T0 .. T0 + 2499 */
}
END_TEST

START_TEST(floor_corrupt)
{
	char *f = g_build_filename(tmpdir, NONCE_FLOOR_FILE, NULL);

	ck_assert(g_file_set_contents(f, "12x\n", -1, NULL));
	ck_assert_int_eq(nonce_floor_open(tmpdir), -1);
	g_free(f);
}
END_TEST

/* One run of evpnd's TAP datapath with a static link: its first counter. */
static uint64_t tap_static_install(struct dp **dpp, struct dp_link **lp)
{
	struct dp_config c = { .kind = DP_KIND_TAP, .mtu = 1370,
			       .fdb_size = 64, .fdb_age = 300 };
	struct dp_transport t = { .fd = -1 };
	struct evpn_id peer = { .hi = 1, .lo = 2 };
	struct dp_key_dir tx = { .key_id = 7 }, rx = { .key_id = 9 };
	struct dp_link *l;

	snprintf(c.ifname, sizeof(c.ifname), "evnf0");
	c.node_id.lo = 0x42;
	*dpp = dp_create(&c);
	ck_assert_ptr_nonnull(*dpp);
	l = dp_link_add(*dpp, &peer, "s", &t);
	ck_assert_ptr_nonnull(l);
	dp_link_set_static(l, true);
	ck_assert_int_eq(dp_link_set_keys(l, DP_SLOT_CURRENT,
					  DP_SUITE_AES256GCM, &tx, &rx), 0);
	*lp = l;
	return l->slot[l->cur].tx_counter;
}

START_TEST(tap_clock_step)
{
	struct dp *dp;
	struct dp_link *l;
	uint64_t first, used;

	ck_assert_int_eq(nonce_floor_open(tmpdir), 0);
	first = tap_static_install(&dp, &l);
	ck_assert_uint_eq(first, T0);
	used = send_records(l, &l->slot[l->cur], 1500);
	dp_destroy(dp);
	/* evpnd restarts an hour "earlier" (NTP stepped the clock back) */
	nonce_floor_close();
	fake_now = T0 - HOUR;
	ck_assert_int_eq(nonce_floor_open(tmpdir), 0);
	first = tap_static_install(&dp, &l);
	ck_assert_uint_gt(first, used);
	/* re-installing the key without a restart: also fresh counters */
	used = send_records(l, &l->slot[l->cur], 10);
	dp_link_set_static(l, true);
	{
		struct dp_key_dir tx = { .key_id = 7 }, rx = { .key_id = 9 };

		ck_assert_int_eq(dp_link_set_keys(l, DP_SLOT_CURRENT,
						  DP_SUITE_AES256GCM, &tx, &rx), 0);
	}
	ck_assert_uint_gt(l->slot[l->cur].tx_counter, used);
	dp_destroy(dp);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("noncefloor");
	TCase *tc = tcase_create("all");
	const char *why;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, floor_module);
	tcase_add_test(tc, floor_corrupt);
	why = unit_tap_netns_unavailable();
	if (why)
		printf("SKIP: tap_clock_step: %s\n", why);
	else
		tcase_add_test(tc, tap_clock_step);
	suite_add_tcase(s, tc);
	/* nofork: one netns for all */
	return unit_run(s, true) ? EXIT_FAILURE : EXIT_SUCCESS;
}
