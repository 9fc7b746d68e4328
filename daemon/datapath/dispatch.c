// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * daemon/datapath.h entry points: pick a backend at dp_create(), then
 * forward each call through the backend's ops table (backend.h). One
 * indirect call per control-plane operation; the TAP per-packet loops do
 * not come through here.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/socket.h>
#include <glib.h>
#include "backend.h"

static inline const struct dp_ops *ops(const struct dp *dp)
{
	return ((const struct dp_head *)dp)->ops;
}

static inline struct dp *owner(const struct dp_link *l)
{
	return ((const struct dp_link_head *)l)->dp;
}

#define LOPS(l) ops(owner(l))

struct dp *dp_create(const struct dp_config *cfg)
{
	struct dp *dp;

	switch (cfg->kind) {
	case DP_KIND_TAP:
		return tap_dp_create(cfg);
	case DP_KIND_KERNEL:
		return kernel_dp_create(cfg, false);
	case DP_KIND_AUTO:
		dp = kernel_dp_create(cfg, true);
		if (dp)
			return dp;
		g_message("evpn.ko not usable here: TAP datapath");
		return tap_dp_create(cfg);
	}
	return NULL;
}

void dp_destroy(struct dp *dp)
{
	if (dp)
		ops(dp)->destroy(dp);
}

const char *dp_ifname(const struct dp *dp)
{
	return ops(dp)->ifname(dp);
}

const struct evpn_id *dp_node_id(const struct dp *dp)
{
	return ops(dp)->node_id(dp);
}

enum dp_kind dp_kind(const struct dp *dp)
{
	return ops(dp)->kind(dp);
}

/*
 * 4 MiB each way (SO_*BUFFORCE when we have CAP_NET_ADMIN, else capped by
 * net.core.[rw]mem_max): a 64 KiB TSO frame becomes ~46 records that arrive
 * back to back, and the default ~208 KiB receive buffer overflows (the
 * kernel counts UdpRcvbufErrors, we see nothing) while the main loop is busy
 * with one burst from several peers or a control-plane task.
 */
void dp_socket_buffers(int fd)
{
	int size = 4 << 20;

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
}

int dp_socket_add(struct dp *dp, int fd)
{
	return ops(dp)->socket_add(dp, fd);
}

void dp_socket_del(struct dp *dp, int fd)
{
	ops(dp)->socket_del(dp, fd);
}

struct dp_link *dp_link_add(struct dp *dp, const struct evpn_id *peer,
			    const char *name, const struct dp_transport *t)
{
	return ops(dp)->link_add(dp, peer, name, t);
}

void dp_link_del(struct dp *dp, struct dp_link *link)
{
	ops(dp)->link_del(dp, link);
}

struct dp_link *dp_link_find(struct dp *dp, const char *name)
{
	return ops(dp)->link_find(dp, name);
}

int dp_link_set_transport(struct dp_link *link, const struct dp_transport *t)
{
	return LOPS(link)->link_set_transport(link, t);
}

const struct evpn_id *dp_link_peer(const struct dp_link *link)
{
	return LOPS(link)->link_peer(link);
}

const char *dp_link_name(const struct dp_link *link)
{
	return LOPS(link)->link_name(link);
}

int dp_link_set_keys(struct dp_link *link, enum dp_slot slot,
		     enum dp_suite suite, const struct dp_key_dir *tx,
		     const struct dp_key_dir *rx)
{
	return LOPS(link)->link_set_keys(link, slot, suite, tx, rx);
}

void dp_link_set_static(struct dp_link *link, bool is_static)
{
	LOPS(link)->link_set_static(link, is_static);
}

void dp_link_swap_keys(struct dp_link *link)
{
	LOPS(link)->link_swap_keys(link);
}

void dp_link_retire_key(struct dp_link *link, enum dp_slot slot)
{
	LOPS(link)->link_retire_key(link, slot);
}

int dp_link_set_nbrs(struct dp_link *link, const struct evpn_id *ids, int n)
{
	if (n < 0 || n > EVPN_MAX_NBR_IDS)
		return -EINVAL;
	return LOPS(link)->link_set_nbrs(link, ids, n);
}

int dp_link_set_record_max(struct dp_link *link, uint32_t bytes)
{
	if (bytes < EVPN_RECORD_MIN || bytes > EVPN_RECORD_MAX)
		return -EINVAL;
	return LOPS(link)->link_set_record_max(link, bytes);
}

void dp_input(struct dp *dp, struct dp_link *link, uint8_t *buf, size_t len)
{
	ops(dp)->input(dp, link, buf, len);
}

const struct dp_counters *dp_counters(const struct dp *dp)
{
	return ops(dp)->counters(dp);
}

const struct dp_counters *dp_link_counters(const struct dp_link *link)
{
	return LOPS(link)->link_counters(link);
}

void dp_show_json(struct dp *dp, JsonBuilder *b, dp_link_json_fn extra_link,
		  void *ctx)
{
	ops(dp)->show_json(dp, b, extra_link, ctx);
}

void dp_fdb_foreach(struct dp *dp, dp_fdb_iter_fn fn, void *ctx)
{
	ops(dp)->fdb_foreach(dp, fn, ctx);
}

void dp_link_foreach(struct dp *dp, dp_link_iter_fn fn, void *ctx)
{
	ops(dp)->link_foreach(dp, fn, ctx);
}

void dp_link_set_user(struct dp_link *link, void *user)
{
	LOPS(link)->link_set_user(link, user);
}

void *dp_link_user(const struct dp_link *link)
{
	return LOPS(link)->link_user(link);
}

int dp_e2e_set(struct dp *dp, const struct evpn_id *node,
	       const struct dp_e2e_key *k)
{
	return ops(dp)->e2e_set ? ops(dp)->e2e_set(dp, node, k) : -EOPNOTSUPP;
}

void dp_e2e_del(struct dp *dp, const struct evpn_id *node)
{
	if (ops(dp)->e2e_del)
		ops(dp)->e2e_del(dp, node);
}
