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
#include "ctlsock.h"

static int ctl_connect(const char *ifname)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = 5 };
	const char *dir = getenv("EVPN_RUN_DIR");
	int fd, n;

	if (!dir || !*dir)
		dir = "/run/evpn";
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
		fprintf(stderr, "evpnctl: %s: no evpn device and no evpnd "
			"control socket at %s (%s)\n", ifname, sa.sun_path,
			strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

int ctlsock_request(const char *ifname, const char *line, FILE *out)
{
	char buf[4096];
	size_t len = strlen(line), off = 0;
	bool first = true, error = false;
	ssize_t n;
	int fd = ctl_connect(ifname);

	if (fd < 0)
		return -1;
	while (off < len) {
		n = send(fd, line + off, len - off, MSG_NOSIGNAL);
		if (n <= 0)
			goto ioerr;
		off += n;
	}
	if (send(fd, "\n", 1, MSG_NOSIGNAL) != 1)
		goto ioerr;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		if (first && n >= 9 && !memcmp(buf, "{\"error\":", 9))
			error = true;
		first = false;
		fwrite(buf, 1, n, out);
	}
	close(fd);
	if (n < 0 || first) {
		fprintf(stderr, "evpnctl: %s: no reply from evpnd\n", ifname);
		return -1;
	}
	return error ? 1 : 0;
ioerr:
	fprintf(stderr, "evpnctl: %s: %s\n", ifname, strerror(errno));
	close(fd);
	return -1;
}

int ctlsock_show(const char *ifname, bool json)
{
	return ctlsock_request(ifname, json ? "show" : "show text", stdout);
}

int ctlsock_link(int argc, char **argv)
{
	char line[4096];
	size_t off;
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
	i = ctlsock_request(argv[1], line, stdout);
	explicit_bzero(line, sizeof(line));	/* may hold a psk */
	return i ? 1 : 0;
}

int ctlsock_peer(int argc, char **argv)
{
	char line[1024];

	if (argc != 3 || strcmp(argv[0], "accept")) {
		fprintf(stderr, "usage: evpnctl peer accept DEV JID\n");
		return 1;
	}
	if ((size_t)snprintf(line, sizeof(line), "peer accept %s", argv[2]) >=
	    sizeof(line) || strpbrk(argv[2], " \t\r\n")) {
		fprintf(stderr, "evpnctl: bad JID\n");
		return 1;
	}
	return ctlsock_request(argv[1], line, stdout) ? 1 : 0;
}
