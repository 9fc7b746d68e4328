// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * linkmgr/epoch_limit.c (security review M5): a peer can make us install
 * only the next key epoch, at most once per LM_EPOCH_MIN_MS; jumps (also
 * towards UINT32_MAX, which would wrap) and EPOCH_REQs naming epochs we
 * never sent are refused and counted; late retransmissions are ignored
 * without counting; a relink widens the window by its slack only.
 */
#include <check.h>
#include <stdlib.h>

#include "linkmgr/lm.h"
#include "unit.h"

static struct linkmgr lm;
static struct peer pe = { .hex = "0123" };
static struct link l;

static void setup(void)
{
	memset(&lm, 0, sizeof(lm));
	lm.name = "t";
	memset(&l, 0, sizeof(l));
	l.lm = &lm;
	l.peer = &pe;
}

static bool try(uint32_t epoch, gint64 now)
{
	return !epoch_refused(&l, epoch_admit(&l, epoch, now), epoch);
}

/* what epoch.c does once it installed @epoch */
static void installed(uint32_t epoch, gint64 now)
{
	l.have_current = true;
	l.epoch = l.pend_epoch = epoch;
	l.epoch_last_ms = now;
}

START_TEST(first_is_zero)
{
	ck_assert(!try(1, 1000));
	ck_assert(!try(7, 1000));
	ck_assert_uint_eq(lm.stats.epoch_refused, 2);
	ck_assert(try(0, 1000));
}
END_TEST

START_TEST(only_next)
{
	gint64 t = 5000;

	installed(4, t);
	t += LM_EPOCH_MIN_MS;
	ck_assert(!try(6, t));
	ck_assert(!try(1000, t));
	ck_assert(!try(UINT32_MAX, t));
	ck_assert_uint_eq(lm.stats.epoch_refused, 3);
	ck_assert(!try(4, t));	/* stale: ignored, not counted */
	ck_assert(!try(2, t));
	ck_assert_uint_eq(lm.stats.epoch_refused, 3);
	ck_assert(try(5, t));
}
END_TEST

START_TEST(rate_limited)
{
	gint64 t = 5000;
	int i, ok = 0;

	installed(0, t);
	/* a peer pushing epoch after epoch, every 10 ms for 10 s */
	for (i = 0; i < 1000; i++, t += 10)
		if (try(l.epoch + 1, t)) {
			ok++;
			installed(l.epoch + 1, t);
		}
	ck_assert_int_le(ok, 10000 / LM_EPOCH_MIN_MS);
	ck_assert_int_ge(ok, 10000 / LM_EPOCH_MIN_MS - 1);
	ck_assert_uint_ge(lm.stats.epoch_refused, 1000 - ok);
}
END_TEST

START_TEST(relink_slack)
{
	gint64 t = 5000;

	installed(3, t);
	l.pend_epoch = 4;	/* 4 was under way when the path broke */
	l.min_epoch = 5;	/* epoch_restart() */
	t += LM_EPOCH_MIN_MS;
	ck_assert(!try(4, t));
	ck_assert(!try(5 + LM_EPOCH_RELINK_SLACK + 1, t));
	ck_assert(try(5 + LM_EPOCH_RELINK_SLACK, t));
	ck_assert(try(5, t));
}
END_TEST

START_TEST(pending_abandoned)
{
	gint64 t = 5000;

	installed(3, t);
	/* we installed 4 in NEXT and answered; the controlling side relinked
	 * before our answer arrived and restarts with 5 */
	l.pend_epoch = 4;
	l.pend_installed = true;
	t += LM_EPOCH_MIN_MS;
	ck_assert(!try(6, t));
	ck_assert(try(5, t));
}
END_TEST

START_TEST(request)
{
	gint64 t = 5000;

	installed(3, t);
	t += LM_EPOCH_MIN_MS;
	ck_assert_int_eq(epoch_admit_request(&l, 3, t), EPOCH_OK);
	ck_assert_int_eq(epoch_admit_request(&l, 3 + LM_EPOCH_RELINK_SLACK, t),
			 EPOCH_OK);
	ck_assert_int_eq(epoch_admit_request(&l, 3 + LM_EPOCH_RELINK_SLACK + 1, t),
			 EPOCH_JUMP);
	ck_assert_int_eq(epoch_admit_request(&l, UINT32_MAX, t), EPOCH_JUMP);
	ck_assert_int_eq(epoch_admit_request(&l, 3, t - 1), EPOCH_TOO_SOON);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("epoch_limit");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, first_is_zero);
	tcase_add_test(tc, only_next);
	tcase_add_test(tc, rate_limited);
	tcase_add_test(tc, relink_slack);
	tcase_add_test(tc, pending_abandoned);
	tcase_add_test(tc, request);
	suite_add_tcase(s, tc);
	return unit_run(s, false) ? EXIT_FAILURE : EXIT_SUCCESS;
}
