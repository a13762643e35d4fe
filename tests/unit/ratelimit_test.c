// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests for userspace/ratelimit.c. */

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "server/ratelimit.h"
#include "unit.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static struct sockaddr_storage addr(const char *text)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *a4 = (void *)&ss;
	struct sockaddr_in6 *a6 = (void *)&ss;

	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, text, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
	} else {
		a6->sin6_family = AF_INET6;
		inet_pton(AF_INET6, text, &a6->sin6_addr);
	}
	return ss;
}

/* Try @n connections from @who at @now; how many were allowed. */
static int allowed(struct sstp_ratelimit *rl, const char *who, int n,
		   long long now)
{
	struct sockaddr_storage ss = addr(who);
	int ok = 0;

	while (n--)
		ok += sstp_ratelimit_allow(rl, &ss, now);
	return ok;
}

static void test_burst_then_refill(void)
{
	struct sstp_ratelimit *rl = sstp_ratelimit_new(3, 3000);

	CHECK(rl != NULL);
	CHECK_INT(allowed(rl, "192.0.2.7", 5, 1000), 3);
	/* One token a second. */
	CHECK_INT(allowed(rl, "192.0.2.7", 2, 1999), 0);
	CHECK_INT(allowed(rl, "192.0.2.7", 2, 2001), 1);
	/* Long quiet: a full burst again, never more. */
	CHECK_INT(allowed(rl, "192.0.2.7", 9, 100000), 3);
	sstp_ratelimit_free(rl);
}

static void test_addresses_apart(void)
{
	struct sstp_ratelimit *rl = sstp_ratelimit_new(2, 60000);

	CHECK_INT(allowed(rl, "192.0.2.7", 3, 1000), 2);
	CHECK_INT(allowed(rl, "192.0.2.8", 3, 1000), 2);
	/* The mapped form is the same client. */
	CHECK_INT(allowed(rl, "::ffff:192.0.2.8", 1, 1000), 0);
	/* IPv6 counts per /64. */
	CHECK_INT(allowed(rl, "2001:db8:0:1::1", 1, 1000), 1);
	CHECK_INT(allowed(rl, "2001:db8:0:1::2", 2, 1000), 1);
	CHECK_INT(allowed(rl, "2001:db8:0:2::1", 2, 1000), 2);
	sstp_ratelimit_free(rl);
}

/* A flood of addresses neither grows the table nor locks out newcomers. */
static void test_many_addresses(void)
{
	struct sstp_ratelimit *rl = sstp_ratelimit_new(1, 60000);
	struct sockaddr_storage ss = addr("198.51.100.0");
	struct sockaddr_in *a4 = (void *)&ss;
	unsigned int i, ok = 0;

	for (i = 0; i < 100000; i++) {
		a4->sin_addr.s_addr = htonl(0x0a000000u + i);
		ok += sstp_ratelimit_allow(rl, &ss, 1000 + i);
	}
	CHECK_INT(ok, 100000);
	CHECK_INT(allowed(rl, "203.0.113.9", 2, 200000), 1);
	sstp_ratelimit_free(rl);
}

static void test_other_families_and_bad_config(void)
{
	struct sstp_ratelimit *rl = sstp_ratelimit_new(1, 1000);
	struct sockaddr_storage ss = { .ss_family = AF_UNIX };

	CHECK(sstp_ratelimit_allow(rl, &ss, 1) && sstp_ratelimit_allow(rl, &ss, 1));
	CHECK(sstp_ratelimit_new(0, 1000) == NULL);
	CHECK(sstp_ratelimit_new(5, 0) == NULL);
	sstp_ratelimit_free(rl);
}

static const struct unit_test tests[] = {
	UNIT_TEST(test_burst_then_refill),
	UNIT_TEST(test_addresses_apart),
	UNIT_TEST(test_many_addresses),
	UNIT_TEST(test_other_families_and_bad_config),
};

int main(void)
{
	return unit_run(tests, ARRAY_SIZE(tests));
}
