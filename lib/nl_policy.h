/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Userspace attribute policies of the evpn generic netlink family, one per
 * attribute set of uapi/linux/evpn.h. lib/nl.c parses every reply and event
 * with these and nothing else, so replacing them with tables generated from
 * the netlink spec means changing the include below.
 */
#ifndef EVPN_LIB_NL_POLICY_H
#define EVPN_LIB_NL_POLICY_H

#include <netlink/attr.h>
#include <linux/evpn.h>

extern const struct nla_policy evpn_nl_dev_policy[EVPN_A_MAX + 1];
extern const struct nla_policy evpn_nl_link_policy[EVPN_LINK_A_MAX + 1];
extern const struct nla_policy evpn_nl_key_policy[EVPN_KEY_A_MAX + 1];
extern const struct nla_policy evpn_nl_fdb_policy[EVPN_FDB_A_MAX + 1];
extern const struct nla_policy evpn_nl_event_policy[EVPN_EVENT_A_MAX + 1];

#endif /* EVPN_LIB_NL_POLICY_H */
