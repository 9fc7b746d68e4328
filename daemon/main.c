// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * evpnd: the evpn daemon. Loads and checks the configuration, takes the
 * per-device lock, creates the datapath, installs static links, starts the
 * control socket and the overlays, and runs the one GLib main loop until
 * SIGINT/SIGTERM (SIGHUP re-reads the configuration: reload.h).
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
#include "e2e.h"
#include "ifaddr.h"
#include "log.h"
#include "metrics.h"
#include "overlay.h"
#include "overlay_mod.h"
#include "reload.h"
#include "static.h"
#include "topoview.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: evpnd [-c FILE] [-f] [-v[v]] [--debug-ice] [-t]\n"
		"  -c, --config FILE  configuration (default "
		EVPND_DEFAULT_CONFIG ")\n"
		"  -f, --foreground   accepted; evpnd never forks (use systemd)\n"
		"  -v, --verbose      evpnd's debug messages (-vv: libnice's too)\n"
		"      --debug-ice    libnice's (ICE, STUN, TURN) debug messages\n"
		"  -t, --test         check the configuration and exit\n"
		"  -h, --help         this text\n"
		"  -V, --version      print the version and exit\n"
		"Signals: TERM/INT stop, HUP re-reads the configuration.\n"
		"See evpnd(8) and evpnd.conf(5).\n");
}

struct running {
	GMainLoop *loop;
	struct evpnd_config *cfg;
	struct dp *dp;
};

static gboolean on_quit(gpointer data)
{
	struct running *r = data;

	g_main_loop_quit(r->loop);
	return G_SOURCE_CONTINUE;
}

static gboolean on_hup(gpointer data)
{
	struct running *r = data;

	evpnd_reload(r->cfg, r->dp);
	return G_SOURCE_CONTINUE;
}

/* The device came back after it was deleted: its addresses too. */
static void on_recreated(void *data)
{
	struct running *r = data;

	ifaddr_apply(dp_ifname(r->dp), r->cfg->addrs, r->cfg->naddrs);
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
	dc->flood_rate = cfg->flood_rate;
	dc->offload = cfg->offload;
	dc->mss_clamp = cfg->mss_clamp;
	return 0;
}

static int run(struct evpnd_config *cfg)
{
	struct running r = { .cfg = cfg };
	struct dp_config dc;
	char id[EVPN_ID_HEXLEN + 1];
	guint sig[3];
	int ret = 1, i;

	if (dp_config_from(cfg, &dc))
		return 1;
	dc.recreated = on_recreated;
	dc.recreated_ctx = &r;
	/* before anything else: a TERM during start-up is handled once the
	 * loop runs (shutdown then cleans up as usual) and a HUP never kills */
	r.loop = g_main_loop_new(NULL, FALSE);
	sig[0] = g_unix_signal_add(SIGINT, on_quit, &r);
	sig[1] = g_unix_signal_add(SIGTERM, on_quit, &r);
	sig[2] = g_unix_signal_add(SIGHUP, on_hup, &r);
	r.dp = dp_create(&dc);
	if (!r.dp)
		goto out_loop;
	/* the device is up: its addresses (a failure is logged, not fatal:
	 * the overlay works without them, e.g. IPv6 disabled on the host) */
	ifaddr_apply(dp_ifname(r.dp), cfg->addrs, cfg->naddrs);
	/* static links: only with a [static] section or [link]s, so a plain
	 * overlay node opens no port of its own */
	if (e2e_start(r.dp, cfg) || static_start(r.dp, cfg, false) ||
	    ctl_start(r.dp, cfg->run_dir) || topoview_register() ||
	    overlay_start_all(cfg, r.dp) || metrics_start(cfg, r.dp))
		goto out;
	evpn_id_to_hex(&cfg->node_id, id);
	g_message("%s up, node ID %s, mtu %u", dp_ifname(r.dp), id,
		  cfg->mtu);
	g_main_loop_run(r.loop);
	g_message("shutting down");
	ret = 0;
out:
	metrics_stop();
	overlay_stop_all();
	ctl_stop();
	static_stop(r.dp);
	dp_destroy(r.dp);
	e2e_stop();
out_loop:
	for (i = 0; i < 3; i++)
		g_source_remove(sig[i]);
	g_main_loop_unref(r.loop);
	return ret;
}

static const struct option long_opts[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "foreground", no_argument, NULL, 'f' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "test", no_argument, NULL, 't' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "debug-ice", no_argument, NULL, 'I' },
	{ NULL, 0, NULL, 0 }
};

/* The file, then what the running daemon would trip over later. */
static int load_config(struct evpnd_config *cfg, const char *path)
{
	cfg_init(cfg);
	if (cfg_load_file(cfg, path) || cfg_check(cfg))
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	const char *path = EVPND_DEFAULT_CONFIG;
	struct evpnd_config cfg;
	bool check = false, debug_ice = false;
	int verbose = 0;
	int c, ret;

	while ((c = getopt_long(argc, argv, "c:fvthV", long_opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			path = optarg;
			break;
		case 'f':
			break;	/* evpnd never daemonizes: use systemd */
		case 'v':
			verbose++;
			break;
		case 'I':
			debug_ice = true;
			break;
		case 't':
			check = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("evpnd %s\n", EVPN_VERSION);
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
	evpnd_log_init(verbose > 0, debug_ice || verbose > 1);
	signal(SIGPIPE, SIG_IGN);
	ret = 1;
	if (load_config(&cfg, path))
		goto out;
	/* -t with an [overlay]: also that the overlay module loads */
	if (check && cfg.overlays && overlay_module_load())
		goto out;
	if (check) {
		printf("%s: ok\n", path);
		ret = 0;
		goto out;
	}
	/* before the device: a second instance must not get as far as
	 * TUNSETIFF's "Device or resource busy" */
	if (ctl_lock(cfg.run_dir, cfg.ifname))
		goto out;
	if (!cfg_resolve_node_id(&cfg))
		ret = run(&cfg);
	ctl_unlock();
out:
	overlay_config_free(&cfg);
	cfg_free(&cfg);
	return ret;
}
