// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * evpn-nltest: send one hand-built (possibly malformed) request to the
 * "evpn" generic netlink family and report exactly what the kernel answered.
 * Used by the VM tests to prove bad requests are refused with an errno and
 * an extack message. Raw sockets on purpose: nothing between the test and
 * the kernel validates anything.
 *
 *   evpn-nltest [--dump] CMD [ATTR...]
 *     CMD   dev-get | dev-set | a command number
 *     ATTR  ifindex=N | ifname=STR | node-id=HEX (any even length) |
 *           u32:TYPE=N | raw:TYPE=HEX
 *
 * Prints "ok" plus one line per reply message ("msg cmd=C attrs=T,T,..."),
 * or "error errno=N (strerror) extack=MSG". Exit: 0 ok, 2 kernel error,
 * 1 local failure.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/evpn.h>

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

struct req {
	struct nlmsghdr nh;
	struct genlmsghdr gh;
	char buf[4096];
};

static int fd;
static uint32_t seq = 1;

static int put_attr(struct req *r, uint16_t type, const void *data, size_t len)
{
	struct nlattr *a = (struct nlattr *)((char *)r + NLMSG_ALIGN(r->nh.nlmsg_len));

	if (NLMSG_ALIGN(r->nh.nlmsg_len) + NLA_HDRLEN + NLA_ALIGN(len) > sizeof(*r))
		return -1;
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy((char *)a + NLA_HDRLEN, data, len);
	r->nh.nlmsg_len = NLMSG_ALIGN(r->nh.nlmsg_len) + NLA_ALIGN(a->nla_len);
	return 0;
}

static void init_req(struct req *r, uint16_t family, uint8_t cmd, uint16_t flags)
{
	memset(r, 0, sizeof(*r));
	r->nh.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	r->nh.nlmsg_type = family;
	r->nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	r->nh.nlmsg_seq = seq++;
	r->gh.cmd = cmd;
	r->gh.version = EVPN_GENL_VERSION;
}

static const char *extack_msg(struct nlmsghdr *h)
{
	struct nlmsgerr *e = NLMSG_DATA(h);
	char *p = (char *)e + sizeof(*e);
	char *end = (char *)h + h->nlmsg_len;

	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return "";
	if (!(h->nlmsg_flags & NLM_F_CAPPED))
		p += e->msg.nlmsg_len - NLMSG_HDRLEN;
	while (p + NLA_HDRLEN <= end) {
		struct nlattr *a = (struct nlattr *)p;

		if (a->nla_len < NLA_HDRLEN || p + a->nla_len > end)
			break;
		if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG)
			return (char *)a + NLA_HDRLEN;
		p += NLA_ALIGN(a->nla_len);
	}
	return "";
}

/* Callback per reply message; returns 0 to go on. */
typedef void (*msg_cb)(struct nlmsghdr *h, void *arg);

/* Send and receive until ACK/DONE/error. Returns 0 or -errno (kernel). */
static int transact(struct req *r, msg_cb cb, void *arg, const char **ext)
{
	static char buf[65536];
	ssize_t n;

	if (send(fd, r, r->nh.nlmsg_len, 0) < 0) {
		perror("send");
		exit(1);
	}
	for (;;) {
		struct nlmsghdr *h;

		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0) {
			perror("recv");
			exit(1);
		}
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n);
		     h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(h);

				*ext = extack_msg(h);
				return e->error;
			}
			if (h->nlmsg_type == NLMSG_DONE) {
				*ext = "";
				return 0;
			}
			if (h->nlmsg_flags & NLM_F_DUMP_INTR)
				printf("dump-interrupted\n");
			cb(h, arg);
		}
	}
}

static void family_cb(struct nlmsghdr *h, void *arg)
{
	struct genlmsghdr *g = NLMSG_DATA(h);
	char *p = (char *)g + GENL_HDRLEN, *end = (char *)h + h->nlmsg_len;

	while (p + NLA_HDRLEN <= end) {
		struct nlattr *a = (struct nlattr *)p;

		if (a->nla_len < NLA_HDRLEN)
			break;
		if (a->nla_type == CTRL_ATTR_FAMILY_ID)
			memcpy(arg, (char *)a + NLA_HDRLEN, sizeof(uint16_t));
		p += NLA_ALIGN(a->nla_len);
	}
}

static void print_cb(struct nlmsghdr *h, void *arg)
{
	struct genlmsghdr *g = NLMSG_DATA(h);
	char *p = (char *)g + GENL_HDRLEN, *end = (char *)h + h->nlmsg_len;

	printf("msg cmd=%u attrs=", g->cmd);
	while (p + NLA_HDRLEN <= end) {
		struct nlattr *a = (struct nlattr *)p;

		if (a->nla_len < NLA_HDRLEN)
			break;
		printf("%s%u", p == (char *)g + GENL_HDRLEN ? "" : ",",
		       a->nla_type & NLA_TYPE_MASK);
		if ((a->nla_type & NLA_TYPE_MASK) == EVPN_A_IFNAME)
			printf("(%s)", (char *)a + NLA_HDRLEN);
		p += NLA_ALIGN(a->nla_len);
	}
	printf("\n");
}

static int parse_hex(const char *s, unsigned char *out, size_t max)
{
	size_t n = strlen(s), i;

	if (n % 2 || n / 2 > max)
		return -1;
	for (i = 0; i < n / 2; i++) {
		unsigned int v;

		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (unsigned char)v;
	}
	return (int)(n / 2);
}

static int add_arg(struct req *r, const char *arg)
{
	unsigned char bin[2048];
	const char *eq = strchr(arg, '=');
	unsigned long t;
	uint32_t v;
	int n;

	if (!eq)
		return -1;
	if (!strncmp(arg, "ifindex=", 8)) {
		v = (uint32_t)strtoul(eq + 1, NULL, 0);
		return put_attr(r, EVPN_A_IFINDEX, &v, sizeof(v));
	}
	if (!strncmp(arg, "ifname=", 7))
		return put_attr(r, EVPN_A_IFNAME, eq + 1, strlen(eq + 1) + 1);
	if (!strncmp(arg, "node-id=", 8)) {
		n = parse_hex(eq + 1, bin, sizeof(bin));
		return n < 0 ? -1 : put_attr(r, EVPN_A_NODE_ID, bin, n);
	}
	t = strtoul(strchr(arg, ':') ? strchr(arg, ':') + 1 : "", NULL, 0);
	if (!strncmp(arg, "u32:", 4)) {
		v = (uint32_t)strtoul(eq + 1, NULL, 0);
		return put_attr(r, (uint16_t)t, &v, sizeof(v));
	}
	if (!strncmp(arg, "raw:", 4)) {
		n = parse_hex(eq + 1, bin, sizeof(bin));
		return n < 0 ? -1 : put_attr(r, (uint16_t)t, bin, n);
	}
	return -1;
}

int main(int argc, char **argv)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	uint16_t family = 0, flags = 0;
	int one = 1, i = 1, cmd, ret;
	const char *ext;
	struct req r;

	if (i < argc && !strcmp(argv[i], "--dump")) {
		flags = NLM_F_DUMP;
		i++;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: evpn-nltest [--dump] CMD [ATTR...]\n");
		return 1;
	}
	if (!strcmp(argv[i], "dev-get"))
		cmd = EVPN_CMD_DEV_GET;
	else if (!strcmp(argv[i], "dev-set"))
		cmd = EVPN_CMD_DEV_SET;
	else
		cmd = atoi(argv[i]);
	i++;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("netlink socket");
		return 1;
	}
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));

	init_req(&r, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0);
	put_attr(&r, CTRL_ATTR_FAMILY_NAME, EVPN_GENL_NAME, sizeof(EVPN_GENL_NAME));
	ret = transact(&r, family_cb, &family, &ext);
	if (ret || !family) {
		printf("error family-not-found errno=%d\n", -ret);
		return 2;
	}

	init_req(&r, family, (uint8_t)cmd, flags);
	for (; i < argc; i++) {
		if (add_arg(&r, argv[i])) {
			fprintf(stderr, "evpn-nltest: bad attribute '%s'\n", argv[i]);
			return 1;
		}
	}
	ret = transact(&r, print_cb, NULL, &ext);
	if (ret) {
		printf("error errno=%d (%s) extack=%s\n", -ret, strerror(-ret), ext);
		return 2;
	}
	printf("ok\n");
	close(fd);
	return 0;
}
