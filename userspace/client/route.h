/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * route.h - add-default-route: before the default route moves into the
 * tunnel, the route to the server (or the HTTP proxy: the far end of our
 * TCP connection) is pinned as a host route along the path it takes now,
 * so that the tunnel's own packets never try to go through the tunnel.
 * The pin is removed when the client ends; one that was there before is
 * left alone.
 */
#ifndef SSTP_ROUTE_H
#define SSTP_ROUTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sstp_host_route {
	bool added;		/* ours to remove */
	int family;		/* AF_INET or AF_INET6 */
	uint8_t dst[16], gateway[16];
	bool has_gateway;
	unsigned int flags;	/* RTNH_F_ONLINK, as the route had it */
	int oif;
	char text[100];		/* "192.0.2.1 via 198.51.100.254", for logs */
};

/* Pin the route to the peer of the connected socket @fd. 0 or -1 (@err). */
int sstp_route_pin(int fd, struct sstp_host_route *r, char *err, size_t errlen);
/* Remove the pin if we added it. */
void sstp_route_unpin(struct sstp_host_route *r);

#endif /* SSTP_ROUTE_H */
