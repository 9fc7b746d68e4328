// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer target for the configuration parser (daemon/config.c with the
 * [overlay NAME] section of daemon/config_overlay.c): the input is the text
 * of a configuration file, parsed by cfg_load_string() and freed. Only the
 * parse: cfg_check() (which stats the secret files and the CA file) and
 * cfg_resolve_node_id() (which reads and writes the state dir) are not
 * called, and fopen() fails while it runs (nofs.h), so secret-file keys
 * take their error path and nothing outside the process is touched.
 *
 *   make build/fuzz/fuzz_config
 *   build/fuzz/fuzz_config -max_total_time=10 tests/fuzz/corpus/fuzz_config
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "overlay.h"
#include "nofs.h"
#include "fuzz.h"

#define FUZZ_MAX_INPUT	65536

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct evpnd_config cfg;
	const struct cfg_link *l;
	char *text;
	int r;

	if (size > FUZZ_MAX_INPUT)
		return -1;
	text = fuzz_text(data, size);
	cfg_init(&cfg);
	nofs_begin();
	r = cfg_load_string(&cfg, "fuzz.conf", text);
	nofs_end();
	ENSURE(r == 0 || r == -1);
	for (l = cfg.links; l; l = l->next)
		ENSURE(memchr(l->name, 0, sizeof(l->name)));
	ENSURE(memchr(cfg.state_dir, 0, sizeof(cfg.state_dir)));
	overlay_config_free(&cfg);
	cfg_free(&cfg);
	free(text);
	return 0;
}
