// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * user-carrier.c - a call's PPP frames between OpenSSL and pppd's pty
 * (user-carrier.h). The rules are sstp.ko's (kernel/rx.c, kernel/tx.c):
 * the same gate, the same Echo answer, the same events and counters.
 */
#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <termios.h>
#include <unistd.h>

#include <openssl/err.h>

#include "common/clock.h"
#include "datapath/user-carrier.h"

/* Room for pppd's side before a read from the peer: all a read can make. */
#define TO_PPPD_ROOM	(2 * (SSTP_UC_READ_TLS + SSTP_MAX_PACKET) + 16)
/* Room for the peer's side before a read from pppd, likewise. */
#define TO_PEER_ROOM	(2 * SSTP_UC_READ_PTY + SSTP_MAX_PACKET)
/* Turns of sstp_uc_io() before it lets the loop look at other calls. */
#define IO_TURNS	64
/* As in sstp.ko: control packets passed to the owner over a call's life. */
#define MAX_CTRL_EVENTS	16

static void count(struct sstp_user_carrier *u, int stat, uint64_t n)
{
	u->info.stats[stat] += n;
}

/* The end, reported once. */
static void go_down(struct sstp_user_carrier *u, uint32_t reason,
		    uint32_t detail)
{
	struct sstp_event ev = { .cmd = SSTP_CMD_TUNNEL_DOWN };

	if (u->down)
		return;
	u->down = true;
	u->info.state = SSTP_STATE_DOWN;
	u->info.down_reason = reason;
	u->info.down_detail = detail;
	ev.tunnel_id = u->id;
	ev.info = u->info;
	u->on_event(&ev, u->arg);
}

void sstp_uc_init(struct sstp_user_carrier *u, SSL *ssl, int pty, uint32_t id,
		  sstp_event_fn on_event, void *arg)
{
	struct termios tio;

	memset(u, 0, sizeof(*u));
	u->ssl = ssl;
	u->pty = pty;
	u->id = id;
	u->on_event = on_event;
	u->arg = arg;
	u->info.id = id;
	u->info.state = SSTP_STATE_NEGOTIATING;
	u->info.channel_index = -1;
	u->info.ppp_unit = -1;
	u->last_rx_ms = u->last_tx_ms = sstp_now_ms();
	sstp_stream_init(&u->stream);
	sstp_hdlc_decoder_init(&u->hdlc, u->frame, sizeof(u->frame));
	/* Records as full as what is queued; a write may go out in parts. */
	SSL_set_mode(ssl, SSL_MODE_ENABLE_PARTIAL_WRITE |
			  SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	/* pppd's bytes pass the master side untouched. */
	if (!tcgetattr(pty, &tio)) {
		cfmakeraw(&tio);
		tcsetattr(pty, TCSANOW, &tio);
	}
}

void sstp_uc_set_connected(struct sstp_user_carrier *u)
{
	u->connected = true;
	if (!u->down)
		u->info.state = SSTP_STATE_CONNECTED;
}

/* Network-layer frames pass only once the call is connected. */
static bool gate_open(const struct sstp_user_carrier *u, uint16_t proto)
{
	return proto >= 0x8000 || u->connected;
}

/*
 * Whether a PPP frame, either way, may pass now: one long enough to have
 * a protocol, and past the gate. *@frame and *@len are moved past FF 03
 * if it is there; a frame refused is counted.
 */
static bool frame_passes(struct sstp_user_carrier *u, const uint8_t **frame,
			 size_t *len)
{
	const uint8_t *p = *frame;
	int proto;

	if (*len >= 2 && p[0] == 0xff && p[1] == 0x03) {
		*frame += 2;
		*len -= 2;
		p += 2;
	}
	/* An odd first byte is a protocol field compressed to one byte. */
	if (*len >= 1 && (p[0] & 1))
		proto = p[0];
	else if (*len >= 2)
		proto = p[0] << 8 | p[1];
	else
		proto = -1;
	if (proto < 0) {
		count(u, SSTP_STATS_A_DROP_RUNT, 1);
		return false;
	}
	if (!gate_open(u, (uint16_t)proto)) {
		count(u, SSTP_STATS_A_DROP_GATE, 1);
		return false;
	}
	return true;
}

/* A data packet from the peer: framed for pppd. */
static void peer_data(struct sstp_user_carrier *u, const uint8_t *p, size_t len)
{
	/* An empty data packet carries nothing; some servers send them. */
	if (!len || !frame_passes(u, &p, &len))
		return;
	u->to_pppd_len += sstp_hdlc_encode(p, len, SSTP_HDLC_ACCM_ALL,
					   u->to_pppd + u->to_pppd_len);
	count(u, SSTP_STATS_A_RX_PACKETS, 1);
	count(u, SSTP_STATS_A_RX_BYTES, len);
}

/* As in sstp.ko: once connected, only the call's end goes to the owner. */
static bool ctrl_wanted(struct sstp_user_carrier *u, uint16_t type)
{
	if (u->connected && type != SSTP_MSG_CALL_ABORT &&
	    type != SSTP_MSG_CALL_DISCONNECT &&
	    type != SSTP_MSG_CALL_DISCONNECT_ACK)
		return false;
	if (u->ctrl_events >= MAX_CTRL_EVENTS)
		return false;
	u->ctrl_events++;
	return true;
}

static void peer_ctrl(struct sstp_user_carrier *u, const uint8_t *p, size_t len)
{
	struct sstp_event ev = { .cmd = SSTP_CMD_CTRL_RECV };
	uint16_t type;

	if (len < SSTP_CTRL_HDR_LEN) {
		go_down(u, SSTP_DOWN_PROTOCOL_ERROR, 0);
		return;
	}
	type = (uint16_t)(p[4] << 8 | p[5]);
	if (type == SSTP_MSG_ECHO_REQUEST) {
		/* One Echo Response waits at a time; later requests share it. */
		if (u->echo_owed)
			count(u, SSTP_STATS_A_ECHO_COALESCED, 1);
		u->echo_owed = true;
		return;
	}
	if (type == SSTP_MSG_ECHO_RESPONSE)
		return;
	count(u, SSTP_STATS_A_RX_CTRL, 1);
	if (!ctrl_wanted(u, type)) {
		count(u, SSTP_STATS_A_CTRL_DROPPED, 1);
		return;
	}
	ev.tunnel_id = u->id;
	ev.packet = p;
	ev.packet_len = len;
	u->on_event(&ev, u->arg);
}

/* SSTP bytes from the peer, cut anywhere: each whole packet handled. */
static void peer_bytes(struct sstp_user_carrier *u, const uint8_t *in,
		       size_t len)
{
	const uint8_t *pkt;
	int n = 0;

	while (!u->down && (n = sstp_stream_next(&u->stream, &in, &len, &pkt)) > 0) {
		if (pkt[1] & SSTP_FLAG_CONTROL)
			peer_ctrl(u, pkt, (size_t)n);
		else
			peer_data(u, pkt + SSTP_HDR_LEN, (size_t)n - SSTP_HDR_LEN);
	}
	if (n < 0) {
		count(u, SSTP_STATS_A_FRAMING_ERRORS, 1);
		go_down(u, SSTP_DOWN_PROTOCOL_ERROR, (uint32_t)-n);
	}
}

int sstp_uc_prefix(struct sstp_user_carrier *u, const uint8_t *prefix,
		   size_t len)
{
	/* No more than one read could bring: pppd's side has room for that. */
	if (len > SSTP_UC_READ_TLS || u->to_pppd_len) {
		go_down(u, SSTP_DOWN_PROTOCOL_ERROR, EMSGSIZE);
		return -1;
	}
	peer_bytes(u, prefix, len);
	return u->down ? -1 : 0;
}

/* A failed SSL_read() or SSL_write(): whether to wait, else the end. */
static void ssl_failed(struct sstp_user_carrier *u, int ret, bool reading)
{
	int err = SSL_get_error(u->ssl, ret), saved = errno;

	switch (err) {
	case SSL_ERROR_WANT_READ:
	case SSL_ERROR_WANT_WRITE:
		if (reading)
			u->peer_wants_write = err == SSL_ERROR_WANT_WRITE;
		return;
	case SSL_ERROR_ZERO_RETURN:
		go_down(u, SSTP_DOWN_PEER_CLOSED, 0);
		return;
	case SSL_ERROR_SYSCALL:
		if (saved == ECONNRESET)
			go_down(u, SSTP_DOWN_TCP_RESET, ECONNRESET);
		else
			go_down(u, SSTP_DOWN_SOCKET_ERROR, (uint32_t)saved);
		break;
	default:
		/* A TCP FIN without a close_notify is the end all the same. */
		if (ERR_GET_REASON(ERR_peek_error()) == SSL_R_UNEXPECTED_EOF_WHILE_READING)
			go_down(u, SSTP_DOWN_PEER_CLOSED, 0);
		else
			go_down(u, SSTP_DOWN_TLS_ERROR, EPROTO);
	}
	ERR_clear_error();
}

/* Read one record from the peer, if pppd's side has room for it. */
static bool read_peer(struct sstp_user_carrier *u)
{
	int n;

	if (sizeof(u->to_pppd) - u->to_pppd_len < TO_PPPD_ROOM)
		return false;
	u->peer_wants_write = false;
	n = SSL_read(u->ssl, u->rd, sizeof(u->rd));
	if (n <= 0) {
		ssl_failed(u, n, true);
		return false;
	}
	u->last_rx_ms = sstp_now_ms();
	u->echo_out = false;
	peer_bytes(u, u->rd, (size_t)n);
	return true;
}

/* Owed Echo Response first, then SSTP packets to the peer. */
static bool write_peer(struct sstp_user_carrier *u)
{
	size_t len;
	int n;

	if (u->echo_owed && !sstp_uc_send_ctrl(u, NULL, 0)) {
		u->echo_owed = false;
		count(u, SSTP_STATS_A_ECHO_ANSWERED, 1);
	}
	if (!u->to_peer_len)
		return false;
	/* A write that had to wait is repeated as it was. */
	len = u->to_peer_retry ? u->to_peer_retry : u->to_peer_len;
	n = SSL_write(u->ssl, u->to_peer, (int)len);
	if (n <= 0) {
		u->to_peer_retry = len;
		ssl_failed(u, n, false);
		return false;
	}
	u->to_peer_retry = 0;
	u->last_tx_ms = sstp_now_ms();
	u->to_peer_len -= (size_t)n;
	memmove(u->to_peer, u->to_peer + n, u->to_peer_len);
	return true;
}

int sstp_uc_send_ctrl(struct sstp_user_carrier *u, const uint8_t *pkt,
		      size_t len)
{
	uint8_t echo[SSTP_CTRL_HDR_LEN];

	if (u->down)
		return -ESHUTDOWN;
	/* No packet: the Echo Response owed. */
	if (!pkt) {
		sstp_ctrl_encode_empty(SSTP_MSG_ECHO_RESPONSE, echo, sizeof(echo));
		pkt = echo;
		len = sizeof(echo);
	}
	if (sizeof(u->to_peer) - u->to_peer_len < len)
		return -ENOBUFS;
	/* The stall is counted from when something first waits. */
	if (!u->to_peer_len)
		u->last_tx_ms = sstp_now_ms();
	memcpy(u->to_peer + u->to_peer_len, pkt, len);
	u->to_peer_len += len;
	count(u, SSTP_STATS_A_TX_CTRL, 1);
	return 0;
}

/* A frame from pppd: an SSTP data packet for the peer. */
static void pppd_frame(struct sstp_user_carrier *u, const uint8_t *frame,
		       size_t len)
{
	const uint8_t *p = frame;
	size_t plen = len;
	uint8_t *out;

	if (!frame_passes(u, &p, &plen))
		return;
	/* FF 03 always, as sstp.ko sends them. */
	if (SSTP_HDR_LEN + 2 + plen > SSTP_MAX_PACKET) {
		count(u, SSTP_STATS_A_DROP_OVERSIZE, 1);
		return;
	}
	out = u->to_peer + u->to_peer_len;
	sstp_hdr_encode(out, false, SSTP_HDR_LEN + 2 + plen);
	out[SSTP_HDR_LEN] = 0xff;
	out[SSTP_HDR_LEN + 1] = 0x03;
	memcpy(out + SSTP_HDR_LEN + 2, p, plen);
	u->to_peer_len += SSTP_HDR_LEN + 2 + plen;
	count(u, SSTP_STATS_A_TX_PACKETS, 1);
	count(u, SSTP_STATS_A_TX_BYTES, plen);
}

/* Read from pppd, if the peer's side has room for all it can make. */
static bool read_pppd(struct sstp_user_carrier *u)
{
	const uint8_t *in = u->rd, *frame;
	size_t len, n;
	ssize_t got;

	if (u->pty < 0 || sizeof(u->to_peer) - u->to_peer_len < TO_PEER_ROOM)
		return false;
	got = read(u->pty, u->rd, SSTP_UC_READ_PTY);
	if (got < 0 && (errno == EAGAIN || errno == EINTR))
		return false;
	if (got <= 0) {
		/* pppd closed its side (EIO): its exit ends the call. */
		u->pty = -1;
		return false;
	}
	len = (size_t)got;
	while ((n = sstp_hdlc_decode(&u->hdlc, &in, &len, &frame)) > 0)
		pppd_frame(u, frame, n);
	return true;
}

/* HDLC-framed bytes to pppd; what it cannot take any more is dropped. */
static bool write_pppd(struct sstp_user_carrier *u)
{
	ssize_t n;

	if (u->to_pppd_off == u->to_pppd_len)
		return false;
	if (u->pty < 0) {
		u->to_pppd_off = u->to_pppd_len = 0;
		return false;
	}
	n = write(u->pty, u->to_pppd + u->to_pppd_off,
		  u->to_pppd_len - u->to_pppd_off);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return false;
	if (n <= 0) {
		u->pty = -1;
		return false;
	}
	u->to_pppd_off += (size_t)n;
	if (u->to_pppd_off == u->to_pppd_len)
		u->to_pppd_off = u->to_pppd_len = 0;
	return true;
}

void sstp_uc_set_keepalive(struct sstp_user_carrier *u, unsigned long hello_s,
			   unsigned long timeout_s)
{
	u->hello_ms = (long long)hello_s * 1000;
	u->timeout_ms = (long long)timeout_s * 1000;
	u->info.hello_interval = (uint32_t)hello_s;
	u->info.keepalive_timeout = (uint32_t)timeout_s;
}

long long sstp_uc_timer(struct sstp_user_carrier *u, long long now)
{
	long long idle = now - u->last_rx_ms, next = 0;
	uint8_t echo[SSTP_CTRL_HDR_LEN];

	if (u->down)
		return 0;
	if (u->to_peer_len && now - u->last_tx_ms >= SSTP_UC_TX_STALL_MS) {
		go_down(u, SSTP_DOWN_TX_STALLED, 0);
		return 0;
	}
	if (u->to_peer_len)
		next = u->last_tx_ms + SSTP_UC_TX_STALL_MS;
	if (!u->hello_ms && !u->timeout_ms)
		return next;
	if (u->timeout_ms && idle >= u->timeout_ms) {
		go_down(u, SSTP_DOWN_KEEPALIVE_TIMEOUT, 0);
		return 0;
	}
	if (u->hello_ms && idle >= u->hello_ms && !u->echo_out) {
		sstp_ctrl_encode_empty(SSTP_MSG_ECHO_REQUEST, echo, sizeof(echo));
		/* No room: the peer reads nothing; the timeout decides. */
		if (!sstp_uc_send_ctrl(u, echo, sizeof(echo))) {
			u->echo_out = true;
			count(u, SSTP_STATS_A_ECHO_SENT, 1);
		}
	}
	if (u->timeout_ms && (!next || u->last_rx_ms + u->timeout_ms < next))
		next = u->last_rx_ms + u->timeout_ms;
	if (u->hello_ms && idle < u->hello_ms &&
	    (!next || u->last_rx_ms + u->hello_ms < next))
		next = u->last_rx_ms + u->hello_ms;
	return next;
}

bool sstp_uc_io(struct sstp_user_carrier *u)
{
	bool moved = true;
	int turn;

	for (turn = 0; moved && !u->down && turn < IO_TURNS; turn++) {
		moved = write_pppd(u);
		moved |= write_peer(u);
		if (!u->down)
			moved |= read_peer(u);
		if (!u->down)
			moved |= read_pppd(u);
	}
	return !u->down;
}

uint32_t sstp_uc_sock_events(const struct sstp_user_carrier *u)
{
	uint32_t ev = 0;

	if (u->down)
		return 0;
	if (sizeof(u->to_pppd) - u->to_pppd_len >= TO_PPPD_ROOM)
		ev |= EPOLLIN;
	if (u->to_peer_len || u->echo_owed || u->peer_wants_write)
		ev |= EPOLLOUT;
	return ev;
}

uint32_t sstp_uc_pty_events(const struct sstp_user_carrier *u)
{
	uint32_t ev = 0;

	if (u->down || u->pty < 0)
		return 0;
	if (sizeof(u->to_peer) - u->to_peer_len >= TO_PEER_ROOM)
		ev |= EPOLLIN;
	if (u->to_pppd_off != u->to_pppd_len)
		ev |= EPOLLOUT;
	return ev;
}
