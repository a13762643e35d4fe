/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * proxy.h - the PROXY protocol (haproxy's proxy-protocol.txt, versions 1
 * and 2), receiving side: a load balancer in front of the server prepends
 * one header to the connection that names the real client.
 *
 * Only a server configured to expect it may parse it (the spec forbids
 * guessing, which would let any client spoof its address), and it comes
 * before TLS: read it with recv(MSG_PEEK), parse, then recv() exactly the
 * returned count, so that OpenSSL starts on the first TLS byte.
 *
 * What is accepted, strictly as the spec says:
 *   v1  "PROXY TCP4 <src> <dst> <sport> <dport>\r\n" (TCP6 likewise):
 *       single spaces, IPv4 as four decimal numbers 0..255 without leading
 *       zeros, IPv6 as inet_pton() reads it (hex groups, one "::", and the
 *       dotted tail inet_ntop() writes for mapped addresses), ports 0..65535
 *       without leading zeros, the whole line printable US-ASCII and at
 *       most 107 bytes with its CRLF; no lone CR or LF. "PROXY UNKNOWN",
 *       alone or followed by a space and anything up to the CRLF, is
 *       accepted with family AF_UNSPEC.
 *   v2  the 12-byte signature, version 2, command LOCAL or PROXY, a known
 *       family (UNSPEC, INET, INET6, UNIX) and transport (UNSPEC, STREAM,
 *       DGRAM), an address block as long as its family needs, and TLVs
 *       that exactly fill the rest (each one bounds-checked, then skipped).
 *       LOCAL (a health check from the proxy itself), UNSPEC, AF_UNIX and
 *       DGRAM are accepted with family AF_UNSPEC, as the spec allows a
 *       receiver that has no use for them.
 * family AF_UNSPEC always means: use the connection's own addresses.
 */
#ifndef SSTP_PROXY_H
#define SSTP_PROXY_H

#include <stddef.h>
#include <sys/socket.h>

/* The longest v1 line, CRLF included (the spec's worst case). */
#define SSTP_PROXY_V1_MAX 107
/*
 * The longest v2 header we accept (16 bytes + its length field). The
 * format allows 64 KiB, real senders stay far below: addresses (at most
 * 216 bytes, AF_UNIX) plus a few TLVs (SSL details, a unique id of at most
 * 128 bytes, a cloud endpoint id). A larger header is refused rather than
 * making every caller keep a 64 KiB buffer.
 */
#define SSTP_PROXY_V2_MAX 2048

enum sstp_proxy_command {
	SSTP_PROXY_CMD_LOCAL = 0,	/* v2: the proxy's own connection */
	SSTP_PROXY_CMD_PROXY = 1,	/* relayed on behalf of a client */
};

struct sstp_proxy_info {
	unsigned int version;		/* 1 or 2 */
	enum sstp_proxy_command command;
	/*
	 * AF_INET or AF_INET6: src and dst hold the client's and the address
	 * it connected to (struct sockaddr_in / sockaddr_in6, port included).
	 * AF_UNSPEC: no usable address (LOCAL, UNKNOWN, UNSPEC, AF_UNIX,
	 * DGRAM): use getpeername()/getsockname() of the connection.
	 */
	int family;
	struct sockaddr_storage src;
	struct sockaddr_storage dst;
	/* Why a negative return: a constant string, for the log. */
	const char *error;
};

/*
 * Parse the PROXY header at the start of buf[0..len). Returns the header
 * length (> 0; the bytes after it are the client's), 0 when more bytes are
 * needed (call again with them, from the same start), or a negative errno:
 *   -EINVAL    @info NULL, or a malformed header
 *   -EPROTO    no PROXY header at all (the front end does not send one)
 *   -EMSGSIZE  a v2 header longer than SSTP_PROXY_V2_MAX
 * Garbage is reported as soon as the bytes show it; v1 waits for its CRLF
 * (at most 107 bytes), v2 for its 16 fixed bytes, then for its length.
 */
int sstp_proxy_parse(const void *buf, size_t len, struct sstp_proxy_info *info);

#endif /* SSTP_PROXY_H */
