/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tcp.h - the client's TCP: connecting with a time limit, blocking I/O
 * with one, and reading an HTTP header without a byte past it (what
 * follows is TLS, for OpenSSL to read).
 */
#ifndef SSTP_TCP_H
#define SSTP_TCP_H

#include <stddef.h>

/*
 * A TCP connection to @host port @port, trying each address the name
 * resolves to for at most @timeout_ms; blocking, with TCP_NODELAY.
 * The fd, or -1 with @err ("cannot resolve ...", "cannot connect ...";
 * @what, such as "the proxy ", goes before the name).
 */
int sstp_tcp_connect(const char *host, unsigned long port, int timeout_ms,
		     const char *what, char *err, size_t errlen);

/* SO_RCVTIMEO and SO_SNDTIMEO of @fd. */
void sstp_tcp_io_timeout(int fd, int seconds);

/* All of @buf, through EINTR and short writes; 0 or -1 (errno). */
int sstp_tcp_send_all(int fd, const void *buf, size_t len);

/*
 * An HTTP header, up to its blank line and not one byte further, into
 * @buf (*@len bytes). 0, or -1 with errno (0: the peer closed).
 */
int sstp_tcp_read_header(int fd, char *buf, size_t size, size_t *len);

#endif /* SSTP_TCP_H */
