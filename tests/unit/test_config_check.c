// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The configuration checker's rules (daemon/config.c, docs/configuration.md
 * "Syntax"): an empty file, a duplicate key, an unknown key are errors;
 * every error is reported with file:line and the key; long values are not
 * echoed back; inline '# comments' work; cfg_check() (evpnd -t and start)
 * finds what the running daemon would trip over later.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "overlay.h"
#include "cfg_test.h"
#include "unit.h"

static char dir[] = "/tmp/evpn-cfgchk-XXXXXX";

static const char *put_file(const char *name, const char *text, mode_t mode)
{
	static char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
	return path;
}

static unsigned count(const char *hay, const char *needle)
{
	unsigned n = 0;

	for (; (hay = strstr(hay, needle)); hay++)
		n++;
	return n;
}

/* ---- empty configuration ---- */

START_TEST(empty_file)
{
	static const char *const texts[] = { "", "\n\n", "# only\n; comments\n" };
	struct evpnd_config c;
	const char *p;

	p = put_file("empty.conf", texts[_i], 0600);
	cfg_init(&c);
	ck_assert_int_ne(CAPTURE(cfg_load_file(&c, p)), 0);
	ck_assert_msg(strstr(errbuf, ":1: error: empty configuration"),
		      "got: %s", errbuf);
	cfgt_done(&c);
}
END_TEST

START_TEST(one_section_is_enough)
{
	struct evpnd_config c;
	const char *p = put_file("min.conf", "[interface]\n", 0600);

	cfg_init(&c);
	ck_assert_int_eq(CAPTURE(cfg_load_file(&c, p)), 0);
	cfgt_done(&c);
}
END_TEST

/* ---- duplicates ---- */

static const struct {
	const char *text;
	const char *msg;
} dups[] = {
	{ "[interface]\nmtu = 1400\nmtu = 1500\n",
	  "t.conf:3: error: mtu: 'mtu' given twice in [interface] (first at line 2" },
	{ "[node]\nstate-dir = /a\nrun-dir = /r\nstate-dir = /b\n",
	  "t.conf:4: error: state-dir: 'state-dir' given twice" },
	{ "[link a]\npeer = 11111111111111111111111111111111\nendpoint = 192.0.2.1\n"
	  "psk = 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n"
	  "psk-file = /nonexistent\n", "t.conf:5: error: psk-file: 'psk-file' given twice" },
	{ "[overlay o]\njid = a@b\npassword = x\npassword = y\n",
	  "t.conf:4: error" },
	{ "[overlay o]\njid = a@b\njid = c@d\npassword = x\n", "t.conf:3: error: jid" },
};

START_TEST(duplicate_key)
{
	cfgt_refused(dups[_i].text, dups[_i].msg, _i);
}
END_TEST

START_TEST(same_key_in_two_sections)
{
	struct evpnd_config c;

	/* one key per section instance, and repeatable keys stay repeatable */
	ck_assert_int_eq(cfgt_load(&c,
		"[overlay a]\njid = a@b\npassword = x\n"
		"exclude-interface = docker*\nexclude-interface = wg0\n"
		"[overlay b]\njid = c@d\npassword = y\n"), 0);
	ck_assert_int_eq(c.overlays->nexclude, 2);
	ck_assert_str_eq(c.overlays->next->jid, "c@d");
	cfgt_done(&c);
}
END_TEST

/* ---- unknown keys, every error, file:line and key ---- */

START_TEST(unknown_key)
{
	struct evpnd_config c;

	ck_assert_int_ne(cfgt_load(&c, "[interface]\ncolour = blue\n"), 0);
	ck_assert_ptr_nonnull(strstr(errbuf,
		"t.conf:2: error: unknown key 'colour' in [interface]"));
	cfgt_done(&c);
}
END_TEST

START_TEST(every_error)
{
	struct evpnd_config c;

	ck_assert_int_ne(cfgt_load(&c,
		"[interface]\n"
		"colour = blue\n"		/* 2: unknown key */
		"mtu = 99999\n"			/* 3: range */
		"[bogus]\n"			/* 4: unknown section */
		"whatever = 1\n"		/* (inside the bad section: ignored) */
		"[node]\n"
		"id = 1234\n"			/* 7: not an ID */
		"[link x]\n"			/* 8: 'peer' is required */
		"endpoint = 192.0.2.1\n"
		"psk = 00\n"),			/* 10: hex */
		0);
	ck_assert_msg(strstr(errbuf, "t.conf:2: error: unknown key 'colour'"), "%s", errbuf);
	ck_assert_msg(strstr(errbuf, "t.conf:3: error: mtu: 99999 is out of range"), "%s", errbuf);
	ck_assert_msg(strstr(errbuf, "t.conf:4: error: unknown section [bogus]"), "%s", errbuf);
	ck_assert_msg(strstr(errbuf, "t.conf:7: error: id: '1234' is not a node ID"), "%s", errbuf);
	ck_assert_msg(strstr(errbuf, "t.conf:8: error: link 'x': 'peer' is required"), "%s", errbuf);
	ck_assert_msg(strstr(errbuf, "t.conf:10: error: psk: expected 64 hex digits"), "%s", errbuf);
	ck_assert_uint_eq(count(errbuf, "error"), 6);
	cfgt_done(&c);
}
END_TEST

START_TEST(value_error_names_key)
{
	struct evpnd_config c;

	ck_assert_int_ne(cfgt_load(&c, "[interface]\nfdb-age = soon\n"), 0);
	ck_assert_msg(strstr(errbuf, "t.conf:2: error: fdb-age: 'soon' is not a number"),
		      "%s", errbuf);
	ck_assert_int_ne(cfgt_load(&c, "[overlay o]\njid = a@b\npassword = x\nport = 0\n"), 0);
	ck_assert_msg(strstr(errbuf, "t.conf:4: error: port: 0 is out of range"),
		      "%s", errbuf);
	cfgt_done(&c);
}
END_TEST

/* The MTU range is evpn.ko's (core/wire.h EVPN_MIN_MTU .. EVPN_MAX_MTU):
 * IPv6's minimum link MTU .. the largest frame one record carries. */
START_TEST(mtu_range)
{
	struct evpnd_config c;

	cfgt_refused("[interface]\nmtu = 1279\n",
		     "t.conf:2: error: mtu: 1279 is out of range [1280, 9000]", 0);
	cfgt_refused("[interface]\nmtu = 9001\n",
		     "t.conf:2: error: mtu: 9001 is out of range [1280, 9000]", 1);
	ck_assert_int_eq(cfgt_load(&c, "[interface]\nmtu = 1280\n"), 0);
	ck_assert_uint_eq(c.mtu, 1280);
	cfgt_done(&c);
	ck_assert_int_eq(cfgt_load(&c, "[interface]\nmtu = 9000\n"), 0);
	ck_assert_uint_eq(c.mtu, 9000);
	cfgt_done(&c);
}
END_TEST

/* ---- long and hostile values ---- */

START_TEST(long_value_not_echoed)
{
	struct evpnd_config c;
	size_t n = 100 * 1024;
	char *text = malloc(n + 64);

	ck_assert_ptr_nonnull(text);
	strcpy(text, "[overlay o]\njid = ");
	memset(text + strlen(text), 'A', n);
	strcpy(text + 18 + n, "\npassword = x\n");
	ck_assert_int_ne(cfgt_load(&c, text), 0);
	ck_assert_msg(strlen(errbuf) < 512, "%zu bytes of messages", strlen(errbuf));
	ck_assert_ptr_nonnull(strstr(errbuf, "t.conf:2: error: jid: value too long"));
	cfgt_done(&c);
	/* below the value limit but above a field's size: quoted, elided */
	memset(text, 0, n + 64);
	strcpy(text, "[overlay o]\njid = ");
	memset(text + 18, 'B', 3000);
	strcat(text, "@x\npassword = x\n");
	ck_assert_int_ne(cfgt_load(&c, text), 0);
	ck_assert_msg(strlen(errbuf) < 512, "%zu bytes of messages", strlen(errbuf));
	ck_assert_ptr_nonnull(strstr(errbuf, "t.conf:2: error: jid: 'BBBB"));
	ck_assert_ptr_nonnull(strstr(errbuf, "bytes]..."));
	ck_assert_ptr_nonnull(strstr(errbuf, "is too long"));
	cfgt_done(&c);
	free(text);
}
END_TEST

START_TEST(control_chars_not_echoed)
{
	struct evpnd_config c;

	ck_assert_int_ne(cfgt_load(&c, "[interface]\ndatapath = x\033[2Jy\n"), 0);
	ck_assert_ptr_null(strchr(errbuf, '\033'));
	ck_assert_ptr_nonnull(strstr(errbuf, "'x?[2Jy'"));
	cfgt_done(&c);
}
END_TEST

/* ---- comments (docs/configuration.md shows them after headers and values) ---- */

START_TEST(inline_comments)
{
	struct evpnd_config c;

	ck_assert_int_eq(cfgt_load(&c,
		"# full line\n"
		"; also a full line\n"
		"[interface]          # the device\n"
		"name = evpn7         # whitespace around '=' is ignored\n"
		"mtu = 1400\t# tab before the comment\n"
		"[overlay o] # x\n"
		"jid = a@b\n"
		"password = pa#ss     # '#' inside a value stays\n"), 0);
	ck_assert_msg(!strstr(errbuf ? errbuf : "", "error"), "%s", errbuf);
	ck_assert_str_eq(c.ifname, "evpn7");
	ck_assert_uint_eq(c.mtu, 1400);
	ck_assert_str_eq(c.overlays->password, "pa#ss");
	cfgt_done(&c);
}
END_TEST

START_TEST(comment_only_value_is_empty)
{
	struct evpnd_config c;

	ck_assert_int_ne(cfgt_load(&c, "[interface]\nname = # nothing\n"), 0);
	ck_assert_ptr_nonnull(strstr(errbuf, "t.conf:2: error: name: no value"));
	cfgt_done(&c);
}
END_TEST

/* ---- cfg_check: what the running daemon needs ---- */

static const char ca_pem[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIBhTCCASugAwIBAgIUHzUWmDzVFmowhi7VRA5+k/oVkUQwCgYIKoZIzj0EAwIw\n"
	"FzEVMBMGA1UEAwwMZXZwbi10ZXN0LWNhMCAXDTI2MTIwNjIyNTI0NVoYDzIxMjYx\n"
	"MTEyMjI1MjQ1WjAXMRUwEwYDVQQDDAxldnBuLXRlc3QtY2EwWTATBgcqhkjOPQIB\n"
	"BggqhkjOPQMBBwNCAARayMSNAznLh+u4WEN9jcSxRW9ah4Gst327bQ5tp6Mze6wA\n"
	"jZ7ss/RQ+tNUlofSEnaMC+O8ribe7hIfbXzKOJC0o1MwUTAdBgNVHQ4EFgQUFlzF\n"
	"0ZOC/GCwMPkGOcUk/U87aEAwHwYDVR0jBBgwFoAUFlzF0ZOC/GCwMPkGOcUk/U87\n"
	"aEAwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiAY6HKOdkIWri/Z\n"
	"u0JZKEz23SSCbtfnqC4f0Y0a/otkGgIhAJDXvY3zQXwtycggvFNuUFSDmKgwxrW/\n"
	"K6EJqLFYVpYS\n"
	"-----END CERTIFICATE-----\n";

/* Load an overlay with @ca and a password file of @mode; cfg_check(). */
static int check_overlay(const char *ca, mode_t mode)
{
	struct evpnd_config c;
	char text[1024], pw[256];
	int r;

	snprintf(pw, sizeof(pw), "%s", put_file("pw", "secret\n", mode));
	snprintf(text, sizeof(text),
		 "[overlay o]\njid = a@b\npassword-file = %s\nca-file = %s\n",
		 pw, ca);
	ck_assert_int_eq(cfgt_load(&c, text), 0);	/* the syntax is fine */
	r = CAPTURE(cfg_check(&c));
	cfgt_done(&c);
	return r;
}

START_TEST(check_ok)
{
	char ca[256];

	snprintf(ca, sizeof(ca), "%s", put_file("ca.pem", ca_pem, 0644));
	ck_assert_int_eq(check_overlay(ca, 0600), 0);
	ck_assert_ptr_null(strstr(errbuf ? errbuf : "", "error"));
}
END_TEST

START_TEST(check_ca_missing)
{
	ck_assert_int_ne(check_overlay("/nonexistent/ca.pem", 0600), 0);
	ck_assert_msg(strstr(errbuf, "t.conf:1: error: ca-file: overlay 'o': "
			     "cannot read /nonexistent/ca.pem"), "%s", errbuf);
}
END_TEST

START_TEST(check_ca_not_pem)
{
	char ca[256];

	snprintf(ca, sizeof(ca), "%s", put_file("ca.pem", "hello\n", 0644));
	ck_assert_int_ne(check_overlay(ca, 0600), 0);
	ck_assert_msg(strstr(errbuf, "holds no PEM certificate"), "%s", errbuf);
}
END_TEST

START_TEST(check_password_file_private)
{
	char ca[256];

	snprintf(ca, sizeof(ca), "%s", put_file("ca.pem", ca_pem, 0644));
	ck_assert_int_ne(check_overlay(ca, 0640), 0);
	ck_assert_msg(strstr(errbuf, "t.conf:3: error: password-file: secret file"),
		      "%s", errbuf);
	ck_assert_ptr_nonnull(strstr(errbuf, "chmod 600"));
	ck_assert_int_ne(check_overlay(ca, 0604), 0);
}
END_TEST

START_TEST(check_psk_file_gone)
{
	struct evpnd_config c;
	char text[512];
	const char *p = put_file("psk",
		"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n",
		0600);

	snprintf(text, sizeof(text), "[link a]\npeer = 11111111111111111111111111111111\n"
		 "endpoint = 192.0.2.1\npsk-file = %s\n", p);
	ck_assert_int_eq(cfgt_load(&c, text), 0);
	ck_assert_int_eq(CAPTURE(cfg_check(&c)), 0);
	unlink(p);
	ck_assert_int_ne(CAPTURE(cfg_check(&c)), 0);
	ck_assert_msg(strstr(errbuf, "t.conf:4: error: psk-file:"), "%s", errbuf);
	cfgt_done(&c);
}
END_TEST

/* ---- [interface] address ---- */

START_TEST(address_list)
{
	struct evpnd_config c;

	ck_assert_int_eq(cfgt_load(&c, "[interface]\n"
			      "address = 10.200.0.1/24, fd00:e::1/64\n"
			      "mtu = 1300\n"
			      "address = 10.201.0.1/16\n"), 0);
	ck_assert_int_eq(c.naddrs, 3);
	ck_assert_int_eq(c.addrs[0].family, AF_INET);
	ck_assert_int_eq(c.addrs[0].prefixlen, 24);
	ck_assert_int_eq(c.addrs[0].addr[0], 10);
	ck_assert_int_eq(c.addrs[1].family, AF_INET6);
	ck_assert_int_eq(c.addrs[1].prefixlen, 64);
	ck_assert_int_eq(c.addrs[1].addr[1], 0);
	ck_assert_int_eq(c.addrs[1].addr[15], 1);
	ck_assert_int_eq(c.addrs[2].prefixlen, 16);
	ck_assert_uint_eq(c.mtu, 1300);
	cfgt_done(&c);
}
END_TEST

/* Each bad word is an error naming the key and its line; all reported. */
START_TEST(address_errors)
{
	struct evpnd_config c;

	ck_assert_int_ne(cfgt_load(&c, "[interface]\n"
			      "address = 10.200.0.1\n"		/* 2: no prefix */
			      "address = 10.200.0.300/24\n"	/* 3 */
			      "address = 10.200.0.2/33, fd00::1/129\n" /* 4 */
			      "address = 10.9.9.9/8\n"
			      "address = 10.9.9.9/16\n"		/* 6: twice */
			      "mtu = 100\n"), 0);			/* 7 */
	ck_assert_msg(strstr(errbuf, "t.conf:2: error: address: '10.200.0.1': "
			     "a prefix length is required"), "%s", errbuf);
	ck_assert_msg(strstr(errbuf, "t.conf:3: error: address: '10.200.0.300/24'"),
		      "%s", errbuf);
	ck_assert_uint_eq(count(errbuf, "t.conf:4: error: address:"), 2);
	ck_assert_msg(strstr(errbuf, "t.conf:6: error: address: '10.9.9.9/16' "
			     "given twice"), "%s", errbuf);
	ck_assert_msg(strstr(errbuf, "t.conf:7: error: mtu: 100 is out of range"),
		      "%s", errbuf);
	ck_assert_uint_eq(count(errbuf, "error:"), 6);
	cfgt_done(&c);
}
END_TEST

START_TEST(address_too_many)
{
	struct evpnd_config c;
	char text[2048] = "[interface]\n";
	int i;

	for (i = 0; i <= CFG_MAX_ADDRS; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text),
			 "address = 10.0.%d.1/24\n", i);
	ck_assert_int_ne(cfgt_load(&c, text), 0);
	ck_assert_msg(strstr(errbuf, "more than 16 addresses"), "%s", errbuf);
	cfgt_done(&c);
}
END_TEST

/* ---- [metrics] (daemon/metrics.c) ---- */

START_TEST(metrics_section)
{
	struct evpnd_config c;

	ck_assert_int_eq(cfgt_load(&c, "[interface]\n"), 0);
	ck_assert_int_eq(c.metrics_listen_len, 0);	/* off by default */
	cfgt_done(&c);
	ck_assert_int_eq(cfgt_load(&c, "[metrics]\nlisten = 127.0.0.1:9474\n"), 0);
	ck_assert_int_eq(c.metrics_listen.ss_family, AF_INET);
	cfgt_done(&c);
	ck_assert_int_ne(cfgt_load(&c, "[metrics]\n"), 0);
	ck_assert_msg(strstr(errbuf, "t.conf:1: error: [metrics]: 'listen' is required"),
		      "%s", errbuf);
	cfgt_done(&c);
	ck_assert_int_ne(cfgt_load(&c, "[metrics]\nlisten = 127.0.0.1\n"), 0);
	ck_assert_msg(strstr(errbuf, "t.conf:2: error: listen: '127.0.0.1': a port is required"),
		      "%s", errbuf);
	cfgt_done(&c);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("config_check");
	TCase *tc = tcase_create("core");
	int nf;

	if (!mkdtemp(dir))
		return EXIT_FAILURE;
	tcase_add_loop_test(tc, empty_file, 0, 3);
	tcase_add_test(tc, one_section_is_enough);
	tcase_add_loop_test(tc, duplicate_key, 0, sizeof(dups) / sizeof(dups[0]));
	tcase_add_test(tc, same_key_in_two_sections);
	tcase_add_test(tc, unknown_key);
	tcase_add_test(tc, every_error);
	tcase_add_test(tc, value_error_names_key);
	tcase_add_test(tc, mtu_range);
	tcase_add_test(tc, long_value_not_echoed);
	tcase_add_test(tc, control_chars_not_echoed);
	tcase_add_test(tc, inline_comments);
	tcase_add_test(tc, comment_only_value_is_empty);
	tcase_add_test(tc, check_ok);
	tcase_add_test(tc, check_ca_missing);
	tcase_add_test(tc, check_ca_not_pem);
	tcase_add_test(tc, check_password_file_private);
	tcase_add_test(tc, check_psk_file_gone);
	tcase_add_test(tc, address_list);
	tcase_add_test(tc, address_errors);
	tcase_add_test(tc, address_too_many);
	tcase_add_test(tc, metrics_section);
	suite_add_tcase(s, tc);
	nf = unit_run(s, false);
	free(errbuf);
	if (system("rm -rf /tmp/evpn-cfgchk-*") < 0)	/* our dir (and old ones) */
		nf++;
	return nf ? EXIT_FAILURE : EXIT_SUCCESS;
}
