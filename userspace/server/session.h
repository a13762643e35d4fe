/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * session.h - one client of `sstp-helper serve`, from accept() to the end
 * of its tunnel.
 *
 *   PROXY     reading the load balancer's PROXY header (proxy-protocol)
 *   TLS       non-blocking TLS handshake (handshake-timeout, from accept)
 *   HTTP      kTLS installed; reading the SSTP_DUPLEX_POST request
 *   CONNECT   tunnel made in sstp.ko; waiting for Call Connect Request
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
#include "common/clock.h"
#include "datapath/genl.h"
#include "call/http.h"
#include "server/radius.h"
#include "server/serve-pools.h"
#include "server/server-config.h"
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

struct server;

/* What an epoll event is about: epoll_event.data.ptr points to one. */
enum ep_kind {
	EP_LISTENER, EP_NETLINK, EP_SIGNAL, EP_SESSION, EP_CTL,
	EP_STATUS, EP_STATUS_READER,
};

struct ep_item {
	enum ep_kind kind;
	void *ptr;
	int fd;
};

struct session {
	struct server *srv;
	unsigned int serial;		/* for log lines: "#12" */
	enum session_state state;
	int fd;				/* the TCP socket, until handed over */
	SSL *ssl;
	char peer[64];			/* "198.51.100.7:50123" */
	long long started_ms;		/* accept(), CLOCK_MONOTONIC */
	long long deadline;		/* ms, CLOCK_MONOTONIC; 0: none */
	char tls_version[16], tls_cipher[64];	/* for status */
	char end_why[256];		/* S_LINGER: the reason to log at the end */

	/* The PROXY header; then the request header, and SSTP bytes that
	 * may follow it. */
	unsigned char http[SSTP_HTTP_MAX_HEADER + SSTP_MAX_PACKET];
	size_t http_len;

	uint32_t tunnel_id;
	uint32_t channel;

	pid_t pppd;

	int pppd_signal;		/* S_DEAD: sent at the deadline if pppd lingers */
	int ctl;			/* our end of pppd's control socket */
	char user[256];
	char method[16];		/* SSTP_CTL_AUTH_* */
	bool have_keys;
	uint8_t send_key[16], recv_key[16];
	bool keys_none;
	char ifname[32];
	char local_addr[64];		/* ours on the link, once IPCP is up */
	char remote_addr[64];
	struct sstp_pool *pool;		/* holds remote_addr for us, or NULL */

	uint8_t nonce[32];
	uint8_t offered;		/* hash bits in our Connect Ack */
	uint8_t connected_pkt[112];	/* Call Connected, until verified */
	bool have_connected;

	struct ep_item ep_fd, ep_ctl;
	struct session *next;
};

struct server {
	struct sstp_server_config cfg;
	SSL_CTX *tls;
	struct sstp_cert_hashes cert;
	/*
	 * @nl creates the tunnels, so it owns them and gets their events;
	 * every other request goes on @nl_req, which owns nothing and so is
	 * never short of room for a reply.
	 */
	struct sstp_genl nl;
	struct sstp_genl nl_req;
	int epfd;
	struct session *sessions;
	unsigned int nsessions, serial;
	struct server_pools pools;	/* one per [pool] */
	struct sstp_ratelimit *limit;	/* connection-rate-limit, or NULL */
	const char *plugin;
	struct sstp_radius_files radius;	/* use-radius: radius.so's files */
	bool stopping;

	int status_fd;			/* serve-status.c */
	struct ep_item ep_status;
	struct status_reader *status_readers;
	unsigned int nreaders;
};


struct session *session_new(struct server *srv, int fd,
			    const struct sockaddr_storage *peer);
void session_io(struct session *s);
void session_ctl_io(struct session *s);
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

#endif /* SSTP_SESSION_H */
