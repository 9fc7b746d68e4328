// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * evpn.ko devices that no evpnd runs, for `evpnctl status` (status.c):
 * EVPN_CMD_DEV_GET (one device) or its dump (every evpn device in this
 * network namespace), as JSON objects in evpnd's `show` schema.
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
#include "jsonout.h"
#include "names.h"
#include "nl.h"


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

/* A kernel device without evpnd, in the schema of evpnd's `show`
 * (docs/status.md): device counters only. */
static void dev_json(JsonBuilder *b, const struct evpn_nl_dev_info *d)
{
	char hex[EVPN_ID_HEXLEN + 1];
	int r;

	json_builder_begin_object(b);
	ej_str(b, "ifname", d->ifname);
	ej_uint(b, "ifindex", d->ifindex);
	ej_str(b, "datapath", "kernel");
	if (d->has_node_id) {
		evpn_id_bytes_to_hex(d->node_id, hex);
		ej_str(b, "node_id", hex);
	} else {
		ej_null(b, "node_id");
	}
	ej_uint(b, "mtu", d->mtu);
	ej_uint(b, "rx_packets", d->rx_packets);
	ej_uint(b, "rx_bytes", d->rx_bytes);
	ej_uint(b, "tx_packets", d->tx_packets);
	ej_uint(b, "tx_bytes", d->tx_bytes);
	ej_uint(b, "fwd_packets", d->fwd_packets);
	ej_uint(b, "fdb_refused_full", d->fdb_refused_full);
	ej_uint(b, "fdb_refused_quota", d->fdb_refused_quota);
	ej_object(b, "drops");
	for (r = 1; r < __EVPN_DROP_MAX; r++)
		ej_uint(b, evpn_drop_name(r), d->drops[r]);
	json_builder_end_object(b);
	json_builder_end_object(b);
}

int kernel_devices(const char *dev, JsonBuilder *b, GHashTable *skip)
{
	struct dev_list l = { 0 };
	struct evpn_genl g;
	size_t i;
	int ret;

	ret = evpn_genl_open(&g);
	if (ret == -ENOENT && !g.sk)
		return -ENOPKG;		/* no module: no kernel devices */
	if (!ret)
		ret = fetch(&g, dev, &l);
	if (ret && dev && (ret == -ENOENT || ret == -ENODEV ||
			   ret == -EOPNOTSUPP)) {
		ret = -ENODEV;	/* not an evpn.ko device (or no module) */
	} else if (ret) {
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
	}
	for (i = 0; !ret && i < l.n; i++)
		if (!g_hash_table_contains(skip, l.v[i].ifname))
			dev_json(b, &l.v[i]);
	evpn_genl_close(&g);
	free(l.v);
	return ret;
}
