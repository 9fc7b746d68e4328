/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The generic netlink client of evpnd's kernel backend and the tools
 * (libnl-genl-3): connect, resolve the "evpn" family and its events group,
 * send one request and collect replies, and turn kernel errors -- including
 * extack messages -- into something to print. The messages themselves are
 * built and parsed in nl.h.
 */
#ifndef EVPN_LIB_GENL_H
#define EVPN_LIB_GENL_H

#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <linux/evpn.h>

struct evpn_genl {
	struct nl_sock *sk;
	int family;
	/* Last error: errno from the kernel (positive) and its extack text. */
	int err;
	char extack[256];
};

/*
 * 0, or -ENOENT when the kernel has no "evpn" family (module not loaded),
 * or another negative errno.
 */
int evpn_genl_open(struct evpn_genl *g);
void evpn_genl_close(struct evpn_genl *g);

/*
 * Join the "events" multicast group on an open socket and deliver each
 * event to @cb (sequence checks off: events are not replies). 0, or a
 * negative errno (-EPERM-like failures need CAP_NET_ADMIN).
 */
int evpn_genl_join_events(struct evpn_genl *g,
			  int (*cb)(struct nl_msg *, void *), void *arg);

/* A new request message for @cmd; NULL on allocation failure. */
struct nl_msg *evpn_genl_msg(struct evpn_genl *g, uint8_t cmd, int flags);

/*
 * Send @msg (consumed; NULL, from a failed builder, gives -ENOMEM) and
 * receive until the ACK or the end of the dump,
 * calling @cb for each reply. Returns 0 or a negative errno; on a kernel
 * error g->err and g->extack say what the kernel said. A dump interrupted
 * by a concurrent change returns -EAGAIN (the caller retries).
 */
int evpn_genl_transact(struct evpn_genl *g, struct nl_msg *msg,
		       int (*cb)(struct nl_msg *, void *), void *arg);

/* Print "PROGRAM: WHAT: strerror [(hint)]" plus the kernel's message. */
void evpn_genl_perror(const struct evpn_genl *g, const char *what, int err);

#endif /* EVPN_LIB_GENL_H */
