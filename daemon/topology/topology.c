// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Topology registry. A topology in its own file defines its ops symbol;
 * weak references let one be added without editing this list's users.
 */
#include <string.h>

#include "topology.h"

extern const struct topology_ops topology_symphony __attribute__((weak));

const struct topology_ops *topology_find(const char *name)
{
	const struct topology_ops *const all[] = {
		&topology_mesh, &topology_symphony,
	};
	size_t i;

	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (all[i] && !strcmp(all[i]->name, name))
			return all[i];
	return NULL;
}
