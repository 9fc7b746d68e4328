// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The kernel backend's loopback shim (kernel.h) for @send transports (TURN
 * relay through libnice): the module's link sends to a 127.0.0.1 socket of
 * ours, whose datagrams we pass to @send; records the transport receives
 * (dp_input) we send to the module's loopback socket, so the module sees
 * them come from the link's endpoint. Needs lo up in the namespace.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <glib-unix.h>
#include "kernel.h"

void kdp_shim_close(struct kdp_link *l)
{
	if (l->shim_watch)
		g_source_remove(l->shim_watch);
	l->shim_watch = 0;
	if (l->shim_fd >= 0)
		close(l->shim_fd);
	l->shim_fd = -1;
}

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
int kdp_shim_open(struct kdp *k, struct kdp_link *l,
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
		kdp_shim_close(l);
		return ret;
	}
	memset(remote, 0, sizeof(*remote));
	memcpy(remote, &a, sizeof(a));
	l->shim_watch = g_unix_fd_add(l->shim_fd, G_IO_IN, on_shim, l);
	return 0;
}

/* The module's end, shared by every shimmed link. */
void kdp_shim_destroy(struct kdp *k)
{
	if (k->shim_fd >= 0)
		close(k->shim_fd);
	k->shim_fd = -1;
}

/* A record a @send transport received: into the module through the shim
 * (the module's socket sees it come from the link's endpoint). */
void kdp_shim_input(struct dp *dp, struct dp_link *link, uint8_t *buf,
		    size_t len)
{
	struct kdp_link *l = KL(link);

	if (l->shim_fd < 0 || send(l->shim_fd, buf, len, MSG_DONTWAIT) < 0)
		l->c.drops[EVPN_DROP_NOMEM]++;	/* e.g. a socket link's
						 * straggler from libnice */
}
