// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests for userspace/server-config.c: the server's settings. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "server/server-config.h"
#include "unit.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Load @text as a config file; 0 or -1 with @err. */
static int load(const char *text, struct sstp_server_config *c, char *err,
		size_t errlen)
{
	char path[] = "/tmp/sstp-server-config-XXXXXX";
	int fd = mkstemp(path), rc;
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;

	CHECK(f != NULL);
	if (!f)
		return -1;
	fputs(text, f);
	fclose(f);
	rc = sstp_server_config_load(c, path, err, errlen);
	unlink(path);
	return rc;
}

/* 20 bytes in hex, as cert-hash-sha1 takes them. */
#define SHA1_HEX "00112233445566778899AABBCCDDEEFF00112233"
#define SHA256_HEX "5E:" \
	"00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:" \
	"00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE"

static void test_full(void)
{
	const struct sstp_profile *p;
	struct sstp_server_config c;
	char err[256];

	CHECK_INT(load("[server]\n"
		       "certificate = /etc/sstp/server.pem\n"
		       "tls-version = only-1.2\n"
		       "pfs = yes\n"
		       "authentication = mschap2\n"
		       "keepalive-timeout = 30\n"
		       "connection-rate-limit = 10/1m\n"
		       "proxy-protocol = yes\n"
		       "http-error = https://www.example.com/help\n"
		       "status-socket = /run/sstp/a.sock\n"
		       "[profile default]\n"
		       "local-address = 198.51.100.1\n"
		       "remote-address = clients\n"
		       "[pool clients]\n"
		       "ranges = 198.51.100.10-198.51.100.20\n"
		       "[profile staff]\n"
		       "local-address = 203.0.113.1\n"
		       "remote-address = staff\n"
		       "dns-server = 203.0.113.53,203.0.113.54\n"
		       "idle-timeout = 5m\n"
		       "session-timeout = 8h\n"
		       "max-mtu = 1400\n"
		       "[pool staff]\n"
		       "ranges = 203.0.113.10-203.0.113.20\n"
		       "[user alice]\n"
		       "password = \"open sesame\"\n"
		       "profile = default\n"
		       "remote-address = 198.51.100.99\n"
		       "[user bob]\n"
		       "password = x\n"
		       "profile = staff\n", &c, err, sizeof(err)), 0);
	CHECK_INT(c.link.tls_version, SSTP_TLS_ONLY_12);
	CHECK_INT(c.link.pfs, SSTP_PFS_YES);
	CHECK_INT(c.link.authentication, SSTP_AUTH_BIT_MSCHAP2);
	CHECK_INT(c.link.keepalive_timeout, 30);
	CHECK(c.rate_count == 10 && c.rate_period == 60);
	CHECK(c.proxy_protocol);
	CHECK_INT(c.http_error, SSTP_HTTP_ERROR_REDIRECT);
	CHECK(!strcmp(c.http_redirect, "https://www.example.com/help"));
	CHECK(!strcmp(c.status_socket, "/run/sstp/a.sock"));
	CHECK(sstp_server_find_user(&c, "alice") != NULL);
	p = sstp_server_user_profile(&c, sstp_server_find_user(&c, "bob"));
	CHECK(p && !strcmp(p->name, "staff"));
	if (p) {
		CHECK(!strcmp(p->dns_server[1], "203.0.113.54"));
		CHECK(p->idle_timeout == 300 && p->session_timeout == 8 * 3600);
		CHECK_INT(p->max_mtu, 1400);
	}
	/* alice's and a RADIUS user's: the default. */
	p = sstp_server_user_profile(&c, NULL);
	CHECK(p && !strcmp(p->name, "default"));
	CHECK(sstp_server_find_pool(&c, "staff") && !sstp_server_find_pool(&c, "x"));
	sstp_server_config_free(&c);
}

/* A complete [radius] section. */
#define RADIUS_OK "[radius]\naddress = 192.0.2.5\nsecret = s3cret\n"

static void test_refusals(void)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "[server]\nport = 443\n", "certificate is required" },
		{ "[server]\ncertificate = c\nconnection-rate-limit = 10\n", "COUNT/PERIOD" },
		{ "[server]\ncertificate = c\nconnection-rate-limit = 0/60\n", "from 1 to" },
		{ "[server]\ncertificate = c\nhttp-error = ftp://x\n", "allow, deny or" },
		{ "[server]\ncertificate = c\npfs = maybe\n", "maybe" },
		{ "[server]\ncertificate = c\nhttp-error = https://a b\n", "allow, deny or" },
		{ "[server]\ncertificate = c\n[user bob]\npassword = x\n"
		  "remote-address = clients\n", "take an IPv4 address" },
		{ "[server]\ncertificate = c\n[user bob]\npassword = x\n"
		  "local-address = 198.51.100.1.1\n", "take an IPv4 address" },
		/* Profiles: IPv4 addresses, a pool that exists, no LCP keys. */
		{ "[server]\ncertificate = c\n[profile other]\n"
		  "remote-address = nowhere\n", "neither an IPv4 address nor a [pool]" },
		{ "[server]\ncertificate = c\n[profile other]\n"
		  "local-address = 2001:db8::1\n", "local-address takes an IPv4" },
		{ "[server]\ncertificate = c\n[profile other]\n"
		  "dns-server = 198.51.100.53,x\n", "dns-server takes one or two" },
		{ "[server]\ncertificate = c\n[profile other]\nmax-mru = 1400\n",
		  "max-mru is a [server] key" },
		{ "[server]\ncertificate = c\n[profile other]\nmrru = 1600\n",
		  "mrru is a [server] key" },
		{ "[server]\ncertificate = c\n[profile other]\nmax-mtu = 100\n",
		  "from 576 to 16384" },
		{ "[server]\ncertificate = c\n[profile a]\n[profile a]\n",
		  "profile 'a' defined twice" },
		{ "[server]\ncertificate = c\n[pool a]\n[pool a]\n",
		  "pool 'a' defined twice" },
		{ "[server]\ncertificate = c\n[profile p]\n[pool a]\n"
		  "ranges = 198.51.100.1\n[pool b]\nranges = 198.51.100.2\n",
		  "more than one [pool]: name one" },
		{ "[server]\ncertificate = c\n[user bob]\npassword = x\n"
		  "profile = none\n", "no [profile none]" },
		/* The userspace data path keeps TLS: TLS of our own. */
		{ "[server]\nplain-http = yes\ncert-hash-sha256 = " SHA256_HEX "\n"
		  "datapath = user\n", "not with plain-http" },
		/* MikroTik's anonymous mode needs both words. */
		{ "[server]\ncertificate = none\n", "set anonymous-dh = yes" },
		{ "[server]\ncertificate = c\nanonymous-dh = yes\n",
		  "certificate = none" },
		{ "[server]\ncertificate = none\nanonymous-dh = yes\n"
		  "tls-version = only-1.3\n", "TLS 1.3 has no anonymous" },
		{ "[server]\ncertificate = none\nanonymous-dh = yes\n"
		  "verify-client-certificate = yes\n", "client certificates" },
		/* Behind a TLS proxy: its certificate's hash, and no TLS here. */
		{ "[server]\nplain-http = yes\n", "needs cert-hash-sha256" },
		{ "[server]\naccept = proxy\n", "needs cert-hash-sha256" },
		{ "[server]\ncertificate = c\ncert-hash-sha1 = " SHA1_HEX "\n",
		  "are for plain-http = yes" },
		{ "[server]\nplain-http = yes\ncertificate = c\n"
		  "cert-hash-sha1 = " SHA1_HEX "\n", "belong to the TLS proxy" },
		{ "[server]\nplain-http = yes\ncert-hash-sha256 = " SHA1_HEX "\n",
		  "hex digits" },
		{ "[server]\naccept = tls\n", "tls" },
		/* use-radius and [radius] come together, complete. */
		{ "[server]\ncertificate = c\n" RADIUS_OK, "only with use-radius" },
		{ "[server]\ncertificate = c\nuse-radius = yes\n",
		  "needs a [radius] section" },
		{ "[server]\ncertificate = c\nuse-radius = yes\n[radius]\n"
		  "secret = s3cret\n", "needs address" },
		{ "[server]\ncertificate = c\nuse-radius = yes\n[radius]\n"
		  "address = 192.0.2.5\n", "needs secret" },
		{ "[server]\ncertificate = c\nuse-radius = yes\n[radius]\n"
		  "address = 2001:db8::5\n", "IPv4 only" },
		{ "[server]\ncertificate = c\nuse-radius = maybe\n",
		  "not yes or no" },
		{ "[server]\ncertificate = c\nradius-accounting = 2\n",
		  "not yes or no" },
		{ "[server]\ncertificate = c\nuse-radius = yes\n[radius]\n"
		  "address = radius.example\n", "not an IPv4 address" },
		{ "[server]\ncertificate = c\nuse-radius = yes\n[radius]\n"
		  "secret = \"two words\"\n", "no spaces" },
		{ "[server]\ncertificate = c\nuse-radius = yes\n[radius]\n"
		  "secret = 0123456789012345678901234567890123456789012345678\n",
		  "longer than 48" },
		{ "[server]\ncertificate = c\nuse-radius = yes\n[radius]\n"
		  "secret = \"\"\n", "secret is empty" },
		{ "[server]\ncertificate = c\nuse-radius = yes\n[radius]\n"
		  "timeout = 0\n", "from 1 to 60" },
		{ "[server]\ncertificate = c\nuse-radius = yes\n[radius]\n"
		  "timeout = 300ms\n", "whole seconds" },
		{ "[server]\ncertificate = c\nuse-radius = yes\n[radius]\n"
		  "retries = 0\n", "from 1 to 10" },
		{ "[server]\ncertificate = c\nuse-radius = yes\n[radius]\n"
		  "authentication-port = 70000\n", "from 1 to 65535" },
		{ "[server]\ncertificate = c\nuse-radius = yes\n[radius]\n"
		  "realm = x\n", "unknown key 'realm' in [radius]" },
		{ "[server]\ncertificate = c\nuse-radius = yes\n" RADIUS_OK
		  "[radius]\n", "given twice" },
		{ "[server]\ncertificate = c\nuse-radius = yes\n[radius main]\n",
		  "takes no name" },
	};
	struct sstp_server_config c;
	char err[256];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		err[0] = '\0';
		CHECK_MSG(load(cases[i].text, &c, err, sizeof(err)) == -1,
			  "accepted: %s", cases[i].text);
		CHECK_MSG(strstr(err, cases[i].want) != NULL, "'%s' lacks '%s'",
			  err, cases[i].want);
	}
}

static void test_anonymous(void)
{
	struct sstp_server_config c;
	char err[256];

	CHECK_INT(load("[server]\ncertificate = none\nanonymous-dh = yes\n",
		       &c, err, sizeof(err)), 0);
	CHECK(c.link.anonymous_dh);
	/* No file named "none" is looked for. */
	CHECK(!strcmp(c.certificate, ""));
	sstp_server_config_free(&c);
}

static void test_behind_tls_proxy(void)
{
	struct sstp_server_config c;
	char err[256];

	CHECK_INT(load("[server]\naccept = proxy\ncert-hash-sha256 = "
		       SHA256_HEX "\n", &c, err, sizeof(err)), 0);
	CHECK(c.plain_http && c.proxy_protocol);
	CHECK(!strcmp(c.cert_hash_sha256, SHA256_HEX));
	sstp_server_config_free(&c);
	/* accel-ppp's accept = ssl,proxy: TLS here, after a PROXY header. */
	CHECK_INT(load("[server]\ncertificate = c\naccept = ssl,proxy\n",
		       &c, err, sizeof(err)), 0);
	CHECK(!c.plain_http && c.proxy_protocol);
	sstp_server_config_free(&c);
}

static void test_radius(void)
{
	struct sstp_server_config c;
	char err[256];

	/* Defaults: accounting, the RFC ports, 3 tries of 3 s; no users. */
	CHECK_INT(load("[server]\ncertificate = c\nuse-radius = yes\n"
		       RADIUS_OK, &c, err, sizeof(err)), 0);
	CHECK(c.use_radius && c.radius_accounting);
	CHECK(!strcmp(c.radius.address, "192.0.2.5"));
	CHECK(!strcmp(c.radius.secret, "s3cret"));
	CHECK(c.radius.authentication_port == 1812 &&
	      c.radius.accounting_port == 1813);
	CHECK(c.radius.timeout == 3 && c.radius.retries == 3);
	CHECK(c.users == NULL);
	sstp_server_config_free(&c);
	/* The secret is not kept once the configuration is freed. */
	CHECK(c.radius.secret[0] == '\0');

	CHECK_INT(load("[server]\ncertificate = c\nuse-radius = yes\n"
		       "radius-accounting = no\n"
		       "[user alice]\npassword = x\n"
		       "[radius]\naddress = 198.51.100.9\n"
		       "secret = \"a#b$c!d\"\nauthentication-port = 11812\n"
		       "accounting-port = 11813\ntimeout = 5s\nretries = 1\n",
		       &c, err, sizeof(err)), 0);
	CHECK(!c.radius_accounting);
	CHECK(!strcmp(c.radius.secret, "a#b$c!d"));
	CHECK(c.radius.authentication_port == 11812 &&
	      c.radius.accounting_port == 11813);
	CHECK(c.radius.timeout == 5 && c.radius.retries == 1);
	CHECK(sstp_server_find_user(&c, "alice") != NULL);
	sstp_server_config_free(&c);

	/* Without use-radius nothing of RADIUS is on. */
	CHECK_INT(load("[server]\ncertificate = c\n", &c, err, sizeof(err)), 0);
	CHECK(!c.use_radius);
	sstp_server_config_free(&c);
}

static const struct unit_test tests[] = {
	UNIT_TEST(test_radius),
	UNIT_TEST(test_behind_tls_proxy),
	UNIT_TEST(test_full),
	UNIT_TEST(test_anonymous),
	UNIT_TEST(test_refusals),
};

int main(void)
{
	return unit_run(tests, ARRAY_SIZE(tests));
}
