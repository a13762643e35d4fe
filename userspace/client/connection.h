/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * connection.h - inside the client: one run of `sstp-helper connect`
 * (states in client.h), shared by the files of client/:
 *
 *   client.c          the run: its loop, signals, dial-on-demand, the
 *                     dial's thread, teardown
 *   client-call.c     the SSTP call: the tunnel, control messages, pppd
 *                     and its plugin, the crypto binding, Call Disconnect,
 *                     the timers
 *   client-status.c   the status socket
 *
 * Each file uses only those listed after it.
 *
 * Everything runs on the loop's thread, but for the dial (dial.h), which
 * touches only its own job until it says it is done.
 */
#ifndef SSTP_CLIENT_CONNECTION_H
#define SSTP_CLIENT_CONNECTION_H

#include <stdbool.h>
#include <stdint.h>

#include "call/call.h"
#include "client/client.h"
#include "client/route.h"

enum client_state {
	C_DIALING,		/* the dial runs (dial.h) */
	C_CONNECT_SENT, C_PPP, C_UP, C_CLOSING,
	C_PPP_ENDING,		/* the server ended the call during PPP set-up */
	C_IDLE,			/* dial-on-demand: pppd waits for traffic */
	C_DONE,
};

/* What an epoll event is about (epoll_event.data.u32). */
enum client_event {
	EV_SIGNAL, EV_STATUS, EV_PLUGIN, EV_NETLINK, EV_DIAL,
	EV_CARRIER,		/* the userspace carrier's socket or pty */
};

struct dial_job;

struct client {
	const struct sstp_client_config *cfg;
	enum client_state state;
	enum sstp_client_exit code;
	bool stopped;			/* by a signal */
	SSL_CTX *ctx;			/* every dial's TLS context */
	struct dial_job *job;		/* the dial under way or done; or NULL */

	struct sstp_host_route pin;	/* add-default-route */
	struct sstp_genl nl;
	bool nl_open;
	struct sstp_call call;
	struct sstp_cert_hashes cert;	/* of the server's certificate */
	struct sstp_binding_req req;	/* from the Connect Ack */
	bool dial_requested;		/* pppd said "dial": for the loop */
	bool dial_pending;		/* pppd's "dial" awaits its channel */

	int epfd, sfd;
	long long deadline;		/* ms, CLOCK_MONOTONIC; 0: none */
	/*
	 * pppd said "ip-up" in this call (call.ifname cannot tell: with
	 * dial-on-demand it outlives each dial). See stop_timer_once_up().
	 */
	bool ip_up;

	/* For `sstp-helper status`, on status_fd at status_path. */
	int status_fd;
	char status_path[108];

	/* C_PPP_ENDING: why, unless pppd says its authentication failed. */
	enum sstp_client_exit pending_code;
	char pending_why[256];
};

/* client-call.c */
/* The first reason to stop sets the exit code; the loop then ends. */
void client_fail(struct client *c, enum sstp_client_exit code,
		 const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Our netlink socket to sstp.ko, once for the whole run. */
int client_open_netlink(struct client *c);
/* The dial's connection to its carrier: sstp.ko, or ours (@user_path). */
int client_start_tunnel(struct client *c, int *fd, SSL **ssl, bool user_path,
			const uint8_t *prefix, size_t prefix_len);
void client_disconnect(struct client *c, enum sstp_client_exit code,
		       const char *why);
void client_on_event(const struct sstp_event *ev, void *arg);
void client_send_binding(struct client *c, const struct sstp_ctl_msg *m);
void client_on_timer(struct client *c);

int client_start_pppd(struct client *c);
void client_answer_dial(struct client *c, bool ok);
void client_on_plugin(struct client *c);
void client_on_pppd_exit(struct client *c, int status);

/* client-status.c */
void client_open_status(struct client *c);
void client_answer_status(struct client *c);

#endif /* SSTP_CLIENT_CONNECTION_H */
