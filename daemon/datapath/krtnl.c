// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The kernel backend's device (kernel.h): an evpn device named [interface]
 * name that does not exist yet is created with rtnetlink and deleted on
 * exit; MTU and up are set as tap.c does for its device.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include "kernel.h"

static int put_newlink(struct nl_msg *m, const struct kdp *k)
{
	struct nlattr *li;

	if (nla_put_string(m, IFLA_IFNAME, k->cfg.ifname) ||
	    nla_put_u32(m, IFLA_MTU, k->cfg.mtu))
		return -1;
	li = nla_nest_start(m, IFLA_LINKINFO);
	if (!li || nla_put_string(m, IFLA_INFO_KIND, "evpn"))
		return -1;
	nla_nest_end(m, li);
	return 0;
}

/* RTM_NEWLINK (create) or RTM_DELLINK of an evpn device. */
int kdp_rtnl_link(struct kdp *k, int type)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct nl_sock *sk = nl_socket_alloc();
	struct nl_msg *m = NULL;
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
	if (type == RTM_NEWLINK && put_newlink(m, k))
		goto out;
	ret = nl_send_auto(sk, m);
	if (ret >= 0)
		ret = nl_wait_for_ack(sk);
	if (ret < 0) {
		g_critical("%s %s: %s",
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
int kdp_setup_if(struct kdp *k)
{
	struct ifreq ifr;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (s < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", k->cfg.ifname);
	ifr.ifr_mtu = k->cfg.mtu;
	if (ioctl(s, SIOCSIFMTU, &ifr) < 0)
		g_critical("set MTU %u on %s: %s", k->cfg.mtu,
			   k->cfg.ifname, strerror(errno));
	if (ioctl(s, SIOCGIFFLAGS, &ifr) == 0 && !(ifr.ifr_flags & IFF_UP)) {
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
			g_warning("cannot bring %s up: %s",
				  k->cfg.ifname, strerror(errno));
	}
	close(s);
	return 0;
}
