/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Generated from Documentation/netlink/specs/sstp.yaml
 * by tools/netlink-gen.py: do not edit.
 */
#ifndef _SSTP_NETLINK_GEN_H
#define _SSTP_NETLINK_GEN_H

#include <net/genetlink.h>

#include <linux/sstp.h>

#define SSTP_MAX_TIMER		3600
#define SSTP_MAX_RX_PREFIX	16384

extern const struct nla_policy sstp_nl_policy[SSTP_A_MAX + 1];
extern const struct genl_small_ops sstp_nl_ops[5];

int sstp_nl_tunnel_new_doit(struct sk_buff *skb, struct genl_info *info);
int sstp_nl_tunnel_del_doit(struct sk_buff *skb, struct genl_info *info);
int sstp_nl_tunnel_get_doit(struct sk_buff *skb, struct genl_info *info);
int sstp_nl_tunnel_get_dumpit(struct sk_buff *skb,
			      struct netlink_callback *cb);
int sstp_nl_tunnel_set_doit(struct sk_buff *skb, struct genl_info *info);
int sstp_nl_ctrl_send_doit(struct sk_buff *skb, struct genl_info *info);

enum {
	SSTP_NLGRP_EVENTS,
};

extern const struct genl_multicast_group sstp_nl_mcgrps[1];

#endif /* _SSTP_NETLINK_GEN_H */
