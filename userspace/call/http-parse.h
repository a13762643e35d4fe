/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * http-parse.h - what the SSTP HTTP exchange (call/http.c) and the
 * client's CONNECT through an HTTP proxy (client/http-connect.c) share:
 * ASCII character classes, header lines and fields as call/http.h says
 * they are accepted, the response parser both kinds of answer go through,
 * and an output buffer that records overflow instead of writing past its
 * end. Only those two files use it: callers use call/http.h and
 * client/http-connect.h.
 */
#ifndef SSTP_HTTP_PARSE_H
#define SSTP_HTTP_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "call/http.h"

/* ---- character classes (ASCII only, never the locale's) -------------- */

static inline bool http_is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static inline bool http_is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline bool http_is_hex(unsigned char c)
{
	return http_is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* RFC 9110 5.6.2: the characters of a token (method, field name). */
static inline bool http_is_tchar(unsigned char c)
{
	return http_is_alpha(c) || http_is_digit(c) ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* Visible ASCII: what a request target, a URI or an id may contain. */
static inline bool http_is_vchar(unsigned char c)
{
	return c > 0x20 && c < 0x7f;
}

static inline bool http_is_ows(unsigned char c)
{
	return c == ' ' || c == '\t';
}

/* RFC 3986 reg-name characters, which is what a host name may hold. */
static inline bool http_is_regname(unsigned char c)
{
	return http_is_alpha(c) || http_is_digit(c) ||
	       (c && strchr("-._~!$&'()*+,;=%", c));
}

/* Inside an IPv6 literal: hex groups, colons, maybe a dotted IPv4 tail. */
static inline bool http_is_ipv6_char(unsigned char c)
{
	return http_is_hex(c) || c == ':' || c == '.';
}

/* ---- received bytes (http-parse.c says more of each) ----------------- */

/* buf[0..n) equals the NUL-terminated @s, ignoring ASCII case. */
bool http_equal_nocase(const unsigned char *buf, size_t n, const char *s);
/* A received value, truncated and sanitised for logging. */
void http_copy_sanitised(char *dst, size_t dstsize, const unsigned char *src,
			 size_t n, bool keep_space);
/* 1*DIGIT into a uint64_t; false on anything else or on overflow. */
bool http_parse_u64(const unsigned char *s, size_t n, uint64_t *value);
/* The line at @pos: 1 (p[pos..*eol), next at *next), 0 (incomplete),
 * -1 (a forbidden byte, *why says which). */
int http_next_line(const unsigned char *p, size_t len, size_t pos,
		   size_t *eol, size_t *next, const char **why);
/* "token:value" into name length and value without surrounding OWS. */
bool http_split_field(const unsigned char *l, size_t n, size_t *name_len,
		      const unsigned char **value, size_t *value_len);

/*
 * A header field of a response that http_parse_response() does not read
 * itself (it reads Content-Length and Location): name, value, the response
 * being filled.
 */
typedef void http_field_fn(const unsigned char *name, size_t name_len,
			   const unsigned char *value, size_t value_len,
			   struct sstp_http_response *resp);

/* sstp_http_parse_response(), with @field (may be NULL) for other fields. */
int http_parse_response(const void *buf, size_t len,
			struct sstp_http_response *resp, http_field_fn *field);

/* "<who> answered <status> <reason>: <hint>" into @msg. */
void http_describe(char *msg, size_t size, const char *who,
		   const struct sstp_http_response *resp, const char *hint);

/* ---- formatting into a caller buffer ---------------------------------- */

struct http_out {
	char *buf;
	size_t size;
	size_t len;
};

/* False (and nothing to write into) when @buf is NULL. */
bool http_out_init(struct http_out *o, char *buf, size_t size);
void http_out_mem(struct http_out *o, const void *s, size_t n);
void http_out_str(struct http_out *o, const char *s);
void http_out_uint(struct http_out *o, unsigned long long v);
/* A host for a Host field or a CONNECT target; false if it is none. */
bool http_out_host(struct http_out *o, const char *name);
/* Give up with @err, leaving "" rather than a partial header. */
int http_out_fail(struct http_out *o, int err);
/* NUL-terminate; the length written or -ENOSPC. */
int http_out_end(struct http_out *o);

#endif /* SSTP_HTTP_PARSE_H */
