// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The kernel backend's device watch (kernel.h): an rtnetlink socket in
 * RTNLGRP_LINK on the GLib loop. When our evpn device goes away (`ip link
 * del`, or `rmmod evpn` deleting every evpn device), evpnd says so and
 * creates it again (resolving the family loads evpn.ko again where it can
 * be loaded). Static links come back with their keys (static keys start
 * their counter from the wall clock, so re-installing them reuses no
 * nonce); a link keyed by the control plane must not be re-installed with
 * its old keys (counter from 0: nonce reuse), so its owner is told
 * (DP_EVENT_LOST) and builds it again with a new handshake.
 */
#include <errno.h>
#include <string.h>
#include <linux/rtnetlink.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <glib-unix.h>
#include "kernel.h"

#define KDP_RECREATE_RETRY_S	2

static gboolean on_retry(gpointer data);

/* Links back into the new device: static ones as they were, the others
 * handed back to their owner. */
static void relink(struct kdp *k)
{
	struct kdp_link *l, *next;

	for (l = k->links; l; l = next) {
		next = l->next;	/* the owner may delete @l */
		if (l->is_static || !(l->key[0].valid || l->key[1].valid))
			kdp_link_new(k, l);
		else if (l->t.on_event)
			l->t.on_event(l->t.event_ctx, DP_EVENT_LOST);
	}
}

static int recreate(struct kdp *k)
{
	int ret;

	kdp_events_close(k);
	evpn_genl_close(&k->g);
	/* creating an "evpn" link loads evpn.ko again if it was unloaded;
	 * then its family is a new one */
	kdp_rtnl_link(k, RTM_NEWLINK);	/* (or someone else made it) */
	ret = evpn_genl_open(&k->g);
	if (!ret)
		ret = kdp_dev_get(k);
	if (!ret)
		ret = kdp_dev_set_node_id(k);
	if (ret)
		return ret;
	k->created = true;
	kdp_setup_if(k);
	if (kdp_events_open(k))
		g_warning("%s: cannot join evpn events", k->cfg.ifname);
	g_message("%s: device recreated (ifindex %d); links come back",
		  k->cfg.ifname, k->ifindex);
	if (k->cfg.recreated)
		k->cfg.recreated(k->cfg.recreated_ctx);
	relink(k);
	return 0;
}

static void try_recreate(struct kdp *k)
{
	int ret = recreate(k);

	if (!ret || k->retry)
		return;
	g_warning("%s: cannot recreate the device (%s); retrying every %d s",
		  k->cfg.ifname, strerror(-ret), KDP_RECREATE_RETRY_S);
	k->retry = g_timeout_add_seconds(KDP_RECREATE_RETRY_S, on_retry, k);
}

static gboolean on_retry(gpointer data)
{
	struct kdp *k = data;

	if (recreate(k))
		return G_SOURCE_CONTINUE;
	k->retry = 0;
	return G_SOURCE_REMOVE;
}

static void device_lost(struct kdp *k)
{
	struct kdp_link *l;

	g_warning("%s: device disappeared (deleted, or evpn.ko unloaded): "
		  "recreating it", k->cfg.ifname);
	k->c.device_lost++;
	k->ifindex = 0;
	for (l = k->links; l; l = l->next) {
		l->in_kernel = false;
		kdp_shim_close(l);
	}
	try_recreate(k);
}

static int on_link_msg(struct nl_msg *msg, void *arg)
{
	struct kdp *k = arg;
	struct nlmsghdr *nh = nlmsg_hdr(msg);
	struct ifinfomsg *ifi = nlmsg_data(nh);

	if (nh->nlmsg_type == RTM_DELLINK && k->ifindex &&
	    ifi->ifi_index == k->ifindex)
		device_lost(k);
	return NL_OK;
}

static gboolean on_watch(gint fd, GIOCondition cond, gpointer data)
{
	struct kdp *k = data;

	nl_recvmsgs_default(k->watch_sk);	/* non-blocking: what is queued */
	return G_SOURCE_CONTINUE;
}

int kdp_watch_open(struct kdp *k)
{
	k->watch_sk = nl_socket_alloc();
	if (!k->watch_sk)
		return -ENOMEM;
	nl_socket_disable_seq_check(k->watch_sk);
	if (nl_connect(k->watch_sk, NETLINK_ROUTE) ||
	    nl_socket_add_membership(k->watch_sk, RTNLGRP_LINK)) {
		nl_socket_free(k->watch_sk);
		k->watch_sk = NULL;
		return -EIO;
	}
	nl_socket_modify_cb(k->watch_sk, NL_CB_VALID, NL_CB_CUSTOM,
			    on_link_msg, k);
	nl_socket_set_nonblocking(k->watch_sk);
	k->watch = g_unix_fd_add(nl_socket_get_fd(k->watch_sk), G_IO_IN,
				 on_watch, k);
	return 0;
}

void kdp_watch_close(struct kdp *k)
{
	if (k->watch)
		g_source_remove(k->watch);
	if (k->retry)
		g_source_remove(k->retry);
	k->watch = k->retry = 0;
	if (k->watch_sk)
		nl_socket_free(k->watch_sk);
	k->watch_sk = NULL;
}
