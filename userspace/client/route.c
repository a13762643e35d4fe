// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * route.c - see route.h. rtnetlink through libnl-route: rtnl_route_lookup()
 * (RTM_GETROUTE) learns the path to the server, rtnl_route_add()
 * (RTM_NEWROUTE) pins it, rtnl_route_delete() (RTM_DELROUTE) at the end.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/addr.h>
#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/route/nexthop.h>
#include <netlink/route/route.h>
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

/*
 * The pin for @r, what RTM_NEWROUTE and RTM_DELROUTE send: a host route in
 * the main table, through r->gateway (onlink) or straight on r->oif.
 * NULL when out of memory.
 */
static struct rtnl_route *route_of(const struct sstp_host_route *r)
{
	struct rtnl_route *route = rtnl_route_alloc();
	struct rtnl_nexthop *nh = rtnl_route_nh_alloc();
	size_t alen = addr_len(r->family);
	struct nl_addr *dst = nl_addr_build(r->family, r->dst, alen);
	struct nl_addr *gw = NULL;
	bool ok = route && nh && dst;

	if (ok && r->has_gateway) {
		gw = nl_addr_build(r->family, r->gateway, alen);
		ok = gw != NULL;
	}
	if (ok) {
		rtnl_route_set_table(route, RT_TABLE_MAIN);
		rtnl_route_set_protocol(route, RTPROT_STATIC);
		rtnl_route_set_scope(route, r->has_gateway ? RT_SCOPE_UNIVERSE :
							     RT_SCOPE_LINK);
		ok = rtnl_route_set_type(route, RTN_UNICAST) == 0 &&
		     rtnl_route_set_dst(route, dst) == 0;
		/* In rtm_flags, where the kernel reads a lone nexthop's. */
		rtnl_route_set_flags(route, r->flags);
	}
	if (ok && (gw || r->oif)) {
		if (gw)
			rtnl_route_nh_set_gateway(nh, gw);
		if (r->oif)
			rtnl_route_nh_set_ifindex(nh, r->oif);
		rtnl_route_add_nexthop(route, nh);
		nh = NULL;
	}
	nl_addr_put(dst);
	nl_addr_put(gw);
	if (nh)
		rtnl_route_nh_free(nh);
	if (!ok) {
		rtnl_route_put(route);
		return NULL;
	}
	return route;
}

/* Ask the kernel for its route to r->dst; keep its gateway and device. */
static int lookup(struct nl_sock *sk, struct sstp_host_route *r)
{
	size_t alen = addr_len(r->family);
	struct nl_addr *dst = nl_addr_build(r->family, r->dst, alen);
	struct rtnl_route *found = NULL;
	struct rtnl_nexthop *nh;
	struct nl_addr *gw;
	int rc;

	if (!dst)
		return -NLE_NOMEM;
	rc = rtnl_route_lookup(sk, dst, &found);
	nl_addr_put(dst);
	if (rc < 0)
		return rc;
	nh = rtnl_route_get_nnexthops(found) > 0 ?
	     rtnl_route_nexthop_n(found, 0) : NULL;
	gw = nh ? rtnl_route_nh_get_gateway(nh) : NULL;
	if (gw && nl_addr_get_family(gw) == r->family &&
	    nl_addr_get_len(gw) == alen) {
		memcpy(r->gateway, nl_addr_get_binary_addr(gw), alen);
		r->has_gateway = true;
		/*
		 * The kernel reaches this gateway through the device now; say
		 * "onlink" so that it takes the pin even when the gateway is
		 * in no subnet of ours (a /32 address with an onlink default).
		 */
		r->flags = RTNH_F_ONLINK;
	}
	if (nh && rtnl_route_nh_get_ifindex(nh) > 0)
		r->oif = rtnl_route_nh_get_ifindex(nh);
	rtnl_route_put(found);
	return 0;
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

int sstp_route_pin(int fd, struct sstp_host_route *r, char *err, size_t errlen)
{
	struct rtnl_route *route;
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
	rc = lookup(sk, r);
	describe(r);
	if (!rc) {
		route = route_of(r);
		/* libnl's own error numbers: nl_geterror() says them. */
		rc = route ? rtnl_route_add(sk, route, NLM_F_EXCL) : -NLE_NOMEM;
		rtnl_route_put(route);
	}
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
	struct rtnl_route *route;
	struct nl_sock *sk;

	if (!r->added)
		return;
	sk = nl_socket_alloc();
	route = route_of(r);
	if (sk && route && nl_connect(sk, NETLINK_ROUTE) == 0)
		rtnl_route_delete(sk, route, 0);
	rtnl_route_put(route);
	nl_socket_free(sk);
	r->added = false;
}
