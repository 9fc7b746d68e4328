// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * evpnd-overlay.so's entry point: the ops table evpnd looks up after
 * dlopen() (overlay_mod.h). Linked into the module only.
 */
#include "overlay_mod.h"

extern const struct evpnd_overlay_module evpnd_overlay_module;

const struct evpnd_overlay_module evpnd_overlay_module = {
	.abi = EVPND_OVERLAY_ABI,
	.version = EVPN_VERSION,
	.start_all = overlay_start_all,
	.stop_all = overlay_stop_all,
	.retry_failed = overlay_retry_failed,
	.get = overlay_get,
	.lm_stats = linkmgr_stats,
	.lm_foreach_member = linkmgr_foreach_member,
	.lm_nmembers = linkmgr_nmembers,
	.lm_link_view = linkmgr_link_view,
	.xc_state_name = xc_state_name,
	.xc_stats = xc_stats,
};
