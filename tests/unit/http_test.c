// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * http_test.c - unit tests of the SSTP HTTP exchange (userspace/call/http.c)
 * and of the CONNECT through an HTTP proxy (client/http-connect.c).
 *
 * Every input is handed to the parsers in a heap buffer of exactly its
 * length, so that AddressSanitizer catches any read past the end; and
 * most inputs are also fed at every length from 0 up, the way a stream
 * delivers them: a parser must answer "incomplete" until it can decide,
 * then the same thing for every longer prefix.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "call/http.h"
#include "client/http-connect.h"
#include "unit.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* What sstpc sends (values aside), written out rather than built from the
 * macros of http.h, so that a typo there shows here. */
#define SSTPC_REQUEST							\
	"SSTP_DUPLEX_POST /sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75}/ HTTP/1.1\r\n" \
	"Host: vpn.example.com\r\n"					\
	"Content-Length: 18446744073709551615\r\n"			\
	"SSTPCORRELATIONID: {1A2B3C4D-1234-5678-9ABCDEF0}\r\n"		\
	"\r\n"

#define RL "SSTP_DUPLEX_POST " SSTP_HTTP_URI " HTTP/1.1\r\n"

/* An SSTP Call Connect Request, as a client sends it right after its
 * request (possibly in the same TLS record). */
static const uint8_t connect_request[14] = {
	0x10, 0x01, 0x00, 0x0e, 0x00, 0x01, 0x00, 0x01,
	0x00, 0x01, 0x00, 0x06, 0x00, 0x01
};

/* --- helpers ------------------------------------------------------------ */

static int parse_req(const void *p, size_t len, struct sstp_http_request *req)
{
	void *d = unit_dup_exact(p, len);
	int r = sstp_http_parse_request(d, len, req);

	free(d);
	return r;
}

static int parse_resp(const void *p, size_t len,
		      struct sstp_http_response *resp, bool connect)
{
	void *d = unit_dup_exact(p, len);
	int r = connect ? sstp_http_parse_connect_response(d, len, resp) :
			  sstp_http_parse_response(d, len, resp);

	free(d);
	return r;
}

/*
 * Feed p[0..len) at every length: 0 ("incomplete") until the parser can
 * decide, then the same return and status for every longer prefix; the
 * last one must be @expect_ret / @expect_status. Returns false (after
 * reporting) if not.
 */
#define CHECK_REQ_STREAM(p, len, ret, status)				\
	check_req_stream(__FILE__, __LINE__, p, len, ret, status)

static bool check_req_stream(const char *file, int line, const void *p,
			     size_t len, int expect_ret,
			     unsigned int expect_status)
{
	struct sstp_http_request req;
	size_t k;
	int r;

	for (k = 0; k <= len; k++) {
		r = parse_req(p, k, &req);
		if (r == 0 && k < len)
			continue;
		unit_count_check();
		if (r != expect_ret || req.status != expect_status) {
			unit_fail(file, line,
				  "at %zu of %zu bytes: returned %d status %u "
				  "(%s), expected %d status %u", k, len, r,
				  req.status, req.error ? req.error : "-",
				  expect_ret, expect_status);
			return false;
		}
		if (r > 0 && k < (size_t)r) {
			unit_fail(file, line, "header of %d bytes done at %zu",
				  r, k);
			return false;
		}
	}
	return true;
}

#define CHECK_RESP_STREAM(p, len, ret, connect)				\
	check_resp_stream(__FILE__, __LINE__, p, len, ret, connect)

static bool check_resp_stream(const char *file, int line, const void *p,
			      size_t len, int expect_ret, bool connect)
{
	struct sstp_http_response resp, last;
	size_t k;
	int r;

	parse_resp(p, len, &last, connect);
	for (k = 0; k <= len; k++) {
		r = parse_resp(p, k, &resp, connect);
		if (r == 0 && k < len)
			continue;
		unit_count_check();
		if (r != expect_ret || resp.status != last.status) {
			unit_fail(file, line,
				  "at %zu of %zu bytes: returned %d status %u "
				  "(%s), expected %d status %u", k, len, r,
				  resp.status, resp.error ? resp.error : "-",
				  expect_ret, last.status);
			return false;
		}
	}
	return true;
}

/* --- server: requests that are SSTP --------------------------------------- */

static void test_request_sstpc_canonical(void)
{
	static const char want[] = SSTPC_REQUEST;
	struct sstp_http_request req;
	char buf[512];
	int n;

	n = sstp_http_format_request(buf, sizeof(buf), "vpn.example.com",
				     "{1A2B3C4D-1234-5678-9ABCDEF0}");
	CHECK_INT(n, strlen(want));
	CHECK_MEM(buf, want, sizeof(want));	/* NUL included */

	CHECK_INT(parse_req(want, strlen(want), &req), strlen(want));
	CHECK(req.is_sstp);
	CHECK_INT(req.status, 200);
	CHECK(req.error == NULL);
	CHECK_INT(req.method, SSTP_HTTP_METHOD_SSTP);
	CHECK_INT(req.version_minor, 1);
	CHECK(req.has_host);
	CHECK(!strcmp(req.host, "vpn.example.com"));
	CHECK(req.has_correlation_id);
	CHECK(!strcmp(req.correlation_id, "{1A2B3C4D-1234-5678-9ABCDEF0}"));
	CHECK(req.has_content_length);
	CHECK(req.content_length == UINT64_MAX);
	CHECK(!req.has_tenantid);
	CHECK(!strcmp(SSTP_HTTP_URI,
		      "/sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75}/"));
}

/* Field order and a braced upper-case GUID as Windows writes them, plus
 * the fields a Windows HTTP stack may add. */
static void test_request_windows_style(void)
{
	static const char r[] =
		"SSTP_DUPLEX_POST /sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75}/ HTTP/1.1\r\n"
		"SSTPCORRELATIONID: {0E8B7C4F-6B9A-4E5C-9D3A-1F2E3D4C5B6A}\r\n"
		"Content-Length: 18446744073709551615\r\n"
		"Host: vpn.contoso.com\r\n"
		"Connection: Keep-Alive\r\n"
		"User-Agent: Microsoft SSTP client\r\n"
		"\r\n";
	struct sstp_http_request req;

	CHECK_INT(parse_req(r, strlen(r), &req), strlen(r));
	CHECK(req.is_sstp);
	CHECK(!strcmp(req.host, "vpn.contoso.com"));
	CHECK(!strcmp(req.correlation_id,
		      "{0E8B7C4F-6B9A-4E5C-9D3A-1F2E3D4C5B6A}"));
}

/* NetworkManager-sstp passes its connection UUID: bare, lower case. */
static void test_request_networkmanager_id(void)
{
	static const char r[] =
		RL
		"Host: 203.0.113.7\r\n"
		"Content-Length: 18446744073709551615\r\n"
		"SSTPCORRELATIONID: 0c38434f-aa00-4c52-b666-ad665d1844b2\r\n"
		"\r\n";
	struct sstp_http_request req;

	CHECK_INT(parse_req(r, strlen(r), &req), strlen(r));
	CHECK(req.is_sstp);
	CHECK(!strcmp(req.host, "203.0.113.7"));
	CHECK(!strcmp(req.correlation_id,
		      "0c38434f-aa00-4c52-b666-ad665d1844b2"));
}

static void test_request_correlation_id_sanitised(void)
{
	char r[512], want[SSTP_HTTP_ID_MAX + 1];
	struct sstp_http_request req;
	int n;

	/* Spaces, obs-text and HTAB inside become '?', OWS around goes. */
	n = snprintf(r, sizeof(r), RL "SSTPCORRELATIONID: \t{a b\xc3\xa9\tc}  "
		     "\r\nsstpcorrelationid: second\r\n\r\n");
	CHECK_INT(parse_req(r, (size_t)n, &req), n);
	CHECK(req.is_sstp);
	CHECK(!strcmp(req.correlation_id, "{a?b???c}"));

	/* Longer than SSTP_HTTP_ID_MAX: truncated. */
	memset(want, 'x', SSTP_HTTP_ID_MAX);
	want[SSTP_HTTP_ID_MAX] = '\0';
	n = snprintf(r, sizeof(r), RL "SSTPCORRELATIONID: %s%s\r\n\r\n",
		     want, "yyyyyyyyyyyyyyyy");
	CHECK_INT(parse_req(r, (size_t)n, &req), n);
	CHECK(!strcmp(req.correlation_id, want));

	/* Empty, and absent. */
	n = snprintf(r, sizeof(r), RL "SSTPCORRELATIONID:\r\n\r\n");
	CHECK_INT(parse_req(r, (size_t)n, &req), n);
	CHECK(req.has_correlation_id && !req.correlation_id[0]);
	n = snprintf(r, sizeof(r), RL "\r\n");
	CHECK_INT(parse_req(r, (size_t)n, &req), n);
	CHECK(req.is_sstp && !req.has_correlation_id && !req.has_host &&
	      !req.has_content_length);
}

static void test_request_case_variants(void)
{
	static const char *const reqs[] = {
		"sstp_duplex_post /sra_{ba195980-cd49-458b-9e23-c84ee0adcd75}/ HTTP/1.1\r\n"
		"host: vpn.example.com\r\nsstpcorrelationid: {X}\r\n"
		"content-length: 18446744073709551615\r\n\r\n",
		"Sstp_Duplex_Post /SRA_{BA195980-CD49-458B-9E23-C84EE0ADCD75}/ HTTP/1.1\r\n"
		"HOST: vpn.example.com\r\nSSTPCorrelationId: {X}\r\n"
		"CONTENT-LENGTH: 18446744073709551615\r\n\r\n",
		"SSTP_DUPLEX_POST /sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75}/ HTTP/1.0\r\n"
		"hOsT:vpn.example.com\r\nSstpCorrelationID:{X}\r\n"
		"Content-length:18446744073709551615\r\n\r\n",
	};
	struct sstp_http_request req;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(reqs); i++) {
		CHECK_INT(parse_req(reqs[i], strlen(reqs[i]), &req),
			  strlen(reqs[i]));
		CHECK_MSG(req.is_sstp, "variant %zu not SSTP: %s", i,
			  req.error);
		CHECK(!strcmp(req.host, "vpn.example.com"));
		CHECK(!strcmp(req.correlation_id, "{X}"));
		CHECK(req.content_length == UINT64_MAX);
	}
	CHECK_INT(req.version_minor, 0);
}

static void test_request_query(void)
{
	static const struct {
		const char *query;
		bool has;
		const char *tenant;
	} cases[] = {
		{ "?tenantid=contoso", true, "contoso" },
		{ "?TenantId=A1B2", true, "A1B2" },
		{ "?foo=1&tenantid=abc&tenantid=def", true, "abc" },
		{ "?tenantid", true, "" },
		{ "?tenantid=", true, "" },
		{ "?tenantid=%7Bx%7D", true, "%7Bx%7D" },	/* kept raw */
		{ "?", false, "" },
		{ "?x=tenantid=1", false, "" },
		{ "?tenantidx=1&xtenantid=2", false, "" },
		{ "?&&", false, "" },
	};
	struct sstp_http_request req;
	char r[256];
	size_t i;
	int n;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		n = snprintf(r, sizeof(r),
			     "SSTP_DUPLEX_POST %s%s HTTP/1.1\r\n\r\n",
			     SSTP_HTTP_URI, cases[i].query);
		CHECK_INT(parse_req(r, (size_t)n, &req), n);
		CHECK_MSG(req.is_sstp, "%s: not SSTP", cases[i].query);
		CHECK_MSG(req.has_tenantid == cases[i].has &&
			  !strcmp(req.tenantid, cases[i].tenant),
			  "%s: tenantid %d '%s'", cases[i].query,
			  req.has_tenantid, req.tenantid);
	}
}

static void test_request_host_forms(void)
{
	static const struct {
		const char *value;
		const char *host;
	} cases[] = {
		{ "vpn.example.com", "vpn.example.com" },
		{ "VPN.Example.COM:443", "VPN.Example.COM" },
		{ "vpn.example.com:", "vpn.example.com" },
		{ "192.0.2.1:8443", "192.0.2.1" },
		{ "[2001:db8::1]", "2001:db8::1" },
		{ "[2001:db8::1]:443", "2001:db8::1" },
		{ "[::ffff:192.0.2.1]:65535", "::ffff:192.0.2.1" },
		{ "", "" },
		{ " \tvpn  ", "vpn" },
		{ "vpn:0000000000000000000443", "vpn" },
	};
	struct sstp_http_request req;
	char r[512];
	size_t i;
	int n;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		n = snprintf(r, sizeof(r), RL "Host:%s\r\n\r\n",
			     cases[i].value);
		CHECK_INT(parse_req(r, (size_t)n, &req), n);
		CHECK_MSG(req.has_host && !strcmp(req.host, cases[i].host),
			  "Host '%s' gave '%s'", cases[i].value, req.host);
	}
}

/* Every accepted line end, and empty lines before the request line. */
static void test_request_line_ends(void)
{
	static const char *const reqs[] = {
		RL "Host: h\r\n\r\n",
		RL "Host: h\r\n\n",
		"SSTP_DUPLEX_POST " SSTP_HTTP_URI " HTTP/1.1\nHost: h\n\n",
		"SSTP_DUPLEX_POST " SSTP_HTTP_URI " HTTP/1.1\nHost: h\n\r\n",
		"SSTP_DUPLEX_POST " SSTP_HTTP_URI " HTTP/1.1\r\r\nHost: h\r\r\n\r\r\n",
		"SSTP_DUPLEX_POST " SSTP_HTTP_URI " HTTP/1.1\r\nHost: h\n\r\r\n",
		"\r\n" RL "Host: h\r\n\r\n",
		"\n\r\n\r\r\n" RL "Host: h\r\n\r\n",
	};
	struct sstp_http_request req;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(reqs); i++) {
		CHECK_MSG(parse_req(reqs[i], strlen(reqs[i]), &req) ==
			  (int)strlen(reqs[i]) && req.is_sstp &&
			  !strcmp(req.host, "h"),
			  "line ends %zu: %s", i, req.error);
		CHECK_REQ_STREAM(reqs[i], strlen(reqs[i]),
				 (int)strlen(reqs[i]), 200);
	}
}

/* The header arrives a byte at a time, and an SSTP packet right after. */
static void test_request_split_every_byte(void)
{
	static const char *const reqs[] = {
		SSTPC_REQUEST,
		RL "\r\n",
		"SSTP_DUPLEX_POST " SSTP_HTTP_URI "?tenantid=t HTTP/1.1\n\n",
		"SSTP_DUPLEX_POST " SSTP_HTTP_URI " HTTP/1.1\r\r\nA: b\r\r\n\r\r\n",
	};
	struct sstp_http_request req;
	uint8_t buf[512];
	size_t i, k, n;

	for (i = 0; i < ARRAY_SIZE(reqs); i++) {
		n = strlen(reqs[i]);
		CHECK_REQ_STREAM(reqs[i], n, (int)n, 200);

		/* Glued SSTP bytes, complete or not, change nothing and are
		 * left where they are. */
		memcpy(buf, reqs[i], n);
		memcpy(buf + n, connect_request, sizeof(connect_request));
		for (k = 0; k <= sizeof(connect_request); k++) {
			CHECK_INT(parse_req(buf, n + k, &req), n);
			CHECK(req.is_sstp);
		}
		CHECK_REQ_STREAM(buf, n + sizeof(connect_request), (int)n,
				 200);
		CHECK_MEM(buf + n, connect_request, sizeof(connect_request));
	}
}

/* Fields we do not use are ignored, whatever their content. */
static void test_request_other_fields(void)
{
	static const char r[] =
		RL
		"X-Empty:\r\n"
		"User-Agent: caf\xc3\xa9 \t client\r\n"
		"Cookie: a=b; c=\"d e\"\r\n"
		"Transfer-Encoding: identity\r\n"
		"Content-Length: 0\r\n"
		"Content-Length: 0\r\n"
		"\r\n";
	struct sstp_http_request req;

	CHECK_INT(parse_req(r, strlen(r), &req), strlen(r));
	CHECK(req.is_sstp);
	CHECK(req.has_content_length && req.content_length == 0);
}

/* --- server: requests that are not SSTP, or not acceptable -------------- */

struct reject_case {
	const char *text;
	size_t len;		/* texts may hold a NUL */
	int ret;		/* 1: a positive return, the whole text */
	unsigned int status;
};

#define T(s) s, sizeof(s) - 1

static const struct reject_case reject_cases[] = {
	/* Well-formed, not SSTP: the whole header is read, then answered. */
	{ T("GET / HTTP/1.1\r\nHost: vpn\r\n\r\n"), 1, 404 },
	{ T("GET " SSTP_HTTP_URI " HTTP/1.1\r\n\r\n"), 1, 404 },
	{ T("get / HTTP/1.1\r\n\r\n"), 1, 404 },
	{ T("HEAD / HTTP/1.0\r\n\r\n"), 1, 404 },
	{ T("SSTP_DUPLEX_POST / HTTP/1.1\r\n\r\n"), 1, 404 },
	{ T("SSTP_DUPLEX_POST /sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75} HTTP/1.1\r\n\r\n"),
	  1, 404 },
	{ T("SSTP_DUPLEX_POST " SSTP_HTTP_URI "x HTTP/1.1\r\n\r\n"), 1, 404 },
	{ T("SSTP_DUPLEX_POST " SSTP_HTTP_URI "/ HTTP/1.1\r\n\r\n"), 1, 404 },
	{ T("SSTP_DUPLEX_POST " SSTP_HTTP_URI "#f HTTP/1.1\r\n\r\n"), 1, 404 },
	{ T("SSTP_DUPLEX_POST /sra_%7BBA195980-CD49-458b-9E23-C84EE0ADCD75%7D/ HTTP/1.1\r\n\r\n"),
	  1, 404 },
	{ T("SSTP_DUPLEX_POST https://vpn" SSTP_HTTP_URI " HTTP/1.1\r\n\r\n"),
	  1, 404 },
	{ T("SSTP_DUPLEX_POST /sra_{BA195980-CD49-458b-9E23-C84EE0ADCD76}/ HTTP/1.1\r\n\r\n"),
	  1, 404 },
	{ T("POST " SSTP_HTTP_URI " HTTP/1.1\r\n\r\n"), 1, 501 },
	{ T("PUT / HTTP/1.1\r\n\r\n"), 1, 501 },
	{ T("OPTIONS * HTTP/1.1\r\n\r\n"), 1, 501 },
	{ T("SSTP_DUPLEX_POSTX " SSTP_HTTP_URI " HTTP/1.1\r\n\r\n"), 1, 501 },
	{ T("SSTP_DUPLEX_POST " SSTP_HTTP_URI " HTTP/2.0\r\n\r\n"), 1, 505 },
	{ T("SSTP_DUPLEX_POST " SSTP_HTTP_URI " HTTP/0.9\r\n\r\n"), 1, 505 },
	{ T("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"), 18, 505 },	/* h2 preface */
	/* Malformed request line: 400 as soon as the line is in. */
	{ T("SSTP_DUPLEX_POST " SSTP_HTTP_URI " HTTP/1\r\n\r\n"), -EBADMSG, 400 },
	{ T("SSTP_DUPLEX_POST " SSTP_HTTP_URI " HTTP/1.10\r\n\r\n"), -EBADMSG, 400 },
	{ T("SSTP_DUPLEX_POST " SSTP_HTTP_URI " HTTP/11.1\r\n\r\n"), -EBADMSG, 400 },
	{ T("SSTP_DUPLEX_POST " SSTP_HTTP_URI " http/1.1\r\n\r\n"), -EBADMSG, 400 },
	{ T("SSTP_DUPLEX_POST " SSTP_HTTP_URI " HTTPS/1.1\r\n\r\n"), -EBADMSG, 400 },
	{ T("SSTP_DUPLEX_POST " SSTP_HTTP_URI " HTTP/1.1 \r\n\r\n"), -EBADMSG, 400 },
	{ T("SSTP_DUPLEX_POST  " SSTP_HTTP_URI " HTTP/1.1\r\n\r\n"), -EBADMSG, 400 },
	{ T("SSTP_DUPLEX_POST " SSTP_HTTP_URI "  HTTP/1.1\r\n\r\n"), -EBADMSG, 400 },
	{ T("SSTP_DUPLEX_POST\t" SSTP_HTTP_URI " HTTP/1.1\r\n\r\n"), -EBADMSG, 400 },
	{ T(" SSTP_DUPLEX_POST " SSTP_HTTP_URI " HTTP/1.1\r\n\r\n"), -EBADMSG, 400 },
	{ T("SSTP_DUPLEX_POST " SSTP_HTTP_URI "\r\n\r\n"), -EBADMSG, 400 },
	{ T("SSTP_DUPLEX_POST\r\n\r\n"), -EBADMSG, 400 },
	{ T("SSTP(DUPLEX)POST " SSTP_HTTP_URI " HTTP/1.1\r\n\r\n"), -EBADMSG, 400 },
	{ T("SSTP_DUPLEX_POST /sra_\xc3\xa9/ HTTP/1.1\r\n\r\n"), -EBADMSG, 400 },
	{ T("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03"), -EBADMSG, 400 },
	/* Forbidden bytes: 400 at the byte. */
	{ T(RL "Host: a\0b\r\n\r\n"), -EBADMSG, 400 },
	{ T("SSTP_DUPLEX\0POST"), -EBADMSG, 400 },
	{ T(RL "Host: a\x01\r\n\r\n"), -EBADMSG, 400 },
	{ T(RL "Host: a\x7f\r\n\r\n"), -EBADMSG, 400 },
	{ T(RL "X: \x1b[31m\r\n\r\n"), -EBADMSG, 400 },
	{ T(RL "X: \f\r\n\r\n"), -EBADMSG, 400 },
	{ T(RL "Host: a\rb\r\n\r\n"), -EBADMSG, 400 },
	{ T(RL "Host: a\r\r\r\n\r\n"), -EBADMSG, 400 },
	{ T(RL "Host: a\r\n\r\r\r\n"), -EBADMSG, 400 },
	{ T(RL "\rX"), -EBADMSG, 400 },
	/* Malformed fields. */
	{ T(RL "Host: a\r\n b\r\n\r\n"), -EBADMSG, 400 },		/* obs-fold */
	{ T(RL "X: a\r\n\tb\r\n\r\n"), -EBADMSG, 400 },
	{ T(RL " Host: a\r\n\r\n"), -EBADMSG, 400 },
	{ T(RL "Host : a\r\n\r\n"), -EBADMSG, 400 },
	{ T(RL "Host\t: a\r\n\r\n"), -EBADMSG, 400 },
	{ T(RL ": a\r\n\r\n"), -EBADMSG, 400 },
	{ T(RL "Host a\r\n\r\n"), -EBADMSG, 400 },
	{ T(RL "Ho st: a\r\n\r\n"), -EBADMSG, 400 },
	{ T(RL "H\xc3\xa9: a\r\n\r\n"), -EBADMSG, 400 },
	/* Host: one, and a valid one (RFC 9110 7.2). */
	{ T(RL "Host: a\r\nHost: a\r\n\r\n"), -EBADMSG, 400 },
	{ T(RL "Host: a b\r\n\r\n"), -EBADMSG, 400 },
	{ T(RL "Host: a/b\r\n\r\n"), -EBADMSG, 400 },
	{ T(RL "Host: user@vpn\r\n\r\n"), -EBADMSG, 400 },
	{ T(RL "Host: [::1\r\n\r\n"), -EBADMSG, 400 },
	{ T(RL "Host: []\r\n\r\n"), -EBADMSG, 400 },
	{ T(RL "Host: [vpn.example.com]\r\n\r\n"), -EBADMSG, 400 },
	{ T(RL "Host: [::1]x\r\n\r\n"), -EBADMSG, 400 },
	{ T(RL "Host: vpn:99999\r\n\r\n"), -EBADMSG, 400 },
	{ T(RL "Host: vpn:123456\r\n\r\n"), -EBADMSG, 400 },
	{ T(RL "Host: vpn:18446744073709551617\r\n\r\n"), -EBADMSG, 400 },
	{ T(RL "Host: vpn:1:2\r\n\r\n"), -EBADMSG, 400 },
	{ T(RL "Host: vpn:x\r\n\r\n"), -EBADMSG, 400 },
	{ T(RL "Host: 2001:db8::1\r\n\r\n"), -EBADMSG, 400 },
	/* Content-Length: a number, the same one each time. */
	{ T(RL "Content-Length: abc\r\n\r\n"), -EBADMSG, 400 },
	{ T(RL "Content-Length: -1\r\n\r\n"), -EBADMSG, 400 },
	{ T(RL "Content-Length: +1\r\n\r\n"), -EBADMSG, 400 },
	{ T(RL "Content-Length:\r\n\r\n"), -EBADMSG, 400 },
	{ T(RL "Content-Length: 0x10\r\n\r\n"), -EBADMSG, 400 },
	{ T(RL "Content-Length: 1 2\r\n\r\n"), -EBADMSG, 400 },
	{ T(RL "Content-Length: 1, 1\r\n\r\n"), -EBADMSG, 400 },
	{ T(RL "Content-Length: 18446744073709551616\r\n\r\n"), -EBADMSG, 400 },
	{ T(RL "Content-Length: 99999999999999999999999\r\n\r\n"), -EBADMSG, 400 },
	{ T(RL "Content-Length: 0\r\nContent-Length: 18446744073709551615\r\n\r\n"),
	  -EBADMSG, 400 },
};

static void test_request_rejections(void)
{
	struct sstp_http_request req;
	const struct reject_case *c;
	size_t i, n;
	int want, r;

	for (i = 0; i < ARRAY_SIZE(reject_cases); i++) {
		c = &reject_cases[i];
		n = c->len;
		want = c->ret == 1 ? (int)n : c->ret;
		r = parse_req(c->text, n, &req);
		CHECK_MSG(r == want && req.status == c->status &&
			  !req.is_sstp && req.error,
			  "case %zu: returned %d status %u (%s), expected %d "
			  "status %u", i, r, req.status, req.error, want,
			  c->status);
		CHECK_REQ_STREAM(c->text, n, want, c->status);
	}
}

/* The reasons given for a few rejections, and the Host length limit. */
static void test_request_error_reasons(void)
{
	static const char folded[] = RL "Host: a\r\n b\r\n\r\n";
	static const char nul[] = RL "X: \0\r\n\r\n";
	struct sstp_http_request req;
	char r[SSTP_HTTP_HOST_MAX + 128], name[SSTP_HTTP_HOST_MAX + 2];
	int n;

	CHECK_INT(parse_req(folded, strlen(folded), &req), -EBADMSG);
	CHECK(!strcmp(req.error, "obsolete line folding in the header"));
	CHECK_INT(parse_req(nul, sizeof(nul) - 1, &req), -EBADMSG);
	CHECK(!strcmp(req.error, "NUL byte in the header"));
	CHECK_INT(parse_req(RL "\r\n", strlen(RL "\r\n"), &req),
		  strlen(RL "\r\n"));
	CHECK(req.error == NULL);

	/* A DNS name has at most 255 bytes. */
	memset(name, 'a', sizeof(name));
	name[SSTP_HTTP_HOST_MAX] = '\0';
	n = snprintf(r, sizeof(r), RL "Host: %s:443\r\n\r\n", name);
	CHECK_INT(parse_req(r, (size_t)n, &req), n);
	CHECK(!strcmp(req.host, name));
	name[SSTP_HTTP_HOST_MAX] = 'a';
	name[SSTP_HTTP_HOST_MAX + 1] = '\0';
	n = snprintf(r, sizeof(r), RL "Host: %s\r\n\r\n", name);
	CHECK_INT(parse_req(r, (size_t)n, &req), -EBADMSG);
	CHECK_INT(req.status, 400);
}

/* The 8 KiB limit: 8192 bytes of header pass, 8193 get a 431. */
static void test_request_too_long(void)
{
	static char r[SSTP_HTTP_MAX_HEADER + 64];
	struct sstp_http_request req;
	size_t head = strlen(RL "X-Pad: "), tail = strlen("\r\n\r\n");
	size_t pad = SSTP_HTTP_MAX_HEADER - head - tail;

	memcpy(r, RL "X-Pad: ", head);
	memset(r + head, 'a', pad);
	memcpy(r + head + pad, "\r\n\r\n", tail);
	memcpy(r + SSTP_HTTP_MAX_HEADER, connect_request,
	       sizeof(connect_request));
	CHECK_INT(parse_req(r, SSTP_HTTP_MAX_HEADER, &req),
		  SSTP_HTTP_MAX_HEADER);
	CHECK(req.is_sstp);
	CHECK_INT(parse_req(r, SSTP_HTTP_MAX_HEADER + sizeof(connect_request),
			    &req), SSTP_HTTP_MAX_HEADER);
	CHECK_INT(parse_req(r, SSTP_HTTP_MAX_HEADER - 1, &req), 0);

	/* One more byte of padding. */
	memset(r + head, 'a', pad + 1);
	memcpy(r + head + pad + 1, "\r\n\r\n", tail);
	CHECK_INT(parse_req(r, SSTP_HTTP_MAX_HEADER - 1, &req), 0);
	CHECK_INT(parse_req(r, SSTP_HTTP_MAX_HEADER, &req), -EMSGSIZE);
	CHECK_INT(req.status, 431);
	CHECK_INT(parse_req(r, SSTP_HTTP_MAX_HEADER + 1, &req), -EMSGSIZE);
	CHECK_INT(req.status, 431);

	/* Endless empty lines before the request line are no way around. */
	memset(r, '\n', sizeof(r));
	CHECK_INT(parse_req(r, sizeof(r), &req), -EMSGSIZE);
	CHECK_INT(req.status, 431);
}

static void test_request_bad_args(void)
{
	struct sstp_http_request req;

	CHECK_INT(sstp_http_parse_request(NULL, 0, &req), 0);
	CHECK_INT(sstp_http_parse_request(NULL, 5, &req), -EINVAL);
	CHECK_INT(sstp_http_parse_request("x", 1, NULL), -EINVAL);
}

/* --- server: replies ------------------------------------------------------ */

static void test_format_response(void)
{
	static const char want[] =
		"HTTP/1.1 200 OK\r\n"
		"Content-Length: 18446744073709551615\r\n"
		"Server: Microsoft-HTTPAPI/2.0\r\n"
		"Date: Sat, 19 Feb 2011 02:13:44 GMT\r\n"
		"\r\n";
	char buf[256];
	size_t size;
	int n;

	memset(buf, 'z', sizeof(buf));
	n = sstp_http_format_response(buf, sizeof(buf), 1298081624);
	CHECK_INT(n, strlen(want));
	CHECK_MEM(buf, want, sizeof(want));

	/* Too small by one or more: -ENOSPC and "". */
	for (size = 0; size <= strlen(want); size++) {
		memset(buf, 'z', sizeof(buf));
		CHECK_INT(sstp_http_format_response(buf, size, 1298081624),
			  -ENOSPC);
		CHECK(size == 0 ? buf[0] == 'z' : buf[0] == '\0');
	}
	CHECK_INT(sstp_http_format_response(buf, strlen(want) + 1,
					    1298081624), strlen(want));
	CHECK_INT(sstp_http_format_response(NULL, 100, 0), -EINVAL);

	/* Other dates: the epoch, a leap day, the last 4-digit year. */
	n = sstp_http_format_response(buf, sizeof(buf), 0);
	CHECK(n > 0 && strstr(buf, "Date: Thu, 01 Jan 1970 00:00:00 GMT\r\n"));
	n = sstp_http_format_response(buf, sizeof(buf), 1709251199);
	CHECK(n > 0 && strstr(buf, "Date: Thu, 29 Feb 2024 23:59:59 GMT\r\n"));
	n = sstp_http_format_response(buf, sizeof(buf), 253402300799LL);
	CHECK(n > 0 && strstr(buf, "Date: Fri, 31 Dec 9999 23:59:59 GMT\r\n"));
	CHECK_INT(sstp_http_format_response(buf, sizeof(buf), 253402300800LL),
		  -EINVAL);
	CHECK(!buf[0]);
}

static void test_format_error(void)
{
	static const char want404[] =
		"HTTP/1.1 404 Not Found\r\n"
		"Content-Length: 0\r\n"
		"Connection: close\r\n"
		"\r\n";
	static const char want301[] =
		"HTTP/1.1 301 Moved Permanently\r\n"
		"Location: https://www.example.com/\r\n"
		"Content-Length: 0\r\n"
		"Connection: close\r\n"
		"\r\n";
	static const struct {
		unsigned int status;
		const char *line;
	} lines[] = {
		{ 400, "HTTP/1.1 400 Bad Request\r\n" },
		{ 408, "HTTP/1.1 408 Request Timeout\r\n" },
		{ 431, "HTTP/1.1 431 Request Header Fields Too Large\r\n" },
		{ 501, "HTTP/1.1 501 Not Implemented\r\n" },
		{ 503, "HTTP/1.1 503 Service Unavailable\r\n" },
		{ 505, "HTTP/1.1 505 HTTP Version Not Supported\r\n" },
	};
	struct sstp_http_response resp;
	char buf[256];
	size_t i, size;
	int n;

	CHECK_INT(sstp_http_format_error(buf, sizeof(buf), 404, NULL),
		  strlen(want404));
	CHECK_MEM(buf, want404, sizeof(want404));
	CHECK_INT(sstp_http_format_error(buf, sizeof(buf), 301,
					 "https://www.example.com/"),
		  strlen(want301));
	CHECK_MEM(buf, want301, sizeof(want301));
	for (i = 0; i < ARRAY_SIZE(lines); i++) {
		n = sstp_http_format_error(buf, sizeof(buf), lines[i].status,
					   NULL);
		CHECK(n > 0 && !strncmp(buf, lines[i].line,
					strlen(lines[i].line)));
		/* What a client makes of it. */
		CHECK_INT(parse_resp(buf, (size_t)n, &resp, false), n);
		CHECK_INT(resp.status, lines[i].status);
		CHECK(resp.has_content_length && !resp.content_length_ok);
	}
	for (size = 0; size <= strlen(want301); size++)
		CHECK_INT(sstp_http_format_error(buf, size, 301,
						 "https://www.example.com/"),
			  -ENOSPC);

	/* Refused: no Location for a redirect, one for a non-redirect,
	 * anything that could break the header, unknown statuses. */
	CHECK_INT(sstp_http_format_error(buf, sizeof(buf), 302, NULL), -EINVAL);
	CHECK_INT(sstp_http_format_error(buf, sizeof(buf), 404, "/x"), -EINVAL);
	CHECK_INT(sstp_http_format_error(buf, sizeof(buf), 301, ""), -EINVAL);
	CHECK_INT(sstp_http_format_error(buf, sizeof(buf), 301, "/a b"),
		  -EINVAL);
	CHECK_INT(sstp_http_format_error(buf, sizeof(buf), 301,
					 "/\r\nSet-Cookie: x=y"), -EINVAL);
	CHECK_INT(sstp_http_format_error(buf, sizeof(buf), 301, "/\xc3\xa9"),
		  -EINVAL);
	CHECK_INT(sstp_http_format_error(buf, sizeof(buf), 200, NULL), -EINVAL);
	CHECK_INT(sstp_http_format_error(buf, sizeof(buf), 299, NULL), -EINVAL);
	CHECK_INT(sstp_http_format_error(buf, sizeof(buf), 600, NULL), -EINVAL);
	CHECK_INT(sstp_http_format_error(buf, sizeof(buf), 0, NULL), -EINVAL);
	CHECK_INT(sstp_http_format_error(NULL, 100, 404, NULL), -EINVAL);
	CHECK(sstp_http_reason(999) == NULL);
	CHECK(!strcmp(sstp_http_reason(407), "Proxy Authentication Required"));
}

/* --- client: request helpers --------------------------------------------- */

static void test_format_request_errors(void)
{
	static const char *const bad_hosts[] = {
		"", "vpn example", "vpn\r\nX: y", "vpn/x", "user@vpn", "[::1",
		"vpn:99999", "vpn\t",
	};
	static const char *const bad_ids[] = {
		"", "{a b}", "{a}\r\nX: y", "{\xc3\xa9}",
		"0123456789012345678901234567890123456789012345678901234567890123X",
	};
	char buf[512];
	size_t i, size, n = strlen(SSTPC_REQUEST);

	for (i = 0; i < ARRAY_SIZE(bad_hosts); i++)
		CHECK_MSG(sstp_http_format_request(buf, sizeof(buf),
						   bad_hosts[i], "{x}") ==
			  -EINVAL, "host '%s' accepted", bad_hosts[i]);
	for (i = 0; i < ARRAY_SIZE(bad_ids); i++)
		CHECK_MSG(sstp_http_format_request(buf, sizeof(buf), "vpn",
						   bad_ids[i]) == -EINVAL,
			  "id '%s' accepted", bad_ids[i]);
	CHECK_INT(sstp_http_format_request(buf, sizeof(buf), NULL, "{x}"),
		  -EINVAL);
	CHECK_INT(sstp_http_format_request(NULL, 10, "vpn", "{x}"), -EINVAL);

	for (size = 0; size <= n; size++)
		CHECK_INT(sstp_http_format_request(buf, size,
			"vpn.example.com", "{1A2B3C4D-1234-5678-9ABCDEF0}"),
			-ENOSPC);

	/* No id: the field is left out. Host with a port and IPv6. */
	CHECK_INT(sstp_http_format_request(buf, sizeof(buf), "[2001:db8::1]:8443",
					   NULL),
		  strlen(RL "Host: [2001:db8::1]:8443\r\n"
			 "Content-Length: 18446744073709551615\r\n\r\n"));
	CHECK(!strcmp(buf, RL "Host: [2001:db8::1]:8443\r\n"
		      "Content-Length: 18446744073709551615\r\n\r\n"));
	/* The longest id allowed. */
	CHECK(sstp_http_format_request(buf, sizeof(buf), "vpn",
		"0123456789012345678901234567890123456789012345678901234567890123")
	      > 0);
}

static void test_format_host(void)
{
	static const struct {
		const char *name;
		unsigned int port;
		const char *want;
	} cases[] = {
		{ "vpn.example.com", 443, "vpn.example.com" },
		{ "vpn.example.com", 8443, "vpn.example.com:8443" },
		{ "192.0.2.1", 1, "192.0.2.1:1" },
		{ "2001:db8::1", 443, "[2001:db8::1]" },
		{ "[2001:db8::1]", 65535, "[2001:db8::1]:65535" },
		{ "::ffff:192.0.2.1", 443, "[::ffff:192.0.2.1]" },
	};
	static const char *const bad[] = {
		"", "a b", "[::1", "[]", "[vpn]", "1:2:3", "fe80::1%eth0",
		"::g", "vpn/x", "vpn:443",
	};
	struct sstp_http_request req;
	char buf[300], r[400];
	size_t i;
	int n;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		n = sstp_http_format_host(buf, sizeof(buf), cases[i].name,
					  cases[i].port);
		CHECK_MSG(n == (int)strlen(cases[i].want) &&
			  !strcmp(buf, cases[i].want), "%s %u gave %d '%s'",
			  cases[i].name, cases[i].port, n, buf);
		/* And a server reads the host back. */
		n = sstp_http_format_request(r, sizeof(r), buf, "{x}");
		CHECK(n > 0 && parse_req(r, (size_t)n, &req) == n &&
		      req.is_sstp);
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		CHECK_MSG(sstp_http_format_host(buf, sizeof(buf), bad[i],
						443) == -EINVAL,
			  "'%s' accepted", bad[i]);
	CHECK_INT(sstp_http_format_host(buf, sizeof(buf), "vpn", 0), -EINVAL);
	CHECK_INT(sstp_http_format_host(buf, sizeof(buf), "vpn", 65536),
		  -EINVAL);
	CHECK_INT(sstp_http_format_host(buf, sizeof(buf), NULL, 443), -EINVAL);
	CHECK_INT(sstp_http_format_host(buf, 4, "vpn.example.com", 443),
		  -ENOSPC);
}

static void test_format_guid(void)
{
	static const uint8_t seq[16] = {
		0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
		0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f
	};
	static const uint8_t ones[16] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff
	};
	struct sstp_http_request req;
	char buf[64], r[256];
	int n;

	CHECK_INT(sstp_http_format_guid(buf, sizeof(buf), seq),
		  SSTP_HTTP_GUID_LEN);
	CHECK(!strcmp(buf, "{00010203-0405-4607-8809-0A0B0C0D0E0F}"));
	CHECK_INT(sstp_http_format_guid(buf, sizeof(buf), ones),
		  SSTP_HTTP_GUID_LEN);
	CHECK(!strcmp(buf, "{FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF}"));
	CHECK_INT(sstp_http_format_guid(buf, SSTP_HTTP_GUID_LEN, seq),
		  -ENOSPC);
	CHECK_INT(sstp_http_format_guid(buf, SSTP_HTTP_GUID_LEN + 1, seq),
		  SSTP_HTTP_GUID_LEN);
	CHECK_INT(sstp_http_format_guid(buf, sizeof(buf), NULL), -EINVAL);
	CHECK(!buf[0]);

	CHECK_INT(sstp_http_format_guid(buf, sizeof(buf), seq),
		  SSTP_HTTP_GUID_LEN);
	n = sstp_http_format_request(r, sizeof(r), "vpn", buf);
	CHECK(n > 0 && parse_req(r, (size_t)n, &req) == n);
	CHECK(!strcmp(req.correlation_id, buf));
}

/* --- client: responses ----------------------------------------------------- */

static void test_response_servers(void)
{
	static const struct {
		const char *who;
		const char *text;
	} ok[] = {
		{ "accel-ppp",
		  "HTTP/1.1 200 OK\r\n"
		  "Date: Sat, 19 Feb 2011 02:13:44 GMT\r\n"
		  "Content-Length: 18446744073709551615\r\n"
		  "Connection: keep-alive\r\n"
		  "\r\n" },
		{ "SoftEther, Windows",
		  "HTTP/1.1 200 OK\r\n"
		  "Content-Length: 18446744073709551615\r\n"
		  "Server: Microsoft-HTTPAPI/2.0\r\n"
		  "Date: Sat, 19 Feb 2011 02:13:44 GMT\r\n"
		  "\r\n" },
		{ "sorz",
		  "HTTP/1.1 200 OK\r\n"
		  "Content-Length: 18446744073709551615\r\n"
		  "Server: SSTP-Server/0.6.0\r\n"
		  "\r\n" },
		{ "no reason phrase", "HTTP/1.1 200\r\n\r\n" },
		{ "empty reason phrase", "HTTP/1.1 200 \r\n\r\n" },
		{ "HTTP/1.0, LF only", "HTTP/1.0 200 OK\ncontent-length: "
		  "18446744073709551615\n\n" },
		{ "folded field", "HTTP/1.1 200 OK\r\nX-A: a\r\n b\r\n"
		  "Content-Length: 18446744073709551615\r\n\r\n" },
	};
	struct sstp_http_response resp;
	uint8_t buf[512];
	char msg[256];
	size_t i, n;

	for (i = 0; i < ARRAY_SIZE(ok); i++) {
		n = strlen(ok[i].text);
		CHECK_MSG(parse_resp(ok[i].text, n, &resp, false) == (int)n,
			  "%s: %s", ok[i].who, resp.error);
		CHECK_INT(resp.status, 200);
		CHECK_MSG(sstp_http_response_check(&resp, msg, sizeof(msg)) ==
			  0 && !msg[0], "%s: %s", ok[i].who, msg);

		/* Split anywhere, with the server's first SSTP bytes glued. */
		memcpy(buf, ok[i].text, n);
		memcpy(buf + n, connect_request, sizeof(connect_request));
		CHECK_RESP_STREAM(buf, n + sizeof(connect_request), (int)n,
				  false);
		CHECK_MEM(buf + n, connect_request, sizeof(connect_request));
	}
	CHECK_INT(parse_resp(ok[0].text, strlen(ok[0].text), &resp, false),
		  strlen(ok[0].text));
	CHECK(!strcmp(resp.reason, "OK") && resp.has_content_length &&
	      resp.content_length_ok && resp.version_minor == 1);
	CHECK(!strcmp(resp.content_length, "18446744073709551615"));

	/* What our own server sends. */
	n = (size_t)sstp_http_format_response((char *)buf, sizeof(buf),
					      1298081624);
	CHECK_INT(parse_resp(buf, n, &resp, false), n);
	CHECK_INT(sstp_http_response_check(&resp, msg, sizeof(msg)), 0);
}

static void test_response_bad_content_length(void)
{
	static const struct {
		const char *text;
		const char *shown;
	} cases[] = {
		{ "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", "0" },
		{ "HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n", "abc" },
		{ "HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551614\r\n\r\n",
		  "18446744073709551614" },
		{ "HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551616\r\n\r\n",
		  "18446744073709551616" },
		{ "HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n", "" },
		{ "HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551615\r\n"
		  "Content-Length: 5\r\n\r\n", "5" },
		{ "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n"
		  "Content-Length: 18446744073709551615\r\n\r\n", "5" },
	};
	struct sstp_http_response resp;
	char msg[256], want[256];
	size_t i, n;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		n = strlen(cases[i].text);
		CHECK_INT(parse_resp(cases[i].text, n, &resp, false), n);
		CHECK(resp.has_content_length && !resp.content_length_ok);
		CHECK_MSG(!strcmp(resp.content_length, cases[i].shown),
			  "case %zu shows '%s'", i, resp.content_length);
		CHECK_INT(sstp_http_response_check(&resp, msg, sizeof(msg)),
			  -1);
		snprintf(want, sizeof(want),
			 "server answered 200 with Content-Length: %s, where "
			 "an SSTP server sends 18446744073709551615 (not an "
			 "SSTP server?)", cases[i].shown);
		CHECK_MSG(!strcmp(msg, want), "message: %s", msg);
	}
}

static void test_response_errors(void)
{
	static const struct {
		const char *text;
		unsigned int status;
		const char *msg;
	} cases[] = {
		{ "HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n"
		  "Content-Length: 9\r\n\r\n<html/>\r\n", 404,
		  "server answered 404 Not Found: no SSTP service here (not an "
		  "SSTP server, or it expects another host name)" },
		{ "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 30\r\n\r\n",
		  503, "server answered 503 Service Unavailable: the SSTP "
		  "service is unavailable (overloaded, stopping or disabled); "
		  "try again later" },
		{ "HTTP/1.1 301 Moved Permanently\r\n"
		  "Location: https://www.example.com/\r\n\r\n", 301,
		  "server answered 301 Moved Permanently: redirect to "
		  "https://www.example.com/: no SSTP service at this address "
		  "(a web server?)" },
		{ "HTTP/1.1 400 Bad Request\r\n\r\n", 400,
		  "server answered 400 Bad Request: the server did not "
		  "understand the SSTP request (not an SSTP server?)" },
		{ "HTTP/1.1 403 Forbidden\r\n\r\n", 403,
		  "server answered 403 Forbidden: access denied (a web server "
		  "or a filter in front of the SSTP server?)" },
		{ "HTTP/1.1 405 Method Not Allowed\r\n\r\n", 405,
		  "server answered 405 Method Not Allowed: the server does not "
		  "know SSTP_DUPLEX_POST (not an SSTP server)" },
		{ "HTTP/1.1 500\r\n\r\n", 500,
		  "server answered 500: server error" },
		{ "HTTP/1.1 204 No Content\r\n\r\n", 204,
		  "server answered 204 No Content: unexpected answer (an SSTP "
		  "server answers 200)" },
		{ "HTTP/1.1 200 \x80K\r\n\r\nX", 200, "" },
	};
	struct sstp_http_response resp;
	char msg[512];
	size_t i, n;
	const char *end;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		n = strlen(cases[i].text);
		end = strstr(cases[i].text, "\r\n\r\n");
		CHECK_INT(parse_resp(cases[i].text, n, &resp, false),
			  end + 4 - cases[i].text);
		CHECK_INT(resp.status, cases[i].status);
		sstp_http_response_check(&resp, msg, sizeof(msg));
		CHECK_MSG(!strcmp(msg, cases[i].msg), "case %zu: %s", i, msg);
		CHECK_RESP_STREAM(cases[i].text, n,
				  (int)(end + 4 - cases[i].text), false);
	}
	CHECK(!strcmp(resp.reason, "?K"));

	/* Two Locations: the first is shown. */
	{
		static const char two[] = "HTTP/1.1 302 Found\r\n"
			"Location: /a\r\nLocation: /b\r\n\r\n";

		CHECK_INT(parse_resp(two, strlen(two), &resp, false),
			  strlen(two));
	}
	CHECK(resp.has_location && !strcmp(resp.location, "/a"));

	/* A short message buffer is truncated, never overrun. */
	CHECK_INT(sstp_http_response_check(&resp, msg, 0), -1);
	parse_resp(cases[0].text, strlen(cases[0].text), &resp, false);
	CHECK_INT(sstp_http_response_check(&resp, msg, 10), -1);
	CHECK(!strcmp(msg, "server an"));
	CHECK_INT(sstp_http_response_check(NULL, msg, sizeof(msg)), -1);
}

/* Not HTTP at all, not 1.x, or a broken status line: refused. */
static void test_response_malformed(void)
{
	static const char *const cases[] = {
		"SSH-2.0-OpenSSH_9.2\r\n",
		"\x15\x03\x03\x00\x02\x02\x28",		/* a TLS alert */
		"HTTP/2.0 200 OK\r\n\r\n",
		"HTTP/0.9 200 OK\r\n\r\n",
		"HTTP/1.1 20 OK\r\n\r\n",
		"HTTP/1.1 2000 OK\r\n\r\n",
		"HTTP/1.1 600 Nope\r\n\r\n",
		"HTTP/1.1 099 Nope\r\n\r\n",
		"HTTP/1.1 200OK\r\n\r\n",
		"HTTP/1.1  200 OK\r\n\r\n",
		"HTTP/1.1\r\n\r\n",
		"http/1.1 200 OK\r\n\r\n",
		"\r\nHTTP/1.1 200 OK\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length : 1\r\n\r\n",
		"HTTP/1.1 200 OK\r\nNo colon\r\n\r\n",
		"HTTP/1.1 200 OK\r\nX: \x01\r\n\r\n",
		"HTTP/1.1 200 OK\r\nX: a\rb\r\n\r\n",
	};
	struct sstp_http_response resp;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		CHECK_MSG(parse_resp(cases[i], strlen(cases[i]), &resp,
				     false) == -EBADMSG && resp.error,
			  "case %zu accepted", i);
		CHECK_RESP_STREAM(cases[i], strlen(cases[i]), -EBADMSG, false);
	}
	/* A non-HTTP peer is known by its first byte. */
	CHECK_INT(parse_resp("S", 1, &resp, false), -EBADMSG);
	CHECK_INT(parse_resp("HTTP", 4, &resp, false), 0);
	CHECK_INT(parse_resp("", 0, &resp, false), 0);
	CHECK_INT(sstp_http_parse_response(NULL, 3, &resp), -EINVAL);
	CHECK_INT(sstp_http_parse_response("x", 1, NULL), -EINVAL);
}

static void test_response_too_long(void)
{
	static char r[SSTP_HTTP_MAX_HEADER + 16];
	struct sstp_http_response resp;
	size_t head = strlen("HTTP/1.1 200 OK\r\nX: ");

	memcpy(r, "HTTP/1.1 200 OK\r\nX: ", head);
	memset(r + head, 'a', sizeof(r) - head);
	memcpy(r + SSTP_HTTP_MAX_HEADER - 4, "\r\n\r\n", 4);
	CHECK_INT(parse_resp(r, sizeof(r), &resp, false), SSTP_HTTP_MAX_HEADER);
	memcpy(r + SSTP_HTTP_MAX_HEADER - 4, "a\r\n\r\n", 5);
	CHECK_INT(parse_resp(r, SSTP_HTTP_MAX_HEADER - 1, &resp, false), 0);
	CHECK_INT(parse_resp(r, SSTP_HTTP_MAX_HEADER, &resp, false),
		  -EMSGSIZE);
	CHECK_INT(parse_resp(r, sizeof(r), &resp, false), -EMSGSIZE);
}

/* --- client: HTTP proxy ---------------------------------------------------- */

static void test_base64(void)
{
	/* RFC 4648 section 10. */
	static const struct {
		const char *in, *out;
	} v[] = {
		{ "", "" }, { "f", "Zg==" }, { "fo", "Zm8=" },
		{ "foo", "Zm9v" }, { "foob", "Zm9vYg==" },
		{ "fooba", "Zm9vYmE=" }, { "foobar", "Zm9vYmFy" },
	};
	static const uint8_t bin[] = { 0x00, 0xff, 0xfe, 0x3e, 0x3f, 0x80 };
	char buf[64];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(v); i++) {
		CHECK_INT(sstp_http_base64(buf, sizeof(buf), v[i].in,
					   strlen(v[i].in)), strlen(v[i].out));
		CHECK_MSG(!strcmp(buf, v[i].out), "'%s' -> '%s'", v[i].in,
			  buf);
	}
	CHECK_INT(sstp_http_base64(buf, sizeof(buf), bin, sizeof(bin)), 8);
	CHECK(!strcmp(buf, "AP/+Pj+A"));
	CHECK_INT(sstp_http_base64(buf, 8, bin, sizeof(bin)), -ENOSPC);
	CHECK_INT(sstp_http_base64(buf, 9, bin, sizeof(bin)), 8);
	CHECK_INT(sstp_http_base64(buf, sizeof(buf), NULL, 1), -EINVAL);
}

static void test_format_connect(void)
{
	static const char plain[] =
		"CONNECT vpn.example.com:443 HTTP/1.1\r\n"
		"Host: vpn.example.com:443\r\n"
		"SSTPVERSION: 1.0\r\n"
		"\r\n";
	/* RFC 7617's examples: Aladdin, and a UTF-8 password. */
	static const char aladdin[] =
		"CONNECT vpn.example.com:443 HTTP/1.1\r\n"
		"Host: vpn.example.com:443\r\n"
		"SSTPVERSION: 1.0\r\n"
		"Proxy-Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==\r\n"
		"\r\n";
	static const char v6[] =
		"CONNECT [2001:db8::1]:8443 HTTP/1.1\r\n"
		"Host: [2001:db8::1]:8443\r\n"
		"SSTPVERSION: 1.0\r\n"
		"Proxy-Authorization: Basic dGVzdDoxMjPCow==\r\n"
		"\r\n";
	char buf[512];
	size_t size;

	CHECK_INT(sstp_http_format_connect(buf, sizeof(buf), "vpn.example.com",
					   443, NULL, "ignored"),
		  strlen(plain));
	CHECK_MEM(buf, plain, sizeof(plain));
	CHECK_INT(sstp_http_format_connect(buf, sizeof(buf), "vpn.example.com",
					   443, "Aladdin", "open sesame"),
		  strlen(aladdin));
	CHECK_MEM(buf, aladdin, sizeof(aladdin));
	CHECK_INT(sstp_http_format_connect(buf, sizeof(buf), "2001:db8::1",
					   8443, "test", "123\xc2\xa3"),
		  strlen(v6));
	CHECK_MEM(buf, v6, sizeof(v6));
	CHECK_INT(sstp_http_format_connect(buf, sizeof(buf), "[2001:db8::1]",
					   8443, "test", "123\xc2\xa3"),
		  strlen(v6));
	CHECK_MEM(buf, v6, sizeof(v6));
	/* An empty user and password are still credentials: ":" */
	CHECK(sstp_http_format_connect(buf, sizeof(buf), "vpn", 443, "",
				       NULL) > 0);
	CHECK(strstr(buf, "Proxy-Authorization: Basic Og==\r\n") != NULL);

	for (size = 0; size <= strlen(aladdin); size++)
		CHECK_INT(sstp_http_format_connect(buf, size, "vpn.example.com",
						   443, "Aladdin",
						   "open sesame"), -ENOSPC);

	CHECK_INT(sstp_http_format_connect(buf, sizeof(buf), "vpn", 443,
					   "a:b", "c"), -EINVAL);
	CHECK_INT(sstp_http_format_connect(buf, sizeof(buf), "vpn", 443,
					   "a", "b\r\nX: y"), -EINVAL);
	CHECK_INT(sstp_http_format_connect(buf, sizeof(buf), "vpn", 443,
					   "a\x7f", "b"), -EINVAL);
	CHECK_INT(sstp_http_format_connect(buf, sizeof(buf), "vpn", 0, NULL,
					   NULL), -EINVAL);
	CHECK_INT(sstp_http_format_connect(buf, sizeof(buf), "vpn", 65536,
					   NULL, NULL), -EINVAL);
	CHECK_INT(sstp_http_format_connect(buf, sizeof(buf), "vpn x", 443,
					   NULL, NULL), -EINVAL);
	CHECK_INT(sstp_http_format_connect(buf, sizeof(buf), "", 443, NULL,
					   NULL), -EINVAL);
	CHECK_INT(sstp_http_format_connect(buf, sizeof(buf), "[::1", 443,
					   NULL, NULL), -EINVAL);
	CHECK(!buf[0]);
	CHECK_INT(sstp_http_format_connect(buf, sizeof(buf), NULL, 443, NULL,
					   NULL), -EINVAL);
}

static void test_connect_responses(void)
{
	static const struct {
		const char *text;
		bool sent;		/* we had sent credentials */
		int verdict;		/* sstp_http_connect_check() */
		const char *schemes;
		bool basic;
		const char *msg;	/* a part of the message */
	} cases[] = {
		{ "HTTP/1.1 200 Connection established\r\n\r\n", false, 0,
		  "", false, "" },
		{ "HTTP/1.0 200 Connection established\r\n"
		  "Proxy-agent: Squid/2.7\r\n\r\n", false, 0, "", false, "" },
		{ "HTTP/1.1 204 OK\r\nContent-Length: 12\r\n\r\n", false, 0,
		  "", false, "" },
		{ "HTTP/1.1 407 Proxy Authentication Required\r\n"
		  "Proxy-Authenticate: Basic realm=\"corp\"\r\n"
		  "Content-Length: 0\r\n\r\n", false, 1, "Basic", true,
		  "proxy answered 407 Proxy Authentication Required: it wants "
		  "a user name and password (Basic)" },
		{ "HTTP/1.1 407 Proxy Authentication Required\r\n"
		  "Proxy-Authenticate: Basic realm=\"corp\"\r\n\r\n", true, -1,
		  "Basic", true, "refused the user name or password" },
		{ "HTTP/1.1 407 Proxy Authentication Required\r\n"
		  "Proxy-Authenticate: Negotiate\r\n"
		  "Proxy-Authenticate: NTLM\r\n\r\n", false, -1,
		  "Negotiate, NTLM", false,
		  "wants Negotiate, NTLM authentication; only Basic" },
		{ "HTTP/1.1 407 Proxy Authentication Required\r\n"
		  "proxy-authenticate: Digest realm=\"a, b\", qop=\"auth\", "
		  "nonce=\"x\\\"y,z\", basic realm=\"c\", charset=UTF-8\r\n\r\n",
		  false, 1, "Digest, basic", true, "(Basic)" },
		{ "HTTP/1.1 407 Proxy Authentication Required\r\n"
		  "Proxy-Authenticate: Negotiate abc==, Basic\r\n\r\n", false,
		  1, "Negotiate, Basic", true, "" },
		{ "HTTP/1.1 407 Proxy Authentication Required\r\n\r\n", false,
		  -1, "", false, "names no scheme" },
		{ "HTTP/1.1 403 Forbidden\r\n\r\n", false, -1, "", false,
		  "proxy answered 403 Forbidden: the proxy does not allow a "
		  "tunnel to this host and port" },
		{ "HTTP/1.1 502 Bad Gateway\r\n\r\n", false, -1, "", false,
		  "could not reach the server" },
		{ "HTTP/1.1 405 Method Not Allowed\r\n\r\n", false, -1, "",
		  false, "does not support CONNECT" },
		{ "HTTP/1.1 302 Found\r\nLocation: /login\r\n\r\n", false, -1,
		  "", false, "no tunnel through the proxy" },
	};
	struct sstp_http_response resp;
	uint8_t buf[512];
	char msg[256];
	size_t i, n;
	int v;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		n = strlen(cases[i].text);
		CHECK_MSG(parse_resp(cases[i].text, n, &resp, true) == (int)n,
			  "case %zu: %s", i, resp.error);
		CHECK_MSG(!strcmp(resp.auth_schemes, cases[i].schemes) &&
			  resp.auth_basic == cases[i].basic,
			  "case %zu: schemes '%s' basic %d", i,
			  resp.auth_schemes, resp.auth_basic);
		v = sstp_http_connect_check(&resp, cases[i].sent, msg,
					    sizeof(msg));
		CHECK_MSG(v == cases[i].verdict && strstr(msg, cases[i].msg) &&
			  (v || !msg[0]), "case %zu: %d '%s'", i, v, msg);

		/* Split anywhere, with the server's TLS bytes behind. */
		memcpy(buf, cases[i].text, n);
		memcpy(buf + n, "\x16\x03\x03\x00\x7a", 5);
		CHECK_RESP_STREAM(buf, n + 5, (int)n, true);
	}
	/* The SSTP response parser does not read Proxy-Authenticate. */
	n = strlen(cases[3].text);
	CHECK_INT(parse_resp(cases[3].text, n, &resp, false), n);
	CHECK(!resp.auth_basic && !resp.auth_schemes[0]);
}

/* A flood of schemes fills the list, never more; Basic is still seen. */
static void test_connect_many_schemes(void)
{
	static char r[2048];
	struct sstp_http_response resp;
	char msg[256];
	size_t n = 0, i;

	n += (size_t)snprintf(r, sizeof(r),
			      "HTTP/1.1 407 Proxy Authentication Required\r\n");
	for (i = 0; i < 40; i++)
		n += (size_t)snprintf(r + n, sizeof(r) - n,
				      "Proxy-Authenticate: Scheme%zu\r\n", i);
	n += (size_t)snprintf(r + n, sizeof(r) - n,
			      "Proxy-Authenticate: Basic\r\n\r\n");
	CHECK_INT(parse_resp(r, n, &resp, true), n);
	CHECK(strlen(resp.auth_schemes) <= SSTP_HTTP_SCHEMES_MAX);
	CHECK(!strncmp(resp.auth_schemes, "Scheme0, Scheme1, ", 18));
	CHECK(resp.auth_basic);
	CHECK_INT(sstp_http_connect_check(&resp, false, msg, sizeof(msg)), 1);
}

/* --- robustness ------------------------------------------------------------- */

/*
 * Random corruption of valid headers: the parsers must not read out of
 * bounds (ASan), must give a header length within the input, and must
 * give the same answer for every prefix once they answer at all.
 */
static void test_random_corruption(void)
{
	static const char *const seeds[] = {
		SSTPC_REQUEST,
		"HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551615\r\n"
		"Server: Microsoft-HTTPAPI/2.0\r\n\r\n",
		"HTTP/1.1 407 Proxy Authentication Required\r\n"
		"Proxy-Authenticate: Digest realm=\"a, b\", Basic\r\n\r\n",
	};
	static const char specials[] = "\r\n :\"\\,=?&[]\t\0";
	struct sstp_http_request req;
	struct sstp_http_response resp;
	unsigned int iter, flips, j, accepted = 0, rejected = 0;
	uint8_t buf[256];
	size_t len, k, s;
	int full;

	unit_rng_state = 0x5157ab1e;
	for (iter = 0; iter < 3000; iter++) {
		s = iter % ARRAY_SIZE(seeds);
		len = strlen(seeds[s]);
		memcpy(buf, seeds[s], len);
		flips = 1 + unit_rng() % 3;
		for (j = 0; j < flips; j++) {
			k = unit_rng() % len;
			buf[k] = unit_rng() % 2 ? (uint8_t)unit_rng() :
				 (uint8_t)specials[unit_rng() % (sizeof(specials))];
		}
		if (unit_rng() % 4 == 0)
			len -= unit_rng() % len;
		if (s == 0)
			full = parse_req(buf, len, &req);
		else
			full = parse_resp(buf, len, &resp, s == 2);
		if (full > (int)len) {
			CHECK_MSG(0, "header %d longer than input %zu", full,
				  len);
			continue;
		}
		full > 0 ? accepted++ : rejected++;
		if (iter % 10)
			continue;	/* every prefix: a tenth of the time */
		if (s == 0)
			CHECK_REQ_STREAM(buf, len, full,
					 full == 0 ? 0 : req.status);
		else
			CHECK_RESP_STREAM(buf, len, full, s == 2);
	}
	CHECK_MSG(accepted > 100 && rejected > 100, "accepted %u rejected %u",
		  accepted, rejected);
}

static const struct unit_test tests[] = {
	UNIT_TEST(test_request_sstpc_canonical),
	UNIT_TEST(test_request_windows_style),
	UNIT_TEST(test_request_networkmanager_id),
	UNIT_TEST(test_request_correlation_id_sanitised),
	UNIT_TEST(test_request_case_variants),
	UNIT_TEST(test_request_query),
	UNIT_TEST(test_request_host_forms),
	UNIT_TEST(test_request_line_ends),
	UNIT_TEST(test_request_split_every_byte),
	UNIT_TEST(test_request_other_fields),
	UNIT_TEST(test_request_rejections),
	UNIT_TEST(test_request_error_reasons),
	UNIT_TEST(test_request_too_long),
	UNIT_TEST(test_request_bad_args),
	UNIT_TEST(test_format_response),
	UNIT_TEST(test_format_error),
	UNIT_TEST(test_format_request_errors),
	UNIT_TEST(test_format_host),
	UNIT_TEST(test_format_guid),
	UNIT_TEST(test_response_servers),
	UNIT_TEST(test_response_bad_content_length),
	UNIT_TEST(test_response_errors),
	UNIT_TEST(test_response_malformed),
	UNIT_TEST(test_response_too_long),
	UNIT_TEST(test_base64),
	UNIT_TEST(test_format_connect),
	UNIT_TEST(test_connect_responses),
	UNIT_TEST(test_connect_many_schemes),
	UNIT_TEST(test_random_corruption),
};

int main(void)
{
	return unit_run(tests, ARRAY_SIZE(tests));
}
