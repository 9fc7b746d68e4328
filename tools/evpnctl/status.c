// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * `evpnctl status [DEV] [-c FILE] [--json]` (alias `show`): every evpn
 * device of this host, TAP or kernel datapath, as evpnd reports it on its
 * control socket, plus evpn.ko devices that no evpnd runs (show.c). One
 * schema (docs/status.md), one text rendering of it for both datapaths.
 * evpnd is found without environment variables: the run-dir of -c FILE or
 * of evpnd's default configuration, else /run/evpn (ctlsock.h).
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>

#include "ctlsock.h"
#include "evpnctl.h"
#include "jsonout.h"

#define STATUS_USAGE "usage: evpnctl status [DEV] [-c FILE] [--json]\n"

/* ---- reading the JSON (absent members read as 0 / NULL) ---- */

static const char *jstr(JsonObject *o, const char *key)
{
	JsonNode *n = o ? json_object_get_member(o, key) : NULL;

	return n && JSON_NODE_HOLDS_VALUE(n) &&
	       json_node_get_value_type(n) == G_TYPE_STRING ?
	       json_node_get_string(n) : NULL;
}

static int64_t jint(JsonObject *o, const char *key, int64_t dflt)
{
	JsonNode *n = o ? json_object_get_member(o, key) : NULL;

	if (!n || !JSON_NODE_HOLDS_VALUE(n))
		return dflt;
	if (json_node_get_value_type(n) == G_TYPE_DOUBLE)
		return (int64_t)json_node_get_double(n);
	return json_node_get_int(n);
}

static bool jbool(JsonObject *o, const char *key)
{
	JsonNode *n = o ? json_object_get_member(o, key) : NULL;

	return n && JSON_NODE_HOLDS_VALUE(n) && json_node_get_boolean(n);
}

static JsonArray *jarr(JsonObject *o, const char *key)
{
	JsonNode *n = o ? json_object_get_member(o, key) : NULL;

	return n && JSON_NODE_HOLDS_ARRAY(n) ? json_node_get_array(n) : NULL;
}

static JsonObject *jobj(JsonObject *o, const char *key)
{
	JsonNode *n = o ? json_object_get_member(o, key) : NULL;

	return n && JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
}

static JsonObject *elem(JsonArray *a, guint i)
{
	JsonNode *n = json_array_get_element(a, i);

	return JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
}

static guint len(JsonArray *a)
{
	return a ? json_array_get_length(a) : 0;
}

/* Names from the daemon or the kernel may hold anything: JSON made them
 * valid UTF-8 (an invalid byte reads U+FFFD); print control characters
 * and backslashes escaped, never raw. */
static void put(const char *s)
{
	if (!s) {
		fputs("-", stdout);
		return;
	}
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '\\')
			fputs("\\\\", stdout);
		else if (c < 0x20 || c == 0x7f)
			printf("\\%03o", c);
		else
			putchar(c);
	}
}

/* ---- text ---- */

static void print_bytes(uint64_t b)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	double v = (double)b;
	unsigned int u = 0;

	while (v >= 1024 && u + 1 < G_N_ELEMENTS(unit)) {
		v /= 1024;
		u++;
	}
	if (u)
		printf("%.2f %s", v, unit[u]);
	else
		printf("%" PRIu64 " B", b);
}

static void print_transfer(const char *indent, JsonObject *o)
{
	printf("%stransfer: ", indent);
	print_bytes(jint(o, "rx_bytes", 0));
	printf(" received (%" PRId64 " packets), ", jint(o, "rx_packets", 0));
	print_bytes(jint(o, "tx_bytes", 0));
	printf(" sent (%" PRId64 " packets)\n", jint(o, "tx_packets", 0));
}

/* Drops by reason. On the device (@dev) no_link comes first and says what
 * it is: frames the stack sent while no link was up, routine while links
 * come up, not a fault. */
static void print_drop_line(const char *indent, JsonObject *o, bool dev)
{
	JsonObject *d = jobj(o, "drops");
	int64_t nolink = dev ? jint(d, "no_link", 0) : 0;
	GList *m, *l;
	bool any = false;

	if (!d)
		return;
	if (nolink) {
		printf("%sdrops: no_link %" PRId64 " (sent while no link was "
		       "up: routine)", indent, nolink);
		any = true;
	}
	m = json_object_get_members(d);
	for (l = m; l; l = l->next) {
		int64_t v = jint(d, l->data, 0);

		if (!v || (dev && !strcmp(l->data, "no_link")))
			continue;
		if (!any)
			printf("%sdrops: ", indent);
		printf("%s%s %" PRId64, any ? ", " : "", (char *)l->data, v);
		any = true;
	}
	if (any)
		printf("\n");
	g_list_free(m);
}

static void print_overlay(JsonObject *ov)
{
	const char *st = jstr(ov, "xmpp"), *err = jstr(ov, "xmpp_error");

	printf("  overlay ");
	put(jstr(ov, "name"));
	printf(": xmpp %s as ", st ? st : "?");
	put(jstr(ov, "jid"));
	printf(", group ");
	put(jstr(ov, "group"));
	printf(", %u members\n", len(jarr(ov, "peers")));
	if (!err)
		return;
	if (!jbool(ov, "xmpp_retrying"))
		printf("    FAILED: ");
	else
		printf("    problem: ");
	put(err);
	if (!jbool(ov, "xmpp_retrying"))
		printf(" (not retrying)");
	else if (st && strcmp(st, "online"))
		printf(" (retrying)");
	printf("\n");
}

/* The link object of the datapath for peer @id, if any. */
static JsonObject *link_of(JsonObject *dev, const char *id)
{
	JsonArray *links = jarr(dev, "links");
	guint i;

	for (i = 0; i < len(links); i++) {
		const char *p = jstr(elem(links, i), "peer");

		if (p && id && !strcmp(p, id))
			return elem(links, i);
	}
	return NULL;
}

static void print_addresses(JsonObject *dev, const char *id)
{
	JsonArray *fdb = jarr(dev, "fdb");
	bool any = false;
	guint i, j;

	for (i = 0; i < len(fdb); i++) {
		JsonObject *e = elem(fdb, i);
		JsonArray *a = jarr(e, "addresses");
		const char *n = jstr(e, "node_id");

		if (!n || !id || strcmp(n, id))
			continue;
		printf("%s", any ? ", " : "    addresses: ");
		for (j = 0; j < len(a); j++) {
			put(json_array_get_string_element(a, j));
			printf(" ");
		}
		printf("(");
		put(jstr(e, "mac"));
		printf(")");
		any = true;
	}
	if (any)
		printf("\n");
}

static void print_path(JsonObject *pe, JsonObject *l)
{
	const char *path = jstr(l ? l : pe, "path");

	printf("    path: ");
	if (!path) {
		printf("%s\n", l ? "direct (static link)" : "none");
		return;
	}
	if (!strcmp(path, "relayed")) {
		printf("relayed via TURN ");
		put(jstr(l, "relay"));
	} else if (!strcmp(path, "multihop")) {
		printf("multi-hop via ");
		put(jstr(pe, "via"));
	} else {
		put(path);
	}
	if (l && jstr(l, "ice_local"))
		printf(" (ICE %s -> %s)", jstr(l, "ice_local"),
		       jstr(l, "ice_remote") ? jstr(l, "ice_remote") : "?");
	printf("\n");
}

static void print_link_facts(JsonObject *l)
{
	JsonNode *rtt = json_object_get_member(l, "rtt_ms");

	printf("    endpoint: ");
	put(jstr(l, "endpoint"));
	if (rtt && JSON_NODE_HOLDS_VALUE(rtt))
		printf(", rtt %.2f ms", json_node_get_double(rtt));
	if (jint(l, "handshake_age_s", -1) >= 0)
		printf(", last handshake %" PRId64 " s ago",
		       jint(l, "handshake_age_s", 0));
	printf("\n    key: ");
	if (jstr(l, "suite"))
		printf("%s, age %" PRId64 " s%s\n", jstr(l, "suite"),
		       jint(l, "key_age", 0),
		       jbool(l, "next_key") ? ", next key installed" : "");
	else
		printf("none\n");
	print_transfer("    ", l);
	print_drop_line("    ", l, false);
}

static void print_peer(JsonObject *dev, JsonObject *pe)
{
	const char *id = jstr(pe, "id");
	JsonObject *l = link_of(dev, id);

	printf("\n  peer ");
	put(jstr(pe, "jid"));
	printf("\n    node id: ");
	put(id);
	printf("\n    link: ");
	put(jstr(pe, "link"));
	printf("\n");
	if (jstr(pe, "problem")) {
		printf("    problem: ");
		put(jstr(pe, "problem"));
		printf("\n");
	}
	print_path(pe, l);
	print_addresses(dev, id);
	if (l)
		print_link_facts(l);
}

/* Links no overlay peer stands for: static links. */
static void print_static_links(JsonObject *dev)
{
	JsonArray *links = jarr(dev, "links");
	guint i;

	for (i = 0; i < len(links); i++) {
		JsonObject *l = elem(links, i);

		if (jstr(l, "overlay"))
			continue;
		printf("\n  link ");
		put(jstr(l, "name"));
		printf("\n    node id: ");
		put(jstr(l, "peer"));
		printf("\n");
		print_path(NULL, l);
		print_addresses(dev, jstr(l, "peer"));
		print_link_facts(l);
	}
}

static void print_device(JsonObject *dev, bool first)
{
	JsonArray *ovs = jarr(dev, "overlays");
	guint i, j;

	if (!first)
		printf("\n");
	printf("interface: ");
	put(jstr(dev, "ifname"));
	printf(" (%s datapath", jstr(dev, "datapath") ? jstr(dev, "datapath") : "?");
	if (jint(dev, "pid", 0))
		printf(", evpnd pid %" PRId64, jint(dev, "pid", 0));
	else
		printf(", no evpnd");
	printf(")\n  node id: %s\n", jstr(dev, "node_id") ? jstr(dev, "node_id") :
	       "(unset)");
	if (jstr(dev, "fingerprint"))
		printf("  fingerprint: %s\n", jstr(dev, "fingerprint"));
	printf("  mtu: %" PRId64 "\n", jint(dev, "mtu", 0));
	print_transfer("  ", dev);
	if (jint(dev, "fwd_packets", 0))
		printf("  forwarded: %" PRId64 " records\n",
		       jint(dev, "fwd_packets", 0));
	print_drop_line("  ", dev, true);
	for (i = 0; i < len(ovs); i++)
		print_overlay(elem(ovs, i));
	for (i = 0; i < len(ovs); i++) {
		JsonArray *peers = jarr(elem(ovs, i), "peers");

		for (j = 0; j < len(peers); j++)
			print_peer(dev, elem(peers, j));
	}
	print_static_links(dev);
}

/* ---- collecting ---- */

/* evpnd's `show` for @ifname, added to @b's array; 0, 1 if no evpnd
 * listens for it, -1 on error (printed). */
static int from_daemon(const char *dir, const char *ifname, JsonBuilder *b)
{
	bool none;
	JsonNode *r = ctlsock_request(dir, ifname, "show", &none);

	if (!r)
		return none ? 1 : -1;
	json_builder_add_value(b, r);	/* takes r */
	return 0;
}

/* Every evpnd in @dir: its sockets are IFNAME.sock. */
static int all_daemons(const char *dir, JsonBuilder *b, GHashTable *seen)
{
	struct dirent **ents;
	int n, i, bad = 0;

	n = scandir(dir, &ents, NULL, alphasort);
	if (n < 0)
		return 0;	/* no run dir: no evpnd */
	for (i = 0; i < n; i++) {
		char *name = ents[i]->d_name;
		size_t l = strlen(name);

		if (l > 5 && !strcmp(name + l - 5, ".sock")) {
			name[l - 5] = 0;
			switch (from_daemon(dir, name, b)) {
			case 0:
				g_hash_table_add(seen, g_strdup(name));
				break;
			case 1:		/* a stale socket: no evpnd behind it */
				break;
			default:
				bad = 1;
			}
		}
		free(ents[i]);
	}
	free(ents);
	return bad;
}

static int collect(const char *dir, const char *dev, JsonBuilder *b)
{
	GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal,
						 g_free, NULL);
	int ret = 0, k;

	if (dev) {
		ret = from_daemon(dir, dev, b);
		if (ret == 1) {
			k = kernel_devices(dev, b, seen);
			if (k == -ENODEV || k == -ENOPKG)
				fprintf(stderr, "evpnctl: %s: no evpnd control "
					"socket in %s and no evpn.ko device of "
					"that name\n", dev, dir);
			ret = k ? -1 : 0;
		}
	} else {
		ret = all_daemons(dir, b, seen);
		k = kernel_devices(NULL, b, seen);
		if (k && k != -ENOPKG)
			ret = -1;
	}
	g_hash_table_destroy(seen);
	return ret;
}

static void output(JsonNode *root, bool json)
{
	JsonArray *devs = jarr(json_node_get_object(root), "interfaces");
	guint i;

	if (json) {
		ej_write(stdout, root, false);
		return;
	}
	for (i = 0; i < len(devs); i++)
		print_device(elem(devs, i), i == 0);
}

int cmd_status(int argc, char **argv)
{
	const char *dev = NULL, *config = NULL, *dir;
	JsonBuilder *b;
	JsonNode *root;
	bool json = false;
	int i, ret;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = true;
		} else if (!strcmp(argv[i], "-c") && i + 1 < argc) {
			config = argv[++i];
		} else if (!dev && argv[i][0] != '-') {
			dev = argv[i];
		} else {
			fputs(STATUS_USAGE, stderr);
			return 1;
		}
	}
	if (dev && strlen(dev) >= IFNAMSIZ) {
		fprintf(stderr, "evpnctl: device name too long: %s\n", dev);
		return 1;
	}
	dir = evpnctl_run_dir(config);
	if (!dir)
		return 1;	/* the config parser said why */
	if (config && !dev)
		dev = evpnctl_config_ifname();
	b = json_builder_new();
	json_builder_begin_object(b);
	ej_array(b, "interfaces");
	ret = collect(dir, dev, b);
	json_builder_end_array(b);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	output(root, json);
	json_node_unref(root);
	g_object_unref(b);
	return ret ? 1 : 0;
}
