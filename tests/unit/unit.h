/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * What every unit test binary (tests/unit/test_*.c) may share: running its
 * Check suite (tests/run.sh runs them with CK_FORK=yes) and small helpers.
 */
#ifndef UNIT_H
#define UNIT_H

#include <sched.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>
#include <check.h>

/*
 * Run every test of @s and return how many failed. @nofork: all tests in
 * this one process (a test binary that sets up one network namespace for
 * all of them), whatever CK_FORK says.
 */
static inline int unit_run(Suite *s, bool nofork)
{
	SRunner *sr = srunner_create(s);
	int failed;

	if (nofork)
		srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed;
}

/* Hex digits (pairs) to bytes; returns the number of bytes. */
static inline size_t unhex(uint8_t *out, const char *hex)
{
	size_t n = 0;
	unsigned int v;

	while (hex[0] && hex[1]) {
		ck_assert(sscanf(hex, "%2x", &v) == 1);
		out[n++] = (uint8_t)v;
		hex += 2;
	}
	return n;
}

/*
 * Enter a private network namespace for tests that create a TAP device (one
 * for all: the runner must not fork, unit_run(s, true)). NULL when they can
 * run, else why they cannot: the binary then leaves them out and prints
 * "SKIP: <test>: <why>" for each (tests/run.sh counts those as skipped).
 * evpn.ko must be absent: a datapath of kind "auto" would pick it.
 */
static inline const char *unit_tap_netns_unavailable(void)
{
	if (access("/sys/module/evpn", F_OK) == 0)
		return "evpn.ko is loaded on this host (the tests need it absent)";
	if (geteuid() != 0)
		return "needs root (a private network namespace)";
	if (unshare(CLONE_NEWNET) != 0)
		return "unshare(CLONE_NEWNET) failed";
	if (access("/dev/net/tun", R_OK | W_OK) != 0)
		return "no usable /dev/net/tun";
	return NULL;
}

#endif /* UNIT_H */
