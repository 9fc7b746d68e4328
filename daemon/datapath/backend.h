/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The backends behind daemon/datapath.h: an ops table per backend, and the
 * one rule that lets dispatch.c find it without knowing the backend's
 * structures: every backend's `struct dp` begins with its ops pointer, and
 * every backend's link begins with the `struct dp *` it belongs to.
 *
 * Only control-plane calls go through the table (link add, keys, show, and
 * dp_input for transports that read their own packets); the TAP datapath's
 * per-packet loops (TAP fd, its UDP sockets) never leave tap.c/path.c.
 */
#ifndef EVPND_DP_BACKEND_H
#define EVPND_DP_BACKEND_H

#include "datapath.h"

struct dp_ops {
	const char *name;
	void (*destroy)(struct dp *dp);
	const char *(*ifname)(const struct dp *dp);
	const struct evpn_id *(*node_id)(const struct dp *dp);
	enum dp_kind (*kind)(const struct dp *dp);
	int (*socket_add)(struct dp *dp, int fd);
	void (*socket_del)(struct dp *dp, int fd);
	struct dp_link *(*link_add)(struct dp *dp, const struct evpn_id *peer,
				    const char *name,
				    const struct dp_transport *t);
	void (*link_del)(struct dp *dp, struct dp_link *link);
	struct dp_link *(*link_find)(struct dp *dp, const char *name);
	int (*link_set_transport)(struct dp_link *link,
				  const struct dp_transport *t);
	const struct evpn_id *(*link_peer)(const struct dp_link *link);
	const char *(*link_name)(const struct dp_link *link);
	int (*link_set_keys)(struct dp_link *link, enum dp_slot slot,
			     enum dp_suite suite, const struct dp_key_dir *tx,
			     const struct dp_key_dir *rx);
	void (*link_set_static)(struct dp_link *link, bool is_static);
	void (*link_swap_keys)(struct dp_link *link);
	void (*link_retire_key)(struct dp_link *link, enum dp_slot slot);
	int (*link_set_nbrs)(struct dp_link *link, const struct evpn_id *ids,
			     int n);
	int (*link_set_record_max)(struct dp_link *link, uint32_t bytes);
	void (*input)(struct dp *dp, struct dp_link *link, uint8_t *buf,
		      size_t len);
	const struct dp_counters *(*counters)(const struct dp *dp);
	const struct dp_counters *(*link_counters)(const struct dp_link *link);
	void (*show_json)(struct dp *dp, JsonBuilder *b, dp_link_json_fn extra,
			  void *ctx);
	void (*fdb_foreach)(struct dp *dp, dp_fdb_iter_fn fn, void *ctx);
	void (*link_foreach)(struct dp *dp, dp_link_iter_fn fn, void *ctx);
	void (*link_set_user)(struct dp_link *link, void *user);
	void *(*link_user)(const struct dp_link *link);
	/* optional (NULL: -EOPNOTSUPP) */
	int (*e2e_set)(struct dp *dp, const struct evpn_id *node,
		       const struct dp_e2e_key *k);
	void (*e2e_del)(struct dp *dp, const struct evpn_id *node);
};

/* The head every backend's structures start with. */
struct dp_head {
	const struct dp_ops *ops;
};
struct dp_link_head {
	struct dp *dp;
};

extern const struct dp_ops dp_tap_ops;
extern const struct dp_ops dp_kernel_ops;

/* tap.c */
struct dp *tap_dp_create(const struct dp_config *cfg);
/* kernel.c: NULL (and a message on stderr, unless @quiet) if evpn.ko
 * cannot be used. */
struct dp *kernel_dp_create(const struct dp_config *cfg, bool quiet);

#endif /* EVPND_DP_BACKEND_H */
