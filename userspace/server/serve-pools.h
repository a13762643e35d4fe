/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * serve-pools.h - the server's address pools: one sstp_pool (pool.h) per
 * [pool] of the configuration, found by the name a profile gives or by an
 * address a user has. No address lies in two of them.
 */
#ifndef SSTP_SERVE_POOLS_H
#define SSTP_SERVE_POOLS_H

#include <stddef.h>
#include <netinet/in.h>

#include "server/server-config.h"

struct sstp_pool;

struct server_pool {
	char name[SSTP_NAME_MAX];
	struct sstp_pool *pool;
};

struct server_pools {
	struct server_pool *v;
	size_t n;
};

/*
 * Make a pool of each of @list; 0, or -1 with "[pool NAME]: why" in @err
 * (a bad range, or an address another pool has too). @ps is empty then.
 */
int server_pools_open(struct server_pools *ps, const struct sstp_pool_conf *list,
		      char *err, size_t errlen);
void server_pools_close(struct server_pools *ps);

/* The pool called @name, or NULL. */
struct sstp_pool *server_pool_named(const struct server_pools *ps,
				    const char *name);
/* The pool that covers @a, or NULL. */
struct sstp_pool *server_pool_holding(const struct server_pools *ps,
				      struct in_addr a);
/* The pool, when there is exactly one; else NULL. */
struct sstp_pool *server_only_pool(const struct server_pools *ps);

#endif /* SSTP_SERVE_POOLS_H */
