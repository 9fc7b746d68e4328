// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Split exported keying material into per-direction keys (see keys.h).
 */
#include "keys.h"

static void dir_key_load(struct evpn_dir_key *k, const uint8_t *km)
{
	memcpy(k->key, km, EVPN_KEY_LEN);
	memcpy(k->iv, km + EVPN_KEY_LEN, EVPN_IV_LEN);
}

int evpn_keys_split(const uint8_t km[EVPN_KEYMAT_LEN],
		    const struct evpn_id *self, const struct evpn_id *peer,
		    struct evpn_dir_key *tx, struct evpn_dir_key *rx)
{
	const uint8_t *low_to_high = km;
	const uint8_t *high_to_low = km + EVPN_DIR_KEYMAT_LEN;
	int cmp = evpn_id_cmp(self, peer);

	if (!cmp) {
		memset(tx, 0, sizeof(*tx));
		memset(rx, 0, sizeof(*rx));
		return -1;
	}
	dir_key_load(tx, cmp < 0 ? low_to_high : high_to_low);
	dir_key_load(rx, cmp < 0 ? high_to_low : low_to_high);
	return 0;
}
