// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Static links: one UDP socket, links and keys from configuration.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <openssl/crypto.h>
#include <glib.h>
#include "fmt.h"
#include "noncefloor.h"
#include "static.h"
#include "statickeys.h"

static int static_fd = -1;
static int static_family;

static int open_socket(const struct evpnd_config *cfg)
{
	struct sockaddr_storage ss;
	socklen_t len = cfg->listen_len;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	char a[INET6_ADDRSTRLEN + 16];
	int fd;

	if (len) {
		ss = cfg->listen;
	} else {
		memset(&ss, 0, sizeof(ss));
		s4->sin_family = AF_INET;
		s4->sin_port = htons(EVPND_DEFAULT_PORT);
		len = sizeof(*s4);
	}
	fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    0);
	if (fd < 0)
		goto err;
	if (ss.ss_family == AF_INET6) {
		int off = 0;

		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
	}
	if (bind(fd, (struct sockaddr *)&ss, len) < 0) {
		close(fd);
		goto err;
	}
	static_family = ss.ss_family;
	return fd;
err:
	g_critical("static socket %s: %s",
		   evpn_sockaddr_str((struct sockaddr *)&ss, a, sizeof(a)),
		   strerror(errno));
	return -1;
}

/* An IPv4 endpoint on a dual-stack IPv6 socket becomes ::ffff:a.b.c.d. */
static int endpoint_for_socket(const struct cfg_link *l,
			       struct sockaddr_storage *out, socklen_t *len)
{
	const struct sockaddr_in *s4 = (const void *)&l->endpoint;
	struct sockaddr_in6 *s6 = (void *)out;

	if (l->endpoint.ss_family == static_family) {
		*out = l->endpoint;
		*len = l->endpoint_len;
		return 0;
	}
	if (static_family != AF_INET6)
		return -1;
	memset(s6, 0, sizeof(*s6));
	s6->sin6_family = AF_INET6;
	s6->sin6_port = s4->sin_port;
	s6->sin6_addr.s6_addr[10] = 0xff;
	s6->sin6_addr.s6_addr[11] = 0xff;
	memcpy(&s6->sin6_addr.s6_addr[12], &s4->sin_addr, 4);
	*len = sizeof(*s6);
	return 0;
}

/* The psk's keys as datapath.h takes them (lib/statickeys.h). */
static int derive(const struct cfg_link *l, const struct evpn_id *self,
		  struct dp_key_dir *tx, struct dp_key_dir *rx)
{
	struct evpn_static_keys sk;

	if (evpn_static_keys_derive(l->psk, sizeof(l->psk), self, &l->peer,
				    &sk))
		return -1;
	memcpy(tx->key, sk.tx.key, EVPN_KEY_LEN);
	memcpy(tx->iv, sk.tx.iv, EVPN_IV_LEN);
	tx->key_id = sk.tx_key_id;
	memcpy(rx->key, sk.rx.key, EVPN_KEY_LEN);
	memcpy(rx->iv, sk.rx.iv, EVPN_IV_LEN);
	rx->key_id = sk.rx_key_id;
	OPENSSL_cleanse(&sk, sizeof(sk));
	return 0;
}

int static_link_install(struct dp *dp, const struct cfg_link *l, char *err,
			size_t errlen)
{
	struct dp_transport t = { .fd = static_fd };
	struct dp_key_dir tx, rx;
	struct dp_link *link;
	int ret;

	if (static_fd < 0) {
		snprintf(err, errlen, "static links are off (no [static] "
			 "section in the configuration)");
		return -1;
	}
	if (dp_link_find(dp, l->name)) {
		snprintf(err, errlen, "link '%s' exists", l->name);
		return -1;
	}
	if (endpoint_for_socket(l, &t.addr, &t.addrlen)) {
		snprintf(err, errlen, "link '%s': endpoint family differs "
			 "from the static listen address", l->name);
		return -1;
	}
	if (derive(l, dp_node_id(dp), &tx, &rx)) {
		snprintf(err, errlen, "link '%s': cannot derive keys (peer "
			 "is this node?)", l->name);
		return -1;
	}
	if (l->tx_key_id) {
		tx.key_id = l->tx_key_id;
		rx.key_id = l->rx_key_id;
	}
	link = dp_link_add(dp, &l->peer, l->name, &t);
	if (!link) {
		snprintf(err, errlen, "link '%s': cannot add", l->name);
		ret = -1;
		goto out;
	}
	dp_link_set_static(link, true);
	ret = dp_link_set_keys(link, DP_SLOT_CURRENT, l->suite, &tx, &rx);
	if (ret) {
		snprintf(err, errlen, "link '%s': cannot install keys: %s",
			 l->name, ret == -EEXIST ?
			 "receive key ID already in use (set rx-key-id)" :
			 ret == -EIO ? "cannot persist the nonce floor" :
			 strerror(-ret));
		dp_link_del(dp, link);
		ret = -1;
	}
out:
	OPENSSL_cleanse(&tx, sizeof(tx));
	OPENSSL_cleanse(&rx, sizeof(rx));
	return ret;
}

int static_link_remove(struct dp *dp, const char *name, char *err,
		       size_t errlen)
{
	struct dp_link *l = dp_link_find(dp, name);

	if (!l) {
		snprintf(err, errlen, "no link '%s'", name);
		return -1;
	}
	dp_link_del(dp, l);
	return 0;
}

int static_start(struct dp *dp, const struct evpnd_config *cfg, bool always)
{
	const struct cfg_link *l;
	char err[256];

	if (!cfg->links && !cfg->static_section && !always)
		return 0;
	if (nonce_floor_open(cfg->state_dir)) {
		fprintf(stderr, "evpnd: static links need a readable %s/%s "
			"(noncefloor.h)\n", cfg->state_dir, NONCE_FLOOR_FILE);
		return -1;
	}
	static_fd = open_socket(cfg);
	if (static_fd < 0)
		return -1;
	if (dp_socket_add(dp, static_fd)) {
		close(static_fd);
		static_fd = -1;
		return -1;
	}
	for (l = cfg->links; l; l = l->next)
		if (static_link_install(dp, l, err, sizeof(err))) {
			g_warning("%s:%d: %s", l->file, l->line, err);
			return -1;
		}
	return 0;
}

void static_stop(struct dp *dp)
{
	nonce_floor_close();
	if (static_fd < 0)
		return;
	dp_socket_del(dp, static_fd);
	close(static_fd);
	static_fd = -1;
}
