// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * http-connect.c - see http-connect.h: CONNECT through an HTTP proxy. The
 * proxy's answer goes through the response parser of the SSTP exchange
 * (call/http-parse.c), which hands us the one field it does not read
 * itself, Proxy-Authenticate.
 */
#include "client/http-connect.h"
#include "call/http-parse.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

/* ---- the proxy's answer ------------------------------------------------ */

/* Append @s[0..n) to resp->auth_schemes, ", "-separated, as room allows. */
static void add_scheme(struct sstp_http_response *resp,
		       const unsigned char *s, size_t n)
{
	size_t have = strlen(resp->auth_schemes);
	size_t room = sizeof(resp->auth_schemes) - 1 - have;
	char *dst = resp->auth_schemes + have;

	if (http_equal_nocase(s, n, "Basic"))
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
	http_copy_sanitised(dst, room + 1, s, n, false);
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
		while (i < n && (http_is_ows(v[i]) || v[i] == ','))
			i++;
		start = i;
		while (i < n && http_is_tchar(v[i]))
			i++;
		for (k = i; k < n && http_is_ows(v[k]); k++)
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

/* The one field a proxy's answer adds to a server's. */
static void connect_field(const unsigned char *name, size_t name_len,
			  const unsigned char *value, size_t value_len,
			  struct sstp_http_response *resp)
{
	if (http_equal_nocase(name, name_len, "Proxy-Authenticate"))
		parse_auth_schemes(resp, value, value_len);
}

int sstp_http_parse_connect_response(const void *buf, size_t len,
				     struct sstp_http_response *resp)
{
	return http_parse_response(buf, len, resp, connect_field);
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
		http_describe(msg, size, "proxy", resp,
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
	http_describe(msg, size, "proxy", resp, hint);
	return -1;
}

/* ---- the CONNECT request ---------------------------------------------- */

/*
 * Base64 fed in pieces, so that "user:password" needs no buffer: whole
 * chunks go through EVP_EncodeBlock() (a multiple of 3 bytes: no padding
 * until the last one), the rest at the end.
 */
#define B64_CHUNK 48

struct b64 {
	struct http_out *o;
	unsigned char in[B64_CHUNK];
	size_t n;
};

static void b64_flush(struct b64 *b)
{
	unsigned char t[B64_CHUNK / 3 * 4 + 1];
	int n = EVP_EncodeBlock(t, b->in, (int)b->n);

	http_out_mem(b->o, t, (size_t)n);
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
	struct http_out o;
	struct b64 b = { .o = &o };

	if (!http_out_init(&o, buf, size) || (!in && len))
		return -EINVAL;
	b64_put(&b, in, len);
	b64_finish(&b);
	return http_out_end(&o);
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
	struct http_out o;
	struct b64 b = { .o = &o };

	if (!http_out_init(&o, buf, size) || !host || !port || port > 65535)
		return -EINVAL;
	if (!password)
		password = "";
	if (user && (strchr(user, ':') || has_ctl(user) || has_ctl(password)))
		return -EINVAL;

	/* The target twice: request line (authority-form) and Host. */
	http_out_str(&o, "CONNECT ");
	if (!http_out_host(&o, host))
		return http_out_fail(&o, -EINVAL);
	http_out_str(&o, ":");
	http_out_uint(&o, port);
	http_out_str(&o, " HTTP/1.1\r\nHost: ");
	http_out_host(&o, host);
	http_out_str(&o, ":");
	http_out_uint(&o, port);
	http_out_str(&o, "\r\nSSTPVERSION: 1.0\r\n");
	if (user) {
		http_out_str(&o, "Proxy-Authorization: Basic ");
		b64_put(&b, user, strlen(user));
		b64_put(&b, ":", 1);
		b64_put(&b, password, strlen(password));
		b64_finish(&b);
		http_out_str(&o, "\r\n");
	}
	http_out_str(&o, "\r\n");
	return http_out_end(&o);
}
