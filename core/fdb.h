/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Layer-2 forwarding database: MAC address -> overlay node ID, learned from
 * the source MAC of every received frame (like a VXLAN FDB), with aging, a
 * size limit and static entries.
 *
 * Fixed-capacity open-addressing table in caller-provided storage; the caller
 * supplies the current time (seconds, any monotonic origin) and serialises
 * access. No allocation.
 */
#ifndef EVPN_FDB_H
#define EVPN_FDB_H

#include "evpn_types.h"
#include "id.h"

#define EVPN_ETH_ALEN		6
#define EVPN_FDB_AGE_DEFAULT	300	/* seconds, as Linux bridges */

#endif /* EVPN_FDB_H */
