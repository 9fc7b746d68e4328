// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The static keys' nonce high-water mark (see noncefloor.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <time.h>

#include <glib.h>

#include "noncefloor.h"

static struct {
	char *path;		/* NULL: in memory only */
	uint64_t floor;		/* persisted: every used counter is below */
	uint64_t (*clock_ns)(void);
	uint64_t reserve;
} nf;

static uint64_t realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static uint64_t now_ns(void)
{
	return nf.clock_ns ? nf.clock_ns() : realtime_ns();
}

static uint64_t reserve(void)
{
	return nf.reserve ?: NONCE_FLOOR_RESERVE;
}

void nonce_floor_test_hooks(uint64_t (*clock_ns)(void), uint64_t res)
{
	nf.clock_ns = clock_ns;
	nf.reserve = res;
}

int nonce_floor_open(const char *state_dir)
{
	GError *err = NULL;
	char *text = NULL, *end;
	uint64_t v;

	nonce_floor_close();
	if (g_mkdir_with_parents(state_dir, 0700)) {
		g_warning("cannot create %s: %s", state_dir, g_strerror(errno));
		return -1;
	}
	nf.path = g_build_filename(state_dir, NONCE_FLOOR_FILE, NULL);
	if (!g_file_get_contents(nf.path, &text, NULL, &err)) {
		if (g_error_matches(err, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
			g_error_free(err);
			return 0;	/* no static key yet */
		}
		g_warning("%s", err->message);
		g_error_free(err);
		return -1;
	}
	errno = 0;
	v = g_ascii_strtoull(text, &end, 10);
	if (errno || end == text || (*end && *end != '\n')) {
		g_warning("%s: not a number; remove it only if no static key "
			  "was ever used with this state directory", nf.path);
		g_free(text);
		return -1;
	}
	g_free(text);
	nf.floor = v;
	return 0;
}

void nonce_floor_close(void)
{
	g_free(nf.path);
	nf.path = NULL;
	nf.floor = 0;
}

/* Persist @floor before any counter below it is used. */
static int raise_to(uint64_t floor)
{
	GError *err = NULL;
	char buf[32];
	int n;

	if (floor < nf.floor || floor == UINT64_MAX)
		return -1;	/* the counter space is spent */
	if (nf.path) {
		n = g_snprintf(buf, sizeof(buf), "%" PRIu64 "\n", floor);
		if (!g_file_set_contents_full(nf.path, buf, n,
					      G_FILE_SET_CONTENTS_CONSISTENT,
					      0600, &err)) {
			g_warning("static keys: cannot write %s: %s", nf.path,
				  err->message);
			g_error_free(err);
			return -1;
		}
	}
	nf.floor = floor;
	return 0;
}

uint64_t nonce_floor_start(uint64_t res)
{
	uint64_t start = MAX(now_ns(), nf.floor);

	res = res ?: reserve();
	if (!start || start > UINT64_MAX - res - 1 || raise_to(start + res))
		return 0;
	return start;
}

uint64_t nonce_floor_ceiling(void)
{
	return nf.floor;
}

int nonce_floor_extend(uint64_t counter)
{
	if (counter < nf.floor)
		return 0;
	if (counter > UINT64_MAX - reserve() - 1)
		return -1;
	return raise_to(counter + reserve());
}
