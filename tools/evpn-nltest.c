// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * evpn-nltest: send one hand-built (possibly malformed) request to the
 * "evpn" generic netlink family and report exactly what the kernel answered.
 * Used by the VM tests to prove bad requests are refused with an errno and
 * an extack message. Requests are put together attribute by attribute from
 * the command line with no policy in the way (lib/genl.c sends them as
 * they are): nothing between the test and the kernel validates anything.
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
#include <linux/evpn.h>
#include "fmt.h"
#include "genl.h"

static int print_cb(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *h = nlmsg_hdr(msg);
	struct genlmsghdr *g = nlmsg_data(h);
	struct nlattr *a;
	int rem, first = 1;

	if (h->nlmsg_flags & NLM_F_DUMP_INTR)
		printf("dump-interrupted\n");
	printf("msg cmd=%u attrs=", g->cmd);
	nla_for_each_attr(a, genlmsg_attrdata(g, 0), genlmsg_attrlen(g, 0),
			  rem) {
		printf("%s%u", first ? "" : ",", nla_type(a));
		if (nla_type(a) == EVPN_A_IFNAME)
			printf("(%.*s)", nla_len(a), (char *)nla_data(a));
		first = 0;
	}
	printf("\n");
	return NL_OK;
}

static int add_arg(struct nl_msg *m, const char *arg)
{
	unsigned char bin[2048];
	const char *eq = strchr(arg, '=');
	unsigned long t;
	int n;

	if (!eq)
		return -1;
	if (!strncmp(arg, "ifindex=", 8))
		return nla_put_u32(m, EVPN_A_IFINDEX,
				   (uint32_t)strtoul(eq + 1, NULL, 0));
	if (!strncmp(arg, "ifname=", 7))
		return nla_put_string(m, EVPN_A_IFNAME, eq + 1);
	if (!strncmp(arg, "node-id=", 8)) {
		n = evpn_hex_parse(eq + 1, bin, sizeof(bin));
		return n < 0 ? -1 : nla_put(m, EVPN_A_NODE_ID, n, bin);
	}
	t = strtoul(strchr(arg, ':') ? strchr(arg, ':') + 1 : "", NULL, 0);
	if (!strncmp(arg, "u32:", 4))
		return nla_put_u32(m, (int)t, (uint32_t)strtoul(eq + 1, NULL, 0));
	if (!strncmp(arg, "raw:", 4)) {
		n = evpn_hex_parse(eq + 1, bin, sizeof(bin));
		return n < 0 ? -1 : nla_put(m, (int)t, n, bin);
	}
	return -1;
}

int main(int argc, char **argv)
{
	int i = 1, cmd, flags = 0, ret;
	struct evpn_genl g;
	struct nl_msg *m;

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

	ret = evpn_genl_open(&g);
	if (ret) {
		printf("error family-not-found errno=%d\n", -ret);
		return 2;
	}
	m = evpn_genl_msg(&g, (uint8_t)cmd, flags);
	if (!m)
		return 1;
	for (; i < argc; i++) {
		if (add_arg(m, argv[i])) {
			fprintf(stderr, "evpn-nltest: bad attribute '%s'\n", argv[i]);
			return 1;
		}
	}
	ret = evpn_genl_transact(&g, m, print_cb, NULL);
	if (ret == -EAGAIN && !g.err)
		ret = 0;	/* an interrupted dump: flagged above */
	if (ret && g.err) {
		printf("error errno=%d (%s) extack=%s\n", g.err, strerror(g.err),
		       g.extack);
		evpn_genl_close(&g);
		return 2;
	}
	if (ret) {
		fprintf(stderr, "evpn-nltest: %s\n", g.extack);
		evpn_genl_close(&g);
		return 1;
	}
	printf("ok\n");
	evpn_genl_close(&g);
	return 0;
}
