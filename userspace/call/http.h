/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * http.h - the one HTTP exchange that opens an SSTP connection, both sides.
 * (The client's CONNECT through an HTTP proxy is client/http-connect.h;
 * it shares this file's rules and struct sstp_http_response.)
 *
 * SSTP borrows HTTP for exactly one request and one response; after the
 * empty line that ends each header, the same stream carries SSTP packets.
 * So the parsers here return the header length, and the bytes after it
 * (which may already hold the first SSTP packet) belong to the caller.
 *
 * Nothing here allocates or keeps state: parsers fill a caller structure,
 * formatters write into a caller buffer.
 *
 * Parsers return the header length (> 0), 0 when the buffer does not hold
 * a whole header yet (call again with more bytes, from the same start), or
 * a negative errno:
 *   -EINVAL    caller error (NULL pointer)
 *   -EBADMSG   malformed header (a forbidden byte, a bad line)
 *   -EMSGSIZE  no end of header in the first SSTP_HTTP_MAX_HEADER bytes
 * Errors are reported as soon as the bytes received show them, so a
 * garbage or hostile peer is dropped without waiting for more.
 *
 * Formatters return the length written (without the terminating NUL, which
 * they always add) or a negative errno: -EINVAL for an invalid argument
 * (which includes anything that would inject a line into the header),
 * -ENOSPC when the buffer is too small. On error the buffer holds "".
 *
 * Line ends accepted in what we receive (RFC 9112 2.2 lets a recipient
 * accept a bare LF and ignore a CR before it; accel-ppp tolerates the same):
 *   "\r\n", "\n", and "\r\r\n" (a CRLF written through a text-mode stream).
 * A header therefore ends at the first empty line, whatever mix of these
 * ends it: "\r\n\r\n", "\n\n", "\n\r\n", "\r\n\n", "\r\r\n\r\r\n", ...
 * Any other CR, a NUL, and every control character except HTAB are
 * rejected, as is obsolete line folding in a request.
 */
#ifndef SSTP_HTTP_H
#define SSTP_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define SSTP_HTTP_METHOD "SSTP_DUPLEX_POST"
#define SSTP_HTTP_URI "/sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75}/"
/* 2^64-1: "the body never ends", what every SSTP peer sends. */
#define SSTP_HTTP_CONTENT_LENGTH "18446744073709551615"

/* The longest header (request or response, with its empty line) we read. */
#define SSTP_HTTP_MAX_HEADER 8192
/* Sizes of the strings kept from a header; longer values are truncated,
 * except a Host name, whose limit is DNS's and which is rejected beyond. */
#define SSTP_HTTP_HOST_MAX 255
#define SSTP_HTTP_ID_MAX 64
#define SSTP_HTTP_REASON_MAX 63
#define SSTP_HTTP_LOCATION_MAX 127
#define SSTP_HTTP_SCHEMES_MAX 63
/* "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}" */
#define SSTP_HTTP_GUID_LEN 38

/* ---- server side ------------------------------------------------------ */

enum sstp_http_method {
	SSTP_HTTP_METHOD_OTHER,
	SSTP_HTTP_METHOD_SSTP,	/* SSTP_DUPLEX_POST, any case */
	SSTP_HTTP_METHOD_GET,
	SSTP_HTTP_METHOD_HEAD,
};

/*
 * What the server learns from a request. The strings are NUL-terminated,
 * truncated to their array, and sanitised for logging: every byte outside
 * '!'..'~' is replaced by '?'.
 */
struct sstp_http_request {
	/* Method SSTP_DUPLEX_POST, the SSTP URI, HTTP/1.x: answer with
	 * sstp_http_format_response() and go on with SSTP. */
	bool is_sstp;
	/*
	 * The status to answer: 200 when is_sstp; otherwise, with a positive
	 * return (a well-formed request that is not SSTP):
	 *   505 HTTP version other than 1.x (HTTP/2.0, HTTP/0.9, ...)
	 *   501 a method other than SSTP_DUPLEX_POST, GET or HEAD
	 *   404 GET or HEAD (a browser, a scanner), or the wrong URI
	 *       (a caller configured to redirect may answer 301 instead)
	 * and with a negative return:
	 *   400 -EBADMSG: malformed request line or header field, forbidden
	 *       byte, obsolete line folding, several Host fields or a bad one,
	 *       a Content-Length that is not a number or that differs
	 *       between two fields
	 *   431 -EMSGSIZE: header longer than SSTP_HTTP_MAX_HEADER
	 *   0   -EINVAL: caller error, nothing to answer
	 * Answer a status other than 200 with sstp_http_format_error() and
	 * close.
	 */
	unsigned int status;
	/* Why, when status is not 200: a constant string, for the log. */
	const char *error;
	enum sstp_http_method method;
	unsigned int version_minor;	/* HTTP/1.<minor> */
	/* Host without its port and without IPv6 brackets ("vpn.example.com",
	 * "2001:db8::1"); empty when has_host is false. Compare it with
	 * strcasecmp(): host names are case-insensitive. */
	bool has_host;
	char host[SSTP_HTTP_HOST_MAX + 1];
	/* SSTPCORRELATIONID as sent, braces and all: it has no fixed shape
	 * (sstpc sends a short non-standard GUID, NetworkManager a bare UUID),
	 * so it is only ever logged. */
	bool has_correlation_id;
	char correlation_id[SSTP_HTTP_ID_MAX + 1];
	/* The tenantid query variable of the URI (SPEC 3.2.4.1), raw. */
	bool has_tenantid;
	char tenantid[SSTP_HTTP_ID_MAX + 1];
	/* Content-Length if present: clients send 2^64-1; none required. */
	bool has_content_length;
	uint64_t content_length;
};

/*
 * Parse the client's request in buf[0..len). With a positive return,
 * buf[ret..len) is the start of the SSTP stream: keep it. Empty lines
 * before the request line are skipped (RFC 9112 2.2); whitespace before
 * the method is not. Method and URI are compared case-insensitively, as
 * accel-ppp and SoftEther do; an optional "?query" after the URI is
 * accepted. A missing Host is accepted (HTTP/1.1 requires it, but not every
 * SSTP client is known to send it).
 */
int sstp_http_parse_request(const void *buf, size_t len,
			    struct sstp_http_request *req);

/*
 * The 200 reply that switches the stream to SSTP:
 *   HTTP/1.1 200 OK
 *   Content-Length: 18446744073709551615
 *   Server: Microsoft-HTTPAPI/2.0
 *   Date: <date, IMF-fixdate>
 * This is byte for byte the form of Windows RRAS (http.sys), which
 * SoftEther copies: a client only ever tested against Windows sees exactly
 * what it knows.
 */
int sstp_http_format_response(char *buf, size_t size, time_t date);

/*
 * A reply that refuses the request: the status line with its standard
 * reason phrase, "Content-Length: 0" and "Connection: close" (no body: the
 * caller closes right after). @location, required for 301, 302, 303, 307
 * and 308 and refused otherwise, becomes a Location field; it must be
 * printable ASCII without spaces. -EINVAL for a status < 300 or one without
 * a known reason phrase.
 */
int sstp_http_format_error(char *buf, size_t size, unsigned int status,
			   const char *location);

/* The standard reason phrase of a status, or NULL when we know none. */
const char *sstp_http_reason(unsigned int status);

/* ---- client side ------------------------------------------------------ */

/*
 * The request, exactly as sstpc sends it:
 *   SSTP_DUPLEX_POST /sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75}/ HTTP/1.1
 *   Host: <host>
 *   Content-Length: 18446744073709551615
 *   SSTPCORRELATIONID: <correlation_id>
 * @host is the Host field value as is ("name", "name:port", "[v6]",
 * "[v6]:port"; sstp_http_format_host() builds one). @correlation_id is sent
 * verbatim (a GUID in braces from sstp_http_format_guid(), or whatever the
 * user gave: NetworkManager passes a bare UUID); 1 to SSTP_HTTP_ID_MAX
 * bytes of '!'..'~'; NULL leaves the field out.
 */
int sstp_http_format_request(char *buf, size_t size, const char *host,
			     const char *correlation_id);

/*
 * The Host field value for a server @name (a DNS name, an IPv4 address, or
 * an IPv6 address with or without brackets, checked with inet_pton()) and
 * @port: the port is left out when it is 443, IPv6 gets its brackets.
 */
int sstp_http_format_host(char *buf, size_t size, const char *name,
			  unsigned int port);

/*
 * A correlation id "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}" (upper case, as
 * Windows writes GUIDs) from 16 random bytes, with the version 4 and
 * variant bits of RFC 4122 set. Needs size > SSTP_HTTP_GUID_LEN.
 */
int sstp_http_format_guid(char *buf, size_t size, const uint8_t random[16]);

/* What the client learns from a response (SSTP server or HTTP proxy). */
struct sstp_http_response {
	unsigned int status;		/* 100..599 */
	unsigned int version_minor;	/* HTTP/1.<minor> */
	char reason[SSTP_HTTP_REASON_MAX + 1];	/* sanitised, may be "" */
	/* Content-Length: whether present, its value as sent (sanitised), and
	 * whether it is what SSTP needs: absent, or 2^64-1 (sstpc refuses
	 * anything else, and so do we, with a message saying why). */
	bool has_content_length;
	char content_length[24];
	bool content_length_ok;
	/* Location of a redirect (sanitised, truncated), for the message. */
	bool has_location;
	char location[SSTP_HTTP_LOCATION_MAX + 1];
	/* CONNECT answers only: the authentication schemes the proxy offers in
	 * its Proxy-Authenticate fields ("Negotiate, NTLM, Basic"), and
	 * whether Basic, the only one we speak, is among them. */
	char auth_schemes[SSTP_HTTP_SCHEMES_MAX + 1];
	bool auth_basic;
	/* Why a negative return: a constant string, for the log. */
	const char *error;
};

/*
 * Parse the SSTP server's response in buf[0..len). With a positive
 * return, buf[ret..len) is SSTP (or, for a refusal, a body to ignore).
 * Lenient where servers differ: any HTTP/1.x version, any reason phrase or
 * none ("HTTP/1.1 200"), any other header fields. Obsolete line folding is
 * tolerated (RFC 9112 5.2 tells a user agent to), the folded lines are
 * ignored. Check the result with sstp_http_response_check().
 */
int sstp_http_parse_response(const void *buf, size_t len,
			     struct sstp_http_response *resp);

/*
 * Is @resp the go-ahead for SSTP (status 200, Content-Length absent or
 * 2^64-1)? Returns 0 if so, with msg = "". Otherwise -1 with one line in
 * @msg for the user, e.g. "server answered 404 Not Found: no SSTP service
 * here (not an SSTP server, or it expects another host name)".
 */
int sstp_http_response_check(const struct sstp_http_response *resp,
			     char *msg, size_t size);

#endif /* SSTP_HTTP_H */
