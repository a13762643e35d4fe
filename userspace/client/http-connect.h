/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * http-connect.h - the client's CONNECT through an HTTP proxy: the request,
 * the proxy's answer, and what to do about it. Returns, line ends and
 * errors are those of call/http.h, whose struct sstp_http_response holds
 * the answer (with the Proxy-Authenticate schemes filled in here).
 */
#ifndef SSTP_HTTP_CONNECT_H
#define SSTP_HTTP_CONNECT_H

#include <stdbool.h>
#include <stddef.h>

#include "call/http.h"

/*
 * The request that asks an HTTP proxy for a tunnel to @host:@port:
 *   CONNECT <host>:<port> HTTP/1.1
 *   Host: <host>:<port>
 *   SSTPVERSION: 1.0
 *   Proxy-Authorization: Basic <base64 of user:password>   (if @user)
 * SSTPVERSION is Microsoft's header, which sstpc sends as well; a proxy
 * that does not know it ignores it. @host is a DNS name or an IP address
 * (IPv6 with or without brackets), @port 1..65535. @user must not contain
 * ':' (RFC 7617); neither may contain control characters; @password NULL
 * means empty.
 */
int sstp_http_format_connect(char *buf, size_t size, const char *host,
			     unsigned int port, const char *user,
			     const char *password);

/*
 * Parse the proxy's answer to CONNECT; same returns as
 * sstp_http_parse_response(), plus the Proxy-Authenticate schemes. After a
 * 2xx the bytes after the header are the server's (TLS). Check the result
 * with sstp_http_connect_check().
 */
int sstp_http_parse_connect_response(const void *buf, size_t len,
				     struct sstp_http_response *resp);

/*
 * What to do after the proxy answered: 0 = the tunnel is up (any 2xx);
 * 1 = the proxy wants Basic authentication and @sent_credentials is false:
 * reconnect and send CONNECT again with a user and password (@msg says
 * so); -1 = give up, with the reason in @msg (a 407 that refused our
 * credentials or wants a scheme other than Basic, 403, 502, ...).
 */
int sstp_http_connect_check(const struct sstp_http_response *resp,
			    bool sent_credentials, char *msg, size_t size);

/*
 * Base64 (RFC 4648, with padding, no line breaks) of in[0..len), as used
 * by Basic authentication. Returns the length written or -ENOSPC.
 */
int sstp_http_base64(char *buf, size_t size, const void *in, size_t len);

#endif /* SSTP_HTTP_CONNECT_H */
