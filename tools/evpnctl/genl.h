/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * evpnctl's generic netlink plumbing (libnl-genl-3): connect, resolve the
 * "evpn" family, send one request and collect replies, and turn kernel
 * errors -- including extack messages -- into something to print.
 */
#ifndef EVPNCTL_GENL_H
#define EVPNCTL_GENL_H

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

/* A new request message for @cmd; NULL on allocation failure. */
struct nl_msg *evpn_genl_msg(struct evpn_genl *g, uint8_t cmd, int flags);

/*
 * Send @msg (consumed) and receive until the ACK or the end of the dump,
 * calling @cb for each reply. Returns 0 or a negative errno; on a kernel
 * error g->err and g->extack say what the kernel said. A dump interrupted
 * by a concurrent change returns -EAGAIN (the caller retries).
 */
int evpn_genl_transact(struct evpn_genl *g, struct nl_msg *msg,
		       int (*cb)(struct nl_msg *, void *), void *arg);

/* Print "evpnctl: WHAT: strerror [(hint)]" plus the kernel's message. */
void evpn_genl_perror(const struct evpn_genl *g, const char *what, int err);

#endif /* EVPNCTL_GENL_H */
