// SPDX-License-Identifier: GPL-2.0
/*
 * The UDP sockets links send and receive on, handed over by userspace as
 * file descriptors (the ICE-selected socket, so the NAT mapping it punched
 * keeps working).
 *
 * The module keeps its own reference to the socket's file, so the socket
 * lives as long as a link uses it, whether or not userspace still has the
 * fd open. While in use it carries a UDP encapsulation hook that consumes
 * evpn data records (first byte 0xE0-0xEF) and returns everything else --
 * STUN, DTLS, TURN -- to the normal UDP receive path, so userspace keeps
 * reading its control traffic from the same fd. When the last configured
 * link using it is deleted (evpn_sock_unuse, RTNL), the hook is removed at
 * once and the socket is exactly as userspace handed it over; the file
 * reference goes when the last link pointing here is freed (a deleted
 * link may still send the records it had queued) and a grace period has
 * passed (receive hooks that found us before the detach).
 *
 * Outgoing records leave from the socket's own address and port through
 * the UDP tunnel helpers, with a per-link route cache.
 */
#include <linux/file.h>
#include <linux/net.h>
#include <linux/udp.h>
#include <net/dst_cache.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/ipv6_stubs.h>
#include <net/route.h>
#include <net/udp.h>
#include <net/udp_tunnel.h>

#include "device.h"
#include "kturn.h"
#include "link.h"
#include "netlink.h"
#include "rx.h"

/* encap_type: any non-zero value enables the hook; 1 is what WireGuard uses. */
#define EVPN_UDP_ENCAP_TYPE	1

/*
 * The encap receive hook (softirq, RCU). skb->data is the UDP header and
 * the UDP checksum has been verified. Return 0 when the record was
 * consumed, > 0 to let the UDP stack deliver the datagram to the socket.
 */
static int evpn_udp_encap_recv(struct sock *sk, struct sk_buff *skb)
{
	struct evpn_sock *esock = rcu_dereference_sk_user_data(sk);
	enum evpn_pkt_class cls;

	if (unlikely(!esock))
		return 1;
	if (!pskb_may_pull(skb, sizeof(struct udphdr) + 1))
		return 1;
	cls = evpn_classify(skb->data[sizeof(struct udphdr)]);
	if (cls != EVPN_PKT_DATA && cls != EVPN_PKT_DATA_UNKNOWN)
		return evpn_turn_rx(esock, skb) ? 0 : 1;
	evpn_rx(esock, skb, 0);
	return 0;
}

static bool evpn_sock_is_udp(struct socket *sock)
{
	struct sock *sk = sock->sk;

	return sk && sk->sk_type == SOCK_DGRAM && sk->sk_protocol == IPPROTO_UDP &&
	       (sk->sk_family == AF_INET || sk->sk_family == AF_INET6);
}

static struct evpn_sock *evpn_sock_find(struct evpn_dev *edev, struct sock *sk)
{
	struct evpn_sock *esock;

	ASSERT_RTNL();
	list_for_each_entry(esock, &edev->socks, node)
		if (esock->sock->sk == sk)
			return esock;
	return NULL;
}

static void evpn_sock_attach(struct evpn_sock *esock)
{
	struct udp_tunnel_sock_cfg cfg = {
		.sk_user_data	= esock,
		.encap_type	= EVPN_UDP_ENCAP_TYPE,
		.encap_rcv	= evpn_udp_encap_recv,
	};

	setup_udp_tunnel_sock(sock_net(esock->sock->sk), esock->sock, &cfg);
}

/* Undo setup_udp_tunnel_sock(): the socket goes back to plain UDP. The
 * static key udp_tunnel_encap_enable() turned on stays on (harmless; the
 * other UDP tunnels leave it too). */
static void evpn_sock_detach(struct evpn_sock *esock)
{
	struct sock *sk = esock->sock->sk;

	lock_sock(sk);
	WRITE_ONCE(udp_sk(sk)->encap_type, 0);
	WRITE_ONCE(udp_sk(sk)->encap_rcv, NULL);
	rcu_assign_sk_user_data(sk, NULL);
	inet_sk(sk)->mc_loop = 1;
	inet_dec_convert_csum(sk);
	release_sock(sk);
}

/*
 * The evpn_sock for UDP socket @fd (RTNL): the existing one if this device
 * already uses the socket (one more link reference), else a new one.
 */
struct evpn_sock *evpn_sock_get(struct evpn_dev *edev, int fd,
				struct netlink_ext_ack *extack)
{
	struct evpn_sock *esock;
	struct socket *sock;
	int err;

	ASSERT_RTNL();
	sock = sockfd_lookup(fd, &err);
	if (!sock) {
		NL_SET_ERR_MSG(extack, "evpn: SOCK_FD is not a socket of the caller");
		return ERR_PTR(err);
	}
	if (!evpn_sock_is_udp(sock)) {
		NL_SET_ERR_MSG(extack, "evpn: SOCK_FD must be an IPv4 or IPv6 UDP socket");
		err = -EPROTONOSUPPORT;
		goto err_put;
	}
	if (!inet_sk(sock->sk)->inet_num) {
		NL_SET_ERR_MSG(extack, "evpn: the UDP socket must be bound");
		err = -EINVAL;
		goto err_put;
	}
	esock = evpn_sock_find(edev, sock->sk);
	if (esock) {
		esock->users++;
		kref_get(&esock->refcount);
		sockfd_put(sock);
		return esock;
	}
	if (rcu_access_pointer(sock->sk->sk_user_data)) {
		NL_SET_ERR_MSG(extack, "evpn: the UDP socket is already in use by a tunnel (another evpn device?)");
		err = -EBUSY;
		goto err_put;
	}
	esock = kzalloc(sizeof(*esock), GFP_KERNEL);
	if (!esock) {
		err = -ENOMEM;
		goto err_put;
	}
	esock->edev = edev;
	esock->sock = sock;
	esock->users = 1;
	kref_init(&esock->refcount);
	list_add(&esock->node, &edev->socks);
	evpn_sock_attach(esock);
	return esock;

err_put:
	sockfd_put(sock);
	return ERR_PTR(err);
}

/* A link using the socket was deleted (RTNL): the last one detaches. */
void evpn_sock_unuse(struct evpn_sock *esock)
{
	ASSERT_RTNL();
	if (--esock->users)
		return;
	list_del(&esock->node);
	evpn_sock_detach(esock);
}

/* fput() may run in any context (it defers the release itself). */
static void evpn_sock_free_rcu(struct rcu_head *rcu)
{
	struct evpn_sock *esock = container_of(rcu, struct evpn_sock, rcu);

	sockfd_put(esock->sock);
	kfree(esock);
}

static void evpn_sock_release(struct kref *kref)
{
	struct evpn_sock *esock = container_of(kref, struct evpn_sock, refcount);

	WARN_ON(esock->users);
	call_rcu(&esock->rcu, evpn_sock_free_rcu);
}

void evpn_sock_put(struct evpn_sock *esock)
{
	kref_put(&esock->refcount, evpn_sock_release);
}

static void evpn_send_unreachable(struct evpn_link *link, int err)
{
	evpn_link_drop(link, EVPN_DROP_TX_ERROR);
	evpn_event_unreachable(link, err);
}

static int evpn_send4(struct evpn_link *link, struct sock *sk,
		      const struct evpn_endpoint *ep, struct sk_buff *skb)
{
	struct flowi4 fl4 = {
		.daddr		= ep->v4,
		.saddr		= inet_sk(sk)->inet_saddr,
		.flowi4_oif	= sk->sk_bound_dev_if,
		.flowi4_mark	= sk->sk_mark,
		.flowi4_proto	= IPPROTO_UDP,
		.fl4_sport	= inet_sk(sk)->inet_sport,
		.fl4_dport	= ep->port,
	};
	struct rtable *rt;

	rt = dst_cache_get_ip4(&link->dst_cache, &fl4.saddr);
	if (!rt) {
		security_sk_classify_flow(sk, flowi4_to_flowi_common(&fl4));
		rt = ip_route_output_flow(sock_net(sk), &fl4, sk);
		if (IS_ERR(rt)) {
			kfree_skb(skb);
			return PTR_ERR(rt);
		}
		dst_cache_set_ip4(&link->dst_cache, &rt->dst, fl4.saddr);
	}
	skb->ignore_df = 1;
	udp_tunnel_xmit_skb(rt, sk, skb, fl4.saddr, ep->v4, 0,
			    ip4_dst_hoplimit(&rt->dst), 0,
			    inet_sk(sk)->inet_sport, ep->port,
			    !net_eq(sock_net(sk), dev_net(link->edev->dev)), false);
	return 0;
}

#if IS_ENABLED(CONFIG_IPV6)
static int evpn_send6(struct evpn_link *link, struct sock *sk,
		      const struct evpn_endpoint *ep, struct sk_buff *skb)
{
	struct flowi6 fl6 = {
		.daddr		= ep->v6,
		.saddr		= sk->sk_v6_rcv_saddr,
		.flowi6_oif	= sk->sk_bound_dev_if,
		.flowi6_mark	= sk->sk_mark,
		.flowi6_proto	= IPPROTO_UDP,
		.fl6_sport	= inet_sk(sk)->inet_sport,
		.fl6_dport	= ep->port,
	};
	struct dst_entry *dst;

	dst = dst_cache_get_ip6(&link->dst_cache, &fl6.saddr);
	if (!dst) {
		security_sk_classify_flow(sk, flowi6_to_flowi_common(&fl6));
		dst = ipv6_stub->ipv6_dst_lookup_flow(sock_net(sk), sk, &fl6, NULL);
		if (IS_ERR(dst)) {
			kfree_skb(skb);
			return PTR_ERR(dst);
		}
		dst_cache_set_ip6(&link->dst_cache, dst, &fl6.saddr);
	}
	skb->ignore_df = 1;
	return udp_tunnel6_xmit_skb(dst, sk, skb, link->edev->dev, &fl6.saddr,
				    &fl6.daddr, 0, ip6_dst_hoplimit(dst), 0,
				    inet_sk(sk)->inet_sport, ep->port, false);
}
#endif

/*
 * Send the sealed record at skb->data to @link's endpoint from the link's
 * socket (RCU read side, BH disabled). Consumes @skb.
 */
int evpn_sock_send(struct evpn_link *link, struct sk_buff *skb)
{
	const struct evpn_endpoint *ep = rcu_dereference_bh(link->ep);
	struct sock *sk = link->esock->sock->sk;
	int ret = -EAFNOSUPPORT;

	if (unlikely(ep->turn.family)) {
		ret = evpn_turn_tx(link, ep, skb);
		if (ret) {
			kfree_skb(skb);
			goto out;
		}
	}
	if (ep->family == AF_INET) {
		ret = evpn_send4(link, sk, ep, skb);
#if IS_ENABLED(CONFIG_IPV6)
	} else if (ep->family == AF_INET6 && sk->sk_family == AF_INET6) {
		ret = evpn_send6(link, sk, ep, skb);
#endif
	} else {
		kfree_skb(skb);
	}
out:
	if (unlikely(ret))
		evpn_send_unreachable(link, ret);
	return ret;
}
