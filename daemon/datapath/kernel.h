/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * evpnd's kernel backend: daemon/datapath.h over evpn.ko's generic netlink
 * family (messages built and parsed in lib/nl.h). Internal to
 * daemon/datapath/, one job per file:
 *
 *   kernel.c    the backend glue: life cycle, links, keys, the ops table
 *   krtnl.c     creating / deleting the device (rtnetlink), MTU and up
 *   kevents.c   the "events" multicast socket on the GLib loop
 *   kwatch.c    the device watch: recreating a deleted device
 *   turnshim.c  the loopback shim for relayed (@send) transports
 *   kshow.c     counters and `show` JSON
 */
#ifndef EVPND_DP_KERNEL_H
#define EVPND_DP_KERNEL_H

#include <stdio.h>
#include <glib.h>
#include <netinet/in.h>
#include "backend.h"
#include "genl.h"
#include "nl.h"

struct kdp_key {
	bool valid;
	enum dp_suite suite;
	struct dp_key_dir tx, rx;	/* kept to re-install on a new socket */
};

struct kdp_link {
	struct dp *dp;			/* first: struct dp_link_head */
	struct kdp_link *next;
	char name[64];
	struct evpn_id peer;
	struct dp_transport t;
	bool in_kernel;
	bool is_static;
	int shim_fd;			/* @send transports: our loopback end */
	guint shim_watch;
	struct kdp_key key[DP_NSLOTS];	/* by absolute kernel slot */
	struct evpn_id nbrs[EVPN_MAX_NBR_IDS];	/* the peer's link list */
	int n_nbrs;
	uint32_t record_max;		/* 0: the module's default */
	struct dp_counters c;
	void *user;
};

struct kdp {
	const struct dp_ops *ops;	/* first: struct dp_head */
	struct dp_config cfg;
	int ifindex;
	bool created;			/* we created the device: delete it */
	struct evpn_genl g;
	struct evpn_genl ev;		/* the events group (kevents.c) */
	guint ev_watch;
	struct nl_sock *watch_sk;	/* RTNLGRP_LINK (kwatch.c) */
	guint watch, retry;
	int shim_fd;			/* kernel end of the loopback shim */
	struct sockaddr_in shim_addr;
	struct kdp_link *links;
	struct dp_counters c;
	uint32_t fdb_entries;
	uint64_t events;
	uint64_t fdb_refused_full, fdb_refused_quota;	/* from DEV_GET */
};

#define KDP(dp) ((struct kdp *)(dp))
#define KL(l) ((struct kdp_link *)(l))
#define LDP(l) KDP(KL(l)->dp)

/* Requests name our device by ifindex once known, else by name. */
static inline struct evpn_nl_dev kdp_dev(const struct kdp *k)
{
	return (struct evpn_nl_dev){ .ifindex = k->ifindex,
				     .ifname = k->cfg.ifname };
}

/* kernel.c */
void kdp_log_err(struct kdp *k, const char *what, int err);
struct kdp_link *kdp_find_peer(struct kdp *k, const uint8_t *peer);

/* krtnl.c: RTM_NEWLINK (create) or RTM_DELLINK of our evpn device; MTU
 * and up. */
int kdp_rtnl_link(struct kdp *k, int type);
int kdp_setup_if(struct kdp *k);

/* kernel.c, for kwatch.c: LINK_NEW (+ keys, NBRS) for @l; DEV_SET of our
 * node ID */
int kdp_link_new(struct kdp *k, struct kdp_link *l);
int kdp_dev_set_node_id(struct kdp *k);

/* kwatch.c */
int kdp_watch_open(struct kdp *k);
void kdp_watch_close(struct kdp *k);

/* kevents.c */
int kdp_events_open(struct kdp *k);
void kdp_events_close(struct kdp *k);

/* turnshim.c */
int kdp_shim_open(struct kdp *k, struct kdp_link *l,
		  struct sockaddr_storage *remote);
void kdp_shim_close(struct kdp_link *l);
void kdp_shim_destroy(struct kdp *k);
void kdp_shim_input(struct dp *dp, struct dp_link *link, uint8_t *buf,
		    size_t len);

/* kshow.c */
int kdp_dev_get(struct kdp *k);
const struct dp_counters *kdp_counters(const struct dp *dp);
const struct dp_counters *kdp_link_counters(const struct dp_link *link);
void kdp_show_json(struct dp *dp, JsonBuilder *b, dp_link_json_fn extra,
		   void *ctx);
void kdp_fdb_foreach(struct dp *dp, dp_fdb_iter_fn fn, void *ctx);

#endif /* EVPND_DP_KERNEL_H */
