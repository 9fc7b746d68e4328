// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Full mesh: a link to every member present. Fine for small overlays and
 * the default until the Symphony topology exists.
 */
#include "topology.h"

static void *mesh_create(const struct evpn_id *self)
{
	static int token;

	return &token;	/* stateless */
}

static void mesh_destroy(void *t)
{
}

static void mesh_select(void *t, struct topo_peer *peers, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		peers[i].want = true;
}

const struct topology_ops topology_mesh = {
	.name = "mesh",
	.create = mesh_create,
	.destroy = mesh_destroy,
	.select = mesh_select,
};
