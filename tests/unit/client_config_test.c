// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests for userspace/client-config.c: the client's settings. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client/client-config.h"
#include "unit.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Write @text to a new temporary file; its path in @path. */
static void temp_file(char *path, size_t size, const char *text)
{
	FILE *f;
	int fd;

	snprintf(path, size, "/tmp/sstp-client-config-XXXXXX");
	fd = mkstemp(path);
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	CHECK(f != NULL);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void test_defaults(void)
{
	struct sstp_client_config c;
	char err[256];

	sstp_client_config_init(&c);
	CHECK_INT(c.port, 443);
	CHECK(c.verify_server_certificate && c.verify_server_address);
	CHECK_INT(c.link.keepalive_timeout, 60);
	CHECK_INT(c.link.max_mtu, 1500);
	CHECK_INT(c.link.mrru, 0);
	CHECK_INT(c.link.authentication, 15);
	CHECK(c.link.ipv6);
	/* Nothing given: the first thing missing is named. */
	CHECK_INT(sstp_client_config_check(&c, err, sizeof(err)), -1);
	CHECK(strstr(err, "no server") != NULL);
}

static void test_file_with_mikrotik_names(void)
{
	struct sstp_client_config c;
	char path[64], pw[64], text[512], err[256];

	temp_file(pw, sizeof(pw), "open sesame\nignored second line\n");
	snprintf(text, sizeof(text),
		 "[client]\n"
		 "connect-to = vpn.example\n"
		 "port = 8443\n"
		 "user = alice\n"
		 "password-file = %s\n"
		 "authentication = mschap2, pap\n"
		 "tls-version = only-1.3\n"
		 "pfs = no\n"
		 "ipv6 = no\n"
		 "verify-server-certificate = no\n"
		 "keepalive-timeout = 2m\n"
		 "max-mtu = 1400\n"
		 "mrru = 1600\n"
		 "name = sstp-out1\n"
		 "add-default-route = yes\n"
		 "save-server-route = yes\n"
		 "http-proxy = http://bob:s3cret@[2001:db8::8]:3128\n", pw);
	temp_file(path, sizeof(path), text);
	sstp_client_config_init(&c);
	CHECK_INT(sstp_client_config_load(&c, path, err, sizeof(err)), 0);
	CHECK_INT(sstp_client_config_check(&c, err, sizeof(err)), 0);
	CHECK(!strcmp(c.connect_to, "vpn.example") && c.port == 8443);
	CHECK(!strcmp(c.password, "open sesame") && c.have_password);
	CHECK_INT(c.link.authentication, 9);	/* pap | mschap2 */
	CHECK_INT(c.link.tls_version, SSTP_TLS_ONLY_13);
	CHECK_INT(c.link.pfs, SSTP_PFS_NO);
	CHECK(!c.link.ipv6);
	CHECK(!c.verify_server_certificate);
	CHECK_INT(c.link.keepalive_timeout, 120);
	CHECK_INT(c.link.max_mtu, 1400);
	CHECK_INT(c.link.mrru, 1600);
	CHECK(!strcmp(c.name, "sstp-out1") && c.add_default_route);
	CHECK(c.save_server_route);
	CHECK(!strcmp(c.proxy_host, "2001:db8::8") && c.proxy_port == 3128);
	CHECK(!strcmp(c.proxy_user, "bob") && !strcmp(c.proxy_password, "s3cret"));
	/* A flag over the file. */
	CHECK_INT(sstp_client_config_set(&c, "max-mtu", "1300", err, sizeof(err)), 0);
	CHECK_INT(c.link.max_mtu, 1300);
	/* RouterOS's word for none. */
	CHECK_INT(sstp_client_config_set(&c, "mrru", "disabled", err, sizeof(err)), 0);
	CHECK_INT(c.link.mrru, 0);
	sstp_client_config_wipe(&c);
	CHECK(!c.password[0] && !c.have_password && !c.proxy_password[0]);
	unlink(path);
	unlink(pw);
}

static void test_file_errors(void)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "[server]\nport = 1\n", "unknown section [server]" },
		{ "user = alice\n", "before the [client] section" },
		{ "[client]\ncert-warn = yes\n", "verify-server-certificate = no" },
		{ "[client]\ncolour = blue\n", "unknown option 'colour'" },
		{ "[client]\nport = 0\n", "from 1 to 65535" },
		{ "[client]\nmrru = 1400\n", "from 1500 to 16384" },
		{ "[client]\nmrru = 65535\n", "from 1500 to 16384" },
		{ "[client]\nauthentication = eap\n", "eap" },
		{ "[client]\nhttp-proxy = nowhere\n", "HOST:PORT" },
		{ "[client]\npassword-file = /nonexistent/pw\n", "/nonexistent/pw" },
	};
	struct sstp_client_config c;
	char path[64], err[256];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		temp_file(path, sizeof(path), cases[i].text);
		sstp_client_config_init(&c);
		err[0] = '\0';
		CHECK_MSG(sstp_client_config_load(&c, path, err, sizeof(err)) == -1,
			  "accepted: %s", cases[i].text);
		CHECK_MSG(strstr(err, cases[i].want) != NULL, "'%s' lacks '%s'",
			  err, cases[i].want);
		unlink(path);
	}
}

static void test_flags(void)
{
	struct sstp_client_config c;
	char err[256];

	CHECK_INT(sstp_client_flag_arity("cert-warn"), 0);
	CHECK_INT(sstp_client_flag_arity("ca-cert"), 1);
	CHECK_INT(sstp_client_flag_arity("password-file"), 1);
	CHECK_INT(sstp_client_flag_arity("proxy"), 1);
	CHECK_INT(sstp_client_flag_arity("nonsense"), -1);
	CHECK_INT(sstp_client_flag_arity("save-server-route"), 0);
	CHECK_INT(sstp_client_flag_arity("tls-ext"), 0);
	CHECK_INT(sstp_client_flag_arity("uuid"), 1);
	sstp_client_config_init(&c);
	CHECK_INT(sstp_client_config_set(&c, "cert-warn", NULL, err, sizeof(err)), 0);
	CHECK(!c.verify_server_certificate);
	CHECK_INT(sstp_client_config_set(&c, "ca-cert", "/etc/ca.pem", err, sizeof(err)), 0);
	CHECK(!strcmp(c.ca, "/etc/ca.pem"));
	CHECK_INT(sstp_client_config_set(&c, "save-server-route", NULL, err,
					 sizeof(err)), 0);
	CHECK(c.save_server_route);
	CHECK_INT(sstp_client_config_set(&c, "uuid", "{12345678-ABCD}", err,
					 sizeof(err)), 0);
	CHECK(!strcmp(c.correlation_id, "{12345678-ABCD}"));
	CHECK_INT(sstp_client_config_set(&c, "uuid", "two words", err,
					 sizeof(err)), -1);
	CHECK_INT(sstp_client_config_set(&c, "user", NULL, err, sizeof(err)), -1);
	CHECK(strstr(err, "needs a value") != NULL);
	/* Complete, but a key without its certificate. */
	sstp_client_config_set(&c, "server", "192.0.2.1", err, sizeof(err));
	sstp_client_config_set(&c, "user", "alice", err, sizeof(err));
	sstp_client_config_set(&c, "password", "pw", err, sizeof(err));
	CHECK_INT(sstp_client_config_check(&c, err, sizeof(err)), 0);
	sstp_client_config_set(&c, "private-key", "/k.pem", err, sizeof(err));
	CHECK_INT(sstp_client_config_check(&c, err, sizeof(err)), -1);
	CHECK(strstr(err, "private-key without certificate") != NULL);
	/* anonymous-dh: no certificate of ours, and not TLS 1.3 alone. */
	sstp_client_config_set(&c, "certificate", "/c.pem", err, sizeof(err));
	CHECK_INT(sstp_client_config_check(&c, err, sizeof(err)), 0);
	CHECK_INT(sstp_client_config_set(&c, "anonymous-dh", "yes", err,
					 sizeof(err)), 0);
	CHECK_INT(sstp_client_config_check(&c, err, sizeof(err)), -1);
	CHECK(strstr(err, "uses no certificate") != NULL);
	c.certificate[0] = c.private_key[0] = '\0';
	CHECK_INT(sstp_client_config_check(&c, err, sizeof(err)), 0);
	sstp_client_config_set(&c, "tls-version", "only-1.3", err, sizeof(err));
	CHECK_INT(sstp_client_config_check(&c, err, sizeof(err)), -1);
	CHECK(strstr(err, "TLS 1.3 has no anonymous") != NULL);
	sstp_client_config_set(&c, "anonymous-dh", "no", err, sizeof(err));
	/* dial-on-demand redials by itself: not with reconnect. */
	CHECK_INT(sstp_client_config_set(&c, "dial-on-demand", "yes", err,
					 sizeof(err)), 0);
	CHECK_INT(sstp_client_config_set(&c, "idle-timeout", "5m", err,
					 sizeof(err)), 0);
	CHECK(c.dial_on_demand && c.idle_timeout == 300);
	CHECK_INT(sstp_client_config_check(&c, err, sizeof(err)), 0);
	sstp_client_config_set(&c, "reconnect", "yes", err, sizeof(err));
	CHECK_INT(sstp_client_config_check(&c, err, sizeof(err)), -1);
	CHECK(strstr(err, "choose one") != NULL);
	sstp_client_config_set(&c, "reconnect", "no", err, sizeof(err));
	/* datapath: auto by default; the user path, not with demand. */
	CHECK_INT(c.link.datapath, SSTP_DATAPATH_AUTO);
	CHECK_INT(sstp_client_config_set(&c, "datapath", "pty", err,
					 sizeof(err)), -1);
	CHECK(strstr(err, "'pty' is not one of: auto, kernel, user") != NULL);
	CHECK_INT(sstp_client_config_set(&c, "datapath", "user", err,
					 sizeof(err)), 0);
	CHECK_INT(c.link.datapath, SSTP_DATAPATH_USER);
	CHECK_INT(sstp_client_config_check(&c, err, sizeof(err)), -1);
	CHECK(strstr(err, "dial-on-demand needs datapath = kernel") != NULL);
	sstp_client_config_set(&c, "dial-on-demand", "no", err, sizeof(err));
	CHECK_INT(sstp_client_config_check(&c, err, sizeof(err)), 0);
	sstp_client_config_wipe(&c);
}

static void test_proxy_forms(void)
{
	struct sstp_client_config c;
	char err[256];

	sstp_client_config_init(&c);
	CHECK_INT(sstp_client_config_set(&c, "http-proxy", "proxy.example:8080",
					 err, sizeof(err)), 0);
	CHECK(!strcmp(c.proxy_host, "proxy.example") && c.proxy_port == 8080);
	CHECK(!c.proxy_user[0]);
	CHECK_INT(sstp_client_config_set(&c, "proxy", "http://u@198.51.100.9:3128",
					 err, sizeof(err)), 0);
	CHECK(!strcmp(c.proxy_user, "u") && !c.proxy_password[0]);
	CHECK(!strcmp(c.proxy_host, "198.51.100.9"));
	CHECK_INT(sstp_client_config_set(&c, "proxy", "[2001:db8::1]", err,
					 sizeof(err)), -1);
	CHECK_INT(sstp_client_config_set(&c, "proxy", "host:99999", err,
					 sizeof(err)), -1);
	sstp_client_config_wipe(&c);
}

static const struct unit_test tests[] = {
	UNIT_TEST(test_defaults),
	UNIT_TEST(test_file_with_mikrotik_names),
	UNIT_TEST(test_file_errors),
	UNIT_TEST(test_flags),
	UNIT_TEST(test_proxy_forms),
};

int main(void)
{
	return unit_run(tests, ARRAY_SIZE(tests));
}
