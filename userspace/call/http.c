// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * http.c - the SSTP HTTP exchange (both sides) and the proxy CONNECT.
 *
 * The parsers re-read the whole buffer on every call rather than keep
 * state between calls: a header is at most SSTP_HTTP_MAX_HEADER bytes, so
 * the cost is small, and a stateless parser cannot get out of step with
 * the caller's buffer. See http.h for what is accepted and why.
 */
#include "call/http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

/* ---- character classes (ASCII only, never the locale's) -------------- */

static bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_hex(unsigned char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* RFC 9110 5.6.2: the characters of a token (method, field name). */
static bool is_tchar(unsigned char c)
{
	return is_alpha(c) || is_digit(c) ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* Visible ASCII: what a request target, a URI or an id may contain. */
static bool is_vchar(unsigned char c)
{
	return c > 0x20 && c < 0x7f;
}

static bool is_ows(unsigned char c)
{
	return c == ' ' || c == '\t';
}

/* RFC 3986 reg-name characters, which is what a host name may hold. */
static bool is_regname(unsigned char c)
{
	return is_alpha(c) || is_digit(c) ||
	       (c && strchr("-._~!$&'()*+,;=%", c));
}

/* Inside an IPv6 literal: hex groups, colons, maybe a dotted IPv4 tail. */
static bool is_ipv6_char(unsigned char c)
{
	return is_hex(c) || c == ':' || c == '.';
}

static unsigned char to_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* buf[0..n) equals the NUL-terminated @s, ignoring ASCII case. */
static bool equal_nocase(const unsigned char *buf, size_t n, const char *s)
{
	size_t i;

	if (strlen(s) != n)
		return false;
	for (i = 0; i < n; i++)
		if (to_lower(buf[i]) != to_lower((unsigned char)s[i]))
			return false;
	return true;
}

/*
 * Copy a received value for logging: truncated to the array, every byte
 * that could confuse a log line (controls, non-ASCII, and space unless
 * @keep_space) replaced by '?'.
 */
static void copy_sanitised(char *dst, size_t dstsize, const unsigned char *src,
			   size_t n, bool keep_space)
{
	size_t i;

	if (n > dstsize - 1)
		n = dstsize - 1;
	for (i = 0; i < n; i++)
		dst[i] = is_vchar(src[i]) || (keep_space && src[i] == ' ') ?
			 (char)src[i] : '?';
	dst[n] = '\0';
}

/* 1*DIGIT into a uint64_t; false on anything else or on overflow. */
static bool parse_u64(const unsigned char *s, size_t n, uint64_t *value)
{
	uint64_t v = 0;
	unsigned int d;
	size_t i;

	if (!n)
		return false;
	for (i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return false;
		d = s[i] - '0';
		if (v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*value = v;
	return true;
}

/* ---- lines -------------------------------------------------------------- */

/*
 * Find the end of the line that starts at @pos, looking no further than
 * @len. A line ends with LF, CR LF or CR CR LF (see http.h); its content is
 * p[pos..*eol) and the next line starts at *next. Every byte on the way is
 * checked, so that a forbidden one is reported even before its line ends.
 * Returns 1 for a whole line, 0 when @len comes first, -1 (with *why) on a
 * forbidden byte.
 */
static int next_line(const unsigned char *p, size_t len, size_t pos,
		     size_t *eol, size_t *next, const char **why)
{
	size_t i, crs;

	for (i = pos; i < len; i++) {
		if (p[i] == '\n') {
			*eol = i;
			*next = i + 1;
			return 1;
		}
		if (p[i] == '\r') {
			crs = i + 1 < len && p[i + 1] == '\r' ? 2 : 1;
			if (i + crs >= len)
				return 0;	/* its LF may still come */
			if (p[i + crs] != '\n') {
				/* A lone CR ends a line for some parsers and
				 * not for others: the stuff of smuggling. */
				*why = "CR not followed by LF";
				return -1;
			}
			*eol = i;
			*next = i + crs + 1;
			return 1;
		}
		if (p[i] == '\t' || (p[i] >= 0x20 && p[i] != 0x7f))
			continue;	/* obs-text (>= 0x80) included */
		*why = p[i] ? "control character in the header" :
			      "NUL byte in the header";
		return -1;
	}
	return 0;
}

/*
 * Split a header field line into its name and its value without the
 * surrounding whitespace. False when the line is not "token:value"
 * (whitespace before the colon is refused, RFC 9112 5.1).
 */
static bool split_field(const unsigned char *l, size_t n, size_t *name_len,
			const unsigned char **value, size_t *value_len)
{
	size_t i = 0, end = n;

	while (i < n && is_tchar(l[i]))
		i++;
	if (i == 0 || i == n || l[i] != ':')
		return false;
	*name_len = i++;
	while (i < n && is_ows(l[i]))
		i++;
	while (end > i && is_ows(l[end - 1]))
		end--;
	*value = l + i;
	*value_len = end - i;
	return true;
}

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
			if (!is_ipv6_char(v[i]))
				return false;
		if (i == n || i == 1)
			return false;
		name = v + 1;
		name_len = i - 1;
		port_start = i + 1;
	} else {
		for (i = 0; i < n && v[i] != ':'; i++)
			if (!is_regname(v[i]))
				return false;
		name_len = i;
		port_start = i;
	}
	if (port_start < n) {
		/* ":" *DIGIT (RFC 3986 3.2.3: empty, or zeros in front). */
		if (v[port_start] != ':')
			return false;
		for (i = port_start + 1; i < n; i++) {
			if (!is_digit(v[i]))
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
	if (equal_nocase(m, n, SSTP_HTTP_METHOD))
		return SSTP_HTTP_METHOD_SSTP;
	if (equal_nocase(m, n, "GET"))
		return SSTP_HTTP_METHOD_GET;
	if (equal_nocase(m, n, "HEAD"))
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

	while (i < n && is_tchar(l[i]))
		i++;
	if (i == 0 || i == n || l[i] != ' ')
		return request_bad(req, -EBADMSG, 400,
				   "malformed request line (method)");
	req->method = method_of(l, i);

	start = ++i;
	while (i < n && is_vchar(l[i]))
		i++;
	if (i == start || i == n || l[i] != ' ')
		return request_bad(req, -EBADMSG, 400,
				   "malformed request line (request target)");
	rl->target = l + start;
	rl->target_len = i - start;

	/* "HTTP/" DIGIT "." DIGIT, "HTTP" in upper case (RFC 9112 2.3). */
	v = l + i + 1;
	if (n - i - 1 != 8 || memcmp(v, "HTTP/", 5) || !is_digit(v[5]) ||
	    v[6] != '.' || !is_digit(v[7]))
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
		if (equal_nocase(q + start, eq - start, "tenantid")) {
			req->has_tenantid = true;
			if (eq < i)
				eq++;
			copy_sanitised(req->tenantid, sizeof(req->tenantid),
				       q + eq, i - eq, false);
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

	if (rl->target_len < n || !equal_nocase(rl->target, n, SSTP_HTTP_URI))
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

	if (is_ows(l[0]))
		return request_bad(req, -EBADMSG, 400,
				   "obsolete line folding in the header");
	if (!split_field(l, n, &name_len, &v, &vn))
		return request_bad(req, -EBADMSG, 400,
				   "malformed header field");
	if (equal_nocase(l, name_len, "Host")) {
		/* RFC 9110 7.2: several Host fields or a bad one get a 400. */
		if (req->has_host)
			return request_bad(req, -EBADMSG, 400,
					   "several Host fields");
		if (!parse_host(v, vn, req->host, sizeof(req->host)))
			return request_bad(req, -EBADMSG, 400,
					   "invalid Host field");
		req->has_host = true;
	} else if (equal_nocase(l, name_len, "SSTPCORRELATIONID")) {
		if (!req->has_correlation_id)
			copy_sanitised(req->correlation_id,
				       sizeof(req->correlation_id), v, vn,
				       false);
		req->has_correlation_id = true;
	} else if (equal_nocase(l, name_len, "Content-Length")) {
		if (!parse_u64(v, vn, &cl))
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
		r = next_line(p, lim, pos, &eol, &next, &why);
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

/* ---- formatting into a caller buffer ---------------------------------- */

/* An output buffer that records overflow instead of writing past its end. */
struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void out_mem(struct out *o, const void *s, size_t n)
{
	if (o->len < o->size && n < o->size - o->len)
		memcpy(o->buf + o->len, s, n);
	o->len = o->len + n < o->len ? SIZE_MAX : o->len + n;
}

static void out_str(struct out *o, const char *s)
{
	out_mem(o, s, strlen(s));
}

static void out_uint(struct out *o, unsigned long long v)
{
	char tmp[24];

	snprintf(tmp, sizeof(tmp), "%llu", v);
	out_str(o, tmp);
}

/* Give up with @err, leaving "" rather than a partial header. */
static int out_fail(struct out *o, int err)
{
	if (o->size)
		o->buf[0] = '\0';
	return err;
}

/* NUL-terminate; the length written or -ENOSPC. */
static int out_end(struct out *o)
{
	if (o->len >= o->size)
		return out_fail(o, -ENOSPC);
	o->buf[o->len] = '\0';
	return (int)o->len;
}

static bool out_init(struct out *o, char *buf, size_t size)
{
	o->buf = buf;
	o->size = buf ? size : 0;
	o->len = 0;
	if (buf && size)
		buf[0] = '\0';
	/* Lengths are returned as int: keep far below INT_MAX. */
	if (o->size > (size_t)1 << 30)
		o->size = (size_t)1 << 30;
	return buf != NULL;
}

/* Printable ASCII without space: what we let into a header line. */
static bool is_safe_token(const char *s, size_t max)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (i >= max || !is_vchar((unsigned char)s[i]))
			return false;
	return i > 0;
}

/* Date: IMF-fixdate (RFC 9110 5.6.7), in English whatever the locale. */
static bool out_date(struct out *o, time_t t)
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
	out_str(o, tmp);
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
	struct out o;

	if (!out_init(&o, buf, size))
		return -EINVAL;
	out_str(&o, "HTTP/1.1 200 OK\r\n"
		    "Content-Length: " SSTP_HTTP_CONTENT_LENGTH "\r\n"
		    "Server: Microsoft-HTTPAPI/2.0\r\n"
		    "Date: ");
	if (!out_date(&o, date))
		return out_fail(&o, -EINVAL);
	out_str(&o, "\r\n\r\n");
	return out_end(&o);
}

int sstp_http_format_error(char *buf, size_t size, unsigned int status,
			   const char *location)
{
	const char *reason = sstp_http_reason(status);
	struct out o;

	if (!out_init(&o, buf, size) || !reason || status < 300)
		return -EINVAL;
	if (is_redirect(status) != (location != NULL))
		return -EINVAL;
	if (location && !is_safe_token(location, SIZE_MAX))
		return -EINVAL;
	out_str(&o, "HTTP/1.1 ");
	out_uint(&o, status);
	out_str(&o, " ");
	out_str(&o, reason);
	out_str(&o, "\r\n");
	if (location) {
		out_str(&o, "Location: ");
		out_str(&o, location);
		out_str(&o, "\r\n");
	}
	out_str(&o, "Content-Length: 0\r\nConnection: close\r\n\r\n");
	return out_end(&o);
}

/* ---- client: the request ------------------------------------------------ */

int sstp_http_format_request(char *buf, size_t size, const char *host,
			     const char *correlation_id)
{
	char name[SSTP_HTTP_HOST_MAX + 1];
	struct out o;

	if (!out_init(&o, buf, size) || !host)
		return -EINVAL;
	if (!parse_host((const unsigned char *)host, strlen(host), name,
			sizeof(name)) || !name[0])
		return -EINVAL;
	if (correlation_id &&
	    !is_safe_token(correlation_id, SSTP_HTTP_ID_MAX))
		return -EINVAL;
	out_str(&o, SSTP_HTTP_METHOD " " SSTP_HTTP_URI " HTTP/1.1\r\n"
		    "Host: ");
	out_str(&o, host);
	out_str(&o, "\r\nContent-Length: " SSTP_HTTP_CONTENT_LENGTH "\r\n");
	if (correlation_id) {
		out_str(&o, "SSTPCORRELATIONID: ");
		out_str(&o, correlation_id);
		out_str(&o, "\r\n");
	}
	out_str(&o, "\r\n");
	return out_end(&o);
}

/*
 * Write a host for a Host field or a CONNECT target: a DNS name or IPv4
 * address as is, an IPv6 address in brackets (added if missing). False if
 * @name is none of these.
 */
static bool out_host(struct out *o, const char *name)
{
	char v6[INET6_ADDRSTRLEN];
	struct in6_addr a6;
	size_t n = strlen(name), i;

	if (n && (name[0] == '[' || strchr(name, ':'))) {
		/* An IPv6 literal, with or without its brackets. */
		if (name[0] == '[') {
			if (n < 3 || name[n - 1] != ']')
				return false;
			name++;
			n -= 2;
		}
		if (n >= sizeof(v6))
			return false;
		memcpy(v6, name, n);
		v6[n] = '\0';
		for (i = 0; i < n; i++)
			if (!is_ipv6_char((unsigned char)v6[i]))
				return false;
		if (inet_pton(AF_INET6, v6, &a6) != 1)
			return false;
		out_str(o, "[");
		out_str(o, v6);
		out_str(o, "]");
		return true;
	}
	if (!n || n > SSTP_HTTP_HOST_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (!is_regname((unsigned char)name[i]))
			return false;
	out_str(o, name);
	return true;
}

int sstp_http_format_host(char *buf, size_t size, const char *name,
			  unsigned int port)
{
	struct out o;

	if (!out_init(&o, buf, size) || !name || !port || port > 65535)
		return -EINVAL;
	if (!out_host(&o, name))
		return -EINVAL;
	if (port != 443) {
		out_str(&o, ":");
		out_uint(&o, port);
	}
	return out_end(&o);
}

int sstp_http_format_guid(char *buf, size_t size, const uint8_t random[16])
{
	static const char hex[] = "0123456789ABCDEF";
	uint8_t b[16];
	struct out o;
	char c[2];
	int i;

	if (!out_init(&o, buf, size) || !random)
		return -EINVAL;
	memcpy(b, random, sizeof(b));
	b[6] = (b[6] & 0x0f) | 0x40;	/* version 4: random */
	b[8] = (b[8] & 0x3f) | 0x80;	/* variant 10: RFC 4122 */
	out_str(&o, "{");
	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out_str(&o, "-");
		c[0] = hex[b[i] >> 4];
		c[1] = hex[b[i] & 15];
		out_mem(&o, c, 2);
	}
	out_str(&o, "}");
	return out_end(&o);
}

/* ---- client: the response ----------------------------------------------- */

static int response_bad(struct sstp_http_response *resp, int err,
			const char *why)
{
	resp->error = why;
	return err;
}

/* HTTP/1.x SP 3DIGIT [SP reason-phrase]: a missing reason is tolerated. */
static int parse_status_line(const unsigned char *l, size_t n,
			     struct sstp_http_response *resp)
{
	if (n >= 8 && !memcmp(l, "HTTP/", 5) && is_digit(l[5]) &&
	    l[6] == '.' && is_digit(l[7]) && l[5] != '1')
		return response_bad(resp, -EBADMSG,
				    "HTTP version of the response is not 1.x");
	if (n < 12 || memcmp(l, "HTTP/1.", 7) || !is_digit(l[7]) ||
	    l[8] != ' ')
		return response_bad(resp, -EBADMSG, "not an HTTP response");
	if (l[9] < '1' || l[9] > '5' || !is_digit(l[10]) ||
	    !is_digit(l[11]) || (n > 12 && l[12] != ' '))
		return response_bad(resp, -EBADMSG,
				    "malformed status line");
	resp->version_minor = l[7] - '0';
	resp->status = (l[9] - '0') * 100 + (l[10] - '0') * 10 + (l[11] - '0');
	if (n > 13)
		copy_sanitised(resp->reason, sizeof(resp->reason), l + 13,
			       n - 13, true);
	return 0;
}

/* Append @s[0..n) to resp->auth_schemes, ", "-separated, as room allows. */
static void add_scheme(struct sstp_http_response *resp,
		       const unsigned char *s, size_t n)
{
	size_t have = strlen(resp->auth_schemes);
	size_t room = sizeof(resp->auth_schemes) - 1 - have;
	char *dst = resp->auth_schemes + have;

	if (equal_nocase(s, n, "Basic"))
		resp->auth_basic = true;
	if (have) {
		if (room < 2 + n)
			return;
		memcpy(dst, ", ", 2);
		dst += 2;
		room -= 2;
	}
	if (room < n)
		return;
	copy_sanitised(dst, room + 1, s, n, false);
}

/*
 * Proxy-Authenticate (RFC 9110 11.6.1) is a comma-separated list in
 * which challenges ("Basic realm=x") and their further auth-params
 * ("charset=UTF-8") mix: an element whose first token is followed by '='
 * is a parameter, any other element starts with a scheme. Commas inside
 * quoted strings do not separate.
 */
static void parse_auth_schemes(struct sstp_http_response *resp,
			       const unsigned char *v, size_t n)
{
	size_t i = 0, start, k;

	while (i < n) {
		while (i < n && (is_ows(v[i]) || v[i] == ','))
			i++;
		start = i;
		while (i < n && is_tchar(v[i]))
			i++;
		for (k = i; k < n && is_ows(v[k]); k++)
			;
		if (i > start && (k == n || v[k] != '='))
			add_scheme(resp, v + start, i - start);
		/* Skip the rest of this element. */
		while (i < n && v[i] != ',') {
			if (v[i] == '"') {
				for (i++; i < n && v[i] != '"'; i++)
					if (v[i] == '\\' && i + 1 < n)
						i++;
			}
			if (i < n)
				i++;
		}
	}
}

static int parse_response_field(const unsigned char *l, size_t n,
				struct sstp_http_response *resp, bool connect)
{
	const unsigned char *v;
	size_t name_len, vn;
	uint64_t cl;
	bool ok;

	/* RFC 9112 5.2: a user agent unfolds obs-fold; none of the fields
	 * we read may be folded in practice, so the line is just ignored. */
	if (is_ows(l[0]))
		return 0;
	if (!split_field(l, n, &name_len, &v, &vn))
		return response_bad(resp, -EBADMSG, "malformed header field");
	if (equal_nocase(l, name_len, "Content-Length")) {
		ok = parse_u64(v, vn, &cl) && cl == UINT64_MAX;
		if (!resp->has_content_length || !ok)
			copy_sanitised(resp->content_length,
				       sizeof(resp->content_length), v, vn,
				       false);
		resp->has_content_length = true;
		resp->content_length_ok = resp->content_length_ok && ok;
	} else if (equal_nocase(l, name_len, "Location")) {
		if (!resp->has_location)
			copy_sanitised(resp->location, sizeof(resp->location),
				       v, vn, false);
		resp->has_location = true;
	} else if (connect && equal_nocase(l, name_len, "Proxy-Authenticate")) {
		parse_auth_schemes(resp, v, vn);
	}
	return 0;
}

static int parse_response(const void *buf, size_t len,
			  struct sstp_http_response *resp, bool connect)
{
	const unsigned char *p = buf;
	size_t lim, pos = 0, eol = 0, next = 0;
	const char *why = NULL;
	int r;

	if (!resp)
		return -EINVAL;
	memset(resp, 0, sizeof(*resp));
	resp->content_length_ok = true;
	if (!buf && len)
		return response_bad(resp, -EINVAL, "no buffer");

	lim = len < SSTP_HTTP_MAX_HEADER ? len : SSTP_HTTP_MAX_HEADER;
	for (;;) {
		r = next_line(p, lim, pos, &eol, &next, &why);
		if (r < 0)
			return response_bad(resp, -EBADMSG, why);
		if (r == 0) {
			/* Before the status line is complete, tell a
			 * non-HTTP peer from a slow one as early as we can. */
			if (pos == 0 && lim > 0 &&
			    memcmp(p, "HTTP/", lim < 5 ? lim : 5))
				return response_bad(resp, -EBADMSG,
						    "not an HTTP response");
			if (len >= SSTP_HTTP_MAX_HEADER)
				return response_bad(resp, -EMSGSIZE,
						    "header longer than 8192 bytes");
			return 0;
		}
		if (pos == 0)
			r = parse_status_line(p, eol, resp);
		else if (eol == pos)
			break;
		else
			r = parse_response_field(p + pos, eol - pos, resp,
						 connect);
		if (r < 0)
			return r;
		pos = next;
	}
	return (int)next;
}

int sstp_http_parse_response(const void *buf, size_t len,
			     struct sstp_http_response *resp)
{
	return parse_response(buf, len, resp, false);
}

int sstp_http_parse_connect_response(const void *buf, size_t len,
				     struct sstp_http_response *resp)
{
	return parse_response(buf, len, resp, true);
}

/* "server answered 404 Not Found: <hint>" into msg. */
static void describe(char *msg, size_t size, const char *who,
		     const struct sstp_http_response *resp, const char *hint)
{
	snprintf(msg, size, "%s answered %u%s%s: %s", who, resp->status,
		 resp->reason[0] ? " " : "", resp->reason, hint);
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
	describe(msg, size, "server", resp, hint);
	return -1;
}

int sstp_http_connect_check(const struct sstp_http_response *resp,
			    bool sent_credentials, char *msg, size_t size)
{
	char hint[SSTP_HTTP_SCHEMES_MAX + 128];
	unsigned int s;

	if (!msg || !size)
		return -1;
	msg[0] = '\0';
	if (!resp) {
		snprintf(msg, size, "no response from the proxy");
		return -1;
	}
	s = resp->status;
	if (s >= 200 && s < 300)
		return 0;

	if (s == 407 && resp->auth_basic && !sent_credentials) {
		describe(msg, size, "proxy", resp,
			 "it wants a user name and password (Basic)");
		return 1;
	}
	if (s == 407 && resp->auth_basic)
		snprintf(hint, sizeof(hint),
			 "the proxy refused the user name or password");
	else if (s == 407 && resp->auth_schemes[0])
		snprintf(hint, sizeof(hint),
			 "the proxy wants %s authentication; only Basic is "
			 "supported", resp->auth_schemes);
	else if (s == 407)
		snprintf(hint, sizeof(hint),
			 "the proxy wants authentication but names no scheme");
	else if (s == 403)
		snprintf(hint, sizeof(hint),
			 "the proxy does not allow a tunnel to this host and "
			 "port");
	else if (s == 405 || s == 501)
		snprintf(hint, sizeof(hint),
			 "the proxy does not support CONNECT");
	else if (s == 502 || s == 504)
		snprintf(hint, sizeof(hint),
			 "the proxy could not reach the server");
	else if (s == 503)
		snprintf(hint, sizeof(hint),
			 "the proxy or the server is unavailable");
	else
		snprintf(hint, sizeof(hint), "no tunnel through the proxy");
	describe(msg, size, "proxy", resp, hint);
	return -1;
}

/* ---- client: CONNECT through an HTTP proxy ------------------------------ */

/*
 * Base64 fed in pieces, so that "user:password" needs no buffer: whole
 * chunks go through EVP_EncodeBlock() (a multiple of 3 bytes: no padding
 * until the last one), the rest at the end.
 */
#define B64_CHUNK 48

struct b64 {
	struct out *o;
	unsigned char in[B64_CHUNK];
	size_t n;
};

static void b64_flush(struct b64 *b)
{
	unsigned char t[B64_CHUNK / 3 * 4 + 1];
	int n = EVP_EncodeBlock(t, b->in, (int)b->n);

	out_mem(b->o, t, (size_t)n);
	b->n = 0;
}

static void b64_put(struct b64 *b, const void *in, size_t len)
{
	const unsigned char *p = in;
	size_t k;

	while (len) {
		k = B64_CHUNK - b->n < len ? B64_CHUNK - b->n : len;
		memcpy(b->in + b->n, p, k);
		b->n += k;
		p += k;
		len -= k;
		if (b->n == B64_CHUNK)
			b64_flush(b);
	}
}

/* The last piece, with its padding; the credentials leave no copy. */
static void b64_finish(struct b64 *b)
{
	if (b->n)
		b64_flush(b);
	OPENSSL_cleanse(b->in, sizeof(b->in));
}

int sstp_http_base64(char *buf, size_t size, const void *in, size_t len)
{
	struct out o;
	struct b64 b = { .o = &o };

	if (!out_init(&o, buf, size) || (!in && len))
		return -EINVAL;
	b64_put(&b, in, len);
	b64_finish(&b);
	return out_end(&o);
}

/* RFC 7617 2: no control characters in user-id or password. */
static bool has_ctl(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

int sstp_http_format_connect(char *buf, size_t size, const char *host,
			     unsigned int port, const char *user,
			     const char *password)
{
	struct out o;
	struct b64 b = { .o = &o };

	if (!out_init(&o, buf, size) || !host || !port || port > 65535)
		return -EINVAL;
	if (!password)
		password = "";
	if (user && (strchr(user, ':') || has_ctl(user) || has_ctl(password)))
		return -EINVAL;

	/* The target twice: request line (authority-form) and Host. */
	out_str(&o, "CONNECT ");
	if (!out_host(&o, host))
		return out_fail(&o, -EINVAL);
	out_str(&o, ":");
	out_uint(&o, port);
	out_str(&o, " HTTP/1.1\r\nHost: ");
	out_host(&o, host);
	out_str(&o, ":");
	out_uint(&o, port);
	out_str(&o, "\r\nSSTPVERSION: 1.0\r\n");
	if (user) {
		out_str(&o, "Proxy-Authorization: Basic ");
		b64_put(&b, user, strlen(user));
		b64_put(&b, ":", 1);
		b64_put(&b, password, strlen(password));
		b64_finish(&b);
		out_str(&o, "\r\n");
	}
	out_str(&o, "\r\n");
	return out_end(&o);
}
