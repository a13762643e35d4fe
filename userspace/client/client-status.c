// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * client-status.c - the client's own status socket: `sstp-helper status`
 * connects and reads one record about us (status-record.h).
 */

#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

#include "client/connection.h"
#include "common/clock.h"
#include "common/log.h"
#include "common/status-socket.h"

static const char *const state_names[] = {
	[C_DIALING] = "tls", [C_CONNECT_SENT] = "connect", [C_PPP] = "ppp",
	[C_UP] = "up", [C_CLOSING] = "closing", [C_PPP_ENDING] = "closing",
	[C_IDLE] = "idle", [C_DONE] = "ended",
};

/* Our own socket for `sstp-helper status`; without one we still run. */
void client_open_status(struct client *c)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = EV_STATUS };
	char name[32], err[256];

	snprintf(name, sizeof(name), "%d", (int)getpid());
	snprintf(c->status_path, sizeof(c->status_path), SSTP_CLIENT_SOCKET_FMT,
		 c->cfg->name[0] ? c->cfg->name : name);
	c->status_fd = sstp_status_socket_open(c->status_path, err, sizeof(err));
	if (c->status_fd < 0) {
		sstp_log("warning: %s; sstp-helper status will not list us", err);
		return;
	}
	epoll_ctl(c->epfd, EPOLL_CTL_ADD, c->status_fd, &ev);
}

/* One record about us to each reader; small enough for one send. */
void client_answer_status(struct client *c)
{
	char buf[64 + SSTP_STATUS_LINE_MAX];
	struct sstp_status_rec r = { .id = (unsigned int)getpid() };
	int fd, n;

	while ((fd = accept4(c->status_fd, NULL, NULL, SOCK_CLOEXEC)) >= 0) {
		snprintf(r.role, sizeof(r.role), "client");
		snprintf(r.state, sizeof(r.state), "%s", state_names[c->state]);
		snprintf(r.peer, sizeof(r.peer), "%s:%lu", c->cfg->connect_to,
			 c->cfg->port);
		sstp_call_status(&c->call, sstp_now_ms(), &r);
		n = snprintf(buf, sizeof(buf), "%s\n", SSTP_STATUS_MAGIC);
		/* The buffer holds the longest record: format cannot fail. */
		n += sstp_status_format(&r, buf + n, sizeof(buf) - (size_t)n);
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, "%s\n",
			      SSTP_STATUS_END);
		if (send(fd, buf, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT) != n)
			sstp_debug("status: a reader got a short answer");
		close(fd);
	}
}
