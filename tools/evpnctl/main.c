// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * evpnctl: inspect and configure evpn devices (think `wg`).
 *
 *   evpnctl show [DEV] [--json]
 *   evpnctl set DEV node-id HEX32
 */
#include <stdio.h>
#include <string.h>

#include "evpnctl.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: evpnctl show [DEV] [--json]\n"
		"       evpnctl set DEV node-id HEX32\n"
		"       evpnctl --version\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 1;
	}
	if (!strcmp(argv[1], "show"))
		return cmd_show(argc - 2, argv + 2);
	if (!strcmp(argv[1], "set"))
		return cmd_set(argc - 2, argv + 2);
	if (!strcmp(argv[1], "--version")) {
		printf("evpnctl " EVPN_VERSION "\n");
		return 0;
	}
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	fprintf(stderr, "evpnctl: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 1;
}
