// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The in-band NBRS message (nbrs.h, docs/signalling.md 6).
 */
#include <string.h>

#include "nbrs.h"

size_t nbrs_encode(uint8_t *buf, size_t cap, uint32_t seq,
		   const struct evpn_id *ids, int n)
{
	size_t len = NBRS_HDR_LEN + (size_t)n * EVPN_ID_LEN;
	int i;

	if (n < 0 || n > EVPN_MAX_NBR_IDS || cap < len)
		return 0;
	buf[0] = MSG_NBRS;
	msg_put_be32(buf + 1, seq);
	buf[5] = n;
	for (i = 0; i < n; i++)
		evpn_id_to_bytes(&ids[i], buf + NBRS_HDR_LEN + i * EVPN_ID_LEN);
	return len;
}

int nbrs_parse(const uint8_t *buf, size_t len, const struct evpn_id *sender,
	       uint32_t *seq, struct evpn_id *ids, int *n)
{
	int i, j, cnt;

	if (len < NBRS_HDR_LEN || buf[0] != MSG_NBRS)
		return -1;
	cnt = buf[5];
	if (cnt > EVPN_MAX_NBR_IDS ||
	    len != NBRS_HDR_LEN + (size_t)cnt * EVPN_ID_LEN)
		return -1;
	for (i = 0; i < cnt; i++) {
		evpn_id_from_bytes(&ids[i], buf + NBRS_HDR_LEN + i * EVPN_ID_LEN);
		if (evpn_id_is_zero(&ids[i]) || evpn_id_eq(&ids[i], sender))
			return -1;
		for (j = 0; j < i; j++)
			if (evpn_id_eq(&ids[i], &ids[j]))
				return -1;
	}
	*seq = msg_get_be32(buf + 1);
	*n = cnt;
	return 0;
}
