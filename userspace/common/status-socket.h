/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * status-socket.h - the UNIX sockets `sstp-helper status` reads: the
 * server's (status-socket, default SSTP_STATUS_SOCKET) and one per running
 * client, SSTP_STATUS_DIR/client-NAME.sock.
 */
#ifndef SSTP_STATUS_SOCKET_H
#define SSTP_STATUS_SOCKET_H

#include <stddef.h>

#define SSTP_STATUS_DIR		"/run/sstp"
/* Where `sstp-helper status` finds a server unless told otherwise. */
#define SSTP_STATUS_SOCKET	SSTP_STATUS_DIR "/server.sock"
#define SSTP_CLIENT_SOCKET_FMT	SSTP_STATUS_DIR "/client-%s.sock"

/*
 * Listen on @path (non-blocking, owner-only; its directory made if
 * missing). A socket file nobody answers on, left by a process that died,
 * is taken over; one that answers is refused with a message naming it.
 * Returns the fd, or -1 with @err.
 */
int sstp_status_socket_open(const char *path, char *err, size_t errlen);

/* Close @fd and remove its file @path (if @fd >= 0). */
void sstp_status_socket_close(int fd, const char *path);

#endif /* SSTP_STATUS_SOCKET_H */
