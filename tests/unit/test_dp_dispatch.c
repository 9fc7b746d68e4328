// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Unit tests for the datapath dispatch (daemon/datapath/dispatch.c,
 * backend.h): both ops tables are complete; `datapath = kernel` without
 * evpn.ko fails cleanly; `auto` falls back to TAP; calls reach the backend
 * that created the object. Device tests run in a private network namespace
 * (unshare, root only, /dev/net/tun, evpn.ko not loaded); where they cannot
 * run they are not added to the suite and each prints "SKIP: <test>:
 * <reason>", which tests/run.sh counts as skipped (Check has no skip).
 */
#include <check.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <netinet/in.h>

#include "datapath.h"
#include "datapath/backend.h"
#include "unit.h"

static void ops_complete(const struct dp_ops *o)
{
	const char *base = (const char *)o;
	size_t off;

	ck_assert_ptr_nonnull(o->name);
	/* every member after the name is a function pointer */
	for (off = sizeof(o->name); off < sizeof(*o); off += sizeof(void (*)(void))) {
		void (*fn)(void);

		memcpy(&fn, base + off, sizeof(fn));
		ck_assert_msg(fn != NULL, "%s ops: member at offset %zu unset",
			      o->name, off);
	}
}

START_TEST(test_ops_complete)
{
	ops_complete(&dp_tap_ops);
	ops_complete(&dp_kernel_ops);
}
END_TEST

static void cfg_init(struct dp_config *c, enum dp_kind kind)
{
	memset(c, 0, sizeof(*c));
	c->kind = kind;
	snprintf(c->ifname, sizeof(c->ifname), "evut0");
	c->mtu = 1370;
	c->node_id.lo = 0x42;
	c->fdb_size = 64;
	c->fdb_age = 300;
}

START_TEST(test_kernel_unavailable)
{
	struct dp_config c;

	cfg_init(&c, DP_KIND_KERNEL);
	ck_assert_ptr_null(dp_create(&c));
}
END_TEST

START_TEST(test_auto_falls_back_to_tap)
{
	struct dp_config c;
	struct dp_transport t = { .fd = -1 };
	struct evpn_id peer = { .hi = 1, .lo = 2 };
	struct dp_link *l;
	struct dp *dp;
	int fd;

	cfg_init(&c, DP_KIND_AUTO);
	dp = dp_create(&c);
	ck_assert_ptr_nonnull(dp);
	ck_assert_int_eq(dp_kind(dp), DP_KIND_TAP);
	ck_assert_str_eq(dp_ifname(dp), "evut0");
	ck_assert(evpn_id_eq(dp_node_id(dp), &c.node_id));

	/* an fd transport the datapath was not given: send-only (handoff) */
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	ck_assert_int_ge(fd, 0);
	t.fd = fd;
	t.addrlen = sizeof(struct sockaddr_in);
	((struct sockaddr_in *)&t.addr)->sin_family = AF_INET;
	((struct sockaddr_in *)&t.addr)->sin_port = htons(9);
	((struct sockaddr_in *)&t.addr)->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	l = dp_link_add(dp, &peer, "x", &t);
	ck_assert_ptr_nonnull(l);
	ck_assert_ptr_eq(dp_link_find(dp, "x"), l);
	ck_assert(evpn_id_eq(dp_link_peer(l), &peer));
	ck_assert_str_eq(dp_link_name(l), "x");
	dp_link_set_user(l, &fd);
	ck_assert_ptr_eq(dp_link_user(l), &fd);
	ck_assert_uint_eq(dp_link_counters(l)->tx_packets, 0);
	dp_link_del(dp, l);
	ck_assert_ptr_null(dp_link_find(dp, "x"));
	dp_destroy(dp);
	close(fd);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("dp_dispatch");
	TCase *tc = tcase_create("all");
	const char *why;

	tcase_add_test(tc, test_ops_complete);
	why = unit_tap_netns_unavailable();
	if (why) {
		printf("SKIP: test_kernel_unavailable: %s\n", why);
		printf("SKIP: test_auto_falls_back_to_tap: %s\n", why);
	} else {
		tcase_add_test(tc, test_kernel_unavailable);
		tcase_add_test(tc, test_auto_falls_back_to_tap);
	}
	suite_add_tcase(s, tc);
	/* nofork: one netns for all */
	return unit_run(s, true) ? EXIT_FAILURE : EXIT_SUCCESS;
}
