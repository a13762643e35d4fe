// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ctl.c - the plugin's end of the control socket to sstp-helper: one
 * SOCK_SEQPACKET packet per message, text as ../plugin-ctl.h describes.
 *
 * pppd is single-threaded: while a request waits for its answer, pppd's
 * main loop (timers, LCP echoes, the other end's retransmissions) waits
 * too. The helper answers from memory, but a server busy with a burst of
 * TLS handshakes (and pppds starting) may answer late: a request waits as
 * long as the call may take to come up (sstp-ctl-timeout, which the
 * helper sets to its negotiation-timeout; the helper ends the call when
 * that passes), SSTP_CTL_TIMEOUT_MS without it, and then fails rather
 * than hang the link.
 */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/hex.h"
#include "pppd-compat.h"
#include "sstp-pppd.h"

#define SSTP_CTL_TIMEOUT_MS	10000

static int ctl_fd = -1;
static long ctl_timeout_ms = SSTP_CTL_TIMEOUT_MS;

static int sockopt_int(int fd, int name, int *val)
{
	socklen_t len = sizeof(*val);

	return getsockopt(fd, SOL_SOCKET, name, val, &len);
}

int sstp_ctl_attach(const char *arg)
{
	int fd, domain, type, flags;
	struct stat st;
	char *end;
	long v;

	if (ctl_fd >= 0) {
		sstp_pppd_option_error("sstp-ctl-fd: given twice");
		return 0;
	}
	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || v < 0 || v > 0x7fffffff) {
		sstp_pppd_option_error("sstp-ctl-fd: '%s' is not a file descriptor", arg);
		return 0;
	}
	fd = (int)v;
	/* When pppd detaches it reopens 0, 1 and 2 on /dev/null. */
	if (fd <= 2) {
		sstp_pppd_option_error("sstp-ctl-fd: %d is a standard stream", fd);
		return 0;
	}
	if (fstat(fd, &st) < 0 || !S_ISSOCK(st.st_mode) ||
	    sockopt_int(fd, SO_DOMAIN, &domain) < 0 || domain != AF_UNIX ||
	    sockopt_int(fd, SO_TYPE, &type) < 0 || type != SOCK_SEQPACKET) {
		sstp_pppd_option_error("sstp-ctl-fd: %d is not an open AF_UNIX "
				       "SOCK_SEQPACKET socket", fd);
		return 0;
	}
	/* pppd's scripts (ip-up, auth-up...) must not inherit the socket. */
	flags = fcntl(fd, F_GETFD);
	if (flags < 0 || fcntl(fd, F_SETFD, flags | FD_CLOEXEC) < 0) {
		sstp_pppd_option_error("sstp-ctl-fd: cannot set close-on-exec "
				       "on %d: %m", fd);
		return 0;
	}
	ctl_fd = fd;
	return 1;
}

int sstp_ctl_attached(void)
{
	return ctl_fd >= 0;
}

void sstp_wipe(void *p, size_t n)
{
	volatile unsigned char *v = p;

	while (n--)
		*v++ = 0;
}

char *sstp_hex(char *dst, size_t dst_size, const void *src, size_t len)
{
	if (dst_size < 2 * len + 2) {
		/* A caller's bug: say so in the message rather than truncate. */
		snprintf(dst, dst_size, "?");
		return dst;
	}
	if (!len) {
		strcpy(dst, "-");
		return dst;
	}
	sstp_hex_encode(src, len, dst);
	return dst;
}

/* "-" is empty; anything but pairs of hex digits is refused. */
static int unhex(const char *s, unsigned char *out, size_t size, size_t *len)
{
	int n;

	if (!strcmp(s, "-")) {
		*len = 0;
		return 1;
	}
	n = *s ? sstp_hex_decode(s, out, size) : -1;
	if (n < 0)
		return 0;
	*len = (size_t)n;
	return 1;
}

int sstp_ctl_send(const char *msg)
{
	size_t len = strlen(msg);
	ssize_t n;

	if (ctl_fd < 0)
		return -1;
	/*
	 * MSG_NOSIGNAL: a helper that went away must not kill pppd.
	 * MSG_DONTWAIT: nor may one that stopped reading block it; a few
	 * small messages per link never fill a socket buffer otherwise.
	 */
	do
		n = send(ctl_fd, msg, len, MSG_NOSIGNAL | MSG_DONTWAIT);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)len) {
		/* EPIPE: the helper ended the session and closed its end. */
		if (n < 0 && errno == EPIPE)
			dbglog("sstp: the helper has closed the control socket");
		else
			error("sstp: cannot write to the helper's control socket: %m");
		return -1;
	}
	return 0;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/*
 * Receive one packet into buf (SSTP_CTL_MAX_MSG + 1 bytes), NUL-terminated.
 * Returns its length, 0 when the helper closed its end, -1 on error or for
 * a packet too long to be a message (MSG_TRUNC: the rest is gone).
 */
static ssize_t ctl_recv(char *buf, int flags)
{
	struct iovec iov = { .iov_base = buf, .iov_len = SSTP_CTL_MAX_MSG };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;

	do
		n = recvmsg(ctl_fd, &mh, flags);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	if (mh.msg_flags & MSG_TRUNC)
		return -1;
	return n;
}

/* Wait up to the deadline for a packet; 1 if one is there. */
static int ctl_wait(long deadline)
{
	struct pollfd pfd = { .fd = ctl_fd, .events = POLLIN };
	long left;
	int n;

	for (;;) {
		left = deadline - now_ms();
		if (left <= 0)
			return 0;
		n = poll(&pfd, 1, (int)left);
		if (n > 0)
			return 1;
		if (n < 0 && errno != EINTR)
			return 0;
	}
}

int sstp_ctl_set_timeout(const char *arg)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || v < 1 || v > 3600) {
		sstp_pppd_option_error("sstp-ctl-timeout: '%s' is not 1 to "
				       "3600 seconds", arg);
		return 0;
	}
	ctl_timeout_ms = v * 1000;
	return 1;
}

int sstp_ctl_ask(const char *request, const char *verb,
		 unsigned char *out, size_t size, size_t *len)
{
	return sstp_ctl_ask_within(request, verb, out, size, len,
				   ctl_timeout_ms);
}

int sstp_ctl_ask_within(const char *request, const char *verb,
			unsigned char *out, size_t size, size_t *len,
			long timeout_ms)
{
	char buf[SSTP_CTL_MAX_MSG + 1];
	size_t vlen = strlen(verb);
	long deadline;
	ssize_t n;
	int ok = 0;

	*len = 0;
	if (ctl_fd < 0)
		return 0;
	/*
	 * An answer that came after an earlier request gave up would be
	 * taken for the answer to this one: drop whatever is waiting.
	 */
	while (recv(ctl_fd, buf, SSTP_CTL_MAX_MSG, MSG_DONTWAIT) > 0)
		;
	if (sstp_ctl_send(request))
		goto out;
	deadline = now_ms() + timeout_ms;
	if (!ctl_wait(deadline)) {
		error("sstp: no answer from the helper within %ld s",
		      timeout_ms / 1000);
		goto out;
	}
	n = ctl_recv(buf, MSG_DONTWAIT);
	if (n <= 0) {
		error("sstp: the helper's control socket is %s",
		      n == 0 ? "closed" : "unreadable");
		goto out;
	}
	if (!strncmp(buf, verb, vlen) && buf[vlen] == ' ')
		ok = unhex(buf + vlen + 1, out, size, len);
	if (!ok)
		sstp_wipe(out, size);
out:
	sstp_wipe(buf, sizeof(buf));
	return ok;
}
