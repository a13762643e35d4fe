// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests for userspace/config.c: the INI-like configuration format. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/config.h"
#include "unit.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Records every callback as "kind|name|key|value@line" lines. */
struct record {
	char out[2048];
	const char *reject_key;	/* make the callback fail on this key */
};

static int record_fn(const struct sstp_conf_entry *e, void *arg, char *err,
		     size_t errlen)
{
	struct record *r = arg;
	size_t n = strlen(r->out);

	if (r->reject_key && e->key && !strcmp(e->key, r->reject_key)) {
		snprintf(err, errlen, "unknown key '%s' in [%s]", e->key, e->kind);
		return -1;
	}
	snprintf(r->out + n, sizeof(r->out) - n, "%s|%s|%s|%s@%d\n", e->kind,
		 e->name, e->key ? e->key : "-", e->value ? e->value : "-",
		 e->line);
	return 0;
}

static int parse(const char *text, struct record *r, char *err)
{
	memset(r->out, 0, sizeof(r->out));
	return sstp_conf_parse_string(text, "test.conf", record_fn, r, err, 256);
}

static void test_sections_and_keys(void)
{
	struct record r = { 0 };
	char err[256];

	CHECK_INT(parse("# comment\n"
			"top = 1\n"
			"\n"
			"[server]\n"
			"  port   =  443  \n"
			"; another comment\n"
			"[user alice]\n"
			"password = \"two words \\\"quoted\\\" \\\\ \"\n"
			"[profile \"office net\"]  # a comment\n"
			"dns-server = 198.51.100.53\t# a comment\n"
			"empty =\n"
			"hash = \"a # b \\\" # c\" # d\n"
			"bare = a#b\n", &r, err), 0);
	CHECK_MSG(!strcmp(r.out,
			  "||top|1@2\n"
			  "server||-|-@4\n"
			  "server||port|443@5\n"
			  "user|alice|-|-@7\n"
			  "user|alice|password|two words \"quoted\" \\ @8\n"
			  "profile|office net|-|-@9\n"
			  "profile|office net|dns-server|198.51.100.53@10\n"
			  "profile|office net|empty|@11\n"
			  "profile|office net|hash|a # b \" # c@12\n"
			  "profile|office net|bare|a#b@13\n"),
		  "got:\n%s", r.out);
}

static void check_error(const char *text, const char *expect)
{
	struct record r = { .reject_key = "bogus" };
	char err[256];

	CHECK_INT(parse(text, &r, err), -1);
	CHECK_MSG(strstr(err, expect) != NULL, "'%s' lacks '%s'", err, expect);
}

static void test_errors_name_file_and_line(void)
{
	check_error("[server]\nport 443\n", "test.conf:2: expected 'key = value'");
	check_error("[server\n", "test.conf:1: section header");
	check_error("[ser ver x]\n", "test.conf:1: bad section header");
	check_error("[]\n", "test.conf:1: bad section header");
	check_error("a b = 1\n", "test.conf:1: bad key 'a b'");
	check_error("= 1\n", "test.conf:1: bad key ''");
	check_error("x = \"open\n", "test.conf:1: unterminated quoted value");
	check_error("x = \"a\" b\n", "test.conf:1: unterminated quoted value");
	check_error("\n\n[server]\nbogus = 1\n", "test.conf:4: unknown key 'bogus' in [server]");
}

static void test_long_line(void)
{
	struct record r = { 0 };
	char *text = malloc(5000), err[256];

	memset(text, 'a', 4999);
	text[4999] = '\0';
	text[0] = 'k';
	text[1] = '=';
	CHECK_INT(parse(text, &r, err), -1);
	CHECK_MSG(strstr(err, "test.conf:1: line longer") != NULL, "%s", err);
	free(text);
}

static void test_file(void)
{
	char path[] = "/tmp/sstp-config-test.XXXXXX", err[256];
	struct record r = { 0 };
	FILE *f;
	int fd = mkstemp(path);

	CHECK(fd >= 0);
	f = fdopen(fd, "w");
	fputs("[server]\nport = 8443\n", f);
	fclose(f);
	CHECK_INT(sstp_conf_parse_file(path, record_fn, &r, err, sizeof(err)), 0);
	CHECK(strstr(r.out, "server||port|8443@2") != NULL);
	unlink(path);
	CHECK_INT(sstp_conf_parse_file(path, record_fn, &r, err, sizeof(err)), -1);
	CHECK_MSG(strstr(err, "No such file") != NULL, "%s", err);
}

/* Write @len bytes of @text to a new temporary file, named in @path. */
static void write_file(char *path, const char *text, size_t len)
{
	int fd = mkstemp(path);

	CHECK(fd >= 0);
	CHECK(write(fd, text, len) == (ssize_t)len);
	close(fd);
}

/*
 * An empty file is an empty config (the reader once parsed uninitialised
 * memory then: found by tests/fuzz/config_fuzz.c); a NUL byte, which would
 * cut the text short unseen, is refused with its line.
 */
static void test_file_empty_and_nul(void)
{
	char path[] = "/tmp/sstp-config-test.XXXXXX", err[256];
	char nul_path[] = "/tmp/sstp-config-test.XXXXXX";
	struct record r = { 0 };

	write_file(path, "", 0);
	CHECK_INT(sstp_conf_parse_file(path, record_fn, &r, err, sizeof(err)), 0);
	CHECK(r.out[0] == '\0');
	unlink(path);

	write_file(nul_path, "[server]\nport = 84\0\n43\n", 24);
	CHECK_INT(sstp_conf_parse_file(nul_path, record_fn, &r, err,
				       sizeof(err)), -1);
	CHECK_MSG(strstr(err, ":2: a NUL byte in the file") != NULL, "%s", err);
	unlink(nul_path);
}

static void test_values(void)
{
	static const char *const auth[] = { "pap", "chap", "mschap1", "mschap2", NULL };
	unsigned long u;
	unsigned int mask;
	char err[256];
	bool b;

	CHECK_INT(sstp_conf_bool("Yes", &b, err, sizeof(err)), 0);
	CHECK(b);
	CHECK_INT(sstp_conf_bool("off", &b, err, sizeof(err)), 0);
	CHECK(!b);
	CHECK_INT(sstp_conf_bool("maybe", &b, err, sizeof(err)), -1);

	CHECK_INT(sstp_conf_uint("443", 1, 65535, &u, err, sizeof(err)), 0);
	CHECK_INT(u, 443);
	CHECK_INT(sstp_conf_uint("0", 1, 65535, &u, err, sizeof(err)), -1);
	CHECK_INT(sstp_conf_uint("65536", 1, 65535, &u, err, sizeof(err)), -1);
	CHECK_INT(sstp_conf_uint("-1", 0, 65535, &u, err, sizeof(err)), -1);
	CHECK_INT(sstp_conf_uint("12a", 0, 65535, &u, err, sizeof(err)), -1);
	CHECK_INT(sstp_conf_uint("", 0, 65535, &u, err, sizeof(err)), -1);

	CHECK_INT(sstp_conf_seconds("90", 3600, &u, err, sizeof(err)), 0);
	CHECK_INT(u, 90);
	CHECK_INT(sstp_conf_seconds("5m", 3600, &u, err, sizeof(err)), 0);
	CHECK_INT(u, 300);
	CHECK_INT(sstp_conf_seconds("1h", 3600, &u, err, sizeof(err)), 0);
	CHECK_INT(u, 3600);
	CHECK_INT(sstp_conf_seconds("2h", 3600, &u, err, sizeof(err)), -1);
	CHECK_INT(sstp_conf_seconds("m", 3600, &u, err, sizeof(err)), -1);
	CHECK_INT(sstp_conf_seconds("5x", 3600, &u, err, sizeof(err)), -1);

	CHECK_INT(sstp_conf_word_list("mschap2, PAP", auth, &mask, err, sizeof(err)), 0);
	CHECK_INT(mask, 0x9);
	CHECK_INT(sstp_conf_word_list("eap", auth, &mask, err, sizeof(err)), -1);
	CHECK_MSG(strstr(err, "unknown 'eap' (want one or more of: pap, chap, mschap1, mschap2)"),
		  "%s", err);
	CHECK_INT(sstp_conf_word_list(",", auth, &mask, err, sizeof(err)), -1);
}

static void test_choice(void)
{
	static const char *const tls[] = { "any", "only-1.2", "only-1.3", NULL };
	char err[256];
	int i = -1;

	CHECK_INT(sstp_conf_choice("ONLY-1.3", tls, &i, err, sizeof(err)), 0);
	CHECK_INT(i, 2);
	CHECK_INT(sstp_conf_choice("any", tls, &i, err, sizeof(err)), 0);
	CHECK_INT(i, 0);
	CHECK_INT(sstp_conf_choice("any,only-1.2", tls, &i, err, sizeof(err)), -1);
	CHECK_MSG(!strcmp(err, "'any,only-1.2' is not one of: any, only-1.2, only-1.3"),
		  "%s", err);
	CHECK_INT(sstp_conf_choice("", tls, &i, err, sizeof(err)), -1);
}

/* One split, as text: "host|port", "host|-" without a port, "bad". */
static const char *split(const char *in)
{
	static char out[128];
	char buf[64], *host, *port;

	snprintf(buf, sizeof(buf), "%s", in);
	host = sstp_conf_split_host_port(buf, &port);
	if (!host)
		return "bad";
	snprintf(out, sizeof(out), "%s|%s", host, port ? port : "-");
	return out;
}

static void test_host_port(void)
{
	CHECK(!strcmp(split("vpn.example"), "vpn.example|-"));
	CHECK(!strcmp(split("vpn.example:8443"), "vpn.example|8443"));
	CHECK(!strcmp(split("192.0.2.1:443"), "192.0.2.1|443"));
	CHECK(!strcmp(split("[2001:db8::1]:443"), "2001:db8::1|443"));
	CHECK(!strcmp(split("[2001:db8::1]"), "2001:db8::1|-"));
	/* Without brackets an IPv6 address has no room for a port. */
	CHECK(!strcmp(split("2001:db8::1"), "2001:db8::1|-"));
	CHECK(!strcmp(split("[2001:db8::1"), "bad"));
	CHECK(!strcmp(split("[2001:db8::1]443"), "bad"));
	/* The port's text is checked by whoever takes it. */
	CHECK(!strcmp(split("host:"), "host|"));
}

static const struct unit_test tests[] = {
	UNIT_TEST(test_host_port),
	UNIT_TEST(test_sections_and_keys),
	UNIT_TEST(test_errors_name_file_and_line),
	UNIT_TEST(test_long_line),
	UNIT_TEST(test_file),
	UNIT_TEST(test_file_empty_and_nul),
	UNIT_TEST(test_values),
	UNIT_TEST(test_choice),
};

int main(void)
{
	return unit_run(tests, ARRAY_SIZE(tests));
}
