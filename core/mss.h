/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * TCP MSS clamping for SYNs crossing the overlay (docs/protocol.md section
 * 10.3), as PPPoE routers do: TCP picks segments that fit one record, so
 * only large non-TCP frames pay for fragmentation. Shared by both datapaths.
 */
#ifndef EVPN_MSS_H
#define EVPN_MSS_H

#include "evpn_types.h"
#include "wire.h"

/*
 * The largest frame a TCP segment may make so that it travels as one record
 * on a default path (EVPN_RECORD_DEFAULT) even when sealed end to end
 * (0xE3, 24 more bytes): 1448 - 64 - 24 = 1360, i.e. MSS 1306 over IPv4,
 * 1286 over IPv6. Both datapaths clamp to it, whether the next hop is the
 * destination or not: the MSS is end to end, the route is not.
 */
#define EVPN_MSS_FRAME	(EVPN_RECORD_DEFAULT - EVPN_OVERHEAD - EVPN_E2E_OVERHEAD)

/*
 * If @frame (@len bytes, Ethernet, at most one 802.1Q tag) is a TCP SYN
 * over IPv4 or IPv6 (TCP right after the fixed header) carrying an MSS
 * option larger than what keeps a segment's frame within @max_frame bytes,
 * lower the option and patch the TCP checksum incrementally, unless
 * @csum_partial (the checksum is still to be computed over the new bytes).
 * Returns true if the frame was changed.
 */
bool evpn_mss_clamp(uint8_t *frame, size_t len, size_t max_frame,
		    bool csum_partial);

/* Would evpn_mss_clamp() change @frame? (Reads only.) The bytes to look at
 * are within the first EVPN_MSS_PEEK. */
bool evpn_mss_wanted(const uint8_t *frame, size_t len, size_t max_frame);
#define EVPN_MSS_PEEK	(14 + 4 + 60 + 60)	/* Ethernet, VLAN, IPv4 max, TCP max */

#endif /* EVPN_MSS_H */
