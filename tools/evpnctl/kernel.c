// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * evpnctl's kernel-datapath configuration: links, keys, FDB and events of
 * evpn.ko devices over generic netlink (docs/netlink.md).
 *
 *   evpnctl link add DEV peer ID (local IP:PORT | sock-fd N) remote IP:PORT
 *   evpnctl link set DEV peer ID remote IP:PORT
 *   evpnctl link del DEV peer ID
 *   evpnctl link show DEV
 *   evpnctl key add DEV peer ID [slot current|next] [suite aes-gcm|chacha]
 *               (psk HEX64 | tx-id N rx-id N (keymat HEX176 | tx-key HEX64
 *               tx-iv HEX24 rx-key HEX64 rx-iv HEX24)) [static]
 *   evpnctl key swap DEV peer ID
 *   evpnctl key del DEV peer ID slot current|next
 *   evpnctl fdb show DEV | fdb add DEV MAC node ID | fdb del DEV MAC
 *   evpnctl events
 *
 * `local IP:PORT` is the test/diagnostic mode: evpnctl creates and binds a
 * UDP socket itself, hands its fd to the kernel (which keeps its own
 * reference) and exits. evpnd instead hands over the ICE-selected
 * socket's fd (`sock-fd` does the same from a shell that holds one).
 * `psk` derives keys and key IDs as evpnd's static links do (and implies
 * `static`: no key limits, counter from the wall clock).
 * `keymat` is the 88-byte keying material both ends share; each end's
 * transmit and receive keys are split from it by node ID order
 * (core/keys.h), so the two ends of a link take the same string.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <net/if.h>
#include <netlink/genl/ctrl.h>

#include "evpnctl.h"
#include "genl.h"
#include "id.h"
#include "keys.h"
#include "names.h"
#include "config.h"	/* EVPN_PSK_LEN */
#include "statickeys.h"

struct sockaddr_any {
	union {
		struct sockaddr sa;
		struct sockaddr_in in4;
		struct sockaddr_in6 in6;
	};
	socklen_t len;
};

static int hex_decode(const char *s, uint8_t *out, size_t n)
{
	size_t i;

	if (strlen(s) != 2 * n)
		return -1;
	for (i = 0; i < n; i++) {
		unsigned int v;

		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (uint8_t)v;
	}
	return 0;
}

/* "IPv4:PORT" or "[IPv6]:PORT". */
static int parse_addr(const char *s, struct sockaddr_any *a)
{
	char host[INET6_ADDRSTRLEN + 2];
	const char *colon = strrchr(s, ':');
	unsigned long port;
	char *end;
	size_t hl;

	memset(a, 0, sizeof(*a));
	if (!colon)
		return -1;
	port = strtoul(colon + 1, &end, 10);
	if (*end || colon[1] == '\0' || port > 65535)
		return -1;
	hl = (size_t)(colon - s);
	if (hl >= sizeof(host))
		return -1;
	memcpy(host, s, hl);
	host[hl] = '\0';
	if (host[0] == '[' && hl > 2 && host[hl - 1] == ']') {
		host[hl - 1] = '\0';
		a->in6.sin6_family = AF_INET6;
		a->in6.sin6_port = htons((uint16_t)port);
		a->len = sizeof(a->in6);
		return inet_pton(AF_INET6, host + 1, &a->in6.sin6_addr) == 1 ? 0 : -1;
	}
	a->in4.sin_family = AF_INET;
	a->in4.sin_port = htons((uint16_t)port);
	a->len = sizeof(a->in4);
	return inet_pton(AF_INET, host, &a->in4.sin_addr) == 1 ? 0 : -1;
}

static int parse_id(const char *s, uint8_t out[EVPN_NODE_ID_LEN])
{
	struct evpn_id id;

	if (evpn_id_from_hex(&id, s) || evpn_id_is_zero(&id)) {
		fprintf(stderr, "evpnctl: node ID must be %d hex digits, not zero: %s\n",
			EVPN_ID_HEXLEN, s);
		return -1;
	}
	evpn_id_to_bytes(&id, out);
	return 0;
}

/* Send one request; print the kernel's error. Returns the exit status. */
static int request(struct evpn_genl *g, struct nl_msg *msg, const char *what,
		   int (*cb)(struct nl_msg *, void *), void *arg)
{
	int ret;

	if (!msg) {
		fprintf(stderr, "evpnctl: out of memory\n");
		return 1;
	}
	ret = evpn_genl_transact(g, msg, cb, arg);
	if (ret) {
		evpn_genl_perror(g, what, ret);
		return 1;
	}
	return 0;
}

static struct nl_msg *dev_msg(struct evpn_genl *g, uint8_t cmd, int flags,
			      const char *dev)
{
	struct nl_msg *msg = evpn_genl_msg(g, cmd, flags);

	if (msg && nla_put_string(msg, EVPN_A_IFNAME, dev)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static int put_endpoint(struct nl_msg *msg, const struct sockaddr_any *a)
{
	if (a->sa.sa_family == AF_INET)
		return nla_put(msg, EVPN_LINK_A_REMOTE_IPV4, 4, &a->in4.sin_addr) ||
		       nla_put_u16(msg, EVPN_LINK_A_REMOTE_PORT, ntohs(a->in4.sin_port));
	return nla_put(msg, EVPN_LINK_A_REMOTE_IPV6, 16, &a->in6.sin6_addr) ||
	       nla_put_u16(msg, EVPN_LINK_A_REMOTE_PORT, ntohs(a->in6.sin6_port));
}

static int bind_local(const char *spec)
{
	struct sockaddr_any a;
	int fd;

	if (parse_addr(spec, &a)) {
		fprintf(stderr, "evpnctl: bad address (IP:PORT or [IPv6]:PORT): %s\n", spec);
		return -1;
	}
	fd = socket(a.sa.sa_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, &a.sa, a.len)) {
		fprintf(stderr, "evpnctl: bind %s: %s\n", spec, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* ---- link ---- */

static int link_modify(struct evpn_genl *g, int cmd, int argc, char **argv)
{
	const char *dev = argv[0], *peer = NULL, *remote = NULL, *local = NULL;
	int fd = -1, own_fd = 0, i, ret;
	uint8_t pid[EVPN_NODE_ID_LEN];
	struct sockaddr_any ra;
	struct nlattr *nest;
	struct nl_msg *msg;

	for (i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "peer"))
			peer = argv[i + 1];
		else if (!strcmp(argv[i], "remote"))
			remote = argv[i + 1];
		else if (!strcmp(argv[i], "local"))
			local = argv[i + 1];
		else if (!strcmp(argv[i], "sock-fd"))
			fd = atoi(argv[i + 1]);
		else
			break;
	}
	if (i != argc || !peer || (cmd != EVPN_CMD_LINK_DEL && !remote) ||
	    (cmd == EVPN_CMD_LINK_NEW && !local == (fd < 0))) {
		fprintf(stderr, "usage: evpnctl link add DEV peer ID (local IP:PORT | sock-fd N) remote IP:PORT\n"
			"       evpnctl link set DEV peer ID remote IP:PORT\n"
			"       evpnctl link del DEV peer ID\n");
		return 1;
	}
	if (parse_id(peer, pid))
		return 1;
	if (remote && parse_addr(remote, &ra)) {
		fprintf(stderr, "evpnctl: bad address (IP:PORT or [IPv6]:PORT): %s\n", remote);
		return 1;
	}
	if (cmd == EVPN_CMD_LINK_NEW && local) {
		fd = bind_local(local);
		if (fd < 0)
			return 1;
		own_fd = 1;
	}
	msg = dev_msg(g, (uint8_t)cmd, 0, dev);
	nest = msg ? nla_nest_start(msg, EVPN_A_LINK) : NULL;
	if (!nest || nla_put(msg, EVPN_LINK_A_PEER_ID, sizeof(pid), pid) ||
	    (fd >= 0 && nla_put_u32(msg, EVPN_LINK_A_SOCK_FD, (uint32_t)fd)) ||
	    (remote && put_endpoint(msg, &ra))) {
		nlmsg_free(msg);
		msg = NULL;
	} else {
		nla_nest_end(msg, nest);
	}
	ret = request(g, msg, cmd == EVPN_CMD_LINK_NEW ? "link add" :
			      cmd == EVPN_CMD_LINK_SET ? "link set" : "link del",
		      NULL, NULL);
	/* The kernel holds its own reference to the socket now. */
	if (own_fd)
		close(fd);
	return ret;
}

static void print_addr(struct nlattr **tb, int a4, int a6, int ap)
{
	char buf[INET6_ADDRSTRLEN];

	if (tb[a4])
		printf("%s", inet_ntop(AF_INET, nla_data(tb[a4]), buf, sizeof(buf)));
	else if (tb[a6])
		printf("[%s]", inet_ntop(AF_INET6, nla_data(tb[a6]), buf, sizeof(buf)));
	else
		printf("?");
	printf(":%u", tb[ap] ? nla_get_u16(tb[ap]) : 0);
}

static const char *suite_name(uint32_t s)
{
	return s == EVPN_SUITE_AES256GCM ? "aes-gcm" :
	       s == EVPN_SUITE_CHACHA20POLY1305 ? "chacha" : "?";
}

static void print_key(struct nlattr *a)
{
	struct nlattr *tb[EVPN_KEY_A_MAX + 1];

	if (nla_parse_nested(tb, EVPN_KEY_A_MAX, a, NULL))
		return;
#define U32(x) (tb[x] ? nla_get_u32(tb[x]) : 0)
#define U64(x) (tb[x] ? (uint64_t)nla_get_u64(tb[x]) : 0)
	printf("    key slot %s: suite %s tx-id %u rx-id %u tx-counter %" PRIu64
	       " rx-packets %" PRIu64 " age %us\n",
	       U32(EVPN_KEY_A_SLOT) ? "next" : "current",
	       suite_name(U32(EVPN_KEY_A_SUITE)), U32(EVPN_KEY_A_TX_KEY_ID),
	       U32(EVPN_KEY_A_RX_KEY_ID), U64(EVPN_KEY_A_TX_COUNTER),
	       U64(EVPN_KEY_A_RX_PACKETS), U32(EVPN_KEY_A_AGE));
}

/* The peer's own link list (1-lookahead routing), as evpnd set it. */
static void print_nbrs(struct nlattr *a)
{
	char hex[EVPN_ID_HEXLEN + 1];
	struct evpn_id id;
	int i, n = nla_len(a) / EVPN_ID_LEN;

	printf("  peer links (%d):", n);
	for (i = 0; i < n; i++) {
		evpn_id_from_bytes(&id, (uint8_t *)nla_data(a) + i * EVPN_ID_LEN);
		evpn_id_to_hex(&id, hex);
		printf(" %s", hex);
	}
	printf("\n");
}

static int link_show_cb(struct nl_msg *nm, void *arg)
{
	struct nlattr *top[EVPN_A_MAX + 1], *tb[EVPN_LINK_A_MAX + 1], *a;
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(nm));
	char hex[EVPN_ID_HEXLEN + 1];
	struct evpn_id id;
	int rem;

	if (nla_parse(top, EVPN_A_MAX, genlmsg_attrdata(gh, 0),
		      genlmsg_attrlen(gh, 0), NULL) || !top[EVPN_A_LINK] ||
	    nla_parse_nested(tb, EVPN_LINK_A_MAX, top[EVPN_A_LINK], NULL) ||
	    !tb[EVPN_LINK_A_PEER_ID] || nla_len(tb[EVPN_LINK_A_PEER_ID]) != EVPN_ID_LEN)
		return NL_SKIP;
	evpn_id_from_bytes(&id, nla_data(tb[EVPN_LINK_A_PEER_ID]));
	evpn_id_to_hex(&id, hex);
	printf("link %s\n  local ", hex);
	print_addr(tb, EVPN_LINK_A_LOCAL_IPV4, EVPN_LINK_A_LOCAL_IPV6, EVPN_LINK_A_LOCAL_PORT);
	printf(" remote ");
	print_addr(tb, EVPN_LINK_A_REMOTE_IPV4, EVPN_LINK_A_REMOTE_IPV6, EVPN_LINK_A_REMOTE_PORT);
	printf("\n  rx %" PRIu64 " packets %" PRIu64 " bytes, tx %" PRIu64
	       " packets %" PRIu64 " bytes\n",
	       U64(EVPN_LINK_A_RX_PACKETS), U64(EVPN_LINK_A_RX_BYTES),
	       U64(EVPN_LINK_A_TX_PACKETS), U64(EVPN_LINK_A_TX_BYTES));
	if (tb[EVPN_LINK_A_DROPS]) {
		nla_for_each_nested(a, tb[EVPN_LINK_A_DROPS], rem) {
			if (nla_len(a) == 8 && nla_get_u64(a))
				printf("  drop %s: %" PRIu64 "\n",
				       evpn_drop_reason_name((unsigned int)nla_type(a) - 1),
				       (uint64_t)nla_get_u64(a));
		}
	}
	if (tb[EVPN_LINK_A_NBRS])
		print_nbrs(tb[EVPN_LINK_A_NBRS]);
	nla_for_each_attr(a, nla_data(top[EVPN_A_LINK]), nla_len(top[EVPN_A_LINK]), rem)
		if (nla_type(a) == EVPN_LINK_A_KEY)
			print_key(a);
	return NL_OK;
}

static int dump_retry(struct evpn_genl *g, uint8_t cmd, const char *dev,
		      const char *what, int (*cb)(struct nl_msg *, void *))
{
	int tries, ret = -EAGAIN;

	for (tries = 0; tries < 5 && ret == -EAGAIN; tries++)
		ret = evpn_genl_transact(g, dev_msg(g, cmd, NLM_F_DUMP, dev), cb, NULL);
	if (ret) {
		evpn_genl_perror(g, what, ret);
		return 1;
	}
	return 0;
}

int cmd_kernel_link(int argc, char **argv)
{
	struct evpn_genl g;
	int ret;

	if (argc < 2) {
		fprintf(stderr, "usage: evpnctl link add|set|del|show DEV ...\n");
		return 1;
	}
	ret = evpn_genl_open(&g);
	if (ret) {
		evpn_genl_perror(&g, "evpn family", ret);
		return 1;
	}
	if (!strcmp(argv[0], "add"))
		ret = link_modify(&g, EVPN_CMD_LINK_NEW, argc - 1, argv + 1);
	else if (!strcmp(argv[0], "set"))
		ret = link_modify(&g, EVPN_CMD_LINK_SET, argc - 1, argv + 1);
	else if (!strcmp(argv[0], "del"))
		ret = link_modify(&g, EVPN_CMD_LINK_DEL, argc - 1, argv + 1);
	else if (!strcmp(argv[0], "show") && argc == 2)
		ret = dump_retry(&g, EVPN_CMD_LINK_GET, argv[1], "link show", link_show_cb);
	else {
		fprintf(stderr, "evpnctl: unknown link command '%s'\n", argv[0]);
		ret = 1;
	}
	evpn_genl_close(&g);
	return ret;
}

/* ---- key ---- */

static int dev_id_cb(struct nl_msg *nm, void *arg)
{
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(nm));
	struct nlattr *top[EVPN_A_MAX + 1];

	if (!nla_parse(top, EVPN_A_MAX, genlmsg_attrdata(gh, 0),
		       genlmsg_attrlen(gh, 0), NULL) && top[EVPN_A_NODE_ID] &&
	    nla_len(top[EVPN_A_NODE_ID]) == EVPN_ID_LEN)
		evpn_id_from_bytes(arg, nla_data(top[EVPN_A_NODE_ID]));
	return NL_OK;
}

struct key_args {
	const char *dev, *peer, *keymat, *psk, *txk, *txiv, *rxk, *rxiv;
	uint32_t slot, suite, tx_id, rx_id;
	bool is_static;
};

static int key_parse(int argc, char **argv, struct key_args *k)
{
	int i;

	memset(k, 0, sizeof(*k));
	k->dev = argv[0];
	k->suite = EVPN_SUITE_AES256GCM;
	for (i = 1; i < argc; i += 2) {
		const char *v = argv[i + 1];

		if (!strcmp(argv[i], "static")) {
			k->is_static = true;
			i--;
			continue;
		}
		if (!v)
			return -1;
		if (!strcmp(argv[i], "peer"))
			k->peer = v;
		else if (!strcmp(argv[i], "slot") && (!strcmp(v, "current") || !strcmp(v, "next")))
			k->slot = !strcmp(v, "next");
		else if (!strcmp(argv[i], "suite") && !strcmp(v, "aes-gcm"))
			k->suite = EVPN_SUITE_AES256GCM;
		else if (!strcmp(argv[i], "suite") && !strcmp(v, "chacha"))
			k->suite = EVPN_SUITE_CHACHA20POLY1305;
		else if (!strcmp(argv[i], "tx-id"))
			k->tx_id = (uint32_t)strtoul(v, NULL, 0);
		else if (!strcmp(argv[i], "rx-id"))
			k->rx_id = (uint32_t)strtoul(v, NULL, 0);
		else if (!strcmp(argv[i], "keymat"))
			k->keymat = v;
		else if (!strcmp(argv[i], "psk"))
			k->psk = v;
		else if (!strcmp(argv[i], "tx-key"))
			k->txk = v;
		else if (!strcmp(argv[i], "tx-iv"))
			k->txiv = v;
		else if (!strcmp(argv[i], "rx-key"))
			k->rxk = v;
		else if (!strcmp(argv[i], "rx-iv"))
			k->rxiv = v;
		else
			return -1;
	}
	if (k->psk)
		k->is_static = true;
	return i == argc && k->peer ? 0 : -1;
}

/* The two directions' keys: from keymat (split by node ID order) or given. */
static int key_material(struct evpn_genl *g, const struct key_args *k,
			const uint8_t pid[EVPN_NODE_ID_LEN],
			struct evpn_dir_key *tx, struct evpn_dir_key *rx,
			uint32_t *tx_id, uint32_t *rx_id)
{
	uint8_t km[EVPN_KEYMAT_LEN], psk[EVPN_PSK_LEN];
	struct evpn_id self = { 0 }, peer;
	int ret;

	if (!k->keymat && !k->psk)
		return hex_decode(k->txk ? k->txk : "", tx->key, EVPN_KEY_LEN) ||
		       hex_decode(k->txiv ? k->txiv : "", tx->iv, EVPN_IV_LEN) ||
		       hex_decode(k->rxk ? k->rxk : "", rx->key, EVPN_KEY_LEN) ||
		       hex_decode(k->rxiv ? k->rxiv : "", rx->iv, EVPN_IV_LEN) ? -1 : 0;
	if (k->keymat ? hex_decode(k->keymat, km, sizeof(km)) :
			 hex_decode(k->psk, psk, sizeof(psk)))
		return -1;
	ret = evpn_genl_transact(g, dev_msg(g, EVPN_CMD_DEV_GET, 0, k->dev),
				 dev_id_cb, &self);
	evpn_id_from_bytes(&peer, pid);
	if (ret || evpn_id_is_zero(&self)) {
		fprintf(stderr, "evpnctl: keymat/psk need the device's node ID (evpnctl set %s node-id ...)\n",
			k->dev);
		ret = -2;
	} else if (k->keymat) {
		ret = evpn_keys_split(km, &self, &peer, tx, rx) ? -1 : 0;
	} else {
		struct dp_key_dir dtx, drx;

		ret = static_keys_derive(psk, sizeof(psk), &self, &peer, &dtx, &drx) ? -1 : 0;
		memcpy(tx->key, dtx.key, EVPN_KEY_LEN);
		memcpy(tx->iv, dtx.iv, EVPN_IV_LEN);
		memcpy(rx->key, drx.key, EVPN_KEY_LEN);
		memcpy(rx->iv, drx.iv, EVPN_IV_LEN);
		*tx_id = dtx.key_id;
		*rx_id = drx.key_id;
		explicit_bzero(&dtx, sizeof(dtx));
		explicit_bzero(&drx, sizeof(drx));
	}
	explicit_bzero(km, sizeof(km));
	explicit_bzero(psk, sizeof(psk));
	return ret;
}

static int key_add(struct evpn_genl *g, int argc, char **argv)
{
	struct evpn_dir_key tx, rx;
	uint8_t pid[EVPN_NODE_ID_LEN];
	struct key_args k;
	struct nlattr *nest;
	struct nl_msg *msg;
	int ret;

	if (key_parse(argc, argv, &k) ||
	    (!k.psk && (!k.tx_id || !k.rx_id ||
			(!k.keymat && !(k.txk && k.txiv && k.rxk && k.rxiv))))) {
		fprintf(stderr, "usage: evpnctl key add DEV peer ID [slot current|next] [suite aes-gcm|chacha]\n"
			"           (psk HEX64 | tx-id N rx-id N (keymat HEX176 | tx-key HEX64 tx-iv HEX24\n"
			"           rx-key HEX64 rx-iv HEX24)) [static]\n");
		return 1;
	}
	if (parse_id(k.peer, pid))
		return 1;
	ret = key_material(g, &k, pid, &tx, &rx, &k.tx_id, &k.rx_id);
	if (ret) {
		if (ret == -1)
			fprintf(stderr, "evpnctl: bad key material (hex of the right length?)\n");
		return 1;
	}
	msg = dev_msg(g, EVPN_CMD_KEY_NEW, 0, k.dev);
	nest = msg ? nla_nest_start(msg, EVPN_A_KEY) : NULL;
	if (!nest || nla_put(msg, EVPN_KEY_A_PEER_ID, sizeof(pid), pid) ||
	    nla_put_u32(msg, EVPN_KEY_A_SLOT, k.slot) ||
	    nla_put_u32(msg, EVPN_KEY_A_SUITE, k.suite) ||
	    nla_put_u32(msg, EVPN_KEY_A_TX_KEY_ID, k.tx_id) ||
	    nla_put(msg, EVPN_KEY_A_TX_KEY, EVPN_KEY_LEN, tx.key) ||
	    nla_put(msg, EVPN_KEY_A_TX_IV, EVPN_IV_LEN, tx.iv) ||
	    nla_put_u32(msg, EVPN_KEY_A_RX_KEY_ID, k.rx_id) ||
	    nla_put(msg, EVPN_KEY_A_RX_KEY, EVPN_KEY_LEN, rx.key) ||
	    nla_put(msg, EVPN_KEY_A_RX_IV, EVPN_IV_LEN, rx.iv) ||
	    (k.is_static && nla_put_flag(msg, EVPN_KEY_A_STATIC))) {
		nlmsg_free(msg);
		msg = NULL;
	} else {
		nla_nest_end(msg, nest);
	}
	explicit_bzero(&tx, sizeof(tx));
	explicit_bzero(&rx, sizeof(rx));
	return request(g, msg, "key add", NULL, NULL);
}

static int key_swap_del(struct evpn_genl *g, bool del, int argc, char **argv)
{
	uint8_t pid[EVPN_NODE_ID_LEN];
	struct key_args k;
	struct nlattr *nest;
	struct nl_msg *msg;

	if (key_parse(argc, argv, &k)) {
		fprintf(stderr, "usage: evpnctl key swap DEV peer ID\n"
			"       evpnctl key del DEV peer ID slot current|next\n");
		return 1;
	}
	if (parse_id(k.peer, pid))
		return 1;
	msg = dev_msg(g, del ? EVPN_CMD_KEY_DEL : EVPN_CMD_KEY_SWAP, 0, k.dev);
	nest = msg ? nla_nest_start(msg, EVPN_A_KEY) : NULL;
	if (!nest || nla_put(msg, EVPN_KEY_A_PEER_ID, sizeof(pid), pid) ||
	    (del && nla_put_u32(msg, EVPN_KEY_A_SLOT, k.slot))) {
		nlmsg_free(msg);
		msg = NULL;
	} else {
		nla_nest_end(msg, nest);
	}
	return request(g, msg, del ? "key del" : "key swap", NULL, NULL);
}

int cmd_kernel_key(int argc, char **argv)
{
	struct evpn_genl g;
	int ret;

	if (argc < 2) {
		fprintf(stderr, "usage: evpnctl key add|swap|del DEV peer ID ...\n");
		return 1;
	}
	ret = evpn_genl_open(&g);
	if (ret) {
		evpn_genl_perror(&g, "evpn family", ret);
		return 1;
	}
	if (!strcmp(argv[0], "add"))
		ret = key_add(&g, argc - 1, argv + 1);
	else if (!strcmp(argv[0], "swap"))
		ret = key_swap_del(&g, false, argc - 1, argv + 1);
	else if (!strcmp(argv[0], "del"))
		ret = key_swap_del(&g, true, argc - 1, argv + 1);
	else {
		fprintf(stderr, "evpnctl: unknown key command '%s'\n", argv[0]);
		ret = 1;
	}
	evpn_genl_close(&g);
	return ret;
}

/* ---- fdb ---- */

static int fdb_show_cb(struct nl_msg *nm, void *arg)
{
	struct nlattr *top[EVPN_A_MAX + 1], *tb[EVPN_FDB_A_MAX + 1];
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(nm));
	char hex[EVPN_ID_HEXLEN + 1];
	struct evpn_id id;
	uint8_t *m;

	if (nla_parse(top, EVPN_A_MAX, genlmsg_attrdata(gh, 0),
		      genlmsg_attrlen(gh, 0), NULL) || !top[EVPN_A_FDB] ||
	    nla_parse_nested(tb, EVPN_FDB_A_MAX, top[EVPN_A_FDB], NULL) ||
	    !tb[EVPN_FDB_A_MAC] || !tb[EVPN_FDB_A_NODE_ID])
		return NL_SKIP;
	m = nla_data(tb[EVPN_FDB_A_MAC]);
	evpn_id_from_bytes(&id, nla_data(tb[EVPN_FDB_A_NODE_ID]));
	evpn_id_to_hex(&id, hex);
	printf("%02x:%02x:%02x:%02x:%02x:%02x node %s %s age %us\n",
	       m[0], m[1], m[2], m[3], m[4], m[5], hex,
	       tb[EVPN_FDB_A_STATIC] ? "static" : "dynamic",
	       tb[EVPN_FDB_A_AGE] ? nla_get_u32(tb[EVPN_FDB_A_AGE]) : 0);
	return NL_OK;
}

static int parse_mac(const char *s, uint8_t m[6])
{
	unsigned int v[6];
	int i;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]) != 6)
		return -1;
	for (i = 0; i < 6; i++) {
		if (v[i] > 255)
			return -1;
		m[i] = (uint8_t)v[i];
	}
	return 0;
}

int cmd_kernel_fdb(int argc, char **argv)
{
	uint8_t mac[6], nid[EVPN_NODE_ID_LEN];
	bool add = argc == 5 && !strcmp(argv[0], "add") && !strcmp(argv[3], "node");
	bool del = argc == 3 && !strcmp(argv[0], "del");
	struct nlattr *nest;
	struct nl_msg *msg;
	struct evpn_genl g;
	int ret;

	if (!(argc == 2 && !strcmp(argv[0], "show")) && !add && !del) {
		fprintf(stderr, "usage: evpnctl fdb show DEV | fdb add DEV MAC node ID | fdb del DEV MAC\n");
		return 1;
	}
	if ((add || del) && parse_mac(argv[2], mac)) {
		fprintf(stderr, "evpnctl: bad MAC address: %s\n", argv[2]);
		return 1;
	}
	if (add && parse_id(argv[4], nid))
		return 1;
	ret = evpn_genl_open(&g);
	if (ret) {
		evpn_genl_perror(&g, "evpn family", ret);
		return 1;
	}
	if (!add && !del) {
		ret = dump_retry(&g, EVPN_CMD_FDB_GET, argv[1], "fdb show", fdb_show_cb);
		evpn_genl_close(&g);
		return ret;
	}
	msg = dev_msg(&g, add ? EVPN_CMD_FDB_ADD : EVPN_CMD_FDB_DEL, 0, argv[1]);
	nest = msg ? nla_nest_start(msg, EVPN_A_FDB) : NULL;
	if (!nest || nla_put(msg, EVPN_FDB_A_MAC, 6, mac) ||
	    (add && nla_put(msg, EVPN_FDB_A_NODE_ID, sizeof(nid), nid))) {
		nlmsg_free(msg);
		msg = NULL;
	} else {
		nla_nest_end(msg, nest);
	}
	ret = request(&g, msg, add ? "fdb add" : "fdb del", NULL, NULL);
	evpn_genl_close(&g);
	return ret;
}

/* ---- events ---- */

static int event_cb(struct nl_msg *nm, void *arg)
{
	static const char *const names[] = {
		[EVPN_EVENT_KEY_SOFT_LIMIT] = "key-soft-limit",
		[EVPN_EVENT_KEY_HARD_LIMIT] = "key-hard-limit",
		[EVPN_EVENT_ENDPOINT_CHANGED] = "endpoint-changed",
		[EVPN_EVENT_PEER_UNREACHABLE] = "peer-unreachable",
	};
	struct nlattr *top[EVPN_A_MAX + 1], *tb[EVPN_EVENT_A_MAX + 1];
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(nm));
	char hex[EVPN_ID_HEXLEN + 1] = "?";
	uint32_t type;
	struct evpn_id id;

	if (gh->cmd != EVPN_CMD_EVENT ||
	    nla_parse(top, EVPN_A_MAX, genlmsg_attrdata(gh, 0),
		      genlmsg_attrlen(gh, 0), NULL) || !top[EVPN_A_EVENT] ||
	    nla_parse_nested(tb, EVPN_EVENT_A_MAX, top[EVPN_A_EVENT], NULL) ||
	    !tb[EVPN_EVENT_A_TYPE])
		return NL_SKIP;
	type = nla_get_u32(tb[EVPN_EVENT_A_TYPE]);
	if (tb[EVPN_EVENT_A_PEER_ID] && nla_len(tb[EVPN_EVENT_A_PEER_ID]) == EVPN_ID_LEN) {
		evpn_id_from_bytes(&id, nla_data(tb[EVPN_EVENT_A_PEER_ID]));
		evpn_id_to_hex(&id, hex);
	}
	printf("event %s dev %s peer %s",
	       type < __EVPN_EVENT_MAX && names[type] ? names[type] : "unknown",
	       top[EVPN_A_IFNAME] ? (char *)nla_data(top[EVPN_A_IFNAME]) : "?", hex);
	if (tb[EVPN_EVENT_A_KEY_ID])
		printf(" key-id %u", nla_get_u32(tb[EVPN_EVENT_A_KEY_ID]));
	if (tb[EVPN_EVENT_A_REMOTE_PORT]) {
		printf(" remote ");
		print_addr(tb, EVPN_EVENT_A_REMOTE_IPV4, EVPN_EVENT_A_REMOTE_IPV6,
			   EVPN_EVENT_A_REMOTE_PORT);
	}
	if (tb[EVPN_EVENT_A_ERRNO])
		printf(" errno %u", nla_get_u32(tb[EVPN_EVENT_A_ERRNO]));
	printf("\n");
	fflush(stdout);
	return NL_OK;
}

int cmd_kernel_events(int argc, char **argv)
{
	struct evpn_genl g;
	int grp, ret;

	if (argc) {
		fprintf(stderr, "usage: evpnctl events\n");
		return 1;
	}
	ret = evpn_genl_open(&g);
	if (ret) {
		evpn_genl_perror(&g, "evpn family", ret);
		return 1;
	}
	grp = genl_ctrl_resolve_grp(g.sk, EVPN_GENL_NAME, EVPN_MCGRP_EVENTS);
	if (grp < 0 || nl_socket_add_membership(g.sk, grp)) {
		fprintf(stderr, "evpnctl: cannot join the \"%s\" group (needs CAP_NET_ADMIN)\n",
			EVPN_MCGRP_EVENTS);
		evpn_genl_close(&g);
		return 1;
	}
	nl_socket_disable_seq_check(g.sk);
	nl_socket_modify_cb(g.sk, NL_CB_VALID, NL_CB_CUSTOM, event_cb, NULL);
	for (;;) {
		ret = nl_recvmsgs_default(g.sk);
		if (ret < 0 && ret != -NLE_INTR)
			break;
	}
	evpn_genl_close(&g);
	return 1;
}

bool evpn_is_kernel_dev(const char *dev)
{
	struct evpn_genl g;
	bool yes;

	if (strlen(dev) >= IFNAMSIZ || evpn_genl_open(&g))
		return false;
	yes = !evpn_genl_transact(&g, dev_msg(&g, EVPN_CMD_DEV_GET, 0, dev), NULL, NULL);
	evpn_genl_close(&g);
	return yes;
}
