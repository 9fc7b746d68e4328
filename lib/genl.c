// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#include "genl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

struct transact {
	struct evpn_genl *g;
	int (*cb)(struct nl_msg *, void *);
	void *arg;
	int done;
	int err;		/* negative errno */
};

int evpn_genl_open(struct evpn_genl *g)
{
	int one = 1, fd, ret;

	memset(g, 0, sizeof(*g));
	g->sk = nl_socket_alloc();
	if (!g->sk)
		return -ENOMEM;
	if (genl_connect(g->sk)) {
		nl_socket_free(g->sk);
		g->sk = NULL;
		return -EIO;
	}
	/* Ask for extack messages, and not for our request echoed back. */
	fd = nl_socket_get_fd(g->sk);
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));

	ret = genl_ctrl_resolve(g->sk, EVPN_GENL_NAME);
	if (ret < 0) {
		evpn_genl_close(g);
		return ret == -NLE_OBJ_NOTFOUND ? -ENOENT : -EIO;
	}
	g->family = ret;
	return 0;
}

void evpn_genl_close(struct evpn_genl *g)
{
	if (g->sk)
		nl_socket_free(g->sk);
	g->sk = NULL;
}

int evpn_genl_join_events(struct evpn_genl *g,
			  int (*cb)(struct nl_msg *, void *), void *arg)
{
	int grp = genl_ctrl_resolve_grp(g->sk, EVPN_GENL_NAME,
					EVPN_MCGRP_EVENTS);

	if (grp < 0 || nl_socket_add_membership(g->sk, grp))
		return -EIO;
	nl_socket_disable_seq_check(g->sk);
	nl_socket_modify_cb(g->sk, NL_CB_VALID, NL_CB_CUSTOM, cb, arg);
	return 0;
}

struct nl_msg *evpn_genl_msg(struct evpn_genl *g, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, g->family, 0, flags,
			 cmd, EVPN_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/* Copy NLMSGERR_ATTR_MSG, which follows the (capped) nlmsgerr. */
static void save_extack(struct evpn_genl *g, struct nlmsgerr *e)
{
	struct nlmsghdr *hdr = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	char *attrs = (char *)e + sizeof(*e);
	int len;

	g->extack[0] = '\0';
	if (!(hdr->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(hdr->nlmsg_flags & NLM_F_CAPPED))
		attrs += e->msg.nlmsg_len - NLMSG_HDRLEN;
	len = (int)((char *)hdr + hdr->nlmsg_len - attrs);
	if (len <= 0 || nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)attrs,
				  len, NULL))
		return;
	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(g->extack, sizeof(g->extack), "%.*s",
			 nla_len(tb[NLMSGERR_ATTR_MSG]),
			 (char *)nla_data(tb[NLMSGERR_ATTR_MSG]));
}

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct transact *t = arg;

	t->err = e->error;
	t->g->err = -e->error;
	save_extack(t->g, e);
	t->done = 1;
	return NL_STOP;
}

static int on_finish(struct nl_msg *msg, void *arg)
{
	struct transact *t = arg;

	t->done = 1;
	return NL_STOP;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct transact *t = arg;

	if (!t->cb)
		return NL_OK;
	return t->cb(msg, t->arg);
}

int evpn_genl_transact(struct evpn_genl *g, struct nl_msg *msg,
		       int (*cb)(struct nl_msg *, void *), void *arg)
{
	struct transact t = { .g = g, .cb = cb, .arg = arg };
	struct nl_cb *nlcb;
	int ret;

	g->err = 0;
	g->extack[0] = '\0';
	if (!msg)
		return -ENOMEM;	/* a builder failed: nothing to send */
	nlcb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!nlcb) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nl_cb_err(nlcb, NL_CB_CUSTOM, on_error, &t);
	nl_cb_set(nlcb, NL_CB_ACK, NL_CB_CUSTOM, on_finish, &t);
	nl_cb_set(nlcb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, &t);
	nl_cb_set(nlcb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &t);

	ret = nl_send_auto(g->sk, msg);
	nlmsg_free(msg);
	while (ret >= 0 && !t.done)
		ret = nl_recvmsgs(g->sk, nlcb);
	nl_cb_put(nlcb);

	if (t.err)
		return t.err;
	if (ret == -NLE_DUMP_INTR)
		return -EAGAIN;
	if (ret < 0) {
		snprintf(g->extack, sizeof(g->extack), "netlink: %s",
			 nl_geterror(ret));
		return -EIO;
	}
	return 0;
}

void evpn_genl_perror(const struct evpn_genl *g, const char *what, int err)
{
	const char *prog = program_invocation_short_name, *hint = "";

	if (err == -ENOENT && !g->sk) {
		fprintf(stderr, "%s: evpn module not loaded (no generic netlink family \"%s\"; try `modprobe evpn`)\n",
			prog, EVPN_GENL_NAME);
		return;
	}
	if (err == -EPERM)
		hint = " (needs CAP_NET_ADMIN in the device's network namespace)";
	fprintf(stderr, "%s: %s: %s%s\n", prog, what, strerror(-err), hint);
	if (g->extack[0])
		fprintf(stderr, "%s: kernel: %s\n", prog, g->extack);
}
