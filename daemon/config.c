// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * evpnd configuration parser (see config.h and docs/configuration.md).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>
#include "config.h"
#include "ratelimit.h"

/* Messages quote values: one longer than this is shown as its head and tail
 * (a 100 KB value must not be echoed back), and control characters as '?'
 * (a value must not drive the terminal). */
#define CFG_MSG_MAX	240
#define CFG_MSG_HEAD	160
#define CFG_MSG_TAIL	64

static void put_sane(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = s[i];

		fputc(c < 0x20 || c == 0x7f ? '?' : c, stderr);
	}
}

static void cfg_vmsg(struct cfg_ctx *ctx, const char *kind, const char *fmt,
		     va_list ap)
{
	char *msg = NULL;
	int n = vasprintf(&msg, fmt, ap);

	fprintf(stderr, "%s:%d: %s: ", ctx->file, ctx->line, kind);
	if (ctx->key)
		fprintf(stderr, "%s: ", ctx->key);
	if (n < 0) {
		fputs("(out of memory)", stderr);
	} else if (n <= CFG_MSG_MAX) {
		put_sane(msg, n);
	} else {
		put_sane(msg, CFG_MSG_HEAD);
		fprintf(stderr, "...[%d bytes]...",
			n - CFG_MSG_HEAD - CFG_MSG_TAIL);
		put_sane(msg + n - CFG_MSG_TAIL, CFG_MSG_TAIL);
	}
	fputc('\n', stderr);
	free(msg);
}

void cfg_error(struct cfg_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	ctx->errors++;
	va_start(ap, fmt);
	cfg_vmsg(ctx, "error", fmt, ap);
	va_end(ap);
}

void cfg_warn(struct cfg_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cfg_vmsg(ctx, "warning", fmt, ap);
	va_end(ap);
}

/* ---- value helpers ---- */

int cfg_parse_uint(struct cfg_ctx *ctx, const char *val, unsigned long min,
		   unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(val, &end, 0);
	if (errno || *end || !isdigit((unsigned char)*val)) {
		cfg_error(ctx, "'%s' is not a number", val);
		return -1;
	}
	if (v < min || v > max) {
		cfg_error(ctx, "%lu is out of range [%lu, %lu]", v, min, max);
		return -1;
	}
	*out = v;
	return 0;
}

int cfg_parse_bool(struct cfg_ctx *ctx, const char *val, bool *out)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	size_t i;

	for (i = 0; i < 4; i++) {
		if (!strcasecmp(val, yes[i])) {
			*out = true;
			return 0;
		}
		if (!strcasecmp(val, no[i])) {
			*out = false;
			return 0;
		}
	}
	cfg_error(ctx, "'%s' is not a boolean (yes/no)", val);
	return -1;
}

int cfg_parse_id(struct cfg_ctx *ctx, const char *val, struct evpn_id *out)
{
	if (strlen(val) != EVPN_ID_HEXLEN || evpn_id_from_hex(out, val)) {
		cfg_error(ctx, "'%s' is not a node ID (32 hex digits)", val);
		return -1;
	}
	if (evpn_id_is_zero(out)) {
		cfg_error(ctx, "the all-zero node ID is reserved");
		return -1;
	}
	return 0;
}

int cfg_parse_sockaddr(struct cfg_ctx *ctx, const char *val, int default_port,
		       struct sockaddr_storage *out, socklen_t *len)
{
	char host[INET6_ADDRSTRLEN + 2];
	const char *port = NULL, *h = val;
	size_t hl;
	unsigned long p = default_port;
	struct sockaddr_in *s4 = (struct sockaddr_in *)out;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)out;

	if (*val == '[') {
		const char *close = strchr(val, ']');

		if (!close)
			goto bad;
		h = val + 1;
		hl = close - h;
		if (close[1] == ':')
			port = close + 2;
		else if (close[1])
			goto bad;
	} else {
		const char *colon = strrchr(val, ':');

		if (colon && strchr(val, ':') == colon) {
			hl = colon - val;
			port = colon + 1;
		} else {
			hl = strlen(val);
		}
	}
	if (hl >= sizeof(host))
		goto bad;
	memcpy(host, h, hl);
	host[hl] = 0;
	if (port) {
		if (cfg_parse_uint(ctx, port, 1, 65535, &p))
			return -1;
	} else if (default_port < 0) {
		cfg_error(ctx, "'%s': a port is required (IP:port)", val);
		return -1;
	}
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, host, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(p);
		*len = sizeof(*s4);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(p);
		*len = sizeof(*s6);
		return 0;
	}
bad:
	cfg_error(ctx, "'%s' is not an address (IP:port or [IPv6]:port)", val);
	return -1;
}

int cfg_parse_string(struct cfg_ctx *ctx, const char *val, char *out,
		     size_t size)
{
	if (strlen(val) >= size) {
		cfg_error(ctx, "'%s' is too long (max %zu)", val, size - 1);
		return -1;
	}
	strcpy(out, val);
	return 0;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int cfg_parse_hex(struct cfg_ctx *ctx, const char *val, uint8_t *out,
		  size_t len)
{
	size_t i;

	if (strlen(val) != 2 * len)
		goto bad;
	for (i = 0; i < len; i++) {
		int a = hexval(val[2 * i]), b = hexval(val[2 * i + 1]);

		if (a < 0 || b < 0)
			goto bad;
		out[i] = a << 4 | b;
	}
	return 0;
bad:
	cfg_error(ctx, "expected %zu hex digits", 2 * len);
	return -1;
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = 0;
	return s;
}

/* A secret file read while parsing; cfg_check() insists it is private. */
struct cfg_secret {
	struct cfg_secret *next;
	const char *file;	/* the config file naming it (for messages) */
	int line;
	const char *key;
	char path[];
};

static void remember_secret(struct cfg_ctx *ctx, const char *path)
{
	size_t n = strlen(path) + 1;
	struct cfg_secret *s = calloc(1, sizeof(*s) + n);

	if (!s)
		return;
	s->file = ctx->file;
	s->line = ctx->line;
	s->key = ctx->key;	/* a string literal of a key table */
	memcpy(s->path, path, n);
	s->next = ctx->cfg->secrets;
	ctx->cfg->secrets = s;
}

int cfg_read_secret(struct cfg_ctx *ctx, const char *path, char *out,
		    size_t size)
{
	char full[PATH_MAX];
	struct stat st;
	FILE *f;
	char *line = NULL, *t;
	size_t cap = 0;
	int ret = -1;

	if (path[0] != '/' && strchr(ctx->file, '/')) {
		int dl = strrchr(ctx->file, '/') - ctx->file;

		snprintf(full, sizeof(full), "%.*s/%s", dl, ctx->file, path);
	} else {
		snprintf(full, sizeof(full), "%s", path);
	}
	f = fopen(full, "r");
	if (!f) {
		cfg_error(ctx, "cannot read %s: %s", full, strerror(errno));
		return -1;
	}
	remember_secret(ctx, full);
	if (!fstat(fileno(f), &st) && (st.st_mode & 077))
		cfg_warn(ctx, "secret file %s is accessible by group/others "
			 "(mode %03o); chmod 600 it", full,
			 (unsigned)(st.st_mode & 0777));
	/* someone else's file could be swapped under us (review L6) */
	if (!fstat(fileno(f), &st) && st.st_uid && st.st_uid != geteuid())
		cfg_warn(ctx, "secret file %s is owned by uid %u, not by root "
			 "or us", full, (unsigned)st.st_uid);
	if (getline(&line, &cap, f) < 0) {
		cfg_error(ctx, "%s is empty", full);
		goto out;
	}
	t = trim(line);
	if (strlen(t) >= size) {
		cfg_error(ctx, "%s: secret too long", full);
		goto out;
	}
	strcpy(out, t);
	ret = 0;
out:
	if (line) {
		explicit_bzero(line, cap);
		free(line);
	}
	fclose(f);
	return ret;
}

/* ---- [node] ---- */

static void *node_open(struct cfg_ctx *ctx, const char *name)
{
	return ctx->cfg;
}

static int node_id(struct cfg_ctx *ctx, void *obj, const char *val)
{
	struct evpnd_config *c = obj;

	if (cfg_parse_id(ctx, val, &c->node_id))
		return -1;
	c->has_node_id = true;
	return 0;
}

static int node_state_dir(struct cfg_ctx *ctx, void *obj, const char *val)
{
	struct evpnd_config *c = obj;

	return cfg_parse_string(ctx, val, c->state_dir, sizeof(c->state_dir));
}

static int node_run_dir(struct cfg_ctx *ctx, void *obj, const char *val)
{
	struct evpnd_config *c = obj;

	return cfg_parse_string(ctx, val, c->run_dir, sizeof(c->run_dir));
}

static const struct cfg_key node_keys[] = {
	{ "id", node_id },
	{ "state-dir", node_state_dir },
	{ "run-dir", node_run_dir },
	{ NULL }
};

static const struct cfg_section node_section = {
	.name = "node", .open = node_open, .keys = node_keys,
};

/* ---- [interface] ---- */

static int if_name(struct cfg_ctx *ctx, void *obj, const char *val)
{
	struct evpnd_config *c = obj;
	const char *p;

	for (p = val; *p; p++)
		if (isspace((unsigned char)*p) || *p == '/' || *p == ':')
			break;
	if (*p || !strcmp(val, ".") || !strcmp(val, "..")) {
		cfg_error(ctx, "'%s' is not a valid interface name", val);
		return -1;
	}
	return cfg_parse_string(ctx, val, c->ifname, sizeof(c->ifname));
}

static int if_mtu(struct cfg_ctx *ctx, void *obj, const char *val)
{
	struct evpnd_config *c = obj;
	unsigned long v;

	if (cfg_parse_uint(ctx, val, EVPN_MIN_MTU, EVPN_MAX_MTU, &v))
		return -1;
	c->mtu = v;
	return 0;
}

static int if_datapath(struct cfg_ctx *ctx, void *obj, const char *val)
{
	struct evpnd_config *c = obj;

	if (!strcmp(val, "auto"))
		c->datapath = CFG_DP_AUTO;
	else if (!strcmp(val, "tap"))
		c->datapath = CFG_DP_TAP;
	else if (!strcmp(val, "kernel"))
		c->datapath = CFG_DP_KERNEL;
	else {
		cfg_error(ctx, "datapath must be auto, tap or kernel, not '%s'",
			  val);
		return -1;
	}
	return 0;
}

static int if_fdb_size(struct cfg_ctx *ctx, void *obj, const char *val)
{
	struct evpnd_config *c = obj;
	unsigned long v;

	if (cfg_parse_uint(ctx, val, 16, 1 << 20, &v))
		return -1;
	c->fdb_size = v;
	return 0;
}

static int if_fdb_age(struct cfg_ctx *ctx, void *obj, const char *val)
{
	struct evpnd_config *c = obj;
	unsigned long v;

	if (cfg_parse_uint(ctx, val, 1, 86400, &v))
		return -1;
	c->fdb_age = v;
	return 0;
}

static int if_flood_rate(struct cfg_ctx *ctx, void *obj, const char *val)
{
	struct evpnd_config *c = obj;
	unsigned long v;

	if (cfg_parse_uint(ctx, val, 0, 10000000, &v))
		return -1;
	c->flood_rate = v;
	return 0;
}

static int if_offload(struct cfg_ctx *ctx, void *obj, const char *val)
{
	struct evpnd_config *c = obj;

	return cfg_parse_bool(ctx, val, &c->offload);
}

static int if_mss_clamp(struct cfg_ctx *ctx, void *obj, const char *val)
{
	struct evpnd_config *c = obj;

	return cfg_parse_bool(ctx, val, &c->mss_clamp);
}

/* One "ADDR/PREFIX"; the prefix is required: a /32 the user did not mean
 * would make every other node unreachable without an error. */
static int parse_one_addr(struct cfg_ctx *ctx, const char *word,
			  struct cfg_addr *a)
{
	char host[INET6_ADDRSTRLEN];
	const char *slash = strchr(word, '/');
	unsigned long plen;
	size_t hl = slash ? (size_t)(slash - word) : strlen(word);

	memset(a, 0, sizeof(*a));
	if (hl >= sizeof(host))
		goto bad;
	memcpy(host, word, hl);
	host[hl] = 0;
	if (inet_pton(AF_INET, host, a->addr) == 1)
		a->family = AF_INET;
	else if (inet_pton(AF_INET6, host, a->addr) == 1)
		a->family = AF_INET6;
	else
		goto bad;
	if (!slash) {
		cfg_error(ctx, "'%s': a prefix length is required "
			  "(e.g. 10.200.0.1/24 or fd00:e::1/64)", word);
		return -1;
	}
	if (cfg_parse_uint(ctx, slash + 1, 1, a->family == AF_INET ? 32 : 128,
			   &plen))
		return -1;
	a->prefixlen = plen;
	return 0;
bad:
	cfg_error(ctx, "'%s' is not an address with a prefix length "
		  "(10.200.0.1/24 or fd00:e::1/64)", word);
	return -1;
}

static bool addr_listed(const struct evpnd_config *c, const struct cfg_addr *a)
{
	int i;

	for (i = 0; i < c->naddrs; i++)
		if (c->addrs[i].family == a->family &&
		    !memcmp(c->addrs[i].addr, a->addr, sizeof(a->addr)))
			return true;
	return false;
}

/* address = A/N [, A/N ...]: repeatable; each one added to the device. */
static int if_address(struct cfg_ctx *ctx, void *obj, const char *val)
{
	struct evpnd_config *c = obj;
	char *copy = strdup(val), *w, *save = NULL;
	struct cfg_addr a;
	int ret = 0;

	if (!copy) {
		cfg_error(ctx, "out of memory");
		return -1;
	}
	for (w = strtok_r(copy, ", \t", &save); w;
	     w = strtok_r(NULL, ", \t", &save)) {
		if (parse_one_addr(ctx, w, &a)) {
			ret = -1;
			continue;
		}
		if (addr_listed(c, &a)) {
			cfg_error(ctx, "'%s' given twice", w);
			ret = -1;
		} else if (c->naddrs == CFG_MAX_ADDRS) {
			cfg_error(ctx, "more than %d addresses", CFG_MAX_ADDRS);
			ret = -1;
			break;
		} else {
			c->addrs[c->naddrs++] = a;
		}
	}
	free(copy);
	return ret;
}

static const struct cfg_key if_keys[] = {
	{ "name", if_name },
	{ "mtu", if_mtu },
	{ "address", if_address },
	{ "datapath", if_datapath },
	{ "fdb-size", if_fdb_size },
	{ "fdb-age", if_fdb_age },
	{ "flood-rate", if_flood_rate },
	{ "offload", if_offload },
	{ "mss-clamp", if_mss_clamp },
	{ NULL }
};

static const char *const if_multi[] = { "address", NULL };

static const struct cfg_section if_section = {
	.name = "interface", .open = node_open, .keys = if_keys,
	.multi = if_multi,
};

/* ---- [static] ---- */

static int st_listen(struct cfg_ctx *ctx, void *obj, const char *val)
{
	struct evpnd_config *c = obj;

	return cfg_parse_sockaddr(ctx, val, EVPND_DEFAULT_PORT, &c->listen,
				  &c->listen_len);
}

static const struct cfg_key static_keys[] = {
	{ "listen", st_listen },
	{ NULL }
};

static void *static_open(struct cfg_ctx *ctx, const char *name)
{
	ctx->cfg->static_section = true;
	return ctx->cfg;
}

static const struct cfg_section static_section = {
	.name = "static", .open = static_open, .keys = static_keys,
};

/* ---- [link NAME] ---- */

/* named_link_open: a new [link NAME] or [e2e NAME] entry (KIND) appended to
 * the list at HEAD, refused when NAME is already there or too long */
static struct cfg_link *named_link_open(struct cfg_ctx *ctx, const char *kind,
					struct cfg_link **head, const char *name)
{
	struct cfg_link *l, **tail;

	for (l = *head; l; l = l->next)
		if (!strcmp(l->name, name)) {
			cfg_error(ctx, "%s '%s' already defined at %s:%d",
				  kind, name, l->file, l->line);
			return NULL;
		}
	if (strlen(name) >= sizeof(l->name)) {
		cfg_error(ctx, "%s name too long", kind);
		return NULL;
	}
	l = calloc(1, sizeof(*l));
	if (!l) {
		cfg_error(ctx, "out of memory");
		return NULL;
	}
	strcpy(l->name, name);
	l->file = ctx->file;
	l->line = ctx->line;
	for (tail = head; *tail; tail = &(*tail)->next)
		;
	*tail = l;
	return l;
}

static void *link_open(struct cfg_ctx *ctx, const char *name)
{
	return named_link_open(ctx, "link", &ctx->cfg->links, name);
}

static int link_peer(struct cfg_ctx *ctx, void *obj, const char *val)
{
	struct cfg_link *l = obj;

	if (cfg_parse_id(ctx, val, &l->peer))
		return -1;
	l->has_peer = true;
	return 0;
}

static int link_endpoint(struct cfg_ctx *ctx, void *obj, const char *val)
{
	struct cfg_link *l = obj;

	return cfg_parse_sockaddr(ctx, val, EVPND_DEFAULT_PORT, &l->endpoint,
				  &l->endpoint_len);
}

static int link_psk(struct cfg_ctx *ctx, void *obj, const char *val)
{
	struct cfg_link *l = obj;

	if (cfg_parse_hex(ctx, val, l->psk, EVPN_PSK_LEN))
		return -1;
	l->has_psk = true;
	return 0;
}

static int link_psk_file(struct cfg_ctx *ctx, void *obj, const char *val)
{
	char hex[2 * EVPN_PSK_LEN + 2];
	int ret;

	if (cfg_read_secret(ctx, val, hex, sizeof(hex)))
		return -1;
	ret = link_psk(ctx, obj, hex);
	explicit_bzero(hex, sizeof(hex));
	return ret;
}

static int link_suite(struct cfg_ctx *ctx, void *obj, const char *val)
{
	struct cfg_link *l = obj;

	if (dp_suite_parse(val, &l->suite)) {
		cfg_error(ctx, "unknown suite '%s' (aes-256-gcm, "
			  "chacha20-poly1305)", val);
		return -1;
	}
	return 0;
}

static int parse_key_id(struct cfg_ctx *ctx, const char *val, uint32_t *out)
{
	unsigned long v;

	if (cfg_parse_uint(ctx, val, 1, 0xffffffffUL, &v))
		return -1;
	*out = v;
	return 0;
}

static int link_tx_key_id(struct cfg_ctx *ctx, void *obj, const char *val)
{
	return parse_key_id(ctx, val, &((struct cfg_link *)obj)->tx_key_id);
}

static int link_rx_key_id(struct cfg_ctx *ctx, void *obj, const char *val)
{
	return parse_key_id(ctx, val, &((struct cfg_link *)obj)->rx_key_id);
}

static int link_close(struct cfg_ctx *ctx, void *obj)
{
	struct cfg_link *l = obj;

	if (!l->has_peer) {
		cfg_error(ctx, "link '%s': 'peer' is required", l->name);
		return -1;
	}
	if (!l->endpoint_len) {
		cfg_error(ctx, "link '%s': 'endpoint' is required", l->name);
		return -1;
	}
	if (!l->has_psk) {
		cfg_error(ctx, "link '%s': 'psk' or 'psk-file' is required",
			  l->name);
		return -1;
	}
	if (!l->tx_key_id != !l->rx_key_id) {
		cfg_error(ctx, "link '%s': set both tx-key-id and rx-key-id "
			  "or neither", l->name);
		return -1;
	}
	return 0;
}

static const struct cfg_key link_keys[] = {
	{ "peer", link_peer },
	{ "endpoint", link_endpoint },
	{ "psk", link_psk },
	{ "psk-file", link_psk_file },
	{ "suite", link_suite },
	{ "tx-key-id", link_tx_key_id },
	{ "rx-key-id", link_rx_key_id },
	{ NULL }
};

static const char *const link_same[] = { "psk", "psk-file", NULL };

static const struct cfg_section link_section = {
	.name = "link", .named = true, .repeatable = true,
	.open = link_open, .close = link_close, .keys = link_keys,
	.same = link_same,
};

/* ---- [e2e NAME]: a pair key with a node we may have no link to ---- */

static void *e2e_open(struct cfg_ctx *ctx, const char *name)
{
	return named_link_open(ctx, "e2e", &ctx->cfg->e2e, name);
}

static int e2e_close(struct cfg_ctx *ctx, void *obj)
{
	struct cfg_link *l = obj;

	if (!l->has_peer || !l->has_psk) {
		cfg_error(ctx, "e2e '%s': 'peer' and 'psk' or 'psk-file' are "
			  "required", l->name);
		return -1;
	}
	if (evpn_id_eq(&l->peer, &ctx->cfg->node_id)) {
		cfg_error(ctx, "e2e '%s': peer is this node", l->name);
		return -1;
	}
	return 0;
}

static const struct cfg_key e2e_keys[] = {
	{ "peer", link_peer },
	{ "psk", link_psk },
	{ "psk-file", link_psk_file },
	{ NULL }
};

static const struct cfg_section e2e_section = {
	.name = "e2e", .named = true, .repeatable = true,
	.open = e2e_open, .close = e2e_close, .keys = e2e_keys,
	.same = link_same,
};

/* ---- the table ---- */

static const struct cfg_section *const builtin_sections[] = {
	&node_section, &if_section, &static_section, &link_section,
	&e2e_section,
};

static const struct cfg_section *find_section(const char *name)
{
	const struct cfg_section *ext[] = {
		&cfg_overlay_section, &cfg_xmpp_section, &cfg_ext_section,
		&cfg_metrics_section,
	};
	size_t i;

	for (i = 0; i < sizeof(builtin_sections) / sizeof(*builtin_sections); i++)
		if (!strcmp(builtin_sections[i]->name, name))
			return builtin_sections[i];
	for (i = 0; i < sizeof(ext) / sizeof(*ext); i++)
		if (ext[i] && !strcmp(ext[i]->name, name))
			return ext[i];
	return NULL;
}

void cfg_init(struct evpnd_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	strcpy(cfg->state_dir, EVPND_DEFAULT_STATE_DIR);
	strcpy(cfg->run_dir, EVPND_DEFAULT_RUN_DIR);
	strcpy(cfg->ifname, EVPND_DEFAULT_IFNAME);
	cfg->mtu = EVPN_DEFAULT_MTU;
	cfg->datapath = CFG_DP_AUTO;
	cfg->fdb_size = 4096;
	cfg->fdb_age = 300;
	cfg->flood_rate = EVPN_FLOOD_RATE;
	cfg->offload = true;
	cfg->mss_clamp = true;
}

#define CFG_MAX_KEYS	64

struct parse_state {
	struct cfg_ctx ctx;
	const struct cfg_section *sec;
	void *obj;
	bool skip;		/* the header was bad: ignore its keys */
	int hdr_line;		/* close() errors point at the header */
	int nsections;
	/* the line each key of the current section was given on (0: not yet) */
	int key_line[CFG_MAX_KEYS];
	/* unnamed, non-repeatable sections seen (by pointer) */
	const struct cfg_section *seen[16];
	int nseen;
};

static void close_section(struct parse_state *ps)
{
	int line = ps->ctx.line;

	if (ps->sec && ps->sec->close) {
		ps->ctx.line = ps->hdr_line;
		ps->sec->close(&ps->ctx, ps->obj);
		ps->ctx.line = line;
	}
	ps->sec = NULL;
	ps->obj = NULL;
	ps->skip = false;
}

static bool section_seen(struct parse_state *ps, const struct cfg_section *sec)
{
	int i;

	for (i = 0; i < ps->nseen; i++)
		if (ps->seen[i] == sec)
			return true;
	if (ps->nseen < 16)
		ps->seen[ps->nseen++] = sec;
	return false;
}

/* Splits "name [arg]"; returns arg or NULL. */
static char *split_header(char *hdr, char **name)
{
	char *arg;

	*name = trim(hdr);
	arg = *name;
	while (*arg && !isspace((unsigned char)*arg))
		arg++;
	if (!*arg)
		return NULL;
	*arg++ = 0;
	return trim(arg);
}

static int open_section(struct parse_state *ps, char *hdr)
{
	const struct cfg_section *sec;
	char *name, *arg = split_header(hdr, &name);

	ps->nsections++;
	ps->skip = true;	/* until the header proves good */
	sec = find_section(name);
	if (!sec) {
		cfg_error(&ps->ctx, "unknown section [%s]", name);
		return -1;
	}
	if (sec->named && !arg) {
		cfg_error(&ps->ctx, "section [%s] needs a name: [%s NAME]",
			  name, name);
		return -1;
	}
	if (!sec->named && arg) {
		cfg_error(&ps->ctx, "section [%s] takes no name", name);
		return -1;
	}
	if (!sec->repeatable && section_seen(ps, sec)) {
		cfg_error(&ps->ctx, "section [%s] appears twice", name);
		return -1;
	}
	ps->obj = sec->open(&ps->ctx, arg);
	if (!ps->obj)
		return -1;
	ps->sec = sec;
	ps->skip = false;
	ps->hdr_line = ps->ctx.line;
	memset(ps->key_line, 0, sizeof(ps->key_line));
	return 0;
}

static bool in_list(const char *const *list, const char *key)
{
	for (; list && *list; list++)
		if (!strcmp(*list, key))
			return true;
	return false;
}

/* The key a duplicate is counted against: the first of a `same` pair. */
static const char *canonical_key(const struct cfg_section *sec,
				 const char *key)
{
	const char *const *p;

	for (p = sec->same; p && p[0] && p[1]; p += 2)
		if (!strcmp(p[1], key))
			return p[0];
	return key;
}

static int key_index(const struct cfg_section *sec, const char *key)
{
	int i;

	for (i = 0; sec->keys && sec->keys[i].name && i < CFG_MAX_KEYS; i++)
		if (!strcmp(sec->keys[i].name, key))
			return i;
	return -1;
}

/* A key given twice would silently take the last value: an error. */
static int check_duplicate(struct parse_state *ps, const char *key)
{
	const char *canon = canonical_key(ps->sec, key);
	int i = key_index(ps->sec, canon);

	if (i < 0 || in_list(ps->sec->multi, key))
		return 0;
	if (ps->key_line[i]) {
		cfg_error(&ps->ctx, "'%s' given twice in [%s] (first at line %d%s%s)",
			  key, ps->sec->name, ps->key_line[i],
			  canon != key ? " as " : "", canon != key ? canon : "");
		return -1;
	}
	ps->key_line[i] = ps->ctx.line;
	return 0;
}

static int parse_kv(struct parse_state *ps, char *line)
{
	char *eq = strchr(line, '='), *key, *val;
	const struct cfg_key *k;

	if (!eq) {
		cfg_error(&ps->ctx, "expected 'key = value' or '[section]'");
		return -1;
	}
	*eq = 0;
	key = trim(line);
	val = trim(eq + 1);
	if (ps->skip)
		return 0;	/* the bad header was reported */
	if (!ps->sec) {
		cfg_error(&ps->ctx, "'%s' outside of any section", key);
		return -1;
	}
	for (k = ps->sec->keys; k && k->name; k++)
		if (!strcmp(k->name, key))
			break;
	if (!k || !k->name) {
		cfg_error(&ps->ctx, "unknown key '%s' in [%s]", key,
			  ps->sec->name);
		return -1;
	}
	ps->ctx.key = k->name;
	if (!*val)
		cfg_error(&ps->ctx, "no value");
	else if (strlen(val) > CFG_VALUE_MAX)
		cfg_error(&ps->ctx, "value too long (%zu bytes, at most %d)",
			  strlen(val), CFG_VALUE_MAX);
	else if (!check_duplicate(ps, k->name))
		k->parse(&ps->ctx, ps->obj, val);
	ps->ctx.key = NULL;
	return 0;
}

/* '#' starts a comment at the start of a line or after whitespace (so a
 * value may contain '#' not preceded by a blank); ';' only at the start. */
static void strip_comment(char *s)
{
	char *p;

	if (*s == ';') {
		*s = 0;
		return;
	}
	for (p = s; *p; p++)
		if (*p == '#' && (p == s || isspace((unsigned char)p[-1]))) {
			*p = 0;
			return;
		}
}

static void parse_line(struct parse_state *ps, char *line)
{
	char *s = trim(line), *end;

	strip_comment(s);
	s = trim(s);
	if (!*s)
		return;
	if (*s == '[') {
		end = strchr(s, ']');
		close_section(ps);
		if (!end || end[1]) {
			ps->skip = true;
			cfg_error(&ps->ctx, "malformed section header");
			return;
		}
		*end = 0;
		open_section(ps, s + 1);
		return;
	}
	parse_kv(ps, s);
}

static int finish_all(struct evpnd_config *cfg, const char *file)
{
	const struct cfg_section *ext[] = {
		&cfg_overlay_section, &cfg_xmpp_section, &cfg_ext_section,
		&cfg_metrics_section,
	};
	size_t i;

	for (i = 0; i < sizeof(builtin_sections) / sizeof(*builtin_sections); i++)
		if (builtin_sections[i]->finish &&
		    builtin_sections[i]->finish(cfg, file))
			return -1;
	for (i = 0; i < sizeof(ext) / sizeof(*ext); i++)
		if (ext[i] && ext[i]->finish && ext[i]->finish(cfg, file))
			return -1;
	return 0;
}

/* Parses every line, reporting every error (not only the first). A file
 * (@need_section) must have at least one section: an empty or all-comment
 * file is a mistake (a wrong path, a truncated copy), not a valid config. */
static int load_text(struct evpnd_config *cfg, const char *name,
		     const char *text, bool need_section)
{
	struct parse_state ps = { .ctx = { .file = name, .cfg = cfg } };
	char *copy = strdup(text), *line, *save = NULL;
	size_t len = strlen(text);

	if (!copy)
		return -1;
	/* strtok_r would skip empty lines and break line numbers */
	for (line = copy; line; line = save) {
		save = strchr(line, '\n');
		if (save)
			*save++ = 0;
		ps.ctx.line++;
		parse_line(&ps, line);
	}
	close_section(&ps);
	explicit_bzero(copy, len);
	free(copy);
	if (need_section && !ps.nsections) {
		ps.ctx.line = 1;
		cfg_error(&ps.ctx, "empty configuration (no [section]; see "
			  "evpnd.conf(5))");
	}
	if (ps.ctx.errors)
		return -1;
	return finish_all(cfg, name);
}

int cfg_load_string(struct evpnd_config *cfg, const char *name,
		    const char *text)
{
	return load_text(cfg, name, text, false);
}

int cfg_load_file(struct evpnd_config *cfg, const char *path)
{
	FILE *f = fopen(path, "r");
	char *text;
	long n;
	int ret;

	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	if (n < 0 || n > (1 << 20)) {
		fprintf(stderr, "%s: unreadable or too large\n", path);
		fclose(f);
		return -1;
	}
	text = calloc(1, n + 1);
	if (!text || fread(text, 1, n, f) != (size_t)n) {
		fprintf(stderr, "%s: read error\n", path);
		free(text);
		fclose(f);
		return -1;
	}
	fclose(f);
	/* keep the name alive: error messages and links point at it */
	free(cfg->path);
	cfg->path = strdup(path);
	ret = load_text(cfg, cfg->path ? cfg->path : "config", text, true);
	explicit_bzero(text, n);
	free(text);
	return ret;
}

static int check_secret(const struct cfg_secret *s)
{
	struct cfg_ctx ctx = { .file = s->file, .line = s->line, .key = s->key };
	struct stat st;

	if (stat(s->path, &st)) {
		cfg_error(&ctx, "%s: %s", s->path, strerror(errno));
		return -1;
	}
	if (st.st_mode & 077) {
		cfg_error(&ctx, "secret file %s is accessible by group/others "
			  "(mode %03o); chmod 600 it", s->path,
			  (unsigned)(st.st_mode & 0777));
		return -1;
	}
	return 0;
}

int cfg_check(const struct evpnd_config *cfg)
{
	const struct cfg_section *ext[] = {
		&cfg_overlay_section, &cfg_xmpp_section, &cfg_ext_section,
		&cfg_metrics_section,
	};
	const struct cfg_secret *s;
	size_t i;
	int ret = 0;

	for (s = cfg->secrets; s; s = s->next)
		if (check_secret(s))
			ret = -1;
	for (i = 0; i < sizeof(builtin_sections) / sizeof(*builtin_sections); i++)
		if (builtin_sections[i]->check && builtin_sections[i]->check(cfg))
			ret = -1;
	for (i = 0; i < sizeof(ext) / sizeof(*ext); i++)
		if (ext[i] && ext[i]->check && ext[i]->check(cfg))
			ret = -1;
	return ret;
}

void cfg_free(struct evpnd_config *cfg)
{
	struct cfg_link *l, *n;

	for (l = cfg->links; l; l = n) {
		n = l->next;
		explicit_bzero(l, sizeof(*l));
		free(l);
	}
	cfg->links = NULL;
	for (l = cfg->e2e; l; l = n) {
		n = l->next;
		explicit_bzero(l, sizeof(*l));
		free(l);
	}
	cfg->e2e = NULL;
	while (cfg->secrets) {
		struct cfg_secret *s = cfg->secrets;

		cfg->secrets = s->next;
		free(s);
	}
	free(cfg->path);
	cfg->path = NULL;
}

int cfg_link_from_words(struct cfg_link *l, const char *name, char **words,
			int nwords, char *err, size_t errlen)
{
	struct evpnd_config tmp;
	char text[2048];
	size_t off, blen = 0;
	int i, ret;
	FILE *mem, *old = stderr;
	char *buf = NULL;

	/* Reuse the file parser, so the keys and checks are the same. A word
	 * must be one key line: one it would read as a section header
	 * ("[overlay\vo]": \v separates no words on the socket) opened that
	 * section in @tmp (an [overlay] leaked: cfg_free() leaves overlays to
	 * their owner). */
	for (i = 0; i < nwords; i++)
		if (words[i][strspn(words[i], " \t\v\f\r\n")] == '[' ||
		    strchr(words[i], '\n')) {
			snprintf(err, errlen, "expected key=value words");
			return -1;
		}
	off = snprintf(text, sizeof(text), "[link %s]\n", name);
	for (i = 0; i < nwords && off < sizeof(text); i++)
		off += snprintf(text + off, sizeof(text) - off, "%s\n",
				words[i]);
	if (off >= sizeof(text)) {
		snprintf(err, errlen, "request too long");
		return -1;
	}
	cfg_init(&tmp);
	/* capture the parser's messages to report them on the socket */
	mem = open_memstream(&buf, &blen);
	if (mem)
		stderr = mem;
	ret = cfg_load_string(&tmp, "request", text);
	stderr = old;
	if (mem)
		fclose(mem);
	explicit_bzero(text, sizeof(text));
	if (ret || !tmp.links) {
		snprintf(err, errlen, "%s", buf && *buf ? buf : "bad link");
		err[strcspn(err, "\n")] = 0;
		cfg_free(&tmp);
		free(buf);
		return -1;
	}
	free(buf);
	*l = *tmp.links;
	l->next = NULL;
	l->file = "control socket";
	cfg_free(&tmp);
	return 0;
}
