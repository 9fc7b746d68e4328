// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * evpnctl: inspect and configure evpn devices (think `wg`).
 *
 *   evpnctl status|show [DEV] [-c FILE] [--json]   (status.c)
 *   evpnctl set DEV node-id HEX32
 *   evpnctl link|key|fdb ...         (evpn.ko devices: kernel.c)
 *   evpnctl events
 *   evpnctl init --jid USER@DOMAIN ...   (init.c: a new node's config)
 *   evpnctl topology [DEV] [--format dot|svg]   (topology.c)
 *   evpnctl link add|del DEV ...     (evpnd's userspace datapath, ctlsock.c)
 *   evpnctl peer accept DEV JID      (evpnd: trust a member's new key)
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
		"usage: evpnctl status [DEV] [-c FILE] [--json]   (alias: show)\n"
		"       evpnctl set DEV node-id HEX32\n"
		"       evpnctl link add DEV peer ID (local IP:PORT | sock-fd N) remote IP:PORT\n"
		"       evpnctl link set DEV peer ID [remote IP:PORT] [record-max N]\n"
		"       evpnctl link del DEV peer ID\n"
		"       evpnctl link show DEV\n"
		"       evpnctl key add DEV peer ID [slot current|next] [suite aes-gcm|chacha]\n"
		"                   (psk-file FILE|- | psk HEX64 | tx-id N rx-id N (keymat HEX176 |\n"
		"                   tx-key HEX64 tx-iv HEX24 rx-key HEX64 rx-iv HEX24)) [static]\n"
		"       evpnctl key swap DEV peer ID\n"
		"       evpnctl key del DEV peer ID slot current|next\n"
		"       evpnctl fdb show DEV | fdb add DEV MAC node ID | fdb del DEV MAC\n"
		"       evpnctl e2e add DEV peer ID (psk-file FILE|- | psk HEX64)\n"
		"       evpnctl e2e del DEV [peer ID]\n"
		"       evpnctl mcast show DEV\n"
		"       evpnctl events\n"
		"       evpnctl init --jid USER@DOMAIN [--server HOST] [...]   (--help)\n"
		"       evpnctl topology [DEV] [--format dot|svg]\n"
#ifdef HAVE_CTLSOCK
		"       evpnctl link add DEV NAME key=value ...   (evpnd TAP datapath)\n"
		"       evpnctl link del DEV NAME                 (evpnd TAP datapath)\n"
		"       evpnctl peer accept DEV JID               (evpnd: trust a member's new key)\n"
#endif
		"       evpnctl --version\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 1;
	}
	if (!strcmp(argv[1], "status") || !strcmp(argv[1], "show"))
		return cmd_status(argc - 2, argv + 2);
	if (!strcmp(argv[1], "set"))
		return cmd_set(argc - 2, argv + 2);
	if (!strcmp(argv[1], "link")) {
#ifdef HAVE_CTLSOCK
		/* Kernel devices here; evpnd's TAP devices via its socket. */
		if (argc >= 4 && !evpn_is_kernel_dev(argv[3]))
			return ctlsock_link(argc - 2, argv + 2) ? 1 : 0;
#endif
		return cmd_kernel_link(argc - 2, argv + 2);
	}
#ifdef HAVE_CTLSOCK
	if (!strcmp(argv[1], "peer"))
		return ctlsock_peer(argc - 2, argv + 2) ? 1 : 0;
#endif
	if (!strcmp(argv[1], "key"))
		return cmd_kernel_key(argc - 2, argv + 2);
	if (!strcmp(argv[1], "fdb"))
		return cmd_kernel_fdb(argc - 2, argv + 2);
	if (!strcmp(argv[1], "e2e"))
		return cmd_kernel_e2e(argc - 2, argv + 2);
	if (!strcmp(argv[1], "mcast"))
		return cmd_kernel_mcast(argc - 2, argv + 2);
	if (!strcmp(argv[1], "init"))
		return cmd_init(argc - 2, argv + 2);
	if (!strcmp(argv[1], "topology"))
		return cmd_topology(argc - 2, argv + 2);
	if (!strcmp(argv[1], "events"))
		return cmd_kernel_events(argc - 2, argv + 2);
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
