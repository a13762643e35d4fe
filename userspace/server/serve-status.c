// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * serve-status.c - the server's status socket: a UNIX stream socket where
 * `sstp-helper status` connects and reads one answer (status-record.h)
 * about every live session, with the kernel's counters of its tunnel.
 *
 * The answer is built whole when the connection is accepted and written
 * as the socket takes it, from the epoll loop: a status reader that does
 * not read stalls nothing but itself, and is dropped after a few seconds.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/log.h"
#include "server/serve-status.h"
#include "server/session.h"
#include "common/status-record.h"
#include "common/status-socket.h"

/* Readers at once; more are turned away until one is done. */
#define MAX_READERS 8
/* How long a reader may take to read its answer. */
#define READER_MS 5000

struct status_reader {
	struct ep_item ep;
	char *buf;
	size_t len, off;
	long long deadline;
	struct status_reader *next;
};

static const char *const state_names[] = {
	[S_PROXY] = "proxy", [S_TLS] = "tls", [S_LINGER] = "closing",
	[S_HTTP] = "http",
	[S_CONNECT] = "connect", [S_BINDING] = "binding", [S_UP] = "up",
	[S_CLOSING] = "closing", [S_DEAD] = "ended",
};

int sstp_status_listen(struct server *srv, char *err, size_t errlen)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int fd;

	srv->status_fd = -1;
	if (!srv->cfg.status_socket[0])
		return 0;	/* status-socket = "" turns it off */
	fd = sstp_status_socket_open(srv->cfg.status_socket, err, errlen);
	if (fd < 0)
		return -1;
	srv->status_fd = fd;
	srv->ep_status = (struct ep_item){ EP_STATUS, srv, fd };
	ev.data.ptr = &srv->ep_status;
	epoll_ctl(srv->epfd, EPOLL_CTL_ADD, fd, &ev);
	return 0;
}

static void fill_record(const struct session *s, long long now,
			struct sstp_status_rec *r)
{
	memset(r, 0, sizeof(*r));
	r->id = s->serial;
	snprintf(r->role, sizeof(r->role), "server");
	snprintf(r->state, sizeof(r->state), "%s", state_names[s->state]);
	snprintf(r->peer, sizeof(r->peer), "%s", s->peer);
	sstp_call_status(&s->call, now, r);
}

/* The whole answer, or NULL for want of memory. */
static char *build_answer(struct server *srv, size_t *len)
{
	size_t size = 64 + (size_t)(srv->nsessions + 1) * SSTP_STATUS_LINE_MAX;
	char *buf = malloc(size);
	long long now = sstp_now_ms();
	struct sstp_status_rec r;
	struct session *s;
	int n;

	if (!buf)
		return NULL;
	*len = (size_t)snprintf(buf, size, "%s\n", SSTP_STATUS_MAGIC);
	for (s = srv->sessions; s; s = s->next) {
		if (s->state == S_DEAD)
			continue;
		fill_record(s, now, &r);
		n = sstp_status_format(&r, buf + *len, size - *len);
		if (n > 0)
			*len += (size_t)n;
	}
	*len += (size_t)snprintf(buf + *len, size - *len, "%s\n", SSTP_STATUS_END);
	return buf;
}

static void reader_free(struct server *srv, struct status_reader *rd)
{
	struct status_reader **pp;

	for (pp = &srv->status_readers; *pp; pp = &(*pp)->next) {
		if (*pp == rd) {
			*pp = rd->next;
			break;
		}
	}
	epoll_ctl(srv->epfd, EPOLL_CTL_DEL, rd->ep.fd, NULL);
	close(rd->ep.fd);
	free(rd->buf);
	free(rd);
	srv->nreaders--;
}

void sstp_status_accept(struct server *srv)
{
	struct epoll_event ev = { .events = EPOLLOUT };
	struct status_reader *rd;
	int fd;

	while ((fd = accept4(srv->status_fd, NULL, NULL,
			     SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
		rd = srv->nreaders < MAX_READERS ? calloc(1, sizeof(*rd)) : NULL;
		if (rd)
			rd->buf = build_answer(srv, &rd->len);
		if (!rd || !rd->buf) {
			sstp_debug("status: turning a reader away");
			free(rd);
			close(fd);
			continue;
		}
		rd->ep = (struct ep_item){ EP_STATUS_READER, rd, fd };
		rd->deadline = sstp_now_ms() + READER_MS;
		rd->next = srv->status_readers;
		srv->status_readers = rd;
		srv->nreaders++;
		ev.data.ptr = &rd->ep;
		epoll_ctl(srv->epfd, EPOLL_CTL_ADD, fd, &ev);
	}
}

void sstp_status_write(struct server *srv, struct status_reader *rd)
{
	ssize_t n = send(rd->ep.fd, rd->buf + rd->off, rd->len - rd->off,
			 MSG_NOSIGNAL | MSG_DONTWAIT);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n > 0)
		rd->off += (size_t)n;
	if (n <= 0 || rd->off == rd->len)
		reader_free(srv, rd);
}

void sstp_status_timers(struct server *srv, long long now)
{
	struct status_reader *rd = srv->status_readers, *next;

	for (; rd; rd = next) {
		next = rd->next;
		if (rd->deadline <= now)
			reader_free(srv, rd);
	}
}

void sstp_status_close(struct server *srv)
{
	while (srv->status_readers)
		reader_free(srv, srv->status_readers);
	sstp_status_socket_close(srv->status_fd, srv->cfg.status_socket);
	srv->status_fd = -1;
}
