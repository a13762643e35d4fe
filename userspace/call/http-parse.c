// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * http-parse.c - see http-parse.h: the lines, fields and output buffer of
 * call/http.c and client/http-connect.c, and the response parser both
 * use.
 *
 * The parsers re-read the whole buffer on every call rather than keep
 * state between calls: a header is at most SSTP_HTTP_MAX_HEADER bytes, so
 * the cost is small, and a stateless parser cannot get out of step with
 * the caller's buffer. See call/http.h for what is accepted and why.
 */
#include "call/http-parse.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

static unsigned char to_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* buf[0..n) equals the NUL-terminated @s, ignoring ASCII case. */
bool http_equal_nocase(const unsigned char *buf, size_t n, const char *s)
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
void http_copy_sanitised(char *dst, size_t dstsize, const unsigned char *src,
			 size_t n, bool keep_space)
{
	size_t i;

	if (n > dstsize - 1)
		n = dstsize - 1;
	for (i = 0; i < n; i++)
		dst[i] = http_is_vchar(src[i]) || (keep_space && src[i] == ' ') ?
			 (char)src[i] : '?';
	dst[n] = '\0';
}

/* 1*DIGIT into a uint64_t; false on anything else or on overflow. */
bool http_parse_u64(const unsigned char *s, size_t n, uint64_t *value)
{
	uint64_t v = 0;
	unsigned int d;
	size_t i;

	if (!n)
		return false;
	for (i = 0; i < n; i++) {
		if (!http_is_digit(s[i]))
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
int http_next_line(const unsigned char *p, size_t len, size_t pos,
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
bool http_split_field(const unsigned char *l, size_t n, size_t *name_len,
		      const unsigned char **value, size_t *value_len)
{
	size_t i = 0, end = n;

	while (i < n && http_is_tchar(l[i]))
		i++;
	if (i == 0 || i == n || l[i] != ':')
		return false;
	*name_len = i++;
	while (i < n && http_is_ows(l[i]))
		i++;
	while (end > i && http_is_ows(l[end - 1]))
		end--;
	*value = l + i;
	*value_len = end - i;
	return true;
}

/* ---- formatting into a caller buffer ---------------------------------- */

void http_out_mem(struct http_out *o, const void *s, size_t n)
{
	if (o->len < o->size && n < o->size - o->len)
		memcpy(o->buf + o->len, s, n);
	o->len = o->len + n < o->len ? SIZE_MAX : o->len + n;
}

void http_out_str(struct http_out *o, const char *s)
{
	http_out_mem(o, s, strlen(s));
}

void http_out_uint(struct http_out *o, unsigned long long v)
{
	char tmp[24];

	snprintf(tmp, sizeof(tmp), "%llu", v);
	http_out_str(o, tmp);
}

/* Give up with @err, leaving "" rather than a partial header. */
int http_out_fail(struct http_out *o, int err)
{
	if (o->size)
		o->buf[0] = '\0';
	return err;
}

/* NUL-terminate; the length written or -ENOSPC. */
int http_out_end(struct http_out *o)
{
	if (o->len >= o->size)
		return http_out_fail(o, -ENOSPC);
	o->buf[o->len] = '\0';
	return (int)o->len;
}

bool http_out_init(struct http_out *o, char *buf, size_t size)
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

/*
 * Write a host for a Host field or a CONNECT target: a DNS name or IPv4
 * address as is, an IPv6 address in brackets (added if missing). False if
 * @name is none of these.
 */
bool http_out_host(struct http_out *o, const char *name)
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
			if (!http_is_ipv6_char((unsigned char)v6[i]))
				return false;
		if (inet_pton(AF_INET6, v6, &a6) != 1)
			return false;
		http_out_str(o, "[");
		http_out_str(o, v6);
		http_out_str(o, "]");
		return true;
	}
	if (!n || n > SSTP_HTTP_HOST_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (!http_is_regname((unsigned char)name[i]))
			return false;
	http_out_str(o, name);
	return true;
}

/* ---- responses: an SSTP server's or an HTTP proxy's ------------------- */

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
	if (n >= 8 && !memcmp(l, "HTTP/", 5) && http_is_digit(l[5]) &&
	    l[6] == '.' && http_is_digit(l[7]) && l[5] != '1')
		return response_bad(resp, -EBADMSG,
				    "HTTP version of the response is not 1.x");
	if (n < 12 || memcmp(l, "HTTP/1.", 7) || !http_is_digit(l[7]) ||
	    l[8] != ' ')
		return response_bad(resp, -EBADMSG, "not an HTTP response");
	if (l[9] < '1' || l[9] > '5' || !http_is_digit(l[10]) ||
	    !http_is_digit(l[11]) || (n > 12 && l[12] != ' '))
		return response_bad(resp, -EBADMSG,
				    "malformed status line");
	resp->version_minor = l[7] - '0';
	resp->status = (l[9] - '0') * 100 + (l[10] - '0') * 10 + (l[11] - '0');
	if (n > 13)
		http_copy_sanitised(resp->reason, sizeof(resp->reason), l + 13,
				    n - 13, true);
	return 0;
}

static int parse_response_field(const unsigned char *l, size_t n,
				struct sstp_http_response *resp,
				http_field_fn *field)
{
	const unsigned char *v;
	size_t name_len, vn;
	uint64_t cl;
	bool ok;

	/* RFC 9112 5.2: a user agent unfolds obs-fold; none of the fields
	 * we read may be folded in practice, so the line is just ignored. */
	if (http_is_ows(l[0]))
		return 0;
	if (!http_split_field(l, n, &name_len, &v, &vn))
		return response_bad(resp, -EBADMSG, "malformed header field");
	if (http_equal_nocase(l, name_len, "Content-Length")) {
		ok = http_parse_u64(v, vn, &cl) && cl == UINT64_MAX;
		if (!resp->has_content_length || !ok)
			http_copy_sanitised(resp->content_length,
					    sizeof(resp->content_length), v, vn,
					    false);
		resp->has_content_length = true;
		resp->content_length_ok = resp->content_length_ok && ok;
	} else if (http_equal_nocase(l, name_len, "Location")) {
		if (!resp->has_location)
			http_copy_sanitised(resp->location,
					    sizeof(resp->location), v, vn,
					    false);
		resp->has_location = true;
	} else if (field) {
		field(l, name_len, v, vn, resp);
	}
	return 0;
}

int http_parse_response(const void *buf, size_t len,
			struct sstp_http_response *resp, http_field_fn *field)
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
		r = http_next_line(p, lim, pos, &eol, &next, &why);
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
						 field);
		if (r < 0)
			return r;
		pos = next;
	}
	return (int)next;
}

/* "server answered 404 Not Found: <hint>" into msg. */
void http_describe(char *msg, size_t size, const char *who,
		   const struct sstp_http_response *resp, const char *hint)
{
	snprintf(msg, size, "%s answered %u%s%s: %s", who, resp->status,
		 resp->reason[0] ? " " : "", resp->reason, hint);
}
