/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The body of the in-band NBRS message (messages.h): a node's link list,
 * sent to each neighbour as DTLS application data on the link itself
 * (docs/signalling.md 6), so the neighbour can route with 1-lookahead
 * (core/route_la.h). Encoded and parsed only here; its acknowledgement
 * NBRS_ACK is a fixed message handled by linkmgr/linkctl.c.
 *
 *   NBRS      type(1) = MSG_NBRS, seq(BE32), count(1), count x node ID
 */
#ifndef EVPND_NBRS_H
#define EVPND_NBRS_H

#include <stddef.h>
#include <stdint.h>
#include <linux/evpn.h>

#include "id.h"
#include "messages.h"

#define NBRS_HDR_LEN	6
#define NBRS_MAX_LEN	(NBRS_HDR_LEN + EVPN_MAX_NBR_IDS * EVPN_ID_LEN)

/*
 * Encode @n (<= EVPN_MAX_NBR_IDS) IDs into @buf (@cap bytes). Returns the
 * length, or 0 if @n or @cap do not fit.
 */
size_t nbrs_encode(uint8_t *buf, size_t cap, uint32_t seq,
		   const struct evpn_id *ids, int n);

/*
 * Strict parse of a message from neighbour @sender: exact length for the
 * count, count <= EVPN_MAX_NBR_IDS, no zero ID, no ID twice, not @sender
 * itself. Returns 0 (@seq, @ids[0..*n-1] filled; @ids has room for
 * EVPN_MAX_NBR_IDS) or -1 (malformed: ignore and count).
 */
int nbrs_parse(const uint8_t *buf, size_t len, const struct evpn_id *sender,
	       uint32_t *seq, struct evpn_id *ids, int *n);

#endif /* EVPND_NBRS_H */
