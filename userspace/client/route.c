// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * route.c - see route.h. rtnetlink through libnl's core: one RTM_GETROUTE
 * to learn the path to the server, one RTM_NEWROUTE to pin it, one
 * RTM_DELROUTE at the end.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "client/route.h"

static size_t addr_len(int family)
{
	return family == AF_INET ? 4 : 16;
}

/* The peer of @fd, an IPv4-mapped IPv6 address as IPv4. */
static int peer_of(int fd, struct sstp_host_route *r)
{
	struct sockaddr_storage ss;
	struct sockaddr_in6 *a6 = (void *)&ss;
	struct sockaddr_in *a4 = (void *)&ss;
	socklen_t len = sizeof(ss);

	if (getpeername(fd, (struct sockaddr *)&ss, &len) < 0)
		return -1;
	if (ss.ss_family == AF_INET6 && IN6_IS_ADDR_V4MAPPED(&a6->sin6_addr)) {
		r->family = AF_INET;
		memcpy(r->dst, &a6->sin6_addr.s6_addr[12], 4);
	} else if (ss.ss_family == AF_INET6) {
		r->family = AF_INET6;
		memcpy(r->dst, &a6->sin6_addr, 16);
	} else if (ss.ss_family == AF_INET) {
		r->family = AF_INET;
		memcpy(r->dst, &a4->sin_addr, 4);
	} else {
		errno = EAFNOSUPPORT;
		return -1;
	}
	return 0;
}

/* A route message for @r: RTM_GETROUTE, RTM_NEWROUTE or RTM_DELROUTE. */
static struct nl_msg *route_msg(const struct sstp_host_route *r, int type,
				int flags)
{
	struct rtmsg rtm = {
		.rtm_family = (unsigned char)r->family,
		.rtm_dst_len = (unsigned char)(addr_len(r->family) * 8),
		.rtm_table = RT_TABLE_MAIN,
		.rtm_protocol = RTPROT_STATIC,
		.rtm_scope = r->has_gateway ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK,
		.rtm_type = RTN_UNICAST,
	};
	struct nl_msg *msg = nlmsg_alloc_simple(type, flags);

	rtm.rtm_flags = r->flags;
	if (type == RTM_GETROUTE) {
		rtm.rtm_flags = 0;
		rtm.rtm_table = 0;
		rtm.rtm_protocol = 0;
		rtm.rtm_scope = 0;
		rtm.rtm_type = 0;
	}
	if (!msg || nlmsg_append(msg, &rtm, sizeof(rtm), NLMSG_ALIGNTO) < 0 ||
	    nla_put(msg, RTA_DST, (int)addr_len(r->family), r->dst) < 0 ||
	    (type != RTM_GETROUTE && r->has_gateway &&
	     nla_put(msg, RTA_GATEWAY, (int)addr_len(r->family), r->gateway) < 0) ||
	    (type != RTM_GETROUTE && r->oif && nla_put_u32(msg, RTA_OIF, (uint32_t)r->oif) < 0)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static int on_route(struct nl_msg *msg, void *arg)
{
	struct sstp_host_route *r = arg;
	struct nlattr *tb[RTA_MAX + 1];
	struct nlmsghdr *nlh = nlmsg_hdr(msg);

	if (nlh->nlmsg_type != RTM_NEWROUTE ||
	    nlmsg_parse(nlh, sizeof(struct rtmsg), tb, RTA_MAX, NULL) < 0)
		return NL_SKIP;
	if (tb[RTA_GATEWAY] && nla_len(tb[RTA_GATEWAY]) == (int)addr_len(r->family)) {
		memcpy(r->gateway, nla_data(tb[RTA_GATEWAY]), addr_len(r->family));
		r->has_gateway = true;
		/*
		 * The kernel reaches this gateway through RTA_OIF now; say
		 * "onlink" so that it takes the pin even when the gateway is
		 * in no subnet of ours (a /32 address with an onlink default).
		 */
		r->flags = RTNH_F_ONLINK;
	}
	if (tb[RTA_OIF])
		r->oif = (int)nla_get_u32(tb[RTA_OIF]);
	return NL_OK;
}

static void describe(struct sstp_host_route *r)
{
	char dst[INET6_ADDRSTRLEN], gw[INET6_ADDRSTRLEN];

	inet_ntop(r->family, r->dst, dst, sizeof(dst));
	if (r->has_gateway) {
		inet_ntop(r->family, r->gateway, gw, sizeof(gw));
		snprintf(r->text, sizeof(r->text), "%s via %s", dst, gw);
	} else {
		snprintf(r->text, sizeof(r->text), "%s", dst);
	}
}

/* Send @msg (freed) and wait for its answers or its ack; 0 or -NLE_*. */
static int talk(struct nl_sock *sk, struct nl_msg *msg, struct sstp_host_route *r)
{
	int rc;

	if (!msg)
		return -NLE_NOMEM;
	rc = nl_send_auto(sk, msg);
	nlmsg_free(msg);
	if (rc < 0)
		return rc;
	if (r) {
		nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, on_route, r);
		rc = nl_recvmsgs_default(sk);
	} else {
		rc = nl_wait_for_ack(sk);
	}
	/* libnl's own error numbers: nl_geterror() says them. */
	return rc < 0 ? rc : 0;
}

int sstp_route_pin(int fd, struct sstp_host_route *r, char *err, size_t errlen)
{
	struct nl_sock *sk;
	int rc;

	memset(r, 0, sizeof(*r));
	if (peer_of(fd, r) < 0) {
		snprintf(err, errlen, "cannot tell the server's address: %s",
			 strerror(errno));
		return -1;
	}
	sk = nl_socket_alloc();
	if (!sk || nl_connect(sk, NETLINK_ROUTE) < 0) {
		nl_socket_free(sk);
		snprintf(err, errlen, "cannot open rtnetlink");
		return -1;
	}
	/* NLM_F_ACK only where we wait for one: a GET is answered by its route. */
	nl_socket_disable_auto_ack(sk);
	rc = talk(sk, route_msg(r, RTM_GETROUTE, 0), r);
	describe(r);
	if (!rc)
		rc = talk(sk, route_msg(r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL |
					NLM_F_ACK), NULL);
	nl_socket_free(sk);
	if (rc == -NLE_EXIST)
		return 0;	/* pinned already: not ours to remove */
	if (rc) {
		snprintf(err, errlen, "cannot pin the route to %s: %s", r->text,
			 nl_geterror(rc));
		return -1;
	}
	r->added = true;
	return 0;
}

void sstp_route_unpin(struct sstp_host_route *r)
{
	struct nl_sock *sk;

	if (!r->added)
		return;
	sk = nl_socket_alloc();
	if (sk)
		nl_socket_disable_auto_ack(sk);
	if (sk && nl_connect(sk, NETLINK_ROUTE) == 0)
		talk(sk, route_msg(r, RTM_DELROUTE, NLM_F_ACK), NULL);
	nl_socket_free(sk);
	r->added = false;
}
