/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * user-carrier.h - a call's PPP frames carried in userspace, for the calls
 * sstp.ko cannot carry (no module, or a TLS version or cipher that kTLS
 * does not take): OpenSSL keeps the TLS connection, pppd runs on a pty
 * with the kernel's async HDLC (ppp_async), and this moves the frames
 * between the two.
 *
 * It does what sstp.ko does for a tunnel, with the same words: data
 * packets to and from pppd, only PPP control protocols before the call is
 * connected (the gate), Echo Requests answered here, every other control
 * packet passed to the call's owner as an SSTP_CMD_CTRL_RECV event, the
 * end as an SSTP_CMD_TUNNEL_DOWN event with sstp.ko's reasons, counters
 * under sstp.ko's names (struct sstp_tunnel_info).
 *
 * What waits is bounded: a turn reads from one side only while the other
 * side's buffer has room for all it could make of the read, so a peer or
 * a pppd that does not read stops the other side's reading, and TCP (or
 * the pty) pushes back. Nothing is allocated after sstp_uc_init().
 *
 * One carrier belongs to one call, on its owner's event loop: no locking.
 */
#ifndef SSTP_USER_CARRIER_H
#define SSTP_USER_CARRIER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/ssl.h>

#include "datapath/genl.h"
#include "datapath/hdlc.h"
#include "sstp/wire.h"

/*
 * As sstp.ko's transmit-stall timeout (its default): while bytes wait for
 * the peer and it takes none for this long, it reads nothing; the end.
 */
#define SSTP_UC_TX_STALL_MS	60000

/* What one SSL_read() takes: a whole TLS record's payload. */
#define SSTP_UC_READ_TLS	16384
/* What one read() of pppd's pty takes. */
#define SSTP_UC_READ_PTY	8192
/* Bytes for the peer, SSTP packets, written with SSL_write(). */
#define SSTP_UC_TO_PEER		(4 * SSTP_UC_READ_PTY)
/* Bytes for pppd, HDLC-framed, written to the pty. */
#define SSTP_UC_TO_PPPD		(4 * SSTP_UC_READ_TLS + SSTP_HDLC_ENCODED_MAX(SSTP_MAX_PACKET))

struct sstp_user_carrier {
	SSL *ssl;			/* the connection, TLS done */
	int pty;			/* the pty's master side; -1 once pppd left */
	bool connected;			/* the gate is open */
	bool peer_wants_write;		/* SSL_read() waits for the socket to be writable */
	bool echo_owed;			/* an Echo Response is still to be queued */
	bool down;			/* TUNNEL_DOWN was reported */
	unsigned int ctrl_events;	/* control packets passed to the owner */
	/* Keepalive, as sstp.ko's (kernel/keepalive.c), in ms; 0: off. */
	long long hello_ms, timeout_ms;
	long long last_rx_ms;		/* when the peer last sent anything */
	bool echo_out;			/* our Echo Request since then */
	long long last_tx_ms;		/* when the peer last took something */
	uint32_t id;			/* the call's id in the events */
	sstp_event_fn on_event;
	void *arg;

	struct sstp_stream stream;	/* SSTP packets out of the TLS bytes */
	struct sstp_hdlc_decoder hdlc;	/* frames out of pppd's bytes */
	uint8_t frame[SSTP_MAX_PACKET + SSTP_HDLC_FCS_LEN];

	uint8_t to_peer[SSTP_UC_TO_PEER];
	size_t to_peer_len;
	size_t to_peer_retry;		/* an SSL_write() of this many bytes to repeat */
	uint8_t to_pppd[SSTP_UC_TO_PPPD];
	size_t to_pppd_off, to_pppd_len;
	uint8_t rd[SSTP_UC_READ_TLS];

	struct sstp_tunnel_info info;	/* counters, state, why it went down */
};

/*
 * Carry the call on @ssl (TLS done, non-blocking socket) and @pty (the
 * master side of pppd's pty, non-blocking; made raw here). Events go to
 * @on_event with @arg, as tunnel @id. Neither fd is the carrier's to
 * close.
 */
void sstp_uc_init(struct sstp_user_carrier *u, SSL *ssl, int pty, uint32_t id,
		  sstp_event_fn on_event, void *arg);

/*
 * Parse @len bytes read past the HTTP exchange, as if just read; once,
 * before anything else, and no more than SSTP_UC_READ_TLS of them (else
 * the carrier goes down). 0 or -1 (down).
 */
int sstp_uc_prefix(struct sstp_user_carrier *u, const uint8_t *prefix,
		   size_t len);

/*
 * Queue a whole control packet for the peer, after the data queued
 * before it. 0, or -ENOBUFS when it does not fit now (the peer does not
 * read), -ESHUTDOWN once down.
 */
int sstp_uc_send_ctrl(struct sstp_user_carrier *u, const uint8_t *pkt,
		      size_t len);

/* The call is connected: data frames pass both ways from now on. */
void sstp_uc_set_connected(struct sstp_user_carrier *u);

/*
 * Keepalive as sstp.ko keeps it for a tunnel ([MS-SSTP] 3.1.2.2): after
 * @hello_s seconds of silence an Echo Request, after @timeout_s the end
 * (SSTP_DOWN_KEEPALIVE_TIMEOUT); anything received counts. 0: off.
 */
void sstp_uc_set_keepalive(struct sstp_user_carrier *u, unsigned long hello_s,
			   unsigned long timeout_s);

/*
 * The timers' work at @now (ms, CLOCK_MONOTONIC): an Echo Request
 * queued, or the end reported (keepalive, or a peer that has taken
 * nothing of what waits for SSTP_UC_TX_STALL_MS). Returns when to come
 * back (ms), 0 for never.
 */
long long sstp_uc_timer(struct sstp_user_carrier *u, long long now);

/*
 * Move what can be moved now, both ways, without blocking. Events
 * (control packets, the end) are delivered from here. Returns false once
 * the carrier is down.
 */
bool sstp_uc_io(struct sstp_user_carrier *u);

/* The epoll events to wait for on the TLS socket and on the pty. */
uint32_t sstp_uc_sock_events(const struct sstp_user_carrier *u);
uint32_t sstp_uc_pty_events(const struct sstp_user_carrier *u);

#endif /* SSTP_USER_CARRIER_H */
