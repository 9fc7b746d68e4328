/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Helpers for the unit tests of the configuration parser
 * (test_config_check.c, test_overlay_config.c): parse a text with the
 * parser's messages captured, and expect a refusal that names the cause.
 */
#ifndef CFG_TEST_H
#define CFG_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <check.h>

#include "config.h"
#include "overlay.h"

/* what the parser wrote to stderr in the last CAPTURE */
static char *errbuf;

/* Evaluate @expr with stderr captured in errbuf. */
#define CAPTURE(expr) ({						\
	FILE *old_ = stderr;						\
	size_t len_;							\
	int r_;								\
	free(errbuf);							\
	errbuf = NULL;							\
	stderr = open_memstream(&errbuf, &len_);			\
	r_ = (expr);							\
	fclose(stderr);							\
	stderr = old_;							\
	r_;								\
})

/* Parse @text as the file "t.conf"; the messages go to errbuf. */
static inline int cfgt_load(struct evpnd_config *c, const char *text)
{
	cfg_init(c);
	return CAPTURE(cfg_load_string(c, "t.conf", text));
}

static inline void cfgt_done(struct evpnd_config *c)
{
	overlay_config_free(c);
	cfg_free(c);
}

/* @text (case @i of a table) must be refused, @msg among the messages. */
static inline void cfgt_refused(const char *text, const char *msg, int i)
{
	struct evpnd_config c;

	ck_assert_int_ne(cfgt_load(&c, text), 0);
	ck_assert_msg(strstr(errbuf, msg), "case %d: want '%s' in: %s", i,
		      msg, errbuf);
	cfgt_done(&c);
}

#endif /* CFG_TEST_H */
