// SPDX-License-Identifier: GPL-2.0 OR MIT
/* No files while a fuzzed parse runs (nofs.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>

#include "nofs.h"

FILE *__real_fopen(const char *path, const char *mode);
FILE *__wrap_fopen(const char *path, const char *mode);

static bool active;
static FILE *devnull, *saved_stderr;

FILE *__wrap_fopen(const char *path, const char *mode)
{
	if (active) {
		errno = ENOENT;
		return NULL;
	}
	return __real_fopen(path, mode);
}

void nofs_begin(void)
{
	if (!devnull)
		devnull = __real_fopen("/dev/null", "w");
	saved_stderr = stderr;
	if (devnull)
		stderr = devnull;
	active = true;
}

void nofs_end(void)
{
	active = false;
	stderr = saved_stderr;
}
