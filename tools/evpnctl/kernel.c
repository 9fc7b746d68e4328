// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * evpnctl's kernel-datapath configuration: links, keys, FDB and events of
 * evpn.ko devices over generic netlink (docs/netlink.md; the messages are
 * built and parsed in lib/nl.c, as for evpnd).
 *
 *   evpnctl link add DEV peer ID (local IP:PORT | sock-fd N) remote IP:PORT
 *   evpnctl link set DEV peer ID [remote IP:PORT] [record-max N]
 *   evpnctl link del DEV peer ID
 *   evpnctl link show DEV
 *   evpnctl key add DEV peer ID [slot current|next] [suite aes-gcm|chacha]
 *               (psk-file FILE|- | psk HEX64 | tx-id N rx-id N
 *               (keymat HEX176 | tx-key HEX64 tx-iv HEX24 rx-key HEX64
 *               rx-iv HEX24)) [static]
 *   evpnctl key swap DEV peer ID
 *   evpnctl key del DEV peer ID slot current|next
 *   evpnctl fdb show DEV | fdb add DEV MAC node ID | fdb del DEV MAC
 *   evpnctl e2e add DEV peer ID (psk-file FILE|- | psk HEX64)
 *   evpnctl e2e del DEV [peer ID]
 *   evpnctl events
 *
 * `local IP:PORT` is the test/diagnostic mode: evpnctl creates and binds a
 * UDP socket itself, hands its fd to the kernel (which keeps its own
 * reference) and exits. evpnd instead hands over the ICE-selected
 * socket's fd (`sock-fd` does the same from a shell that holds one).
 * `psk-file` reads the pre-shared key (64 hex digits) from FILE or, for
 * "-", from stdin; `psk HEX64` still works but puts the key in
 * /proc/PID/cmdline, where every local user can read it, so it warns.
 * The psk derives keys and key IDs as evpnd's static links do (and implies
 * `static`: no key limits, counter from the wall clock).
 * `keymat` is the 88-byte keying material both ends share; each end's
 * transmit and receive keys are split from it by node ID order
 * (core/keys.h), so the two ends of a link take the same string.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <net/if.h>
#include <openssl/crypto.h>

#include "evpnctl.h"
#include "fmt.h"
#include "genl.h"
#include "id.h"
#include "keys.h"
#include "names.h"
#include "nl.h"
#include "statickeys.h"

static int parse_id(const char *s, uint8_t out[EVPN_NODE_ID_LEN])
{
	if (evpn_id_hex_to_bytes(s, out)) {
		fprintf(stderr, "evpnctl: node ID must be %d hex digits, not zero: %s\n",
			EVPN_ID_HEXLEN, s);
		return -1;
	}
	return 0;
}

static int parse_addr(const char *s, struct sockaddr_storage *ss,
		      socklen_t *len)
{
	if (evpn_sockaddr_parse(s, ss, len)) {
		fprintf(stderr, "evpnctl: bad address (IP:PORT or [IPv6]:PORT): %s\n", s);
		return -1;
	}
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

/* A dump of @cmd for @dev; print the kernel's error. The exit status. */
static int dump(struct evpn_genl *g, uint8_t cmd, const char *dev,
		const char *what, int (*cb)(struct nl_msg *, void *))
{
	struct evpn_nl_dev d = { .ifname = dev };
	int ret = evpn_nl_dump(g, cmd, &d, cb, NULL);

	if (ret) {
		evpn_genl_perror(g, what, ret);
		return 1;
	}
	return 0;
}

static int bind_local(const char *spec)
{
	struct sockaddr_storage a;
	socklen_t len;
	int fd;

	if (parse_addr(spec, &a, &len))
		return -1;
	fd = socket(a.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, len)) {
		fprintf(stderr, "evpnctl: bind %s: %s\n", spec, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* A subcommand on an open family socket, for @cmd: the exit status. */
struct subcmd {
	const char *name;
	uint8_t cmd;
	int (*fn)(struct evpn_genl *g, uint8_t cmd, int argc, char **argv);
};

/* Open the family, run argv[0] from @t, close. The exit status. */
static int dispatch(const char *noun, const char *usage,
		    const struct subcmd *t, int argc, char **argv)
{
	struct evpn_genl g;
	int ret;

	if (argc < 2) {
		fprintf(stderr, "usage: %s\n", usage);
		return 1;
	}
	for (; t->name && strcmp(t->name, argv[0]); t++)
		;
	if (!t->name) {
		fprintf(stderr, "evpnctl: unknown %s command '%s'\n", noun,
			argv[0]);
		return 1;
	}
	ret = evpn_genl_open(&g);
	if (ret) {
		evpn_genl_perror(&g, "evpn family", ret);
		return 1;
	}
	ret = t->fn(&g, t->cmd, argc - 1, argv + 1);
	evpn_genl_close(&g);
	return ret;
}

/* ---- link ---- */

static int link_modify(struct evpn_genl *g, uint8_t cmd, int argc, char **argv)
{
	const char *dev = argv[0], *peer = NULL, *remote = NULL, *local = NULL;
	struct evpn_nl_link req = EVPN_NL_LINK_INIT;
	struct evpn_nl_dev d = { .ifname = dev };
	int fd = -1, own_fd = 0, i, ret;
	struct sockaddr_storage ra;
	socklen_t ralen;

	for (i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "peer"))
			peer = argv[i + 1];
		else if (!strcmp(argv[i], "remote"))
			remote = argv[i + 1];
		else if (!strcmp(argv[i], "local"))
			local = argv[i + 1];
		else if (!strcmp(argv[i], "sock-fd"))
			fd = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "record-max"))
			req.record_max = (uint32_t)strtoul(argv[i + 1], NULL, 10);
		else
			break;
	}
	if (i != argc || !peer ||
	    (cmd != EVPN_CMD_LINK_DEL && !remote &&
	     !(cmd == EVPN_CMD_LINK_SET && req.record_max)) ||
	    (cmd == EVPN_CMD_LINK_NEW && !local == (fd < 0))) {
		fprintf(stderr, "usage: evpnctl link add DEV peer ID (local IP:PORT | sock-fd N) remote IP:PORT [record-max N]\n"
			"       evpnctl link set DEV peer ID [remote IP:PORT] [record-max N]\n"
			"       evpnctl link del DEV peer ID\n");
		return 1;
	}
	if (parse_id(peer, req.peer) ||
	    (remote && parse_addr(remote, &ra, &ralen)))
		return 1;
	if (cmd == EVPN_CMD_LINK_NEW && local) {
		fd = bind_local(local);
		if (fd < 0)
			return 1;
		own_fd = 1;
	}
	req.sock_fd = fd;
	req.remote = remote ? &ra : NULL;
	ret = request(g, evpn_nl_link_msg(g, cmd, &d, &req),
		      cmd == EVPN_CMD_LINK_NEW ? "link add" :
		      cmd == EVPN_CMD_LINK_SET ? "link set" : "link del",
		      NULL, NULL);
	/* The kernel holds its own reference to the socket now. */
	if (own_fd)
		close(fd);
	return ret;
}

/* "IP:PORT", or "?" plus the port when the kernel gave no address. */
static void print_addr(const struct sockaddr_storage *ss)
{
	const struct sockaddr *sa = (const struct sockaddr *)ss;
	char buf[EVPN_SOCKADDR_STRLEN];

	if (sa->sa_family)
		printf("%s", evpn_sockaddr_str(sa, buf, sizeof(buf)));
	else
		printf("?:0");
}

static const char *suite_name(uint32_t s)
{
	return s == EVPN_SUITE_AES256GCM ? "aes-gcm" :
	       s == EVPN_SUITE_CHACHA20POLY1305 ? "chacha" : "?";
}

static void print_key(const struct evpn_nl_key_info *k)
{
	printf("    key slot %s: suite %s tx-id %u rx-id %u tx-counter %" PRIu64
	       " rx-packets %" PRIu64 " age %us\n",
	       k->slot ? "next" : "current", suite_name(k->suite),
	       k->tx_key_id, k->rx_key_id, k->tx_counter, k->rx_packets,
	       k->age);
}

/* The peer's own link list (1-lookahead routing), as evpnd set it. */
static void print_nbrs(const struct evpn_nl_link_info *l)
{
	char hex[EVPN_ID_HEXLEN + 1];
	int i;

	printf("  peer links (%d):", l->n_nbrs);
	for (i = 0; i < l->n_nbrs; i++) {
		evpn_id_bytes_to_hex(l->nbrs[i], hex);
		printf(" %s", hex);
	}
	printf("\n");
}

static int link_show_cb(struct nl_msg *nm, void *arg)
{
	char hex[EVPN_ID_HEXLEN + 1];
	struct evpn_nl_link_info l;
	int r;

	if (evpn_nl_parse_link(nm, &l))
		return NL_SKIP;
	evpn_id_bytes_to_hex(l.peer, hex);
	printf("link %s\n  local ", hex);
	print_addr(&l.local);
	printf(" remote ");
	print_addr(&l.remote);
	if (l.record_max)
		printf(" record-max %u", l.record_max);
	printf("\n  rx %" PRIu64 " packets %" PRIu64 " bytes, tx %" PRIu64
	       " packets %" PRIu64 " bytes\n",
	       l.rx_packets, l.rx_bytes, l.tx_packets, l.tx_bytes);
	for (r = 1; r < __EVPN_DROP_MAX; r++)
		if (l.drops[r])
			printf("  drop %s: %" PRIu64 "\n", evpn_drop_name(r),
			       l.drops[r]);
	if (l.n_nbrs >= 0)
		print_nbrs(&l);
	for (r = 0; r < 2; r++)
		if (l.key[r].valid)
			print_key(&l.key[r]);
	return NL_OK;
}

static int link_show(struct evpn_genl *g, uint8_t cmd, int argc, char **argv)
{
	if (argc != 1) {
		fprintf(stderr, "usage: evpnctl link show DEV\n");
		return 1;
	}
	return dump(g, cmd, argv[0], "link show", link_show_cb);
}

int cmd_kernel_link(int argc, char **argv)
{
	static const struct subcmd t[] = {
		{ "add", EVPN_CMD_LINK_NEW, link_modify },
		{ "set", EVPN_CMD_LINK_SET, link_modify },
		{ "del", EVPN_CMD_LINK_DEL, link_modify },
		{ "show", EVPN_CMD_LINK_GET, link_show },
		{ NULL, 0, NULL },
	};

	return dispatch("link", "evpnctl link add|set|del|show DEV ...", t,
			argc, argv);
}

/* ---- key ---- */

static int dev_id_cb(struct nl_msg *nm, void *arg)
{
	struct evpn_nl_dev_info d;

	if (!evpn_nl_parse_dev(nm, &d) && d.has_node_id)
		evpn_id_from_bytes(arg, d.node_id);
	return NL_OK;
}

struct key_args {
	const char *dev, *peer, *keymat, *psk_file;
	char *psk;			/* in argv: wiped once read */
	const char *txk, *txiv, *rxk, *rxiv;
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
			k->psk = argv[i + 1];
		else if (!strcmp(argv[i], "psk-file"))
			k->psk_file = v;
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
	if (k->psk && k->psk_file)
		return -1;
	if (k->psk || k->psk_file)
		k->is_static = true;
	return i == argc && k->peer ? 0 : -1;
}

/* The psk from @path ("-": stdin): 64 hex digits, surrounding white space
 * ignored. 0, or -1 with a message. */
static int psk_read(const char *path, uint8_t psk[EVPN_PSK_LEN])
{
	char buf[4 * EVPN_PSK_LEN], *s, *e;
	FILE *f = strcmp(path, "-") ? fopen(path, "re") : stdin;
	size_t n;
	int ret = -1;

	if (!f) {
		fprintf(stderr, "evpnctl: psk-file %s: %s\n", path, strerror(errno));
		return -1;
	}
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	for (s = buf; *s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'; s++)
		;
	for (e = s + strlen(s); e > s && (e[-1] == ' ' || e[-1] == '\t' ||
					  e[-1] == '\n' || e[-1] == '\r'); e--)
		;
	*e = '\0';
	if (evpn_hex_decode(s, psk, EVPN_PSK_LEN))
		fprintf(stderr, "evpnctl: psk-file %s: not %d hex digits\n",
			path, 2 * EVPN_PSK_LEN);
	else
		ret = 0;
	OPENSSL_cleanse(buf, sizeof(buf));
	if (f != stdin)
		fclose(f);
	return ret;
}

/* The psk from psk-file, or from the command line (with a warning; it is
 * wiped from our argv once read, which shortens but cannot close the
 * window in which /proc/PID/cmdline shows it). */
static int psk_get(const struct key_args *k, uint8_t psk[EVPN_PSK_LEN])
{
	int ret;

	if (k->psk_file)
		return psk_read(k->psk_file, psk) ? -2 : 0;
	fprintf(stderr, "evpnctl: warning: a psk on the command line is visible to every local user in /proc/PID/cmdline; use psk-file FILE or psk-file - (stdin)\n");
	ret = evpn_hex_decode(k->psk, psk, EVPN_PSK_LEN);
	OPENSSL_cleanse(k->psk, strlen(k->psk));
	return ret;
}

/* The device's node ID, which keymat and psk split by. */
static int dev_node_id(struct evpn_genl *g, const char *dev,
		       struct evpn_id *self)
{
	struct evpn_nl_dev d = { .ifname = dev };
	int ret;

	memset(self, 0, sizeof(*self));
	ret = evpn_genl_transact(g, evpn_nl_dev_msg(g, EVPN_CMD_DEV_GET, 0, &d),
				 dev_id_cb, self);
	if (ret || evpn_id_is_zero(self)) {
		fprintf(stderr, "evpnctl: keymat/psk need the device's node ID (evpnctl set %s node-id ...)\n",
			dev);
		return -2;
	}
	return 0;
}

/* @req's keys and key IDs from a psk, as evpnd's static links. */
static int psk_keys(const uint8_t psk[EVPN_PSK_LEN], const struct evpn_id *self,
		    const struct evpn_id *peer, struct evpn_nl_key *req)
{
	struct evpn_static_keys sk;

	if (evpn_static_keys_derive(psk, EVPN_PSK_LEN, self, peer, &sk))
		return -1;
	req->tx = sk.tx;
	req->rx = sk.rx;
	req->tx_key_id = sk.tx_key_id;
	req->rx_key_id = sk.rx_key_id;
	OPENSSL_cleanse(&sk, sizeof(sk));
	return 0;
}

/* @req's keys from keymat (split by node ID order), a psk, or given.
 * 0, -1 (bad key material) or -2 (reported). */
static int key_material(struct evpn_genl *g, const struct key_args *k,
			struct evpn_nl_key *req)
{
	uint8_t km[EVPN_KEYMAT_LEN], psk[EVPN_PSK_LEN];
	struct evpn_id self, peer;
	int ret;

	if (!k->keymat && !k->psk && !k->psk_file)
		return evpn_hex_decode(k->txk ? k->txk : "", req->tx.key, EVPN_KEY_LEN) ||
		       evpn_hex_decode(k->txiv ? k->txiv : "", req->tx.iv, EVPN_IV_LEN) ||
		       evpn_hex_decode(k->rxk ? k->rxk : "", req->rx.key, EVPN_KEY_LEN) ||
		       evpn_hex_decode(k->rxiv ? k->rxiv : "", req->rx.iv, EVPN_IV_LEN) ? -1 : 0;
	ret = k->keymat ? evpn_hex_decode(k->keymat, km, sizeof(km)) :
			  psk_get(k, psk);
	if (!ret)
		ret = dev_node_id(g, k->dev, &self);
	evpn_id_from_bytes(&peer, req->peer);
	if (!ret && k->keymat)
		ret = evpn_keys_split(km, &self, &peer, &req->tx, &req->rx) ? -1 : 0;
	else if (!ret)
		ret = psk_keys(psk, &self, &peer, req);
	OPENSSL_cleanse(km, sizeof(km));
	OPENSSL_cleanse(psk, sizeof(psk));
	return ret;
}

static int key_add(struct evpn_genl *g, uint8_t cmd, int argc, char **argv)
{
	bool has_psk;
	struct evpn_nl_dev d;
	struct evpn_nl_key req;
	struct key_args k;
	int ret;

	ret = key_parse(argc, argv, &k);
	has_psk = k.psk || k.psk_file;
	if (ret || (!has_psk && (!k.tx_id || !k.rx_id ||
				 (!k.keymat && !(k.txk && k.txiv && k.rxk && k.rxiv))))) {
		fprintf(stderr, "usage: evpnctl key add DEV peer ID [slot current|next] [suite aes-gcm|chacha]\n"
			"           (psk-file FILE|- | psk HEX64 | tx-id N rx-id N (keymat HEX176 |\n"
			"           tx-key HEX64 tx-iv HEX24 rx-key HEX64 rx-iv HEX24)) [static]\n");
		return 1;
	}
	memset(&req, 0, sizeof(req));
	if (parse_id(k.peer, req.peer))
		return 1;
	req.slot = k.slot;
	req.suite = k.suite;
	req.tx_key_id = k.tx_id;
	req.rx_key_id = k.rx_id;
	req.is_static = k.is_static;
	ret = key_material(g, &k, &req);
	if (ret) {
		if (ret == -1)
			fprintf(stderr, "evpnctl: bad key material (hex of the right length?)\n");
		OPENSSL_cleanse(&req, sizeof(req));
		return 1;
	}
	d.ifindex = 0;
	d.ifname = k.dev;
	ret = evpn_nl_key_new(g, &d, &req);	/* wipes its message */
	OPENSSL_cleanse(&req, sizeof(req));
	if (ret == -ENOMEM || ret == -EMSGSIZE) {
		fprintf(stderr, "evpnctl: out of memory\n");
		return 1;
	}
	if (ret)
		evpn_genl_perror(g, "key add", ret);
	return ret ? 1 : 0;
}

static int key_swap_del(struct evpn_genl *g, uint8_t cmd, int argc,
			char **argv)
{
	bool del = cmd == EVPN_CMD_KEY_DEL;
	uint8_t pid[EVPN_NODE_ID_LEN];
	struct key_args k;
	struct evpn_nl_dev d;

	if (key_parse(argc, argv, &k)) {
		fprintf(stderr, "usage: evpnctl key swap DEV peer ID\n"
			"       evpnctl key del DEV peer ID slot current|next\n");
		return 1;
	}
	if (parse_id(k.peer, pid))
		return 1;
	d.ifindex = 0;
	d.ifname = k.dev;
	return request(g, evpn_nl_key_msg(g, cmd, &d, pid, k.slot),
		       del ? "key del" : "key swap", NULL, NULL);
}

int cmd_kernel_key(int argc, char **argv)
{
	static const struct subcmd t[] = {
		{ "add", EVPN_CMD_KEY_NEW, key_add },
		{ "swap", EVPN_CMD_KEY_SWAP, key_swap_del },
		{ "del", EVPN_CMD_KEY_DEL, key_swap_del },
		{ NULL, 0, NULL },
	};

	return dispatch("key", "evpnctl key add|swap|del DEV peer ID ...", t,
			argc, argv);
}

/* ---- e2e ---- */

static uint64_t wallclock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/*
 * e2e add DEV peer ID (psk-file FILE|- | psk HEX64): the pair key evpnd's
 * [e2e NAME] section makes (lib/statickeys.h); its counter starts at the
 * wall clock in ns, as evpnd's, so re-adding it never reuses a nonce.
 */
static int e2e_add(struct evpn_genl *g, uint8_t cmd, int argc, char **argv)
{
	uint8_t psk[EVPN_PSK_LEN];
	struct evpn_static_keys sk;
	struct evpn_id self, peer;
	struct evpn_nl_e2e req;
	struct evpn_nl_dev d = { .ifname = argv[0] };
	struct key_args k;
	int ret;

	if (key_parse(argc, argv, &k) || (!k.psk && !k.psk_file) ||
	    k.keymat || k.txk || k.rxk || k.tx_id || k.rx_id) {
		fprintf(stderr, "usage: evpnctl e2e add DEV peer ID (psk-file FILE|- | psk HEX64)\n");
		return 1;
	}
	memset(&req, 0, sizeof(req));
	if (parse_id(k.peer, req.peer))
		return 1;
	evpn_id_from_bytes(&peer, req.peer);
	ret = psk_get(&k, psk);
	if (!ret)
		ret = dev_node_id(g, k.dev, &self);
	if (!ret)
		ret = evpn_e2e_psk_keys_derive(psk, EVPN_PSK_LEN, &self, &peer,
					       &sk) ? -1 : 0;
	OPENSSL_cleanse(psk, sizeof(psk));
	if (ret) {
		if (ret == -1)
			fprintf(stderr, "evpnctl: bad psk (64 hex digits; the peer is not this node?)\n");
		return 1;
	}
	req.tx = sk.tx;
	req.rx = sk.rx;
	req.tx_counter = wallclock_ns();
	OPENSSL_cleanse(&sk, sizeof(sk));
	ret = evpn_nl_e2e_set(g, &d, &req);	/* wipes its message */
	OPENSSL_cleanse(&req, sizeof(req));
	if (ret)
		evpn_genl_perror(g, "e2e add", ret);
	return ret ? 1 : 0;
}

/* e2e del DEV [peer ID]: one pair key, or every one. */
static int e2e_del(struct evpn_genl *g, uint8_t cmd, int argc, char **argv)
{
	uint8_t pid[EVPN_NODE_ID_LEN];
	struct evpn_nl_dev d = { .ifname = argv[0] };

	if (argc != 1 && (argc != 3 || strcmp(argv[1], "peer"))) {
		fprintf(stderr, "usage: evpnctl e2e del DEV [peer ID]\n");
		return 1;
	}
	if (argc == 3 && parse_id(argv[2], pid))
		return 1;
	return request(g, evpn_nl_e2e_del_msg(g, &d, argc == 3 ? pid : NULL),
		       "e2e del", NULL, NULL);
}

int cmd_kernel_e2e(int argc, char **argv)
{
	static const struct subcmd t[] = {
		{ "add", EVPN_CMD_E2E_SET, e2e_add },
		{ "del", EVPN_CMD_E2E_DEL, e2e_del },
		{ NULL, 0, NULL },
	};

	return dispatch("e2e", "evpnctl e2e add DEV peer ID psk-file FILE|- | e2e del DEV [peer ID]",
			t, argc, argv);
}

/* ---- fdb ---- */

static int fdb_show_cb(struct nl_msg *nm, void *arg)
{
	char hex[EVPN_ID_HEXLEN + 1];
	struct evpn_nl_fdb_info f;
	const uint8_t *m = f.mac;

	if (evpn_nl_parse_fdb(nm, &f))
		return NL_SKIP;
	evpn_id_bytes_to_hex(f.node_id, hex);
	printf("%02x:%02x:%02x:%02x:%02x:%02x node %s %s age %us\n",
	       m[0], m[1], m[2], m[3], m[4], m[5], hex,
	       f.is_static ? "static" : "dynamic", f.age);
	return NL_OK;
}

int cmd_kernel_fdb(int argc, char **argv)
{
	uint8_t mac[6], nid[EVPN_NODE_ID_LEN];
	bool add = argc == 5 && !strcmp(argv[0], "add") && !strcmp(argv[3], "node");
	bool del = argc == 3 && !strcmp(argv[0], "del");
	struct evpn_nl_dev d = { .ifname = argc > 1 ? argv[1] : NULL };
	struct evpn_genl g;
	int ret;

	if (!(argc == 2 && !strcmp(argv[0], "show")) && !add && !del) {
		fprintf(stderr, "usage: evpnctl fdb show DEV | fdb add DEV MAC node ID | fdb del DEV MAC\n");
		return 1;
	}
	if ((add || del) && evpn_mac_parse(argv[2], mac)) {
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
	if (!add && !del)
		ret = dump(&g, EVPN_CMD_FDB_GET, argv[1], "fdb show", fdb_show_cb);
	else
		ret = request(&g, evpn_nl_fdb_msg(&g, add ? EVPN_CMD_FDB_ADD :
						  EVPN_CMD_FDB_DEL, &d, mac,
						  add ? nid : NULL),
			      add ? "fdb add" : "fdb del", NULL, NULL);
	evpn_genl_close(&g);
	return ret;
}

/* ---- events ---- */

static int event_cb(struct nl_msg *nm, void *arg)
{
	char hex[EVPN_ID_HEXLEN + 1] = "?";
	struct evpn_nl_event ev;

	if (evpn_nl_parse_event(nm, &ev))
		return NL_SKIP;
	if (ev.has_peer)
		evpn_id_bytes_to_hex(ev.peer, hex);
	printf("event %s dev %s peer %s", evpn_event_name(ev.type),
	       ev.ifname[0] ? ev.ifname : "?", hex);
	if (ev.has_key_id)
		printf(" key-id %u", ev.key_id);
	if (ev.remote.ss_family) {
		printf(" remote ");
		print_addr(&ev.remote);
	}
	if (ev.has_errno)
		printf(" errno %u", ev.err);
	printf("\n");
	fflush(stdout);
	return NL_OK;
}

int cmd_kernel_events(int argc, char **argv)
{
	struct evpn_genl g;
	int ret;

	if (argc) {
		fprintf(stderr, "usage: evpnctl events\n");
		return 1;
	}
	ret = evpn_genl_open(&g);
	if (ret) {
		evpn_genl_perror(&g, "evpn family", ret);
		return 1;
	}
	if (evpn_genl_join_events(&g, event_cb, NULL)) {
		fprintf(stderr, "evpnctl: cannot join the \"%s\" group (needs CAP_NET_ADMIN)\n",
			EVPN_MCGRP_EVENTS);
		evpn_genl_close(&g);
		return 1;
	}
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
	struct evpn_nl_dev d = { .ifname = dev };
	struct evpn_genl g;
	bool yes;

	if (strlen(dev) >= IFNAMSIZ || evpn_genl_open(&g))
		return false;
	yes = !evpn_genl_transact(&g, evpn_nl_dev_msg(&g, EVPN_CMD_DEV_GET, 0, &d),
				  NULL, NULL);
	evpn_genl_close(&g);
	return yes;
}
