// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer target for the control-socket request parser (daemon/ctl.c):
 * the input is one request line as a client sends it, handled by
 * ctl_handle_line() (word splitting, `show`, `link add/del`,
 * a registered verb); `link add` goes through cfg_link_from_words() and so
 * the config parser's [link NAME] keys (daemon/config.c). The datapath and
 * static-link calls are stubs below (a fake device with one link); fopen()
 * fails while a line is handled (nofs.h), so psk-file reads nothing. The
 * reply must end in a newline, and an error or ok reply is one line and
 * valid JSON (json-glib's escaping keeps the parser's messages on it).
 *
 *   make build/fuzz/fuzz_ctl
 *   build/fuzz/fuzz_ctl -max_total_time=10 tests/fuzz/corpus/fuzz_ctl
 */
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "ctl.h"
#include "jsonout.h"
#include "static.h"
#include "nofs.h"
#include "fuzz.h"

#define FUZZ_MAX_LINE	4095	/* ctl.c's CTL_MAX_LINE less the NUL */

static int fake_dp, fake_link;
static struct dp_counters counters;
static struct evpn_id some_id;

void dp_show_json(struct dp *dp, JsonBuilder *b, dp_link_json_fn extra_link,
		  void *ctx)
{
	ENSURE(dp == (struct dp *)&fake_dp);
	ej_str(b, "ifname", "evpn0");
}

void dp_fdb_foreach(struct dp *dp, dp_fdb_iter_fn fn, void *ctx)
{
	uint8_t mac[6] = { 2 };

	fn(mac, &some_id, false, false, ctx);
}

const struct dp_counters *dp_counters(const struct dp *dp)
{
	return &counters;
}

const struct dp_counters *dp_link_counters(const struct dp_link *link)
{
	return &counters;
}

const struct evpn_id *dp_node_id(const struct dp *dp)
{
	return &some_id;
}

const struct evpn_id *dp_link_peer(const struct dp_link *link)
{
	return &some_id;
}

const char *dp_ifname(const struct dp *dp)
{
	return "evpn0";
}

const char *dp_link_name(const struct dp_link *link)
{
	return "l";
}

void dp_link_foreach(struct dp *dp, dp_link_iter_fn fn, void *ctx)
{
	fn((struct dp_link *)&fake_link, ctx);
}

int static_link_install(struct dp *dp, const struct cfg_link *l, char *err,
			size_t errlen)
{
	ENSURE(memchr(l->name, 0, sizeof(l->name)) && l->has_peer);
	return 0;
}

int static_link_remove(struct dp *dp, const char *name, char *err,
		       size_t errlen)
{
	snprintf(err, errlen, "no link %s", name);
	return -1;
}

static void cmd_echo(struct dp *dp, int argc, char **argv, FILE *out,
		     void *ctx)
{
	ENSURE(argc >= 1 && argc <= 32 && !strcmp(argv[0], "echo"));
	ej_reply_ok(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int registered;
	static JsonParser *parser;
	char *line, *reply = NULL;
	size_t rlen = 0;
	FILE *out;

	if (size > FUZZ_MAX_LINE)
		return -1;
	if (!registered)
		registered = !ctl_register("echo", cmd_echo, NULL);
	if (!parser)
		parser = json_parser_new();
	line = fuzz_text(data, size);
	out = open_memstream(&reply, &rlen);
	ENSURE(out);
	nofs_begin();
	ctl_handle_line((struct dp *)&fake_dp, line, out);
	nofs_end();
	fclose(out);
	ENSURE(rlen && reply[rlen - 1] == '\n');
	if (!strncmp(reply, "{\"error\":", 9) || !strncmp(reply, "{\"ok\":", 6))
		ENSURE(strchr(reply, '\n') == reply + rlen - 1);
	ENSURE(json_parser_load_from_data(parser, reply, rlen, NULL));
	free(reply);
	free(line);
	return 0;
}
