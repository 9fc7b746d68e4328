// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The [overlay NAME] section (daemon/config_overlay.c): values land where
 * they should; every mistake is an error naming file:line.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "overlay.h"
#include "signalling.h"
#include "cfg_test.h"
#include "unit.h"


START_TEST(good)
{
	struct evpnd_config c;
	struct cfg_overlay *o;

	ck_assert_int_eq(cfgt_load(&c,
		"[overlay prod]\n"
		"jid = n1@example.org\n"
		"password = secret\n"
		"server = 192.0.2.5\nport = 5333\n"
		"ca-file = /etc/ca.pem\n"
		"group = grp\n"
		"stun = 198.51.100.1\n"
		"turn = 198.51.100.2:3479\nturn-user = u\nturn-password = p\n"
		"turn-transport = tcp\n"
		"exclude-interface = docker*\nexclude-interface = wg0\n"
		"suites = chacha20poly1305\n"
		"rekey-seconds = 60\nrekey-packets = 100000\n"
		"[overlay lab]\njid = x@lab\npassword = y\nallow-plaintext = yes\n"),
		0);
	o = c.overlays;
	ck_assert_ptr_nonnull(o);
	ck_assert_str_eq(o->name, "prod");
	ck_assert_str_eq(o->jid, "n1@example.org");
	ck_assert_str_eq(o->password, "secret");
	ck_assert_str_eq(o->server, "192.0.2.5");
	ck_assert_uint_eq(o->port, 5333);
	ck_assert_str_eq(o->ca_file, "/etc/ca.pem");
	ck_assert_str_eq(o->group, "grp");
	ck_assert_str_eq(o->stun_host, "198.51.100.1");
	ck_assert_uint_eq(o->stun_port, 3478);
	ck_assert_str_eq(o->turn_host, "198.51.100.2");
	ck_assert_uint_eq(o->turn_port, 3479);
	ck_assert_str_eq(o->turn_user, "u");
	ck_assert_int_eq(o->turn_transport, ICE_TURN_TCP);
	ck_assert_int_eq(o->nexclude, 2);
	ck_assert_str_eq(o->exclude[0], "docker*");
	ck_assert_uint_eq(o->suites, SIG_SUITE_CHACHA20POLY1305);
	ck_assert_uint_eq(o->rekey_seconds, 60);
	ck_assert_uint_eq(o->rekey_packets, 100000);
	ck_assert(!o->allow_plaintext);
	ck_assert_str_eq(o->topology, "symphony");
	o = o->next;
	ck_assert_ptr_nonnull(o);
	ck_assert_str_eq(o->group, "lab");	/* defaults to the name */
	ck_assert(o->allow_plaintext);
	ck_assert_uint_eq(o->suites, SIG_SUITES_ALL);
	ck_assert_int_eq(o->turn_transport, ICE_TURN_UDP);
	ck_assert_ptr_null(strstr(errbuf, "error"));
	ck_assert_ptr_nonnull(strstr(errbuf, "t.conf:3: warning"));	/* password */
	ck_assert_ptr_nonnull(strstr(errbuf, "t.conf:11: warning"));	/* turn-password */
	cfgt_done(&c);
}
END_TEST

static const struct {
	const char *text;
	const char *msg;	/* expected in the error output */
} bad[] = {
	{ "[overlay a]\njid = a@b\npassword = x\nbogus = 1\n", "t.conf:4: error" },
	{ "[overlay a]\npassword = x\n", "jid" },
	{ "[overlay a]\njid = nodomain\npassword = x\n", "jid" },
	{ "[overlay a]\njid = a@b\n", "password" },
	{ "[overlay a]\njid = a@b\npassword = x\nturn = 192.0.2.1\n", "turn-user" },
	{ "[overlay a]\njid = a@b\npassword = x\nstun = stun.example.org\n", "t.conf:4: error" },
	{ "[overlay a]\njid = a@b\npassword = x\nsuites = rot13\n", "suites" },
	{ "[overlay a]\njid = a@b\npassword = x\nturn-transport = sctp\n", "turn-transport" },
	{ "[overlay a]\njid = a@b\npassword = x\ntopology = ring\n", "topology" },
	{ "[overlay a]\njid = a@b\npassword = x\nport = 0\n", "t.conf:4: error" },
	{ "[overlay a]\njid = a@b\npassword = x\nrekey-seconds = 1\n", "t.conf:4: error" },
	{ "[overlay a]\njid = a@b\npassword = x\nallow-plaintext = maybe\n", "t.conf:4: error" },
	{ "[overlay abcdefghijklmnopqrstuvwxyz]\njid = a@b\npassword = x\n", "24" },
	{ "[overlay a:b]\njid = a@b\npassword = x\n", "t.conf:1: error" },
	{ "[overlay a]\njid = a@b\npassword = x\n[overlay a]\njid = c@d\npassword = y\n",
	  "already defined" },
	{ "[overlay a]\njid = a@b\npassword-file = /nonexistent/evpn-pass\n", "t.conf:3: error" },
};

START_TEST(errors)
{
	cfgt_refused(bad[_i].text, bad[_i].msg, _i);
}
END_TEST

START_TEST(password_file)
{
	char dir[] = "/tmp/evpn-ovcfg-XXXXXX", path[64], text[256];
	struct evpnd_config c;
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/pw", dir);
	f = fopen(path, "w");
	fputs("  s3cret \nsecond line\n", f);
	fclose(f);
	chmod(path, 0644);
	snprintf(text, sizeof(text), "[overlay a]\njid = a@b\npassword-file = %s\n",
		 path);
	ck_assert_int_eq(cfgt_load(&c, text), 0);
	ck_assert_str_eq(c.overlays->password, "s3cret");
	ck_assert_ptr_nonnull(strstr(errbuf, "warning"));	/* 0644 */
	cfgt_done(&c);
	unlink(path);
	rmdir(dir);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("overlay_config");
	TCase *tc = tcase_create("core");
	int nf;

	tcase_add_test(tc, good);
	tcase_add_loop_test(tc, errors, 0, sizeof(bad) / sizeof(bad[0]));
	tcase_add_test(tc, password_file);
	suite_add_tcase(s, tc);
	nf = unit_run(s, false);
	free(errbuf);
	return nf ? EXIT_FAILURE : EXIT_SUCCESS;
}
