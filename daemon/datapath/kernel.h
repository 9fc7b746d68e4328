/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * evpnd's kernel backend (kernel.c): daemon/datapath.h over evpn.ko's
 * generic netlink family. Internal to daemon/datapath/.
 */
#ifndef EVPND_DP_KERNEL_H
#define EVPND_DP_KERNEL_H

#include <glib.h>
#include "backend.h"
#include "../../tools/evpnctl/genl.h"

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
	struct dp_counters c;
	void *user;
};

struct kdp {
	const struct dp_ops *ops;	/* first: struct dp_head */
	struct dp_config cfg;
	int ifindex;
	bool created;			/* we created the device: delete it */
	struct evpn_genl g;
	struct nl_sock *ev;
	guint ev_watch;
	int shim_fd;			/* kernel end of the loopback shim */
	struct sockaddr_in shim_addr;
	struct kdp_link *links;
	struct dp_counters c;
	uint32_t fdb_entries;
	uint64_t events;
};

#endif /* EVPND_DP_KERNEL_H */
