// SPDX-License-Identifier: GPL-2.0-or-later
/* status-socket.c - see status-socket.h. */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/status-socket.h"

/* A socket file nobody answers on is left from a process that died. */
static int is_stale(const struct sockaddr_un *a)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int stale;

	if (fd < 0)
		return 0;
	stale = connect(fd, (const struct sockaddr *)a, sizeof(*a)) < 0 &&
		errno == ECONNREFUSED;
	close(fd);
	return stale;
}

/*
 * Bind to @a's path, taking over a stale socket file. Returns 0; or -1
 * with errno set, or with errno 0 and the reason in @err.
 */
static int bind_path(int fd, const struct sockaddr_un *a, char *err,
		     size_t errlen)
{
	if (bind(fd, (const struct sockaddr *)a, sizeof(*a)) == 0)
		return 0;
	if (errno != EADDRINUSE)
		return -1;
	if (!is_stale(a)) {
		snprintf(err, errlen, "status socket %s: another process answers "
			 "there (each server needs its own status-socket, each "
			 "client its own name)", a->sun_path);
		errno = 0;
		return -1;
	}
	unlink(a->sun_path);
	return bind(fd, (const struct sockaddr *)a, sizeof(*a));
}

int sstp_status_socket_open(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	char dir[sizeof(a.sun_path)], *slash;
	int fd, bound, saved_errno;
	mode_t old_mask;

	if (strlen(path) >= sizeof(a.sun_path)) {
		snprintf(err, errlen, "status socket: path too long: %s", path);
		return -1;
	}
	strcpy(a.sun_path, path);
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		mkdir(dir, 0755);	/* /run/sstp on a fresh boot */
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errlen, "status socket: %s", strerror(errno));
		return -1;
	}
	/* Born 0600: a chmod after bind would leave a moment open to all. */
	old_mask = umask(0177);
	bound = bind_path(fd, &a, err, errlen);
	saved_errno = errno;
	umask(old_mask);
	errno = saved_errno;
	if (bound || listen(fd, 8) < 0) {
		if (errno)
			snprintf(err, errlen, "status socket %s: %s", path,
				 strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

void sstp_status_socket_close(int fd, const char *path)
{
	if (fd < 0)
		return;
	close(fd);
	unlink(path);
}
