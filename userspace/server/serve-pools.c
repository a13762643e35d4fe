// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * serve-pools.c - the server's named address pools (serve-pools.h).
 */

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/pool.h"
#include "server/serve-pools.h"
#include "server/server-config.h"

/* Two pools sharing an address would hand it to two peers. */
static int check_apart(const struct server_pools *ps, const struct server_pool *p,
		       char *err, size_t errlen)
{
	char text[INET_ADDRSTRLEN];
	struct in_addr at;
	size_t i;

	for (i = 0; i < ps->n; i++) {
		if (!sstp_pool_overlaps(ps->v[i].pool, p->pool, &at))
			continue;
		inet_ntop(AF_INET, &at, text, sizeof(text));
		snprintf(err, errlen, "[pool %s] and [pool %s] both have %s: "
			 "pools may not overlap", ps->v[i].name, p->name, text);
		return -1;
	}
	return 0;
}

int server_pools_open(struct server_pools *ps, const struct sstp_pool_conf *list,
		      char *err, size_t errlen)
{
	const struct sstp_pool_conf *pc;
	size_t n = 0;
	char why[256];

	ps->v = NULL;
	ps->n = 0;
	for (pc = list; pc; pc = pc->next)
		n++;
	if (!n)
		return 0;
	ps->v = calloc(n, sizeof(*ps->v));
	if (!ps->v) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (pc = list; pc; pc = pc->next) {
		struct server_pool *p = &ps->v[ps->n];

		snprintf(p->name, sizeof(p->name), "%s", pc->name);
		p->pool = sstp_pool_new(pc->ranges, why, sizeof(why));
		if (!p->pool) {
			snprintf(err, errlen, "[pool %s]: %s", pc->name, why);
			goto fail;
		}
		if (check_apart(ps, p, err, errlen)) {
			sstp_pool_free(p->pool);
			goto fail;
		}
		ps->n++;
	}
	return 0;
fail:
	server_pools_close(ps);
	return -1;
}

void server_pools_close(struct server_pools *ps)
{
	size_t i;

	for (i = 0; i < ps->n; i++)
		sstp_pool_free(ps->v[i].pool);
	free(ps->v);
	ps->v = NULL;
	ps->n = 0;
}

struct sstp_pool *server_pool_named(const struct server_pools *ps,
				    const char *name)
{
	size_t i;

	for (i = 0; i < ps->n; i++)
		if (!strcmp(ps->v[i].name, name))
			return ps->v[i].pool;
	return NULL;
}

struct sstp_pool *server_pool_holding(const struct server_pools *ps,
				      struct in_addr a)
{
	size_t i;

	for (i = 0; i < ps->n; i++)
		if (sstp_pool_contains(ps->v[i].pool, a))
			return ps->v[i].pool;
	return NULL;
}

struct sstp_pool *server_only_pool(const struct server_pools *ps)
{
	return ps->n == 1 ? ps->v[0].pool : NULL;
}
