// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ctl_msg_test.c - unit tests of the helper's reading of the plugin's
 * messages (userspace/ctl-msg.c): each verb the server and the client
 * act on, and malformed ones, which must come out as "other".
 */
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ppp/ctl-msg.h"
#include "unit.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Send @text over a fresh socketpair and read it back as the helper does. */
static int read_text(const char *text, struct sstp_ctl_msg *m)
{
	int sv[2], rc;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv))
		return -2;
	if (send(sv[1], text, strlen(text), 0) < 0)
		rc = -2;
	else
		rc = sstp_ctl_read(sv[0], m);
	close(sv[0]);
	close(sv[1]);
	return rc;
}

static void test_server_verbs(void)
{
	struct sstp_ctl_msg m;

	/* "erin" in hex */
	CHECK_INT(read_text("given 6572696e 198.51.100.10", &m), 1);
	CHECK_INT(m.kind, SSTP_CTL_GIVEN_MSG);
	CHECK(!strcmp(m.user, "erin") && !strcmp(m.remote, "198.51.100.10"));
	CHECK_INT(read_text("address 6572696e", &m), 1);
	CHECK_INT(m.kind, SSTP_CTL_ADDRESS_REQ);
	CHECK(!strcmp(m.user, "erin"));
	CHECK_INT(read_text("ip-up ppp3 198.51.100.1 198.51.100.10", &m), 1);
	CHECK_INT(m.kind, SSTP_CTL_IP_UP_MSG);
	CHECK(!strcmp(m.ifname, "ppp3") && !strcmp(m.local, "198.51.100.1") &&
	      !strcmp(m.remote, "198.51.100.10"));
	CHECK_INT(read_text("auth 6572696e mschap2", &m), 1);
	CHECK_INT(m.kind, SSTP_CTL_AUTH_UP);
	CHECK(!strcmp(m.method, "mschap2"));
	CHECK_INT(read_text("keys 000102030405060708090a0b0c0d0e0f "
			    "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff", &m), 1);
	CHECK_INT(m.kind, SSTP_CTL_KEYS_UP);
	CHECK(!m.keys_none && m.send_key[15] == 0x0f && m.recv_key[0] == 0xf0);
	CHECK_INT(read_text("keys - -", &m), 1);
	CHECK(m.kind == SSTP_CTL_KEYS_UP && m.keys_none);
}

static void test_malformed(void)
{
	static const char *const bad[] = {
		"given 6572696e",		/* no address */
		"given zz 198.51.100.10",	/* user not hex */
		"address",
		"ip-up ppp0 198.51.100.1",
		"frobnicate",
	};
	struct sstp_ctl_msg m;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		CHECK_INT(read_text(bad[i], &m), 1);
		CHECK_MSG(m.kind == SSTP_CTL_OTHER, "'%s' was understood", bad[i]);
	}
	/* Keys of the wrong length are no keys. */
	CHECK_INT(read_text("keys 0001 0203", &m), 1);
	CHECK(m.kind == SSTP_CTL_KEYS_UP && m.keys_none);
}

static const struct unit_test tests[] = {
	UNIT_TEST(test_server_verbs),
	UNIT_TEST(test_malformed),
};

int main(void)
{
	return unit_run(tests, ARRAY_SIZE(tests));
}
