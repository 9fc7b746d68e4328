/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The topology interface: which overlay links a node wants.
 *
 * The link manager calls select() whenever membership or a link's state
 * changes, with every member currently present (never ourselves). The
 * topology marks the peers it wants a link to; the link manager opens
 * links to wanted peers that have none and closes links it opened itself
 * to peers no longer wanted. Links a peer opened to us are always accepted
 * (the peer's topology wanted them: Symphony links are chosen by one end).
 * Implementations: topology/mesh.c (everyone), topology/symphony.c later.
 */
#ifndef EVPND_TOPOLOGY_H
#define EVPND_TOPOLOGY_H

#include <stdbool.h>
#include <stddef.h>

#include "id.h"

enum topo_link_state {
	TOPO_LINK_NONE,		/* no link, not trying */
	TOPO_LINK_SETUP,	/* signalling / ICE / DTLS in progress */
	TOPO_LINK_UP,		/* keys installed, carrying traffic */
	TOPO_LINK_BACKOFF,	/* failed recently, waiting to retry */
};

struct topo_peer {
	struct evpn_id id;
	enum topo_link_state link;
	bool want;		/* output */
	bool ring;		/* output: a short (ring) link, set up first */
};

struct topology_ops {
	const char *name;
	void *(*create)(const struct evpn_id *self);
	void (*destroy)(void *t);
	/* Set peers[i].want for each of the @n present members. */
	void (*select)(void *t, struct topo_peer *peers, size_t n);
};

extern const struct topology_ops topology_mesh;

/* By name ("mesh", ...); NULL if unknown. */
const struct topology_ops *topology_find(const char *name);

#endif /* EVPND_TOPOLOGY_H */
