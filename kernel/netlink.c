// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "sstp": the whole control API of the module
 * (see include/uapi/linux/sstp.h).
 *
 * Handlers look tunnels up and use them under the netns's sstp_net.lock;
 * teardown removes a tunnel from the table under that lock before it frees
 * anything, so a tunnel found here stays valid until the lock is dropped.
 *
 * The family is described by Documentation/netlink/specs/sstp.yaml, from
 * which netlink-gen.[ch] are generated (tools/netlink-spec.sh). Names: the
 * handler of command SSTP_CMD_X is sstp_nl_x_doit() (and _dumpit()), as
 * ynl names them; every other function of the family is sstp_nl_*() too.
 */

#include <net/genetlink.h>

#include "compat.h"
#include "netlink-gen.h"
#include "netlink.h"
#include "tunnel.h"

/* Seconds. */
#define SSTP_DEFAULT_HELLO	60
#define SSTP_DEFAULT_TX_STALL	60

static struct genl_family sstp_nl_family;

static u8 sstp_nl_tunnel_state(const struct sstp_tunnel *t)
{
	if (sstp_tunnel_dead(t))
		return SSTP_STATE_DOWN;
	if (test_bit(SSTP_F_CONNECTED, &t->flags))
		return SSTP_STATE_CONNECTED;
	return SSTP_STATE_NEGOTIATING;
}

static int sstp_nl_put_stats(struct sk_buff *skb, struct sstp_tunnel *t)
{
	struct nlattr *nest;
	int i;

	nest = nla_nest_start(skb, SSTP_A_STATS);
	if (!nest)
		return -EMSGSIZE;
	for (i = SSTP_STATS_A_PAD + 1; i < __SSTP_STATS_A_MAX; i++)
		if (nla_put_u64_64bit(skb, i, atomic64_read(&t->stats.c[i]),
				      SSTP_STATS_A_PAD))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * @live: the channel is still registered (not so for the TUNNEL_DOWN
 * event), so its index and unit can be read.
 */
static int sstp_nl_fill_tunnel(struct sk_buff *skb, struct sstp_tunnel *t,
			       u32 portid, u32 seq, int flags, u8 cmd,
			       bool live)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &sstp_nl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, SSTP_A_TUNNEL_ID, t->id) ||
	    nla_put_u8(skb, SSTP_A_ROLE, t->role) ||
	    nla_put_u8(skb, SSTP_A_STATE, sstp_nl_tunnel_state(t)) ||
	    nla_put_u8(skb, SSTP_A_TRANSPORT, t->transport) ||
	    nla_put_u32(skb, SSTP_A_HELLO_INTERVAL, t->hello_interval) ||
	    nla_put_u32(skb, SSTP_A_KEEPALIVE_TIMEOUT, t->keepalive_timeout) ||
	    nla_put_u32(skb, SSTP_A_TX_STALL_TIMEOUT, t->tx_stall_timeout))
		goto cancel;
	if (live &&
	    (nla_put_u32(skb, SSTP_A_CHANNEL_INDEX,
			 sstp_ppp_channel_index(&t->chan)) ||
	     nla_put_s32(skb, SSTP_A_PPP_UNIT,
			 sstp_ppp_unit_number(&t->chan))))
		goto cancel;
	if (!live &&
	    (nla_put_u32(skb, SSTP_A_DOWN_REASON, t->down_reason) ||
	     (t->down_detail &&
	      nla_put_u32(skb, SSTP_A_DOWN_DETAIL, t->down_detail))))
		goto cancel;
	if (sstp_nl_put_stats(skb, t))
		goto cancel;
	genlmsg_end(skb, hdr);
	return 0;

cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/*
 * A required attribute is missing: GENL_REQ_ATTR_CHECK() names it in the
 * extack but gives no text; @msg says what it is for. (__ri, not __info:
 * GENL_REQ_ATTR_CHECK() declares an __info of its own.)
 */
#define SSTP_NL_REQUIRE(info, attr, msg) ({				\
	struct genl_info *__ri = (info);				\
	bool __missing = GENL_REQ_ATTR_CHECK(__ri, attr);		\
	if (__missing)							\
		NL_SET_ERR_MSG(__ri->extack, msg);			\
	__missing;							\
})

/* Find the tunnel named by SSTP_A_TUNNEL_ID. Caller holds sn->lock. */
static struct sstp_tunnel *sstp_nl_find_tunnel(struct sstp_net *sn,
					       struct genl_info *info)
{
	struct sstp_tunnel *t;

	if (SSTP_NL_REQUIRE(info, SSTP_A_TUNNEL_ID, "tunnel id missing"))
		return ERR_PTR(-EINVAL);
	t = sstp_tunnel_lookup(sn, nla_get_u32(info->attrs[SSTP_A_TUNNEL_ID]));
	if (!t || sstp_tunnel_dead(t)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[SSTP_A_TUNNEL_ID],
				    "no such tunnel");
		return ERR_PTR(-ENOENT);
	}
	return t;
}

static u32 sstp_nl_get_u32(struct genl_info *info, int attr, u32 dflt)
{
	return info->attrs[attr] ? nla_get_u32(info->attrs[attr]) : dflt;
}

static int sstp_nl_check_timers(struct genl_info *info, u32 hello,
				u32 timeout)
{
	if (hello && timeout && timeout <= hello) {
		NL_SET_ERR_MSG(info->extack,
			       "keepalive timeout must exceed the hello interval");
		return -EINVAL;
	}
	return 0;
}

/*
 * TUNNEL_NEW made tunnel @id of @net but could not tell its requester:
 * take it down, if it is still there. (TUNNEL_DEL, which someone asked
 * for and which answers, is sstp_nl_tunnel_del_doit().)
 */
static void sstp_nl_tunnel_new_undo(struct net *net, u32 id)
{
	struct sstp_net *sn = sstp_pernet(net);
	struct sstp_tunnel *t;

	mutex_lock(&sn->lock);
	t = sstp_tunnel_lookup(sn, id);
	if (t)
		sstp_tunnel_down(t, SSTP_DOWN_DELETED, 0);
	mutex_unlock(&sn->lock);
}

int sstp_nl_tunnel_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sstp_tunnel_config cfg = {};
	struct nlattr *prefix;
	struct sk_buff *msg;
	void *hdr;
	int chan_index, err;
	u32 id;

	if (SSTP_NL_REQUIRE(info, SSTP_A_SOCK_FD, "socket fd missing") ||
	    SSTP_NL_REQUIRE(info, SSTP_A_ROLE, "role missing"))
		return -EINVAL;
	cfg.fd = nla_get_u32(info->attrs[SSTP_A_SOCK_FD]);
	cfg.role = nla_get_u8(info->attrs[SSTP_A_ROLE]);
	if (info->attrs[SSTP_A_TRANSPORT])
		cfg.transport = nla_get_u8(info->attrs[SSTP_A_TRANSPORT]);
	cfg.mtu = sstp_nl_get_u32(info, SSTP_A_MTU, 0);
	cfg.hello_interval = sstp_nl_get_u32(info, SSTP_A_HELLO_INTERVAL,
					     SSTP_DEFAULT_HELLO);
	/* [MS-SSTP]: down when a hello interval after the echo stays silent. */
	cfg.keepalive_timeout = sstp_nl_get_u32(info, SSTP_A_KEEPALIVE_TIMEOUT,
						2 * cfg.hello_interval);
	cfg.tx_stall_timeout = sstp_nl_get_u32(info, SSTP_A_TX_STALL_TIMEOUT,
					       SSTP_DEFAULT_TX_STALL);
	err = sstp_nl_check_timers(info, cfg.hello_interval,
				   cfg.keepalive_timeout);
	if (err)
		return err;
	prefix = info->attrs[SSTP_A_RX_PREFIX];
	if (prefix) {
		cfg.rx_prefix = nla_data(prefix);
		cfg.rx_prefix_len = nla_len(prefix);
	}

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	err = sstp_tunnel_create(genl_info_net(info), info->snd_portid, &cfg,
				 &id, &chan_index, info->extack);
	if (err)
		goto err_free;

	hdr = genlmsg_put_reply(msg, info, &sstp_nl_family, 0,
				SSTP_CMD_TUNNEL_NEW);
	if (!hdr || nla_put_u32(msg, SSTP_A_TUNNEL_ID, id) ||
	    nla_put_u32(msg, SSTP_A_CHANNEL_INDEX, chan_index)) {
		/* Cannot happen with NLMSG_GOODSIZE. */
		nlmsg_free(msg);
		err = -EMSGSIZE;
		goto err_delete;
	}
	genlmsg_end(msg, hdr);
	err = genlmsg_reply(msg, info);
	if (err)
		goto err_delete;
	return 0;

err_delete:
	/* Nobody would know its id: a tunnel without an owner. */
	sstp_nl_tunnel_new_undo(genl_info_net(info), id);
	return err;
err_free:
	nlmsg_free(msg);
	return err;
}

int sstp_nl_tunnel_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sstp_net *sn = sstp_pernet(genl_info_net(info));
	struct sstp_tunnel *t;
	int err = 0;

	mutex_lock(&sn->lock);
	t = sstp_nl_find_tunnel(sn, info);
	if (IS_ERR(t))
		err = PTR_ERR(t);
	else
		sstp_tunnel_down(t, SSTP_DOWN_DELETED, 0);
	mutex_unlock(&sn->lock);
	return err;
}

int sstp_nl_tunnel_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sstp_net *sn = sstp_pernet(genl_info_net(info));
	struct sstp_tunnel *t;
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&sn->lock);
	t = sstp_nl_find_tunnel(sn, info);
	if (IS_ERR(t))
		err = PTR_ERR(t);
	else
		err = sstp_nl_fill_tunnel(msg, t, info->snd_portid,
					  info->snd_seq, 0,
					  SSTP_CMD_TUNNEL_GET, true);
	mutex_unlock(&sn->lock);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/* cb->args[0]: the id to resume the dump from. */
int sstp_nl_tunnel_get_dumpit(struct sk_buff *skb,
			      struct netlink_callback *cb)
{
	struct sstp_net *sn = sstp_pernet(sock_net(skb->sk));
	struct sstp_tunnel *t;
	int id = cb->args[0];

	mutex_lock(&sn->lock);
	for (t = idr_get_next(&sn->tunnels, &id); t;
	     id++, t = idr_get_next(&sn->tunnels, &id)) {
		if (sstp_tunnel_dead(t))
			continue;
		if (sstp_nl_fill_tunnel(skb, t, NETLINK_CB(cb->skb).portid,
					cb->nlh->nlmsg_seq, NLM_F_MULTI,
					SSTP_CMD_TUNNEL_GET, true))
			break;
	}
	mutex_unlock(&sn->lock);
	cb->args[0] = id;
	return skb->len;
}

int sstp_nl_tunnel_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sstp_net *sn = sstp_pernet(genl_info_net(info));
	struct nlattr *state = info->attrs[SSTP_A_STATE];
	struct sstp_tunnel *t;
	u32 hello, timeout;
	int err = 0;

	if (state && nla_get_u8(state) != SSTP_STATE_CONNECTED) {
		NL_SET_ERR_MSG_ATTR(info->extack, state,
				    "only the connected state can be set");
		return -EINVAL;
	}

	mutex_lock(&sn->lock);
	t = sstp_nl_find_tunnel(sn, info);
	if (IS_ERR(t)) {
		err = PTR_ERR(t);
		goto out;
	}
	hello = sstp_nl_get_u32(info, SSTP_A_HELLO_INTERVAL, t->hello_interval);
	timeout = sstp_nl_get_u32(info, SSTP_A_KEEPALIVE_TIMEOUT,
				  t->keepalive_timeout);
	err = sstp_nl_check_timers(info, hello, timeout);
	if (err)
		goto out;
	/* Read by the stall work at its next run. */
	WRITE_ONCE(t->tx_stall_timeout,
		   sstp_nl_get_u32(info, SSTP_A_TX_STALL_TIMEOUT,
				   t->tx_stall_timeout));
	if (hello != t->hello_interval || timeout != t->keepalive_timeout) {
		WRITE_ONCE(t->hello_interval, hello);
		WRITE_ONCE(t->keepalive_timeout, timeout);
		sstp_keepalive_update(t);
	}
	/* The gate opens for good: there is no way back to negotiating. */
	if (state)
		set_bit(SSTP_F_CONNECTED, &t->flags);
out:
	mutex_unlock(&sn->lock);
	return err;
}

int sstp_nl_ctrl_send_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sstp_net *sn = sstp_pernet(genl_info_net(info));
	struct sstp_tunnel *t;
	struct sstp_ctrl *ctrl;
	struct nlattr *pkt;
	int err;

	if (SSTP_NL_REQUIRE(info, SSTP_A_CTRL_PACKET, "control packet missing"))
		return -EINVAL;
	pkt = info->attrs[SSTP_A_CTRL_PACKET];

	/* Never put a malformed packet on the wire. */
	ctrl = kmalloc(sizeof(*ctrl), GFP_KERNEL);
	if (!ctrl)
		return -ENOMEM;
	err = sstp_ctrl_decode(nla_data(pkt), nla_len(pkt), ctrl);
	kfree(ctrl);
	if (err) {
		NL_SET_ERR_MSG_ATTR(info->extack, pkt,
				    "not a valid SSTP control packet");
		return -EINVAL;
	}

	mutex_lock(&sn->lock);
	t = sstp_nl_find_tunnel(sn, info);
	if (IS_ERR(t))
		err = PTR_ERR(t);
	else
		err = sstp_tx_ctrl(t, nla_data(pkt), nla_len(pkt),
				   SSTP_TX_SSTP_CTRL);
	mutex_unlock(&sn->lock);
	return err;
}

/*
 * The policy, the op table and the events group are generated from the
 * spec (netlink-gen.c). Events carry every control packet, crypto binding
 * included: joining their group needs CAP_NET_ADMIN.
 */
static struct genl_family sstp_nl_family __ro_after_init = {
	.name		= SSTP_GENL_NAME,
	.version	= SSTP_GENL_VERSION,
	.maxattr	= SSTP_A_MAX,
	.policy		= sstp_nl_policy,
	.netnsok	= true,
	.module		= THIS_MODULE,
	.small_ops	= sstp_nl_ops,
	.n_small_ops	= ARRAY_SIZE(sstp_nl_ops),
	.mcgrps		= sstp_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(sstp_nl_mcgrps),
};

/*
 * Send an event to the tunnel's owner and to the monitors' group. Events
 * are best effort: a full receive buffer loses one, and the owner learns
 * the final state from TUNNEL_DOWN or TUNNEL_GET.
 */
static void sstp_nl_send_event(struct sstp_tunnel *t, struct sk_buff *msg)
{
	struct sk_buff *copy;

	copy = skb_clone(msg, GFP_KERNEL);
	if (copy)
		genlmsg_unicast(t->net, copy, t->owner_portid);
	genlmsg_multicast_netns(&sstp_nl_family, t->net, msg, 0,
				SSTP_NLGRP_EVENTS, GFP_KERNEL);
}

/* rx_work: a control packet other than echo arrived. */
void sstp_nl_notify_ctrl(struct sstp_tunnel *t, const u8 *pkt, size_t len)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(nla_total_size(sizeof(u32)) + nla_total_size(len),
			  GFP_KERNEL);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &sstp_nl_family, 0, SSTP_CMD_CTRL_RECV);
	if (!hdr || nla_put_u32(msg, SSTP_A_TUNNEL_ID, t->id) ||
	    nla_put(msg, SSTP_A_CTRL_PACKET, len, pkt)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	sstp_nl_send_event(t, msg);
}

/* Teardown: the tunnel is gone, these are its last words. */
void sstp_nl_notify_down(struct sstp_tunnel *t)
{
	struct sk_buff *msg;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return;
	if (sstp_nl_fill_tunnel(msg, t, 0, 0, 0, SSTP_CMD_TUNNEL_DOWN, false)) {
		nlmsg_free(msg);
		return;
	}
	sstp_nl_send_event(t, msg);
}

int __init sstp_nl_init(void)
{
	return genl_register_family(&sstp_nl_family);
}

void sstp_nl_exit(void)
{
	genl_unregister_family(&sstp_nl_family);
}
