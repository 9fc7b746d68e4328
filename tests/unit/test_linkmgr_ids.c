// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The link manager's member table when one JID changes its node ID
 * (security review H1, issue 11 item 7): presence ID1 -> ID2 -> ID1 ->
 * unavailable. Afterwards no peer keeps the JID, the IDs the JID left are
 * released (their links failed), nothing reads freed memory (ASan: the
 * by_jid table used to keep a key string the peer had freed), and cycling
 * IDs does not grow the peer table. Observed through the public API only
 * (`show` JSON), as the control socket sees it.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "jsonout.h"
#include "linkmgr.h"
#include "unit.h"

#define JID "m@evpn.test/r1"

static struct evpn_identity ident;
static struct ice_config ice_cfg;
static unsigned int nsent;

/* Topology for the table-only test: wants nobody (no ICE, no links). */
static void *none_create(const struct evpn_id *self)
{
	static int token;

	return &token;
}

static void none_destroy(void *t)
{
}

static void none_select(void *t, struct topo_peer *peers, size_t n)
{
}

static const struct topology_ops topo_none = {
	.name = "none", .create = none_create, .destroy = none_destroy,
	.select = none_select,
};

static int t_send(void *ctx, const char *jid, const struct sig_msg *m)
{
	nsent++;
	return 0;
}

static const struct linkmgr_ops ops = { .send = t_send };

static void mk_id(struct evpn_id *id, unsigned int v)
{
	char hex[EVPN_ID_HEXLEN + 1];

	snprintf(hex, sizeof(hex), "10%030x", v);
	ck_assert_int_eq(evpn_id_from_hex(id, hex), 0);
}

static struct linkmgr *lm_new(const struct topology_ops *topo)
{
	struct linkmgr_config cfg = {
		.name = "t", .identity = &ident, .ice = &ice_cfg,
		.topology = topo,
	};

	/* the highest ID: we control and request every link at once */
	ck_assert_int_eq(evpn_id_from_hex(&cfg.self,
		"ffffffffffffffffffffffffffffffff"), 0);
	return linkmgr_new(&cfg, &ops, NULL);
}

static void settle(void)
{
	int i;

	for (i = 0; i < 1000 && g_main_context_iteration(NULL, FALSE); i++)
		;
}

static void up(struct linkmgr *lm, unsigned int v)
{
	struct sig_presence p = { .suites = SIG_SUITES_ALL };

	mk_id(&p.id, v);
	memset(p.fp, 'A', sizeof(p.fp) - 1);
	linkmgr_member_up(lm, JID, &p);
	settle();
}

/* `show` as text: the "peers" array of the overlay. */
static char *show(struct linkmgr *lm)
{
	JsonBuilder *b = json_builder_new();
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	json_builder_begin_object(b);
	linkmgr_show_json(lm, b);
	json_builder_end_object(b);
	ej_finish(f, b, false);
	fclose(f);
	return buf;
}

static int count(const char *s, const char *needle)
{
	int n = 0;

	while ((s = strstr(s, needle))) {
		n++;
		s += strlen(needle);
	}
	return n;
}

static int npeers(struct linkmgr *lm)
{
	char *s = show(lm);
	int n = count(s, "{\"id\":");

	free(s);
	return n;
}

static int jid_holders(struct linkmgr *lm)
{
	char *s = show(lm);
	int n = count(s, "\"jid\":\"" JID "\"");

	free(s);
	return n;
}

static void setup(void)
{
	ck_assert_int_eq(identity_generate(&ident, "t"), 0);
	nsent = 0;
}

static void teardown(void)
{
	identity_free(&ident);
}

static void id_cycle(const struct topology_ops *topo)
{
	struct linkmgr *lm = lm_new(topo);

	up(lm, 1);
	up(lm, 2);
	up(lm, 1);		/* freed the by_jid key before the fix */
	ck_assert_int_eq(jid_holders(lm), 1);
	ck_assert_int_le(npeers(lm), 1);
	linkmgr_member_down(lm, JID, LM_GONE_UNAVAILABLE);
	settle();
	ck_assert_int_eq(jid_holders(lm), 0);
	ck_assert_int_eq(npeers(lm), 0);
	linkmgr_free(lm);
}

START_TEST(test_id_cycle_table)
{
	id_cycle(&topo_none);
	ck_assert_uint_eq(nsent, 0);
}
END_TEST

/* With links: each ID change fails the old ID's link (a request with a
 * close sent for it), and removal reaches the one left. */
START_TEST(test_id_cycle_links)
{
	id_cycle(&topology_mesh);
	ck_assert_uint_gt(nsent, 0);
}
END_TEST

/* A member cycling through fresh IDs does not grow the table. */
START_TEST(test_id_churn_bounded)
{
	struct linkmgr *lm = lm_new(&topology_mesh);
	unsigned int i;

	for (i = 1; i <= 40; i++) {
		up(lm, i);
		ck_assert_int_le(npeers(lm), 1);
		ck_assert_int_eq(jid_holders(lm), 1);
	}
	linkmgr_member_down(lm, JID, LM_GONE_REMOVED);
	settle();
	ck_assert_int_eq(npeers(lm), 0);
	linkmgr_free(lm);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("linkmgr_ids");
	TCase *tc = tcase_create("ids");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_id_cycle_table);
	tcase_add_test(tc, test_id_cycle_links);
	tcase_add_test(tc, test_id_churn_bounded);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return unit_run(suite(), false) ? EXIT_FAILURE : EXIT_SUCCESS;
}
