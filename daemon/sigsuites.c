// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * AEAD suite names <-> SIG_SUITE_* bits (docs/signalling.md). Apart from the
 * stanza code in signalling.c: the [overlay] parser (config_overlay.c) is in
 * evpnd's core, which does not link libstrophe (overlay_mod.h).
 */
#include <stdio.h>
#include <string.h>

#include "signalling.h"

static const char *const suite_names[] = { "aes256gcm", "chacha20poly1305" };
#define NSUITES (sizeof(suite_names) / sizeof(suite_names[0]))

int sig_suites_parse(const char *s, unsigned int *out)
{
	char buf[128], *tok, *save = NULL;
	unsigned int bits = 0;
	size_t i;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	for (tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		for (i = 0; i < NSUITES; i++)
			if (!strcmp(tok, suite_names[i]))
				break;
		if (i == NSUITES || (bits & (1u << i)))
			return -1;
		bits |= 1u << i;
	}
	if (!bits)
		return -1;
	*out = bits;
	return 0;
}

void sig_suites_format(unsigned int suites, char *buf, size_t size)
{
	size_t i, off = 0;

	buf[0] = 0;
	for (i = 0; i < NSUITES && off < size; i++)
		if (suites & (1u << i))
			off += snprintf(buf + off, size - off, "%s%s",
					off ? " " : "", suite_names[i]);
}
