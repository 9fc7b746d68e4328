/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	netlink/specs/evpn.yaml */
/* YNL-GEN kernel header */

#ifndef _LINUX_EVPN_GEN_H
#define _LINUX_EVPN_GEN_H

#include <net/netlink.h>
#include <net/genetlink.h>

#include <linux/evpn.h>
#include <wire.h>

/* Common nested types */
extern const struct nla_policy evpn_drops_nl_policy[EVPN_DROPS_A_FRAG_SHARE + 1];
extern const struct nla_policy evpn_e2e_nl_policy[EVPN_E2E_A_PAD + 1];
extern const struct nla_policy evpn_fdb_nl_policy[EVPN_FDB_A_AGE + 1];
extern const struct nla_policy evpn_key_nl_policy[EVPN_KEY_A_STATIC + 1];
extern const struct nla_policy evpn_link_nl_policy[EVPN_LINK_A_RECORD_MAX + 1];

/* Ops table for evpn (Linux 6.1 form, scripts/ynl/kernel61.py) */
extern const struct genl_ops evpn_nl_ops[15];
extern const struct genl_multicast_group evpn_nl_mcgrps[1];
extern struct genl_family evpn_nl_family;

int evpn_nl_pre_doit(const struct genl_ops *ops, struct sk_buff *skb,
		struct genl_info *info);
void evpn_nl_post_doit(const struct genl_ops *ops, struct sk_buff *skb,
		struct genl_info *info);

int evpn_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info);
int evpn_nl_dev_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int evpn_nl_dev_set_doit(struct sk_buff *skb, struct genl_info *info);
int evpn_nl_link_new_doit(struct sk_buff *skb, struct genl_info *info);
int evpn_nl_link_set_doit(struct sk_buff *skb, struct genl_info *info);
int evpn_nl_link_del_doit(struct sk_buff *skb, struct genl_info *info);
int evpn_nl_link_get_doit(struct sk_buff *skb, struct genl_info *info);
int evpn_nl_link_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int evpn_nl_key_new_doit(struct sk_buff *skb, struct genl_info *info);
int evpn_nl_key_swap_doit(struct sk_buff *skb, struct genl_info *info);
int evpn_nl_key_del_doit(struct sk_buff *skb, struct genl_info *info);
int evpn_nl_fdb_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int evpn_nl_fdb_add_doit(struct sk_buff *skb, struct genl_info *info);
int evpn_nl_fdb_del_doit(struct sk_buff *skb, struct genl_info *info);
int evpn_nl_mcast_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int evpn_nl_e2e_set_doit(struct sk_buff *skb, struct genl_info *info);
int evpn_nl_e2e_del_doit(struct sk_buff *skb, struct genl_info *info);

enum {
	EVPN_NLGRP_EVENTS,
};

#endif /* _LINUX_EVPN_GEN_H */
