// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * evpnd: the evpn daemon. Loads the configuration, creates the datapath,
 * installs static links, starts the control socket (and the overlay, when
 * built in) and runs the one GLib main loop until SIGINT/SIGTERM.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glib-unix.h>
#include "config.h"
#include "ctl.h"
#include "datapath.h"
#include "overlay.h"
#include "static.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: evpnd [-c FILE] [-f] [-v] [-t]\n"
		"  -c FILE  configuration (default " EVPND_DEFAULT_CONFIG ")\n"
		"  -f       stay in the foreground\n"
		"  -v       verbose\n"
		"  -t       check the configuration and exit\n");
}

static gboolean on_signal(gpointer data)
{
	g_main_loop_quit(data);
	return G_SOURCE_CONTINUE;
}

static int dp_config_from(const struct evpnd_config *cfg,
			  struct dp_config *dc)
{
	memset(dc, 0, sizeof(*dc));
	switch (cfg->datapath) {
	case CFG_DP_TAP:
		dc->kind = DP_KIND_TAP;
		break;
	case CFG_DP_KERNEL:
		dc->kind = DP_KIND_KERNEL;
		break;
	default:
		dc->kind = DP_KIND_AUTO;
		break;
	}
	snprintf(dc->ifname, sizeof(dc->ifname), "%s", cfg->ifname);
	dc->mtu = cfg->mtu;
	dc->node_id = cfg->node_id;
	dc->fdb_size = cfg->fdb_size;
	dc->fdb_age = cfg->fdb_age;
	dc->offload = cfg->offload;
	return 0;
}

static int run(struct evpnd_config *cfg, bool verbose)
{
	struct dp_config dc;
	GMainLoop *loop;
	struct dp *dp;
	char id[EVPN_ID_HEXLEN + 1];
	int ret = 1;

	/* -v: GLib's debug-level messages (ours and libnice's) too. */
	if (verbose)
		g_setenv("G_MESSAGES_DEBUG", "all", TRUE);
	if (dp_config_from(cfg, &dc))
		return 1;
	dp = dp_create(&dc);
	if (!dp)
		return 1;
	/* static links: only with a [static] section or [link]s, so a plain
	 * overlay node opens no port of its own */
	if (static_start(dp, cfg, false) || ctl_start(dp, cfg->run_dir) ||
	    overlay_start_all(cfg, dp))
		goto out;
	loop = g_main_loop_new(NULL, FALSE);
	g_unix_signal_add(SIGINT, on_signal, loop);
	g_unix_signal_add(SIGTERM, on_signal, loop);
	evpn_id_to_hex(&cfg->node_id, id);
	fprintf(stderr, "evpnd: %s up, node %s, mtu %u\n", dp_ifname(dp), id,
		cfg->mtu);
	g_main_loop_run(loop);
	fprintf(stderr, "evpnd: shutting down\n");
	g_main_loop_unref(loop);
	ret = 0;
out:
	overlay_stop_all();
	ctl_stop();
	static_stop(dp);
	dp_destroy(dp);
	return ret;
}

int main(int argc, char **argv)
{
	const char *path = EVPND_DEFAULT_CONFIG;
	struct evpnd_config cfg;
	bool verbose = false, check = false;
	int c, ret;

	while ((c = getopt(argc, argv, "c:fvth")) != -1) {
		switch (c) {
		case 'c':
			path = optarg;
			break;
		case 'f':
			break;	/* evpnd never daemonizes: use systemd */
		case 'v':
			verbose = true;
			break;
		case 't':
			check = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	cfg_init(&cfg);
	if (cfg_load_file(&cfg, path)) {
		cfg_free(&cfg);
		return 1;
	}
	if (check) {
		printf("%s: ok\n", path);
		cfg_free(&cfg);
		return 0;
	}
	if (cfg_resolve_node_id(&cfg)) {
		cfg_free(&cfg);
		return 1;
	}
	ret = run(&cfg, verbose);
	cfg_free(&cfg);
	return ret;
}
