// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * `evpnctl init`: the one step a new node needs before `evpnd` (see
 * docs/quickstart.md). Writes a node configuration with an [overlay]
 * section and a private password file, and prints on stdout the commands
 * that create the node's XMPP account and put it in the overlay's group,
 * for prosody and for ejabberd, to be run on the XMPP server. Messages go
 * to stderr, so `evpnctl init ... > server-lines` keeps only the commands.
 *
 * The node's key and ID are not made here: evpnd creates them on its first
 * start (STATE_DIR/identity.pem), so init needs no daemon code.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "evpnctl.h"

#define INIT_CONFIG	"/etc/evpn/evpnd.conf"
#define INIT_GROUPS	"/etc/prosody/evpn-groups.txt"
#define INIT_MAX_ADDRS	16
#define PW_LEN		24

struct init_opts {
	const char *jid, *server, *port, *ca_file, *group, *config;
	const char *password_file, *stun, *turn, *turn_user;
	const char *turn_password_file, *name, *datapath, *state_dir;
	const char *groups_file;
	const char *addrs[INIT_MAX_ADDRS];
	int naddrs;
	bool force;
	char local[128], domain[256];
	char password_path[4096];
	char password[256];
};

static void init_usage(FILE *f)
{
	fprintf(f,
		"usage: evpnctl init --jid USER@DOMAIN [--server HOST] [--port N]\n"
		"         [--ca-file FILE] [--group NAME] [--address A/N ...]\n"
		"         [--password-file FILE] [--stun IP[:PORT]] [--turn IP[:PORT]\n"
		"          --turn-user U --turn-password-file FILE] [--name IFNAME]\n"
		"         [--datapath auto|tap|kernel] [--state-dir DIR]\n"
		"         [--config FILE] [--groups-file FILE] [--force]\n"
		"Writes FILE (default " INIT_CONFIG ") and, unless it exists, a\n"
		"random XMPP password in --password-file (default: xmpp.pass next\n"
		"to FILE, mode 600); prints the commands that create the account and\n"
		"add it to the group on the XMPP server (prosody and ejabberd).\n"
		"See docs/quickstart.md.\n");
}

/* Printed into shell commands and the config: allow only plain names. */
static bool plain(const char *s, const char *extra)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || strchr(extra, *s)))
			return false;
	return true;
}

/* A value written as one config line: no newline, no leading blank. */
static bool one_line(const char *what, const char *v)
{
	if (!v)
		return true;
	if (!*v || strpbrk(v, "\n\r#") || v[0] == ' ' || v[0] == '[') {
		fprintf(stderr, "evpnctl init: bad %s '%s'\n", what, v);
		return false;
	}
	return true;
}

static int split_jid(struct init_opts *o)
{
	const char *at = o->jid ? strchr(o->jid, '@') : NULL;

	if (!at || at == o->jid || (size_t)(at - o->jid) >= sizeof(o->local) ||
	    strlen(at + 1) >= sizeof(o->domain)) {
		fprintf(stderr, "evpnctl init: --jid USER@DOMAIN is required\n");
		return -1;
	}
	snprintf(o->local, sizeof(o->local), "%.*s", (int)(at - o->jid), o->jid);
	snprintf(o->domain, sizeof(o->domain), "%s", at + 1);
	/* the printed server commands must be safe to paste into a shell */
	if (!plain(o->local, "._-") || !plain(o->domain, ".-")) {
		fprintf(stderr, "evpnctl init: '%s': use letters, digits, '.', "
			"'-' (and '_' before the @); write other JIDs into the "
			"configuration by hand (evpnd.conf(5))\n", o->jid);
		return -1;
	}
	return 0;
}

static int check_opts(struct init_opts *o)
{
	const char *dp = o->datapath;
	int i;

	if (split_jid(o))
		return -1;
	if (!plain(o->group, "._-")) {
		fprintf(stderr, "evpnctl init: bad group name '%s'\n", o->group);
		return -1;
	}
	if (dp && strcmp(dp, "auto") && strcmp(dp, "tap") && strcmp(dp, "kernel")) {
		fprintf(stderr, "evpnctl init: --datapath auto, tap or kernel\n");
		return -1;
	}
	if (o->turn && (!o->turn_user || !o->turn_password_file)) {
		fprintf(stderr, "evpnctl init: --turn needs --turn-user and "
			"--turn-password-file\n");
		return -1;
	}
	for (i = 0; i < o->naddrs; i++)
		if (!one_line("address", o->addrs[i]) ||
		    !strchr(o->addrs[i], '/')) {
			fprintf(stderr, "evpnctl init: --address %s: ADDR/PREFIX, "
				"e.g. 10.200.0.1/24\n", o->addrs[i]);
			return -1;
		}
	return one_line("server", o->server) && one_line("port", o->port) &&
	       one_line("ca-file", o->ca_file) && one_line("stun", o->stun) &&
	       one_line("turn", o->turn) && one_line("turn-user", o->turn_user) &&
	       one_line("turn-password-file", o->turn_password_file) &&
	       one_line("name", o->name) && one_line("state-dir", o->state_dir) &&
	       one_line("password-file", o->password_file) &&
	       one_line("config", o->config) ? 0 : -1;
}

/* An existing password file is used as it is (first line); otherwise a
 * new random password is written there, mode 600. */
static int password(struct init_opts *o)
{
	static const char abc[] = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
	unsigned char rnd[PW_LEN];
	FILE *f = fopen(o->password_path, "r");
	int fd, i;

	if (f) {
		if (!fgets(o->password, sizeof(o->password), f))
			o->password[0] = 0;
		fclose(f);
		o->password[strcspn(o->password, "\r\n")] = 0;
		if (!plain(o->password, "!%+,-./:=@^_~")) {
			fprintf(stderr, "evpnctl init: %s: empty, or characters "
				"a shell line cannot carry unquoted\n",
				o->password_path);
			return -1;
		}
		fprintf(stderr, "evpnctl init: using the password in %s\n",
			o->password_path);
		return 0;
	}
	if (getrandom(rnd, sizeof(rnd), 0) != sizeof(rnd))
		return -1;
	for (i = 0; i < PW_LEN; i++)
		o->password[i] = abc[rnd[i] % (sizeof(abc) - 1)];
	o->password[PW_LEN] = 0;
	fd = open(o->password_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 || dprintf(fd, "%s\n", o->password) < 0 || close(fd)) {
		fprintf(stderr, "evpnctl init: %s: %s\n", o->password_path,
			strerror(errno));
		return -1;
	}
	fprintf(stderr, "evpnctl init: wrote a new password to %s (mode 600)\n",
		o->password_path);
	return 0;
}

static void opt_line(FILE *f, const char *key, const char *val)
{
	if (val)
		fprintf(f, "%s = %s\n", key, val);
}

static void write_config(FILE *f, const struct init_opts *o)
{
	int i;

	fprintf(f, "# written by `evpnctl init` (docs/quickstart.md); every key "
		"is in evpnd.conf(5).\n# Check with: evpnd -t -c %s\n\n[node]\n",
		o->config);
	fprintf(f, "# the node's key and ID are created here on first start\n");
	opt_line(f, "state-dir", o->state_dir ? o->state_dir : "/var/lib/evpn");
	fprintf(f, "\n[interface]\nname = %s\n", o->name ? o->name : "evpn0");
	opt_line(f, "datapath", o->datapath);
	for (i = 0; i < o->naddrs; i++)
		opt_line(f, "address", o->addrs[i]);
	fprintf(f, "\n[overlay %s]\njid = %s\npassword-file = %s\n", o->group,
		o->jid, o->password_path);
	opt_line(f, "server", o->server);
	opt_line(f, "port", o->port);
	opt_line(f, "ca-file", o->ca_file);
	opt_line(f, "group", o->group);
	opt_line(f, "stun", o->stun);
	opt_line(f, "turn", o->turn);
	opt_line(f, "turn-user", o->turn_user);
	opt_line(f, "turn-password-file", o->turn_password_file);
}

/* Written to FILE.tmp, then renamed: never half a config. */
static int save_config(const struct init_opts *o)
{
	char tmp[4200];
	FILE *f;
	int fd;

	snprintf(tmp, sizeof(tmp), "%s.tmp", o->config);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		fprintf(stderr, "evpnctl init: %s: %s\n", tmp, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	write_config(f, o);
	if (fflush(f) || fsync(fd) || fclose(f) || rename(tmp, o->config)) {
		fprintf(stderr, "evpnctl init: %s: %s\n", o->config,
			strerror(errno));
		unlink(tmp);
		return -1;
	}
	fprintf(stderr, "evpnctl init: wrote %s\n", o->config);
	return 0;
}

/* Refuses to replace a config without --force; creates its directory
 * (/etc/evpn on a fresh host), where the password file goes too. */
static int may_write(const struct init_opts *o)
{
	char dir[4096];
	char *slash;

	if (!o->force && !access(o->config, F_OK)) {
		fprintf(stderr, "evpnctl init: %s exists (--force replaces it)\n",
			o->config);
		return -1;
	}
	snprintf(dir, sizeof(dir), "%s", o->config);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = 0;
	if (mkdir(dir, 0755) && errno != EEXIST) {
		fprintf(stderr, "evpnctl init: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	return 0;
}

/* /etc/evpn/NAME.conf runs as the systemd unit evpnd@NAME */
static void print_next(const struct init_opts *o)
{
	const char *base = strrchr(o->config, '/');

	base = base ? base + 1 : o->config;
	fprintf(stderr, "evpnctl init: next: run the lines above on the XMPP "
		"server; then here: evpnd -t -c %s && systemctl enable --now "
		"evpnd@%.*s\n", o->config, (int)strcspn(base, "."), base);
}

static void print_server_lines(const struct init_opts *o)
{
	printf("# On the XMPP server: the account %s and its membership in the "
	       "group '%s'.\n", o->jid, o->group);
	printf("# prosody (then, once all nodes are added: systemctl restart "
	       "prosody):\n");
	printf("prosodyctl register %s %s '%s'\n", o->local, o->domain,
	       o->password);
	printf("echo '%s' >> %s\n", o->jid, o->groups_file);
	printf("# ejabberd:\n");
	printf("ejabberdctl register %s %s '%s'\n", o->local, o->domain,
	       o->password);
	printf("ejabberdctl srg_user_add %s %s %s %s\n", o->local, o->domain,
	       o->group, o->domain);
}

/* Relative password files are relative to the config's directory (as
 * evpnd reads them); the config names the file by its full path. */
static void password_path(struct init_opts *o)
{
	const char *slash = strrchr(o->config, '/');
	const char *pf = o->password_file ? o->password_file : "xmpp.pass";

	if (pf[0] == '/' || !slash)
		snprintf(o->password_path, sizeof(o->password_path), "%s", pf);
	else
		snprintf(o->password_path, sizeof(o->password_path), "%.*s/%s",
			 (int)(slash - o->config), o->config, pf);
}

enum { O_JID = 256, O_SERVER, O_PORT, O_CA, O_GROUP, O_ADDR, O_PWF, O_STUN,
       O_TURN, O_TURNU, O_TURNPWF, O_NAME, O_DP, O_STATE, O_CONFIG, O_GROUPS,
       O_FORCE, O_HELP };

static const struct option init_long[] = {
	{ "jid", required_argument, NULL, O_JID },
	{ "server", required_argument, NULL, O_SERVER },
	{ "port", required_argument, NULL, O_PORT },
	{ "ca-file", required_argument, NULL, O_CA },
	{ "group", required_argument, NULL, O_GROUP },
	{ "address", required_argument, NULL, O_ADDR },
	{ "password-file", required_argument, NULL, O_PWF },
	{ "stun", required_argument, NULL, O_STUN },
	{ "turn", required_argument, NULL, O_TURN },
	{ "turn-user", required_argument, NULL, O_TURNU },
	{ "turn-password-file", required_argument, NULL, O_TURNPWF },
	{ "name", required_argument, NULL, O_NAME },
	{ "datapath", required_argument, NULL, O_DP },
	{ "state-dir", required_argument, NULL, O_STATE },
	{ "config", required_argument, NULL, O_CONFIG },
	{ "groups-file", required_argument, NULL, O_GROUPS },
	{ "force", no_argument, NULL, O_FORCE },
	{ "help", no_argument, NULL, O_HELP },
	{ NULL, 0, NULL, 0 }
};

static int parse_opt(struct init_opts *o, int c, const char *arg)
{
	const char **slot[] = {
		[O_JID - O_JID] = &o->jid, [O_SERVER - O_JID] = &o->server,
		[O_PORT - O_JID] = &o->port, [O_CA - O_JID] = &o->ca_file,
		[O_GROUP - O_JID] = &o->group,
		[O_PWF - O_JID] = &o->password_file,
		[O_STUN - O_JID] = &o->stun, [O_TURN - O_JID] = &o->turn,
		[O_TURNU - O_JID] = &o->turn_user,
		[O_TURNPWF - O_JID] = &o->turn_password_file,
		[O_NAME - O_JID] = &o->name, [O_DP - O_JID] = &o->datapath,
		[O_STATE - O_JID] = &o->state_dir,
		[O_CONFIG - O_JID] = &o->config,
		[O_GROUPS - O_JID] = &o->groups_file,
	};

	if (c == O_FORCE) {
		o->force = true;
	} else if (c == O_ADDR) {
		if (o->naddrs == INIT_MAX_ADDRS)
			return -1;
		o->addrs[o->naddrs++] = arg;
	} else if (c >= O_JID && c < O_FORCE && slot[c - O_JID]) {
		*slot[c - O_JID] = arg;
	} else {
		return -1;
	}
	return 0;
}

int cmd_init(int argc, char **argv)
{
	struct init_opts o = {
		.group = "evpn", .config = INIT_CONFIG,
		.groups_file = INIT_GROUPS,
	};
	int c;

	optind = 0;	/* argv[0] is "init" */
	argv--;
	argc++;
	while ((c = getopt_long(argc, argv, "", init_long, NULL)) != -1) {
		if (c == O_HELP) {
			init_usage(stdout);
			return 0;
		}
		if (parse_opt(&o, c, optarg)) {
			init_usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		init_usage(stderr);
		return 2;
	}
	if (check_opts(&o))
		return 2;
	password_path(&o);
	if (may_write(&o) || password(&o) || save_config(&o))
		return 1;
	print_server_lines(&o);
	print_next(&o);
	explicit_bzero(o.password, sizeof(o.password));
	return 0;
}
