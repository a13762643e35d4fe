// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * proxy_test.c - unit tests of the PROXY protocol parser
 * (userspace/proxy.c), against haproxy's proxy-protocol.txt.
 *
 * The v2 vectors are written out byte by byte from the spec's layout.
 * Inputs go to the parser in heap buffers of exactly their length (ASan
 * sees any overread) and at every length from 0 up, as a stream would
 * deliver them.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "transport/proxy.h"
#include "unit.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The v2 signature: \r\n\r\n\0\r\nQUIT\n */
#define SIG 0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a

/* The first bytes of a TLS ClientHello: what follows the header. */
static const uint8_t client_hello[] = { 0x16, 0x03, 0x01, 0x02, 0x00, 0x01 };

/* --- helpers ------------------------------------------------------------ */

static int parse(const void *p, size_t len, struct sstp_proxy_info *info)
{
	void *d = malloc(len ? len : 1);
	int r;

	if (!d)
		abort();
	if (len)
		memcpy(d, p, len);
	r = sstp_proxy_parse(d, len, info);
	free(d);
	return r;
}

/*
 * Feed p[0..len) at every length: 0 until the parser can decide, then the
 * same return for every longer prefix, @expect at the end.
 */
#define CHECK_STREAM(p, len, expect) \
	check_stream(__FILE__, __LINE__, p, len, expect)

static bool check_stream(const char *file, int line, const void *p,
			 size_t len, int expect)
{
	struct sstp_proxy_info info;
	size_t k;
	int r;

	for (k = 0; k <= len; k++) {
		r = parse(p, k, &info);
		if (r == 0 && k < len)
			continue;
		unit_count_check();
		if (r != expect) {
			unit_fail(file, line, "at %zu of %zu bytes: %d (%s), "
				  "expected %d", k, len, r,
				  info.error ? info.error : "-", expect);
			return false;
		}
	}
	return true;
}

static bool is_v4(const struct sockaddr_storage *ss, const char *addr,
		  unsigned int port)
{
	const struct sockaddr_in *sin = (const struct sockaddr_in *)ss;
	struct in_addr want;

	return ss->ss_family == AF_INET && inet_pton(AF_INET, addr, &want) == 1 &&
	       sin->sin_addr.s_addr == want.s_addr && ntohs(sin->sin_port) == port;
}

static bool is_v6(const struct sockaddr_storage *ss, const char *addr,
		  unsigned int port)
{
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)ss;
	struct in6_addr want;

	return ss->ss_family == AF_INET6 &&
	       inet_pton(AF_INET6, addr, &want) == 1 &&
	       !memcmp(&sin6->sin6_addr, &want, sizeof(want)) &&
	       ntohs(sin6->sin6_port) == port && !sin6->sin6_scope_id &&
	       !sin6->sin6_flowinfo;
}

/* --- version 1 ---------------------------------------------------------- */

static void test_v1_tcp4(void)
{
	/* The spec's own example, with an HTTP request behind it. */
	static const char in[] =
		"PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n"
		"GET / HTTP/1.1\r\n";
	struct sstp_proxy_info info;
	size_t n = strlen("PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n");

	CHECK_INT(parse(in, strlen(in), &info), n);
	CHECK_INT(info.version, 1);
	CHECK_INT(info.command, SSTP_PROXY_CMD_PROXY);
	CHECK_INT(info.family, AF_INET);
	CHECK(is_v4(&info.src, "192.168.0.1", 56324));
	CHECK(is_v4(&info.dst, "192.168.0.11", 443));
	CHECK(info.error == NULL);
	CHECK_STREAM(in, strlen(in), (int)n);

	/* The extremes of each field. */
	CHECK_INT(parse("PROXY TCP4 0.0.0.0 255.255.255.255 0 65535\r\n", 44,
			&info), 44);
	CHECK(is_v4(&info.src, "0.0.0.0", 0));
	CHECK(is_v4(&info.dst, "255.255.255.255", 65535));
	CHECK_INT(parse("PROXY TCP4 10.0.0.100 1.2.3.4 10 100\r\n", 38,
			&info), 38);
	CHECK(is_v4(&info.src, "10.0.0.100", 10));
}

static void test_v1_tcp6(void)
{
	static const char in[] =
		"PROXY TCP6 2001:db8::1 2001:db8:0:0:0:0:0:2 51234 443\r\n";
	/* The spec's longest TCP6 line: 104 bytes. */
	static const char longest[] =
		"PROXY TCP6 ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff "
		"FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF 65535 65535\r\n";
	static const char mapped[] =
		"PROXY TCP6 ::ffff:192.0.2.1 :: 1 2\r\n";
	struct sstp_proxy_info info;
	uint8_t buf[128];

	CHECK_INT(parse(in, strlen(in), &info), strlen(in));
	CHECK_INT(info.family, AF_INET6);
	CHECK(is_v6(&info.src, "2001:db8::1", 51234));
	CHECK(is_v6(&info.dst, "2001:db8::2", 443));
	CHECK_STREAM(in, strlen(in), (int)strlen(in));

	CHECK_INT(strlen(longest), 104);
	memcpy(buf, longest, 104);
	memcpy(buf + 104, client_hello, sizeof(client_hello));
	CHECK_INT(parse(buf, 104 + sizeof(client_hello), &info), 104);
	CHECK(is_v6(&info.src, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
		    65535));
	CHECK_STREAM(buf, 104 + sizeof(client_hello), 104);
	CHECK_MEM(buf + 104, client_hello, sizeof(client_hello));

	/* What inet_ntop() writes for a v4-mapped address. */
	CHECK_INT(parse(mapped, strlen(mapped), &info), strlen(mapped));
	CHECK(is_v6(&info.src, "::ffff:192.0.2.1", 1));
	CHECK(is_v6(&info.dst, "::", 2));
}

static void test_v1_unknown(void)
{
	static const char *const ok[] = {
		"PROXY UNKNOWN\r\n",
		"PROXY UNKNOWN ffff:f::f ffff:f::f 65535 65535\r\n",
		"PROXY UNKNOWN anything at all, \"even\" this: ~!\r\n",
		"PROXY UNKNOWN \r\n",
	};
	char worst[SSTP_PROXY_V1_MAX + 8];
	struct sstp_proxy_info info;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ok); i++) {
		CHECK_INT(parse(ok[i], strlen(ok[i]), &info), strlen(ok[i]));
		CHECK_INT(info.version, 1);
		CHECK_INT(info.command, SSTP_PROXY_CMD_PROXY);
		CHECK_INT(info.family, AF_UNSPEC);
		CHECK_STREAM(ok[i], strlen(ok[i]), (int)strlen(ok[i]));
	}
	CHECK_INT(strlen(ok[0]), 15);

	/* The spec's worst case is 107 bytes: accepted; 108: refused. */
	snprintf(worst, sizeof(worst), "PROXY UNKNOWN %s %s 65535 65535\r\n",
		 "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
		 "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
	CHECK_INT(strlen(worst), SSTP_PROXY_V1_MAX);
	CHECK_INT(parse(worst, SSTP_PROXY_V1_MAX, &info), SSTP_PROXY_V1_MAX);
	CHECK_STREAM(worst, SSTP_PROXY_V1_MAX, SSTP_PROXY_V1_MAX);
	snprintf(worst, sizeof(worst), "PROXY UNKNOWN %s %s 65535 655350\r\n",
		 "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
		 "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
	CHECK_INT(strlen(worst), SSTP_PROXY_V1_MAX + 1);
	CHECK_INT(parse(worst, SSTP_PROXY_V1_MAX - 1, &info), 0);
	CHECK_INT(parse(worst, SSTP_PROXY_V1_MAX, &info), -EINVAL);
	CHECK_STREAM(worst, SSTP_PROXY_V1_MAX + 1, -EINVAL);
}

static void test_v1_malformed(void)
{
	static const struct {
		const char *text;
		int err;
	} cases[] = {
		/* Not PROXY at all: refused at the first wrong byte. */
		{ "proxy TCP4 1.2.3.4 5.6.7.8 1 2\r\n", -EPROTO },
		{ "PROXX TCP4 1.2.3.4 5.6.7.8 1 2\r\n", -EPROTO },
		{ "GET / HTTP/1.1\r\n", -EPROTO },
		{ "PROXYTCP4 1.2.3.4 5.6.7.8 1 2\r\n", -EINVAL },
		{ "PROXY\r\n", -EINVAL },
		/* Protocol. */
		{ "PROXY TCP5 1.2.3.4 5.6.7.8 1 2\r\n", -EINVAL },
		{ "PROXY tcp4 1.2.3.4 5.6.7.8 1 2\r\n", -EINVAL },
		{ "PROXY UDP4 1.2.3.4 5.6.7.8 1 2\r\n", -EINVAL },
		{ "PROXY  TCP4 1.2.3.4 5.6.7.8 1 2\r\n", -EINVAL },
		{ "PROXY UNKNOWNX\r\n", -EINVAL },
		{ "PROXY unknown\r\n", -EINVAL },
		{ "PROXY \r\n", -EINVAL },
		{ "PROXY TCP4\r\n", -EINVAL },
		/* Fields and spaces. */
		{ "PROXY TCP4  1.2.3.4 5.6.7.8 1 2\r\n", -EINVAL },
		{ "PROXY TCP4 1.2.3.4  5.6.7.8 1 2\r\n", -EINVAL },
		{ "PROXY TCP4 1.2.3.4 5.6.7.8 1  2\r\n", -EINVAL },
		{ "PROXY TCP4 1.2.3.4 5.6.7.8 1 2 \r\n", -EINVAL },
		{ "PROXY TCP4 1.2.3.4 5.6.7.8 1\r\n", -EINVAL },
		{ "PROXY TCP4 1.2.3.4 5.6.7.8 1 2 3\r\n", -EINVAL },
		{ "PROXY TCP4 1.2.3.4 5.6.7.8\r\n", -EINVAL },
		{ "PROXY TCP4 1.2.3.4\t5.6.7.8 1 2\r\n", -EINVAL },
		/* Ports: 0..65535, no leading zero, digits only. */
		{ "PROXY TCP4 1.2.3.4 5.6.7.8 01 2\r\n", -EINVAL },
		{ "PROXY TCP4 1.2.3.4 5.6.7.8 1 00\r\n", -EINVAL },
		{ "PROXY TCP4 1.2.3.4 5.6.7.8 65536 2\r\n", -EINVAL },
		{ "PROXY TCP4 1.2.3.4 5.6.7.8 1 99999\r\n", -EINVAL },
		{ "PROXY TCP4 1.2.3.4 5.6.7.8 1 4294967297\r\n", -EINVAL },
		{ "PROXY TCP4 1.2.3.4 5.6.7.8 -1 2\r\n", -EINVAL },
		{ "PROXY TCP4 1.2.3.4 5.6.7.8 +1 2\r\n", -EINVAL },
		{ "PROXY TCP4 1.2.3.4 5.6.7.8 1a 2\r\n", -EINVAL },
		{ "PROXY TCP4 1.2.3.4 5.6.7.8 0x1 2\r\n", -EINVAL },
		/* IPv4: four numbers 0..255, no leading zeros. */
		{ "PROXY TCP4 192.168.0.01 5.6.7.8 1 2\r\n", -EINVAL },
		{ "PROXY TCP4 192.168.000.1 5.6.7.8 1 2\r\n", -EINVAL },
		{ "PROXY TCP4 010.1.1.1 5.6.7.8 1 2\r\n", -EINVAL },
		{ "PROXY TCP4 256.1.1.1 5.6.7.8 1 2\r\n", -EINVAL },
		{ "PROXY TCP4 1.2.3.1234 5.6.7.8 1 2\r\n", -EINVAL },
		{ "PROXY TCP4 1.2.3 5.6.7.8 1 2\r\n", -EINVAL },
		{ "PROXY TCP4 1.2.3.4.5 5.6.7.8 1 2\r\n", -EINVAL },
		{ "PROXY TCP4 1..2.3 5.6.7.8 1 2\r\n", -EINVAL },
		{ "PROXY TCP4 .1.2.3 5.6.7.8 1 2\r\n", -EINVAL },
		{ "PROXY TCP4 1.2.3.4. 5.6.7.8 1 2\r\n", -EINVAL },
		{ "PROXY TCP4 1.2.3.4a 5.6.7.8 1 2\r\n", -EINVAL },
		{ "PROXY TCP4 0x1.2.3.4 5.6.7.8 1 2\r\n", -EINVAL },
		{ "PROXY TCP4 16909060 5.6.7.8 1 2\r\n", -EINVAL },
		{ "PROXY TCP4 ::1 5.6.7.8 1 2\r\n", -EINVAL },
		/* IPv6, and the family must match the protocol. */
		{ "PROXY TCP6 1.2.3.4 ::1 1 2\r\n", -EINVAL },
		{ "PROXY TCP6 ::1 5.6.7.8 1 2\r\n", -EINVAL },
		{ "PROXY TCP6 fe80::1%eth0 ::1 1 2\r\n", -EINVAL },
		{ "PROXY TCP6 ::g ::1 1 2\r\n", -EINVAL },
		{ "PROXY TCP6 ::: ::1 1 2\r\n", -EINVAL },
		{ "PROXY TCP6 1::2::3 ::1 1 2\r\n", -EINVAL },
		{ "PROXY TCP6 1:2:3:4:5:6:7:8:9 ::1 1 2\r\n", -EINVAL },
		{ "PROXY TCP6 12345::1 ::1 1 2\r\n", -EINVAL },
		{ "PROXY TCP6 [::1] ::1 1 2\r\n", -EINVAL },
		/* Line ends and bytes. */
		{ "PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n", -EINVAL },
		{ "PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r\r\n", -EINVAL },
		{ "PROXY TCP4 1.2.3.4 5.6.7.8 1 2\rX", -EINVAL },
		{ "PROXY TCP4 1.2.3.4 5.6.7.8 1 \x80\r\n", -EINVAL },
		{ "PROXY TCP4 1.2.3.4 5.6.7.8 1 \x7f\r\n", -EINVAL },
		{ "PROXY UNKNOWN \x01\r\n", -EINVAL },
		{ "PROXY UNKNOWN \x80\r\n", -EINVAL },
		{ "PROXY UNKNOWN \x7f\r\n", -EINVAL },
		{ "PROXY TCP4 \xff", -EINVAL },
		{ "PROXY UNKNOWN\n", -EINVAL },
	};
	struct sstp_proxy_info info;
	size_t i;
	int r;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		r = parse(cases[i].text, strlen(cases[i].text), &info);
		CHECK_MSG(r == cases[i].err && info.error,
			  "case %zu '%s': %d, expected %d", i, cases[i].text,
			  r, cases[i].err);
		CHECK_STREAM(cases[i].text, strlen(cases[i].text),
			     cases[i].err);
	}

	CHECK_INT(parse("PROXY TCP4 1.2.3.4 5.6.7.8 1 2 3\r\n", 34, &info),
		  -EINVAL);
	CHECK(!strcmp(info.error, "PROXY v1: extra field"));

	/* A NUL byte, which strlen() would hide. */
	CHECK_INT(parse("PROXY TCP4 1.2.3.4\0 5.6.7.8 1 2\r\n", 34, &info),
		  -EINVAL);
	/* Early answers: garbage at once, a good prefix waits. */
	CHECK_INT(parse("X", 1, &info), -EPROTO);
	CHECK_INT(parse("PROX", 4, &info), 0);
	CHECK_INT(parse("PROXX", 5, &info), -EPROTO);
	CHECK_INT(parse("PROXY", 5, &info), 0);
	CHECK_INT(parse("PROXY_", 6, &info), -EINVAL);
	CHECK_INT(parse("PROXY TCP4 1.2.3.4\n", 19, &info), -EINVAL);

	/* No CRLF in the first 107 bytes. */
	{
		char line[200];

		memset(line, 'a', sizeof(line));
		memcpy(line, "PROXY UNKNOWN ", 14);
		CHECK_INT(parse(line, SSTP_PROXY_V1_MAX - 1, &info), 0);
		CHECK_INT(parse(line, SSTP_PROXY_V1_MAX, &info), -EINVAL);
		CHECK_INT(parse(line, sizeof(line), &info), -EINVAL);
		/* CR as byte 107: its LF would be the 108th. */
		line[SSTP_PROXY_V1_MAX - 1] = '\r';
		line[SSTP_PROXY_V1_MAX] = '\n';
		CHECK_INT(parse(line, SSTP_PROXY_V1_MAX, &info), -EINVAL);
		CHECK_INT(parse(line, SSTP_PROXY_V1_MAX + 1, &info), -EINVAL);
		line[SSTP_PROXY_V1_MAX - 2] = '\r';
		line[SSTP_PROXY_V1_MAX - 1] = '\n';
		CHECK_INT(parse(line, SSTP_PROXY_V1_MAX, &info),
			  SSTP_PROXY_V1_MAX);
	}
}

/* --- version 2 ---------------------------------------------------------- */

/* PROXY, TCP over IPv4, 192.168.0.1:56324 -> 192.168.0.11:443. */
static const uint8_t v2_tcp4[] = {
	SIG, 0x21, 0x11, 0x00, 0x0c,
	0xc0, 0xa8, 0x00, 0x01,		/* source 192.168.0.1 */
	0xc0, 0xa8, 0x00, 0x0b,		/* destination 192.168.0.11 */
	0xdc, 0x04,			/* source port 56324 */
	0x01, 0xbb,			/* destination port 443 */
};

/* The same with TLVs: ALPN "h2", AUTHORITY "vpn.example.com", an empty
 * NOOP, and SSL (client 0x01, verify 0, sub-TLV VERSION "TLSv1.3"). */
static const uint8_t v2_tcp4_tlvs[] = {
	SIG, 0x21, 0x11, 0x00, 0x0c + 5 + 18 + 3 + 18,
	0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0x0b, 0xdc, 0x04, 0x01, 0xbb,
	0x01, 0x00, 0x02, 'h', '2',
	0x02, 0x00, 0x0f, 'v', 'p', 'n', '.', 'e', 'x', 'a', 'm', 'p', 'l',
	'e', '.', 'c', 'o', 'm',
	0x04, 0x00, 0x00,
	0x20, 0x00, 0x0f, 0x01, 0x00, 0x00, 0x00, 0x00,
	0x21, 0x00, 0x07, 'T', 'L', 'S', 'v', '1', '.', '3',
};

/* PROXY, TCP over IPv6, [2001:db8::1]:51234 -> [2001:db8::2]:443. */
static const uint8_t v2_tcp6[] = {
	SIG, 0x21, 0x21, 0x00, 0x24,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02,
	0xc8, 0x22,			/* 51234 */
	0x01, 0xbb,
};

/* LOCAL, as a health check sends it: no address at all. */
static const uint8_t v2_local[] = { SIG, 0x20, 0x00, 0x00, 0x00 };

/* LOCAL with an address block and a TLV: all ignored. */
static const uint8_t v2_local_addr[] = {
	SIG, 0x20, 0x11, 0x00, 0x0f,
	127, 0, 0, 1, 127, 0, 0, 1, 0x30, 0x39, 0x01, 0xbb,
	0x04, 0x00, 0x00,
};

/* PROXY over an unspecified family, with bytes of unknown layout. */
static const uint8_t v2_unspec[] = {
	SIG, 0x21, 0x00, 0x00, 0x05, 0xde, 0xad, 0xbe, 0xef, 0x00,
};

/* PROXY, UDP over IPv4: an address we have no use for. */
static const uint8_t v2_udp4[] = {
	SIG, 0x21, 0x12, 0x00, 0x0c,
	10, 0, 0, 1, 10, 0, 0, 2, 0x00, 0x35, 0x00, 0x35,
};

static void test_v2_tcp4(void)
{
	struct sstp_proxy_info info;
	uint8_t buf[128];
	size_t n = sizeof(v2_tcp4);

	CHECK_INT(n, 28);
	memcpy(buf, v2_tcp4, n);
	memcpy(buf + n, client_hello, sizeof(client_hello));
	CHECK_INT(parse(buf, n + sizeof(client_hello), &info), n);
	CHECK_INT(info.version, 2);
	CHECK_INT(info.command, SSTP_PROXY_CMD_PROXY);
	CHECK_INT(info.family, AF_INET);
	CHECK(is_v4(&info.src, "192.168.0.1", 56324));
	CHECK(is_v4(&info.dst, "192.168.0.11", 443));
	CHECK(info.error == NULL);
	CHECK_STREAM(buf, n + sizeof(client_hello), (int)n);
	CHECK_MEM(buf + n, client_hello, sizeof(client_hello));

	n = sizeof(v2_tcp4_tlvs);
	CHECK_INT(n, 16 + 12 + 5 + 18 + 3 + 18);
	CHECK_INT(parse(v2_tcp4_tlvs, n, &info), n);
	CHECK_INT(info.family, AF_INET);
	CHECK(is_v4(&info.src, "192.168.0.1", 56324));
	CHECK_STREAM(v2_tcp4_tlvs, n, (int)n);
}

static void test_v2_tcp6(void)
{
	struct sstp_proxy_info info;

	CHECK_INT(sizeof(v2_tcp6), 52);
	CHECK_INT(parse(v2_tcp6, sizeof(v2_tcp6), &info), sizeof(v2_tcp6));
	CHECK_INT(info.family, AF_INET6);
	CHECK(is_v6(&info.src, "2001:db8::1", 51234));
	CHECK(is_v6(&info.dst, "2001:db8::2", 443));
	CHECK_STREAM(v2_tcp6, sizeof(v2_tcp6), (int)sizeof(v2_tcp6));
}

/* Everything accepted without a usable address: use the socket's own. */
static void test_v2_no_address(void)
{
	static const struct {
		const char *what;
		const uint8_t *p;
		size_t len;
		enum sstp_proxy_command cmd;
	} cases[] = {
		{ "LOCAL", v2_local, sizeof(v2_local), SSTP_PROXY_CMD_LOCAL },
		{ "LOCAL with addresses", v2_local_addr, sizeof(v2_local_addr),
		  SSTP_PROXY_CMD_LOCAL },
		{ "UNSPEC", v2_unspec, sizeof(v2_unspec),
		  SSTP_PROXY_CMD_PROXY },
		{ "UDP4", v2_udp4, sizeof(v2_udp4), SSTP_PROXY_CMD_PROXY },
	};
	struct sstp_proxy_info info;
	uint8_t unix_hdr[16 + 216 + 3];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		CHECK_MSG(parse(cases[i].p, cases[i].len, &info) ==
			  (int)cases[i].len, "%s: %s", cases[i].what,
			  info.error);
		CHECK_INT(info.version, 2);
		CHECK_INT(info.command, cases[i].cmd);
		CHECK_INT(info.family, AF_UNSPEC);
		CHECK_STREAM(cases[i].p, cases[i].len, (int)cases[i].len);
	}

	/* AF_UNIX stream: two 108-byte paths, then a NOOP TLV. */
	memset(unix_hdr, 0, sizeof(unix_hdr));
	memcpy(unix_hdr, v2_local, 12);
	unix_hdr[12] = 0x21;
	unix_hdr[13] = 0x31;
	unix_hdr[14] = 0x00;
	unix_hdr[15] = 216 + 3;
	memcpy(unix_hdr + 16, "/run/haproxy.sock", 17);
	memcpy(unix_hdr + 16 + 108, "/run/sstp.sock", 14);
	unix_hdr[16 + 216] = 0x04;
	CHECK_INT(parse(unix_hdr, sizeof(unix_hdr), &info), sizeof(unix_hdr));
	CHECK_INT(info.family, AF_UNSPEC);
	CHECK_INT(info.command, SSTP_PROXY_CMD_PROXY);
	CHECK_STREAM(unix_hdr, sizeof(unix_hdr), (int)sizeof(unix_hdr));
	/* One byte short of its two paths. */
	unix_hdr[15] = 215;
	CHECK_INT(parse(unix_hdr, 16 + 215, &info), -EINVAL);

	/* INET with transport UNSPEC, UNSPEC with STREAM: no address. */
	{
		uint8_t h[sizeof(v2_tcp4)];

		memcpy(h, v2_tcp4, sizeof(h));
		h[13] = 0x10;
		CHECK_INT(parse(h, sizeof(h), &info), sizeof(h));
		CHECK_INT(info.family, AF_UNSPEC);
		h[13] = 0x01;
		CHECK_INT(parse(h, sizeof(h), &info), sizeof(h));
		CHECK_INT(info.family, AF_UNSPEC);
	}
}

/* Copy of v2_tcp4 with one byte changed. */
static size_t tweak(uint8_t *out, size_t at, uint8_t value)
{
	memcpy(out, v2_tcp4, sizeof(v2_tcp4));
	out[at] = value;
	return sizeof(v2_tcp4);
}

static void test_v2_malformed(void)
{
	struct sstp_proxy_info info;
	uint8_t h[64];
	unsigned int i, v;
	size_t n;

	/* Each signature byte: not PROXY at all. */
	for (i = 0; i < 12; i++) {
		n = tweak(h, i, v2_tcp4[i] ^ 0x20);
		CHECK_MSG(parse(h, n, &info) == -EPROTO,
			  "signature byte %u accepted", i);
		CHECK_STREAM(h, n, -EPROTO);
	}
	/* Version 0, 1, 3..15; then commands 2..15. */
	for (v = 0; v < 16; v++) {
		if (v == 2)
			continue;
		n = tweak(h, 12, (uint8_t)(v << 4 | 1));
		CHECK_MSG(parse(h, 13, &info) == -EINVAL,
			  "version %u accepted", v);
		CHECK_STREAM(h, n, -EINVAL);
	}
	for (v = 2; v < 16; v++) {
		n = tweak(h, 12, (uint8_t)(0x20 | v));
		CHECK_MSG(parse(h, n, &info) == -EINVAL,
			  "command %u accepted", v);
		CHECK_STREAM(h, n, -EINVAL);
	}
	/* Family 4..15, transport 3..15, even with LOCAL. */
	for (v = 4; v < 16; v++) {
		n = tweak(h, 13, (uint8_t)(v << 4 | 1));
		CHECK_MSG(parse(h, 14, &info) == -EINVAL,
			  "family %u accepted", v);
		CHECK_STREAM(h, n, -EINVAL);
	}
	for (v = 3; v < 16; v++) {
		n = tweak(h, 13, (uint8_t)(0x10 | v));
		CHECK_MSG(parse(h, n, &info) == -EINVAL,
			  "transport %u accepted", v);
		CHECK_STREAM(h, n, -EINVAL);
		h[12] = 0x20;
		CHECK_STREAM(h, n, -EINVAL);
	}

	/* Address blocks too short for their family. */
	n = tweak(h, 15, 11);
	CHECK_INT(parse(h, n, &info), -EINVAL);
	CHECK_STREAM(h, 16 + 11, -EINVAL);
	memcpy(h, v2_tcp6, sizeof(v2_tcp6));
	h[15] = 35;
	CHECK_INT(parse(h, 16 + 35, &info), -EINVAL);
	h[15] = 0;
	CHECK_INT(parse(h, 16, &info), -EINVAL);
	/* ... which LOCAL does not care about. */
	h[12] = 0x20;
	CHECK_INT(parse(h, 16, &info), 16);

	/* TLVs: a partial TLV header, a value running past the end. */
	memcpy(h, v2_tcp4, sizeof(v2_tcp4));
	h[15] = 12 + 1;
	h[28] = 0x04;
	CHECK_INT(parse(h, 29, &info), -EINVAL);
	h[15] = 12 + 2;
	h[29] = 0x00;
	CHECK_INT(parse(h, 30, &info), -EINVAL);
	h[15] = 12 + 3 + 2;		/* NOOP of 3 bytes, only 2 there */
	h[30] = 0x03;
	h[31] = h[32] = 0;
	CHECK_INT(parse(h, 33, &info), -EINVAL);
	CHECK_STREAM(h, 33, -EINVAL);
	h[15] = 12 + 3 + 3;		/* now it fits */
	h[33] = 0;
	CHECK_INT(parse(h, 34, &info), 34);
	/* The TLVs of the example, cut by one: the SSL TLV overruns. */
	{
		uint8_t t[sizeof(v2_tcp4_tlvs)];

		memcpy(t, v2_tcp4_tlvs, sizeof(t));
		t[15]--;
		CHECK_INT(parse(t, sizeof(t) - 1, &info), -EINVAL);
		CHECK_STREAM(t, sizeof(t) - 1, -EINVAL);
	}
}

/* The length field: up to SSTP_PROXY_V2_MAX in all, refused beyond, and
 * refused as soon as the 16 fixed bytes show it. */
static void test_v2_length_limit(void)
{
	static uint8_t h[SSTP_PROXY_V2_MAX + 8];
	struct sstp_proxy_info info;
	size_t payload = SSTP_PROXY_V2_MAX - 16;
	size_t noop = payload - 12 - 3;

	memset(h, 0, sizeof(h));
	memcpy(h, v2_tcp4, sizeof(v2_tcp4));
	h[14] = (uint8_t)(payload >> 8);
	h[15] = (uint8_t)payload;
	h[28] = 0x04;
	h[29] = (uint8_t)(noop >> 8);
	h[30] = (uint8_t)noop;
	CHECK_INT(parse(h, SSTP_PROXY_V2_MAX, &info), SSTP_PROXY_V2_MAX);
	CHECK_INT(info.family, AF_INET);
	CHECK_INT(parse(h, SSTP_PROXY_V2_MAX - 1, &info), 0);

	payload++;
	h[14] = (uint8_t)(payload >> 8);
	h[15] = (uint8_t)payload;
	CHECK_INT(parse(h, 16, &info), -EMSGSIZE);
	CHECK_INT(parse(h, 15, &info), 0);
	h[14] = h[15] = 0xff;
	CHECK_INT(parse(h, 16, &info), -EMSGSIZE);
	CHECK_STREAM(h, 16, -EMSGSIZE);
}

/* --- both ------------------------------------------------------------------ */

static void test_not_proxy(void)
{
	static const uint8_t not_sig[] = { 0x0d, 0x0a, 0x0d, 0x0a, 0x0d };
	struct sstp_proxy_info info;

	/* A TLS ClientHello: the front end sends no PROXY header. */
	CHECK_INT(parse(client_hello, sizeof(client_hello), &info), -EPROTO);
	CHECK_INT(parse(client_hello, 1, &info), -EPROTO);
	CHECK(info.error != NULL);
	CHECK_INT(parse("SSTP_DUPLEX_POST", 16, &info), -EPROTO);
	CHECK_INT(parse(not_sig, 4, &info), 0);
	CHECK_INT(parse(not_sig, 5, &info), -EPROTO);
	CHECK_INT(parse("", 0, &info), 0);
	CHECK_INT(sstp_proxy_parse(NULL, 0, &info), 0);
	CHECK_INT(sstp_proxy_parse(NULL, 3, &info), -EINVAL);
	CHECK_INT(sstp_proxy_parse("PROXY", 5, NULL), -EINVAL);
}

/*
 * Random corruption of valid headers: never an overread (ASan), never a
 * length beyond the input, the same answer for every longer prefix, and
 * an address only with a consistent family.
 */
static void test_random_corruption(void)
{
	static const struct {
		const void *p;
		size_t len;
	} seeds[] = {
		/* len 0: a string, measured by strlen() */
		{ "PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n", 0 },
		{ "PROXY TCP6 2001:db8::1 ::ffff:1.2.3.4 51234 443\r\n", 0 },
		{ "PROXY UNKNOWN\r\n", 0 },
		{ v2_tcp4, sizeof(v2_tcp4) },
		{ v2_tcp4_tlvs, sizeof(v2_tcp4_tlvs) },
		{ v2_tcp6, sizeof(v2_tcp6) },
		{ v2_local_addr, sizeof(v2_local_addr) },
	};
	static const char specials[] = " .:\r\n0123456789PROXY";
	unsigned int iter, j, accepted = 0, rejected = 0;
	struct sstp_proxy_info info;
	uint8_t buf[128];
	size_t len, s, k;
	int r;

	unit_rng_state = 0x9e3779b9;
	for (iter = 0; iter < 20000; iter++) {
		s = iter % ARRAY_SIZE(seeds);
		len = seeds[s].len ? seeds[s].len : strlen(seeds[s].p);
		memcpy(buf, seeds[s].p, len);
		for (j = 1 + unit_rng() % 2; j; j--) {
			k = unit_rng() % len;
			buf[k] = unit_rng() % 2 ? (uint8_t)unit_rng() :
				 (uint8_t)specials[unit_rng() % (sizeof(specials) - 1)];
		}
		r = parse(buf, len, &info);
		if (r > (int)len) {
			CHECK_MSG(0, "header %d longer than input %zu", r, len);
			continue;
		}
		if (r > 0) {
			accepted++;
			if (info.family == AF_INET || info.family == AF_INET6)
				CHECK(info.src.ss_family == info.family &&
				      info.dst.ss_family == info.family);
			else if (info.family != AF_UNSPEC)
				CHECK_MSG(0, "family %d", info.family);
		} else {
			rejected++;
		}
		if (iter % 10 == 0)
			CHECK_STREAM(buf, len, r);
	}
	CHECK_MSG(accepted > 1000 && rejected > 1000,
		  "accepted %u rejected %u", accepted, rejected);
}

static const struct unit_test tests[] = {
	UNIT_TEST(test_v1_tcp4),
	UNIT_TEST(test_v1_tcp6),
	UNIT_TEST(test_v1_unknown),
	UNIT_TEST(test_v1_malformed),
	UNIT_TEST(test_v2_tcp4),
	UNIT_TEST(test_v2_tcp6),
	UNIT_TEST(test_v2_no_address),
	UNIT_TEST(test_v2_malformed),
	UNIT_TEST(test_v2_length_limit),
	UNIT_TEST(test_not_proxy),
	UNIT_TEST(test_random_corruption),
};

int main(void)
{
	return unit_run(tests, ARRAY_SIZE(tests));
}
