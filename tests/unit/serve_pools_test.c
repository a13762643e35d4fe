// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * serve_pools_test.c - unit tests of the server's named pools
 * (userspace/serve-pools.c): lookups by name and by address, the one
 * pool, and the refusals of a bad range and of two overlapping pools.
 */
#include <arpa/inet.h>
#include <string.h>

#include "server/pool.h"
#include "server/serve-pools.h"
#include "unit.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static struct in_addr ip(const char *s)
{
	struct in_addr a = { 0 };

	inet_pton(AF_INET, s, &a);
	return a;
}

/* A config list of @n pools, linked as the parser links them. */
static struct sstp_pool_conf *confs(struct sstp_pool_conf *v, size_t n,
				    const char *const spec[][2])
{
	size_t i;

	memset(v, 0, n * sizeof(*v));
	for (i = 0; i < n; i++) {
		snprintf(v[i].name, sizeof(v[i].name), "%s", spec[i][0]);
		snprintf(v[i].ranges, sizeof(v[i].ranges), "%s", spec[i][1]);
		v[i].next = i + 1 < n ? &v[i + 1] : NULL;
	}
	return v;
}

static void test_lookups(void)
{
	static const char *const spec[][2] = {
		{ "clients", "198.51.100.10-198.51.100.50" },
		{ "staff", "203.0.113.0/28, 198.51.100.60" },
	};
	struct sstp_pool_conf v[2];
	struct server_pools ps;
	char err[256];

	CHECK_INT(server_pools_open(&ps, confs(v, 2, spec), err, sizeof(err)), 0);
	CHECK_INT(ps.n, 2);
	CHECK(server_pool_named(&ps, "staff") != NULL);
	CHECK(server_pool_named(&ps, "staff") != server_pool_named(&ps, "clients"));
	CHECK(server_pool_named(&ps, "nobody") == NULL);
	CHECK(server_pool_holding(&ps, ip("198.51.100.60")) ==
	      server_pool_named(&ps, "staff"));
	CHECK(server_pool_holding(&ps, ip("198.51.100.10")) ==
	      server_pool_named(&ps, "clients"));
	CHECK(server_pool_holding(&ps, ip("198.51.100.51")) == NULL);
	/* Two pools: which one is for the profile to say. */
	CHECK(server_only_pool(&ps) == NULL);
	server_pools_close(&ps);
	CHECK_INT(ps.n, 0);

	CHECK_INT(server_pools_open(&ps, confs(v, 1, spec), err, sizeof(err)), 0);
	CHECK(server_only_pool(&ps) == server_pool_named(&ps, "clients"));
	server_pools_close(&ps);

	/* None at all. */
	CHECK_INT(server_pools_open(&ps, NULL, err, sizeof(err)), 0);
	CHECK(server_only_pool(&ps) == NULL);
	server_pools_close(&ps);
}

static void test_refusals(void)
{
	static const char *const overlap[][2] = {
		{ "a", "198.51.100.10-198.51.100.50" },
		{ "b", "203.0.113.1, 198.51.100.40-198.51.100.70" },
	};
	static const char *const bad[][2] = {
		{ "a", "198.51.100.10-198.51.100.50" },
		{ "b", "198.51.100.300" },
	};
	struct sstp_pool_conf v[2];
	struct server_pools ps;
	char err[256];

	CHECK_INT(server_pools_open(&ps, confs(v, 2, overlap), err, sizeof(err)), -1);
	CHECK_MSG(strstr(err, "[pool a] and [pool b] both have 198.51.100.40") != NULL,
		  "%s", err);
	CHECK(ps.n == 0 && ps.v == NULL);
	CHECK_INT(server_pools_open(&ps, confs(v, 2, bad), err, sizeof(err)), -1);
	CHECK_MSG(strstr(err, "[pool b]: ") != NULL, "%s", err);
}

static const struct unit_test tests[] = {
	UNIT_TEST(test_lookups),
	UNIT_TEST(test_refusals),
};

int main(void)
{
	return unit_run(tests, ARRAY_SIZE(tests));
}
