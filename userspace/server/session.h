/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * session.h - one client of `sstp-helper serve`, from accept() to the end
 * of its tunnel.
 *
 *   PROXY     reading the load balancer's PROXY header (proxy-protocol)
 *   TLS       non-blocking TLS handshake (handshake-timeout, from accept)
 *   HTTP      kTLS installed (or, with datapath = user, OpenSSL keeps
 *             the connection); reading the SSTP_DUPLEX_POST request
 *   CONNECT   tunnel made in sstp.ko, or the userspace carrier started;
 *             waiting for Call Connect Request
 *   BINDING   Connect Ack sent, pppd running; waiting for Call Connected
 *             and the MPPE keys from pppd (negotiation-timeout)
 *   UP        crypto binding verified, the gate is open
 *   CLOSING   Call Disconnect sent, waiting for the Ack (5 s)
 *   DEAD      everything released; freed by the loop
 */
#ifndef SSTP_SESSION_H
#define SSTP_SESSION_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <openssl/ssl.h>

#include "call/binding.h"
#include "call/call.h"
#include "call/http.h"
#include "common/clock.h"
#include "server/server.h"
#include "sstp/wire.h"

enum session_state {
	S_PROXY,
	S_TLS,
	S_LINGER,	/* TLS failed: our alert is out, reading to the end */
	S_HTTP,
	S_CONNECT,
	S_BINDING,
	S_UP,
	S_CLOSING,
	S_DEAD,
};


/*
 * One session, touched only from the server's loop. The loop frees it
 * once it is S_DEAD and its pppd has been reaped.
 */
struct session {
	struct server *srv;
	unsigned int serial;		/* for log lines: "#12" */
	enum session_state state;
	int fd;				/* the TCP socket, until handed over */
	SSL *ssl;
	bool user_path;			/* the helper carries the call (datapath) */
	char peer[64];			/* "198.51.100.7:50123" */
	long long deadline;		/* ms, CLOCK_MONOTONIC; 0: none */
	char end_why[256];		/* S_LINGER: the reason to log at the end */

	/* The PROXY header; then the request header, and SSTP bytes that
	 * may follow it. */
	unsigned char http[SSTP_HTTP_MAX_HEADER + SSTP_MAX_PACKET];
	size_t http_len;

	/* From the tunnel on: tunnel, pppd, user, addresses (call.h). */
	struct sstp_call call;
	int pppd_signal;		/* S_DEAD: sent at the deadline if pppd lingers */
	struct sstp_pool *pool;		/* holds call.remote for us, or NULL */
	bool have_keys;
	uint8_t send_key[16], recv_key[16];
	bool keys_none;

	uint8_t nonce[32];
	uint8_t offered;		/* hash bits in our Connect Ack */
	uint8_t connected_pkt[112];	/* Call Connected, until verified */
	bool have_connected;

	struct ep_item ep_fd, ep_ctl, ep_carrier;
	struct session *next;
};



struct session *session_new(struct server *srv, int fd,
			    const struct sockaddr_storage *peer);
void session_io(struct session *s);
void session_ctl_io(struct session *s);
/* The userspace carrier's socket or pty is ready. */
void session_carrier_io(struct session *s);
void session_event(struct server *srv, const struct sstp_event *ev);
void session_timeout(struct session *s);
/* pppd of @s ended; @wstatus as waitpid() gives it. */
void session_pppd_exited(struct session *s, int wstatus);
/* Server shutdown: Call Disconnect, tunnel deleted, pppd stopped. */
void session_shutdown(struct session *s);
void session_free(struct session *s);
/*
 * @text (an IPv4 address) becomes @s's remote address, reserved in the
 * pool that covers it, if one does, so that nobody else gets it.
 * 0, -EINVAL (not an address), or -EADDRINUSE (another session has it).
 */
int session_hold_remote(struct session *s, const char *text);

/*
 * Between the files of a session, each using only those below it:
 * session.c (accept, PROXY, TLS, HTTP, the timers), session-call.c (the
 * SSTP call, the plugin's messages, the end), session-ppp.c (the server's
 * pppd and its policy: addresses, secrets).
 */

/* Release what @s holds, logging @why; the loop frees it once DEAD. */
void session_end(struct session *s, const char *why);
/* Call Disconnect, and a moment for the client to acknowledge it. */
void session_disconnect(struct session *s, const char *why);
/* The state's timer: @seconds from now; 0 stops it. */
void session_set_timer(struct session *s, unsigned long seconds);
/* Call Abort with @status, then the end of the session. */
void session_abort(struct session *s, uint32_t status, const char *why);
/* pppd on @s's channel, its plugin's socket in the loop. 0 or -1, @err. */
int session_start_pppd(struct session *s, char *err, size_t errlen);
/*
 * Answer the plugin's "address <user>": the user's, the profile's, a
 * pool's. -1 (logged, "no-address" answered) when there is none to give.
 */
int session_answer_address(struct session *s, const char *user);
/* Answer the plugin's "secret <user>" from the configured users. */
void session_answer_secret(struct session *s, const char *user);

#endif /* SSTP_SESSION_H */
