// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests for userspace/status-record.c: the status socket's lines. */

#include <inttypes.h>
#include <stdint.h>
#include <string.h>

#include "datapath/genl.h"
#include "common/status-record.h"
#include "unit.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static struct sstp_status_rec full(void)
{
	struct sstp_status_rec r = {
		.id = 4294967295u,
		.uptime = 86400,
		.rx_packets = 1, .rx_bytes = UINT64_MAX,
		.tx_packets = 12345678901234ull, .tx_bytes = 0,
	};

	strcpy(r.role, "server");
	strcpy(r.state, "up");
	strcpy(r.user, "alice smith");	/* a space is fine in a field */
	strcpy(r.peer, "[2001:db8::7]:50123");
	strcpy(r.ifname, "ppp12");
	strcpy(r.local, "198.51.100.1");
	strcpy(r.remote, "198.51.100.10");
	strcpy(r.tls, "TLSv1.3");
	strcpy(r.cipher, "TLS_AES_256_GCM_SHA384");
	strcpy(r.datapath, "user");
	return r;
}

static void test_roundtrip(void)
{
	struct sstp_status_rec in = full(), out;
	char line[SSTP_STATUS_LINE_MAX];
	int n = sstp_status_format(&in, line, sizeof(line));

	CHECK(n > 0 && line[n - 1] == '\n');
	line[n - 1] = '\0';
	CHECK_INT(sstp_status_parse(line, &out), 0);
	CHECK_INT(out.id, in.id);
	CHECK(!strcmp(out.user, "alice smith"));
	CHECK(!strcmp(out.peer, in.peer) && !strcmp(out.cipher, in.cipher));
	CHECK(out.rx_bytes == UINT64_MAX && out.tx_packets == in.tx_packets);
	CHECK(out.uptime == 86400 && out.tx_bytes == 0);
	CHECK(!strcmp(out.datapath, "user"));
}

/* Empty fields travel as "-" and come back empty. */
static void test_empty_fields(void)
{
	struct sstp_status_rec in = { .id = 1 }, out;
	char line[SSTP_STATUS_LINE_MAX];

	strcpy(in.state, "tls");
	strcpy(in.peer, "192.0.2.2:1");
	CHECK(sstp_status_format(&in, line, sizeof(line)) > 0);
	CHECK(!strncmp(line, "1\t-\ttls\t-\t192.0.2.2:1\t-\t-\t-\t-\t-\t0\t", 33));
	line[strlen(line) - 1] = '\0';
	CHECK_INT(sstp_status_parse(line, &out), 0);
	CHECK(!out.user[0] && !out.ifname[0] && !strcmp(out.state, "tls"));
}

/* A name with a tab or newline cannot break the line into fields. */
static void test_control_characters(void)
{
	struct sstp_status_rec in = full(), out;
	char line[SSTP_STATUS_LINE_MAX];

	strcpy(in.user, "ev\til\nname\x1b");
	CHECK(sstp_status_format(&in, line, sizeof(line)) > 0);
	CHECK(strchr(line, '\n') == line + strlen(line) - 1);
	line[strlen(line) - 1] = '\0';
	CHECK_INT(sstp_status_parse(line, &out), 0);
	CHECK(!strcmp(out.user, "ev?il?name?"));
}

/* The four counters status shows, each from its own kernel attribute. */
static void test_counters(void)
{
	struct sstp_tunnel_info info = { .id = 1 };
	struct sstp_status_rec r = { .id = 1 };
	int i;

	for (i = 0; i < __SSTP_STATS_A_MAX; i++)
		info.stats[i] = 1000 + (uint64_t)i;
	sstp_tunnel_info_counters(&info, &r);
	CHECK(r.rx_packets == 1000 + SSTP_STATS_A_RX_PACKETS);
	CHECK(r.rx_bytes == 1000 + SSTP_STATS_A_RX_BYTES);
	CHECK(r.tx_packets == 1000 + SSTP_STATS_A_TX_PACKETS);
	CHECK(r.tx_bytes == 1000 + SSTP_STATS_A_TX_BYTES);
}

static void test_format_too_small(void)
{
	struct sstp_status_rec in = full();
	char line[40];

	CHECK_INT(sstp_status_format(&in, line, sizeof(line)), -1);
}

static void test_parse_rejects(void)
{
	static const char *const bad[] = {
		"",
		"1\tserver\tup",					/* too few */
		"1\ts\tup\tu\tp\ti\tl\tr\tt\tc\t0\t0\t0\t0\t0\t9\tkernel",	/* too many */
		"x\ts\tup\tu\tp\ti\tl\tr\tt\tc\t0\t0\t0\t0\t0\tkernel",	/* id */
		"4294967296\ts\tup\tu\tp\ti\tl\tr\tt\tc\t0\t0\t0\t0\t0\tkernel",
		"1\ts\tup\tu\tp\ti\tl\tr\tt\tc\t-1\t0\t0\t0\t0\tkernel",	/* negative */
		"1\ts\tup\tu\tp\ti\tl\tr\tt\tc\t0\t0\t0\t0\t1x\tkernel",	/* junk */
		"1\ts\tup\tu\tp\ti\tl\tr\tt\tc\t0\t0\t0\t0\t99999999999999999999\tkernel",
		"1\ts\tthis-state-is-far-too-long\tu\tp\ti\tl\tr\tt\tc\t0\t0\t0\t0\t0\tkernel",
		"1\ta-too-long-role\tup\tu\tp\ti\tl\tr\tt\tc\t0\t0\t0\t0\t0\tkernel",
		"1\ts\tup\tu\tp\ti\tl\tr\tt\tc\t0\t0\t0\t0\t0\tfar-too-long",	/* path */
	};
	struct sstp_status_rec out;
	char line[256];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		snprintf(line, sizeof(line), "%s", bad[i]);
		CHECK_MSG(sstp_status_parse(line, &out) == -1, "accepted '%s'", bad[i]);
	}
}

static const struct unit_test tests[] = {
	UNIT_TEST(test_roundtrip),
	UNIT_TEST(test_empty_fields),
	UNIT_TEST(test_control_characters),
	UNIT_TEST(test_counters),
	UNIT_TEST(test_format_too_small),
	UNIT_TEST(test_parse_rejects),
};

int main(void)
{
	return unit_run(tests, ARRAY_SIZE(tests));
}
