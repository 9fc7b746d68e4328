// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * `evpnctl show [DEV] [--json]`: EVPN_CMD_DEV_GET (one device) or its dump
 * (every evpn device in this network namespace). When DEV is not a kernel
 * evpn device, or the module is not loaded, and evpnd's control socket
 * support is built in (ctlsock.h), DEV is asked for there instead: that is
 * how devices of the userspace (TAP) datapath are shown.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>

#include "evpnctl.h"
#include "fmt.h"
#include "genl.h"
#include "id.h"
#include "names.h"
#include "nl.h"

#if __has_include("ctlsock.h")
#include "ctlsock.h"
#define HAVE_CTLSOCK 1
#endif

struct dev_list {
	struct evpn_nl_dev_info *v;
	size_t n, cap;
	int err;
};

static int on_dev(struct nl_msg *msg, void *arg)
{
	struct dev_list *l = arg;

	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 8;
		struct evpn_nl_dev_info *v = realloc(l->v, cap * sizeof(*v));

		if (!v) {
			l->err = -ENOMEM;
			return NL_STOP;
		}
		l->v = v;
		l->cap = cap;
	}
	if (evpn_nl_parse_dev(msg, &l->v[l->n])) {
		l->err = -EBADMSG;
		return NL_SKIP;
	}
	l->n++;
	return NL_OK;
}

static int fetch(struct evpn_genl *g, const char *dev, struct dev_list *l)
{
	struct evpn_nl_dev d = { .ifname = dev };
	struct nl_msg *msg;
	int ret, tries = 0;

	do {
		l->n = 0;
		l->err = 0;
		msg = evpn_nl_dev_msg(g, EVPN_CMD_DEV_GET, dev ? 0 : NLM_F_DUMP,
				      dev ? &d : NULL);
		if (!msg)
			return -ENOMEM;
		ret = evpn_genl_transact(g, msg, on_dev, l);
	} while (ret == -EAGAIN && ++tries < 5);	/* dump raced a change */
	return ret ? ret : l->err;
}

static void print_bytes(uint64_t b)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	double v = (double)b;
	unsigned int u = 0;

	while (v >= 1024 && u + 1 < sizeof(unit) / sizeof(unit[0])) {
		v /= 1024;
		u++;
	}
	if (u)
		printf("%.2f %s", v, unit[u]);
	else
		printf("%" PRIu64 " B", b);
}

static void print_human(const struct evpn_nl_dev_info *d, bool first)
{
	char hex[EVPN_ID_HEXLEN + 1];
	bool any = false;
	int r;

	if (!first)
		printf("\n");
	printf("interface: %s\n", d->ifname);
	if (d->has_node_id)
		evpn_id_bytes_to_hex(d->node_id, hex);
	printf("  node id: %s\n", d->has_node_id ? hex : "(unset)");
	printf("  mtu: %u\n", d->mtu);
	printf("  transfer: ");
	print_bytes(d->rx_bytes);
	printf(" received (%" PRIu64 " packets), ", d->rx_packets);
	print_bytes(d->tx_bytes);
	printf(" sent (%" PRIu64 " packets)\n", d->tx_packets);
	if (d->fwd_packets)
		printf("  forwarded: %" PRIu64 " records\n", d->fwd_packets);
	if (d->fdb_refused_full || d->fdb_refused_quota)
		printf("  fdb refused: %" PRIu64 " full, %" PRIu64 " quota\n",
		       d->fdb_refused_full, d->fdb_refused_quota);
	for (r = 1; r < __EVPN_DROP_MAX; r++) {
		if (!d->drops[r])
			continue;
		printf("%s%s %" PRIu64, any ? ", " : "  drops: ",
		       evpn_drop_name(r), d->drops[r]);
		any = true;
	}
	if (any)
		printf("\n");
}

/* Interface names may hold '"' and '\\' (only '/', ':' and spaces are banned). */
static void print_json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void print_json(const struct evpn_nl_dev_info *d)
{
	char hex[EVPN_ID_HEXLEN + 1];
	int r;

	printf("{\"ifname\":");
	print_json_string(d->ifname);
	printf(",\"ifindex\":%u,\"datapath\":\"kernel\",", d->ifindex);
	if (d->has_node_id) {
		evpn_id_bytes_to_hex(d->node_id, hex);
		printf("\"node_id\":\"%s\",", hex);
	} else {
		printf("\"node_id\":null,");
	}
	printf("\"mtu\":%u,\"rx_packets\":%" PRIu64 ",\"rx_bytes\":%" PRIu64
	       ",\"tx_packets\":%" PRIu64 ",\"tx_bytes\":%" PRIu64
	       ",\"fwd_packets\":%" PRIu64 ",\"fdb_refused_full\":%" PRIu64
	       ",\"fdb_refused_quota\":%" PRIu64 ",\"drops\":{",
	       d->mtu, d->rx_packets, d->rx_bytes, d->tx_packets, d->tx_bytes,
	       d->fwd_packets, d->fdb_refused_full, d->fdb_refused_quota);
	for (r = 1; r < __EVPN_DROP_MAX; r++)
		printf("%s\"%s\":%" PRIu64, r > 1 ? "," : "",
		       evpn_drop_name(r), d->drops[r]);
	printf("}}");
}

static void print_all(const struct dev_list *l, bool json)
{
	size_t i;

	if (json)
		printf("{\"interfaces\":[");
	for (i = 0; i < l->n; i++) {
		if (json) {
			if (i)
				printf(",");
			print_json(&l->v[i]);
		} else {
			print_human(&l->v[i], i == 0);
		}
	}
	if (json)
		printf("]}\n");
}

#ifdef HAVE_CTLSOCK
/* Errors after which DEV may still be a userspace-datapath device. */
static bool not_kernel_dev(int err)
{
	return err == -ENOENT || err == -ENODEV || err == -EOPNOTSUPP;
}
#endif

int cmd_show(int argc, char **argv)
{
	struct dev_list l = { 0 };
	const char *dev = NULL;
	struct evpn_genl g;
	bool json = false;
	int i, ret;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = true;
		} else if (!dev && argv[i][0] != '-') {
			dev = argv[i];
		} else {
			fprintf(stderr, "usage: evpnctl show [DEV] [--json]\n");
			return 1;
		}
	}
	if (dev && strlen(dev) >= IFNAMSIZ) {
		fprintf(stderr, "evpnctl: device name too long: %s\n", dev);
		return 1;
	}

	ret = evpn_genl_open(&g);
	if (!ret)
		ret = fetch(&g, dev, &l);
#ifdef HAVE_CTLSOCK
	if (dev && not_kernel_dev(ret)) {
		evpn_genl_close(&g);
		free(l.v);
		return ctlsock_show(dev, json) ? 1 : 0;
	}
#endif
	if (ret) {
		char what[64];

		snprintf(what, sizeof(what), "show%s%s", dev ? " " : "",
			 dev ? dev : "");
		if (ret == -EBADMSG)
			fprintf(stderr, "evpnctl: malformed reply from the kernel\n");
		else if (ret == -EAGAIN)
			fprintf(stderr, "evpnctl: %s: devices kept changing during the dump; try again\n",
				what);
		else
			evpn_genl_perror(&g, what, ret);
	} else {
		print_all(&l, json);
	}
	evpn_genl_close(&g);
	free(l.v);
	return ret ? 1 : 0;
}
