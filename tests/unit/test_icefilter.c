// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * daemon/icefilter.c (security review L4): remote ICE candidates on
 * unspecified, loopback, multicast, broadcast/reserved and link-local
 * addresses (IPv4, IPv6, IPv4-mapped) or port 0 are refused; public and
 * private addresses pass. Also through ice_add_remote_candidate(), the
 * path signalling takes: a refused candidate returns 1 (ignored), a good
 * one 0, garbage -1.
 */
#include <arpa/inet.h>
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ice.h"
#include "icefilter.h"
#include "unit.h"

static const char *judge(const char *ip, int port)
{
	struct sockaddr_storage ss = { 0 };
	struct sockaddr_in *s4 = (void *)&ss;
	struct sockaddr_in6 *s6 = (void *)&ss;

	if (inet_pton(AF_INET, ip, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
	} else {
		ck_assert_int_eq(inet_pton(AF_INET6, ip, &s6->sin6_addr), 1);
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
	}
	return ice_addr_refused((struct sockaddr *)&ss);
}

static const char *const refused[] = {
	"0.0.0.0", "0.1.2.3", "127.0.0.1", "127.255.0.9", "224.0.0.1",
	"239.255.255.250", "255.255.255.255", "240.0.0.1", "169.254.1.2",
	"::", "::1", "ff02::1", "ff05::2", "fe80::1", "febf::1",
	"::ffff:127.0.0.1", "::ffff:224.0.0.251", "::ffff:0.0.0.0",
	"::ffff:169.254.0.1",
};

static const char *const allowed[] = {
	"192.0.2.1", "10.99.0.10", "192.168.1.2", "172.16.0.1", "100.64.0.1",
	"8.8.8.8", "223.255.255.254", "2001:db8::1", "fd00::1", "fec0::1",
	"::ffff:192.0.2.1", "64:ff9b::c000:201",
};

START_TEST(addresses)
{
	size_t i;

	for (i = 0; i < sizeof(refused) / sizeof(*refused); i++)
		ck_assert_msg(judge(refused[i], 5000) != NULL, "%s allowed",
			      refused[i]);
	for (i = 0; i < sizeof(allowed) / sizeof(*allowed); i++)
		ck_assert_msg(judge(allowed[i], 5000) == NULL, "%s refused: %s",
			      allowed[i], judge(allowed[i], 5000));
	ck_assert_ptr_nonnull(judge("192.0.2.1", 0));
	ck_assert_ptr_nonnull(judge("2001:db8::1", 0));
}
END_TEST

static void on_cand(void *ctx, const char *c) { }
static void on_done(void *ctx) { }
static void on_state(void *ctx, enum ice_state st) { }
static void on_recv(void *ctx, uint8_t *b, size_t n) { }

START_TEST(through_agent)
{
	struct ice_config cfg = { 0 };
	struct ice_ops ops = { .candidate = on_cand, .gathering_done = on_done,
			       .state = on_state, .recv = on_recv };
	struct ice *ice;

	ice = ice_new(&cfg, true, &ops, NULL);
	ck_assert_ptr_nonnull(ice);
	ck_assert_int_eq(ice_set_remote_credentials(ice, "abcd",
				"abcdefghijklmnopqrstuv"), 0);
	ck_assert_int_eq(ice_add_remote_candidate(ice,
		"candidate:1 1 UDP 2013266431 127.0.0.1 5000 typ host"), 1);
	ck_assert_int_eq(ice_add_remote_candidate(ice,
		"candidate:1 1 UDP 2013266431 224.0.0.251 5000 typ host"), 1);
	ck_assert_int_eq(ice_add_remote_candidate(ice,
		"candidate:1 1 UDP 2013266431 0.0.0.0 5000 typ host"), 1);
	ck_assert_int_eq(ice_add_remote_candidate(ice,
		"candidate:1 1 UDP 2013266431 ::1 5000 typ host"), 1);
	ck_assert_int_eq(ice_add_remote_candidate(ice,
		"candidate:2 1 UDP 1677721855 192.0.2.7 5000 typ srflx raddr 0.0.0.0 rport 0"), 0);
	ck_assert_int_eq(ice_add_remote_candidate(ice, "candidate:junk"), -1);
	ice_free(ice);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("icefilter");
	TCase *tc = tcase_create("all");

	tcase_add_test(tc, addresses);
	tcase_add_test(tc, through_agent);
	suite_add_tcase(s, tc);
	return unit_run(s, false) ? EXIT_FAILURE : EXIT_SUCCESS;
}
