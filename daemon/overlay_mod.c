// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The core's side of the overlay module (overlay_mod.h): find and dlopen()
 * evpnd-overlay.so when the configuration has an [overlay], and the
 * trampolines that keep overlay.h, linkmgr.h and xmpp.h the interface for
 * main.c, metrics.c and topoview.c. Not linked into the unit tests, which
 * link the module's sources directly.
 */
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "overlay_mod.h"

static const struct evpnd_overlay_module *mod;

/* <dir of our executable>/../lib/evpn/evpnd-overlay.so; false if unknown */
static bool exe_relative(char *buf, size_t size)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	if (n <= 0)
		return false;
	exe[n] = 0;
	slash = strrchr(exe, '/');
	if (!slash)
		return false;
	*slash = 0;
	return snprintf(buf, size, "%s/../lib/evpn/" EVPND_OVERLAY_SO, exe) <
	       (int)size;
}

static int open_module(const char *path)
{
	const struct evpnd_overlay_module *m;
	void *h;

	/* RTLD_LOCAL: the module's libraries serve only the module */
	h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		fprintf(stderr, "evpnd: cannot load the overlay module: %s\n",
			dlerror());
		return -1;
	}
	m = dlsym(h, EVPND_OVERLAY_SYM);
	if (!m || m->abi != EVPND_OVERLAY_ABI ||
	    strcmp(m->version, EVPN_VERSION)) {
		fprintf(stderr, "evpnd: %s is not an overlay module of evpnd %s "
			"(ABI %d); reinstall evpnd\n", path, EVPN_VERSION,
			EVPND_OVERLAY_ABI);
		dlclose(h);
		return -1;
	}
	mod = m;	/* never dlclose()d: GObject types cannot be unloaded */
	return 0;
}

int overlay_module_load(void)
{
	char paths[2][PATH_MAX];
	int n = 0, i;

	if (mod)
		return 0;
	if (exe_relative(paths[n], sizeof(paths[n])))
		n++;
	snprintf(paths[n++], sizeof(paths[0]), "%s/%s", EVPND_OVERLAY_DIR,
		 EVPND_OVERLAY_SO);
	for (i = 0; i < n; i++)
		if (!access(paths[i], F_OK))
			return open_module(paths[i]);
	fprintf(stderr, "evpnd: [overlay] needs the overlay module, not found "
		"as %s%s%s\n", paths[0], n > 1 ? " or " : "",
		n > 1 ? paths[1] : "");
	return -1;
}

/* --- trampolines: the module's functions as the core knows them --- */

int overlay_start_all(struct evpnd_config *cfg, struct dp *dp)
{
	if (!cfg->overlays)
		return 0;
	if (overlay_module_load())
		return -1;
	return mod->start_all(cfg, dp);
}

void overlay_stop_all(void)
{
	if (mod)
		mod->stop_all();
}

int overlay_retry_failed(const struct evpnd_config *next)
{
	return mod ? mod->retry_failed(next) : 0;
}

bool overlay_get(unsigned int i, struct overlay_view *v)
{
	return mod && mod->get(i, v);
}

/* The rest take an object overlay_get() handed out: the module is loaded. */
const struct lm_stats *linkmgr_stats(const struct linkmgr *lm)
{
	return mod->lm_stats(lm);
}

void linkmgr_foreach_member(struct linkmgr *lm, linkmgr_member_fn fn,
			    void *ctx)
{
	mod->lm_foreach_member(lm, fn, ctx);
}

unsigned int linkmgr_nmembers(const struct linkmgr *lm)
{
	return mod->lm_nmembers(lm);
}

bool linkmgr_link_view(struct linkmgr *lm, struct dp_link *dpl,
		       struct linkmgr_link *out)
{
	return mod->lm_link_view(lm, dpl, out);
}

const char *xc_state_name(const struct xc *xc)
{
	return mod->xc_state_name(xc);
}

const struct xc_stats *xc_stats(const struct xc *xc)
{
	return mod->xc_stats(xc);
}
