// SPDX-License-Identifier: GPL-2.0
/*
 * xmpp-probe: log into an XMPP server over c2s with mandatory STARTTLS and
 * report the outcome; a test tool for the netns harness.
 *
 *   xmpp-probe --server IP:PORT --ca FILE --jid USER@DOMAIN --password P
 *              [--timeout SECONDS] [--verbose]
 *
 * Connects to IP:PORT directly (no DNS), requires TLS, verifies the server
 * certificate against FILE (and the JID's domain), authenticates with SASL.
 * On success prints "authenticated tls=yes" and exits 0.  Otherwise prints
 * one "xmpp-probe: ..." line saying why (TLS/certificate failure,
 * authentication failure, connection failure, timeout) and exits 1;
 * usage errors exit 2.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strophe.h>
#include <time.h>

enum outcome { PENDING, AUTHENTICATED, FAILED };

struct probe {
	enum outcome outcome;
	int secured;
	int verbose;
	char certfail[256];	/* why certificate verification failed */
	char lastlog[256];	/* last warning/error libstrophe logged */
	char connfail[256];	/* libstrophe's "connection failed" (debug level) */
	char why[640];
};

static struct probe probe;

static void log_cb(void *userdata, xmpp_log_level_t level, const char *area,
		   const char *msg)
{
	struct probe *p = userdata;

	if (p->verbose)
		fprintf(stderr, "strophe %s: %s\n", area, msg);
	if (level >= XMPP_LEVEL_WARN)
		snprintf(p->lastlog, sizeof(p->lastlog), "%s: %s", area, msg);
	/* 0.12 reports a failed TCP connect only at debug level, error 0 */
	if (strstr(msg, "connection failed"))
		snprintf(p->connfail, sizeof(p->connfail), "%s", msg);
}

static int certfail_cb(const xmpp_tlscert_t *cert, const char *const errormsg)
{
	snprintf(probe.certfail, sizeof(probe.certfail), "%s",
		 errormsg ? errormsg : "unknown error");
	return 0;	/* never accept a certificate the CA did not sign */
}

static void conn_cb(xmpp_conn_t *conn, xmpp_conn_event_t event, int error,
		    xmpp_stream_error_t *stream_error, void *userdata)
{
	struct probe *p = userdata;

	if (event == XMPP_CONN_CONNECT) {
		p->secured = xmpp_conn_is_secured(conn);
		p->outcome = AUTHENTICATED;
		xmpp_disconnect(conn);
		return;
	}
	if (p->outcome != PENDING)
		return;
	p->outcome = FAILED;
	if (p->certfail[0])
		snprintf(p->why, sizeof(p->why), "TLS failure: certificate "
			 "verification failed: %s", p->certfail);
	else if (stream_error)
		snprintf(p->why, sizeof(p->why), "stream error %d%s%s",
			 stream_error->type, stream_error->text ? ": " : "",
			 stream_error->text ? stream_error->text : "");
	else if (error)
		snprintf(p->why, sizeof(p->why), "connection failed (errno %d: %s)",
			 error, strerror(error));
	else if (p->connfail[0])
		snprintf(p->why, sizeof(p->why), "connection failed (%s)",
			 p->connfail);
	else if (strstr(p->lastlog, "auth") || strstr(p->lastlog, "SASL"))
		snprintf(p->why, sizeof(p->why), "authentication failed (%s)",
			 p->lastlog);
	else
		snprintf(p->why, sizeof(p->why), "disconnected before login%s%s",
			 p->lastlog[0] ? ": " : "", p->lastlog);
}

static int split_endpoint(char *s, unsigned short *port)
{
	char *colon = strrchr(s, ':'), *end;
	long v;

	if (!colon)
		return -1;
	*colon = '\0';
	v = strtol(colon + 1, &end, 10);
	if (*end || v <= 0 || v > 65535)
		return -1;
	*port = (unsigned short)v;
	return 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void usage(void)
{
	fprintf(stderr, "usage: xmpp-probe --server IP:PORT --ca FILE --jid JID "
		"--password P [--timeout S] [--verbose]\n");
	exit(2);
}

static int run(char *server, unsigned short port, const char *ca,
	       const char *jid, const char *pass, double timeout)
{
	xmpp_log_t log = { .handler = log_cb, .userdata = &probe };
	xmpp_ctx_t *ctx;
	xmpp_conn_t *conn;
	double deadline = now_s() + timeout;
	int rc = 1;

	xmpp_initialize();
	ctx = xmpp_ctx_new(NULL, &log);
	conn = ctx ? xmpp_conn_new(ctx) : NULL;
	if (!conn) {
		fprintf(stderr, "xmpp-probe: out of memory\n");
		goto out;
	}
	xmpp_conn_set_flags(conn, XMPP_CONN_FLAG_MANDATORY_TLS);
	xmpp_conn_set_cafile(conn, ca);
	xmpp_conn_set_certfail_handler(conn, certfail_cb);
	xmpp_conn_set_jid(conn, jid);
	xmpp_conn_set_pass(conn, pass);
	if (xmpp_connect_client(conn, server, port, conn_cb, &probe) != XMPP_EOK) {
		fprintf(stderr, "xmpp-probe: cannot start connecting to %s:%u\n",
			server, port);
		goto out;
	}
	while (probe.outcome == PENDING && now_s() < deadline)
		xmpp_run_once(ctx, 50);

	switch (probe.outcome) {
	case AUTHENTICATED:
		if (!probe.secured) {
			fprintf(stderr, "xmpp-probe: logged in WITHOUT TLS\n");
			break;
		}
		printf("authenticated tls=yes\n");
		rc = 0;
		break;
	case FAILED:
		fprintf(stderr, "xmpp-probe: %s\n", probe.why);
		break;
	case PENDING:
		fprintf(stderr, "xmpp-probe: timeout after %.1f s%s%s\n", timeout,
			probe.lastlog[0] ? "; last: " : "", probe.lastlog);
		break;
	}
out:
	if (conn)
		xmpp_conn_release(conn);
	if (ctx)
		xmpp_ctx_free(ctx);
	xmpp_shutdown();
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "server", required_argument, NULL, 's' },
		{ "ca", required_argument, NULL, 'c' },
		{ "jid", required_argument, NULL, 'j' },
		{ "password", required_argument, NULL, 'p' },
		{ "timeout", required_argument, NULL, 't' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	char *server = NULL, *ca = NULL, *jid = NULL, *pass = NULL;
	double timeout = 10;
	unsigned short port;
	int opt;

	while ((opt = getopt_long(argc, argv, "s:c:j:p:t:v", opts, NULL)) != -1) {
		switch (opt) {
		case 's': server = optarg; break;
		case 'c': ca = optarg; break;
		case 'j': jid = optarg; break;
		case 'p': pass = optarg; break;
		case 't': timeout = atof(optarg); break;
		case 'v': probe.verbose = 1; break;
		default: usage();
		}
	}
	if (!server || !ca || !jid || !pass || timeout <= 0 ||
	    split_endpoint(server, &port))
		usage();
	return run(server, port, ca, jid, pass, timeout);
}
