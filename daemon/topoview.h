/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The control socket's `topology` verb: the overlay as this node sees it,
 * as plain lines that `evpnctl topology` draws (tools/evpnctl/topology.c;
 * docs/configuration.md "Control socket"):
 *
 *   self ID
 *   member OVERLAY ID STATE [JID]      a member known from its presence
 *   link ID NAME KIND STATE RELAYED     one of our links (KIND static|overlay)
 *   nbr ID ID2                          the peer ID's own link to ID2 (its NBRS)
 */
#ifndef EVPND_TOPOVIEW_H
#define EVPND_TOPOVIEW_H

#include <stdio.h>
#include "datapath.h"

int topoview_register(void);
/* The reply to `topology` (also for unit tests). */
void topoview_write(struct dp *dp, FILE *out);

#endif /* EVPND_TOPOVIEW_H */
