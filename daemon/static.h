/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Static links (test / diagnostic mode): [link NAME] sections and
 * `evpnctl link add/del`. One UDP socket ([static] listen) carries them all;
 * keys come from the pre-shared key (statickeys.h).
 */
#ifndef EVPND_STATIC_H
#define EVPND_STATIC_H

#include <stddef.h>
#include "config.h"
#include "datapath.h"

/* Open the static socket (if a [static] section or a link is configured,
 * or @always) and
 * install every configured link. Returns 0 or -1 (logged). */
int static_start(struct dp *dp, const struct evpnd_config *cfg, bool always);
void static_stop(struct dp *dp);
int static_link_install(struct dp *dp, const struct cfg_link *l, char *err,
			size_t errlen);
int static_link_remove(struct dp *dp, const char *name, char *err,
		       size_t errlen);

#endif /* EVPND_STATIC_H */
