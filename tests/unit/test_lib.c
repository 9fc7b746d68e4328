// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Unit tests for lib/ (libevpn.a): drop names are spelled once and are
 * valid JSON keys / Prometheus label values; the text helpers; and the
 * netlink builders and parsers round-trip without a kernel (a LINK_NEW
 * request carries the same EVPN_A_LINK nest a LINK_GET reply does), refuse
 * what they cannot encode, and the parsers' policies reject bad lengths;
 * JSON output of hostile names is valid and parses back.
 */
#include <arpa/inet.h>
#include <check.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include "fmt.h"
#include "jsonout.h"
#include "names.h"
#include "nl.h"
#include "statickeys.h"
#include "unit.h"

START_TEST(test_drop_names)
{
	unsigned int r, q;
	const char *n;

	ck_assert_str_eq(evpn_drop_name(EVPN_DROP_BAD_VERSION), "bad_version");
	ck_assert_str_eq(evpn_drop_name(EVPN_DROP_NO_LINK), "no_link");
	ck_assert_str_eq(evpn_drop_name(__EVPN_DROP_MAX), "unknown");
	for (r = 1; r < __EVPN_DROP_MAX; r++) {
		n = evpn_drop_name(r);
		ck_assert_str_ne(n, "unknown");
		for (; *n; n++)
			ck_assert_msg(islower((unsigned char)*n) ||
				      isdigit((unsigned char)*n) || *n == '_',
				      "reason %u: '%s'", r, evpn_drop_name(r));
		for (q = 1; q < r; q++)
			ck_assert_str_ne(evpn_drop_name(q), evpn_drop_name(r));
	}
	ck_assert_str_eq(evpn_event_name(EVPN_EVENT_PEER_UNREACHABLE),
			 "peer_unreachable");
	ck_assert_str_eq(evpn_event_name(999), "unknown");
}
END_TEST

/* Hostile names through lib/jsonout.c: valid JSON that parses back to the
 * name (invalid UTF-8 as U+FFFD), control characters escaped. */
START_TEST(test_jsonout_hostile)
{
	static const char *const names[] = {
		"q\"b\\x", "\001\033[31m", "a\xff\xfe" "b", "\xc3", "\x7f",
	};
	static const char *const want[] = {
		"q\"b\\x", "\001\033[31m", "a\xef\xbf\xbd\xef\xbf\xbd" "b",
		"\xef\xbf\xbd", "\x7f",
	};
	unsigned int i;

	for (i = 0; i < G_N_ELEMENTS(names); i++) {
		JsonBuilder *b = json_builder_new();
		JsonParser *p = json_parser_new();
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);
		JsonObject *o;

		ck_assert_ptr_nonnull(f);
		json_builder_begin_object(b);
		ej_str(b, names[i], names[i]);	/* as key and as value */
		json_builder_end_object(b);
		ej_finish(f, b, false);
		fclose(f);
		ck_assert(g_utf8_validate(buf, len, NULL));
		ck_assert_ptr_null(memchr(buf, '\033', len));
		ck_assert(json_parser_load_from_data(p, buf, len, NULL));
		o = json_node_get_object(json_parser_get_root(p));
		ck_assert_str_eq(json_object_get_string_member(o, want[i]), want[i]);
		g_object_unref(p);
		free(buf);
	}
}
END_TEST

START_TEST(test_fmt)
{
	struct sockaddr_storage ss;
	char buf[EVPN_SOCKADDR_STRLEN], hex[EVPN_ID_HEXLEN + 1];
	uint8_t b[16], mac[6];
	socklen_t len;

	ck_assert_int_eq(evpn_hex_decode("00ff7a", b, 3), 0);
	ck_assert_uint_eq(b[1], 0xff);
	ck_assert_int_eq(evpn_hex_decode("00ff7", b, 3), -1);
	ck_assert_int_eq(evpn_hex_decode("00fg7a", b, 3), -1);
	ck_assert_int_eq(evpn_hex_parse("0a0b", b, 4), 2);
	ck_assert_int_eq(evpn_hex_parse("0a0b0c", b, 2), -1);
	ck_assert_int_eq(evpn_hex_parse("0a0", b, 4), -1);
	ck_assert_int_eq(evpn_id_hex_to_bytes("000102030405060708090a0b0c0d0e0f", b), 0);
	evpn_id_bytes_to_hex(b, hex);
	ck_assert_str_eq(hex, "000102030405060708090a0b0c0d0e0f");
	ck_assert_int_eq(evpn_id_hex_to_bytes("00000000000000000000000000000000", b), -1);
	ck_assert_int_eq(evpn_mac_parse("02:c0:ff:ee:00:01", mac), 0);
	ck_assert_uint_eq(mac[3], 0xee);
	ck_assert_int_eq(evpn_mac_parse("02:c0:ff:ee:00:100", mac), -1);
	ck_assert_int_eq(evpn_sockaddr_parse("10.1.2.3:5170", &ss, &len), 0);
	ck_assert_uint_eq(len, sizeof(struct sockaddr_in));
	ck_assert_str_eq(evpn_sockaddr_str((struct sockaddr *)&ss, buf, sizeof(buf)), "10.1.2.3:5170");
	ck_assert_int_eq(evpn_sockaddr_parse("[fd00::1]:9", &ss, &len), 0);
	ck_assert_str_eq(evpn_sockaddr_str((struct sockaddr *)&ss, buf, sizeof(buf)), "[fd00::1]:9");
	ck_assert_int_eq(evpn_sockaddr_parse("10.1.2.3", &ss, &len), -1);
	ck_assert_int_eq(evpn_sockaddr_parse("10.1.2.3:70000", &ss, &len), -1);
	ck_assert_int_eq(evpn_sockaddr_parse("fd00::1:9", &ss, &len), -1);
}
END_TEST

/* No socket: the builders only need the family number. */
static struct evpn_genl fake_genl(void)
{
	struct evpn_genl g = { .family = 0x42 };

	return g;
}

START_TEST(test_nl_link_roundtrip)
{
	struct evpn_genl g = fake_genl();
	struct evpn_nl_dev dev = { .ifname = "evpn0" };
	struct evpn_nl_link req = EVPN_NL_LINK_INIT;
	struct sockaddr_storage ss, un = { .ss_family = AF_UNIX };
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	struct evpn_nl_link_info li;
	uint8_t nbrs[3 * 16];
	socklen_t len;
	struct nl_msg *m;

	memset(req.peer, 0xab, sizeof(req.peer));
	memset(nbrs, 0x11, sizeof(nbrs));
	ck_assert_int_eq(evpn_sockaddr_parse("[fd00::2]:5170", &ss, &len), 0);
	req.sock_fd = 7;
	req.remote = &ss;
	req.nbrs = nbrs;
	req.n_nbrs = 3;
	m = evpn_nl_link_msg(&g, EVPN_CMD_LINK_NEW, &dev, &req);
	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(evpn_nl_parse_link(m, &li), 0);
	ck_assert_mem_eq(li.peer, req.peer, 16);
	ck_assert_int_eq(li.remote.ss_family, AF_INET6);
	ck_assert_mem_eq(&((struct sockaddr_in6 *)&li.remote)->sin6_addr,
			 &s6->sin6_addr, 16);
	ck_assert_uint_eq(ntohs(((struct sockaddr_in6 *)&li.remote)->sin6_port),
			  5170);
	ck_assert_int_eq(li.local.ss_family, 0);
	ck_assert_int_eq(li.n_nbrs, 3);
	ck_assert_mem_eq(li.nbrs[2], nbrs + 32, 16);
	ck_assert(!li.key[0].valid && !li.key[1].valid);
	nlmsg_free(m);

	/* no NBRS attribute unless asked for; an address it cannot encode
	 * gives no message rather than a half-built one */
	req.n_nbrs = -1;
	req.remote = NULL;
	m = evpn_nl_link_msg(&g, EVPN_CMD_LINK_DEL, &dev, &req);
	ck_assert_int_eq(evpn_nl_parse_link(m, &li), 0);
	ck_assert_int_eq(li.n_nbrs, -1);
	ck_assert_int_eq(li.remote.ss_family, 0);
	nlmsg_free(m);
	req.remote = &un;
	ck_assert_ptr_null(evpn_nl_link_msg(&g, EVPN_CMD_LINK_SET, &dev, &req));
}
END_TEST

START_TEST(test_nl_fdb_dev)
{
	struct evpn_genl g = fake_genl();
	struct evpn_nl_dev dev = { .ifindex = 5 };
	uint8_t mac[6] = { 2, 0, 0, 0, 0, 9 }, node[16] = { 1 };
	struct evpn_nl_fdb_info f;
	struct evpn_nl_dev_info d;
	struct nl_msg *m;

	m = evpn_nl_fdb_msg(&g, EVPN_CMD_FDB_ADD, &dev, mac, node);
	ck_assert_int_eq(evpn_nl_parse_fdb(m, &f), 0);
	ck_assert_mem_eq(f.mac, mac, 6);
	ck_assert_mem_eq(f.node_id, node, 16);
	ck_assert(!f.is_static);
	nlmsg_free(m);
	/* what evpn.ko's FDB dump sends: IFINDEX beside the nest, the
	 * entry inside it */
	{
		struct nlattr *n;

		m = evpn_genl_msg(&g, EVPN_CMD_FDB_GET, 0);
		ck_assert_int_eq(nla_put_u32(m, EVPN_A_IFINDEX, 3), 0);
		n = nla_nest_start(m, EVPN_A_FDB);
		ck_assert_int_eq(nla_put(m, EVPN_FDB_A_MAC, 6, mac), 0);
		ck_assert_int_eq(nla_put(m, EVPN_FDB_A_NODE_ID, 16, node), 0);
		ck_assert_int_eq(nla_put_flag(m, EVPN_FDB_A_STATIC), 0);
		ck_assert_int_eq(nla_put_u32(m, EVPN_FDB_A_AGE, 9), 0);
		nla_nest_end(m, n);
		ck_assert_int_eq(evpn_nl_parse_fdb(m, &f), 0);
		ck_assert_mem_eq(f.mac, mac, 6);
		ck_assert(f.is_static);
		ck_assert_uint_eq(f.age, 9);
		nlmsg_free(m);
		/* a 4-byte attribute of type 1 (EVPN_FDB_A_MAC) in the nest,
		 * as evpn.ko before the spec put IFINDEX there: refused by
		 * the generated policy, never read as a MAC */
		m = evpn_genl_msg(&g, EVPN_CMD_FDB_GET, 0);
		n = nla_nest_start(m, EVPN_A_FDB);
		ck_assert_int_eq(nla_put_u32(m, EVPN_FDB_A_MAC, 3), 0);
		ck_assert_int_eq(nla_put(m, EVPN_FDB_A_NODE_ID, 16, node), 0);
		nla_nest_end(m, n);
		ck_assert_int_eq(evpn_nl_parse_fdb(m, &f), -EBADMSG);
		nlmsg_free(m);
	}
	/* FDB_DEL has no node: not a usable FDB entry */
	m = evpn_nl_fdb_msg(&g, EVPN_CMD_FDB_DEL, &dev, mac, NULL);
	ck_assert_int_eq(evpn_nl_parse_fdb(m, &f), -EBADMSG);
	nlmsg_free(m);

	/* a DEV_GET "reply": IFINDEX and IFNAME are required ... */
	m = evpn_nl_dev_set_node_id(&g, &dev, node);
	ck_assert_int_eq(evpn_nl_parse_dev(m, &d), -EBADMSG);
	ck_assert_int_eq(nla_put_string(m, EVPN_A_IFNAME, "evpn0"), 0);
	ck_assert_int_eq(nla_put_u32(m, EVPN_A_MTU, 1370), 0);
	ck_assert_int_eq(evpn_nl_parse_dev(m, &d), 0);
	ck_assert_uint_eq(d.ifindex, 5);
	ck_assert_str_eq(d.ifname, "evpn0");
	ck_assert_uint_eq(d.mtu, 1370);
	ck_assert(d.has_node_id);
	ck_assert_mem_eq(d.node_id, node, 16);
	nlmsg_free(m);
	/* ... and the policy refuses a node ID of the wrong length */
	m = evpn_nl_dev_msg(&g, EVPN_CMD_DEV_GET, 0, &dev);
	ck_assert_int_eq(nla_put_string(m, EVPN_A_IFNAME, "evpn0"), 0);
	ck_assert_int_eq(nla_put(m, EVPN_A_NODE_ID, 15, node), 0);
	ck_assert_int_eq(evpn_nl_parse_dev(m, &d), -EBADMSG);
	nlmsg_free(m);
}
END_TEST

START_TEST(test_nl_key_msg)
{
	struct evpn_genl g = fake_genl();
	struct evpn_nl_dev dev = { .ifname = "evpn0" };
	struct nlattr *tb[EVPN_A_MAX + 1], *kt[EVPN_KEY_A_MAX + 1];
	uint8_t peer[16] = { 7 };
	struct nl_msg *m;

	m = evpn_nl_key_msg(&g, EVPN_CMD_KEY_DEL, &dev, peer, 1);
	ck_assert_int_eq(genlmsg_parse(nlmsg_hdr(m), 0, tb, EVPN_A_MAX, NULL), 0);
	ck_assert_int_eq(nla_parse_nested(kt, EVPN_KEY_A_MAX, tb[EVPN_A_KEY],
					  NULL), 0);
	ck_assert_uint_eq(nla_get_u32(kt[EVPN_KEY_A_SLOT]), 1);
	ck_assert_mem_eq(nla_data(kt[EVPN_KEY_A_PEER_ID]), peer, 16);
	nlmsg_free(m);
	/* KEY_SWAP names no slot */
	m = evpn_nl_key_msg(&g, EVPN_CMD_KEY_SWAP, &dev, peer, 1);
	genlmsg_parse(nlmsg_hdr(m), 0, tb, EVPN_A_MAX, NULL);
	nla_parse_nested(kt, EVPN_KEY_A_MAX, tb[EVPN_A_KEY], NULL);
	ck_assert_ptr_null(kt[EVPN_KEY_A_SLOT]);
	nlmsg_free(m);
}
END_TEST

START_TEST(test_nl_e2e_del_msg)
{
	struct evpn_genl g = fake_genl();
	struct evpn_nl_dev dev = { .ifindex = 4 };
	struct nlattr *tb[EVPN_A_MAX + 1], *et[EVPN_E2E_A_MAX + 1];
	uint8_t peer[16] = { 9, 8 };
	struct nl_msg *m;

	m = evpn_nl_e2e_del_msg(&g, &dev, peer);
	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(genlmsg_hdr(nlmsg_hdr(m))->cmd, EVPN_CMD_E2E_DEL);
	ck_assert_int_eq(genlmsg_parse(nlmsg_hdr(m), 0, tb, EVPN_A_MAX, NULL), 0);
	ck_assert_uint_eq(nla_get_u32(tb[EVPN_A_IFINDEX]), 4);
	ck_assert_int_eq(nla_parse_nested(et, EVPN_E2E_A_MAX, tb[EVPN_A_E2E],
					  NULL), 0);
	ck_assert_mem_eq(nla_data(et[EVPN_E2E_A_PEER_ID]), peer, 16);
	ck_assert_ptr_null(et[EVPN_E2E_A_TX_KEY]);
	nlmsg_free(m);
	/* no peer: no nest, every pair key of the device */
	m = evpn_nl_e2e_del_msg(&g, &dev, NULL);
	ck_assert_int_eq(genlmsg_parse(nlmsg_hdr(m), 0, tb, EVPN_A_MAX, NULL), 0);
	ck_assert_ptr_null(tb[EVPN_A_E2E]);
	nlmsg_free(m);
}
END_TEST

/* `evpnctl e2e add ... psk` and evpnd's [e2e] make the same pair key: each
 * end's transmit direction is the other's receive one, and it is not the
 * static link key the same psk would make. */
START_TEST(test_e2e_psk_keys)
{
	struct evpn_id a = { .hi = 1, .lo = 2 }, c = { .hi = 3, .lo = 4 };
	struct evpn_static_keys ka, kc, link;
	uint8_t psk[EVPN_PSK_LEN];

	memset(psk, 0x5a, sizeof(psk));
	ck_assert_int_eq(evpn_e2e_psk_keys_derive(psk, sizeof(psk), &a, &c, &ka), 0);
	ck_assert_int_eq(evpn_e2e_psk_keys_derive(psk, sizeof(psk), &c, &a, &kc), 0);
	ck_assert_mem_eq(ka.tx.key, kc.rx.key, EVPN_KEY_LEN);
	ck_assert_mem_eq(ka.tx.iv, kc.rx.iv, EVPN_IV_LEN);
	ck_assert_mem_eq(ka.rx.key, kc.tx.key, EVPN_KEY_LEN);
	ck_assert(memcmp(ka.tx.key, ka.rx.key, EVPN_KEY_LEN));
	ck_assert_int_eq(evpn_static_keys_derive(psk, sizeof(psk), &a, &c, &link), 0);
	ck_assert(memcmp(ka.tx.key, link.tx.key, EVPN_KEY_LEN));
	ck_assert_int_eq(evpn_e2e_psk_keys_derive(psk, sizeof(psk), &a, &a, &ka), -1);
}
END_TEST

static Suite *lib_suite(void)
{
	Suite *s = suite_create("lib");
	TCase *tc = tcase_create("all");

	tcase_add_test(tc, test_drop_names);
	tcase_add_test(tc, test_fmt);
	tcase_add_test(tc, test_jsonout_hostile);
	tcase_add_test(tc, test_nl_link_roundtrip);
	tcase_add_test(tc, test_nl_fdb_dev);
	tcase_add_test(tc, test_nl_key_msg);
	tcase_add_test(tc, test_nl_e2e_del_msg);
	tcase_add_test(tc, test_e2e_psk_keys);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return unit_run(lib_suite(), false) ? EXIT_FAILURE : EXIT_SUCCESS;
}
