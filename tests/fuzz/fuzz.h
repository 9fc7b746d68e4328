/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Shared by the fuzz targets (tests/fuzz/fuzz_*.c): an invariant that traps
 * (libFuzzer reports it as a crash), and, for the daemon's parsers, the
 * input as the NUL-terminated text a parser takes.
 */
#ifndef EVPN_FUZZ_H
#define EVPN_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ENSURE(c)			\
	do {				\
		if (!(c))		\
			__builtin_trap(); \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* @data as a string (stops at its first NUL, like the parser would);
 * free() it. */
static inline char *fuzz_text(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	ENSURE(s);
	memcpy(s, data, size);
	s[size] = 0;
	return s;
}

#endif /* EVPN_FUZZ_H */
