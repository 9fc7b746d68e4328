/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The device's FDB (MAC -> node ID): the shared core table (core/fdb.h)
 * behind a seqlock, with aging by delayed work. (Named kfdb.h so it does
 * not shadow core/fdb.h on the include path.)
 */
#ifndef EVPN_KMOD_KFDB_H
#define EVPN_KMOD_KFDB_H

#include "device.h"

#define EVPN_KFDB_CAPACITY	(2 * EVPN_FDB_MAX_DEFAULT)
#define EVPN_KFDB_GC_SECS	5

int evpn_kfdb_init(struct evpn_dev *edev);
void evpn_kfdb_uninit(struct evpn_dev *edev);
/* Seconds on the FDB's clock. */
u64 evpn_kfdb_now(void);

/* Datapath (any context). */
/* Learns refused so far: table full / source at its quota (netlink). */
void evpn_kfdb_refused(struct evpn_dev *edev, u64 *full, u64 *quota);
bool evpn_kfdb_lookup(struct evpn_dev *edev, const u8 *mac, struct evpn_id *node);
/* @proven: the record's origin is its link's peer; else (relayed) the
 * entry is tentative and never moves a proven one (docs/protocol.md 14.3). */
void evpn_kfdb_learn(struct evpn_dev *edev, const u8 *mac,
		     const struct evpn_id *node, bool proven);

/* Configuration (process context). */
int evpn_kfdb_add_static(struct evpn_dev *edev, const u8 *mac,
			 const struct evpn_id *node);
bool evpn_kfdb_del(struct evpn_dev *edev, const u8 *mac);
void evpn_kfdb_flush_node(struct evpn_dev *edev, const struct evpn_id *node);

#endif /* EVPN_KMOD_KFDB_H */
