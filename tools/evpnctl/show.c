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
#include "genl.h"
#include "id.h"
#include "names.h"

#if __has_include("ctlsock.h")
#include "ctlsock.h"
#define HAVE_CTLSOCK 1
#endif

struct dev_info {
	uint32_t ifindex;
	char ifname[IFNAMSIZ];
	bool has_id;
	struct evpn_id id;
	uint32_t mtu;
	uint64_t rx_packets, rx_bytes, tx_packets, tx_bytes, fwd_packets;
	uint64_t drops[__EVPN_DROP_MAX];
};

struct dev_list {
	struct dev_info *v;
	size_t n, cap;
	int err;
};

static struct nla_policy dev_policy[EVPN_A_MAX + 1] = {
	[EVPN_A_IFINDEX]	= { .type = NLA_U32 },
	[EVPN_A_IFNAME]		= { .type = NLA_STRING, .maxlen = IFNAMSIZ },
	[EVPN_A_NODE_ID]	= { .minlen = EVPN_NODE_ID_LEN,
				    .maxlen = EVPN_NODE_ID_LEN },
	[EVPN_A_MTU]		= { .type = NLA_U32 },
	[EVPN_A_RX_PACKETS]	= { .type = NLA_U64 },
	[EVPN_A_RX_BYTES]	= { .type = NLA_U64 },
	[EVPN_A_TX_PACKETS]	= { .type = NLA_U64 },
	[EVPN_A_TX_BYTES]	= { .type = NLA_U64 },
	[EVPN_A_DEV_DROPS]	= { .type = NLA_NESTED },
	[EVPN_A_FWD_PACKETS]	= { .type = NLA_U64 },
};

static uint64_t get_u64(struct nlattr *a)
{
	return a ? nla_get_u64(a) : 0;
}

static void parse_drops(struct dev_info *d, struct nlattr *nest)
{
	struct nlattr *a;
	int rem;

	if (!nest)
		return;
	nla_for_each_nested(a, nest, rem) {
		int reason = nla_type(a) - 1;

		/* Reasons newer than this evpnctl are ignored, not misfiled. */
		if (reason > 0 && reason < __EVPN_DROP_MAX &&
		    nla_len(a) == sizeof(uint64_t))
			d->drops[reason] = nla_get_u64(a);
	}
}

static int on_dev(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[EVPN_A_MAX + 1];
	struct dev_list *l = arg;
	struct dev_info *d;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, EVPN_A_MAX, dev_policy) ||
	    !tb[EVPN_A_IFINDEX] || !tb[EVPN_A_IFNAME]) {
		l->err = -EBADMSG;
		return NL_SKIP;
	}
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 8;
		struct dev_info *v = realloc(l->v, cap * sizeof(*v));

		if (!v) {
			l->err = -ENOMEM;
			return NL_STOP;
		}
		l->v = v;
		l->cap = cap;
	}
	d = &l->v[l->n++];
	memset(d, 0, sizeof(*d));
	d->ifindex = nla_get_u32(tb[EVPN_A_IFINDEX]);
	snprintf(d->ifname, sizeof(d->ifname), "%s",
		 nla_get_string(tb[EVPN_A_IFNAME]));
	if (tb[EVPN_A_NODE_ID]) {
		evpn_id_from_bytes(&d->id, nla_data(tb[EVPN_A_NODE_ID]));
		d->has_id = !evpn_id_is_zero(&d->id);
	}
	d->mtu = tb[EVPN_A_MTU] ? nla_get_u32(tb[EVPN_A_MTU]) : 0;
	d->rx_packets = get_u64(tb[EVPN_A_RX_PACKETS]);
	d->rx_bytes = get_u64(tb[EVPN_A_RX_BYTES]);
	d->tx_packets = get_u64(tb[EVPN_A_TX_PACKETS]);
	d->tx_bytes = get_u64(tb[EVPN_A_TX_BYTES]);
	d->fwd_packets = get_u64(tb[EVPN_A_FWD_PACKETS]);
	parse_drops(d, tb[EVPN_A_DEV_DROPS]);
	return NL_OK;
}

static int fetch(struct evpn_genl *g, const char *dev, struct dev_list *l)
{
	struct nl_msg *msg;
	int ret, tries = 0;

	do {
		l->n = 0;
		l->err = 0;
		msg = evpn_genl_msg(g, EVPN_CMD_DEV_GET, dev ? 0 : NLM_F_DUMP);
		if (!msg || (dev && nla_put_string(msg, EVPN_A_IFNAME, dev))) {
			nlmsg_free(msg);
			return -ENOMEM;
		}
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

static void print_human(const struct dev_info *d, bool first)
{
	char hex[EVPN_ID_HEXLEN + 1];
	bool any = false;
	int r;

	if (!first)
		printf("\n");
	printf("interface: %s\n", d->ifname);
	if (d->has_id)
		evpn_id_to_hex(&d->id, hex);
	printf("  node id: %s\n", d->has_id ? hex : "(unset)");
	printf("  mtu: %u\n", d->mtu);
	printf("  transfer: ");
	print_bytes(d->rx_bytes);
	printf(" received (%" PRIu64 " packets), ", d->rx_packets);
	print_bytes(d->tx_bytes);
	printf(" sent (%" PRIu64 " packets)\n", d->tx_packets);
	if (d->fwd_packets)
		printf("  forwarded: %" PRIu64 " records\n", d->fwd_packets);
	for (r = 1; r < __EVPN_DROP_MAX; r++) {
		if (!d->drops[r])
			continue;
		printf("%s%s %" PRIu64, any ? ", " : "  drops: ",
		       evpn_drop_reason_name(r), d->drops[r]);
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

static void print_json(const struct dev_info *d)
{
	char hex[EVPN_ID_HEXLEN + 1];
	int r;

	printf("{\"ifname\":");
	print_json_string(d->ifname);
	printf(",\"ifindex\":%u,\"datapath\":\"kernel\",", d->ifindex);
	if (d->has_id) {
		evpn_id_to_hex(&d->id, hex);
		printf("\"node_id\":\"%s\",", hex);
	} else {
		printf("\"node_id\":null,");
	}
	printf("\"mtu\":%u,\"rx_packets\":%" PRIu64 ",\"rx_bytes\":%" PRIu64
	       ",\"tx_packets\":%" PRIu64 ",\"tx_bytes\":%" PRIu64
	       ",\"fwd_packets\":%" PRIu64 ",\"drops\":{",
	       d->mtu, d->rx_packets, d->rx_bytes, d->tx_packets, d->tx_bytes,
	       d->fwd_packets);
	for (r = 1; r < __EVPN_DROP_MAX; r++)
		printf("%s\"%s\":%" PRIu64, r > 1 ? "," : "",
		       evpn_drop_reason_name(r), d->drops[r]);
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
