// SPDX-License-Identifier: GPL-2.0-or-later
/* tcp.c - see tcp.h. */

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "transport/tcp.h"

static int connect_one(const struct addrinfo *ai, int timeout_ms, int *err)
{
	struct pollfd pfd = { .events = POLLOUT };
	socklen_t len = sizeof(*err);
	int fd, one = 1;

	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		*err = errno;
		return -1;
	}
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0 && errno != EINPROGRESS) {
		*err = errno;
		close(fd);
		return -1;
	}
	pfd.fd = fd;
	if (poll(&pfd, 1, timeout_ms) != 1) {
		*err = ETIMEDOUT;
		close(fd);
		return -1;
	}
	getsockopt(fd, SOL_SOCKET, SO_ERROR, err, &len);
	if (*err) {
		close(fd);
		return -1;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

int sstp_tcp_connect(const char *host, unsigned long port, int timeout_ms,
		     const char *what, char *err, size_t errlen)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res, *ai;
	char service[8];
	int rc, fd = -1, why = 0;

	snprintf(service, sizeof(service), "%lu", port);
	rc = getaddrinfo(host, service, &hints, &res);
	if (rc) {
		snprintf(err, errlen, "cannot resolve %s%s: %s", what, host,
			 gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai && fd < 0; ai = ai->ai_next)
		fd = connect_one(ai, timeout_ms, &why);
	freeaddrinfo(res);
	if (fd < 0)
		snprintf(err, errlen, "cannot connect to %s%s port %s: %s", what,
			 host, service, strerror(why));
	return fd;
}

void sstp_tcp_io_timeout(int fd, int seconds)
{
	struct timeval tv = { .tv_sec = seconds };

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

int sstp_tcp_send_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t n;

	while (len) {
		n = send(fd, p, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Byte by byte: the first byte past the header is not ours to take. */
int sstp_tcp_read_header(int fd, char *buf, size_t size, size_t *len)
{
	ssize_t n;

	*len = 0;
	while (*len + 1 < size) {
		n = recv(fd, buf + *len, 1, 0);
		if (n == 0)
			errno = 0;	/* closed: no error number to show */
		if (n <= 0)
			return -1;
		(*len)++;
		if (*len >= 4 && !memcmp(buf + *len - 4, "\r\n\r\n", 4))
			return 0;
	}
	return -1;
}
