/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * serve-status.h - the status socket of `sstp-helper serve`, read by
 * `sstp-helper status` (status-record.h has what is said on it).
 */
#ifndef SSTP_SERVE_STATUS_H
#define SSTP_SERVE_STATUS_H

#include <stddef.h>

struct server;
struct status_reader;

/* Listen on the config's status-socket (none if ""); 0 or -1 with @err. */
int sstp_status_listen(struct server *srv, char *err, size_t errlen);
/* The listener is readable: take the readers, build their answers. */
void sstp_status_accept(struct server *srv);
/* @rd's socket is writable: send more of its answer, free it when done. */
void sstp_status_write(struct server *srv, struct status_reader *rd);
/* Drop readers that took too long. */
void sstp_status_timers(struct server *srv, long long now);
/* Close the listener and every reader, remove the socket file. */
void sstp_status_close(struct server *srv);

#endif /* SSTP_SERVE_STATUS_H */
