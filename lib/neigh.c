// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Neighbour table dump over rtnetlink (neigh.h).
 */
#include <arpa/inet.h>
#include <string.h>
#include <glib.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "neigh.h"

struct neigh_walk {
	int ifindex;
	GArray *out;
};

static int on_neigh(struct nl_msg *msg, void *arg)
{
	struct neigh_walk *w = arg;
	struct nlmsghdr *nh = nlmsg_hdr(msg);
	struct ndmsg *nd = nlmsg_data(nh);
	struct nlattr *tb[NDA_MAX + 1];
	struct evpn_neigh e = { 0 };

	if (nlmsg_parse(nh, sizeof(*nd), tb, NDA_MAX, NULL) ||
	    nd->ndm_ifindex != w->ifindex || !tb[NDA_DST] || !tb[NDA_LLADDR] ||
	    nla_len(tb[NDA_LLADDR]) != 6 ||
	    (nd->ndm_state & (NUD_INCOMPLETE | NUD_FAILED | NUD_NOARP)))
		return NL_OK;
	if (!inet_ntop(nd->ndm_family, nla_data(tb[NDA_DST]), e.addr,
		       sizeof(e.addr)))
		return NL_OK;
	memcpy(e.mac, nla_data(tb[NDA_LLADDR]), 6);
	g_array_append_val(w->out, e);
	return NL_OK;
}

struct evpn_neigh *evpn_neigh_dump(int ifindex, int *n)
{
	struct ndmsg nd = { .ndm_family = AF_UNSPEC, .ndm_ifindex = ifindex };
	struct neigh_walk w = { .ifindex = ifindex };
	struct nl_sock *sk = nl_socket_alloc();

	*n = 0;
	if (!sk)
		return NULL;
	if (ifindex <= 0 || nl_connect(sk, NETLINK_ROUTE) ||
	    nl_send_simple(sk, RTM_GETNEIGH, NLM_F_DUMP, &nd, sizeof(nd)) < 0) {
		nl_socket_free(sk);
		return NULL;
	}
	w.out = g_array_new(FALSE, TRUE, sizeof(struct evpn_neigh));
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, on_neigh, &w);
	nl_recvmsgs_default(sk);
	nl_socket_free(sk);
	*n = w.out->len;
	return (struct evpn_neigh *)g_array_free(w.out, !*n);
}
