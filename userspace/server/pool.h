/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pool.h - IPv4 address pools for the server's PPP peers (what MikroTik
 * calls "IP pools").
 *
 * A pool is made from a text spec: comma-separated items, each a single
 * address, a range "first-last" or a prefix "addr/len", for example
 *   "198.51.100.10-198.51.100.200, 198.51.100.0/28, 203.0.113.7"
 * Spaces around items and around '-' are allowed. Items may not overlap. A
 * prefix means every address in it, network and broadcast address
 * included: on a point-to-point PPP link neither is special, and an admin
 * who wants to skip them writes a range. Addresses that can never be a
 * unicast peer (0.0.0.0/8, 127.0.0.0/8, 224.0.0.0/4, 240.0.0.0/4) are
 * refused.
 *
 * Allocation is round-robin (next fit): each allocation takes the first
 * free address after the one handed out last, wrapping around at the end
 * of the pool (items in the order written). A just-released address is
 * therefore reused only after every other free address has been handed
 * out, which keeps a new peer away from stale ARP/neighbour entries,
 * conntrack state and routes that still name the old one. A fresh pool
 * hands its addresses out in spec order, lowest first within each item.
 *
 * A pool holds at most SSTP_POOL_MAX_ADDRS addresses (a /12; a /16 is
 * 65536) in at most SSTP_POOL_MAX_RANGES items. Memory is allocated by
 * sstp_pool_new() only: a bitmap of one bit per address. Not thread-safe;
 * the helper drives it from one event loop.
 */
#ifndef SSTP_POOL_H
#define SSTP_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#define SSTP_POOL_MAX_ADDRS	(1u << 20)
#define SSTP_POOL_MAX_RANGES	1024

struct sstp_pool;

/**
 * sstp_pool_new() - parse a pool spec and make an empty pool
 * @spec: the spec (see above)
 * @err: on failure, what is wrong and in which item (may be NULL)
 * @errlen: room at @err
 *
 * Return: the pool, or NULL with errno EINVAL (bad spec, @err filled in)
 * or ENOMEM.
 */
struct sstp_pool *sstp_pool_new(const char *spec, char *err, size_t errlen);

/**
 * sstp_pool_free() - free a pool (NULL is fine)
 * @pool: the pool
 */
void sstp_pool_free(struct sstp_pool *pool);

/**
 * sstp_pool_alloc() - hand out a free address, round-robin
 * @pool: the pool
 * @addr: result (network byte order, as struct in_addr always is)
 *
 * Return: 0, -ENOSPC when every address is in use, or -EINVAL.
 */
int sstp_pool_alloc(struct sstp_pool *pool, struct in_addr *addr);

/**
 * sstp_pool_reserve() - take one particular address
 * @pool: the pool
 * @addr: the address, e.g. a user's fixed remote address
 *
 * Does not move the round-robin position. Give it back with
 * sstp_pool_release() like an allocated one.
 *
 * Return: 0, -EADDRNOTAVAIL if @addr is not in the pool, -EADDRINUSE if it
 * is handed out already, or -EINVAL.
 */
int sstp_pool_reserve(struct sstp_pool *pool, struct in_addr addr);

/**
 * sstp_pool_release() - give an allocated or reserved address back
 * @pool: the pool
 * @addr: the address
 *
 * Return: 0, -EADDRNOTAVAIL if @addr is not in the pool, -EALREADY if it
 * is not in use (a double release; the pool is unchanged), or -EINVAL.
 */
int sstp_pool_release(struct sstp_pool *pool, struct in_addr addr);

/**
 * sstp_pool_contains() - does the pool cover an address
 * @pool: the pool
 * @addr: the address
 *
 * Return: true if @addr lies in one of the pool's items.
 */
bool sstp_pool_contains(const struct sstp_pool *pool, struct in_addr addr);

/**
 * sstp_pool_overlaps() - do two pools share an address
 * @a: one pool
 * @b: the other
 * @first: set to the lowest address of the first overlap found
 *
 * Return: true if some address lies in both.
 */
bool sstp_pool_overlaps(const struct sstp_pool *a, const struct sstp_pool *b,
			struct in_addr *first);

/**
 * sstp_pool_in_use() - is an address of the pool handed out
 * @pool: the pool
 * @addr: the address
 *
 * Return: true if @addr is in the pool and allocated or reserved.
 */
bool sstp_pool_in_use(const struct sstp_pool *pool, struct in_addr addr);

/**
 * sstp_pool_size() - number of addresses in the pool
 * @pool: the pool
 *
 * Return: the count, free or not.
 */
uint32_t sstp_pool_size(const struct sstp_pool *pool);

/**
 * sstp_pool_used() - number of addresses in use
 * @pool: the pool
 *
 * Return: allocated plus reserved addresses.
 */
uint32_t sstp_pool_used(const struct sstp_pool *pool);

#endif /* SSTP_POOL_H */
