// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * evpnctl: talk to evpnd's control socket (see ctlsock.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>
#include "config.h"
#include "ctlsock.h"
#include "jsonout.h"
#include "overlay.h"

static char run_dir[PATH_MAX];
static char cfg_ifname[64];

/* run-dir (and interface name) of a configuration file; -1 if unreadable */
static int from_config(const char *path, bool quiet)
{
	struct evpnd_config cfg;
	int ret;

	if (quiet && access(path, R_OK))
		return -1;
	cfg_init(&cfg);
	ret = cfg_load_file(&cfg, path);
	if (!ret) {
		snprintf(run_dir, sizeof(run_dir), "%s", cfg.run_dir);
		snprintf(cfg_ifname, sizeof(cfg_ifname), "%s", cfg.ifname);
	}
	overlay_config_free(&cfg);
	cfg_free(&cfg);
	return ret;
}

const char *evpnctl_run_dir(const char *config)
{
	const char *env = getenv("EVPN_RUN_DIR");

	if (run_dir[0])
		return run_dir;
	if (config) {
		if (from_config(config, false))
			return NULL;
	} else if (env && *env) {
		snprintf(run_dir, sizeof(run_dir), "%s", env);
	} else if (from_config(EVPND_DEFAULT_CONFIG, true)) {
		snprintf(run_dir, sizeof(run_dir), "%s", EVPND_DEFAULT_RUN_DIR);
	}
	return run_dir;
}

const char *evpnctl_config_ifname(void)
{
	return cfg_ifname[0] ? cfg_ifname : NULL;
}

static int ctl_connect(const char *dir, const char *ifname, bool *no_daemon)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = 5 };
	int fd, n;

	n = snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/%s.sock", dir,
		     ifname);
	if (n >= (int)sizeof(sa.sun_path) || strchr(ifname, '/')) {
		fprintf(stderr, "evpnctl: bad device name %s\n", ifname);
		return -1;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		if (errno == ENOENT || errno == ECONNREFUSED) {
			*no_daemon = true;
		} else {
			fprintf(stderr, "evpnctl: %s: %s\n", sa.sun_path,
				strerror(errno));
		}
		close(fd);
		return -1;
	}
	return fd;
}

static int send_line(int fd, const char *line)
{
	size_t len = strlen(line), off = 0;
	ssize_t n;

	while (off < len) {
		n = send(fd, line + off, len - off, MSG_NOSIGNAL);
		if (n <= 0)
			return -1;
		off += n;
	}
	return send(fd, "\n", 1, MSG_NOSIGNAL) == 1 ? 0 : -1;
}

static GString *read_all(int fd)
{
	GString *s = g_string_new(NULL);
	char buf[4096];
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0)
		g_string_append_len(s, buf, n);
	if (n < 0 || !s->len) {
		g_string_free(s, TRUE);
		return NULL;
	}
	return s;
}

/* The reply's object, or NULL (error printed in plain text). */
static JsonNode *parse_reply(const char *ifname, GString *s)
{
	JsonParser *p = json_parser_new();
	GError *err = NULL;
	JsonNode *root = NULL;
	JsonObject *o;

	if (!json_parser_load_from_data(p, s->str, s->len, &err) ||
	    !JSON_NODE_HOLDS_OBJECT(json_parser_get_root(p))) {
		fprintf(stderr, "evpnctl: %s: malformed reply from evpnd%s%s\n",
			ifname, err ? ": " : "", err ? err->message : "");
		g_clear_error(&err);
		g_object_unref(p);
		return NULL;
	}
	o = json_node_get_object(json_parser_get_root(p));
	if (json_object_has_member(o, "error"))
		fprintf(stderr, "evpnctl: %s: %s\n", ifname,
			json_object_get_string_member(o, "error"));
	else
		root = json_node_copy(json_parser_get_root(p));
	g_object_unref(p);
	return root;
}

JsonNode *ctlsock_request(const char *dir, const char *ifname,
			  const char *line, bool *no_daemon)
{
	GString *reply;
	JsonNode *root;
	int fd;

	*no_daemon = false;
	fd = ctl_connect(dir, ifname, no_daemon);
	if (fd < 0)
		return NULL;
	if (send_line(fd, line)) {
		fprintf(stderr, "evpnctl: %s: %s\n", ifname, strerror(errno));
		close(fd);
		return NULL;
	}
	reply = read_all(fd);
	close(fd);
	if (!reply) {
		fprintf(stderr, "evpnctl: %s: no reply from evpnd\n", ifname);
		return NULL;
	}
	root = parse_reply(ifname, reply);
	explicit_bzero(reply->str, reply->len);
	g_string_free(reply, TRUE);
	return root;
}

int ctlsock_raw(const char *ifname, const char *line, FILE *out)
{
	const char *dir = evpnctl_run_dir(NULL);
	bool none = false;
	GString *reply;
	int fd = ctl_connect(dir, ifname, &none);

	if (fd < 0) {
		if (none)
			fprintf(stderr, "evpnctl: %s: no evpnd control socket "
				"in %s\n", ifname, dir);
		return -1;
	}
	if (send_line(fd, line)) {
		fprintf(stderr, "evpnctl: %s: %s\n", ifname, strerror(errno));
		close(fd);
		return -1;
	}
	reply = read_all(fd);
	close(fd);
	if (!reply) {
		fprintf(stderr, "evpnctl: %s: no reply from evpnd\n", ifname);
		return -1;
	}
	if (reply->str[0] == '{') {	/* {"error": ...} */
		JsonNode *r = parse_reply(ifname, reply);

		if (r)
			json_node_unref(r);
		g_string_free(reply, TRUE);
		return -1;
	}
	fwrite(reply->str, 1, reply->len, out);
	g_string_free(reply, TRUE);
	return 0;
}

int ctlsock_link(int argc, char **argv)
{
	const char *dir = evpnctl_run_dir(NULL);
	char line[4096];
	JsonNode *r;
	size_t off;
	bool none;
	int i;

	if (argc < 3 || (strcmp(argv[0], "add") && strcmp(argv[0], "del"))) {
		fprintf(stderr, "usage: evpnctl link add DEV NAME peer=ID "
			"endpoint=IP:PORT psk=HEX [suite=...]\n"
			"       evpnctl link del DEV NAME\n");
		return 1;
	}
	off = snprintf(line, sizeof(line), "link %s %s", argv[0], argv[2]);
	for (i = 3; i < argc && off < sizeof(line); i++)
		off += snprintf(line + off, sizeof(line) - off, " %s", argv[i]);
	if (off >= sizeof(line)) {
		fprintf(stderr, "evpnctl: request too long\n");
		return 1;
	}
	r = ctlsock_request(dir, argv[1], line, &none);
	explicit_bzero(line, sizeof(line));	/* may hold a psk */
	if (none)
		fprintf(stderr, "evpnctl: %s: no evpn device and no evpnd "
			"control socket in %s\n", argv[1], dir);
	if (!r)
		return 1;
	json_node_unref(r);
	return 0;
}

int ctlsock_peer(int argc, char **argv)
{
	const char *dir = evpnctl_run_dir(NULL);
	char line[1024];
	JsonNode *r;
	bool none;

	if (argc != 3 || strcmp(argv[0], "accept")) {
		fprintf(stderr, "usage: evpnctl peer accept DEV JID\n");
		return 1;
	}
	if ((size_t)snprintf(line, sizeof(line), "peer accept %s", argv[2]) >=
	    sizeof(line) || strpbrk(argv[2], " \t\r\n")) {
		fprintf(stderr, "evpnctl: bad JID\n");
		return 1;
	}
	r = ctlsock_request(dir, argv[1], line, &none);
	if (none)
		fprintf(stderr, "evpnctl: %s: no evpnd control socket in %s\n",
			argv[1], dir);
	if (!r)
		return 1;
	ej_write(stdout, r, false);	/* {"ok":true} */
	json_node_unref(r);
	return 0;
}
