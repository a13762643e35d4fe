// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * genl.c - the sstp generic netlink family from userspace, with libnl-genl.
 *
 * A socket that owns tunnels carries both requests and the events of those
 * tunnels, so replies and events can interleave: the receive loop here
 * matches replies by sequence number and keeps events that arrive
 * meanwhile in a small per-socket queue, which sstp_genl_wait_event()
 * drains first. A program with many tunnels (serve) creates them on one
 * socket and sends every other request on a second, which owns nothing,
 * so that a flood of events can never cost it a reply.
 *
 * When the kernel drops messages for a full receive buffer, the socket
 * reports ENOBUFS once: sg->overrun is set and the owner re-reads the
 * tunnels' state (sstp_genl_tunnel_dump()).
 */

#include <errno.h>
#include <netlink/errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "datapath/genl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

static int sstp_genl_fail(struct sstp_genl *sg, int err, const char *what)
{
	if (!sg->err[0])
		snprintf(sg->err, sizeof(sg->err), "%s: %s", what, strerror(-err));
	return err;
}

int sstp_genl_open(struct sstp_genl *sg)
{
	int one = 1;

	memset(sg, 0, sizeof(*sg));
	sg->sock = nl_socket_alloc();
	if (!sg->sock)
		return sstp_genl_fail(sg, -ENOMEM, "netlink socket");
	if (genl_connect(sg->sock)) {
		sstp_genl_close(sg);
		return sstp_genl_fail(sg, -ECONNREFUSED, "netlink connect");
	}
	/* Error messages from the kernel, without our request echoed back. */
	setsockopt(nl_socket_get_fd(sg->sock), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(sg->sock), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));
	sg->family = genl_ctrl_resolve(sg->sock, SSTP_GENL_NAME);
	if (sg->family < 0) {
		sstp_genl_close(sg);
		snprintf(sg->err, sizeof(sg->err),
			 "generic netlink family \"%s\" not found: is sstp.ko loaded?",
			 SSTP_GENL_NAME);
		return -ENOENT;
	}
	sg->events_group = genl_ctrl_resolve_grp(sg->sock, SSTP_GENL_NAME,
						 SSTP_GENL_MCGRP_EVENTS);
	return 0;
}

/*
 * sstp.ko was unloaded and loaded again: its family has a new id. Look it
 * up on a socket of its own, so that no event of @sg is read meanwhile.
 * Return: whether the id changed.
 */
static bool sstp_genl_family_moved(struct sstp_genl *sg)
{
	struct nl_sock *sock = nl_socket_alloc();
	int family = -1;

	if (sock && !genl_connect(sock))
		family = genl_ctrl_resolve(sock, SSTP_GENL_NAME);
	if (sock)
		nl_socket_free(sock);
	if (family < 0 || family == sg->family)
		return false;
	sg->family = family;
	return true;
}

int sstp_genl_set_rcvbuf(struct sstp_genl *sg, int bytes)
{
	int fd = nl_socket_get_fd(sg->sock);

	/* Past rmem_max needs CAP_NET_ADMIN, which a tunnel owner has. */
	if (!setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof(bytes)) ||
	    !setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes)))
		return 0;
	return sstp_genl_fail(sg, -errno, "netlink receive buffer");
}

void sstp_genl_close(struct sstp_genl *sg)
{
	if (sg->sock)
		nl_socket_free(sg->sock);
	sg->sock = NULL;
	while (sg->queue_count) {
		free(sg->queue[sg->queue_head]);
		sg->queue_head = (sg->queue_head + 1) % SSTP_GENL_EVENT_QUEUE;
		sg->queue_count--;
	}
}

int sstp_genl_fd(const struct sstp_genl *sg)
{
	return nl_socket_get_fd(sg->sock);
}

int sstp_genl_subscribe(struct sstp_genl *sg)
{
	if (sg->events_group < 0)
		return sstp_genl_fail(sg, -ENOENT, "events multicast group");
	if (nl_socket_add_membership(sg->sock, sg->events_group))
		/* setsockopt() said why (EPERM without CAP_NET_ADMIN). */
		return sstp_genl_fail(sg, errno ? -errno : -EINVAL,
				      "joining the events group");
	return 0;
}

/* @room: bytes of attributes it will carry, beyond the default size. */
static struct nl_msg *sstp_genl_msg_size(struct sstp_genl *sg, uint8_t cmd,
					 int flags, size_t room)
{
	struct nl_msg *msg = room ? nlmsg_alloc_size(NLMSG_SPACE(GENL_HDRLEN) +
						     room + 4096) :
				    nlmsg_alloc();

	if (msg && !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, sg->family, 0,
				flags, cmd, SSTP_GENL_VERSION)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return msg;
}

static struct nl_msg *sstp_genl_msg(struct sstp_genl *sg, uint8_t cmd,
				    int flags)
{
	return sstp_genl_msg_size(sg, cmd, flags, 0);
}

/* The kernel's extack message, if the error carries one. */
static void sstp_genl_extack(struct sstp_genl *sg, struct nlmsghdr *nlh)
{
	struct nlmsgerr *e = nlmsg_data(nlh);
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t off = sizeof(*e);

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(e->msg);
	if (NLMSG_HDRLEN + off > nlh->nlmsg_len)
		return;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX,
		      (struct nlattr *)((char *)e + off),
		      nlh->nlmsg_len - NLMSG_HDRLEN - off, NULL))
		return;
	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(sg->err, sizeof(sg->err), "%s: %s",
			 nla_get_string(tb[NLMSGERR_ATTR_MSG]),
			 strerror(-e->error));
}

static void sstp_genl_queue_event(struct sstp_genl *sg,
				  const struct nlmsghdr *nlh)
{
	unsigned char *copy;

	if (sg->queue_count == SSTP_GENL_EVENT_QUEUE)
		return;	/* as if the socket buffer had overflowed */
	copy = malloc(nlh->nlmsg_len);
	if (!copy)
		return;
	memcpy(copy, nlh, nlh->nlmsg_len);
	sg->queue[(sg->queue_head + sg->queue_count) % SSTP_GENL_EVENT_QUEUE] =
		copy;
	sg->queue_count++;
}

typedef int (*sstp_reply_fn)(struct nlmsghdr *nlh, void *arg);

/* How long a request waits for its reply once the socket lost messages. */
#define SSTP_GENL_LOST_REPLY_MS	2000

/*
 * Receive the next batch of messages into @buf. ENOBUFS (the kernel
 * dropped messages for this socket) is noted in sg->overrun; if the reply
 * of a request was among them, it never comes, so @wait_ms bounds the
 * wait after that (-1: do not wait, report -ENOBUFS).
 */
static int sstp_genl_recv(struct sstp_genl *sg, unsigned char **buf,
			  int wait_ms)
{
	struct pollfd pfd = { .fd = sstp_genl_fd(sg), .events = POLLIN };
	struct sockaddr_nl peer;
	int n;

	for (;;) {
		n = nl_recv(sg->sock, &peer, buf, NULL);
		if (n > 0)
			return n;
		if (n != -NLE_NOMEM)
			return sstp_genl_fail(sg, -EIO, "netlink receive");
		/* libnl's name for ENOBUFS. */
		sg->overrun = true;
		if (wait_ms < 0 || poll(&pfd, 1, wait_ms) <= 0)
			return sstp_genl_fail(sg, -ENOBUFS,
					      "netlink receive: messages lost");
	}
}

/*
 * Send @msg and read until its ack, error or end of dump arrives, giving
 * each reply message to @fn and queueing events. *@told: the error came
 * with the kernel's own message.
 */
static int sstp_genl_exchange(struct sstp_genl *sg, struct nl_msg *msg,
			      sstp_reply_fn fn, void *arg, bool *told)
{
	unsigned char *buf = NULL;
	struct nlmsghdr *nlh;
	uint32_t seq;
	int n, err;

	sg->err[0] = '\0';
	*told = false;
	err = nl_send_auto(sg->sock, msg);
	seq = nlmsg_hdr(msg)->nlmsg_seq;
	if (err < 0)
		return sstp_genl_fail(sg, -EIO, "netlink send");

	for (;;) {
		n = sstp_genl_recv(sg, &buf, SSTP_GENL_LOST_REPLY_MS);
		if (n < 0)
			return n;
		for (nlh = (struct nlmsghdr *)buf; nlmsg_ok(nlh, n);
		     nlh = nlmsg_next(nlh, &n)) {
			if (nlh->nlmsg_seq != seq) {
				sstp_genl_queue_event(sg, nlh);
				continue;
			}
			err = 0;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				err = ((struct nlmsgerr *)nlmsg_data(nlh))->error;
				if (err)
					sstp_genl_extack(sg, nlh);
				*told = sg->err[0];
				if (err)
					sstp_genl_fail(sg, err, "sstp");
			} else if (nlh->nlmsg_type != NLMSG_DONE) {
				if (!fn || !(err = fn(nlh, arg)))
					continue;
			}
			/* An ack, an error, or the end of a dump (no ack). */
			free(buf);
			return err;
		}
		free(buf);
		buf = NULL;
	}
}

/* The exchange, once more if sstp.ko came back with a new family id. */
static int sstp_genl_transact(struct sstp_genl *sg, struct nl_msg *msg,
			      sstp_reply_fn fn, void *arg)
{
	bool told;
	int err;

	nlmsg_hdr(msg)->nlmsg_flags |= NLM_F_ACK;
	err = sstp_genl_exchange(sg, msg, fn, arg, &told);
	/* An unknown family is ENOENT too, without a message of ours. */
	if (err == -ENOENT && !told && sstp_genl_family_moved(sg)) {
		nlmsg_hdr(msg)->nlmsg_type = sg->family;
		err = sstp_genl_exchange(sg, msg, fn, arg, &told);
	}
	nlmsg_free(msg);
	return err;
}

static struct nlattr *sstp_genl_attrs(struct nlmsghdr *nlh,
				      struct nlattr **tb)
{
	if (genlmsg_parse(nlh, 0, tb, SSTP_A_MAX, NULL))
		return NULL;
	return (struct nlattr *)tb;
}

struct sstp_new_reply {
	uint32_t *id, *channel_index;
};

static int sstp_genl_new_reply(struct nlmsghdr *nlh, void *arg)
{
	struct sstp_new_reply *r = arg;
	struct nlattr *tb[SSTP_A_MAX + 1];

	if (!sstp_genl_attrs(nlh, tb) || !tb[SSTP_A_TUNNEL_ID] ||
	    !tb[SSTP_A_CHANNEL_INDEX])
		return -EPROTO;
	*r->id = nla_get_u32(tb[SSTP_A_TUNNEL_ID]);
	*r->channel_index = nla_get_u32(tb[SSTP_A_CHANNEL_INDEX]);
	return 0;
}

int sstp_genl_tunnel_new(struct sstp_genl *sg,
			 const struct sstp_tunnel_opts *opts,
			 uint32_t *id, uint32_t *channel_index)
{
	struct sstp_new_reply r = { id, channel_index };
	struct nl_msg *msg;

	msg = sstp_genl_msg_size(sg, SSTP_CMD_TUNNEL_NEW, 0,
				 nla_total_size(opts->rx_prefix_len));
	if (!msg)
		return sstp_genl_fail(sg, -ENOMEM, "netlink message");
	if (nla_put_u32(msg, SSTP_A_SOCK_FD, opts->fd) ||
	    nla_put_u8(msg, SSTP_A_ROLE, opts->role) ||
	    (opts->mtu && nla_put_u32(msg, SSTP_A_MTU, opts->mtu)) ||
	    (opts->hello_interval >= 0 &&
	     nla_put_u32(msg, SSTP_A_HELLO_INTERVAL, opts->hello_interval)) ||
	    (opts->keepalive_timeout >= 0 &&
	     nla_put_u32(msg, SSTP_A_KEEPALIVE_TIMEOUT,
			 opts->keepalive_timeout)) ||
	    (opts->rx_prefix_len &&
	     nla_put(msg, SSTP_A_RX_PREFIX, opts->rx_prefix_len,
		     opts->rx_prefix)) ||
	    (opts->transport &&
	     nla_put_u8(msg, SSTP_A_TRANSPORT, opts->transport)) ||
	    (opts->tx_stall_timeout &&
	     nla_put_u32(msg, SSTP_A_TX_STALL_TIMEOUT,
			 opts->tx_stall_timeout))) {
		nlmsg_free(msg);
		return sstp_genl_fail(sg, -EMSGSIZE, "netlink message");
	}
	return sstp_genl_transact(sg, msg, sstp_genl_new_reply, &r);
}

/* A request that names one tunnel and nothing else (yet). */
static struct nl_msg *sstp_genl_tunnel_msg(struct sstp_genl *sg, uint8_t cmd,
					   uint32_t id)
{
	struct nl_msg *msg = sstp_genl_msg(sg, cmd, 0);

	if (msg && nla_put_u32(msg, SSTP_A_TUNNEL_ID, id)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return msg;
}

int sstp_genl_tunnel_del(struct sstp_genl *sg, uint32_t id)
{
	struct nl_msg *msg = sstp_genl_tunnel_msg(sg, SSTP_CMD_TUNNEL_DEL, id);

	if (!msg)
		return sstp_genl_fail(sg, -ENOMEM, "netlink message");
	return sstp_genl_transact(sg, msg, NULL, NULL);
}

static void sstp_genl_parse_info(struct nlattr **tb,
				 struct sstp_tunnel_info *info)
{
	struct nlattr *st[SSTP_STATS_A_MAX + 1];
	int i;

	memset(info, 0, sizeof(*info));
	info->channel_index = -1;
	info->ppp_unit = -1;
	if (tb[SSTP_A_TUNNEL_ID])
		info->id = nla_get_u32(tb[SSTP_A_TUNNEL_ID]);
	if (tb[SSTP_A_ROLE])
		info->role = nla_get_u8(tb[SSTP_A_ROLE]);
	if (tb[SSTP_A_STATE])
		info->state = nla_get_u8(tb[SSTP_A_STATE]);
	if (tb[SSTP_A_CHANNEL_INDEX])
		info->channel_index = nla_get_u32(tb[SSTP_A_CHANNEL_INDEX]);
	if (tb[SSTP_A_PPP_UNIT])
		info->ppp_unit = (int32_t)nla_get_u32(tb[SSTP_A_PPP_UNIT]);
	if (tb[SSTP_A_HELLO_INTERVAL])
		info->hello_interval = nla_get_u32(tb[SSTP_A_HELLO_INTERVAL]);
	if (tb[SSTP_A_KEEPALIVE_TIMEOUT])
		info->keepalive_timeout =
			nla_get_u32(tb[SSTP_A_KEEPALIVE_TIMEOUT]);
	if (tb[SSTP_A_DOWN_REASON])
		info->down_reason = nla_get_u32(tb[SSTP_A_DOWN_REASON]);
	if (tb[SSTP_A_DOWN_DETAIL])
		info->down_detail = nla_get_u32(tb[SSTP_A_DOWN_DETAIL]);
	if (tb[SSTP_A_STATS] &&
	    !nla_parse_nested(st, SSTP_STATS_A_MAX, tb[SSTP_A_STATS], NULL))
		for (i = 0; i <= SSTP_STATS_A_MAX; i++)
			if (st[i] && nla_len(st[i]) == sizeof(uint64_t))
				info->stats[i] = nla_get_u64(st[i]);
}

static int sstp_genl_get_reply(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[SSTP_A_MAX + 1];

	if (!sstp_genl_attrs(nlh, tb))
		return -EPROTO;
	sstp_genl_parse_info(tb, arg);
	return 0;
}

int sstp_genl_tunnel_get(struct sstp_genl *sg, uint32_t id,
			 struct sstp_tunnel_info *info)
{
	struct nl_msg *msg = sstp_genl_tunnel_msg(sg, SSTP_CMD_TUNNEL_GET, id);

	if (!msg)
		return sstp_genl_fail(sg, -ENOMEM, "netlink message");
	return sstp_genl_transact(sg, msg, sstp_genl_get_reply, info);
}

struct sstp_dump_ctx {
	sstp_tunnel_fn fn;
	void *arg;
};

static int sstp_genl_dump_reply(struct nlmsghdr *nlh, void *arg)
{
	struct sstp_dump_ctx *ctx = arg;
	struct nlattr *tb[SSTP_A_MAX + 1];
	struct sstp_tunnel_info info;

	if (!sstp_genl_attrs(nlh, tb))
		return -EPROTO;
	sstp_genl_parse_info(tb, &info);
	ctx->fn(&info, ctx->arg);
	return 0;
}

int sstp_genl_tunnel_dump(struct sstp_genl *sg, sstp_tunnel_fn fn, void *arg)
{
	struct sstp_dump_ctx ctx = { fn, arg };
	struct nl_msg *msg = sstp_genl_msg(sg, SSTP_CMD_TUNNEL_GET, NLM_F_DUMP);

	if (!msg)
		return sstp_genl_fail(sg, -ENOMEM, "netlink message");
	return sstp_genl_transact(sg, msg, sstp_genl_dump_reply, &ctx);
}

int sstp_genl_set_connected(struct sstp_genl *sg, uint32_t id)
{
	struct nl_msg *msg = sstp_genl_tunnel_msg(sg, SSTP_CMD_TUNNEL_SET, id);

	if (!msg || nla_put_u8(msg, SSTP_A_STATE, SSTP_STATE_CONNECTED)) {
		nlmsg_free(msg);
		return sstp_genl_fail(sg, -ENOMEM, "netlink message");
	}
	return sstp_genl_transact(sg, msg, NULL, NULL);
}

int sstp_genl_set_timers(struct sstp_genl *sg, uint32_t id,
			 uint32_t hello_interval, uint32_t keepalive_timeout)
{
	struct nl_msg *msg = sstp_genl_tunnel_msg(sg, SSTP_CMD_TUNNEL_SET, id);

	if (!msg || nla_put_u32(msg, SSTP_A_HELLO_INTERVAL, hello_interval) ||
	    nla_put_u32(msg, SSTP_A_KEEPALIVE_TIMEOUT, keepalive_timeout)) {
		nlmsg_free(msg);
		return sstp_genl_fail(sg, -ENOMEM, "netlink message");
	}
	return sstp_genl_transact(sg, msg, NULL, NULL);
}

int sstp_genl_ctrl_send(struct sstp_genl *sg, uint32_t id,
			const uint8_t *pkt, size_t len)
{
	struct nl_msg *msg = sstp_genl_tunnel_msg(sg, SSTP_CMD_CTRL_SEND, id);

	if (!msg || nla_put(msg, SSTP_A_CTRL_PACKET, len, pkt)) {
		nlmsg_free(msg);
		return sstp_genl_fail(sg, -ENOMEM, "netlink message");
	}
	return sstp_genl_transact(sg, msg, NULL, NULL);
}

/* Decode one event message; returns 1 if it was one of ours. */
static int sstp_genl_dispatch(struct sstp_genl *sg, struct nlmsghdr *nlh,
			      sstp_event_fn fn, void *arg)
{
	struct nlattr *tb[SSTP_A_MAX + 1];
	struct sstp_event ev = { 0 };
	struct genlmsghdr *gh;

	if (nlh->nlmsg_type != sg->family || !sstp_genl_attrs(nlh, tb))
		return 0;
	gh = nlmsg_data(nlh);
	ev.cmd = gh->cmd;
	if (tb[SSTP_A_TUNNEL_ID])
		ev.tunnel_id = nla_get_u32(tb[SSTP_A_TUNNEL_ID]);
	if (ev.cmd == SSTP_CMD_CTRL_RECV && tb[SSTP_A_CTRL_PACKET]) {
		ev.packet = nla_data(tb[SSTP_A_CTRL_PACKET]);
		ev.packet_len = nla_len(tb[SSTP_A_CTRL_PACKET]);
	} else if (ev.cmd == SSTP_CMD_TUNNEL_DOWN) {
		sstp_genl_parse_info(tb, &ev.info);
	} else {
		return 0;
	}
	fn(&ev, arg);
	return 1;
}

int sstp_genl_wait_event(struct sstp_genl *sg, int timeout_ms,
			 sstp_event_fn fn, void *arg)
{
	struct pollfd pfd = { .fd = sstp_genl_fd(sg), .events = POLLIN };
	unsigned char *buf = NULL;
	struct nlmsghdr *nlh;
	int n, handled = 0;

	while (sg->queue_count) {
		unsigned char *q = sg->queue[sg->queue_head];

		handled = sstp_genl_dispatch(sg, (struct nlmsghdr *)q, fn, arg);
		free(q);
		sg->queue_head = (sg->queue_head + 1) % SSTP_GENL_EVENT_QUEUE;
		sg->queue_count--;
		if (handled)
			return 1;
	}

	n = poll(&pfd, 1, timeout_ms);
	if (n < 0 && errno == EINTR)
		return 0;	/* a signal: let the caller look at its flags */
	if (n <= 0)
		return n < 0 ? -errno : 0;
	sg->err[0] = '\0';
	n = sstp_genl_recv(sg, &buf, -1);
	if (n < 0)
		return n;
	for (nlh = (struct nlmsghdr *)buf; nlmsg_ok(nlh, n);
	     nlh = nlmsg_next(nlh, &n)) {
		if (handled)
			sstp_genl_queue_event(sg, nlh);
		else
			handled = sstp_genl_dispatch(sg, nlh, fn, arg);
	}
	free(buf);
	return handled;
}

const char *sstp_down_reason_name(uint32_t reason)
{
	static const char *const names[__SSTP_DOWN_MAX] = {
		[SSTP_DOWN_UNSPEC] = "unspecified",
		[SSTP_DOWN_DELETED] = "deleted",
		[SSTP_DOWN_OWNER_GONE] = "owner gone",
		[SSTP_DOWN_PEER_CLOSED] = "peer closed",
		[SSTP_DOWN_TCP_RESET] = "TCP reset",
		[SSTP_DOWN_TLS_ALERT] = "TLS alert",
		[SSTP_DOWN_TLS_ERROR] = "TLS error",
		[SSTP_DOWN_SOCKET_ERROR] = "socket error",
		[SSTP_DOWN_KEEPALIVE_TIMEOUT] = "keepalive timeout",
		[SSTP_DOWN_PROTOCOL_ERROR] = "protocol error",
		[SSTP_DOWN_MODULE_UNLOAD] = "module unloaded",
		[SSTP_DOWN_NETNS_EXIT] = "netns exit",
		[SSTP_DOWN_TX_STALLED] = "transmit stalled",
		[SSTP_DOWN_TX_OVERFLOW] = "transmit overflow",
	};

	return reason < __SSTP_DOWN_MAX && names[reason] ? names[reason] :
							    "unknown";
}
