/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Overlays: one per [overlay NAME] section. Each ties an XMPP client
 * (membership + signalling), a link manager (ICE + DTLS + keys) and a
 * topology to the daemon's datapath. docs/configuration.md "[overlay NAME]".
 */
#ifndef EVPND_OVERLAY_H
#define EVPND_OVERLAY_H

#include <limits.h>
#include <net/if.h>
#include <stdbool.h>

#include "config.h"
#include "datapath.h"
#include "ice.h"
#include "symphony.h"

#define OVL_STR 256

/* A parsed [overlay NAME] section (config_overlay.c). */
struct cfg_overlay {
	struct cfg_overlay *next;
	char name[64];
	const char *file;
	int line;
	char jid[OVL_STR];
	char password[OVL_STR];
	char server[OVL_STR];		/* host or IP; "" = the JID's domain */
	unsigned int port;		/* 0 = 5222 */
	char ca_file[PATH_MAX];
	bool allow_plaintext;
	char group[OVL_STR];		/* roster group; "" = the overlay name */
	char stun_host[64];
	unsigned int stun_port;
	char turn_host[64];
	unsigned int turn_port;
	char turn_user[OVL_STR];
	char turn_password[OVL_STR];
	int turn_transport;		/* ICE_TURN_* */
	char exclude[ICE_MAX_EXCLUDE][IFNAMSIZ * 2];
	int nexclude;
	char topology[32];
	struct evpn_sym_cfg symphony;	/* symphony-* keys */
	unsigned int suites;		/* SIG_SUITE_* */
	unsigned int rekey_seconds;
	unsigned int presence_grace;	/* seconds, 0 = default */
	unsigned long rekey_packets;
	bool xmpp_debug;
};

/*
 * Start every configured overlay on @dp (called once by main.c after the
 * datapath is up). Returns 0 (also when there is no overlay) or -1.
 */
int overlay_start_all(struct evpnd_config *cfg, struct dp *dp);
void overlay_stop_all(void);

/*
 * SIGHUP (reload.c): every overlay whose XMPP login failed fatally (wrong
 * password, server certificate; docs/status.md) takes the login settings of
 * the same [overlay] in the re-read @next (password or password-file,
 * server, port, ca-file if set) into the running configuration and tries
 * again at once. Other changes still need a restart. Returns how many
 * overlays try again.
 */
int overlay_retry_failed(const struct evpnd_config *next);

void overlay_config_free(struct evpnd_config *cfg);

/* The running overlays, for metrics and the topology picture: the @i-th
 * one's name, XMPP client and link manager; false past the last. */
struct xc;
struct linkmgr;
struct overlay_view {
	const char *name;
	struct xc *xc;
	struct linkmgr *lm;
};
bool overlay_get(unsigned int i, struct overlay_view *v);

#endif /* EVPND_OVERLAY_H */
