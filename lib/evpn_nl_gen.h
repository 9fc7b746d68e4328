/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, generated from: */
/*	netlink/specs/evpn.yaml */
/* by scripts/ynl/libnl.py (make regen): libnl attribute policies */

#ifndef EVPN_NL_GEN_H
#define EVPN_NL_GEN_H

#include <netlink/attr.h>

#include <linux/evpn.h>

extern const struct nla_policy evpn_nl_policy[EVPN_A_MAX + 1];
extern const struct nla_policy evpn_nl_drops_policy[EVPN_DROPS_A_MAX + 1];
extern const struct nla_policy evpn_nl_link_policy[EVPN_LINK_A_MAX + 1];
extern const struct nla_policy evpn_nl_key_policy[EVPN_KEY_A_MAX + 1];
extern const struct nla_policy evpn_nl_fdb_policy[EVPN_FDB_A_MAX + 1];
extern const struct nla_policy evpn_nl_event_policy[EVPN_EVENT_A_MAX + 1];
extern const struct nla_policy evpn_nl_mcast_policy[EVPN_MCAST_A_MAX + 1];
extern const struct nla_policy evpn_nl_mcast_stats_policy[EVPN_MCAST_STATS_A_MAX + 1];
extern const struct nla_policy evpn_nl_e2e_policy[EVPN_E2E_A_MAX + 1];

#endif /* EVPN_NL_GEN_H */
