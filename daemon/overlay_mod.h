/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The overlay module: the control plane (overlay.c, xmpp.c, ice.c, dtls.c,
 * signalling.c, linkmgr/ ...: everything that needs libnice or libstrophe)
 * is built as a shared object, evpnd-overlay.so, which evpnd dlopen()s only
 * when the configuration has an [overlay] section. A node with static links
 * only never maps libnice, libstrophe and their dependency chains (GnuTLS,
 * libsoup, libxml2, ICU, krb5, ...: ~8 MB of RSS, docs/architecture.md).
 *
 * The module's one exported symbol is EVPND_OVERLAY_SYM, this table; all its
 * other symbols are local (daemon/overlay_mod.map). It calls the core
 * (datapath, ctl, config, core/, lib/) directly: evpnd exports its symbols
 * (-rdynamic). The core calls the module only through this table, by the
 * same function names as before (overlay_mod.c defines trampolines for
 * them), so overlay.h, linkmgr.h and xmpp.h stay the interface. A new call
 * from the core into the module needs a slot here and a trampoline (the
 * link of evpnd fails with an undefined reference until it has one).
 *
 * Search order: $(dirname /proc/self/exe)/../lib/evpn/evpnd-overlay.so
 * (the build tree: build/bin -> build/lib/evpn, build/asan/bin ->
 * build/asan/lib/evpn; installed: /usr/sbin -> /usr/lib/evpn), then
 * EVPND_OVERLAY_DIR.
 */
#ifndef EVPND_OVERLAY_MOD_H
#define EVPND_OVERLAY_MOD_H

#include <stdbool.h>

#include "config.h"
#include "datapath.h"
#include "linkmgr.h"
#include "overlay.h"
#include "xmpp.h"

#define EVPND_OVERLAY_SO	"evpnd-overlay.so"
#define EVPND_OVERLAY_DIR	"/usr/lib/evpn"
#define EVPND_OVERLAY_SYM	"evpnd_overlay_module"
/* Bump when the table or a structure both sides use changes. */
#define EVPND_OVERLAY_ABI	2

struct evpnd_overlay_module {
	unsigned int abi;		/* EVPND_OVERLAY_ABI */
	const char *version;		/* EVPN_VERSION: same build as evpnd */
	/* lifecycle (main.c); show hooks are registered by start_all */
	int (*start_all)(struct evpnd_config *cfg, struct dp *dp);
	void (*stop_all)(void);
	int (*retry_failed)(const struct evpnd_config *next);	/* reload.c */
	/* read-only views (metrics.c, topoview.c) */
	bool (*get)(unsigned int i, struct overlay_view *v);
	const struct lm_stats *(*lm_stats)(const struct linkmgr *lm);
	void (*lm_foreach_member)(struct linkmgr *lm, linkmgr_member_fn fn,
				  void *ctx);
	unsigned int (*lm_nmembers)(const struct linkmgr *lm);
	bool (*lm_link_view)(struct linkmgr *lm, struct dp_link *dpl,
			     struct linkmgr_link *out);
	const char *(*xc_state_name)(const struct xc *xc);
	const struct xc_stats *(*xc_stats)(const struct xc *xc);
};

/*
 * Load the module (once; never unloaded: libnice registers GObject types).
 * 0, or -1 with the reason on stderr. evpnd -t calls it too when the
 * configuration has an [overlay], so a missing module is found before a
 * restart.
 */
int overlay_module_load(void);

#endif /* EVPND_OVERLAY_MOD_H */
