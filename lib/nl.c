// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The evpn generic netlink messages (see nl.h). Every nla_put is checked:
 * a request that does not fit is never sent half-built.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <openssl/crypto.h>
#include "nl.h"
#include "evpn_nl_gen.h"

/* ---- requests ---- */

static int put_dev(struct nl_msg *m, const struct evpn_nl_dev *dev)
{
	if (dev->ifindex)
		return nla_put_u32(m, EVPN_A_IFINDEX, (uint32_t)dev->ifindex);
	return nla_put_string(m, EVPN_A_IFNAME, dev->ifname);
}

struct nl_msg *evpn_nl_dev_msg(struct evpn_genl *g, uint8_t cmd, int flags,
			       const struct evpn_nl_dev *dev)
{
	struct nl_msg *m = evpn_genl_msg(g, cmd, flags);

	if (m && dev && put_dev(m, dev)) {
		nlmsg_free(m);
		return NULL;
	}
	return m;
}

struct nl_msg *evpn_nl_dev_set_node_id(struct evpn_genl *g,
				       const struct evpn_nl_dev *dev,
				       const uint8_t id[EVPN_NODE_ID_LEN])
{
	struct nl_msg *m = evpn_nl_dev_msg(g, EVPN_CMD_DEV_SET, 0, dev);

	if (m && nla_put(m, EVPN_A_NODE_ID, EVPN_NODE_ID_LEN, id)) {
		nlmsg_free(m);
		return NULL;
	}
	return m;
}

static int put_addr(struct nl_msg *m, const struct sockaddr_storage *ss,
		    int a4, int a6, int ap)
{
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *a = (const void *)ss;

		return nla_put(m, a4, 4, &a->sin_addr) ||
		       nla_put_u16(m, ap, ntohs(a->sin_port));
	}
	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const void *)ss;

		return nla_put(m, a6, 16, &a->sin6_addr) ||
		       nla_put_u16(m, ap, ntohs(a->sin6_port));
	}
	return -1;
}

static int put_remote(struct nl_msg *m, const struct sockaddr_storage *ss)
{
	return put_addr(m, ss, EVPN_LINK_A_REMOTE_IPV4, EVPN_LINK_A_REMOTE_IPV6,
			EVPN_LINK_A_REMOTE_PORT);
}

static int put_link(struct nl_msg *m, const struct evpn_nl_link *l)
{
	struct nlattr *n = nla_nest_start(m, EVPN_A_LINK);

	if (!n || nla_put(m, EVPN_LINK_A_PEER_ID, EVPN_NODE_ID_LEN, l->peer) ||
	    (l->sock_fd >= 0 &&
	     nla_put_u32(m, EVPN_LINK_A_SOCK_FD, (uint32_t)l->sock_fd)) ||
	    (l->remote && put_remote(m, l->remote)) ||
	    (l->turn_peer && put_addr(m, l->turn_peer,
				      EVPN_LINK_A_TURN_PEER_IPV4,
				      EVPN_LINK_A_TURN_PEER_IPV6,
				      EVPN_LINK_A_TURN_PEER_PORT)) ||
	    (l->n_nbrs >= 0 && nla_put(m, EVPN_LINK_A_NBRS,
				       l->n_nbrs * EVPN_NODE_ID_LEN, l->nbrs)) ||
	    (l->record_max &&
	     nla_put_u32(m, EVPN_LINK_A_RECORD_MAX, l->record_max)))
		return -1;
	nla_nest_end(m, n);
	return 0;
}

struct nl_msg *evpn_nl_link_msg(struct evpn_genl *g, uint8_t cmd,
				const struct evpn_nl_dev *dev,
				const struct evpn_nl_link *l)
{
	struct nl_msg *m = evpn_nl_dev_msg(g, cmd, 0, dev);

	if (m && put_link(m, l)) {
		nlmsg_free(m);
		return NULL;
	}
	return m;
}

static int put_key(struct nl_msg *m, const struct evpn_nl_key *k)
{
	struct nlattr *n = nla_nest_start(m, EVPN_A_KEY);

	if (!n || nla_put(m, EVPN_KEY_A_PEER_ID, EVPN_NODE_ID_LEN, k->peer) ||
	    nla_put_u32(m, EVPN_KEY_A_SLOT, k->slot) ||
	    nla_put_u32(m, EVPN_KEY_A_SUITE, k->suite) ||
	    nla_put_u32(m, EVPN_KEY_A_TX_KEY_ID, k->tx_key_id) ||
	    nla_put(m, EVPN_KEY_A_TX_KEY, EVPN_KEY_LEN, k->tx.key) ||
	    nla_put(m, EVPN_KEY_A_TX_IV, EVPN_IV_LEN, k->tx.iv) ||
	    nla_put_u32(m, EVPN_KEY_A_RX_KEY_ID, k->rx_key_id) ||
	    nla_put(m, EVPN_KEY_A_RX_KEY, EVPN_KEY_LEN, k->rx.key) ||
	    nla_put(m, EVPN_KEY_A_RX_IV, EVPN_IV_LEN, k->rx.iv) ||
	    (k->is_static && nla_put_flag(m, EVPN_KEY_A_STATIC)) ||
	    (k->tx_counter && nla_put_u64(m, EVPN_KEY_A_TX_COUNTER, k->tx_counter)))
		return -1;
	nla_nest_end(m, n);
	return 0;
}

static void wipe_msg(struct nl_msg *m)
{
	struct nlmsghdr *h = nlmsg_hdr(m);

	OPENSSL_cleanse(nlmsg_data(h), nlmsg_datalen(h));
}

int evpn_nl_key_new(struct evpn_genl *g, const struct evpn_nl_dev *dev,
		    const struct evpn_nl_key *k)
{
	struct nl_msg *m = evpn_nl_dev_msg(g, EVPN_CMD_KEY_NEW, 0, dev);
	int ret;

	if (!m)
		return -ENOMEM;
	if (put_key(m, k)) {
		wipe_msg(m);	/* a part of the keys may be in */
		nlmsg_free(m);
		return -EMSGSIZE;
	}
	/* the request carries key bytes: hold a reference so it can be
	 * wiped after the transaction (which drops its own) */
	nlmsg_get(m);
	ret = evpn_genl_transact(g, m, NULL, NULL);
	wipe_msg(m);
	nlmsg_free(m);
	return ret;
}

struct nl_msg *evpn_nl_key_msg(struct evpn_genl *g, uint8_t cmd,
			       const struct evpn_nl_dev *dev,
			       const uint8_t peer[EVPN_NODE_ID_LEN],
			       uint32_t slot)
{
	struct nl_msg *m = evpn_nl_dev_msg(g, cmd, 0, dev);
	struct nlattr *n = m ? nla_nest_start(m, EVPN_A_KEY) : NULL;

	if (!n || nla_put(m, EVPN_KEY_A_PEER_ID, EVPN_NODE_ID_LEN, peer) ||
	    (cmd == EVPN_CMD_KEY_DEL && nla_put_u32(m, EVPN_KEY_A_SLOT, slot))) {
		nlmsg_free(m);
		return NULL;
	}
	nla_nest_end(m, n);
	return m;
}

static int put_e2e(struct nl_msg *m, const struct evpn_nl_e2e *k)
{
	struct nlattr *n = nla_nest_start(m, EVPN_A_E2E);

	if (!n || nla_put(m, EVPN_E2E_A_PEER_ID, EVPN_NODE_ID_LEN, k->peer) ||
	    nla_put(m, EVPN_E2E_A_TX_KEY, EVPN_KEY_LEN, k->tx.key) ||
	    nla_put(m, EVPN_E2E_A_TX_IV, EVPN_IV_LEN, k->tx.iv) ||
	    nla_put(m, EVPN_E2E_A_RX_KEY, EVPN_KEY_LEN, k->rx.key) ||
	    nla_put(m, EVPN_E2E_A_RX_IV, EVPN_IV_LEN, k->rx.iv) ||
	    nla_put_u64(m, EVPN_E2E_A_TX_COUNTER, k->tx_counter))
		return -1;
	nla_nest_end(m, n);
	return 0;
}

int evpn_nl_e2e_set(struct evpn_genl *g, const struct evpn_nl_dev *dev,
		    const struct evpn_nl_e2e *k)
{
	struct nl_msg *m = evpn_nl_dev_msg(g, EVPN_CMD_E2E_SET, 0, dev);
	int ret;

	if (!m)
		return -ENOMEM;
	if (put_e2e(m, k)) {
		wipe_msg(m);
		nlmsg_free(m);
		return -EMSGSIZE;
	}
	nlmsg_get(m);	/* wiped after the transaction, as KEY_NEW's */
	ret = evpn_genl_transact(g, m, NULL, NULL);
	wipe_msg(m);
	nlmsg_free(m);
	return ret;
}

struct nl_msg *evpn_nl_e2e_del_msg(struct evpn_genl *g,
				   const struct evpn_nl_dev *dev,
				   const uint8_t *peer)
{
	struct nl_msg *m = evpn_nl_dev_msg(g, EVPN_CMD_E2E_DEL, 0, dev);
	struct nlattr *n;

	if (!m || !peer)
		return m;
	n = nla_nest_start(m, EVPN_A_E2E);
	if (!n || nla_put(m, EVPN_E2E_A_PEER_ID, EVPN_NODE_ID_LEN, peer)) {
		nlmsg_free(m);
		return NULL;
	}
	nla_nest_end(m, n);
	return m;
}

struct nl_msg *evpn_nl_fdb_msg(struct evpn_genl *g, uint8_t cmd,
			       const struct evpn_nl_dev *dev,
			       const uint8_t mac[6],
			       const uint8_t *node)
{
	struct nl_msg *m = evpn_nl_dev_msg(g, cmd, 0, dev);
	struct nlattr *n = m ? nla_nest_start(m, EVPN_A_FDB) : NULL;

	if (!n || nla_put(m, EVPN_FDB_A_MAC, 6, mac) ||
	    (node && nla_put(m, EVPN_FDB_A_NODE_ID, EVPN_NODE_ID_LEN, node))) {
		nlmsg_free(m);
		return NULL;
	}
	nla_nest_end(m, n);
	return m;
}

int evpn_nl_dump(struct evpn_genl *g, uint8_t cmd,
		 const struct evpn_nl_dev *dev,
		 int (*cb)(struct nl_msg *, void *), void *arg)
{
	struct nl_msg *m;
	int tries, ret = -EAGAIN;

	for (tries = 0; tries < 5 && ret == -EAGAIN; tries++) {
		m = evpn_nl_dev_msg(g, cmd, NLM_F_DUMP, dev);
		if (!m)
			return -ENOMEM;
		ret = evpn_genl_transact(g, m, cb, arg);
	}
	return ret;
}

/* ---- replies and events ---- */

static uint64_t get_u64(struct nlattr *a)
{
	return a ? nla_get_u64(a) : 0;
}

static uint32_t get_u32(struct nlattr *a)
{
	return a ? nla_get_u32(a) : 0;
}

/* A drops nest: attribute type is reason + 1. Reasons newer than this
 * build are ignored, not misfiled. */
static void parse_drops(struct nlattr *nest, evpn_nl_drops drops)
{
	struct nlattr *a;
	int rem;

	if (!nest)
		return;
	nla_for_each_nested(a, nest, rem) {
		int r = nla_type(a) - 1;

		if (r > 0 && r < __EVPN_DROP_MAX &&
		    nla_len(a) == sizeof(uint64_t))
			drops[r] = nla_get_u64(a);
	}
}

/* IPV4 / IPV6 plus PORT attributes of one set into @ss. */
static void parse_addr(struct nlattr **tb, int a4, int a6, int ap,
		       struct sockaddr_storage *ss)
{
	uint16_t port = htons(tb[ap] ? nla_get_u16(tb[ap]) : 0);

	memset(ss, 0, sizeof(*ss));
	if (tb[a4]) {
		struct sockaddr_in *s = (struct sockaddr_in *)ss;

		s->sin_family = AF_INET;
		memcpy(&s->sin_addr, nla_data(tb[a4]), 4);
		s->sin_port = port;
	} else if (tb[a6]) {
		struct sockaddr_in6 *s = (struct sockaddr_in6 *)ss;

		s->sin6_family = AF_INET6;
		memcpy(&s->sin6_addr, nla_data(tb[a6]), 16);
		s->sin6_port = port;
	}
}

static int parse_top(struct nl_msg *msg, struct nlattr **tb)
{
	return genlmsg_parse(nlmsg_hdr(msg), 0, tb, EVPN_A_MAX,
			     evpn_nl_policy) ?
	       -EBADMSG : 0;
}

int evpn_nl_parse_dev(struct nl_msg *msg, struct evpn_nl_dev_info *d)
{
	struct nlattr *tb[EVPN_A_MAX + 1];

	memset(d, 0, sizeof(*d));
	if (parse_top(msg, tb) || !tb[EVPN_A_IFINDEX] || !tb[EVPN_A_IFNAME])
		return -EBADMSG;
	d->ifindex = nla_get_u32(tb[EVPN_A_IFINDEX]);
	snprintf(d->ifname, sizeof(d->ifname), "%s",
		 nla_get_string(tb[EVPN_A_IFNAME]));
	if (tb[EVPN_A_NODE_ID]) {
		static const uint8_t zero[EVPN_NODE_ID_LEN];

		memcpy(d->node_id, nla_data(tb[EVPN_A_NODE_ID]),
		       EVPN_NODE_ID_LEN);
		d->has_node_id = memcmp(d->node_id, zero, sizeof(zero)) != 0;
	}
	d->mtu = get_u32(tb[EVPN_A_MTU]);
	d->rx_packets = get_u64(tb[EVPN_A_RX_PACKETS]);
	d->rx_bytes = get_u64(tb[EVPN_A_RX_BYTES]);
	d->tx_packets = get_u64(tb[EVPN_A_TX_PACKETS]);
	d->tx_bytes = get_u64(tb[EVPN_A_TX_BYTES]);
	d->fwd_packets = get_u64(tb[EVPN_A_FWD_PACKETS]);
	d->fdb_refused_full = get_u64(tb[EVPN_A_FDB_REFUSED_FULL]);
	d->fdb_refused_quota = get_u64(tb[EVPN_A_FDB_REFUSED_QUOTA]);
	parse_drops(tb[EVPN_A_DEV_DROPS], d->drops);
	return 0;
}

/* One EVPN_LINK_A_KEY nest into its slot of @l. */
static void parse_key(struct nlattr *nest, struct evpn_nl_link_info *l)
{
	struct nlattr *kt[EVPN_KEY_A_MAX + 1];
	struct evpn_nl_key_info *ki;
	uint32_t slot;

	if (nla_parse_nested(kt, EVPN_KEY_A_MAX, nest,
			     evpn_nl_key_policy) ||
	    !kt[EVPN_KEY_A_SLOT])
		return;
	slot = nla_get_u32(kt[EVPN_KEY_A_SLOT]);
	if (slot >= 2)
		return;
	ki = &l->key[slot];
	ki->valid = true;
	ki->slot = slot;
	ki->suite = get_u32(kt[EVPN_KEY_A_SUITE]);
	ki->tx_key_id = get_u32(kt[EVPN_KEY_A_TX_KEY_ID]);
	ki->rx_key_id = get_u32(kt[EVPN_KEY_A_RX_KEY_ID]);
	ki->age = get_u32(kt[EVPN_KEY_A_AGE]);
	ki->tx_counter = get_u64(kt[EVPN_KEY_A_TX_COUNTER]);
	ki->rx_packets = get_u64(kt[EVPN_KEY_A_RX_PACKETS]);
}

int evpn_nl_parse_link(struct nl_msg *msg, struct evpn_nl_link_info *l)
{
	struct nlattr *tb[EVPN_A_MAX + 1], *lt[EVPN_LINK_A_MAX + 1], *a;
	int rem;

	memset(l, 0, sizeof(*l));
	l->n_nbrs = -1;
	if (parse_top(msg, tb) || !tb[EVPN_A_LINK] ||
	    nla_parse_nested(lt, EVPN_LINK_A_MAX, tb[EVPN_A_LINK],
			     evpn_nl_link_policy) ||
	    !lt[EVPN_LINK_A_PEER_ID])
		return -EBADMSG;
	memcpy(l->peer, nla_data(lt[EVPN_LINK_A_PEER_ID]), EVPN_NODE_ID_LEN);
	parse_addr(lt, EVPN_LINK_A_LOCAL_IPV4, EVPN_LINK_A_LOCAL_IPV6,
		   EVPN_LINK_A_LOCAL_PORT, &l->local);
	parse_addr(lt, EVPN_LINK_A_REMOTE_IPV4, EVPN_LINK_A_REMOTE_IPV6,
		   EVPN_LINK_A_REMOTE_PORT, &l->remote);
	l->rx_packets = get_u64(lt[EVPN_LINK_A_RX_PACKETS]);
	l->rx_bytes = get_u64(lt[EVPN_LINK_A_RX_BYTES]);
	l->tx_packets = get_u64(lt[EVPN_LINK_A_TX_PACKETS]);
	l->tx_bytes = get_u64(lt[EVPN_LINK_A_TX_BYTES]);
	parse_drops(lt[EVPN_LINK_A_DROPS], l->drops);
	parse_addr(lt, EVPN_LINK_A_TURN_PEER_IPV4, EVPN_LINK_A_TURN_PEER_IPV6,
		   EVPN_LINK_A_TURN_PEER_PORT, &l->turn_peer);
	if (lt[EVPN_LINK_A_TURN_CHANNEL])
		l->turn_channel = nla_get_u16(lt[EVPN_LINK_A_TURN_CHANNEL]);
	if (lt[EVPN_LINK_A_RECORD_MAX])
		l->record_max = nla_get_u32(lt[EVPN_LINK_A_RECORD_MAX]);
	if (lt[EVPN_LINK_A_NBRS]) {
		l->n_nbrs = nla_len(lt[EVPN_LINK_A_NBRS]) / EVPN_NODE_ID_LEN;
		memcpy(l->nbrs, nla_data(lt[EVPN_LINK_A_NBRS]),
		       l->n_nbrs * EVPN_NODE_ID_LEN);
	}
	/* KEY is repeated (one per slot): nla_parse kept only the last */
	nla_for_each_nested(a, tb[EVPN_A_LINK], rem)
		if (nla_type(a) == EVPN_LINK_A_KEY)
			parse_key(a, l);
	return 0;
}

int evpn_nl_parse_fdb(struct nl_msg *msg, struct evpn_nl_fdb_info *f)
{
	struct nlattr *tb[EVPN_A_MAX + 1], *ft[EVPN_FDB_A_MAX + 1];

	memset(f, 0, sizeof(*f));
	if (parse_top(msg, tb) || !tb[EVPN_A_FDB] ||
	    nla_parse_nested(ft, EVPN_FDB_A_MAX, tb[EVPN_A_FDB],
			     evpn_nl_fdb_policy) ||
	    !ft[EVPN_FDB_A_MAC] || !ft[EVPN_FDB_A_NODE_ID] ||
	    nla_len(ft[EVPN_FDB_A_MAC]) != 6)
		return -EBADMSG;
	memcpy(f->mac, nla_data(ft[EVPN_FDB_A_MAC]), 6);
	memcpy(f->node_id, nla_data(ft[EVPN_FDB_A_NODE_ID]), EVPN_NODE_ID_LEN);
	f->is_static = ft[EVPN_FDB_A_STATIC] != NULL;
	f->age = get_u32(ft[EVPN_FDB_A_AGE]);
	return 0;
}

int evpn_nl_parse_event(struct nl_msg *msg, struct evpn_nl_event *ev)
{
	struct nlattr *tb[EVPN_A_MAX + 1], *et[EVPN_EVENT_A_MAX + 1];
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));

	memset(ev, 0, sizeof(*ev));
	if (gh->cmd != EVPN_CMD_EVENT || parse_top(msg, tb) ||
	    !tb[EVPN_A_EVENT] ||
	    nla_parse_nested(et, EVPN_EVENT_A_MAX, tb[EVPN_A_EVENT],
			     evpn_nl_event_policy) ||
	    !et[EVPN_EVENT_A_TYPE])
		return -EBADMSG;
	ev->type = nla_get_u32(et[EVPN_EVENT_A_TYPE]);
	ev->ifindex = get_u32(tb[EVPN_A_IFINDEX]);
	if (tb[EVPN_A_IFNAME])
		snprintf(ev->ifname, sizeof(ev->ifname), "%s",
			 nla_get_string(tb[EVPN_A_IFNAME]));
	ev->has_peer = et[EVPN_EVENT_A_PEER_ID] != NULL;
	if (ev->has_peer)
		memcpy(ev->peer, nla_data(et[EVPN_EVENT_A_PEER_ID]),
		       EVPN_NODE_ID_LEN);
	ev->has_key_id = et[EVPN_EVENT_A_KEY_ID] != NULL;
	ev->key_id = get_u32(et[EVPN_EVENT_A_KEY_ID]);
	ev->has_errno = et[EVPN_EVENT_A_ERRNO] != NULL;
	ev->err = get_u32(et[EVPN_EVENT_A_ERRNO]);
	parse_addr(et, EVPN_EVENT_A_REMOTE_IPV4, EVPN_EVENT_A_REMOTE_IPV6,
		   EVPN_EVENT_A_REMOTE_PORT, &ev->remote);
	return 0;
}
