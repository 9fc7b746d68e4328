// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * TAP datapath: the device, the UDP sockets, batched I/O and the GLib
 * watches that drive them. The per-record decisions live in path.c.
 *
 * Buffers: every record buffer is laid out as [48-byte header][frame][tag],
 * so a frame read from the TAP can be encrypted straight into a transmit
 * slot and a received record decrypted in place and written to the TAP from
 * offset 48, with no copies besides the cipher's own.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/if_tun.h>
#include <netinet/udp.h>
#include <net/if_arp.h>
#include <glib-unix.h>
#include <netinet/in.h>
#include <openssl/rand.h>
#include "config.h"
#include "dp_internal.h"

/* A stable, locally administered MAC from the node ID, so peers' ARP and
 * FDB entries stay valid across restarts. */
static void tap_mac(const struct evpn_id *id, unsigned char mac[6])
{
	uint8_t b[EVPN_ID_LEN];
	int i;

	evpn_id_to_bytes(id, b);
	memset(mac, 0, 6);
	for (i = 0; i < EVPN_ID_LEN; i++)
		mac[1 + i % 5] ^= b[i];
	mac[0] = 0x02;	/* unicast, locally administered */
}

static int tap_open(struct dp_config *cfg, bool *vnet)
{
	struct ifreq ifr;
	int fd, s;
	unsigned int off = TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 |
			   TUN_F_TSO_ECN;

	fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		g_critical("/dev/net/tun: %s", strerror(errno));
		return -1;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | (cfg->offload ? IFF_VNET_HDR : 0);
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", cfg->ifname);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		g_critical("TUNSETIFF %s: %s", cfg->ifname,
			   strerror(errno));
		goto err;
	}
	*vnet = cfg->offload;
	/* TSO/checksum offload: the kernel may hand us (and take) 64 KiB
	 * TCP frames; offload.c cuts and coalesces them */
	if (cfg->offload && ioctl(fd, TUNSETOFFLOAD, off) < 0)
		g_warning("TUNSETOFFLOAD: %s (continuing without)",
			  strerror(errno));
	snprintf(cfg->ifname, sizeof(cfg->ifname), "%s", ifr.ifr_name);
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		goto err;
	ifr.ifr_hwaddr.sa_family = ARPHRD_ETHER;
	tap_mac(&cfg->node_id, (unsigned char *)ifr.ifr_hwaddr.sa_data);
	if (ioctl(s, SIOCSIFHWADDR, &ifr) < 0)
		g_warning("set MAC on %s: %s", cfg->ifname,
			  strerror(errno));
	ifr.ifr_mtu = cfg->mtu;
	if (ioctl(s, SIOCSIFMTU, &ifr) < 0) {
		g_critical("set MTU %u on %s: %s", cfg->mtu,
			   cfg->ifname, strerror(errno));
		close(s);
		goto err;
	}
	if (ioctl(s, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
			g_warning("cannot bring %s up: %s",
				  cfg->ifname, strerror(errno));
	}
	close(s);
	return fd;
err:
	close(fd);
	return -1;
}

/* ---- transmit queue ---- */

uint8_t *dp_txq_slot(struct dp *dp)
{
	if (dp->txq.n == DP_BATCH)
		dp_txq_flush(dp);
	return dp->txq.buf[dp->txq.n];
}

void dp_txq_commit(struct dp *dp, struct dp_link *link, size_t len)
{
	struct dp_txq *q = &dp->txq;
	int i = q->n;

	if (link->t.fd < 0) {
		/* the transport sends itself (e.g. libnice TURN relay) */
		if (!link->t.send ||
		    link->t.send(link->t.send_ctx, q->buf[i], len) < 0) {
			dp_count_drop(dp, link, EVPN_DROP_TX_ERROR);
			return;
		}
		link->c.tx_packets++;
		link->c.tx_bytes += len;
		dp->c.tx_packets++;
		dp->c.tx_bytes += len;
		return;
	}
	q->iov[i].iov_base = q->buf[i];
	q->iov[i].iov_len = len;
	memset(&q->msg[i].msg_hdr, 0, sizeof(q->msg[i].msg_hdr));
	q->msg[i].msg_hdr.msg_iov = &q->iov[i];
	q->msg[i].msg_hdr.msg_iovlen = 1;
	q->msg[i].msg_hdr.msg_name = &link->t.addr;
	q->msg[i].msg_hdr.msg_namelen = link->t.addrlen;
	q->link[i] = link;
	q->n++;
}

static void count_sent(struct dp *dp, int i)
{
	struct dp_txq *q = &dp->txq;
	size_t len = q->iov[i].iov_len;

	if (q->link[i]) {
		q->link[i]->c.tx_packets++;
		q->link[i]->c.tx_bytes += len;
	}
	dp->c.tx_packets++;
	dp->c.tx_bytes += len;
}

static void count_tx_error(struct dp *dp, int i)
{
	if (dp->txq.link[i])
		dp_count_drop(dp, dp->txq.link[i], EVPN_DROP_TX_ERROR);
	else
		dp->c.drops[EVPN_DROP_TX_ERROR]++;
}

/* Send q->msg[from..to) on @fd, one record per datagram. */
static void flush_plain(struct dp *dp, int fd, int from, int to)
{
	struct dp_txq *q = &dp->txq;
	int i = from, r;

	while (i < to) {
		r = sendmmsg(fd, &q->msg[i], to - i, MSG_DONTWAIT);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			/* drop the one that failed, go on with the rest */
			count_tx_error(dp, i++);
			continue;
		}
		for (; r > 0; r--)
			count_sent(dp, i++);
	}
}

/*
 * Group q->msg[from..to) (all to one fd) into UDP GSO datagrams: a run of
 * records to the same peer, all of one length L except a shorter last one,
 * is sent as one datagram with UDP_SEGMENT = L; the kernel (or the NIC)
 * cuts it into the same records on the wire, so the receiver cannot tell.
 * Returns the number of datagrams built in q->gmsg.
 */
/*
 * The largest record that fits the path in one datagram, by the MTU rule
 * (docs/protocol.md 10: mtu <= underlay - 130): any one-hop record; over
 * IPv4, also an e2e record of a full untagged frame (docs/protocol.md
 * 14.5). Larger ones go out alone, and IP fragments them.
 */
static size_t gso_seg_max(const struct dp *dp, const struct dp_link *l)
{
	const struct sockaddr_in6 *s6 = (const void *)&l->t.addr;
	bool v4 = l->t.addr.ss_family == AF_INET ||
		  (l->t.addr.ss_family == AF_INET6 &&
		   IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr));

	if (v4)
		return EVPN_OVERHEAD + EVPN_E2E_OVERHEAD + EVPN_ETH_HLEN +
		       dp->cfg.mtu;
	return EVPN_OVERHEAD + EVPN_ETH_HLEN + 4 + dp->cfg.mtu;
}

static int gso_group(struct dp *dp, int from, int to)
{
	struct dp_txq *q = &dp->txq;
	int n = 0, i = from, j;

	while (i < to) {
		size_t seg = q->iov[i].iov_len, total = seg;
		struct msghdr *h = &q->gmsg[n].msg_hdr;
		/* UDP GSO refuses segments above the path MTU, and may
		 * then be off for good: batch only records that fit */
		int maxsegs = seg > gso_seg_max(dp, q->link[i]) ?
			      1 : DP_GSO_MAX_SEGS;

		for (j = i + 1; j < to && j - i < maxsegs; j++) {
			if (q->link[j] != q->link[i] ||
			    q->iov[j].iov_len > seg ||
			    total + q->iov[j].iov_len > DP_GSO_MAX_BYTES)
				break;
			total += q->iov[j].iov_len;
			if (q->iov[j].iov_len < seg) {
				j++;	/* a shorter record ends the run */
				break;
			}
		}
		*h = q->msg[i].msg_hdr;
		h->msg_iov = &q->iov[i];
		h->msg_iovlen = j - i;
		if (j - i > 1) {
			struct cmsghdr *c = (struct cmsghdr *)q->gcmsg[n];
			uint16_t s16 = seg;

			h->msg_control = c;
			h->msg_controllen = CMSG_SPACE(sizeof(uint16_t));
			c->cmsg_level = SOL_UDP;
			c->cmsg_type = UDP_SEGMENT;
			c->cmsg_len = CMSG_LEN(sizeof(uint16_t));
			memcpy(CMSG_DATA(c), &s16, sizeof(s16));
		}
		q->gcount[n++] = j - i;
		i = j;
	}
	return n;
}

static void flush_run(struct dp *dp, int fd, int from, int to)
{
	struct dp_txq *q = &dp->txq;
	int n, g = 0, i = from, k, r;

	if (!dp->udp_gso || to - from < 2) {
		flush_plain(dp, fd, from, to);
		return;
	}
	n = gso_group(dp, from, to);
	while (g < n) {
		r = sendmmsg(fd, &q->gmsg[g], n - g, MSG_DONTWAIT);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			if ((errno == EIO || errno == EINVAL ||
			     errno == EOPNOTSUPP) && q->gcount[g] > 1) {
				/* no GSO on this path: never again */
				dp->udp_gso = false;
				flush_plain(dp, fd, i, to);
				return;
			}
			for (k = 0; k < q->gcount[g]; k++)
				count_tx_error(dp, i++);
			g++;
			continue;
		}
		for (; r > 0; r--, g++)
			for (k = 0; k < q->gcount[g]; k++)
				count_sent(dp, i++);
	}
}

void dp_txq_flush(struct dp *dp)
{
	struct dp_txq *q = &dp->txq;
	int start = 0, i, fd;

	for (i = 1; i <= q->n; i++) {
		fd = q->link[start] ? q->link[start]->t.fd : -1;
		if (i < q->n && q->link[i] && fd >= 0 &&
		    q->link[i]->t.fd == fd)
			continue;
		if (fd >= 0)
			flush_run(dp, fd, start, i);
		start = i;
	}
	q->n = 0;
}

/* ---- TAP ---- */

static void tap_write_vnet(void *ctx, const uint8_t *buf, size_t len,
			   int segments)
{
	struct dp *dp = ctx;

	if (write(dp->tap_fd, buf, len) != (ssize_t)len) {
		dp->c.drops[EVPN_DROP_NOMEM] += segments;
		return;
	}
	dp->c.tap_tx_packets += segments;
	dp->c.tap_tx_bytes += len - OFFLOAD_VNET_HLEN;
}

void dp_tap_flush(struct dp *dp)
{
	if (dp->vnet)
		gro_flush(&dp->gro, tap_write_vnet, dp);
}

void dp_tap_write(struct dp *dp, const uint8_t *frame, size_t len)
{
	if (len > dp->cfg.mtu + EVPN_ETH_HLEN + 4) {
		/* from a peer with a larger MTU: the device would refuse it */
		dp->c.drops[EVPN_DROP_OVERSIZE]++;
		return;
	}
	if (dp->vnet) {
		gro_add(&dp->gro, frame, len, tap_write_vnet, dp);
		return;
	}
	if (write(dp->tap_fd, frame, len) != (ssize_t)len) {
		dp->c.drops[EVPN_DROP_NOMEM]++;
		return;
	}
	dp->c.tap_tx_packets++;
	dp->c.tap_tx_bytes += len;
}

static void tso_emit(void *ctx, uint8_t *frame, size_t len)
{
	dp_tx_frame(ctx, frame, len);
}

static gboolean on_tap(gint fd, GIOCondition cond, gpointer data);

static gboolean on_tap_retry(gpointer data);

/* (Re)open the device; on failure retry every DP_TAP_RETRY_S seconds. */
static void tap_reopen(struct dp *dp)
{
	dp->tap_fd = tap_open(&dp->cfg, &dp->vnet);
	if (dp->tap_fd < 0) {
		if (!dp->tap_retry) {
			g_warning("%s: cannot recreate the device; retrying "
				  "every %d s", dp->cfg.ifname, DP_TAP_RETRY_S);
			dp->tap_retry = g_timeout_add_seconds(DP_TAP_RETRY_S,
							      on_tap_retry, dp);
		}
		return;
	}
	dp->tap_watch = g_unix_fd_add(dp->tap_fd, G_IO_IN, on_tap, dp);
	g_message("%s: device recreated (links and keys kept)",
		  dp->cfg.ifname);
	if (dp->tap_retry)
		g_source_remove(dp->tap_retry);
	dp->tap_retry = 0;
	if (dp->cfg.recreated)
		dp->cfg.recreated(dp->cfg.recreated_ctx);
}

static gboolean on_tap_retry(gpointer data)
{
	struct dp *dp = data;

	tap_reopen(dp);
	return dp->tap_fd < 0 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

/*
 * The device was deleted under us (`ip link del`): its fd then polls as
 * an error and reads EBADFD. Say so and create it again with the same
 * name, MAC and MTU; links, keys and the FDB live here and carry on.
 */
static void tap_lost(struct dp *dp)
{
	g_warning("%s: device disappeared (deleted?): recreating it",
		  dp->cfg.ifname);
	dp->tap_watch = 0;	/* on_tap returns G_SOURCE_REMOVE */
	close(dp->tap_fd);
	dp->tap_fd = -1;
	dp->c.device_lost++;
	tap_reopen(dp);
}

/* TSO super-frames are cut into segments that fit one record each (so a
 * TCP segment never costs two), or the MTU if that is smaller. */
static size_t tso_frame(const struct dp *dp)
{
	size_t mtu = dp->cfg.mtu + EVPN_ETH_HLEN, rec = dp_frag_tso_frame(dp);

	return rec < mtu ? rec : mtu;
}

static gboolean on_tap(gint fd, GIOCondition cond, gpointer data)
{
	struct dp *dp = data;
	uint8_t *buf = dp->tap_mem;
	size_t max = dp->tap_memsz;
	int i;

	dp->now = g_get_monotonic_time() / G_USEC_PER_SEC;
	for (i = 0; i < DP_TAP_BATCH; i++) {
		ssize_t n = read(fd, buf, max);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EBADFD || errno == EIO) {
				dp_txq_flush(dp);
				tap_lost(dp);
				return G_SOURCE_REMOVE;
			}
			break;	/* EAGAIN: drained */
		}
		dp->c.tap_rx_packets++;
		dp->c.tap_rx_bytes += n;
		if (!dp->vnet)
			dp_tx_frame(dp, buf, n);
		else if (offload_tx(buf, n, tso_frame(dp), dp->tso_seg,
				    tso_emit, dp))
			dp->c.drops[EVPN_DROP_BAD_HEADER]++;
	}
	dp_txq_flush(dp);
	return G_SOURCE_CONTINUE;
}

/* ---- UDP ---- */

static void rx_batch_reset(struct dp *dp)
{
	int i;

	for (i = 0; i < dp->rx_batch; i++) {
		struct msghdr *h = &dp->rx_msg[i].msg_hdr;

		dp->rx_iov[i].iov_base = dp->rx_mem + i * dp->rx_bufsz;
		dp->rx_iov[i].iov_len = dp->rx_bufsz;
		memset(h, 0, sizeof(*h));
		h->msg_iov = &dp->rx_iov[i];
		h->msg_iovlen = 1;
		h->msg_name = &dp->rx_addr[i];
		h->msg_namelen = sizeof(dp->rx_addr[i]);
		if (dp->udp_gro) {
			h->msg_control = dp->rx_cmsg[i];
			h->msg_controllen = sizeof(dp->rx_cmsg[i]);
		}
	}
}

/* UDP GRO: the segment size of a coalesced receive, or 0. */
static size_t gro_size(struct msghdr *h)
{
	struct cmsghdr *c;
	int v;

	for (c = CMSG_FIRSTHDR(h); c; c = CMSG_NXTHDR(h, c))
		if (c->cmsg_level == SOL_UDP && c->cmsg_type == UDP_GRO) {
			memcpy(&v, CMSG_DATA(c), sizeof(v));
			return v > 0 ? v : 0;
		}
	return 0;
}

/* One received datagram: a record, or (GRO) several of the same size. */
static void rx_datagram(struct dp *dp, struct msghdr *h, uint8_t *buf,
			size_t len, int fd)
{
	size_t seg = dp->udp_gro ? gro_size(h) : 0, off, n;

	if (!seg || seg >= len) {
		dp_rx_record(dp, NULL, buf, len, h->msg_name, h->msg_namelen,
			     fd);
		return;
	}
	for (off = 0; off < len; off += n) {
		n = len - off < seg ? len - off : seg;
		dp_rx_record(dp, NULL, buf + off, n, h->msg_name,
			     h->msg_namelen, fd);
	}
}

static gboolean on_udp(gint fd, GIOCondition cond, gpointer data)
{
	struct dp *dp = data;
	int n, i, rounds;

	dp->now = g_get_monotonic_time() / G_USEC_PER_SEC;
	/* a few batches per wakeup, then let the TAP side run */
	for (rounds = 0; rounds < 4; rounds++) {
		rx_batch_reset(dp);
		n = recvmmsg(fd, dp->rx_msg, dp->rx_batch, MSG_DONTWAIT, NULL);
		if (n <= 0)
			break;
		for (i = 0; i < n; i++) {
			struct msghdr *h = &dp->rx_msg[i].msg_hdr;
			size_t len = dp->rx_msg[i].msg_len;

			if (h->msg_flags & MSG_TRUNC) {
				dp->c.drops[EVPN_DROP_OVERSIZE]++;
				continue;
			}
			rx_datagram(dp, h, dp->rx_iov[i].iov_base, len, fd);
		}
		dp_tap_flush(dp);
		dp_txq_flush(dp);
		if (n < dp->rx_batch)
			break;
	}
	return G_SOURCE_CONTINUE;
}

int tap_socket_add(struct dp *dp, int fd)
{
	struct dp_sock *s;

	if (dp->nsocks == DP_MAX_SOCKS)
		return -ENOSPC;
	dp_socket_buffers(fd);
	if (dp->udp_gro) {
		int on = 1;

		/* buffers were sized for GRO: a socket without it is fine */
		setsockopt(fd, SOL_UDP, UDP_GRO, &on, sizeof(on));
	}
	s = &dp->socks[dp->nsocks++];
	s->fd = fd;
	s->watch = g_unix_fd_add(fd, G_IO_IN, on_udp, dp);
	return 0;
}

void tap_socket_del(struct dp *dp, int fd)
{
	int i;

	for (i = 0; i < dp->nsocks; i++)
		if (dp->socks[i].fd == fd) {
			g_source_remove(dp->socks[i].watch);
			dp->socks[i] = dp->socks[--dp->nsocks];
			return;
		}
}

void tap_input(struct dp *dp, struct dp_link *link, uint8_t *buf, size_t len)
{
	dp->now = g_get_monotonic_time() / G_USEC_PER_SEC;
	dp_rx_record(dp, link, buf, len, NULL, 0, -1);
	dp_tap_flush(dp);
	dp_txq_flush(dp);
}

/* ---- life cycle ---- */

static gboolean on_timer(gpointer data)
{
	struct dp *dp = data;

	evpn_fdb_expire(&dp->fdb, g_get_monotonic_time() / G_USEC_PER_SEC);
	return G_SOURCE_CONTINUE;
}

static int fdb_setup(struct dp *dp)
{
	uint32_t cap = 2;
	uint64_t seed;

	while (cap < 2 * dp->cfg.fdb_size)
		cap <<= 1;
	dp->fdb_slots = calloc(cap, sizeof(*dp->fdb_slots));
	if (!dp->fdb_slots)
		return -1;
	if (RAND_bytes((unsigned char *)&seed, sizeof(seed)) != 1)
		seed = g_get_monotonic_time();
	return evpn_fdb_init(&dp->fdb, dp->fdb_slots, cap, dp->cfg.fdb_size,
			     dp->cfg.fdb_age, seed);
}

static int buffers_setup(struct dp *dp)
{
	int i;

	/* header + e2e payload around the largest frame (MTU + Ethernet +
	 * VLAN) + tag, 64-aligned */
	dp->bufsz = (EVPN_OVERHEAD + EVPN_E2E_OVERHEAD + dp->cfg.mtu +
		     EVPN_ETH_HLEN + 4 + 63) &
		    ~(size_t)63;
	dp->rx_batch = dp->udp_gro ? DP_GRO_BATCH : DP_BATCH;
	dp->rx_bufsz = dp->udp_gro ? DP_GRO_BUF : dp->bufsz;
	dp->rx_mem = malloc(dp->rx_batch * dp->rx_bufsz);
	dp->tx_mem = malloc(DP_BATCH * dp->bufsz);
	/* room for any frame, so one larger than expected (the MTU was
	 * raised behind our back) is counted as oversize, not truncated */
	dp->tap_memsz = OFFLOAD_MAX_FRAME + OFFLOAD_VNET_HLEN;
	dp->tap_mem = malloc(dp->tap_memsz);
	dp->nn = calloc((size_t)DP_MAX_LINKS * EVPN_MAX_NBR_IDS, sizeof(*dp->nn));
	if (!dp->rx_mem || !dp->tx_mem || !dp->tap_mem || !dp->nn)
		return -1;
	if (dp->cfg.offload) {
		dp->tso_seg = malloc(dp->bufsz);
		dp->gro.buf = malloc(OFFLOAD_MAX_FRAME);
		if (!dp->tso_seg || !dp->gro.buf)
			return -1;
	}
	for (i = 0; i < DP_BATCH; i++)
		dp->txq.buf[i] = dp->tx_mem + i * dp->bufsz;
	return dp_frag_setup(dp);
}

struct dp *tap_dp_create(const struct dp_config *cfg)
{
	struct dp *dp;

	dp = calloc(1, sizeof(*dp));
	if (!dp)
		return NULL;
	dp->ops = &dp_tap_ops;
	dp->cfg = *cfg;
	dp->cfg.kind = DP_KIND_TAP;
	dp->tap_fd = -1;
	/* GSO/GRO unless EVPND_NO_GSO is set (for measurements) */
	dp->udp_gso = dp->udp_gro = !getenv("EVPND_NO_GSO");
	dp->no_e2e = getenv("EVPND_TEST_NO_E2E") != NULL;
	if (dp->no_e2e)
		g_warning("EVPND_TEST_NO_E2E set: relayed unicast is neither "
			  "sealed end to end nor checked for its origin "
			  "(benchmark baseline only)");
	if (fdb_setup(dp) || buffers_setup(dp) || dp_e2e_init(dp) ||
	    dp_mc_init(dp))
		goto err;
	dp->tap_fd = tap_open(&dp->cfg, &dp->vnet);
	if (dp->tap_fd < 0)
		goto err;
	dp->tap_watch = g_unix_fd_add(dp->tap_fd, G_IO_IN, on_tap, dp);
	dp->timer = g_timeout_add_seconds(10, on_timer, dp);
	return dp;
err:
	tap_destroy(dp);
	return NULL;
}

void tap_destroy(struct dp *dp)
{
	if (!dp)
		return;
	while (dp->nsocks)
		tap_socket_del(dp, dp->socks[0].fd);
	if (dp->tap_watch)
		g_source_remove(dp->tap_watch);
	if (dp->tap_retry)
		g_source_remove(dp->tap_retry);
	if (dp->timer)
		g_source_remove(dp->timer);
	if (dp->tap_fd >= 0)
		close(dp->tap_fd);
	dp_links_free(dp);
	dp_e2e_free(dp);
	dp_frag_free(dp);
	dp_mc_free(dp);
	free(dp->fdb_slots);
	free(dp->rx_mem);
	free(dp->tx_mem);
	free(dp->tap_mem);
	free(dp->nn);
	free(dp->tso_seg);
	free(dp->gro.buf);
	free(dp);
}

const struct dp_ops dp_tap_ops = {
	.name = "tap",
	.destroy = tap_destroy,
	.ifname = tap_ifname,
	.node_id = tap_node_id,
	.kind = tap_kind,
	.socket_add = tap_socket_add,
	.socket_del = tap_socket_del,
	.link_add = tap_link_add,
	.link_del = tap_link_del,
	.link_find = tap_link_find,
	.link_set_transport = tap_link_set_transport,
	.link_peer = tap_link_peer,
	.link_name = tap_link_name,
	.link_set_keys = tap_link_set_keys,
	.link_set_static = tap_link_set_static,
	.link_swap_keys = tap_link_swap_keys,
	.link_retire_key = tap_link_retire_key,
	.link_set_nbrs = tap_link_set_nbrs,
	.link_set_record_max = tap_link_set_record_max,
	.input = tap_input,
	.counters = tap_counters,
	.link_counters = tap_link_counters,
	.show_json = tap_show_json,
	.fdb_foreach = tap_fdb_foreach,
	.link_foreach = tap_link_foreach,
	.link_set_user = tap_link_set_user,
	.link_user = tap_link_user,
	.e2e_set = tap_e2e_set,
	.e2e_del = tap_e2e_del,
};
