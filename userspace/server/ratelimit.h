/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ratelimit.h - new connections per client address: a token bucket per
 * address, `burst` connections at once and then one every period/burst.
 *
 * The table has a fixed size, so a flood of addresses cannot grow it: an
 * address finds its bucket among a few slots near its hash, and when
 * they are all taken, the one least recently used makes room (a bucket
 * that would be full again by now anyway loses nothing). IPv4 and IPv6
 * addresses count separately; an IPv4-mapped IPv6 address counts as the
 * IPv4 one. IPv6 clients are counted per /64, since one host may own a
 * whole /64.
 */
#ifndef SSTP_RATELIMIT_H
#define SSTP_RATELIMIT_H

#include <stdbool.h>
#include <sys/socket.h>

struct sstp_ratelimit;

/* @burst connections per @period_ms and address; NULL for want of memory. */
struct sstp_ratelimit *sstp_ratelimit_new(unsigned int burst,
					  unsigned long period_ms);
void sstp_ratelimit_free(struct sstp_ratelimit *rl);
/*
 * May @addr (AF_INET or AF_INET6) connect at @now_ms? Takes a token if so.
 * Other families are always allowed.
 */
bool sstp_ratelimit_allow(struct sstp_ratelimit *rl,
			  const struct sockaddr_storage *addr, long long now_ms);

#endif /* SSTP_RATELIMIT_H */
