// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The kernel datapath backend: daemon/datapath.h implemented by installing
 * state into evpn.ko over generic netlink (docs/netlink.md). evpnd keeps no
 * per-packet work for links that have a socket: the module encrypts,
 * decrypts and forwards.
 *
 *   device   an existing evpn device named [interface] name is used (the
 *            documented `ip link add evpn0 type evpn` then `evpnd`);
 *            otherwise it is created with rtnetlink and deleted on exit.
 *            Links a previous (killed) evpnd left behind are deleted first.
 *   links    an @fd transport (static socket, ICE-selected socket) is
 *            handed to the module with LINK_NEW; a @send transport (TURN
 *            relay through libnice) goes through the loopback shim
 *            (turnshim.c).
 *   keys     KEY_NEW / KEY_SWAP / KEY_DEL on the same slots datapath.h
 *            names; a copy is kept (wiped on retire) so a static link can be
 *            re-created on another socket (dp_link_set_transport).
 *   events   the "events" group is read on the GLib loop (kevents.c).
 *   e2e      end-to-end pair keys: E2E_SET / E2E_DEL (docs/protocol.md
 *            14.2); those a previous evpnd left are flushed at start.
 *
 * This file is the glue; the device's creation (krtnl.c), counters and
 * show (kshow.c) live beside it, the messages in lib/nl.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/rtnetlink.h>
#include <openssl/crypto.h>
#include "kernel.h"
#include "noncefloor.h"

void kdp_log_err(struct kdp *k, const char *what, int err)
{
	g_critical("kernel datapath: %s: %s%s%s", what,
		   strerror(-err), k->g.extack[0] ? ": " : "", k->g.extack);
}

/* ---- device ---------------------------------------------------------- */

int kdp_dev_set_node_id(struct kdp *k)
{
	struct evpn_nl_dev dev = kdp_dev(k);
	uint8_t id[EVPN_ID_LEN];
	struct nl_msg *m;

	evpn_id_to_bytes(&k->cfg.node_id, id);
	m = evpn_nl_dev_set_node_id(&k->g, &dev, id);
	if (!m)
		return -ENOMEM;
	return evpn_genl_transact(&k->g, m, NULL, NULL);
}

/* Links a killed evpnd left in the module: delete them (they hold its
 * sockets, so its ports, and would send with its keys). */
struct stale {
	uint8_t peer[EVPN_MAX_LINKS][EVPN_ID_LEN];
	int n;
};

static int stale_cb(struct nl_msg *msg, void *arg)
{
	struct stale *s = arg;
	struct evpn_nl_link_info li;

	if (evpn_nl_parse_link(msg, &li) || s->n == EVPN_MAX_LINKS)
		return NL_OK;
	memcpy(s->peer[s->n++], li.peer, EVPN_ID_LEN);
	return NL_OK;
}

/* LINK_NEW / LINK_SET / LINK_DEL of @req, answered. */
static int link_send(struct kdp *k, uint8_t cmd, const struct evpn_nl_link *req)
{
	struct evpn_nl_dev dev = kdp_dev(k);
	struct nl_msg *m = evpn_nl_link_msg(&k->g, cmd, &dev, req);

	if (!m)
		return -ENOMEM;
	return evpn_genl_transact(&k->g, m, NULL, NULL);
}

static int link_del_peer(struct kdp *k, const uint8_t *peer)
{
	struct evpn_nl_link req = EVPN_NL_LINK_INIT;

	memcpy(req.peer, peer, EVPN_ID_LEN);
	return link_send(k, EVPN_CMD_LINK_DEL, &req);
}

static void flush_stale(struct kdp *k)
{
	struct stale *s = calloc(1, sizeof(*s));
	struct evpn_nl_dev dev = kdp_dev(k);
	struct nl_msg *m;
	int i, tries, ret = -EAGAIN;

	if (!s)
		return;
	for (tries = 0; tries < 5 && ret == -EAGAIN; tries++) {
		s->n = 0;
		m = evpn_nl_dev_msg(&k->g, EVPN_CMD_LINK_GET, NLM_F_DUMP, &dev);
		if (!m)
			break;
		ret = evpn_genl_transact(&k->g, m, stale_cb, s);
	}
	for (i = 0; i < s->n; i++)
		if (!link_del_peer(k, s->peer[i]))
			g_message("%s: removed a link left by a "
				  "previous evpnd", k->cfg.ifname);
	free(s);
}

struct kdp_link *kdp_find_peer(struct kdp *k, const uint8_t *peer)
{
	struct kdp_link *l;
	struct evpn_id id;

	evpn_id_from_bytes(&id, peer);
	for (l = k->links; l; l = l->next)
		if (evpn_id_eq(&l->peer, &id))
			return l;
	return NULL;
}

/* ---- life cycle ------------------------------------------------------ */

static void kernel_destroy(struct dp *dp);
static int kdp_e2e_del(struct kdp *k, const struct evpn_id *node);

struct dp *kernel_dp_create(const struct dp_config *cfg, bool quiet)
{
	struct kdp *k = calloc(1, sizeof(*k));
	int ret;

	if (!k)
		return NULL;
	k->ops = &dp_kernel_ops;
	k->cfg = *cfg;
	k->cfg.kind = DP_KIND_KERNEL;
	k->shim_fd = -1;
	/* resolving the family loads evpn.ko if it can be loaded */
	ret = evpn_genl_open(&k->g);
	if (ret) {
		if (!quiet)
			g_critical("datapath = kernel: evpn.ko is "
				   "not loaded and cannot be loaded (%s); "
				   "try `modprobe evpn`", strerror(-ret));
		goto err;
	}
	ret = kdp_dev_get(k);
	if (ret == -ENODEV) {
		ret = kdp_rtnl_link(k, RTM_NEWLINK);
		if (!ret) {
			k->created = true;
			ret = kdp_dev_get(k);
		}
	}
	if (ret) {
		if (!quiet)
			kdp_log_err(k, ret == -EOPNOTSUPP ? "not an evpn device" :
				"cannot open or create the device", ret);
		goto err;
	}
	ret = kdp_dev_set_node_id(k);
	if (ret) {
		kdp_log_err(k, "cannot set the node ID", ret);
		goto err;
	}
	flush_stale(k);
	/* pair keys a previous evpnd installed: this run derives its own */
	ret = kdp_e2e_del(k, NULL);
	if (ret)
		g_warning("%s: cannot flush pair keys (E2E_DEL: %s): an evpn.ko "
			  "without end-to-end pair keys? relayed unicast will "
			  "be dropped", k->cfg.ifname, strerror(-ret));
	kdp_setup_if(k);
	if (kdp_watch_open(k))
		g_warning("%s: cannot watch the device: its loss "
			  "would go unnoticed", k->cfg.ifname);
	if (kdp_events_open(k))
		g_warning("%s: cannot join evpn events: rekeys "
			  "are on the control plane's timers only",
			  k->cfg.ifname);
	g_message("%s: kernel datapath (evpn.ko, ifindex %d%s)",
		  k->cfg.ifname, k->ifindex, k->created ? ", created" : "");
	return (struct dp *)k;
err:
	kernel_destroy((struct dp *)k);
	return NULL;
}

static void wipe_keys(struct kdp_link *l)
{
	OPENSSL_cleanse(l->key, sizeof(l->key));
}

static void kernel_link_del(struct dp *dp, struct dp_link *link);

static void kernel_destroy(struct dp *dp)
{
	struct kdp *k = KDP(dp);

	kdp_watch_close(k);
	while (k->links)
		kernel_link_del(dp, (struct dp_link *)k->links);
	kdp_events_close(k);
	if (!k->created && k->ifindex)
		kdp_e2e_del(k, NULL);	/* our pair keys go with us */
	if (k->created && k->ifindex && kdp_rtnl_link(k, RTM_DELLINK))
		g_warning("cannot delete %s", k->cfg.ifname);
	kdp_shim_destroy(k);
	evpn_genl_close(&k->g);
	free(k);
}

static const char *kernel_ifname(const struct dp *dp)
{
	return KDP(dp)->cfg.ifname;
}

static const struct evpn_id *kernel_node_id(const struct dp *dp)
{
	return &KDP(dp)->cfg.node_id;
}

static enum dp_kind kernel_kind(const struct dp *dp)
{
	return DP_KIND_KERNEL;
}

/* The module reads the sockets it is given (encap hook): nothing to do
 * until a link names the socket. */
static int kernel_socket_add(struct dp *dp, int fd)
{
	return 0;
}

static void kernel_socket_del(struct dp *dp, int fd)
{
}

/* ---- links ----------------------------------------------------------- */

static int key_install(struct kdp_link *l, int slot);
static int nbrs_install(struct kdp *k, struct kdp_link *l);

/* A relayed transport the module frames for the TURN server itself. */
static bool kernel_turn(const struct dp_transport *t)
{
	return t->fd < 0 && t->turn_peer.ss_family && t->turn_fd >= 0;
}

/* The socket the module uses for @t, or -1 (the shim's). */
static int kernel_fd(const struct dp_transport *t)
{
	return t->fd >= 0 ? t->fd : kernel_turn(t) ? t->turn_fd : -1;
}

/* LINK_NEW for @l's transport (socket handed over -- a relayed one with the
 * peer behind the TURN server --, or the shim). */
int kdp_link_new(struct kdp *k, struct kdp_link *l)
{
	struct evpn_nl_link req = EVPN_NL_LINK_INIT;
	struct sockaddr_storage remote;
	int fd, ret, s;

	if (l->t.fd >= 0) {
		fd = l->t.fd;
		remote = l->t.addr;
	} else if (kernel_turn(&l->t)) {
		fd = l->t.turn_fd;
		remote = l->t.turn_server;
		req.turn_peer = &l->t.turn_peer;
	} else {
		ret = kdp_shim_open(k, l, &remote);
		if (ret) {
			g_warning("%s: loopback shim for %s: %s "
				  "(is lo up?)", k->cfg.ifname, l->name,
				  strerror(-ret));
			return ret;
		}
		fd = k->shim_fd;
	}
	if (remote.ss_family != AF_INET && remote.ss_family != AF_INET6)
		return -EAFNOSUPPORT;
	evpn_id_to_bytes(&l->peer, req.peer);
	req.sock_fd = fd;
	req.remote = &remote;
	req.record_max = l->record_max;
	ret = link_send(k, EVPN_CMD_LINK_NEW, &req);
	if (ret && req.turn_peer) {
		/* e.g. an evpn.ko without TURN framing: the shim still works */
		kdp_log_err(k, "LINK_NEW (TURN handoff; using the shim)", ret);
		l->t.turn_peer.ss_family = 0;
		return kdp_link_new(k, l);
	}
	if (ret) {
		kdp_log_err(k, "LINK_NEW", ret);
		kdp_shim_close(l);
		return ret;
	}
	l->in_kernel = true;
	for (s = 0; s < DP_NSLOTS; s++)
		if (l->key[s].valid)
			key_install(l, s);
	if (l->n_nbrs)
		nbrs_install(k, l);
	return 0;
}

/* LINK_SET {PEER_ID, NBRS}: the module routes with 1-lookahead too. */
static int nbrs_install(struct kdp *k, struct kdp_link *l)
{
	uint8_t b[EVPN_MAX_NBR_IDS * EVPN_ID_LEN];
	struct evpn_nl_link req = EVPN_NL_LINK_INIT;
	int i, ret;

	for (i = 0; i < l->n_nbrs; i++)
		evpn_id_to_bytes(&l->nbrs[i], b + i * EVPN_ID_LEN);
	evpn_id_to_bytes(&l->peer, req.peer);
	req.nbrs = b;
	req.n_nbrs = l->n_nbrs;
	ret = link_send(k, EVPN_CMD_LINK_SET, &req);
	if (ret)
		kdp_log_err(k, "LINK_SET NBRS", ret);
	return ret;
}

static int kernel_link_set_nbrs(struct dp_link *link, const struct evpn_id *ids,
				int n)
{
	struct kdp_link *l = KL(link);

	memcpy(l->nbrs, ids, n * sizeof(ids[0]));
	l->n_nbrs = n;
	return l->in_kernel ? nbrs_install(LDP(link), l) : 0;
}

static int kernel_link_set_record_max(struct dp_link *link, uint32_t bytes)
{
	struct evpn_nl_link req = EVPN_NL_LINK_INIT;
	struct kdp_link *l = KL(link);
	int ret;

	l->record_max = bytes;
	if (!l->in_kernel)
		return 0;	/* LINK_NEW will carry it */
	evpn_id_to_bytes(&l->peer, req.peer);
	req.record_max = bytes;
	ret = link_send(LDP(link), EVPN_CMD_LINK_SET, &req);
	if (ret)
		kdp_log_err(LDP(link), "LINK_SET RECORD_MAX", ret);
	return ret;
}

static void link_unplug(struct kdp *k, struct kdp_link *l)
{
	int ret;

	if (l->in_kernel) {
		uint8_t pb[EVPN_ID_LEN];

		evpn_id_to_bytes(&l->peer, pb);
		ret = link_del_peer(k, pb);
		if (ret)
			kdp_log_err(k, "LINK_DEL", ret);
	}
	l->in_kernel = false;
	kdp_shim_close(l);
}

static struct dp_link *kernel_link_add(struct dp *dp,
				       const struct evpn_id *peer,
				       const char *name,
				       const struct dp_transport *t)
{
	struct kdp *k = KDP(dp);
	struct kdp_link *l;
	char hex[EVPN_ID_HEXLEN + 1];
	uint8_t pb[EVPN_ID_LEN];

	evpn_id_to_bytes(peer, pb);
	if (kdp_find_peer(k, pb))
		return NULL;	/* the module names links by peer */
	l = calloc(1, sizeof(*l));
	if (!l)
		return NULL;
	l->dp = dp;
	l->peer = *peer;
	l->t = *t;
	l->shim_fd = -1;
	evpn_id_to_hex(peer, hex);
	snprintf(l->name, sizeof(l->name), "%s", name ? name : hex);
	if (kdp_link_new(k, l)) {
		free(l);
		return NULL;
	}
	l->next = k->links;
	k->links = l;
	return (struct dp_link *)l;
}

static void kernel_link_del(struct dp *dp, struct dp_link *link)
{
	struct kdp *k = KDP(dp);
	struct kdp_link *l = KL(link), **pp;

	for (pp = &k->links; *pp; pp = &(*pp)->next)
		if (*pp == l) {
			*pp = l->next;
			break;
		}
	link_unplug(k, l);
	wipe_keys(l);
	free(l);
}

static struct dp_link *kernel_link_find(struct dp *dp, const char *name)
{
	struct kdp_link *l;

	for (l = KDP(dp)->links; l; l = l->next)
		if (!strcmp(l->name, name))
			return (struct dp_link *)l;
	return NULL;
}

/*
 * A new transport (ICE moved to another pair). Same socket: only the
 * endpoint moves (LINK_SET). Another socket: the module cannot swap a
 * link's socket, so the link must be re-created -- and re-installing a key
 * restarts its transmit counter, which for an exporter key (counter from 0)
 * would reuse nonces. Only static keys (counter from the wall clock) are
 * re-installed; otherwise -EBUSY: the caller rebuilds the link with fresh
 * keys (linkmgr fails it and the control plane re-handshakes).
 */
static int kernel_link_set_transport(struct dp_link *link,
				     const struct dp_transport *t)
{
	struct kdp_link *l = KL(link);
	struct kdp *k = LDP(link);

	if (l->in_kernel && kernel_fd(t) >= 0 &&
	    kernel_fd(t) == kernel_fd(&l->t)) {
		struct evpn_nl_link req = EVPN_NL_LINK_INIT;

		l->t = *t;
		evpn_id_to_bytes(&l->peer, req.peer);
		req.remote = kernel_turn(t) ? &l->t.turn_server : &l->t.addr;
		req.turn_peer = kernel_turn(t) ? &l->t.turn_peer : NULL;
		return link_send(k, EVPN_CMD_LINK_SET, &req);
	}
	if (!l->is_static && (l->key[0].valid || l->key[1].valid)) {
		g_warning("%s: %s moves to another socket: new "
			  "keys needed", k->cfg.ifname, l->name);
		return -EBUSY;
	}
	link_unplug(k, l);
	l->t = *t;
	return kdp_link_new(k, l);
}

static const struct evpn_id *kernel_link_peer(const struct dp_link *link)
{
	return &KL(link)->peer;
}

static const char *kernel_link_name(const struct dp_link *link)
{
	return KL(link)->name;
}

static uint32_t suite_uapi(enum dp_suite s)
{
	return s == DP_SUITE_CHACHA20POLY1305 ? EVPN_SUITE_CHACHA20POLY1305 :
						EVPN_SUITE_AES256GCM;
}

/* KEY_NEW of @l's @slot (lib/nl.c wipes the request). */
static int key_install(struct kdp_link *l, int slot)
{
	struct kdp *k = LDP(l);
	const struct kdp_key *key = &l->key[slot];
	struct evpn_nl_dev dev = kdp_dev(k);
	struct evpn_nl_key req = {
		.slot = slot,
		.suite = suite_uapi(key->suite),
		.tx_key_id = key->tx.key_id,
		.rx_key_id = key->rx.key_id,
		.is_static = l->is_static,
	};
	int ret;

	/* never a nonce a static key used before (noncefloor.h) */
	if (l->is_static && !(req.tx_counter = nonce_floor_start(NONCE_FLOOR_RESERVE_KERNEL)))
		return -EIO;

	evpn_id_to_bytes(&l->peer, req.peer);
	memcpy(req.tx.key, key->tx.key, EVPN_KEY_LEN);
	memcpy(req.tx.iv, key->tx.iv, EVPN_IV_LEN);
	memcpy(req.rx.key, key->rx.key, EVPN_KEY_LEN);
	memcpy(req.rx.iv, key->rx.iv, EVPN_IV_LEN);
	ret = evpn_nl_key_new(&k->g, &dev, &req);
	OPENSSL_cleanse(&req, sizeof(req));
	if (ret)
		kdp_log_err(k, "KEY_NEW", ret);
	return ret;
}

/* KEY_SWAP, or KEY_DEL of @slot, for @l, answered. */
static int key_send(struct kdp_link *l, uint8_t cmd, uint32_t slot)
{
	struct kdp *k = LDP(l);
	struct evpn_nl_dev dev = kdp_dev(k);
	uint8_t peer[EVPN_ID_LEN];
	struct nl_msg *m;

	evpn_id_to_bytes(&l->peer, peer);
	m = evpn_nl_key_msg(&k->g, cmd, &dev, peer, slot);
	if (!m)
		return -ENOMEM;
	return evpn_genl_transact(&k->g, m, NULL, NULL);
}

static int kernel_link_set_keys(struct dp_link *link, enum dp_slot slot,
				enum dp_suite suite,
				const struct dp_key_dir *tx,
				const struct dp_key_dir *rx)
{
	struct kdp_link *l = KL(link);
	struct kdp_key old = l->key[slot];
	int ret;

	l->key[slot].valid = true;
	l->key[slot].suite = suite;
	l->key[slot].tx = *tx;
	l->key[slot].rx = *rx;
	ret = key_install(l, slot);
	if (ret)
		l->key[slot] = old;	/* the module kept the old one */
	OPENSSL_cleanse(&old, sizeof(old));
	return ret;
}

static void kernel_link_set_static(struct dp_link *link, bool is_static)
{
	KL(link)->is_static = is_static;
}

static void kernel_link_swap_keys(struct dp_link *link)
{
	struct kdp_link *l = KL(link);
	struct kdp_key tmp;
	int ret;

	ret = key_send(l, EVPN_CMD_KEY_SWAP, 0);
	if (ret) {
		kdp_log_err(LDP(link), "KEY_SWAP", ret);
		return;
	}
	tmp = l->key[0];
	l->key[0] = l->key[1];
	l->key[1] = tmp;
	OPENSSL_cleanse(&tmp, sizeof(tmp));
}

static void kernel_link_retire_key(struct dp_link *link, enum dp_slot slot)
{
	struct kdp_link *l = KL(link);
	int ret;

	if (!l->key[slot].valid)
		return;
	OPENSSL_cleanse(&l->key[slot], sizeof(l->key[slot]));
	ret = key_send(l, EVPN_CMD_KEY_DEL, slot);
	if (ret && ret != -ENOMEM && ret != -ENOENT)
		kdp_log_err(LDP(link), "KEY_DEL", ret);
}

static void kernel_link_foreach(struct dp *dp, dp_link_iter_fn fn, void *ctx)
{
	struct kdp_link *l, *next;

	for (l = KDP(dp)->links; l; l = next) {
		next = l->next;
		fn((struct dp_link *)l, ctx);
	}
}

static void kernel_link_set_user(struct dp_link *link, void *user)
{
	KL(link)->user = user;
}

/* E2E_SET: the module seals and opens 0xE3 with it (kmod/e2e.c). The
 * key IDs are not part of it (the pair is named by the node IDs). */
static int kernel_e2e_set(struct dp *dp, const struct evpn_id *node,
			  const struct dp_e2e_key *k)
{
	struct kdp *kd = KDP(dp);
	struct evpn_nl_dev dev = kdp_dev(kd);
	struct evpn_nl_e2e req = { .tx_counter = k->tx_counter };
	int ret;

	evpn_id_to_bytes(node, req.peer);
	memcpy(req.tx.key, k->tx.key, EVPN_KEY_LEN);
	memcpy(req.tx.iv, k->tx.iv, EVPN_IV_LEN);
	memcpy(req.rx.key, k->rx.key, EVPN_KEY_LEN);
	memcpy(req.rx.iv, k->rx.iv, EVPN_IV_LEN);
	ret = evpn_nl_e2e_set(&kd->g, &dev, &req);	/* wipes its message */
	OPENSSL_cleanse(&req, sizeof(req));
	if (ret)
		kdp_log_err(kd, "E2E_SET", ret);
	return ret;
}

/* E2E_DEL of @node's pair key; @node NULL: every one. */
static int kdp_e2e_del(struct kdp *k, const struct evpn_id *node)
{
	struct evpn_nl_dev dev = kdp_dev(k);
	uint8_t peer[EVPN_ID_LEN];
	struct nl_msg *m;

	if (node)
		evpn_id_to_bytes(node, peer);
	m = evpn_nl_e2e_del_msg(&k->g, &dev, node ? peer : NULL);
	if (!m)
		return -ENOMEM;
	return evpn_genl_transact(&k->g, m, NULL, NULL);
}

static void kernel_e2e_del(struct dp *dp, const struct evpn_id *node)
{
	int ret = kdp_e2e_del(KDP(dp), node);

	if (ret && ret != -ENOENT)
		kdp_log_err(KDP(dp), "E2E_DEL", ret);
}

static void *kernel_link_user(const struct dp_link *link)
{
	return KL(link)->user;
}

const struct dp_ops dp_kernel_ops = {
	.name = "kernel",
	.destroy = kernel_destroy,
	.ifname = kernel_ifname,
	.node_id = kernel_node_id,
	.kind = kernel_kind,
	.socket_add = kernel_socket_add,
	.socket_del = kernel_socket_del,
	.link_add = kernel_link_add,
	.link_del = kernel_link_del,
	.link_find = kernel_link_find,
	.link_set_transport = kernel_link_set_transport,
	.link_peer = kernel_link_peer,
	.link_name = kernel_link_name,
	.link_set_keys = kernel_link_set_keys,
	.link_set_static = kernel_link_set_static,
	.link_swap_keys = kernel_link_swap_keys,
	.link_retire_key = kernel_link_retire_key,
	.link_set_nbrs = kernel_link_set_nbrs,
	.link_set_record_max = kernel_link_set_record_max,
	.input = kdp_shim_input,
	.counters = kdp_counters,
	.link_counters = kdp_link_counters,
	.show_json = kdp_show_json,
	.fdb_foreach = kdp_fdb_foreach,
	.link_foreach = kernel_link_foreach,
	.link_set_user = kernel_link_set_user,
	.link_user = kernel_link_user,
	.e2e_set = kernel_e2e_set,
	.e2e_del = kernel_e2e_del,
};

