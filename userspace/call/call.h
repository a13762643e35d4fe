/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * call.h - one SSTP call, the part both roles run alike once the HTTP
 * exchange is over: its carrier (a tunnel in sstp.ko, or the userspace
 * carrier with pppd on a pty), the control messages sent on it, Call
 * Disconnect and its Ack timer, pppd and its plugin's messages, and what
 * `sstp-helper status` is told. The states and every decision stay with
 * the role (client/client.c, server/session-call.c).
 *
 * A call belongs to one role's object and is only touched from that
 * role's event loop: no locking.
 */
#ifndef SSTP_CALL_H
#define SSTP_CALL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/types.h>

#include <openssl/ssl.h>

#include "call/binding.h"
#include "common/link.h"
#include "common/status-record.h"
#include "datapath/genl.h"
#include "datapath/user-carrier.h"
#include "ppp/ctl-msg.h"
#include "ppp/pppd.h"
#include "sstp/wire.h"

/* [MS-SSTP] 3.1.2: how long Call Disconnect waits for its Ack. */
#define SSTP_DISCONNECT_ACK_MS	5000

struct sstp_call {
	char name[96];			/* log prefix ("#12 198.51.100.7:50123") */
	struct sstp_genl *nl;		/* requests and control messages */
	int epfd;			/* the loop that watches @ctl */
	uint32_t tunnel_id;		/* 0: none yet, or gone (either carrier) */
	uint32_t channel;		/* sstp.ko's PPP channel */
	/*
	 * The userspace data path, when the call takes it (NULL: sstp.ko
	 * carries it): the carrier, the connection it holds (ours to
	 * close), pppd's pty (we keep the slave open: with none open the
	 * master reads EIO until pppd opens its side) and its path.
	 */
	struct sstp_user_carrier *uc;
	int uc_fd, pty_master, pty_slave;
	SSL *uc_ssl;
	char pty_name[64];
	epoll_data_t uc_data;		/* how the loop tags their events */
	/*
	 * The carrier is running (sstp_call_user_io()): a role that ends
	 * the call from one of its events must not free it under itself;
	 * the end is left for when it returns.
	 */
	bool uc_busy, uc_closing;
	pid_t pppd;			/* 0: not running */
	int ctl;			/* our end of the plugin's socket; -1 */
	long long started_ms;		/* CLOCK_MONOTONIC, for uptime */
	char tls_version[16], tls_cipher[64];
	char user[256];			/* who authenticated */
	char method[16];		/* how (SSTP_CTL_AUTH_*) */
	char ifname[32];		/* pppd's interface, once IPCP is up */
	char local[64], remote[64];	/* the link's addresses */
};

/* A fresh call: requests on @nl, the plugin's socket watched by @epfd. */
void sstp_call_init(struct sstp_call *c, struct sstp_genl *nl, int epfd);

/* A log line, prefixed with the call's name when it has one. */
void sstp_call_log(const struct sstp_call *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The TLS version and cipher the call runs on, for status. */
void sstp_call_note_tls(struct sstp_call *c, const SSL *ssl);

/*
 * Hand @fd (TLS done, kTLS installed unless @transport says plain TCP)
 * to sstp.ko as a tunnel of @role that @owner (which gets its events)
 * creates, with @link's MTU and keepalive and the SSTP bytes already
 * read (@prefix). On success sstp.ko holds the socket: *@fd is closed,
 * *@ssl freed. 0, or -1 with @owner->err.
 */
int sstp_call_open_tunnel(struct sstp_call *c, struct sstp_genl *owner,
			  int *fd, SSL **ssl, uint8_t role, uint8_t transport,
			  const struct sstp_link_conf *link,
			  const uint8_t *prefix, size_t prefix_len);

/*
 * The userspace data path: the call's frames go between @ssl (TLS done,
 * no kTLS) and a pty made here for pppd, by the carrier of
 * datapath/user-carrier.h, with @link's keepalive as sstp.ko would keep
 * it; @prefix is what came with the HTTP answer.
 * Events reach @on_event as sstp.ko's would, for tunnel @id; the loop watches the socket
 * and the pty with @data and calls sstp_call_user_io(). Takes *@fd and
 * *@ssl. 0, or -1 with @err.
 */
int sstp_call_open_user(struct sstp_call *c, int *fd, SSL **ssl,
			const struct sstp_link_conf *link,
			const uint8_t *prefix, size_t prefix_len, uint32_t id,
			sstp_event_fn on_event, void *arg, epoll_data_t data,
			char *err, size_t errlen);

/*
 * Ids of the userspace carrier's tunnels, in the events, apart from the
 * ones sstp.ko gives (which count up from 1): this bit and a number of
 * the role's.
 */
#define SSTP_CALL_USER_ID	0x80000000u

/* The userspace carrier's socket or pty is ready: move what can move. */
void sstp_call_user_io(struct sstp_call *c);

/*
 * The userspace carrier's keepalive at @now (ms): an Echo Request, or
 * the end (as an event). Returns when it wants to run again, 0 for never
 * (or no userspace carrier). The loop calls it each turn.
 */
long long sstp_call_user_timer(struct sstp_call *c, long long now);

/* The carrier goes: sstp.ko's tunnel deleted, or the userspace one freed. */
void sstp_call_close_carrier(struct sstp_call *c);

/* Send @msg on the call's tunnel; a failure is logged. 0 or -1. */
int sstp_call_send(struct sstp_call *c, const struct sstp_ctrl *msg);

/* Send a packet built whole (the crypto binding); logged likewise. */
int sstp_call_send_packet(struct sstp_call *c, const uint8_t *pkt, size_t len);

/* The call is bound: data frames pass. 0, or -1 (logged). */
int sstp_call_set_connected(struct sstp_call *c);

/*
 * Send a message of @type with only a status: a Status Info attribute
 * when @status is an error, and always in Call Disconnect (sstpc answers
 * a Disconnect with its Ack only when it has one; accel-ppp sends it so).
 */
int sstp_call_send_status(struct sstp_call *c, uint16_t type, uint32_t status);

/*
 * Call Disconnect: sent, and the time (ms, CLOCK_MONOTONIC) until which
 * its Ack is awaited, returned.
 */
long long sstp_call_disconnect(struct sstp_call *c);

/*
 * Run pppd on the call's channel: a control socketpair, @build_args
 * writes pppd's command line (naming the plugin's end, @ctl_fd), pppd
 * is spawned, our end is watched by the loop with @data. 0 or -1 with
 * @err.
 */
int sstp_call_start_pppd(struct sstp_call *c,
			 void (*build_args)(struct sstp_argv *b, int ctl_fd,
					    void *arg),
			 void *arg, epoll_data_t data, char *err, size_t errlen);

/*
 * Every message the plugin has sent, each to @on_msg and then wiped
 * (keys pass through here). When the plugin's end is closed (pppd is
 * exiting; SIGCHLD says how) our end is closed too, @ctl -1. @on_msg
 * may close it first (the call ended): the loop stops there.
 */
void sstp_call_plugin_io(struct sstp_call *c,
			 void (*on_msg)(void *arg, const struct sstp_ctl_msg *m),
			 void *arg);

/* Stop watching and close the plugin's socket, if open. */
void sstp_call_close_plugin(struct sstp_call *c);

/*
 * What status shows of the call: user, interface, addresses, TLS,
 * uptime at @now and the tunnel's counters; the role fills in id, role,
 * state and peer.
 */
void sstp_call_status(const struct sstp_call *c, long long now,
		      struct sstp_status_rec *r);

/*
 * The method of the plugin's "auth" message as crypto binding knows it:
 * MS-CHAPv2 only with keys (else, as for the other names, a zero-HLAK
 * method).
 */
enum sstp_auth_method sstp_call_auth_method(const char *method, bool keys_none);

#endif /* SSTP_CALL_H */
