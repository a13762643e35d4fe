// SPDX-License-Identifier: GPL-2.0
/*
 * Generated from Documentation/netlink/specs/sstp.yaml
 * by tools/netlink-gen.py: do not edit.
 */

#include <net/genetlink.h>

#include <sstp/wire.h>

#include "netlink-gen.h"
#include "tunnel.h"

/* The constants the policy names have the values of the spec. */
static_assert(SSTP_MIN_MRU == 128);
static_assert(SSTP_MAX_PPP_MTU == 4087);
static_assert(SSTP_CTRL_HDR_LEN == 8);
static_assert(SSTP_MAX_PACKET == 4095);

const struct nla_policy sstp_nl_policy[SSTP_A_MAX + 1] = {
	[SSTP_A_TUNNEL_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[SSTP_A_SOCK_FD] = { .type = NLA_U32 },
	[SSTP_A_ROLE] = NLA_POLICY_RANGE(NLA_U8, 1, 2),
	[SSTP_A_HELLO_INTERVAL] = NLA_POLICY_MAX(NLA_U32, SSTP_MAX_TIMER),
	[SSTP_A_KEEPALIVE_TIMEOUT] = NLA_POLICY_MAX(NLA_U32, SSTP_MAX_TIMER),
	[SSTP_A_MTU] = NLA_POLICY_RANGE(NLA_U32, SSTP_MIN_MRU,
					SSTP_MAX_PPP_MTU),
	[SSTP_A_RX_PREFIX] = { .type = NLA_BINARY, .len = SSTP_MAX_RX_PREFIX },
	[SSTP_A_STATE] = NLA_POLICY_RANGE(NLA_U8, 1, 3),
	[SSTP_A_CTRL_PACKET] = NLA_POLICY_RANGE(NLA_BINARY, SSTP_CTRL_HDR_LEN,
						SSTP_MAX_PACKET),
	[SSTP_A_TRANSPORT] = NLA_POLICY_MAX(NLA_U8, 1),
	[SSTP_A_TX_STALL_TIMEOUT] = NLA_POLICY_RANGE(NLA_U32, 1,
						     SSTP_MAX_TIMER),
};

const struct genl_small_ops sstp_nl_ops[5] = {
	{
		.cmd	= SSTP_CMD_TUNNEL_NEW,
		.doit	= sstp_nl_tunnel_new_doit,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= SSTP_CMD_TUNNEL_DEL,
		.doit	= sstp_nl_tunnel_del_doit,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= SSTP_CMD_TUNNEL_GET,
		.doit	= sstp_nl_tunnel_get_doit,
		.dumpit	= sstp_nl_tunnel_get_dumpit,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= SSTP_CMD_TUNNEL_SET,
		.doit	= sstp_nl_tunnel_set_doit,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= SSTP_CMD_CTRL_SEND,
		.doit	= sstp_nl_ctrl_send_doit,
		.flags	= GENL_ADMIN_PERM,
	},
};

const struct genl_multicast_group sstp_nl_mcgrps[1] = {
	[SSTP_NLGRP_EVENTS] = { .name = SSTP_GENL_MCGRP_EVENTS,
				.flags = GENL_MCAST_CAP_NET_ADMIN },
};
