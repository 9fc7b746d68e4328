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
 *            relay through libnice) goes through the loopback shim: the
 *            module's link sends to a 127.0.0.1 socket of ours, whose
 *            datagrams we pass to @send; records the transport receives
 *            (dp_input) we send to the module's loopback socket. Needs lo
 *            up in the namespace.
 *   keys     KEY_NEW / KEY_SWAP / KEY_DEL on the same slots datapath.h
 *            names; a copy is kept (wiped on retire) so a static link can be
 *            re-created on another socket (dp_link_set_transport).
 *   events   the "events" group is read on the GLib loop: KEY_SOFT_LIMIT
 *            -> DP_EVENT_REKEY, PEER_UNREACHABLE -> DP_EVENT_UNREACHABLE.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <glib-unix.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <netlink/genl/ctrl.h>
#include <openssl/crypto.h>
#include "kernel.h"

#define KDP(dp) ((struct kdp *)(dp))
#define KL(l) ((struct kdp_link *)(l))
#define LDP(l) KDP(KL(l)->dp)

static void log_err(struct kdp *k, const char *what, int err)
{
	fprintf(stderr, "evpnd: kernel datapath: %s: %s%s%s\n", what,
		strerror(-err), k->g.extack[0] ? ": " : "", k->g.extack);
}

/* A request for our device. */
static struct nl_msg *dev_msg(struct kdp *k, uint8_t cmd, int flags)
{
	struct nl_msg *m = evpn_genl_msg(&k->g, cmd, flags);

	if (m && k->ifindex)
		nla_put_u32(m, EVPN_A_IFINDEX, k->ifindex);
	else if (m)
		nla_put_string(m, EVPN_A_IFNAME, k->cfg.ifname);
	return m;
}

static int put_remote(struct nl_msg *m, const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *a = (const void *)ss;

		return nla_put(m, EVPN_LINK_A_REMOTE_IPV4, 4, &a->sin_addr) ||
		       nla_put_u16(m, EVPN_LINK_A_REMOTE_PORT,
				   ntohs(a->sin_port));
	}
	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const void *)ss;

		return nla_put(m, EVPN_LINK_A_REMOTE_IPV6, 16, &a->sin6_addr) ||
		       nla_put_u16(m, EVPN_LINK_A_REMOTE_PORT,
				   ntohs(a->sin6_port));
	}
	return -1;
}

static int put_id(struct nl_msg *m, int type, const struct evpn_id *id)
{
	uint8_t b[EVPN_ID_LEN];

	evpn_id_to_bytes(id, b);
	return nla_put(m, type, EVPN_ID_LEN, b);
}

/* ---- device ---------------------------------------------------------- */

static int dev_get_cb(struct nl_msg *msg, void *arg)
{
	struct kdp *k = arg;
	struct nlattr *tb[EVPN_A_MAX + 1], *a;
	int rem;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, EVPN_A_MAX, NULL))
		return NL_SKIP;
	if (tb[EVPN_A_IFINDEX])
		k->ifindex = nla_get_u32(tb[EVPN_A_IFINDEX]);
	/* device level: frames to/from the stack (the TAP's counters) */
	if (tb[EVPN_A_RX_PACKETS])
		k->c.tap_tx_packets = nla_get_u64(tb[EVPN_A_RX_PACKETS]);
	if (tb[EVPN_A_RX_BYTES])
		k->c.tap_tx_bytes = nla_get_u64(tb[EVPN_A_RX_BYTES]);
	if (tb[EVPN_A_TX_PACKETS])
		k->c.tap_rx_packets = nla_get_u64(tb[EVPN_A_TX_PACKETS]);
	if (tb[EVPN_A_TX_BYTES])
		k->c.tap_rx_bytes = nla_get_u64(tb[EVPN_A_TX_BYTES]);
	if (tb[EVPN_A_FWD_PACKETS])
		k->c.fwd_packets = nla_get_u64(tb[EVPN_A_FWD_PACKETS]);
	if (tb[EVPN_A_DEV_DROPS])
		nla_for_each_nested(a, tb[EVPN_A_DEV_DROPS], rem) {
			int r = nla_type(a) - 1;

			if (r > 0 && r < __EVPN_DROP_MAX &&
			    nla_len(a) == sizeof(uint64_t))
				k->c.drops[r] = nla_get_u64(a);
		}
	return NL_OK;
}

static int dev_get(struct kdp *k)
{
	struct nl_msg *m = dev_msg(k, EVPN_CMD_DEV_GET, 0);

	if (!m)
		return -ENOMEM;
	return evpn_genl_transact(&k->g, m, dev_get_cb, k);
}

/* RTM_NEWLINK (create) or RTM_DELLINK of an evpn device. */
static int rtnl_link(struct kdp *k, int type)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct nl_sock *sk = nl_socket_alloc();
	struct nl_msg *m = NULL;
	struct nlattr *li;
	int ret = -ENOMEM;

	if (!sk)
		return -ENOMEM;
	if (nl_connect(sk, NETLINK_ROUTE)) {
		ret = -EIO;
		goto out;
	}
	m = nlmsg_alloc_simple(type, NLM_F_REQUEST | NLM_F_ACK |
			       (type == RTM_NEWLINK ?
				NLM_F_CREATE | NLM_F_EXCL : 0));
	if (!m)
		goto out;
	ifi.ifi_index = type == RTM_DELLINK ? k->ifindex : 0;
	if (nlmsg_append(m, &ifi, sizeof(ifi), NLMSG_ALIGNTO))
		goto out;
	if (type == RTM_NEWLINK) {
		nla_put_string(m, IFLA_IFNAME, k->cfg.ifname);
		nla_put_u32(m, IFLA_MTU, k->cfg.mtu);
		li = nla_nest_start(m, IFLA_LINKINFO);
		nla_put_string(m, IFLA_INFO_KIND, "evpn");
		nla_nest_end(m, li);
	}
	ret = nl_send_auto(sk, m);
	if (ret >= 0)
		ret = nl_wait_for_ack(sk);
	if (ret < 0) {
		fprintf(stderr, "evpnd: %s %s: %s\n",
			type == RTM_NEWLINK ? "creating" : "deleting",
			k->cfg.ifname, nl_geterror(ret));
		ret = -EIO;
	}
out:
	nlmsg_free(m);
	nl_socket_free(sk);
	return ret;
}

/* MTU and up, as tap.c does for its device. */
static int dev_setup_if(struct kdp *k)
{
	struct ifreq ifr;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (s < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", k->cfg.ifname);
	ifr.ifr_mtu = k->cfg.mtu;
	if (ioctl(s, SIOCSIFMTU, &ifr) < 0)
		fprintf(stderr, "evpnd: set MTU %u on %s: %s\n", k->cfg.mtu,
			k->cfg.ifname, strerror(errno));
	if (ioctl(s, SIOCGIFFLAGS, &ifr) == 0 && !(ifr.ifr_flags & IFF_UP)) {
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
			fprintf(stderr, "evpnd: cannot bring %s up: %s\n",
				k->cfg.ifname, strerror(errno));
	}
	close(s);
	return 0;
}

static int dev_set_node_id(struct kdp *k)
{
	struct nl_msg *m = dev_msg(k, EVPN_CMD_DEV_SET, 0);

	if (!m)
		return -ENOMEM;
	put_id(m, EVPN_A_NODE_ID, &k->cfg.node_id);
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
	struct nlattr *tb[EVPN_A_MAX + 1], *lt[EVPN_LINK_A_MAX + 1];

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, EVPN_A_MAX, NULL) ||
	    !tb[EVPN_A_LINK] ||
	    nla_parse_nested(lt, EVPN_LINK_A_MAX, tb[EVPN_A_LINK], NULL) ||
	    !lt[EVPN_LINK_A_PEER_ID] ||
	    nla_len(lt[EVPN_LINK_A_PEER_ID]) != EVPN_ID_LEN ||
	    s->n == EVPN_MAX_LINKS)
		return NL_OK;
	memcpy(s->peer[s->n++], nla_data(lt[EVPN_LINK_A_PEER_ID]),
	       EVPN_ID_LEN);
	return NL_OK;
}

static int link_del_peer(struct kdp *k, const uint8_t *peer)
{
	struct nl_msg *m = dev_msg(k, EVPN_CMD_LINK_DEL, 0);
	struct nlattr *n;

	if (!m)
		return -ENOMEM;
	n = nla_nest_start(m, EVPN_A_LINK);
	nla_put(m, EVPN_LINK_A_PEER_ID, EVPN_ID_LEN, peer);
	nla_nest_end(m, n);
	return evpn_genl_transact(&k->g, m, NULL, NULL);
}

static void flush_stale(struct kdp *k)
{
	struct stale *s = calloc(1, sizeof(*s));
	struct nl_msg *m;
	int i, tries, ret = -EAGAIN;

	if (!s)
		return;
	for (tries = 0; tries < 5 && ret == -EAGAIN; tries++) {
		s->n = 0;
		m = dev_msg(k, EVPN_CMD_LINK_GET, NLM_F_DUMP);
		if (!m)
			break;
		ret = evpn_genl_transact(&k->g, m, stale_cb, s);
	}
	for (i = 0; i < s->n; i++)
		if (!link_del_peer(k, s->peer[i]))
			fprintf(stderr, "evpnd: %s: removed a link left by a "
				"previous evpnd\n", k->cfg.ifname);
	free(s);
}

/* ---- events ---------------------------------------------------------- */

static struct kdp_link *find_peer(struct kdp *k, const void *peer)
{
	struct kdp_link *l;

	struct evpn_id id;

	evpn_id_from_bytes(&id, peer);
	for (l = k->links; l; l = l->next)
		if (evpn_id_eq(&l->peer, &id))
			return l;
	return NULL;
}

static int event_cb(struct nl_msg *msg, void *arg)
{
	struct kdp *k = arg;
	struct nlattr *tb[EVPN_A_MAX + 1], *et[EVPN_EVENT_A_MAX + 1];
	struct kdp_link *l;
	uint32_t type;
	char hex[EVPN_ID_HEXLEN + 1];

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, EVPN_A_MAX, NULL) ||
	    !tb[EVPN_A_EVENT] || !tb[EVPN_A_IFINDEX] ||
	    (int)nla_get_u32(tb[EVPN_A_IFINDEX]) != k->ifindex ||
	    nla_parse_nested(et, EVPN_EVENT_A_MAX, tb[EVPN_A_EVENT], NULL) ||
	    !et[EVPN_EVENT_A_TYPE] || !et[EVPN_EVENT_A_PEER_ID] ||
	    nla_len(et[EVPN_EVENT_A_PEER_ID]) != EVPN_ID_LEN)
		return NL_OK;
	k->events++;
	type = nla_get_u32(et[EVPN_EVENT_A_TYPE]);
	l = find_peer(k, nla_data(et[EVPN_EVENT_A_PEER_ID]));
	if (!l)
		return NL_OK;
	evpn_id_to_hex(&l->peer, hex);
	switch (type) {
	case EVPN_EVENT_KEY_SOFT_LIMIT:
	case EVPN_EVENT_KEY_HARD_LIMIT:
		fprintf(stderr, "evpnd: %s: key of %s reached its %s limit\n",
			k->cfg.ifname, hex,
			type == EVPN_EVENT_KEY_SOFT_LIMIT ? "soft" : "hard");
		if (l->t.on_event)
			l->t.on_event(l->t.event_ctx, DP_EVENT_REKEY);
		break;
	case EVPN_EVENT_PEER_UNREACHABLE:
		fprintf(stderr, "evpnd: %s: peer %s unreachable (%s)\n",
			k->cfg.ifname, hex, et[EVPN_EVENT_A_ERRNO] ?
			strerror(nla_get_u32(et[EVPN_EVENT_A_ERRNO])) : "?");
		if (l->t.on_event)
			l->t.on_event(l->t.event_ctx, DP_EVENT_UNREACHABLE);
		break;
	case EVPN_EVENT_ENDPOINT_CHANGED:
		fprintf(stderr, "evpnd: %s: peer %s moved (roaming)\n",
			k->cfg.ifname, hex);
		break;
	default:
		break;
	}
	return NL_OK;
}

static gboolean on_event_sock(gint fd, GIOCondition cond, gpointer data)
{
	struct kdp *k = data;

	nl_recvmsgs_default(k->ev);	/* non-blocking: what is queued */
	return G_SOURCE_CONTINUE;
}

static int events_open(struct kdp *k)
{
	int grp;

	k->ev = nl_socket_alloc();
	if (!k->ev)
		return -ENOMEM;
	nl_socket_disable_seq_check(k->ev);
	if (genl_connect(k->ev))
		return -EIO;
	grp = genl_ctrl_resolve_grp(k->ev, EVPN_GENL_NAME, EVPN_MCGRP_EVENTS);
	if (grp < 0 || nl_socket_add_membership(k->ev, grp))
		return -EIO;
	nl_socket_modify_cb(k->ev, NL_CB_VALID, NL_CB_CUSTOM, event_cb, k);
	nl_socket_set_nonblocking(k->ev);
	k->ev_watch = g_unix_fd_add(nl_socket_get_fd(k->ev), G_IO_IN,
				    on_event_sock, k);
	return 0;
}

/* ---- life cycle ------------------------------------------------------ */

static void kernel_destroy(struct dp *dp);

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
			fprintf(stderr, "evpnd: datapath = kernel: evpn.ko is "
				"not loaded and cannot be loaded (%s); "
				"try `modprobe evpn`\n", strerror(-ret));
		goto err;
	}
	ret = dev_get(k);
	if (ret == -ENODEV) {
		ret = rtnl_link(k, RTM_NEWLINK);
		if (!ret) {
			k->created = true;
			ret = dev_get(k);
		}
	}
	if (ret) {
		if (!quiet)
			log_err(k, ret == -EOPNOTSUPP ? "not an evpn device" :
				"cannot open or create the device", ret);
		goto err;
	}
	ret = dev_set_node_id(k);
	if (ret) {
		log_err(k, "cannot set the node ID", ret);
		goto err;
	}
	flush_stale(k);
	dev_setup_if(k);
	if (events_open(k))
		fprintf(stderr, "evpnd: %s: cannot join evpn events: rekeys "
			"are on the control plane's timers only\n",
			k->cfg.ifname);
	fprintf(stderr, "evpnd: %s: kernel datapath (evpn.ko, ifindex %d%s)\n",
		k->cfg.ifname, k->ifindex, k->created ? ", created" : "");
	return (struct dp *)k;
err:
	kernel_destroy((struct dp *)k);
	return NULL;
}

static void shim_close(struct kdp_link *l)
{
	if (l->shim_watch)
		g_source_remove(l->shim_watch);
	l->shim_watch = 0;
	if (l->shim_fd >= 0)
		close(l->shim_fd);
	l->shim_fd = -1;
}

static void wipe_keys(struct kdp_link *l)
{
	OPENSSL_cleanse(l->key, sizeof(l->key));
}

static void kernel_link_del(struct dp *dp, struct dp_link *link);

static void kernel_destroy(struct dp *dp)
{
	struct kdp *k = KDP(dp);

	while (k->links)
		kernel_link_del(dp, (struct dp_link *)k->links);
	if (k->ev_watch)
		g_source_remove(k->ev_watch);
	if (k->ev)
		nl_socket_free(k->ev);
	if (k->created && k->ifindex && rtnl_link(k, RTM_DELLINK))
		fprintf(stderr, "evpnd: cannot delete %s\n", k->cfg.ifname);
	if (k->shim_fd >= 0)
		close(k->shim_fd);
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

/* ---- the loopback shim for @send transports --------------------------- */

static int shim_kernel_sock(struct kdp *k)
{
	socklen_t len = sizeof(k->shim_addr);

	if (k->shim_fd >= 0)
		return 0;
	k->shim_fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (k->shim_fd < 0)
		return -errno;
	k->shim_addr.sin_family = AF_INET;
	k->shim_addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(k->shim_fd, (struct sockaddr *)&k->shim_addr,
		 sizeof(k->shim_addr)) ||
	    getsockname(k->shim_fd, (struct sockaddr *)&k->shim_addr, &len)) {
		int e = -errno;

		close(k->shim_fd);
		k->shim_fd = -1;
		return e;
	}
	return 0;
}

/* Records the module sealed for a relayed link: out through @send. */
static gboolean on_shim(gint fd, GIOCondition cond, gpointer data)
{
	struct kdp_link *l = data;
	uint8_t buf[EVPN_OVERHEAD + EVPN_MAX_INNER_LEN];
	int i;
	ssize_t n;

	for (i = 0; i < 64; i++) {
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n <= 0)
			break;
		if (l->t.send && l->t.send(l->t.send_ctx, buf, n) >= 0) {
			l->c.tx_packets++;
			l->c.tx_bytes += n;
		} else {
			l->c.drops[EVPN_DROP_TX_ERROR]++;
		}
	}
	return G_SOURCE_CONTINUE;
}

/* Our end for @l: bound to loopback, connected to the module's socket;
 * fills @remote with its address (the kernel link's endpoint). */
static int shim_open(struct kdp *k, struct kdp_link *l,
		     struct sockaddr_storage *remote)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int ret = shim_kernel_sock(k), big = 1 << 20;

	if (ret)
		return ret;
	l->shim_fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (l->shim_fd < 0)
		return -errno;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(l->shim_fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	if (bind(l->shim_fd, (struct sockaddr *)&a, sizeof(a)) ||
	    getsockname(l->shim_fd, (struct sockaddr *)&a, &len) ||
	    connect(l->shim_fd, (struct sockaddr *)&k->shim_addr,
		    sizeof(k->shim_addr))) {
		ret = -errno;
		shim_close(l);
		return ret;
	}
	memset(remote, 0, sizeof(*remote));
	memcpy(remote, &a, sizeof(a));
	l->shim_watch = g_unix_fd_add(l->shim_fd, G_IO_IN, on_shim, l);
	return 0;
}

/* ---- links ----------------------------------------------------------- */

static int key_install(struct kdp_link *l, int slot);

/* LINK_NEW for @l's transport (socket handed over, or the shim). */
static int nbrs_install(struct kdp *k, struct kdp_link *l);

static int link_new(struct kdp *k, struct kdp_link *l)
{
	struct sockaddr_storage remote;
	struct nl_msg *m;
	struct nlattr *n;
	int fd, ret, s;

	if (l->t.fd >= 0) {
		fd = l->t.fd;
		remote = l->t.addr;
	} else {
		ret = shim_open(k, l, &remote);
		if (ret) {
			fprintf(stderr, "evpnd: %s: loopback shim for %s: %s "
				"(is lo up?)\n", k->cfg.ifname, l->name,
				strerror(-ret));
			return ret;
		}
		fd = k->shim_fd;
	}
	m = dev_msg(k, EVPN_CMD_LINK_NEW, 0);
	if (!m)
		return -ENOMEM;
	n = nla_nest_start(m, EVPN_A_LINK);
	put_id(m, EVPN_LINK_A_PEER_ID, &l->peer);
	nla_put_u32(m, EVPN_LINK_A_SOCK_FD, fd);
	if (put_remote(m, &remote)) {
		nlmsg_free(m);
		return -EAFNOSUPPORT;
	}
	nla_nest_end(m, n);
	ret = evpn_genl_transact(&k->g, m, NULL, NULL);
	if (ret) {
		log_err(k, "LINK_NEW", ret);
		shim_close(l);
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
	struct nl_msg *m = dev_msg(k, EVPN_CMD_LINK_SET, 0);
	struct nlattr *n;
	int i, ret;

	if (!m)
		return -ENOMEM;
	for (i = 0; i < l->n_nbrs; i++)
		evpn_id_to_bytes(&l->nbrs[i], b + i * EVPN_ID_LEN);
	n = nla_nest_start(m, EVPN_A_LINK);
	put_id(m, EVPN_LINK_A_PEER_ID, &l->peer);
	nla_put(m, EVPN_LINK_A_NBRS, l->n_nbrs * EVPN_ID_LEN, b);
	nla_nest_end(m, n);
	ret = evpn_genl_transact(&k->g, m, NULL, NULL);
	if (ret)
		log_err(k, "LINK_SET NBRS", ret);
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

static void link_unplug(struct kdp *k, struct kdp_link *l)
{
	int ret;

	if (l->in_kernel) {
		uint8_t pb[EVPN_ID_LEN];

		evpn_id_to_bytes(&l->peer, pb);
		ret = link_del_peer(k, pb);
		if (ret)
			log_err(k, "LINK_DEL", ret);
	}
	l->in_kernel = false;
	shim_close(l);
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
	if (find_peer(k, pb))
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
	if (link_new(k, l)) {
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

	if (l->in_kernel && t->fd >= 0 && t->fd == l->t.fd) {
		struct nl_msg *m = dev_msg(k, EVPN_CMD_LINK_SET, 0);
		struct nlattr *n;

		l->t = *t;
		if (!m)
			return -ENOMEM;
		n = nla_nest_start(m, EVPN_A_LINK);
		put_id(m, EVPN_LINK_A_PEER_ID, &l->peer);
		put_remote(m, &t->addr);
		nla_nest_end(m, n);
		return evpn_genl_transact(&k->g, m, NULL, NULL);
	}
	if (!l->is_static && (l->key[0].valid || l->key[1].valid)) {
		fprintf(stderr, "evpnd: %s: %s moves to another socket: new "
			"keys needed\n", k->cfg.ifname, l->name);
		return -EBUSY;
	}
	link_unplug(k, l);
	l->t = *t;
	return link_new(k, l);
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

static int key_install(struct kdp_link *l, int slot)
{
	struct kdp *k = LDP(l);
	const struct kdp_key *key = &l->key[slot];
	struct nl_msg *m = dev_msg(k, EVPN_CMD_KEY_NEW, 0);
	struct nlattr *n;
	int ret;

	if (!m)
		return -ENOMEM;
	n = nla_nest_start(m, EVPN_A_KEY);
	put_id(m, EVPN_KEY_A_PEER_ID, &l->peer);
	nla_put_u32(m, EVPN_KEY_A_SLOT, slot);
	nla_put_u32(m, EVPN_KEY_A_SUITE, suite_uapi(key->suite));
	nla_put_u32(m, EVPN_KEY_A_TX_KEY_ID, key->tx.key_id);
	nla_put(m, EVPN_KEY_A_TX_KEY, EVPN_KEY_LEN, key->tx.key);
	nla_put(m, EVPN_KEY_A_TX_IV, EVPN_IV_LEN, key->tx.iv);
	nla_put_u32(m, EVPN_KEY_A_RX_KEY_ID, key->rx.key_id);
	nla_put(m, EVPN_KEY_A_RX_KEY, EVPN_KEY_LEN, key->rx.key);
	nla_put(m, EVPN_KEY_A_RX_IV, EVPN_IV_LEN, key->rx.iv);
	if (l->is_static)
		nla_put_flag(m, EVPN_KEY_A_STATIC);
	nla_nest_end(m, n);
	/* the request carries key bytes: hold a reference so it can be
	 * wiped after the transaction (which drops its own) */
	nlmsg_get(m);
	ret = evpn_genl_transact(&k->g, m, NULL, NULL);
	OPENSSL_cleanse(nlmsg_data(nlmsg_hdr(m)), nlmsg_datalen(nlmsg_hdr(m)));
	nlmsg_free(m);
	if (ret)
		log_err(k, "KEY_NEW", ret);
	return ret;
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
	struct kdp *k = LDP(link);
	struct nl_msg *m = dev_msg(k, EVPN_CMD_KEY_SWAP, 0);
	struct kdp_key tmp;
	struct nlattr *n;
	int ret;

	if (!m)
		return;
	n = nla_nest_start(m, EVPN_A_KEY);
	put_id(m, EVPN_KEY_A_PEER_ID, &l->peer);
	nla_nest_end(m, n);
	ret = evpn_genl_transact(&k->g, m, NULL, NULL);
	if (ret) {
		log_err(k, "KEY_SWAP", ret);
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
	struct kdp *k = LDP(link);
	struct nl_msg *m;
	struct nlattr *n;
	int ret;

	if (!l->key[slot].valid)
		return;
	OPENSSL_cleanse(&l->key[slot], sizeof(l->key[slot]));
	m = dev_msg(k, EVPN_CMD_KEY_DEL, 0);
	if (!m)
		return;
	n = nla_nest_start(m, EVPN_A_KEY);
	put_id(m, EVPN_KEY_A_PEER_ID, &l->peer);
	nla_put_u32(m, EVPN_KEY_A_SLOT, slot);
	nla_nest_end(m, n);
	ret = evpn_genl_transact(&k->g, m, NULL, NULL);
	if (ret && ret != -ENOENT)
		log_err(k, "KEY_DEL", ret);
}

/* A record a @send transport received: into the module through the shim
 * (the module's socket sees it come from the link's endpoint). */
static void kernel_input(struct dp *dp, struct dp_link *link, uint8_t *buf,
			 size_t len)
{
	struct kdp_link *l = KL(link);

	if (l->shim_fd < 0 || send(l->shim_fd, buf, len, MSG_DONTWAIT) < 0)
		l->c.drops[EVPN_DROP_NOMEM]++;	/* e.g. a socket link's
						 * straggler from libnice */
}

/* ---- counters and show ----------------------------------------------- */

struct link_state;
struct link_read {
	struct kdp *k;
	struct link_state *st;	/* show: key details */
	struct kdp_link *only;
};

static void read_drops(struct nlattr *nest, uint64_t *drops)
{
	struct nlattr *a;
	int rem;

	nla_for_each_nested(a, nest, rem) {
		int r = nla_type(a) - 1;

		if (r > 0 && r < __EVPN_DROP_MAX &&
		    nla_len(a) == sizeof(uint64_t))
			drops[r] = nla_get_u64(a);
	}
}

/* Key details of one LINK_A_KEY nest, as show JSON members. */
struct key_info {
	bool valid;
	uint32_t suite, tx_id, rx_id, age;
};

static void read_key(struct nlattr *nest, struct key_info *ki)
{
	struct nlattr *kt[EVPN_KEY_A_MAX + 1];

	if (nla_parse_nested(kt, EVPN_KEY_A_MAX, nest, NULL))
		return;
	ki->valid = true;
	ki->suite = kt[EVPN_KEY_A_SUITE] ? nla_get_u32(kt[EVPN_KEY_A_SUITE]) : 0;
	ki->tx_id = kt[EVPN_KEY_A_TX_KEY_ID] ?
		    nla_get_u32(kt[EVPN_KEY_A_TX_KEY_ID]) : 0;
	ki->rx_id = kt[EVPN_KEY_A_RX_KEY_ID] ?
		    nla_get_u32(kt[EVPN_KEY_A_RX_KEY_ID]) : 0;
	ki->age = kt[EVPN_KEY_A_AGE] ? nla_get_u32(kt[EVPN_KEY_A_AGE]) : 0;
}

struct link_state {
	struct key_info key[DP_NSLOTS];
};

static int link_get_cb(struct nl_msg *msg, void *arg)
{
	struct link_read *r = arg;
	struct nlattr *tb[EVPN_A_MAX + 1], *lt[EVPN_LINK_A_MAX + 1], *a;
	struct kdp_link *l;
	int rem;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, EVPN_A_MAX, NULL) ||
	    !tb[EVPN_A_LINK] ||
	    nla_parse_nested(lt, EVPN_LINK_A_MAX, tb[EVPN_A_LINK], NULL) ||
	    !lt[EVPN_LINK_A_PEER_ID] ||
	    nla_len(lt[EVPN_LINK_A_PEER_ID]) != EVPN_ID_LEN)
		return NL_OK;
	l = find_peer(r->k, nla_data(lt[EVPN_LINK_A_PEER_ID]));
	if (!l || (r->only && l != r->only))
		return NL_OK;
	/* record counters; the shim's own tx/drops are added on top */
	if (lt[EVPN_LINK_A_RX_PACKETS])
		l->c.rx_packets = nla_get_u64(lt[EVPN_LINK_A_RX_PACKETS]);
	if (lt[EVPN_LINK_A_RX_BYTES])
		l->c.rx_bytes = nla_get_u64(lt[EVPN_LINK_A_RX_BYTES]);
	if (lt[EVPN_LINK_A_TX_PACKETS])
		l->c.tx_packets = nla_get_u64(lt[EVPN_LINK_A_TX_PACKETS]);
	if (lt[EVPN_LINK_A_TX_BYTES])
		l->c.tx_bytes = nla_get_u64(lt[EVPN_LINK_A_TX_BYTES]);
	if (lt[EVPN_LINK_A_DROPS])
		read_drops(lt[EVPN_LINK_A_DROPS], l->c.drops);
	if (r->st) {
		struct link_state st = { 0 };

		nla_for_each_nested(a, tb[EVPN_A_LINK], rem) {
			struct key_info ki = { 0 };
			struct nlattr *kt[EVPN_KEY_A_MAX + 1];

			if (nla_type(a) != EVPN_LINK_A_KEY ||
			    nla_parse_nested(kt, EVPN_KEY_A_MAX, a, NULL) ||
			    !kt[EVPN_KEY_A_SLOT] ||
			    nla_get_u32(kt[EVPN_KEY_A_SLOT]) >= DP_NSLOTS)
				continue;
			read_key(a, &ki);
			st.key[nla_get_u32(kt[EVPN_KEY_A_SLOT])] = ki;
		}
		*r->st = st;
	}
	return NL_OK;
}

/* Counters (and, with @st, key state) of one link from the module. */
static void refresh_link(struct kdp_link *l, struct link_state *st)
{
	struct kdp *k = LDP(l);
	struct link_read r = { .k = k, .only = l, .st = st };
	struct nl_msg *m = dev_msg(k, EVPN_CMD_LINK_GET, 0);
	struct nlattr *n;

	if (!m || !l->in_kernel) {
		nlmsg_free(m);
		return;
	}
	n = nla_nest_start(m, EVPN_A_LINK);
	put_id(m, EVPN_LINK_A_PEER_ID, &l->peer);
	nla_nest_end(m, n);
	evpn_genl_transact(&k->g, m, link_get_cb, &r);
}

static void refresh_dev(struct kdp *k)
{
	struct kdp_link *l;

	dev_get(k);
	k->c.rx_packets = k->c.rx_bytes = 0;
	k->c.tx_packets = k->c.tx_bytes = 0;
	for (l = k->links; l; l = l->next) {
		refresh_link(l, NULL);
		k->c.rx_packets += l->c.rx_packets;
		k->c.rx_bytes += l->c.rx_bytes;
		k->c.tx_packets += l->c.tx_packets;
		k->c.tx_bytes += l->c.tx_bytes;
	}
}

static const struct dp_counters *kernel_counters(const struct dp *dp)
{
	struct kdp *k = KDP(dp);

	refresh_dev(k);
	return &k->c;
}

static const struct dp_counters *kernel_link_counters(const struct dp_link *link)
{
	struct kdp_link *l = KL(link);

	refresh_link(l, NULL);
	return &l->c;
}

static int fdb_count_cb(struct nl_msg *msg, void *arg)
{
	(*(uint32_t *)arg)++;
	return NL_OK;
}

static uint32_t fdb_entries(struct kdp *k)
{
	struct nl_msg *m = dev_msg(k, EVPN_CMD_FDB_GET, NLM_F_DUMP);
	uint32_t n = 0;

	if (m && evpn_genl_transact(&k->g, m, fdb_count_cb, &n))
		return 0;
	return n;
}

static void json_link(FILE *out, struct kdp_link *l, dp_link_json_fn extra,
		      void *ctx)
{
	char id[EVPN_ID_HEXLEN + 1], ep[INET6_ADDRSTRLEN + 16] = "-";
	struct link_state st = { 0 };
	const struct key_info *cur = &st.key[DP_SLOT_CURRENT];

	refresh_link(l, &st);
	evpn_id_to_hex(&l->peer, id);
	if (l->t.fd >= 0) {
		char a[INET6_ADDRSTRLEN];
		const struct sockaddr_storage *ss = &l->t.addr;

		if (ss->ss_family == AF_INET)
			snprintf(ep, sizeof(ep), "%s:%u",
				 inet_ntop(AF_INET, &((struct sockaddr_in *)ss)->sin_addr, a, sizeof(a)),
				 ntohs(((struct sockaddr_in *)ss)->sin_port));
		else if (ss->ss_family == AF_INET6)
			snprintf(ep, sizeof(ep), "[%s]:%u",
				 inet_ntop(AF_INET6, &((struct sockaddr_in6 *)ss)->sin6_addr, a, sizeof(a)),
				 ntohs(((struct sockaddr_in6 *)ss)->sin6_port));
	}
	fprintf(out, "{\"name\":\"%s\",\"peer\":\"%s\",\"endpoint\":\"%s\","
		"\"relayed\":%s,\"static\":%s,\"in_kernel\":%s,"
		"\"kernel_socket\":%s,", l->name, id, ep,
		l->t.relayed ? "true" : "false",
		l->is_static ? "true" : "false",
		l->in_kernel ? "true" : "false",
		l->t.fd >= 0 ? "true" : "false");
	if (cur->valid)
		fprintf(out, "\"suite\":\"%s\",\"key_age\":%u,"
			"\"tx_key_id\":%u,\"rx_key_id\":%u,",
			cur->suite == EVPN_SUITE_CHACHA20POLY1305 ?
			dp_suite_name(DP_SUITE_CHACHA20POLY1305) :
			dp_suite_name(DP_SUITE_AES256GCM),
			cur->age, cur->tx_id, cur->rx_id);
	else
		fputs("\"suite\":null,\"key_age\":null,", out);
	fprintf(out, "\"next_key\":%s,",
		st.key[DP_SLOT_NEXT].valid ? "true" : "false");
	dp_counters_json(out, &l->c, false);
	if (extra)
		extra(out, (struct dp_link *)l, ctx);
	fputc('}', out);
}

static void kernel_show_json(struct dp *dp, FILE *out, dp_link_json_fn extra,
			     void *ctx)
{
	struct kdp *k = KDP(dp);
	char id[EVPN_ID_HEXLEN + 1];
	struct kdp_link *l;

	refresh_dev(k);
	evpn_id_to_hex(&k->cfg.node_id, id);
	fprintf(out, "\"ifname\":\"%s\",\"ifindex\":%d,\"node_id\":\"%s\","
		"\"datapath\":\"kernel\",\"mtu\":%u,\"events\":%llu,",
		k->cfg.ifname, k->ifindex, id, k->cfg.mtu,
		(unsigned long long)k->events);
	dp_counters_json(out, &k->c, true);
	fprintf(out, ",\"fdb_entries\":%u,\"links\":[", fdb_entries(k));
	for (l = k->links; l; l = l->next) {
		json_link(out, l, extra, ctx);
		if (l->next)
			fputc(',', out);
	}
	fputc(']', out);
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
	.input = kernel_input,
	.counters = kernel_counters,
	.link_counters = kernel_link_counters,
	.show_json = kernel_show_json,
	.link_foreach = kernel_link_foreach,
	.link_set_user = kernel_link_set_user,
	.link_user = kernel_link_user,
};
