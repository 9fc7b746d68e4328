// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The control socket (see ctl.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>
#include <glib-unix.h>
#include <net/if.h>
#include "config.h"
#include "jsonout.h"
#include "neigh.h"
#include "ctl.h"
#include "static.h"

#define CTL_MAX_LINE	4096
#define CTL_MAX_ARGS	32
#define CTL_MAX_VERBS	16

struct ctl_client {
	int fd;
	guint watch;
	size_t len;
	char buf[CTL_MAX_LINE];
};

static struct {
	struct dp *dp;
	int fd;
	guint watch;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct { const char *verb; ctl_cmd_fn fn; void *ctx; } verbs[CTL_MAX_VERBS];
	int nverbs;
	ctl_show_fn show_dev;
	dp_link_json_fn show_link;
	void *show_ctx;
	int lock_fd;			/* RUN_DIR/IFNAME.pid, flock()ed */
	char lock_path[PATH_MAX];
} ctl = { .fd = -1, .lock_fd = -1 };

static void reply_error(FILE *out, const char *msg)
{
	ej_reply_error(out, msg);
}

int ctl_register(const char *verb, ctl_cmd_fn fn, void *ctx)
{
	if (ctl.nverbs == CTL_MAX_VERBS)
		return -1;
	ctl.verbs[ctl.nverbs].verb = verb;
	ctl.verbs[ctl.nverbs].fn = fn;
	ctl.verbs[ctl.nverbs].ctx = ctx;
	ctl.nverbs++;
	return 0;
}

void ctl_set_show_hooks(ctl_show_fn dev, dp_link_json_fn link, void *ctx)
{
	ctl.show_dev = dev;
	ctl.show_link = link;
	ctl.show_ctx = ctx;
}

struct fdb_ctx {
	JsonBuilder *b;
	struct evpn_neigh *nb;
	int nnb;
};

/* One FDB entry, with the addresses the neighbour table has for its MAC. */
static void fdb_entry(const uint8_t mac[6], const struct evpn_id *node,
		      bool is_static, bool tentative, void *ctx)
{
	struct fdb_ctx *f = ctx;
	char m[18], id[EVPN_ID_HEXLEN + 1];
	int i;

	snprintf(m, sizeof(m), "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1],
		 mac[2], mac[3], mac[4], mac[5]);
	evpn_id_to_hex(node, id);
	json_builder_begin_object(f->b);
	ej_str(f->b, "mac", m);
	ej_str(f->b, "node_id", id);
	ej_bool(f->b, "static", is_static);
	ej_bool(f->b, "tentative", tentative);
	ej_array(f->b, "addresses");
	for (i = 0; i < f->nnb; i++)
		if (!memcmp(f->nb[i].mac, mac, 6))
			ej_str_elem(f->b, f->nb[i].addr);
	json_builder_end_array(f->b);
	json_builder_end_object(f->b);
}

static void show_fdb(struct dp *dp, JsonBuilder *b)
{
	struct fdb_ctx f = { .b = b };

	f.nb = evpn_neigh_dump(if_nametoindex(dp_ifname(dp)), &f.nnb);
	ej_array(b, "fdb");
	dp_fdb_foreach(dp, fdb_entry, &f);
	json_builder_end_array(b);
	g_free(f.nb);
}

/* The whole `show` object (docs/status.md). */
static void show_json(struct dp *dp, FILE *out)
{
	JsonBuilder *b = json_builder_new();

	json_builder_begin_object(b);
	ej_int(b, "pid", getpid());
	ej_str(b, "version", EVPN_VERSION);
	dp_show_json(dp, b, ctl.show_link, ctl.show_ctx);
	show_fdb(dp, b);
	if (ctl.show_dev)
		ctl.show_dev(b, ctl.show_ctx);
	json_builder_end_object(b);
	ej_finish(out, b, false);
}

static void cmd_link(struct dp *dp, int argc, char **argv, FILE *out)
{
	struct cfg_link l;
	char err[512];

	if (argc >= 3 && !strcmp(argv[1], "add")) {
		if (cfg_link_from_words(&l, argv[2], argv + 3, argc - 3, err,
					sizeof(err)) ||
		    static_link_install(dp, &l, err, sizeof(err))) {
			explicit_bzero(&l, sizeof(l));
			reply_error(out, err);
			return;
		}
		explicit_bzero(&l, sizeof(l));
	} else if (argc == 3 && !strcmp(argv[1], "del")) {
		if (static_link_remove(dp, argv[2], err, sizeof(err))) {
			reply_error(out, err);
			return;
		}
	} else {
		reply_error(out, "usage: link add NAME key=value ... | "
			    "link del NAME");
		return;
	}
	ej_reply_ok(out);
}

void ctl_handle_line(struct dp *dp, char *line, FILE *out)
{
	char *argv[CTL_MAX_ARGS], *save = NULL, *w;
	int argc = 0, i;

	for (w = strtok_r(line, " \t\r\n", &save); w && argc < CTL_MAX_ARGS;
	     w = strtok_r(NULL, " \t\r\n", &save))
		argv[argc++] = w;
	if (!argc) {
		reply_error(out, "empty request");
		return;
	}
	if (!strcmp(argv[0], "show") && argc == 1) {
		show_json(dp, out);
		return;
	}
	if (!strcmp(argv[0], "link")) {
		cmd_link(dp, argc, argv, out);
		return;
	}
	for (i = 0; i < ctl.nverbs; i++)
		if (!strcmp(argv[0], ctl.verbs[i].verb)) {
			ctl.verbs[i].fn(dp, argc, argv, out, ctl.verbs[i].ctx);
			return;
		}
	reply_error(out, "unknown request (show, link add, link del)");
}

static void client_close(struct ctl_client *c)
{
	g_source_remove(c->watch);
	close(c->fd);
	explicit_bzero(c->buf, sizeof(c->buf));	/* may hold a psk */
	free(c);
}

static void client_reply(struct ctl_client *c)
{
	char *reply = NULL;
	size_t rlen = 0, off = 0;
	FILE *out = open_memstream(&reply, &rlen);
	int fl;

	if (!out)
		return;
	c->buf[c->len] = 0;
	ctl_handle_line(ctl.dp, c->buf, out);
	fclose(out);
	/* the reply is small: finish it in blocking mode (send timeout) */
	fl = fcntl(c->fd, F_GETFL);
	fcntl(c->fd, F_SETFL, fl & ~O_NONBLOCK);
	while (off < rlen) {
		ssize_t n = write(c->fd, reply + off, rlen - off);

		if (n <= 0)
			break;
		off += n;
	}
	free(reply);
}

static gboolean on_client(gint fd, GIOCondition cond, gpointer data)
{
	struct ctl_client *c = data;
	ssize_t n = read(fd, c->buf + c->len, sizeof(c->buf) - 1 - c->len);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return G_SOURCE_CONTINUE;
	if (n > 0) {
		c->len += n;
		if (!memchr(c->buf, '\n', c->len) &&
		    c->len < sizeof(c->buf) - 1)
			return G_SOURCE_CONTINUE;
	}
	/* a full line, EOF after a partial one, or an overlong request */
	if (c->len)
		client_reply(c);
	client_close(c);
	return G_SOURCE_REMOVE;
}

static gboolean on_accept(gint fd, GIOCondition cond, gpointer data)
{
	struct timeval tv = { .tv_sec = 2 };
	struct ctl_client *c;
	int cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

	if (cfd < 0)
		return G_SOURCE_CONTINUE;
	setsockopt(cfd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	c = calloc(1, sizeof(*c));
	if (!c) {
		close(cfd);
		return G_SOURCE_CONTINUE;
	}
	c->fd = cfd;
	c->watch = g_unix_fd_add(cfd, G_IO_IN | G_IO_HUP | G_IO_ERR,
				 on_client, c);
	return G_SOURCE_CONTINUE;
}

static int make_run_dir(const char *run_dir)
{
	if (mkdir(run_dir, 0700) && errno != EEXIST) {
		g_critical("mkdir %s: %s", run_dir,
			   strerror(errno));
		return -1;
	}
	chmod(run_dir, 0700);
	return 0;
}

/* The pid in a lock file another evpnd holds (0 if unreadable). */
static long lock_owner(int fd)
{
	char buf[32] = "";

	if (pread(fd, buf, sizeof(buf) - 1, 0) <= 0)
		return 0;
	return strtol(buf, NULL, 10);
}

/* Lock @path; 1 if another process (*@owner, 0 if unknown) holds it, -1
 * on error. The file may be
 * unlinked by its previous owner between our open() and flock(): then we
 * locked a dead inode, so check that the path still names what we hold. */
static int lock_file(const char *path, long *owner)
{
	struct stat held, named;
	int fd, tries;

	for (tries = 0; tries < 10; tries++) {
		fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
		if (fd < 0) {
			g_warning("%s: %s", path, strerror(errno));
			return -1;
		}
		if (flock(fd, LOCK_EX | LOCK_NB)) {
			long pid = errno == EWOULDBLOCK ? lock_owner(fd) : -1;

			close(fd);
			if (pid < 0) {
				g_warning("flock %s: %s", path,
					  strerror(errno));
				return -1;
			}
			*owner = pid;
			return 1;
		}
		if (!fstat(fd, &held) && !stat(path, &named) &&
		    held.st_ino == named.st_ino && held.st_dev == named.st_dev) {
			ctl.lock_fd = fd;
			return 0;
		}
		close(fd);
	}
	g_critical("%s keeps changing", path);
	return -1;
}

int ctl_lock(const char *run_dir, const char *ifname)
{
	char pid[32];
	long owner = 0;
	int n, r;

	if (make_run_dir(run_dir))
		return -1;
	n = snprintf(ctl.lock_path, sizeof(ctl.lock_path), "%s/%s.pid",
		     run_dir, ifname);
	if (n >= (int)sizeof(ctl.lock_path)) {
		g_critical("run-dir path too long");
		return -1;
	}
	r = lock_file(ctl.lock_path, &owner);
	if (r == 1) {
		if (owner > 0)
			g_critical("already running (pid %ld) for %s "
				   "(%s)", owner, ifname, ctl.lock_path);
		else
			g_critical("already running for %s (%s is "
				   "locked)", ifname, ctl.lock_path);
		return -1;
	}
	if (r)
		return -1;
	n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(ctl.lock_fd, 0) || pwrite(ctl.lock_fd, pid, n, 0) != n)
		g_warning("cannot write %s: %s", ctl.lock_path,
			  strerror(errno));
	return 0;
}

void ctl_unlock(void)
{
	if (ctl.lock_fd < 0)
		return;
	/* unlink while still holding the lock: see lock_file() */
	unlink(ctl.lock_path);
	close(ctl.lock_fd);
	ctl.lock_fd = -1;
}

int ctl_start(struct dp *dp, const char *run_dir)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int n;

	if (make_run_dir(run_dir))
		return -1;
	n = snprintf(ctl.path, sizeof(ctl.path), "%s/%s.sock", run_dir,
		     dp_ifname(dp));
	if (n >= (int)sizeof(ctl.path)) {
		g_critical("control socket path too long");
		return -1;
	}
	strcpy(sa.sun_path, ctl.path);
	ctl.fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (ctl.fd < 0)
		return -1;
	unlink(ctl.path);	/* a stale socket from a crashed run */
	if (bind(ctl.fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(ctl.fd, 8) < 0) {
		g_warning("%s: %s", ctl.path, strerror(errno));
		close(ctl.fd);
		ctl.fd = -1;
		return -1;
	}
	ctl.dp = dp;
	ctl.watch = g_unix_fd_add(ctl.fd, G_IO_IN, on_accept, NULL);
	return 0;
}

void ctl_stop(void)
{
	if (ctl.fd < 0)
		return;
	g_source_remove(ctl.watch);
	close(ctl.fd);
	unlink(ctl.path);
	ctl.fd = -1;
}
