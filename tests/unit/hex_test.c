// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests for userspace/hex.c and the plugin-ctl message format. */

#include <stdint.h>
#include <string.h>

#include "common/hex.h"
#include "ppp/plugin-ctl.h"
#include "unit.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static void test_decode(void)
{
	uint8_t out[4];

	CHECK_INT(sstp_hex_decode("", out, sizeof(out)), 0);
	CHECK_INT(sstp_hex_decode("00fFa9", out, sizeof(out)), 3);
	CHECK_MEM(out, "\x00\xff\xa9", 3);
	CHECK_INT(sstp_hex_decode("0", out, sizeof(out)), -1);
	CHECK_INT(sstp_hex_decode("0g", out, sizeof(out)), -1);
	CHECK_INT(sstp_hex_decode(" 00", out, sizeof(out)), -1);
	CHECK_INT(sstp_hex_decode("0102030405", out, sizeof(out)), -1);
	CHECK_INT(sstp_hex_digit('F'), 15);
	CHECK_INT(sstp_hex_digit('/'), -1);
}

static void test_roundtrip(void)
{
	uint8_t in[256], back[256];
	char hex[513];
	int i;

	for (i = 0; i < 256; i++)
		in[i] = (uint8_t)i;
	sstp_hex_encode(in, sizeof(in), hex);
	CHECK_INT(strlen(hex), 512);
	CHECK(!strncmp(hex, "000102", 6) && !strcmp(hex + 506, "fdfeff"));
	CHECK_INT(sstp_hex_decode(hex, back, sizeof(back)), 256);
	CHECK_MEM(back, in, sizeof(in));
}

static void test_ctl_format(void)
{
	char buf[32];

	CHECK_INT(sstp_ctl_format(buf, sizeof(buf), "no-secret", NULL, 0), 9);
	CHECK(!strcmp(buf, "no-secret"));
	CHECK_INT(sstp_ctl_format(buf, sizeof(buf), "secret", "", 0), 8);
	CHECK(!strcmp(buf, "secret -"));
	CHECK_INT(sstp_ctl_format(buf, sizeof(buf), "secret", "a b", 3), 13);
	CHECK(!strcmp(buf, "secret 612062"));
	/* "secret " + 2 * 12 hex digits + NUL = 32 bytes: fits exactly. */
	CHECK_INT(sstp_ctl_format(buf, sizeof(buf), "secret", "123456789012", 12), 31);
	CHECK_INT(sstp_ctl_format(buf, sizeof(buf), "secret", "1234567890123", 13), -1);
	CHECK_INT(sstp_ctl_format(buf, 7, "secret", NULL, 0), 6);
	CHECK_INT(sstp_ctl_format(buf, 6, "secret", NULL, 0), -1);
}

static const struct unit_test tests[] = {
	UNIT_TEST(test_decode),
	UNIT_TEST(test_roundtrip),
	UNIT_TEST(test_ctl_format),
};

int main(void)
{
	return unit_run(tests, ARRAY_SIZE(tests));
}
