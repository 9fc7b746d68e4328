// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libstrophe in the GLib main loop.
 *
 * libstrophe 0.12 has no fd accessor, but its sockopt callback receives
 * every socket it creates: we put a GLib fd watch on that socket and call
 * xmpp_run_once(ctx, 0) when it is readable (or writable while a connect is
 * in progress). Sends are queued by libstrophe and written in run_once, so
 * xc_send() schedules one idle pump (at default priority: libnice keeps
 * default-priority sources busy during ICE checks, and a low-priority idle
 * was seen starving for 2 s, delaying trickled candidates). A slow timer (XC_TICK_S) lets
 * libstrophe's own timed handlers (keepalives, timeouts) run; while
 * connecting a short one drives the handshake. No busy polling when idle.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib-unix.h>

#include "signalling.h"
#include "xmpp.h"

#define XC_TICK_S		10
#define XC_CONNECT_TICK_MS	50
#define XC_BACKOFF_MIN_MS	500
#define XC_BACKOFF_MAX_MS	10000
#define XC_PUMP_ROUNDS		8
#define NS_ROSTER		"jabber:iq:roster"

enum xc_state { XC_IDLE, XC_CONNECTING, XC_ONLINE, XC_WAIT, XC_FAILED };
static const char *const state_names[] = { "idle", "connecting", "online",
					   "reconnect-wait", "failed" };

struct xc {
	struct xc_config cfg;
	const struct xc_ops *ops;
	void *cb_ctx;
	xmpp_ctx_t *ctx;
	xmpp_conn_t *conn;
	xmpp_log_t log;
	enum xc_state state;
	int fd;
	guint fd_watch, tick, idle, reconnect;
	guint tick_ms;
	GIOCondition watch_cond;
	guint backoff_ms;
	GHashTable *group;	/* bare JID -> NULL: roster group members */
	GHashTable *members;	/* full JID -> struct sig_presence */
	struct sig_presence self;
	bool have_self;
	struct xc_stats stats;
	/* what went wrong (xc_problem()); seen during the current attempt */
	enum xc_problem problem, attempt_problem;
	char problem_msg[256], attempt_msg[256];
};

/* libstrophe's sockopt callback has no user data: map conn -> xc. */
static GHashTable *conn_map;

static void pump(struct xc *xc);
static void schedule_reconnect(struct xc *xc);

/* Remember what this connection attempt failed on, for on_conn(). */
static void attempt_failed(struct xc *xc, enum xc_problem p, const char *msg)
{
	if (xc->attempt_problem && p == XC_PROBLEM_TLS)
		return;		/* the first cause, not its consequences */
	xc->attempt_problem = p;
	g_strlcpy(xc->attempt_msg, msg, sizeof(xc->attempt_msg));
}

/*
 * libstrophe reports why a login failed only in its log: a refused SASL
 * exchange (wrong password or no such account) or a TLS failure.
 */
static bool tls_failure(xmpp_log_level_t level, const char *area,
			const char *msg)
{
	static const char *const what[] = {
		"TLS is not supported", "Couldn't start TLS",
		"Unrecoverable TLS", "Handshake failed", "certificate",
	};
	guint i;

	for (i = 0; i < G_N_ELEMENTS(what); i++)
		if (strstr(msg, what[i]))
			return true;
	return !strcmp(area, "tls") && level >= XMPP_LEVEL_WARN;
}

static void classify_log(struct xc *xc, xmpp_log_level_t level,
			 const char *area, const char *msg)
{
	char buf[200];

	if (xc->state != XC_CONNECTING)
		return;
	if ((strstr(msg, "SASL") && strstr(msg, "auth failed")) ||
	    strstr(msg, "Cannot authenticate with known methods")) {
		attempt_failed(xc, XC_PROBLEM_AUTH, "authentication failed: "
			       "wrong password (or no such account)");
	} else if (tls_failure(level, area, msg)) {
		snprintf(buf, sizeof(buf), "TLS error: %s", msg);
		attempt_failed(xc, XC_PROBLEM_TLS, buf);
	}
}

static void strophe_log(void *ud, xmpp_log_level_t level, const char *area,
			const char *msg)
{
	struct xc *xc = ud;

	classify_log(xc, level, area, msg);
	if (xc->cfg.verbose)
		g_message("xmpp[%s]: %s: %s", xc->cfg.jid, area, msg);
	else if (level >= XMPP_LEVEL_WARN)
		g_debug("xmpp[%s]: %s: %s", xc->cfg.jid, area, msg);
}

/* The server's certificate did not verify (libstrophe asks us whether to
 * go on anyway: no). */
static int on_certfail(const xmpp_tlscert_t *cert, const char *const errormsg)
{
	xmpp_ctx_t *ctx = xmpp_tlscert_get_ctx(cert);
	struct xc *xc = NULL;
	GHashTableIter it;
	gpointer v;
	char buf[200];

	/* (the certificate's conn is not always set: find us by context) */
	g_hash_table_iter_init(&it, conn_map);
	while (!xc && g_hash_table_iter_next(&it, NULL, &v))
		if (((struct xc *)v)->ctx == ctx)
			xc = v;

	if (xc) {
		snprintf(buf, sizeof(buf), "TLS error: server certificate "
			 "rejected: %s", errormsg);
		attempt_failed(xc, XC_PROBLEM_TLS_CERT, buf);
	}
	return 0;
}

/* A new problem (or none): logged once, at error level when fatal. */
static void set_problem(struct xc *xc, enum xc_problem p, const char *msg,
			bool fatal)
{
	if (p == xc->problem && (!p || !strcmp(msg, xc->problem_msg)))
		return;
	xc->problem = p;
	g_strlcpy(xc->problem_msg, p ? msg : "", sizeof(xc->problem_msg));
	if (!p)
		return;
	if (fatal)
		g_critical("xmpp[%s]: %s: not retrying (retrying cannot help; "
			   "fix the configuration or the server, then reload "
			   "(SIGHUP) or restart evpnd)", xc->cfg.jid, msg);
	else
		g_warning("xmpp[%s]: %s", xc->cfg.jid, msg);
}

static void unwatch(struct xc *xc)
{
	if (xc->fd_watch)
		g_source_remove(xc->fd_watch);
	xc->fd_watch = 0;
}

static gboolean on_fd(gint fd, GIOCondition cond, gpointer p)
{
	struct xc *xc = p;

	if (cond & G_IO_NVAL) {		/* closed under us */
		xc->fd_watch = 0;
		xc->fd = -1;
		return G_SOURCE_REMOVE;
	}
	pump(xc);
	return G_SOURCE_CONTINUE;
}

static void watch(struct xc *xc, GIOCondition cond)
{
	if (xc->fd < 0 || (xc->fd_watch && xc->watch_cond == cond))
		return;
	unwatch(xc);
	xc->watch_cond = cond;
	xc->fd_watch = g_unix_fd_add(xc->fd, cond, on_fd, xc);
}

static int on_sockopt(xmpp_conn_t *conn, void *sock)
{
	struct xc *xc = g_hash_table_lookup(conn_map, conn);

	if (!xc)
		return 0;
	unwatch(xc);
	xc->fd = *(int *)sock;
	/* TCP keepalive so a dead server is noticed even when idle */
	return xmpp_sockopt_cb_keepalive(conn, sock);
}

static gboolean on_tick(gpointer p)
{
	pump(p);
	return G_SOURCE_CONTINUE;
}

static void set_tick(struct xc *xc, guint ms)
{
	if (xc->tick && xc->tick_ms == ms)
		return;
	if (xc->tick)
		g_source_remove(xc->tick);
	xc->tick_ms = ms;
	xc->tick = ms ? g_timeout_add(ms, on_tick, xc) : 0;
}

static void pump(struct xc *xc)
{
	int i;

	/* A few rounds: one round reads at most one buffer, and TLS may hold
	 * decrypted data that select() cannot see. */
	for (i = 0; i < XC_PUMP_ROUNDS && xc->conn; i++)
		xmpp_run_once(xc->ctx, 0);
	if (!xc->conn)
		return;
	if (xmpp_conn_is_connecting(xc->conn)) {
		watch(xc, G_IO_IN | G_IO_OUT | G_IO_ERR | G_IO_HUP);
		set_tick(xc, XC_CONNECT_TICK_MS);
	} else if (xmpp_conn_is_connected(xc->conn)) {
		watch(xc, G_IO_IN | G_IO_ERR | G_IO_HUP);
		set_tick(xc, xmpp_conn_send_queue_len(xc->conn) ?
			 XC_CONNECT_TICK_MS : XC_TICK_S * 1000);
	} else {
		unwatch(xc);
		set_tick(xc, 0);
	}
}

static gboolean on_idle(gpointer p)
{
	struct xc *xc = p;

	xc->idle = 0;
	pump(xc);
	return G_SOURCE_REMOVE;
}

static void kick(struct xc *xc)
{
	if (!xc->idle)
		xc->idle = g_idle_add_full(G_PRIORITY_DEFAULT, on_idle, xc, NULL);
}

static void drop_all_members(struct xc *xc)
{
	GHashTableIter it;
	gpointer k;

	g_hash_table_iter_init(&it, xc->members);
	while (g_hash_table_iter_next(&it, &k, NULL)) {
		char *jid = g_strdup(k);

		g_hash_table_iter_remove(&it);
		xc->ops->member_down(xc->cb_ctx, jid, XC_GONE_OFFLINE);
		g_free(jid);
	}
}

/* Members whose bare JID left the group go down. */
static void prune_members(struct xc *xc)
{
	GHashTableIter it;
	gpointer k;

	g_hash_table_iter_init(&it, xc->members);
	while (g_hash_table_iter_next(&it, &k, NULL)) {
		char *bare = xmpp_jid_bare(xc->ctx, k);
		bool in = g_hash_table_contains(xc->group, bare);

		xmpp_free(xc->ctx, bare);
		if (!in) {
			char *jid = g_strdup(k);

			g_hash_table_iter_remove(&it);
			g_message("xmpp: %s left group %s", jid, xc->cfg.group);
			xc->ops->member_down(xc->cb_ctx, jid, XC_GONE_REMOVED);
			g_free(jid);
		}
	}
}

static bool item_in_group(struct xc *xc, xmpp_stanza_t *item)
{
	xmpp_stanza_t *g;

	for (g = xmpp_stanza_get_children(item); g; g = xmpp_stanza_get_next(g)) {
		char *t;
		bool eq;

		if (!xmpp_stanza_is_tag(g) || strcmp(xmpp_stanza_get_name(g), "group"))
			continue;
		t = xmpp_stanza_get_text(g);
		eq = t && !strcmp(t, xc->cfg.group);
		xmpp_free(xc->ctx, t);
		if (eq)
			return true;
	}
	return false;
}

/* A member's roster lists the group's other members: an empty group means
 * this account is not in it (or is its only member so far). */
static void check_group(struct xc *xc)
{
	char msg[200];

	if (g_hash_table_size(xc->group)) {
		if (xc->problem == XC_PROBLEM_NOT_IN_GROUP)
			set_problem(xc, XC_PROBLEM_NONE, NULL, false);
		return;
	}
	snprintf(msg, sizeof(msg), "not in group '%s': the roster shows no "
		 "member of it (add this account to the group on the server; "
		 "or it is the group's only member so far)", xc->cfg.group);
	set_problem(xc, XC_PROBLEM_NOT_IN_GROUP, msg, false);
}

/* Apply roster items (full result or a push). */
static void apply_roster(struct xc *xc, xmpp_stanza_t *query, bool full)
{
	xmpp_stanza_t *item;

	if (full)
		g_hash_table_remove_all(xc->group);
	for (item = xmpp_stanza_get_children(query); item;
	     item = xmpp_stanza_get_next(item)) {
		const char *jid, *sub;

		if (!xmpp_stanza_is_tag(item) || strcmp(xmpp_stanza_get_name(item), "item"))
			continue;
		jid = xmpp_stanza_get_attribute(item, "jid");
		sub = xmpp_stanza_get_attribute(item, "subscription");
		if (!jid)
			continue;
		if ((sub && !strcmp(sub, "remove")) || !item_in_group(xc, item))
			g_hash_table_remove(xc->group, jid);
		else
			g_hash_table_add(xc->group, g_strdup(jid));
	}
	prune_members(xc);
}

static void send_presence(struct xc *xc)
{
	xmpp_stanza_t *pres, *node;

	if (xc->state != XC_ONLINE || !xc->have_self)
		return;
	node = sig_presence_build(xc->ctx, &xc->self);
	if (!node)
		return;
	pres = xmpp_presence_new(xc->ctx);
	xmpp_stanza_add_child_ex(pres, node, 0);
	xmpp_send(xc->conn, pres);
	xmpp_stanza_release(pres);
	kick(xc);
}

static int on_roster_result(xmpp_conn_t *conn, xmpp_stanza_t *st, void *p)
{
	struct xc *xc = p;
	xmpp_stanza_t *q;
	const char *type = xmpp_stanza_get_type(st);

	if (!type || strcmp(type, "result")) {
		g_warning("xmpp[%s]: roster request failed", xc->cfg.jid);
		return 0;
	}
	q = xmpp_stanza_get_child_by_name_and_ns(st, "query", NS_ROSTER);
	if (q)
		apply_roster(xc, q, true);
	g_message("xmpp[%s]: %u members in group '%s'", xc->cfg.jid,
		  g_hash_table_size(xc->group), xc->cfg.group);
	check_group(xc);
	/* Presence after the roster: member presences that follow find the
	 * group already known. */
	send_presence(xc);
	return 0;
}

static int on_iq(xmpp_conn_t *conn, xmpp_stanza_t *st, void *p)
{
	struct xc *xc = p;
	const char *type = xmpp_stanza_get_type(st);
	const char *from = xmpp_stanza_get_from(st);
	xmpp_stanza_t *q = xmpp_stanza_get_child_by_name_and_ns(st, "query",
								NS_ROSTER);
	xmpp_stanza_t *reply;

	if (!type || strcmp(type, "set") || !q)
		return 1;
	/* Roster pushes come from our own account (RFC 6121 2.1.6). */
	if (from) {
		char *bare = xmpp_jid_bare(xc->ctx, from);
		char *mine = xmpp_jid_bare(xc->ctx, xmpp_conn_get_bound_jid(conn));
		bool ok = !strcmp(bare, mine);

		xmpp_free(xc->ctx, bare);
		xmpp_free(xc->ctx, mine);
		if (!ok)
			return 1;
	}
	apply_roster(xc, q, false);
	check_group(xc);
	reply = xmpp_stanza_reply(st);
	xmpp_stanza_set_type(reply, "result");
	xmpp_send(conn, reply);
	xmpp_stanza_release(reply);
	kick(xc);
	return 1;
}

static void member_gone(struct xc *xc, const char *from)
{
	if (g_hash_table_remove(xc->members, from))
		xc->ops->member_down(xc->cb_ctx, from, XC_GONE_UNAVAILABLE);
}

static int on_presence(xmpp_conn_t *conn, xmpp_stanza_t *st, void *p)
{
	struct xc *xc = p;
	const char *from = xmpp_stanza_get_from(st);
	const char *type = xmpp_stanza_get_type(st);
	struct sig_presence sp, *old;
	char *bare;
	bool member;
	int r;

	if (!from || !strcmp(from, xmpp_conn_get_bound_jid(conn) ?: ""))
		return 1;
	xc->stats.presence_in++;
	if (type && (!strcmp(type, "unavailable") || !strcmp(type, "error"))) {
		member_gone(xc, from);
		return 1;
	}
	if (type)	/* subscribe/probe/...: the group manages the roster */
		return 1;
	bare = xmpp_jid_bare(xc->ctx, from);
	member = g_hash_table_contains(xc->group, bare);
	xmpp_free(xc->ctx, bare);
	r = sig_presence_parse(st, &sp);
	if (r == SIG_E_NOT_OURS) {
		member_gone(xc, from);	/* e.g. a plain client on the account */
		return 1;
	}
	if (r) {
		xc->stats.presence_bad++;
		g_message("xmpp[%s]: malformed evpn presence from %s (ignored)",
			  xc->cfg.jid, from);
		member_gone(xc, from);
		return 1;
	}
	if (!member) {
		xc->stats.presence_nonmember++;
		g_message("xmpp[%s]: evpn presence from %s, not in group '%s' "
			  "(ignored)", xc->cfg.jid, from, xc->cfg.group);
		return 1;
	}
	old = g_hash_table_lookup(xc->members, from);
	if (old && !memcmp(old, &sp, sizeof(sp)))
		return 1;
	g_hash_table_replace(xc->members, g_strdup(from), g_memdup2(&sp, sizeof(sp)));
	sp.age_ms = sig_delay_age_ms(st, g_get_real_time());	/* not stored: */
	xc->ops->member_up(xc->cb_ctx, from, &sp);	/* a replay is no change */
	return 1;
}

static int on_message(xmpp_conn_t *conn, xmpp_stanza_t *st, void *p)
{
	struct xc *xc = p;
	const char *from = xmpp_stanza_get_from(st);
	const char *type = xmpp_stanza_get_type(st);
	struct sig_msg *m;

	if (!from || (type && !strcmp(type, "error")))
		return 1;
	if (!xmpp_stanza_get_child_by_ns(st, EVPN_NS))
		return 1;
	if (!g_hash_table_contains(xc->members, from)) {
		xc->stats.msg_nonmember++;
		g_message("xmpp[%s]: evpn message from non-member %s (ignored)",
			  xc->cfg.jid, from);
		return 1;
	}
	xc->stats.msg_in++;
	m = g_new(struct sig_msg, 1);	/* ~2.5 KiB of candidates */
	xc->ops->message(xc->cb_ctx, from, sig_parse(st, m) ? NULL : m);
	g_free(m);
	return 1;
}

static void on_online(struct xc *xc)
{
	xmpp_stanza_t *iq, *q;

	xc->state = XC_ONLINE;
	xc->backoff_ms = XC_BACKOFF_MIN_MS;
	if (xc->problem != XC_PROBLEM_NOT_IN_GROUP)
		set_problem(xc, XC_PROBLEM_NONE, NULL, false);
	xc->stats.connects++;
	/* (stream management is off: xc_new()) */
	g_message("xmpp[%s]: online as %s (%s)", xc->cfg.jid,
		  xmpp_conn_get_bound_jid(xc->conn),
		  xmpp_conn_is_secured(xc->conn) ? "TLS" : "PLAINTEXT");
	xmpp_handler_add(xc->conn, on_presence, NULL, "presence", NULL, xc);
	xmpp_handler_add(xc->conn, on_message, NULL, "message", NULL, xc);
	xmpp_handler_add(xc->conn, on_iq, NS_ROSTER, "iq", NULL, xc);
	iq = xmpp_iq_new(xc->ctx, "get", "roster1");
	q = xmpp_stanza_new(xc->ctx);
	xmpp_stanza_set_name(q, "query");
	xmpp_stanza_set_ns(q, NS_ROSTER);
	xmpp_stanza_add_child_ex(iq, q, 0);
	xmpp_id_handler_add(xc->conn, on_roster_result, "roster1", xc);
	xmpp_send(xc->conn, iq);
	xmpp_stanza_release(iq);
	kick(xc);
	xc->ops->online(xc->cb_ctx);
}

static void on_conn(xmpp_conn_t *conn, xmpp_conn_event_t ev, int error,
		    xmpp_stream_error_t *serr, void *p)
{
	struct xc *xc = p;

	if (ev == XMPP_CONN_CONNECT) {
		on_online(xc);
		return;
	}
	if (ev == XMPP_CONN_RAW_CONNECT || xc->state == XC_IDLE)
		return;		/* raw mode unused; IDLE: xc_free() */
	/* DISCONNECT or FAIL */
	if (xc->state == XC_ONLINE) {
		xc->stats.disconnects++;
		g_message("xmpp[%s]: disconnected (error %d%s%s)", xc->cfg.jid,
			  error, serr && serr->text ? ": " : "",
			  serr && serr->text ? serr->text : "");
		xmpp_handler_delete(conn, on_presence);
		xmpp_handler_delete(conn, on_message);
		xmpp_handler_delete(conn, on_iq);
		drop_all_members(xc);
		xc->ops->offline(xc->cb_ctx);
	} else if (xc->attempt_problem) {
		enum xc_problem why = xc->attempt_problem;

		xc->stats.auth_failures += why == XC_PROBLEM_AUTH;
		xc->fd = -1;
		if (why == XC_PROBLEM_AUTH || why == XC_PROBLEM_TLS_CERT) {
			set_problem(xc, why, xc->attempt_msg, true);
			xc->state = XC_FAILED;
			return;
		}
		/* other TLS failures may be the server's passing trouble */
		set_problem(xc, why, xc->attempt_msg, false);
	} else {
		char msg[200];

		snprintf(msg, sizeof(msg), "cannot reach the server (%s)",
			 error ? g_strerror(error) : "connection closed");
		set_problem(xc, XC_PROBLEM_UNREACHABLE, msg, false);
	}
	xc->fd = -1;
	schedule_reconnect(xc);
}

static int do_connect(struct xc *xc)
{
	xc->attempt_problem = XC_PROBLEM_NONE;
	xc->attempt_msg[0] = 0;
	xc->state = XC_CONNECTING;
	if (xmpp_connect_client(xc->conn, xc->cfg.host, xc->cfg.port, on_conn,
				xc) != XMPP_EOK) {
		g_message("xmpp[%s]: cannot start connecting", xc->cfg.jid);
		schedule_reconnect(xc);
		return -1;
	}
	kick(xc);
	return 0;
}

static gboolean on_reconnect(gpointer p)
{
	struct xc *xc = p;

	xc->reconnect = 0;
	do_connect(xc);
	return G_SOURCE_REMOVE;
}

static void schedule_reconnect(struct xc *xc)
{
	guint ms = xc->backoff_ms + g_random_int_range(0, xc->backoff_ms / 2 + 1);

	xc->state = XC_WAIT;
	if (xc->reconnect)
		return;
	xc->reconnect = g_timeout_add(ms, on_reconnect, xc);
	xc->backoff_ms = MIN(xc->backoff_ms * 2, XC_BACKOFF_MAX_MS);
	g_message("xmpp[%s]: retrying in %u ms", xc->cfg.jid, ms);
}

struct xc *xc_new(const struct xc_config *cfg, const struct xc_ops *ops,
		  void *ctx)
{
	struct xc *xc = g_new0(struct xc, 1);
	long flags = 0;

	xc->cfg = *cfg;
	xc->ops = ops;
	xc->cb_ctx = ctx;
	xc->fd = -1;
	xc->backoff_ms = XC_BACKOFF_MIN_MS;
	xc->group = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	xc->members = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	xc->log.handler = strophe_log;
	xc->log.userdata = xc;
	xmpp_initialize();
	xc->ctx = xmpp_ctx_new(NULL, &xc->log);
	xc->conn = xmpp_conn_new(xc->ctx);
	if (!conn_map)
		conn_map = g_hash_table_new(NULL, NULL);
	g_hash_table_insert(conn_map, xc->conn, xc);
	if (!cfg->allow_plaintext)
		flags |= XMPP_CONN_FLAG_MANDATORY_TLS;
	/* No stream management (XEP-0198): we never resume a session (a
	 * reconnect is a new session, which replaces the old one at our
	 * peers), so all it bought was the server hibernating a dead node's
	 * session -- its presence lingering for smacks_hibernation_time
	 * (prosody: 600 s, ejabberd: 300 s) instead of an unavailable
	 * presence the moment its TCP connection closes, which is what lets
	 * our peers drop its links at once (linkmgr: lm_link_presence_gone)
	 * -- and ack traffic on every stanza. */
	flags |= XMPP_CONN_FLAG_DISABLE_SM;
	xmpp_conn_set_flags(xc->conn, flags);
	xmpp_conn_set_jid(xc->conn, cfg->jid);
	xmpp_conn_set_pass(xc->conn, cfg->password);
	if (cfg->ca_file)
		xmpp_conn_set_cafile(xc->conn, cfg->ca_file);
	xmpp_conn_set_sockopt_callback(xc->conn, on_sockopt);
	xmpp_conn_set_certfail_handler(xc->conn, on_certfail);
	return xc;
}

int xc_start(struct xc *xc)
{
	char msg[256];

	/* libstrophe would only say "TLS is not supported" */
	if (xc->cfg.ca_file && access(xc->cfg.ca_file, R_OK)) {
		snprintf(msg, sizeof(msg), "TLS error: cannot read ca-file %s: %s",
			 xc->cfg.ca_file, g_strerror(errno));
		set_problem(xc, XC_PROBLEM_TLS_CERT, msg, true);
		xc->state = XC_FAILED;
		return 0;
	}
	return do_connect(xc);
}

bool xc_retry(struct xc *xc, const struct xc_config *cfg)
{
	if (xc->state != XC_FAILED)
		return false;
	g_message("xmpp[%s]: reload: trying again after: %s", xc->cfg.jid,
		  xc->problem_msg);
	xc->cfg.password = cfg->password;
	xc->cfg.host = cfg->host;
	xc->cfg.port = cfg->port;
	xmpp_conn_set_pass(xc->conn, cfg->password);
	if (cfg->ca_file) {
		xc->cfg.ca_file = cfg->ca_file;
		xmpp_conn_set_cafile(xc->conn, cfg->ca_file);
	}
	/* a failure again is a new one: reported (once) like the first */
	set_problem(xc, XC_PROBLEM_NONE, NULL, false);
	xc->backoff_ms = XC_BACKOFF_MIN_MS;
	xc_start(xc);
	return true;
}

void xc_free(struct xc *xc)
{
	if (!xc)
		return;
	if (xc->conn && xmpp_conn_is_connected(xc->conn)) {
		xmpp_handler_delete(xc->conn, on_presence);
		xmpp_handler_delete(xc->conn, on_message);
		xmpp_handler_delete(xc->conn, on_iq);
		xc->state = XC_IDLE;
		xmpp_disconnect(xc->conn);	/* sends </stream> */
		xmpp_run_once(xc->ctx, 0);
	}
	unwatch(xc);
	set_tick(xc, 0);
	if (xc->idle)
		g_source_remove(xc->idle);
	if (xc->reconnect)
		g_source_remove(xc->reconnect);
	g_hash_table_remove(conn_map, xc->conn);
	xmpp_conn_release(xc->conn);
	xc->conn = NULL;
	xmpp_ctx_free(xc->ctx);
	g_hash_table_destroy(xc->group);
	g_hash_table_destroy(xc->members);
	g_free(xc);
}

void xc_set_presence(struct xc *xc, const struct sig_presence *p)
{
	xc->self = *p;
	xc->have_self = true;
	send_presence(xc);
}

int xc_send(struct xc *xc, const char *jid, const struct sig_msg *m)
{
	xmpp_stanza_t *msg, *payload;

	if (xc->state != XC_ONLINE)
		return -1;
	payload = sig_build(xc->ctx, m);
	if (!payload) {
		g_warning("xmpp[%s]: cannot build %s for %s", xc->cfg.jid,
			  sig_type_name(m->type), jid);
		return -1;
	}
	msg = xmpp_message_new(xc->ctx, "headline", jid, NULL);
	xmpp_stanza_add_child_ex(msg, payload, 0);
	xmpp_send(xc->conn, msg);
	xmpp_stanza_release(msg);
	xc->stats.msg_out++;
	kick(xc);
	return 0;
}

bool xc_online(const struct xc *xc)
{
	return xc->state == XC_ONLINE;
}

const char *xc_state_name(const struct xc *xc)
{
	return state_names[xc->state];
}

const char *xc_bound_jid(const struct xc *xc)
{
	return xc->state == XC_ONLINE ? xmpp_conn_get_bound_jid(xc->conn) : NULL;
}

enum xc_problem xc_problem(const struct xc *xc, const char **msg,
			   bool *retrying)
{
	*msg = xc->problem ? xc->problem_msg : NULL;
	*retrying = xc->state != XC_FAILED;
	return xc->problem;
}

const struct xc_stats *xc_stats(const struct xc *xc)
{
	return &xc->stats;
}
