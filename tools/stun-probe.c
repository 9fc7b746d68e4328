// SPDX-License-Identifier: GPL-2.0
/*
 * stun-probe: a tiny STUN (RFC 5389) Binding client for tests.
 *
 *   stun-probe [-b LOCALIP:PORT] [-t TIMEOUT_MS] SERVER:PORT [SERVER:PORT ...]
 *
 * Sends Binding Requests to each server in turn from ONE local UDP socket
 * (so a NAT sees one internal endpoint) and prints, per server,
 *
 *   mapped SERVER:PORT -> IP:PORT
 *
 * the XOR-MAPPED-ADDRESS (or, from pre-5389 servers, MAPPED-ADDRESS) of the
 * response.  This shows a NAT's mapping behaviour: endpoint-independent
 * NATs give the same mapping for every server, symmetric NATs a new one.
 * Responses are accepted only from the server's address, with the magic
 * cookie and our transaction ID.  Requests are retransmitted (RFC 5389
 * style, doubling from 100 ms) until TIMEOUT_MS (default 3000) per server.
 * Exit status: 0 if every server answered, 1 on timeout or a bad reply,
 * 2 on usage errors.  IPv4 only.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define STUN_HDR_LEN		20
#define STUN_MAGIC		0x2112A442u
#define STUN_BINDING_REQ	0x0001
#define STUN_BINDING_OK		0x0101
#define STUN_BINDING_ERR	0x0111
#define STUN_ATTR_MAPPED	0x0001
#define STUN_ATTR_XOR_MAPPED	0x0020
#define STUN_FAMILY_IPV4	0x01

struct probe {
	struct sockaddr_in server;
	uint8_t txid[12];
	struct sockaddr_in mapped;
};

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* "a.b.c.d:port" -> sockaddr; returns 0 or -1. */
static int parse_endpoint(const char *s, struct sockaddr_in *sa)
{
	char host[64];
	const char *colon = strrchr(s, ':');
	char *end;
	long port;

	if (!colon || (size_t)(colon - s) >= sizeof(host))
		return -1;
	memcpy(host, s, colon - s);
	host[colon - s] = '\0';
	errno = 0;
	port = strtol(colon + 1, &end, 10);
	if (errno || *end || port < 0 || port > 65535 || end == colon + 1)
		return -1;
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	return inet_pton(AF_INET, host, &sa->sin_addr) == 1 ? 0 : -1;
}

static void fmt_endpoint(const struct sockaddr_in *sa, char *buf, size_t len)
{
	char ip[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &sa->sin_addr, ip, sizeof(ip));
	snprintf(buf, len, "%s:%u", ip, ntohs(sa->sin_port));
}

static int random_bytes(uint8_t *buf, size_t len)
{
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len);
	close(fd);
	return n == (ssize_t)len ? 0 : -1;
}

static void build_request(const struct probe *p, uint8_t *msg)
{
	msg[0] = STUN_BINDING_REQ >> 8;
	msg[1] = STUN_BINDING_REQ & 0xff;
	msg[2] = 0;	/* length: no attributes */
	msg[3] = 0;
	msg[4] = STUN_MAGIC >> 24;
	msg[5] = (STUN_MAGIC >> 16) & 0xff;
	msg[6] = (STUN_MAGIC >> 8) & 0xff;
	msg[7] = STUN_MAGIC & 0xff;
	memcpy(msg + 8, p->txid, 12);
}

/* Decode an IPv4 (XOR-)MAPPED-ADDRESS value. */
static int parse_address(const uint8_t *v, uint16_t len, int xored,
			 struct sockaddr_in *out)
{
	uint16_t port;
	uint32_t addr;

	if (len < 8 || v[1] != STUN_FAMILY_IPV4)
		return -1;
	port = get16(v + 2);
	addr = get32(v + 4);
	if (xored) {
		port ^= STUN_MAGIC >> 16;
		addr ^= STUN_MAGIC;
	}
	memset(out, 0, sizeof(*out));
	out->sin_family = AF_INET;
	out->sin_port = htons(port);
	out->sin_addr.s_addr = htonl(addr);
	return 0;
}

/*
 * Validate a response for @p and extract the mapped address.
 * Returns 1 if it is our success response, 0 if it is not ours (ignore),
 * -1 if it is ours but unusable (error response, no address).
 */
static int parse_response(struct probe *p, const uint8_t *msg, size_t len)
{
	size_t off = STUN_HDR_LEN, end;
	int have_plain = 0, have_xor = 0;
	struct sockaddr_in plain, xored;

	if (len < STUN_HDR_LEN || (msg[0] & 0xc0) ||
	    get32(msg + 4) != STUN_MAGIC || memcmp(msg + 8, p->txid, 12))
		return 0;
	end = STUN_HDR_LEN + get16(msg + 2);
	if (end > len || (end & 3))
		return -1;
	if (get16(msg) == STUN_BINDING_ERR) {
		fprintf(stderr, "stun-probe: error response\n");
		return -1;
	}
	if (get16(msg) != STUN_BINDING_OK)
		return 0;
	while (off + 4 <= end) {
		uint16_t type = get16(msg + off), alen = get16(msg + off + 2);
		const uint8_t *v = msg + off + 4;

		if (off + 4 + alen > end)
			return -1;
		if (type == STUN_ATTR_XOR_MAPPED && !parse_address(v, alen, 1, &xored))
			have_xor = 1;
		else if (type == STUN_ATTR_MAPPED && !parse_address(v, alen, 0, &plain))
			have_plain = 1;
		off += 4 + ((alen + 3u) & ~3u);
	}
	if (have_xor)
		p->mapped = xored;
	else if (have_plain)
		p->mapped = plain;
	else
		return -1;
	return 1;
}

static int same_endpoint(const struct sockaddr_in *a, const struct sockaddr_in *b)
{
	return a->sin_addr.s_addr == b->sin_addr.s_addr && a->sin_port == b->sin_port;
}

/* Wait up to @ms for our response; 1 = got it, 0 = timeout, -1 = error. */
static int wait_response(int fd, struct probe *p, int ms)
{
	int64_t deadline = now_ms() + ms;
	uint8_t buf[1500];

	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		struct sockaddr_in from;
		socklen_t flen = sizeof(from);
		int left = (int)(deadline - now_ms()), r;
		ssize_t n;

		if (left <= 0)
			return 0;
		r = poll(&pfd, 1, left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r;
		n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen);
		if (n < 0)
			continue;	/* e.g. ICMP port unreachable: retry */
		if (!same_endpoint(&from, &p->server))
			continue;
		r = parse_response(p, buf, (size_t)n);
		if (r)
			return r;
	}
}

static int probe_one(int fd, struct probe *p, int timeout_ms)
{
	int64_t deadline = now_ms() + timeout_ms;
	uint8_t req[STUN_HDR_LEN];
	int rto = 100;

	if (random_bytes(p->txid, sizeof(p->txid)))
		return -1;
	build_request(p, req);
	while (now_ms() < deadline) {
		int left = (int)(deadline - now_ms()), r;

		sendto(fd, req, sizeof(req), 0, (struct sockaddr *)&p->server,
		       sizeof(p->server));
		r = wait_response(fd, p, rto < left ? rto : left);
		if (r)
			return r > 0 ? 0 : -1;
		rto *= 2;
	}
	return -1;
}

static void usage(void)
{
	fprintf(stderr, "usage: stun-probe [-b LOCALIP:PORT] [-t TIMEOUT_MS] "
		"SERVER:PORT [SERVER:PORT ...]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct sockaddr_in local = { .sin_family = AF_INET };
	int timeout_ms = 3000, fd, opt, i, rc = 0;
	char a[64], b[64];

	while ((opt = getopt(argc, argv, "b:t:h")) != -1) {
		switch (opt) {
		case 'b':
			if (parse_endpoint(optarg, &local))
				usage();
			break;
		case 't':
			timeout_ms = atoi(optarg);
			if (timeout_ms <= 0)
				usage();
			break;
		default:
			usage();
		}
	}
	if (optind >= argc)
		usage();

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&local, sizeof(local))) {
		perror("stun-probe: socket/bind");
		return 1;
	}
	for (i = optind; i < argc; i++) {
		struct probe p = { 0 };

		if (parse_endpoint(argv[i], &p.server)) {
			fprintf(stderr, "stun-probe: bad server '%s' (want IPv4:PORT)\n",
				argv[i]);
			return 2;
		}
		fmt_endpoint(&p.server, a, sizeof(a));
		if (probe_one(fd, &p, timeout_ms)) {
			fprintf(stderr, "stun-probe: no valid response from %s\n", a);
			rc = 1;
			continue;
		}
		fmt_endpoint(&p.mapped, b, sizeof(b));
		printf("mapped %s -> %s\n", a, b);
		fflush(stdout);
	}
	close(fd);
	return rc;
}
