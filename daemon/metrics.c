// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The Prometheus endpoint (metrics.h): the [metrics] section, the text,
 * and a minimal HTTP/1.0 server on the main loop.
 *
 * The server is deliberately small: one request per connection, read
 * without blocking until the end of its headers (at most 2 KiB), answered,
 * closed; at most METRICS_MAX_CLIENTS at once, each dropped after
 * METRICS_TIMEOUT_S, so a stuck or hostile scraper costs a file descriptor
 * for a few seconds, never the daemon's loop. It is meant for a local
 * address (127.0.0.1, or a management network): it has no TLS and no
 * authentication, like node_exporter's default.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <glib-unix.h>

#include "linkmgr.h"
#include "metrics.h"
#include "overlay.h"
#include "xmpp.h"

#define METRICS_MAX_CLIENTS	8
#define METRICS_TIMEOUT_S	5
#define METRICS_REQ_MAX		2048

/* ---- [metrics] ---- */

static int m_listen(struct cfg_ctx *ctx, void *obj, const char *val)
{
	struct evpnd_config *c = obj;

	return cfg_parse_sockaddr(ctx, val, -1, &c->metrics_listen,
				  &c->metrics_listen_len);
}

static void *m_open(struct cfg_ctx *ctx, const char *name)
{
	return ctx->cfg;
}

static int m_close(struct cfg_ctx *ctx, void *obj)
{
	struct evpnd_config *c = obj;

	if (c->metrics_listen_len)
		return 0;
	cfg_error(ctx, "[metrics]: 'listen' is required (e.g. "
		  "listen = 127.0.0.1:9474)");
	return -1;
}

static const struct cfg_key metrics_keys[] = {
	{ "listen", m_listen },
	{ NULL }
};

const struct cfg_section cfg_metrics_section = {
	.name = "metrics", .open = m_open, .close = m_close,
	.keys = metrics_keys,
};

/* ---- the text ---- */

static void family(FILE *out, const char *name, const char *type,
		   const char *help)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A label value: backslash, double quote and newline escaped. */
static void label_value(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			fprintf(out, "\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", out);
		else
			fputc(*s, out);
	}
	fputc('"', out);
}

/* Per-link labels: {link="NAME",peer="ID"} */
static void link_labels(FILE *out, struct dp_link *l)
{
	char hex[EVPN_ID_HEXLEN + 1];

	evpn_id_to_hex(dp_link_peer(l), hex);
	fputs("link=", out);
	label_value(out, dp_link_name(l));
	fprintf(out, ",peer=\"%s\"", hex);
}

struct link_metric {
	const char *name, *type, *help;
	/* prints the value (after the labels) of one link */
	void (*value)(FILE *out, struct dp_link *l);
};

#define LINK_COUNTER(field)						\
static void v_##field(FILE *out, struct dp_link *l)			\
{									\
	fprintf(out, "%llu", (unsigned long long)dp_link_counters(l)->field); \
}
LINK_COUNTER(rx_packets)
LINK_COUNTER(rx_bytes)
LINK_COUNTER(tx_packets)
LINK_COUNTER(tx_bytes)

/* The overlay's view of a link (none for static links). */
static bool link_view(struct dp_link *l, struct linkmgr_link *lv)
{
	struct overlay_view ov;
	unsigned int i;

	for (i = 0; overlay_get(i, &ov); i++)
		if (linkmgr_link_view(ov.lm, l, lv))
			return true;
	return false;
}

static void v_up(FILE *out, struct dp_link *l)
{
	struct linkmgr_link lv;

	fputs(!link_view(l, &lv) || !strcmp(lv.state, "up") ? "1" : "0", out);
}

static void v_relayed(FILE *out, struct dp_link *l)
{
	struct linkmgr_link lv;

	fputs(link_view(l, &lv) && lv.relayed ? "1" : "0", out);
}

static void v_up_seconds(FILE *out, struct dp_link *l)
{
	struct linkmgr_link lv;

	fprintf(out, "%lld", link_view(l, &lv) ? lv.up_s : 0LL);
}

static const struct link_metric link_metrics[] = {
	{ "evpn_link_rx_packets_total", "counter", "Records received on the link.", v_rx_packets },
	{ "evpn_link_rx_bytes_total", "counter", "Bytes of records received on the link.", v_rx_bytes },
	{ "evpn_link_tx_packets_total", "counter", "Records sent on the link.", v_tx_packets },
	{ "evpn_link_tx_bytes_total", "counter", "Bytes of records sent on the link.", v_tx_bytes },
	{ "evpn_link_up", "gauge", "1 if the link carries traffic (static links: always).", v_up },
	{ "evpn_link_relayed", "gauge", "1 if the link's path goes through a TURN relay.", v_relayed },
	{ "evpn_link_up_seconds", "gauge", "Seconds since the overlay link came up (0 for static links).", v_up_seconds },
};

struct each_ctx {
	FILE *out;
	const struct link_metric *m;
};

static void each_link_value(struct dp_link *l, void *ctx)
{
	struct each_ctx *e = ctx;

	fprintf(e->out, "%s{", e->m->name);
	link_labels(e->out, l);
	fputs("} ", e->out);
	e->m->value(e->out, l);
	fputc('\n', e->out);
}

static void each_link_drops(struct dp_link *l, void *ctx)
{
	FILE *out = ctx;
	const struct dp_counters *c = dp_link_counters(l);
	int r;

	for (r = 1; r < __EVPN_DROP_MAX; r++) {
		fputs("evpn_link_drops_total{", out);
		link_labels(out, l);
		fprintf(out, ",reason=\"%s\"} %llu\n", dp_drop_name(r),
			(unsigned long long)c->drops[r]);
	}
}

static void count_link(struct dp_link *l, void *ctx)
{
	(*(unsigned int *)ctx)++;
}

static void write_device(struct dp *dp, FILE *out)
{
	const struct dp_counters *c = dp_counters(dp);
	char hex[EVPN_ID_HEXLEN + 1];
	unsigned int nlinks = 0;
	int r;

	evpn_id_to_hex(dp_node_id(dp), hex);
	family(out, "evpn_info", "gauge", "The node: device, node ID, datapath, version.");
	fputs("evpn_info{ifname=", out);
	label_value(out, dp_ifname(dp));
	fprintf(out, ",node_id=\"%s\",datapath=\"%s\",version=\"%s\"} 1\n", hex,
		dp_kind(dp) == DP_KIND_KERNEL ? "kernel" : "tap", EVPN_VERSION);
#define DEV_COUNTER(name, field, help)					\
	family(out, name, "counter", help);				\
	fprintf(out, name " %llu\n", (unsigned long long)c->field)
	DEV_COUNTER("evpn_rx_packets_total", rx_packets, "Records accepted on all links.");
	DEV_COUNTER("evpn_rx_bytes_total", rx_bytes, "Bytes of records accepted on all links.");
	DEV_COUNTER("evpn_tx_packets_total", tx_packets, "Records sent on all links.");
	DEV_COUNTER("evpn_tx_bytes_total", tx_bytes, "Bytes of records sent on all links.");
	DEV_COUNTER("evpn_forwarded_packets_total", fwd_packets, "Records relayed for other nodes (transit and flood copies).");
	DEV_COUNTER("evpn_device_rx_frames_total", tap_rx_packets, "Frames the device handed to evpn (sent by this host).");
	DEV_COUNTER("evpn_device_rx_bytes_total", tap_rx_bytes, "Bytes of frames the device handed to evpn.");
	DEV_COUNTER("evpn_device_tx_frames_total", tap_tx_packets, "Frames delivered to this host.");
	DEV_COUNTER("evpn_device_tx_bytes_total", tap_tx_bytes, "Bytes of frames delivered to this host.");
#undef DEV_COUNTER
	family(out, "evpn_drops_total", "counter", "Records and frames dropped, by reason (uapi enum evpn_drop_reason).");
	for (r = 1; r < __EVPN_DROP_MAX; r++)
		fprintf(out, "evpn_drops_total{reason=\"%s\"} %llu\n",
			dp_drop_name(r), (unsigned long long)c->drops[r]);
	dp_link_foreach(dp, count_link, &nlinks);
	family(out, "evpn_links", "gauge", "Links in the datapath.");
	fprintf(out, "evpn_links %u\n", nlinks);
}

static void write_links(struct dp *dp, FILE *out)
{
	size_t i;

	for (i = 0; i < sizeof(link_metrics) / sizeof(link_metrics[0]); i++) {
		struct each_ctx e = { .out = out, .m = &link_metrics[i] };

		family(out, e.m->name, e.m->type, e.m->help);
		dp_link_foreach(dp, each_link_value, &e);
	}
	family(out, "evpn_link_drops_total", "counter", "Records dropped on the link, by reason.");
	dp_link_foreach(dp, each_link_drops, out);
}

/* One sample per overlay of @name: value from @fn. */
static void overlay_metric(FILE *out, const char *name, const char *type,
			   const char *help,
			   unsigned long (*fn)(const struct overlay_view *))
{
	struct overlay_view ov;
	unsigned int i;

	family(out, name, type, help);
	for (i = 0; overlay_get(i, &ov); i++) {
		fprintf(out, "%s{overlay=", name);
		label_value(out, ov.name);
		fprintf(out, "} %lu\n", fn(&ov));
	}
}

static unsigned long o_online(const struct overlay_view *v)
{
	return !strcmp(xc_state_name(v->xc), "online");
}
static unsigned long o_connects(const struct overlay_view *v) { return xc_stats(v->xc)->connects; }
static unsigned long o_auth(const struct overlay_view *v) { return xc_stats(v->xc)->auth_failures; }
static unsigned long o_nonmember(const struct overlay_view *v) { return xc_stats(v->xc)->presence_nonmember; }
static unsigned long o_members(const struct overlay_view *v) { return linkmgr_nmembers(v->lm); }
static unsigned long o_setups(const struct overlay_view *v) { return linkmgr_stats(v->lm)->links_up; }
static unsigned long o_failed(const struct overlay_view *v) { return linkmgr_stats(v->lm)->links_failed; }
static unsigned long o_refused(const struct overlay_view *v) { return linkmgr_stats(v->lm)->dtls_refused; }
static unsigned long o_rekeys(const struct overlay_view *v) { return linkmgr_stats(v->lm)->rekeys; }

static void write_overlays(FILE *out)
{
	struct overlay_view ov;

	if (!overlay_get(0, &ov))
		return;
	overlay_metric(out, "evpn_xmpp_online", "gauge", "1 while the XMPP session is up.", o_online);
	overlay_metric(out, "evpn_xmpp_connects_total", "counter", "XMPP sessions established.", o_connects);
	overlay_metric(out, "evpn_xmpp_auth_failures_total", "counter", "XMPP logins refused (wrong password?).", o_auth);
	overlay_metric(out, "evpn_presence_nonmember_total", "counter", "Presences from accounts outside the group.", o_nonmember);
	overlay_metric(out, "evpn_overlay_members", "gauge", "Members known (present or remembered).", o_members);
	overlay_metric(out, "evpn_overlay_link_setups_total", "counter", "Links that came up.", o_setups);
	overlay_metric(out, "evpn_overlay_link_failures_total", "counter", "Link setups that failed or links that died.", o_failed);
	overlay_metric(out, "evpn_overlay_dtls_refused_total", "counter", "DTLS handshakes refused (wrong certificate).", o_refused);
	overlay_metric(out, "evpn_overlay_rekeys_total", "counter", "Key epochs installed after the first.", o_rekeys);
}

void metrics_write(struct dp *dp, FILE *out)
{
	write_device(dp, out);
	write_links(dp, out);
	write_overlays(out);
}

/* ---- the HTTP server ---- */

struct mclient {
	int fd;
	guint watch, timer;
	char req[METRICS_REQ_MAX];
	size_t len;
	char *resp;
	size_t rlen, off;
};

static struct {
	int fd;
	guint watch;
	struct dp *dp;
	int nclients;
	GList *clients;
} M = { .fd = -1 };

static void client_close(struct mclient *c)
{
	if (c->watch)
		g_source_remove(c->watch);
	if (c->timer)
		g_source_remove(c->timer);
	close(c->fd);
	free(c->resp);
	M.clients = g_list_remove(M.clients, c);
	g_free(c);
	M.nclients--;
}

static gboolean on_timeout(gpointer data)
{
	struct mclient *c = data;

	c->timer = 0;
	client_close(c);
	return G_SOURCE_REMOVE;
}

static void respond(struct mclient *c, const char *status, const char *ctype,
		    const char *body, size_t blen)
{
	FILE *f = open_memstream(&c->resp, &c->rlen);

	if (!f)
		return;
	fprintf(f, "HTTP/1.0 %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
		"Connection: close\r\n\r\n", status, ctype, blen);
	fwrite(body, 1, blen, f);
	fclose(f);
}

static void build_response(struct mclient *c)
{
	char *body = NULL;
	size_t blen = 0;
	FILE *f;

	if (strncmp(c->req, "GET ", 4)) {
		respond(c, "405 Method Not Allowed", "text/plain", "GET only\n", 9);
		return;
	}
	if (strncmp(c->req + 4, "/metrics ", 9) && strncmp(c->req + 4, "/metrics?", 9)) {
		respond(c, "404 Not Found", "text/plain", "see /metrics\n", 13);
		return;
	}
	f = open_memstream(&body, &blen);
	if (!f)
		return;
	metrics_write(M.dp, f);
	fclose(f);
	respond(c, "200 OK", "text/plain; version=0.0.4; charset=utf-8", body, blen);
	free(body);
}

static gboolean on_write(gint fd, GIOCondition cond, gpointer data)
{
	struct mclient *c = data;
	ssize_t n = send(fd, c->resp + c->off, c->rlen - c->off,
			 MSG_NOSIGNAL | MSG_DONTWAIT);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return G_SOURCE_CONTINUE;
	if (n > 0)
		c->off += n;
	if (n > 0 && c->off < c->rlen)
		return G_SOURCE_CONTINUE;
	c->watch = 0;
	client_close(c);
	return G_SOURCE_REMOVE;
}

static bool request_complete(const struct mclient *c)
{
	return strstr(c->req, "\r\n\r\n") || strstr(c->req, "\n\n");
}

static gboolean on_read(gint fd, GIOCondition cond, gpointer data)
{
	struct mclient *c = data;
	ssize_t n = recv(fd, c->req + c->len, sizeof(c->req) - 1 - c->len,
			 MSG_DONTWAIT);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return G_SOURCE_CONTINUE;
	if (n > 0) {
		c->len += n;
		c->req[c->len] = 0;
		if (!request_complete(c) && c->len < sizeof(c->req) - 1)
			return G_SOURCE_CONTINUE;
		if (request_complete(c))
			build_response(c);
		else
			respond(c, "431 Request Header Fields Too Large",
				"text/plain", "too long\n", 9);
	}
	c->watch = 0;
	if (n <= 0 || !c->resp) {
		client_close(c);
		return G_SOURCE_REMOVE;
	}
	c->watch = g_unix_fd_add(fd, G_IO_OUT, on_write, c);
	return G_SOURCE_REMOVE;
}

static gboolean on_accept(gint fd, GIOCondition cond, gpointer data)
{
	struct mclient *c;
	int cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

	if (cfd < 0)
		return G_SOURCE_CONTINUE;
	if (M.nclients >= METRICS_MAX_CLIENTS) {
		close(cfd);
		return G_SOURCE_CONTINUE;
	}
	c = g_new0(struct mclient, 1);
	c->fd = cfd;
	M.nclients++;
	M.clients = g_list_prepend(M.clients, c);
	c->watch = g_unix_fd_add(cfd, G_IO_IN, on_read, c);
	c->timer = g_timeout_add_seconds(METRICS_TIMEOUT_S, on_timeout, c);
	return G_SOURCE_CONTINUE;
}

int metrics_start(const struct evpnd_config *cfg, struct dp *dp)
{
	const struct sockaddr *sa = (const struct sockaddr *)&cfg->metrics_listen;
	int one = 1;

	if (!cfg->metrics_listen_len)
		return 0;
	M.dp = dp;
	M.fd = socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (M.fd < 0)
		goto fail;
	setsockopt(M.fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(M.fd, sa, cfg->metrics_listen_len) || listen(M.fd, 16))
		goto fail;
	M.watch = g_unix_fd_add(M.fd, G_IO_IN, on_accept, NULL);
	return 0;
fail:
	fprintf(stderr, "evpnd: metrics: cannot listen on the [metrics] "
		"address: %s\n", strerror(errno));
	if (M.fd >= 0)
		close(M.fd);
	M.fd = -1;
	return -1;
}

void metrics_stop(void)
{
	while (M.clients)
		client_close(M.clients->data);
	if (M.watch)
		g_source_remove(M.watch);
	M.watch = 0;
	if (M.fd >= 0)
		close(M.fd);
	M.fd = -1;
}
