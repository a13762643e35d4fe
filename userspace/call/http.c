// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * http.c - the SSTP HTTP exchange, both sides: the client's request and
 * the server's answers, formatted and parsed. The pieces it shares with the
 * proxy CONNECT (client/http-connect.c) are in http-parse.c. See http.h
 * for what is accepted and why.
 */
#include "call/http.h"
#include "call/http-parse.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/*
 * Check a Host value (RFC 9110 7.2: uri-host [":" port]) and store the
 * host without port and brackets in @out. False if invalid or too long.
 */
static bool parse_host(const unsigned char *v, size_t n, char *out,
		       size_t outsize)
{
	const unsigned char *name = v;
	size_t i, name_len, port_start, port = 0;

	if (n && v[0] == '[') {
		for (i = 1; i < n && v[i] != ']'; i++)
			if (!http_is_ipv6_char(v[i]))
				return false;
		if (i == n || i == 1)
			return false;
		name = v + 1;
		name_len = i - 1;
		port_start = i + 1;
	} else {
		for (i = 0; i < n && v[i] != ':'; i++)
			if (!http_is_regname(v[i]))
				return false;
		name_len = i;
		port_start = i;
	}
	if (port_start < n) {
		/* ":" *DIGIT (RFC 3986 3.2.3: empty, or zeros in front). */
		if (v[port_start] != ':')
			return false;
		for (i = port_start + 1; i < n; i++) {
			if (!http_is_digit(v[i]))
				return false;
			port = port * 10 + (v[i] - '0');
			if (port > 65535)
				return false;
		}
	}
	/* Host names have at most 255 bytes (RFC 1035); out holds that. */
	if (name_len >= outsize)
		return false;
	memcpy(out, name, name_len);
	out[name_len] = '\0';
	return true;
}

/* ---- server: parse the request ------------------------------------------ */

struct request_line {
	const unsigned char *target;
	size_t target_len;
	unsigned int major;
};

/* Not SSTP: say which status to answer and why; returns @ret. */
static int request_bad(struct sstp_http_request *req, int ret,
		       unsigned int status, const char *why)
{
	req->is_sstp = false;
	req->status = status;
	req->error = why;
	return ret;
}

static enum sstp_http_method method_of(const unsigned char *m, size_t n)
{
	if (http_equal_nocase(m, n, SSTP_HTTP_METHOD))
		return SSTP_HTTP_METHOD_SSTP;
	if (http_equal_nocase(m, n, "GET"))
		return SSTP_HTTP_METHOD_GET;
	if (http_equal_nocase(m, n, "HEAD"))
		return SSTP_HTTP_METHOD_HEAD;
	return SSTP_HTTP_METHOD_OTHER;
}

/*
 * method SP request-target SP HTTP-version, single spaces (RFC 9112 3).
 * Only the syntax is judged here; what the request asks for is judged
 * once the whole header is in, so that the answer can be a proper one.
 */
static int parse_request_line(const unsigned char *l, size_t n,
			      struct sstp_http_request *req,
			      struct request_line *rl)
{
	size_t i = 0, start;
	const unsigned char *v;

	while (i < n && http_is_tchar(l[i]))
		i++;
	if (i == 0 || i == n || l[i] != ' ')
		return request_bad(req, -EBADMSG, 400,
				   "malformed request line (method)");
	req->method = method_of(l, i);

	start = ++i;
	while (i < n && http_is_vchar(l[i]))
		i++;
	if (i == start || i == n || l[i] != ' ')
		return request_bad(req, -EBADMSG, 400,
				   "malformed request line (request target)");
	rl->target = l + start;
	rl->target_len = i - start;

	/* "HTTP/" DIGIT "." DIGIT, "HTTP" in upper case (RFC 9112 2.3). */
	v = l + i + 1;
	if (n - i - 1 != 8 || memcmp(v, "HTTP/", 5) || !http_is_digit(v[5]) ||
	    v[6] != '.' || !http_is_digit(v[7]))
		return request_bad(req, -EBADMSG, 400,
				   "malformed request line (HTTP version)");
	rl->major = v[5] - '0';
	req->version_minor = v[7] - '0';
	return 0;
}

/* Find tenantid=... among the &-separated variables of a query. */
static void parse_query(const unsigned char *q, size_t n,
			struct sstp_http_request *req)
{
	size_t i = 0, start, eq;

	while (i <= n && !req->has_tenantid) {
		start = i;
		while (i < n && q[i] != '&')
			i++;
		for (eq = start; eq < i && q[eq] != '='; eq++)
			;
		if (http_equal_nocase(q + start, eq - start, "tenantid")) {
			req->has_tenantid = true;
			if (eq < i)
				eq++;
			http_copy_sanitised(req->tenantid,
					    sizeof(req->tenantid), q + eq,
					    i - eq, false);
		}
		i++;
	}
}

/* The SSTP URI (any case), optionally followed by "?query", which is
 * then read into @req. */
static bool match_sstp_uri(const struct request_line *rl,
			struct sstp_http_request *req)
{
	size_t n = strlen(SSTP_HTTP_URI);

	if (rl->target_len < n ||
	    !http_equal_nocase(rl->target, n, SSTP_HTTP_URI))
		return false;
	if (rl->target_len == n)
		return true;
	if (rl->target[n] != '?')
		return false;
	parse_query(rl->target + n + 1, rl->target_len - n - 1, req);
	return true;
}

static int parse_request_field(const unsigned char *l, size_t n,
			       struct sstp_http_request *req)
{
	const unsigned char *v;
	size_t name_len, vn;
	uint64_t cl;

	if (http_is_ows(l[0]))
		return request_bad(req, -EBADMSG, 400,
				   "obsolete line folding in the header");
	if (!http_split_field(l, n, &name_len, &v, &vn))
		return request_bad(req, -EBADMSG, 400,
				   "malformed header field");
	if (http_equal_nocase(l, name_len, "Host")) {
		/* RFC 9110 7.2: several Host fields or a bad one get a 400. */
		if (req->has_host)
			return request_bad(req, -EBADMSG, 400,
					   "several Host fields");
		if (!parse_host(v, vn, req->host, sizeof(req->host)))
			return request_bad(req, -EBADMSG, 400,
					   "invalid Host field");
		req->has_host = true;
	} else if (http_equal_nocase(l, name_len, "SSTPCORRELATIONID")) {
		if (!req->has_correlation_id)
			http_copy_sanitised(req->correlation_id,
					    sizeof(req->correlation_id), v, vn,
					    false);
		req->has_correlation_id = true;
	} else if (http_equal_nocase(l, name_len, "Content-Length")) {
		if (!http_parse_u64(v, vn, &cl))
			return request_bad(req, -EBADMSG, 400,
					   "invalid Content-Length");
		if (req->has_content_length && req->content_length != cl)
			return request_bad(req, -EBADMSG, 400,
					   "conflicting Content-Length fields");
		req->has_content_length = true;
		req->content_length = cl;
	}
	return 0;
}

int sstp_http_parse_request(const void *buf, size_t len,
			    struct sstp_http_request *req)
{
	const unsigned char *p = buf;
	struct request_line rl = { 0 };
	size_t lim, pos = 0, eol = 0, next = 0;
	bool have_line = false;
	const char *why = NULL;
	int r;

	if (!req)
		return -EINVAL;
	memset(req, 0, sizeof(*req));
	if (!buf && len)
		return request_bad(req, -EINVAL, 0, "no buffer");

	lim = len < SSTP_HTTP_MAX_HEADER ? len : SSTP_HTTP_MAX_HEADER;
	for (;;) {
		r = http_next_line(p, lim, pos, &eol, &next, &why);
		if (r < 0)
			return request_bad(req, -EBADMSG, 400, why);
		if (r == 0) {
			if (len >= SSTP_HTTP_MAX_HEADER)
				return request_bad(req, -EMSGSIZE, 431,
						   "header longer than 8192 bytes");
			return 0;
		}
		if (!have_line) {
			/* RFC 9112 2.2: ignore empty lines before it. */
			if (eol > pos) {
				r = parse_request_line(p + pos, eol - pos, req,
						       &rl);
				if (r < 0)
					return r;
				have_line = true;
			}
		} else if (eol == pos) {
			break;	/* the empty line: end of header */
		} else {
			r = parse_request_field(p + pos, eol - pos, req);
			if (r < 0)
				return r;
		}
		pos = next;
	}

	/* A well-formed request: return its length whatever it asks for. */
	if (rl.major != 1)
		return request_bad(req, (int)next, 505,
				   "HTTP version is not 1.x");
	if (req->method == SSTP_HTTP_METHOD_OTHER)
		return request_bad(req, (int)next, 501,
				   "method is not SSTP_DUPLEX_POST");
	if (req->method != SSTP_HTTP_METHOD_SSTP)
		return request_bad(req, (int)next, 404,
				   "GET or HEAD request (a web browser or a scanner?)");
	if (!match_sstp_uri(&rl, req))
		return request_bad(req, (int)next, 404, "URI is not SSTP's");
	req->is_sstp = true;
	req->status = 200;
	return (int)next;
}

/* ---- server: the answer ------------------------------------------------- */

/* Printable ASCII without space: what we let into a header line. */
static bool is_safe_token(const char *s, size_t max)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (i >= max || !http_is_vchar((unsigned char)s[i]))
			return false;
	return i > 0;
}

/* Date: IMF-fixdate (RFC 9110 5.6.7), in English whatever the locale. */
static bool out_date(struct http_out *o, time_t t)
{
	static const char days[7][4] = {
		"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
	};
	static const char months[12][4] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
	};
	char tmp[96];
	struct tm tm;

	if (!gmtime_r(&t, &tm) || tm.tm_year < -1900 ||
	    tm.tm_year > 9999 - 1900 || tm.tm_wday < 0 || tm.tm_wday > 6 ||
	    tm.tm_mon < 0 || tm.tm_mon > 11)
		return false;
	snprintf(tmp, sizeof(tmp), "%s, %02d %s %04d %02d:%02d:%02d GMT",
		 days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
		 tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
	http_out_str(o, tmp);
	return true;
}

const char *sstp_http_reason(unsigned int status)
{
	static const struct {
		unsigned int status;
		const char *reason;
	} reasons[] = {
		{ 200, "OK" },
		{ 301, "Moved Permanently" },
		{ 302, "Found" },
		{ 303, "See Other" },
		{ 307, "Temporary Redirect" },
		{ 308, "Permanent Redirect" },
		{ 400, "Bad Request" },
		{ 401, "Unauthorized" },
		{ 403, "Forbidden" },
		{ 404, "Not Found" },
		{ 405, "Method Not Allowed" },
		{ 407, "Proxy Authentication Required" },
		{ 408, "Request Timeout" },
		{ 414, "URI Too Long" },
		{ 431, "Request Header Fields Too Large" },
		{ 500, "Internal Server Error" },
		{ 501, "Not Implemented" },
		{ 502, "Bad Gateway" },
		{ 503, "Service Unavailable" },
		{ 504, "Gateway Timeout" },
		{ 505, "HTTP Version Not Supported" },
	};
	size_t i;

	for (i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (reasons[i].status == status)
			return reasons[i].reason;
	return NULL;
}

static bool is_redirect(unsigned int status)
{
	return status == 301 || status == 302 || status == 303 ||
	       status == 307 || status == 308;
}

int sstp_http_format_response(char *buf, size_t size, time_t date)
{
	struct http_out o;

	if (!http_out_init(&o, buf, size))
		return -EINVAL;
	http_out_str(&o, "HTTP/1.1 200 OK\r\n"
		     "Content-Length: " SSTP_HTTP_CONTENT_LENGTH "\r\n"
		     "Server: Microsoft-HTTPAPI/2.0\r\n"
		     "Date: ");
	if (!out_date(&o, date))
		return http_out_fail(&o, -EINVAL);
	http_out_str(&o, "\r\n\r\n");
	return http_out_end(&o);
}

int sstp_http_format_error(char *buf, size_t size, unsigned int status,
			   const char *location)
{
	const char *reason = sstp_http_reason(status);
	struct http_out o;

	if (!http_out_init(&o, buf, size) || !reason || status < 300)
		return -EINVAL;
	if (is_redirect(status) != (location != NULL))
		return -EINVAL;
	if (location && !is_safe_token(location, SIZE_MAX))
		return -EINVAL;
	http_out_str(&o, "HTTP/1.1 ");
	http_out_uint(&o, status);
	http_out_str(&o, " ");
	http_out_str(&o, reason);
	http_out_str(&o, "\r\n");
	if (location) {
		http_out_str(&o, "Location: ");
		http_out_str(&o, location);
		http_out_str(&o, "\r\n");
	}
	http_out_str(&o, "Content-Length: 0\r\nConnection: close\r\n\r\n");
	return http_out_end(&o);
}

/* ---- client: the request ------------------------------------------------ */

int sstp_http_format_request(char *buf, size_t size, const char *host,
			     const char *correlation_id)
{
	char name[SSTP_HTTP_HOST_MAX + 1];
	struct http_out o;

	if (!http_out_init(&o, buf, size) || !host)
		return -EINVAL;
	if (!parse_host((const unsigned char *)host, strlen(host), name,
			sizeof(name)) || !name[0])
		return -EINVAL;
	if (correlation_id &&
	    !is_safe_token(correlation_id, SSTP_HTTP_ID_MAX))
		return -EINVAL;
	http_out_str(&o, SSTP_HTTP_METHOD " " SSTP_HTTP_URI " HTTP/1.1\r\n"
		     "Host: ");
	http_out_str(&o, host);
	http_out_str(&o,
		     "\r\nContent-Length: " SSTP_HTTP_CONTENT_LENGTH "\r\n");
	if (correlation_id) {
		http_out_str(&o, "SSTPCORRELATIONID: ");
		http_out_str(&o, correlation_id);
		http_out_str(&o, "\r\n");
	}
	http_out_str(&o, "\r\n");
	return http_out_end(&o);
}

int sstp_http_format_host(char *buf, size_t size, const char *name,
			  unsigned int port)
{
	struct http_out o;

	if (!http_out_init(&o, buf, size) || !name || !port || port > 65535)
		return -EINVAL;
	if (!http_out_host(&o, name))
		return -EINVAL;
	if (port != 443) {
		http_out_str(&o, ":");
		http_out_uint(&o, port);
	}
	return http_out_end(&o);
}

int sstp_http_format_guid(char *buf, size_t size, const uint8_t random[16])
{
	static const char hex[] = "0123456789ABCDEF";
	uint8_t b[16];
	struct http_out o;
	char c[2];
	int i;

	if (!http_out_init(&o, buf, size) || !random)
		return -EINVAL;
	memcpy(b, random, sizeof(b));
	b[6] = (b[6] & 0x0f) | 0x40;	/* version 4: random */
	b[8] = (b[8] & 0x3f) | 0x80;	/* variant 10: RFC 4122 */
	http_out_str(&o, "{");
	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			http_out_str(&o, "-");
		c[0] = hex[b[i] >> 4];
		c[1] = hex[b[i] & 15];
		http_out_mem(&o, c, 2);
	}
	http_out_str(&o, "}");
	return http_out_end(&o);
}

/* ---- client: the response ----------------------------------------------- */

int sstp_http_parse_response(const void *buf, size_t len,
			     struct sstp_http_response *resp)
{
	return http_parse_response(buf, len, resp, NULL);
}

int sstp_http_response_check(const struct sstp_http_response *resp,
			     char *msg, size_t size)
{
	char hint[SSTP_HTTP_LOCATION_MAX + 128];
	unsigned int s;

	if (!msg || !size)
		return -1;
	msg[0] = '\0';
	if (!resp) {
		snprintf(msg, size, "no response");
		return -1;
	}
	s = resp->status;
	if (s == 200 && resp->content_length_ok)
		return 0;

	if (s == 200) {
		/* sstpc refuses this too: a plain web server answering a
		 * POST-like request with a short body. */
		snprintf(msg, size,
			 "server answered 200 with Content-Length: %s, where "
			 "an SSTP server sends " SSTP_HTTP_CONTENT_LENGTH
			 " (not an SSTP server?)", resp->content_length);
		return -1;
	}
	if (s >= 300 && s < 400 && resp->has_location)
		snprintf(hint, sizeof(hint),
			 "redirect to %s: no SSTP service at this address "
			 "(a web server?)", resp->location);
	else if (s == 400)
		snprintf(hint, sizeof(hint),
			 "the server did not understand the SSTP request "
			 "(not an SSTP server?)");
	else if (s == 401 || s == 403)
		snprintf(hint, sizeof(hint),
			 "access denied (a web server or a filter in front "
			 "of the SSTP server?)");
	else if (s == 404)
		snprintf(hint, sizeof(hint),
			 "no SSTP service here (not an SSTP server, or it "
			 "expects another host name)");
	else if (s == 405 || s == 501)
		snprintf(hint, sizeof(hint),
			 "the server does not know SSTP_DUPLEX_POST "
			 "(not an SSTP server)");
	else if (s == 503)
		snprintf(hint, sizeof(hint),
			 "the SSTP service is unavailable (overloaded, "
			 "stopping or disabled); try again later");
	else if (s >= 500)
		snprintf(hint, sizeof(hint), "server error");
	else
		snprintf(hint, sizeof(hint),
			 "unexpected answer (an SSTP server answers 200)");
	http_describe(msg, size, "server", resp, hint);
	return -1;
}
