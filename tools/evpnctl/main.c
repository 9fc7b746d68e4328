// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * evpnctl: inspect and configure evpn devices (think `wg`).
 *
 *   evpnctl show [DEV] [--json]
 *   evpnctl set DEV node-id HEX32
 *   evpnctl link add|del DEV ...     (evpnd's userspace datapath, ctlsock.c)
 */
#include <stdio.h>
#include <string.h>

#include "evpnctl.h"

#if __has_include("ctlsock.h")
#include "ctlsock.h"
#define HAVE_CTLSOCK 1
#endif

static void usage(FILE *f)
{
	fprintf(f,
		"usage: evpnctl show [DEV] [--json]\n"
		"       evpnctl set DEV node-id HEX32\n"
#ifdef HAVE_CTLSOCK
		"       evpnctl link add DEV NAME key=value ...   (evpnd TAP datapath)\n"
		"       evpnctl link del DEV NAME                 (evpnd TAP datapath)\n"
#endif
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
#ifdef HAVE_CTLSOCK
	if (!strcmp(argv[1], "link"))
		return ctlsock_link(argc - 2, argv + 2) ? 1 : 0;
#endif
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
