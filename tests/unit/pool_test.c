// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pool_test.c - unit tests of the IPv4 address pools (userspace/pool.c):
 * spec parsing and its error messages, round-robin allocation, exhaustion,
 * release and reuse order, reservations, a /16, and a random run against
 * a simple model.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "server/pool.h"
#include "unit.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* --- helpers ------------------------------------------------------------ */

static struct in_addr ip(const char *s)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1) {
		fprintf(stderr, "bad address in test: %s\n", s);
		abort();
	}
	return a;
}

static uint32_t host(struct in_addr a)
{
	return ntohl(a.s_addr);
}

/* A pool that must parse; a failed check (and NULL) if it does not. */
static struct sstp_pool *pool(const char *spec)
{
	char err[256] = "";
	struct sstp_pool *p = sstp_pool_new(spec, err, sizeof(err));

	CHECK_MSG(p != NULL, "pool \"%s\": %s", spec, err);
	return p;
}

/* Allocate and expect the given address. */
#define CHECK_ALLOC(p, expect)						\
	do {								\
		struct in_addr a_ = { 0 };				\
		char s_[INET_ADDRSTRLEN];				\
		int r_ = sstp_pool_alloc(p, &a_);			\
		inet_ntop(AF_INET, &a_, s_, sizeof(s_));		\
		CHECK_MSG(r_ == 0 && a_.s_addr == ip(expect).s_addr,	\
			  "alloc gave %d %s, expected %s", r_, s_, expect); \
	} while (0)

/* Deterministic xorshift32, so failures reproduce. */
static uint32_t rng_state = 0xc0ffee;

static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

/* --- parsing -------------------------------------------------------------- */

static void test_parse_good(void)
{
	static const struct {
		const char *spec;
		uint32_t size;
	} good[] = {
		{ "198.51.100.7", 1 },
		{ "198.51.100.10-198.51.100.200", 191 },
		{ "198.51.100.0/28", 16 },
		{ "198.51.100.9/32", 1 },
		{ "198.51.100.0/31", 2 },
		{ "198.51.100.5-198.51.100.5", 1 },
		{ " 198.51.100.10 - 198.51.100.19 ,\t198.51.100.0/30 ,192.0.2.1 ",
		  15 },
		{ "10.0.0.0/12", 1u << 20 },
		{ "10.0.0.0/13,10.8.0.0/13", 1u << 20 },
		{ "1.0.0.0", 1 },
		{ "223.255.255.255", 1 },
	};
	struct sstp_pool *p;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(good); i++) {
		p = pool(good[i].spec);
		if (!p)
			continue;
		CHECK_MSG(sstp_pool_size(p) == good[i].size,
			  "\"%s\": size %u, expected %u", good[i].spec,
			  sstp_pool_size(p), good[i].size);
		CHECK_INT(sstp_pool_used(p), 0);
		sstp_pool_free(p);
	}

	p = pool("198.51.100.10-198.51.100.20, 203.0.113.16/30");
	if (!p)
		return;
	CHECK(sstp_pool_contains(p, ip("198.51.100.10")));
	CHECK(sstp_pool_contains(p, ip("198.51.100.20")));
	CHECK(!sstp_pool_contains(p, ip("198.51.100.9")));
	CHECK(!sstp_pool_contains(p, ip("198.51.100.21")));
	CHECK(sstp_pool_contains(p, ip("203.0.113.16")));
	CHECK(sstp_pool_contains(p, ip("203.0.113.19")));
	CHECK(!sstp_pool_contains(p, ip("203.0.113.20")));
	CHECK(!sstp_pool_contains(p, ip("203.0.113.15")));
	CHECK(!sstp_pool_contains(NULL, ip("203.0.113.16")));
	sstp_pool_free(p);
	sstp_pool_free(NULL);
}

static void test_parse_bad(void)
{
	static const struct {
		const char *spec;
		const char *msg;	/* must be in the error text */
	} bad[] = {
		{ "", "empty pool spec" },
		{ " \t ", "empty pool spec" },
		{ "198.51.100.300", "item 1 \"198.51.100.300\"" },
		{ "198.51.100.300", "is not an IPv4 address" },
		{ "198.51.100.1,", "item 2 \"\" (at character 14): empty item" },
		{ ",198.51.100.1", "item 1 \"\" (at character 1): empty item" },
		{ "198.51.100.1, ,198.51.100.2", "item 2" },
		{ "198.51.100.1, bogus", "item 2 \"bogus\" (at character 15)" },
		{ "198.51.100.10-198.51.100.5", "range end is below its start" },
		{ "198.51.100.10-", "range end \"\" is not" },
		{ "-198.51.100.10", "range start \"\" is not" },
		{ "198.51.100.1-198.51.100.2-198.51.100.3", "range end" },
		{ "198.51.100.5/28", "did you mean 198.51.100.0/28?" },
		{ "198.51.100.0/33", "prefix length 33 is over 32" },
		{ "198.51.100.0/", "prefix length \"\" is not 0..32" },
		{ "198.51.100.0/2a", "prefix length \"2a\"" },
		{ "198.51.100.0/024", "prefix length \"024\"" },
		{ "198.51.100.0/-1", "range start" },
		{ "/24", "\"\" is not an IPv4 address" },
		{ "10.0.0.0/8", "16777216 addresses, more than the 1048576" },
		{ "10.0.0.0/12,11.0.0.1", "item 2" },
		{ "0.0.0.0/0", "\"this network\"" },
		{ "1.0.0.0/8", "16777216 addresses" },
		{ "127.0.0.1", "127.0.0.0/8 (loopback)" },
		{ "0.0.0.1", "0.0.0.0/8" },
		{ "224.0.0.1", "multicast" },
		{ "255.255.255.255", "240.0.0.0/4" },
		{ "126.255.255.250-128.0.0.2", "loopback" },
		{ "198.51.100.0/28, 198.51.100.10", "item 2 \"198.51.100.10\"" },
		{ "198.51.100.0/28, 198.51.100.10", "overlaps item 1" },
		{ "198.51.100.1-198.51.100.9,198.51.100.9-198.51.100.20",
		  "overlaps item 1" },
		{ "192.0.2.1, 198.51.100.1-198.51.100.9, 198.51.100.0/24",
		  "item 3 \"198.51.100.0/24\" (at character 39): overlaps item 2" },
		{ "198.51.100.1 198.51.100.2", "not an IPv4 address" },
		{ "198.051.100.1", "not an IPv4 address" },
		{ "1.2.3", "not an IPv4 address" },
		{ "1.2.3.4.5", "not an IPv4 address" },
		{ "198.51.100.1;198.51.100.2", "not an IPv4 address" },
		{ "1111.2.3.4", "not an IPv4 address" },
		{ "198.51.100.0 /24", "not an IPv4 address" },
	};
	struct sstp_pool *p;
	char err[256];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		strcpy(err, "(none)");
		errno = 0;
		p = sstp_pool_new(bad[i].spec, err, sizeof(err));
		CHECK_MSG(!p, "\"%s\" accepted", bad[i].spec);
		sstp_pool_free(p);
		CHECK_INT(errno, EINVAL);
		CHECK_MSG(strstr(err, bad[i].msg) != NULL,
			  "\"%s\": error \"%s\" lacks \"%s\"", bad[i].spec,
			  err, bad[i].msg);
	}

	CHECK(!sstp_pool_new(NULL, err, sizeof(err)));
	CHECK(!sstp_pool_new("bogus", NULL, 0));	/* no error buffer */
}

static void test_parse_limits(void)
{
	size_t n = SSTP_POOL_MAX_RANGES, i;
	char *spec = malloc((n + 1) * 16), *s;
	struct sstp_pool *p;
	char err[256];

	if (!spec)
		abort();
	/* Exactly the most items allowed: single addresses 10.0.x.y. */
	s = spec;
	for (i = 0; i < n; i++)
		s += sprintf(s, "%s10.0.%zu.%zu", i ? "," : "", i / 200,
			     i % 200 + 1);
	p = sstp_pool_new(spec, err, sizeof(err));
	CHECK_MSG(p != NULL, "%s", err);
	CHECK_INT(sstp_pool_size(p), n);
	/* Lookups reach the last item (1023 -> 10.0.5.24). */
	CHECK(sstp_pool_contains(p, ip("10.0.5.24")));
	CHECK(!sstp_pool_contains(p, ip("10.0.5.25")));
	CHECK_INT(sstp_pool_reserve(p, ip("10.0.5.24")), 0);
	sstp_pool_free(p);
	/* One more is refused. */
	sprintf(s, ",10.1.0.1");
	p = sstp_pool_new(spec, err, sizeof(err));
	CHECK(!p);
	CHECK_MSG(strstr(err, "more than the 1024") != NULL, "%s", err);
	sstp_pool_free(p);
	free(spec);
}

/* --- allocation ------------------------------------------------------------ */

static void test_alloc_until_exhausted(void)
{
	struct sstp_pool *p = pool("198.51.100.0/28");
	struct in_addr a;
	char want[INET_ADDRSTRLEN];
	unsigned int i;

	if (!p)
		return;
	/* A fresh pool hands out lowest first. */
	for (i = 0; i < 16; i++) {
		snprintf(want, sizeof(want), "198.51.100.%u", i);
		CHECK_ALLOC(p, want);
		CHECK(sstp_pool_in_use(p, ip(want)));
	}
	CHECK_INT(sstp_pool_used(p), 16);
	CHECK_INT(sstp_pool_alloc(p, &a), -ENOSPC);
	CHECK_INT(sstp_pool_alloc(p, &a), -ENOSPC);
	CHECK_INT(sstp_pool_used(p), 16);
	/* One back, one out again. */
	CHECK_INT(sstp_pool_release(p, ip("198.51.100.9")), 0);
	CHECK_ALLOC(p, "198.51.100.9");
	CHECK_INT(sstp_pool_alloc(p, &a), -ENOSPC);
	sstp_pool_free(p);
}

static void test_round_robin_order(void)
{
	struct sstp_pool *p = pool("198.51.100.1-198.51.100.5");
	struct in_addr a;

	if (!p)
		return;
	CHECK_ALLOC(p, "198.51.100.1");
	CHECK_ALLOC(p, "198.51.100.2");
	CHECK_ALLOC(p, "198.51.100.3");
	/* A just-freed address is not handed out again at once. */
	CHECK_INT(sstp_pool_release(p, ip("198.51.100.2")), 0);
	CHECK(!sstp_pool_in_use(p, ip("198.51.100.2")));
	CHECK_ALLOC(p, "198.51.100.4");
	CHECK_ALLOC(p, "198.51.100.5");
	/* Then wrap around to the oldest free one. */
	CHECK_ALLOC(p, "198.51.100.2");
	CHECK_INT(sstp_pool_alloc(p, &a), -ENOSPC);
	CHECK_INT(sstp_pool_release(p, ip("198.51.100.4")), 0);
	CHECK_INT(sstp_pool_release(p, ip("198.51.100.1")), 0);
	/* Next after .2 (the last handed out): .4 before .1. */
	CHECK_ALLOC(p, "198.51.100.4");
	CHECK_ALLOC(p, "198.51.100.1");
	CHECK_INT(sstp_pool_used(p), 5);
	sstp_pool_free(p);
}

static void test_multi_range_order(void)
{
	struct sstp_pool *p = pool("198.51.100.10-198.51.100.11, "
				   "203.0.113.0/31, 192.0.2.7");
	struct in_addr a;

	if (!p)
		return;
	/* Items in the order written, not sorted by address. */
	CHECK_ALLOC(p, "198.51.100.10");
	CHECK_ALLOC(p, "198.51.100.11");
	CHECK_ALLOC(p, "203.0.113.0");
	CHECK_ALLOC(p, "203.0.113.1");
	CHECK_ALLOC(p, "192.0.2.7");
	CHECK_INT(sstp_pool_alloc(p, &a), -ENOSPC);
	CHECK_INT(sstp_pool_release(p, ip("203.0.113.0")), 0);
	CHECK_ALLOC(p, "203.0.113.0");
	sstp_pool_free(p);
}

/* 130 addresses: three bitmap words, the last one mostly unused. */
static void test_word_boundaries(void)
{
	struct sstp_pool *p = pool("198.51.100.0/25, 198.51.101.0/31");
	struct in_addr a;
	unsigned int i;

	if (!p)
		return;
	CHECK_INT(sstp_pool_size(p), 130);
	for (i = 0; i < 130; i++)
		CHECK_INT(sstp_pool_alloc(p, &a), 0);
	CHECK_INT(host(a), host(ip("198.51.101.1")));
	CHECK_INT(sstp_pool_alloc(p, &a), -ENOSPC);
	CHECK_INT(sstp_pool_release(p, ip("198.51.100.64")), 0);
	CHECK_INT(sstp_pool_release(p, ip("198.51.101.1")), 0);
	CHECK_INT(sstp_pool_release(p, ip("198.51.100.0")), 0);
	CHECK_INT(sstp_pool_release(p, ip("198.51.100.63")), 0);
	/* The last allocation was the last address: start over at 0. */
	CHECK_ALLOC(p, "198.51.100.0");
	CHECK_ALLOC(p, "198.51.100.63");
	CHECK_ALLOC(p, "198.51.100.64");
	CHECK_ALLOC(p, "198.51.101.1");
	CHECK_INT(sstp_pool_alloc(p, &a), -ENOSPC);
	sstp_pool_free(p);
}

static void test_reserve(void)
{
	struct sstp_pool *p = pool("198.51.100.1-198.51.100.4");
	struct in_addr a;

	if (!p)
		return;
	CHECK_INT(sstp_pool_reserve(p, ip("198.51.100.2")), 0);
	CHECK(sstp_pool_in_use(p, ip("198.51.100.2")));
	CHECK_INT(sstp_pool_used(p), 1);
	/* Reserved twice: the second user must not get it. */
	CHECK_INT(sstp_pool_reserve(p, ip("198.51.100.2")), -EADDRINUSE);
	CHECK_INT(sstp_pool_used(p), 1);
	/* Outside the pool: the caller should just use it unpooled. */
	CHECK_INT(sstp_pool_reserve(p, ip("198.51.100.5")), -EADDRNOTAVAIL);
	CHECK_INT(sstp_pool_reserve(p, ip("10.9.9.9")), -EADDRNOTAVAIL);
	CHECK(!sstp_pool_in_use(p, ip("10.9.9.9")));

	/* Allocation steps over the reservation. */
	CHECK_ALLOC(p, "198.51.100.1");
	CHECK_ALLOC(p, "198.51.100.3");
	/* Reserving what was allocated fails. */
	CHECK_INT(sstp_pool_reserve(p, ip("198.51.100.3")), -EADDRINUSE);
	/* Reserving does not move the round-robin position: .4 is next. */
	CHECK_INT(sstp_pool_release(p, ip("198.51.100.1")), 0);
	CHECK_INT(sstp_pool_reserve(p, ip("198.51.100.1")), 0);
	CHECK_ALLOC(p, "198.51.100.4");
	CHECK_INT(sstp_pool_alloc(p, &a), -ENOSPC);
	/* A released reservation goes back into circulation. */
	CHECK_INT(sstp_pool_release(p, ip("198.51.100.2")), 0);
	CHECK_ALLOC(p, "198.51.100.2");
	CHECK_INT(sstp_pool_used(p), 4);
	sstp_pool_free(p);
}

static void test_overlaps(void)
{
	struct sstp_pool *a = pool("198.51.100.10-198.51.100.20, 203.0.113.0/28");
	struct sstp_pool *b = pool("198.51.100.30-198.51.100.40, 203.0.113.8");
	struct sstp_pool *c = pool("198.51.100.21-198.51.100.29");
	struct in_addr at;

	if (a && b && c) {
		CHECK(sstp_pool_overlaps(a, b, &at));
		CHECK(at.s_addr == ip("203.0.113.8").s_addr);
		CHECK(sstp_pool_overlaps(b, a, &at));
		/* Touching ends are not an overlap. */
		CHECK(!sstp_pool_overlaps(a, c, &at));
		CHECK(!sstp_pool_overlaps(c, b, &at));
	}
	sstp_pool_free(a);
	sstp_pool_free(b);
	sstp_pool_free(c);
}

static void test_double_release(void)
{
	struct sstp_pool *p = pool("198.51.100.1-198.51.100.4");

	if (!p)
		return;
	CHECK_INT(sstp_pool_release(p, ip("198.51.100.1")), -EALREADY);
	CHECK_INT(sstp_pool_used(p), 0);
	CHECK_ALLOC(p, "198.51.100.1");
	CHECK_ALLOC(p, "198.51.100.2");
	CHECK_INT(sstp_pool_release(p, ip("198.51.100.1")), 0);
	CHECK_INT(sstp_pool_release(p, ip("198.51.100.1")), -EALREADY);
	CHECK_INT(sstp_pool_used(p), 1);
	CHECK(sstp_pool_in_use(p, ip("198.51.100.2")));
	CHECK_INT(sstp_pool_release(p, ip("198.51.100.9")), -EADDRNOTAVAIL);
	CHECK_INT(sstp_pool_used(p), 1);
	sstp_pool_free(p);
}

static void test_null_args(void)
{
	struct sstp_pool *p = pool("198.51.100.1");
	struct in_addr a;

	CHECK_INT(sstp_pool_alloc(NULL, &a), -EINVAL);
	CHECK_INT(sstp_pool_alloc(p, NULL), -EINVAL);
	CHECK_INT(sstp_pool_reserve(NULL, ip("198.51.100.1")), -EINVAL);
	CHECK_INT(sstp_pool_release(NULL, ip("198.51.100.1")), -EINVAL);
	CHECK(!sstp_pool_in_use(NULL, ip("198.51.100.1")));
	CHECK_INT(sstp_pool_size(NULL), 0);
	CHECK_INT(sstp_pool_used(NULL), 0);
	sstp_pool_free(p);
}

/* A whole /16: every address once, then exactly the released ones. */
static void test_slash16(void)
{
	static uint8_t seen[65536];
	struct sstp_pool *p = pool("10.1.0.0/16");
	uint32_t h, dup = 0, outside = 0, i;
	struct in_addr a;
	unsigned int back = 0;

	if (!p)
		return;
	CHECK_INT(sstp_pool_size(p), 65536);
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < 65536; i++) {
		if (sstp_pool_alloc(p, &a)) {
			CHECK_MSG(0, "alloc %u failed", i);
			break;
		}
		h = host(a);
		if ((h & 0xffff0000) != 0x0a010000)
			outside++;
		else if (seen[h & 0xffff]++)
			dup++;
	}
	CHECK_INT(dup, 0);
	CHECK_INT(outside, 0);
	CHECK_INT(sstp_pool_used(p), 65536);
	CHECK_INT(sstp_pool_alloc(p, &a), -ENOSPC);

	/* Release 300 scattered addresses (seen[] marks them 2). */
	for (i = 0; i < 300; i++) {
		h = rng() & 0xffff;
		if (seen[h] != 1)
			continue;
		a.s_addr = htonl(0x0a010000 | h);
		CHECK_INT(sstp_pool_release(p, a), 0);
		seen[h] = 2;
		back++;
	}
	CHECK_INT(sstp_pool_used(p), 65536 - back);
	for (i = 0; i < back; i++) {
		if (sstp_pool_alloc(p, &a)) {
			CHECK_MSG(0, "realloc %u failed", i);
			break;
		}
		h = host(a) & 0xffff;
		CHECK_MSG(seen[h] == 2, "got %u, not a released one", h);
		seen[h] = 1;
	}
	CHECK_INT(sstp_pool_alloc(p, &a), -ENOSPC);
	sstp_pool_free(p);
}

/*
 * Random allocs, reserves and releases against a model that knows which
 * addresses are taken and which one round-robin must hand out next.
 */
static void test_random_model(void)
{
	static const char spec[] = "198.51.100.10-198.51.100.99, "
				   "203.0.113.0/26, 192.0.2.200-192.0.2.244";
	enum { N = 90 + 64 + 45 };
	static uint32_t addr_of[N];
	static bool taken[N];
	struct sstp_pool *p = pool(spec);
	uint32_t next = 0, used = 0, k, i, errors = 0;
	struct in_addr a;
	int r, want;

	if (!p)
		return;
	for (i = 0; i < 90; i++)
		addr_of[i] = host(ip("198.51.100.10")) + i;
	for (i = 0; i < 64; i++)
		addr_of[90 + i] = host(ip("203.0.113.0")) + i;
	for (i = 0; i < 45; i++)
		addr_of[154 + i] = host(ip("192.0.2.200")) + i;
	CHECK_INT(sstp_pool_size(p), N);

	for (i = 0; i < 20000 && errors < 5; i++) {
		k = rng() % N;
		a.s_addr = htonl(addr_of[k]);
		switch (rng() % 4) {
		case 0:
		case 1:		/* alloc: the first free at or after next */
			r = sstp_pool_alloc(p, &a);
			if (used == N) {
				if (r != -ENOSPC)
					errors++;
				break;
			}
			while (taken[next])
				next = (next + 1) % N;
			if (r || host(a) != addr_of[next])
				errors++;
			taken[next] = true;
			used++;
			next = (next + 1) % N;
			break;
		case 2:
			r = sstp_pool_release(p, a);
			want = taken[k] ? 0 : -EALREADY;
			if (r != want)
				errors++;
			if (taken[k])
				used--;
			taken[k] = false;
			break;
		case 3:
			r = sstp_pool_reserve(p, a);
			want = taken[k] ? -EADDRINUSE : 0;
			if (r != want)
				errors++;
			if (!taken[k])
				used++;
			taken[k] = true;
			break;
		}
		if (sstp_pool_used(p) != used)
			errors++;
	}
	CHECK_MSG(errors == 0, "%u disagreements with the model by step %u",
		  errors, i);
	for (k = 0; k < N; k++) {
		a.s_addr = htonl(addr_of[k]);
		if (sstp_pool_in_use(p, a) != taken[k])
			errors++;
	}
	CHECK_INT(errors, 0);
	sstp_pool_free(p);
}

static const struct unit_test tests[] = {
	UNIT_TEST(test_parse_good),
	UNIT_TEST(test_parse_bad),
	UNIT_TEST(test_parse_limits),
	UNIT_TEST(test_alloc_until_exhausted),
	UNIT_TEST(test_round_robin_order),
	UNIT_TEST(test_multi_range_order),
	UNIT_TEST(test_word_boundaries),
	UNIT_TEST(test_reserve),
	UNIT_TEST(test_overlaps),
	UNIT_TEST(test_double_release),
	UNIT_TEST(test_null_args),
	UNIT_TEST(test_slash16),
	UNIT_TEST(test_random_model),
};

int main(void)
{
	return unit_run(tests, ARRAY_SIZE(tests));
}
