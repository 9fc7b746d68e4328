// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * [interface] address = ... applied to the device (ifaddr.h).
 *
 * RTM_NEWADDR / RTM_DELADDR as `ip addr add|del ADDR/N dev IFNAME` sends
 * them (IFA_LOCAL and IFA_ADDRESS equal: no peer; an IPv4 broadcast like
 * `brd +`). NLM_F_REPLACE makes adding an address the device already has
 * (evpnd restarted on a kept kernel device) a no-op, not an error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <netlink/netlink.h>
#include <netlink/msg.h>
#include <linux/rtnetlink.h>
#include "ifaddr.h"

const char *ifaddr_str(const struct cfg_addr *a, char *buf)
{
	char ip[INET6_ADDRSTRLEN] = "?";

	inet_ntop(a->family, a->addr, ip, sizeof(ip));
	snprintf(buf, CFG_ADDR_STRLEN, "%s/%u", ip, a->prefixlen);
	return buf;
}

static int addr_len(const struct cfg_addr *a)
{
	return a->family == AF_INET ? 4 : 16;
}

static int put_broadcast(struct nl_msg *m, const struct cfg_addr *a)
{
	uint32_t ip, mask;

	if (a->family != AF_INET || a->prefixlen >= 31)
		return 0;
	memcpy(&ip, a->addr, 4);
	mask = htonl(~0u << (32 - a->prefixlen));
	ip |= ~mask;
	return nla_put(m, IFA_BROADCAST, 4, &ip);
}

static struct nl_msg *addr_msg(int type, int ifindex, const struct cfg_addr *a)
{
	struct ifaddrmsg ifa = {
		.ifa_family = a->family,
		.ifa_prefixlen = a->prefixlen,
		.ifa_scope = RT_SCOPE_UNIVERSE,
		.ifa_index = ifindex,
	};
	int flags = NLM_F_REQUEST | NLM_F_ACK |
		    (type == RTM_NEWADDR ? NLM_F_CREATE | NLM_F_REPLACE : 0);
	struct nl_msg *m = nlmsg_alloc_simple(type, flags);

	if (!m)
		return NULL;
	if (nlmsg_append(m, &ifa, sizeof(ifa), NLMSG_ALIGNTO) ||
	    nla_put(m, IFA_LOCAL, addr_len(a), a->addr) ||
	    nla_put(m, IFA_ADDRESS, addr_len(a), a->addr) ||
	    (type == RTM_NEWADDR && put_broadcast(m, a))) {
		nlmsg_free(m);
		return NULL;
	}
	return m;
}

/* One request; 0 or a libnl error code. */
static int addr_request(struct nl_sock *sk, int type, int ifindex,
			const struct cfg_addr *a)
{
	struct nl_msg *m = addr_msg(type, ifindex, a);
	int ret;

	if (!m)
		return -NLE_NOMEM;
	ret = nl_send_auto(sk, m);
	if (ret >= 0)
		ret = nl_wait_for_ack(sk);
	nlmsg_free(m);
	return ret < 0 ? ret : 0;
}

static struct nl_sock *route_socket(void)
{
	struct nl_sock *sk = nl_socket_alloc();

	if (sk && nl_connect(sk, NETLINK_ROUTE)) {
		nl_socket_free(sk);
		sk = NULL;
	}
	if (!sk)
		fprintf(stderr, "evpnd: addresses: no rtnetlink socket\n");
	return sk;
}

static int each_addr(struct nl_sock *sk, int type, const char *ifname,
		     int ifindex, const struct cfg_addr *a)
{
	char s[CFG_ADDR_STRLEN];
	int ret = addr_request(sk, type, ifindex, a);

	if (type == RTM_DELADDR && ret == -NLE_NOADDR)
		ret = 0;	/* already gone (deleted by hand) */
	if (ret)
		fprintf(stderr, "evpnd: %s address %s %s %s: %s\n",
			type == RTM_NEWADDR ? "adding" : "removing",
			ifaddr_str(a, s), type == RTM_NEWADDR ? "to" : "from",
			ifname, nl_geterror(ret));
	return ret ? 1 : 0;
}

static int ifindex_of(const char *ifname)
{
	int ifindex = if_nametoindex(ifname);

	if (!ifindex)
		fprintf(stderr, "evpnd: addresses: no device %s: %s\n",
			ifname, strerror(errno));
	return ifindex;
}

int ifaddr_apply(const char *ifname, const struct cfg_addr *addrs, int n)
{
	struct nl_sock *sk;
	int ifindex, i, bad = 0;

	if (!n)
		return 0;
	ifindex = ifindex_of(ifname);
	if (!ifindex)
		return n;
	sk = route_socket();
	if (!sk)
		return n;
	for (i = 0; i < n; i++)
		bad += each_addr(sk, RTM_NEWADDR, ifname, ifindex, &addrs[i]);
	nl_socket_free(sk);
	return bad;
}

static bool has_addr(const struct evpnd_config *c, const struct cfg_addr *a)
{
	int i;

	for (i = 0; i < c->naddrs; i++)
		if (c->addrs[i].family == a->family &&
		    c->addrs[i].prefixlen == a->prefixlen &&
		    !memcmp(c->addrs[i].addr, a->addr, sizeof(a->addr)))
			return true;
	return false;
}

int ifaddr_sync(const char *ifname, const struct evpnd_config *old,
		const struct evpnd_config *new)
{
	struct nl_sock *sk;
	char s[CFG_ADDR_STRLEN];
	int ifindex, i, bad = 0;

	if (!old->naddrs && !new->naddrs)
		return 0;
	ifindex = ifindex_of(ifname);
	sk = ifindex ? route_socket() : NULL;
	if (!sk)
		return 1;
	for (i = 0; i < old->naddrs; i++)
		if (!has_addr(new, &old->addrs[i])) {
			bad += each_addr(sk, RTM_DELADDR, ifname, ifindex,
					 &old->addrs[i]);
			fprintf(stderr, "evpnd: reload: address %s removed\n",
				ifaddr_str(&old->addrs[i], s));
		}
	for (i = 0; i < new->naddrs; i++)
		if (!has_addr(old, &new->addrs[i])) {
			bad += each_addr(sk, RTM_NEWADDR, ifname, ifindex,
					 &new->addrs[i]);
			fprintf(stderr, "evpnd: reload: address %s added\n",
				ifaddr_str(&new->addrs[i], s));
		}
	nl_socket_free(sk);
	return bad;
}
