// SPDX-License-Identifier: GPL-2.0
/*
 * stun-probe: a tiny STUN (RFC 5389) / TURN (RFC 5766) client for tests.
 *
 *   stun-probe [-b LOCALIP:PORT] [-t TIMEOUT_MS] SERVER:PORT [SERVER:PORT ...]
 *   stun-probe [-b LOCALIP:PORT] [-t TIMEOUT_MS] -u USER:PASS [-p PEER:PORT]
 *              SERVER:PORT
 *
 * STUN mode sends Binding Requests to each server in turn from ONE local
 * UDP socket (so a NAT sees one internal endpoint) and prints, per server,
 *
 *   mapped SERVER:PORT -> IP:PORT
 *
 * the XOR-MAPPED-ADDRESS (or, from pre-5389 servers, MAPPED-ADDRESS) of the
 * response.  This shows a NAT's mapping behaviour: endpoint-independent
 * NATs give the same mapping for every server, symmetric NATs a new one.
 *
 * TURN mode (-u) allocates a UDP relay with long-term credentials (the
 * realm and nonce come from the server's 401) and prints
 *
 *   relayed SERVER:PORT -> RELAYIP:PORT mapped IP:PORT
 *
 * With -p it then permits PEER, sends it a datagram through the relay (Send
 * indication) and waits for the same bytes to come back in a Data
 * indication (the peer must echo, e.g. turnutils_peer):
 *
 *   relay-echo PEER:PORT ok
 *
 * and finally releases the allocation (Refresh, lifetime 0).
 *
 * Responses are accepted only from the server's address, with the magic
 * cookie and our transaction ID (response MESSAGE-INTEGRITY is not checked:
 * this is a probe, not a client to trust).  Requests are retransmitted
 * (doubling from 100 ms) until TIMEOUT_MS (default 3000) per transaction.
 * Exit status: 0 on success, 1 on timeout, rejection or bad reply, 2 on
 * usage errors.  IPv4 only.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <openssl/evp.h>
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
#define STUN_MAX		1500

/* message types: method | class (RFC 5389 §6, methods < 0x10) */
#define STUN_REQUEST		0x0000
#define STUN_INDICATION		0x0010
#define STUN_SUCCESS		0x0100
#define STUN_ERROR		0x0110
#define STUN_CLASS_MASK		0x0110
#define STUN_BINDING		0x0001
#define TURN_ALLOCATE		0x0003
#define TURN_REFRESH		0x0004
#define TURN_SEND		0x0006
#define TURN_DATA		0x0007
#define TURN_CREATE_PERM	0x0008

#define ATTR_MAPPED		0x0001
#define ATTR_USERNAME		0x0006
#define ATTR_INTEGRITY		0x0008
#define ATTR_ERROR_CODE		0x0009
#define ATTR_LIFETIME		0x000D
#define ATTR_XOR_PEER		0x0012
#define ATTR_DATA		0x0013
#define ATTR_REALM		0x0014
#define ATTR_NONCE		0x0015
#define ATTR_XOR_RELAYED	0x0016
#define ATTR_REQ_TRANSPORT	0x0019
#define ATTR_XOR_MAPPED		0x0020
#define STUN_FAMILY_IPV4	0x01
#define IPPROTO_UDP_NUM		17

struct msg {
	uint8_t buf[STUN_MAX];
	size_t len;
};

struct turn_auth {
	const char *user;
	uint8_t key[16];	/* MD5(user:realm:pass) */
	char realm[128];
	char nonce[256];
};

static int sock_fd;
static struct sockaddr_in server;
static int timeout_ms = 3000;

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
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

static const char *fmt_endpoint(const struct sockaddr_in *sa, char *buf, size_t len)
{
	char ip[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &sa->sin_addr, ip, sizeof(ip));
	snprintf(buf, len, "%s:%u", ip, ntohs(sa->sin_port));
	return buf;
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

/* ---- message building -------------------------------------------------- */

static int msg_init(struct msg *m, uint16_t type)
{
	memset(m, 0, sizeof(*m));
	put16(m->buf, type);
	put32(m->buf + 4, STUN_MAGIC);
	m->len = STUN_HDR_LEN;
	return random_bytes(m->buf + 8, 12);
}

static void msg_add(struct msg *m, uint16_t type, const void *val, size_t vlen)
{
	size_t padded = (vlen + 3) & ~(size_t)3;

	if (m->len + 4 + padded > sizeof(m->buf))
		return;	/* callers only add small, bounded attributes */
	put16(m->buf + m->len, type);
	put16(m->buf + m->len + 2, (uint16_t)vlen);
	memcpy(m->buf + m->len + 4, val, vlen);
	m->len += 4 + padded;
	put16(m->buf + 2, (uint16_t)(m->len - STUN_HDR_LEN));
}

static void msg_add_str(struct msg *m, uint16_t type, const char *s)
{
	msg_add(m, type, s, strlen(s));
}

static void msg_add_xor_addr(struct msg *m, uint16_t type,
			     const struct sockaddr_in *sa)
{
	uint8_t v[8] = { 0, STUN_FAMILY_IPV4 };

	put16(v + 2, ntohs(sa->sin_port) ^ (STUN_MAGIC >> 16));
	put32(v + 4, ntohl(sa->sin_addr.s_addr) ^ STUN_MAGIC);
	msg_add(m, type, v, sizeof(v));
}

/* Long-term credentials: USERNAME, REALM, NONCE, MESSAGE-INTEGRITY last. */
static int msg_add_auth(struct msg *m, const struct turn_auth *a)
{
	unsigned char mac[20];
	size_t maclen = 0;

	msg_add_str(m, ATTR_USERNAME, a->user);
	msg_add_str(m, ATTR_REALM, a->realm);
	msg_add_str(m, ATTR_NONCE, a->nonce);
	/* the HMAC covers the header with a length that includes MI itself */
	put16(m->buf + 2, (uint16_t)(m->len + 24 - STUN_HDR_LEN));
	if (!EVP_Q_mac(NULL, "HMAC", NULL, "SHA1", NULL, a->key, sizeof(a->key),
		       m->buf, m->len, mac, sizeof(mac), &maclen) || maclen != 20)
		return -1;
	msg_add(m, ATTR_INTEGRITY, mac, sizeof(mac));
	return 0;
}

/* ---- message parsing --------------------------------------------------- */

/* Find attribute @type in a validated message; returns its value or NULL. */
static const uint8_t *msg_find(const struct msg *m, uint16_t type, uint16_t *vlen)
{
	size_t off = STUN_HDR_LEN;

	while (off + 4 <= m->len) {
		uint16_t t = get16(m->buf + off), l = get16(m->buf + off + 2);

		if (off + 4 + l > m->len)
			return NULL;
		if (t == type) {
			*vlen = l;
			return m->buf + off + 4;
		}
		off += 4 + ((l + 3u) & ~3u);
	}
	return NULL;
}

/* Decode an IPv4 (XOR-)MAPPED-ADDRESS style value. */
static int get_address(const struct msg *m, uint16_t type, int xored,
		       struct sockaddr_in *out)
{
	uint16_t len, port;
	const uint8_t *v = msg_find(m, type, &len);
	uint32_t addr;

	if (!v || len < 8 || v[1] != STUN_FAMILY_IPV4)
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

static int get_mapped(const struct msg *m, struct sockaddr_in *out)
{
	if (!get_address(m, ATTR_XOR_MAPPED, 1, out))
		return 0;
	return get_address(m, ATTR_MAPPED, 0, out);
}

static int error_code(const struct msg *m)
{
	uint16_t len;
	const uint8_t *v = msg_find(m, ATTR_ERROR_CODE, &len);

	if (!v || len < 4)
		return 0;
	return (v[2] & 7) * 100 + v[3];
}

static int copy_str_attr(const struct msg *m, uint16_t type, char *dst, size_t n)
{
	uint16_t len;
	const uint8_t *v = msg_find(m, type, &len);

	if (!v || len >= n)
		return -1;
	memcpy(dst, v, len);
	dst[len] = '\0';
	return 0;
}

/* A well-formed STUN message from the server? (header, length, TLVs) */
static int msg_valid(const struct msg *m, const struct sockaddr_in *from)
{
	size_t off = STUN_HDR_LEN;

	if (from->sin_addr.s_addr != server.sin_addr.s_addr ||
	    from->sin_port != server.sin_port)
		return 0;
	if (m->len < STUN_HDR_LEN || (m->buf[0] & 0xc0) ||
	    get32(m->buf + 4) != STUN_MAGIC ||
	    STUN_HDR_LEN + (size_t)get16(m->buf + 2) != m->len || (m->len & 3))
		return 0;
	while (off + 4 <= m->len)
		off += 4 + ((get16(m->buf + off + 2) + 3u) & ~3u);
	return off == m->len;
}

/* ---- transport ----------------------------------------------------------- */

/*
 * Wait up to @ms for a valid message; if @req is set, only for a response
 * to it, else for an indication of @ind_type.  1 = got it, 0 = timeout.
 */
static int wait_msg(const struct msg *req, uint16_t ind_type, struct msg *resp, int ms)
{
	int64_t deadline = now_ms() + ms;

	for (;;) {
		struct pollfd pfd = { .fd = sock_fd, .events = POLLIN };
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
			return 0;
		n = recvfrom(sock_fd, resp->buf, sizeof(resp->buf), 0,
			     (struct sockaddr *)&from, &flen);
		if (n < 0)
			continue;	/* e.g. ICMP port unreachable: retry */
		resp->len = (size_t)n;
		if (!msg_valid(resp, &from))
			continue;
		if (req) {
			uint16_t cls = get16(resp->buf) & STUN_CLASS_MASK;

			if ((cls == STUN_SUCCESS || cls == STUN_ERROR) &&
			    !memcmp(resp->buf + 8, req->buf + 8, 12))
				return 1;
		} else if (get16(resp->buf) == ind_type) {
			return 1;
		}
	}
}

static void send_msg(const struct msg *m)
{
	sendto(sock_fd, m->buf, m->len, 0, (struct sockaddr *)&server,
	       sizeof(server));
}

/* Send @req with retransmissions; 0 = got a response in @resp, -1 = none. */
static int transact(const struct msg *req, struct msg *resp)
{
	int64_t deadline = now_ms() + timeout_ms;
	int rto = 100;

	while (now_ms() < deadline) {
		int left = (int)(deadline - now_ms());

		send_msg(req);
		if (wait_msg(req, 0, resp, rto < left ? rto : left))
			return 0;
		rto *= 2;
	}
	return -1;
}

static int is_success(const struct msg *m)
{
	return (get16(m->buf) & STUN_CLASS_MASK) == STUN_SUCCESS;
}

/* ---- STUN mode ------------------------------------------------------------ */

static int stun_binding(void)
{
	struct msg req, resp;
	struct sockaddr_in mapped;
	char a[64], b[64];

	fmt_endpoint(&server, a, sizeof(a));
	if (msg_init(&req, STUN_BINDING | STUN_REQUEST) || transact(&req, &resp)) {
		fprintf(stderr, "stun-probe: no response from %s\n", a);
		return 1;
	}
	if (!is_success(&resp) || get_mapped(&resp, &mapped)) {
		fprintf(stderr, "stun-probe: bad response from %s (error %d)\n",
			a, error_code(&resp));
		return 1;
	}
	printf("mapped %s -> %s\n", a, fmt_endpoint(&mapped, b, sizeof(b)));
	fflush(stdout);
	return 0;
}

/* ---- TURN mode ------------------------------------------------------------ */

static int turn_derive_key(struct turn_auth *a, const char *pass)
{
	char buf[512];
	unsigned int len = 0;
	int n = snprintf(buf, sizeof(buf), "%s:%s:%s", a->user, a->realm, pass);

	if (n < 0 || (size_t)n >= sizeof(buf))
		return -1;
	return EVP_Digest(buf, (size_t)n, a->key, &len, EVP_md5(), NULL) &&
	       len == 16 ? 0 : -1;
}

/* Take REALM and NONCE from a 401/438 error; 0 if present. */
static int turn_challenge(const struct msg *resp, struct turn_auth *a)
{
	if (copy_str_attr(resp, ATTR_NONCE, a->nonce, sizeof(a->nonce)))
		return -1;
	if (!a->realm[0] &&
	    copy_str_attr(resp, ATTR_REALM, a->realm, sizeof(a->realm)))
		return -1;
	return 0;
}

/*
 * Run an authenticated request built by @build (without auth attributes);
 * retries once on 438 Stale Nonce.  0 = success response in @resp.
 */
static int turn_request(uint16_t type, void (*build)(struct msg *, const void *),
			const void *arg, struct turn_auth *a, struct msg *resp,
			const char *what)
{
	int tries;

	for (tries = 0; tries < 2; tries++) {
		struct msg req;

		if (msg_init(&req, type))
			return -1;
		if (build)
			build(&req, arg);
		if (msg_add_auth(&req, a) || transact(&req, resp)) {
			fprintf(stderr, "stun-probe: %s: no response\n", what);
			return -1;
		}
		if (is_success(resp))
			return 0;
		if (error_code(resp) != 438 || turn_challenge(resp, a))
			break;
	}
	fprintf(stderr, "stun-probe: %s rejected: error %d%s\n", what,
		error_code(resp), error_code(resp) == 401 ?
		" (authentication failed: wrong user or password)" : "");
	return -1;
}

static void build_allocate(struct msg *m, const void *arg)
{
	static const uint8_t udp[4] = { IPPROTO_UDP_NUM };

	msg_add(m, ATTR_REQ_TRANSPORT, udp, sizeof(udp));
}

static void build_peer(struct msg *m, const void *arg)
{
	msg_add_xor_addr(m, ATTR_XOR_PEER, arg);
}

static void build_release(struct msg *m, const void *arg)
{
	static const uint8_t zero[4];

	msg_add(m, ATTR_LIFETIME, zero, sizeof(zero));
}

static int turn_allocate(struct turn_auth *a, const char *pass)
{
	struct msg req, resp;
	struct sockaddr_in relayed, mapped;
	char s[64], r[64], mp[64];

	fmt_endpoint(&server, s, sizeof(s));
	/* first attempt without credentials, to learn realm and nonce */
	if (msg_init(&req, TURN_ALLOCATE | STUN_REQUEST))
		return -1;
	build_allocate(&req, NULL);
	if (transact(&req, &resp)) {
		fprintf(stderr, "stun-probe: no response from %s\n", s);
		return -1;
	}
	if (error_code(&resp) != 401 || turn_challenge(&resp, a)) {
		fprintf(stderr, "stun-probe: %s: expected a 401 challenge, got %s %d\n",
			s, is_success(&resp) ? "success" : "error", error_code(&resp));
		return -1;
	}
	if (turn_derive_key(a, pass))
		return -1;
	if (turn_request(TURN_ALLOCATE | STUN_REQUEST, build_allocate, NULL, a,
			 &resp, "allocate"))
		return -1;
	if (get_address(&resp, ATTR_XOR_RELAYED, 1, &relayed) ||
	    get_mapped(&resp, &mapped)) {
		fprintf(stderr, "stun-probe: allocate response lacks addresses\n");
		return -1;
	}
	printf("relayed %s -> %s mapped %s\n", s,
	       fmt_endpoint(&relayed, r, sizeof(r)),
	       fmt_endpoint(&mapped, mp, sizeof(mp)));
	fflush(stdout);
	return 0;
}

/* Permit @peer, send it a payload via the relay, expect it echoed back. */
static int turn_echo(struct turn_auth *a, const struct sockaddr_in *peer)
{
	struct msg ind, resp;
	uint8_t payload[32];
	int64_t deadline;
	char p[64];

	fmt_endpoint(peer, p, sizeof(p));
	if (turn_request(TURN_CREATE_PERM | STUN_REQUEST, build_peer, peer, a,
			 &resp, "create-permission"))
		return -1;
	memcpy(payload, "evpn-turn-probe:", 16);
	if (random_bytes(payload + 16, 16) || msg_init(&ind, TURN_SEND | STUN_INDICATION))
		return -1;
	msg_add_xor_addr(&ind, ATTR_XOR_PEER, peer);
	msg_add(&ind, ATTR_DATA, payload, sizeof(payload));

	deadline = now_ms() + timeout_ms;
	while (now_ms() < deadline) {
		int64_t until = now_ms() + 200;

		send_msg(&ind);	/* indications are not retransmitted by TURN */
		while (now_ms() < until &&
		       wait_msg(NULL, TURN_DATA | STUN_INDICATION, &resp,
				(int)(until - now_ms()))) {
			uint16_t len;
			const uint8_t *v = msg_find(&resp, ATTR_DATA, &len);

			if (v && len == sizeof(payload) && !memcmp(v, payload, len)) {
				printf("relay-echo %s ok\n", p);
				fflush(stdout);
				return 0;
			}
		}
	}
	fprintf(stderr, "stun-probe: no echo from %s through the relay\n", p);
	return -1;
}

static int turn_mode(char *cred, const struct sockaddr_in *peer)
{
	struct turn_auth a = { 0 };
	struct msg resp;
	char *colon = strchr(cred, ':');
	int rc = 0;

	if (!colon)
		return 2;
	*colon = '\0';
	a.user = cred;
	if (turn_allocate(&a, colon + 1))
		return 1;
	if (peer && turn_echo(&a, peer))
		rc = 1;
	/* release: best effort */
	if (turn_request(TURN_REFRESH | STUN_REQUEST, build_release, NULL, &a,
			 &resp, "release"))
		rc = 1;
	return rc;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: stun-probe [-b LOCALIP:PORT] [-t TIMEOUT_MS] SERVER:PORT...\n"
		"       stun-probe [-b LOCALIP:PORT] [-t TIMEOUT_MS] -u USER:PASS "
		"[-p PEER:PORT] SERVER:PORT\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct sockaddr_in local = { .sin_family = AF_INET }, peer;
	int opt, i, rc = 0, have_peer = 0;
	char *cred = NULL;

	while ((opt = getopt(argc, argv, "b:t:u:p:h")) != -1) {
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
		case 'u':
			cred = optarg;
			break;
		case 'p':
			if (parse_endpoint(optarg, &peer))
				usage();
			have_peer = 1;
			break;
		default:
			usage();
		}
	}
	if (optind >= argc || (cred && argc - optind != 1) || (have_peer && !cred))
		usage();

	sock_fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sock_fd < 0 || bind(sock_fd, (struct sockaddr *)&local, sizeof(local))) {
		perror("stun-probe: socket/bind");
		return 1;
	}
	for (i = optind; i < argc; i++) {
		if (parse_endpoint(argv[i], &server)) {
			fprintf(stderr, "stun-probe: bad server '%s' (want IPv4:PORT)\n",
				argv[i]);
			return 2;
		}
		if (cred)
			rc = turn_mode(cred, have_peer ? &peer : NULL);
		else if (stun_binding())
			rc = 1;
	}
	close(sock_fd);
	return rc;
}
