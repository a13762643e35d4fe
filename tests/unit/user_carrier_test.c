// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for userspace/datapath/user-carrier.c, with real pieces: a
 * TLS connection over a socketpair (the test plays the SSTP peer at its
 * far end) and a pty (the test plays pppd on the slave side, HDLC-framed,
 * as ppp_async would). Checked: the gate both ways, frames intact both
 * ways, Echo answered, control packets passed on and filtered as sstp.ko
 * does, the ends (close, framing error), and a pppd that does not read
 * stopping the reading from the peer, with nothing lost once it reads.
 */
#include <errno.h>
#include <fcntl.h>
#include <pty.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "datapath/user-carrier.h"
#include "test-cert.h"
#include "unit.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static char cert_path[] = "/tmp/sstp-user-carrier-test-XXXXXX";

/* One carrier between a test peer and a test pppd. */
struct rig {
	SSL_CTX *sctx, *cctx;
	SSL *peer, *ours;		/* the test peer's end, the carrier's */
	int sv[2];
	int master, slave;
	struct sstp_user_carrier *u;
	struct sstp_hdlc_decoder pppd_rx;	/* what the test pppd reads */
	uint8_t pppd_frame[SSTP_MAX_PACKET + SSTP_HDLC_FCS_LEN];
	uint8_t pppd_buf[4096];			/* read, not yet decoded */
	const uint8_t *pppd_in;
	size_t pppd_left;
	struct sstp_stream peer_rx;		/* what the test peer reads */
	uint8_t peer_buf[16384];		/* read, not yet parsed */
	const uint8_t *peer_in;
	size_t peer_left;
	/* Events seen. */
	unsigned int ctrl_events, down_events;
	uint16_t last_ctrl_type;
	uint32_t down_reason;
};

static void on_event(const struct sstp_event *ev, void *arg)
{
	struct rig *r = arg;

	if (ev->cmd == SSTP_CMD_CTRL_RECV) {
		r->ctrl_events++;
		r->last_ctrl_type = (uint16_t)(ev->packet[4] << 8 | ev->packet[5]);
	} else if (ev->cmd == SSTP_CMD_TUNNEL_DOWN) {
		r->down_events++;
		r->down_reason = ev->info.down_reason;
	}
}

static void nonblock(int fd)
{
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

static int rig_up(struct rig *r)
{
	struct termios tio;
	int i, a = 0, b = 0;

	memset(r, 0, sizeof(*r));
	r->sctx = SSL_CTX_new(TLS_server_method());
	r->cctx = SSL_CTX_new(TLS_client_method());
	if (!r->sctx || !r->cctx ||
	    SSL_CTX_use_certificate_chain_file(r->sctx, cert_path) != 1 ||
	    SSL_CTX_use_PrivateKey_file(r->sctx, cert_path, SSL_FILETYPE_PEM) != 1)
		return -1;
	SSL_CTX_set_verify(r->cctx, SSL_VERIFY_NONE, NULL);
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, r->sv))
		return -1;
	nonblock(r->sv[0]);
	nonblock(r->sv[1]);
	r->peer = SSL_new(r->sctx);
	r->ours = SSL_new(r->cctx);
	SSL_set_fd(r->peer, r->sv[0]);
	SSL_set_fd(r->ours, r->sv[1]);
	SSL_set_accept_state(r->peer);
	SSL_set_connect_state(r->ours);
	for (i = 0; i < 100 && (a != 1 || b != 1); i++) {
		if (a != 1)
			a = SSL_do_handshake(r->ours);
		if (b != 1)
			b = SSL_do_handshake(r->peer);
	}
	if (a != 1 || b != 1 || openpty(&r->master, &r->slave, NULL, NULL, NULL))
		return -1;
	tcgetattr(r->slave, &tio);
	cfmakeraw(&tio);
	tcsetattr(r->slave, TCSANOW, &tio);
	nonblock(r->master);
	nonblock(r->slave);
	r->u = calloc(1, sizeof(*r->u));
	if (!r->u)
		return -1;
	sstp_uc_init(r->u, r->ours, r->master, 7, on_event, r);
	sstp_hdlc_decoder_init(&r->pppd_rx, r->pppd_frame, sizeof(r->pppd_frame));
	sstp_stream_init(&r->peer_rx);
	return 0;
}

static void rig_down(struct rig *r)
{
	free(r->u);
	SSL_free(r->peer);
	SSL_free(r->ours);
	SSL_CTX_free(r->sctx);
	SSL_CTX_free(r->cctx);
	close(r->sv[0]);
	close(r->sv[1]);
	close(r->master);
	close(r->slave);
	ERR_clear_error();
}

/* The test peer sends @len bytes of SSTP, the carrier runs, all of it. */
static void peer_send(struct rig *r, const uint8_t *p, size_t len)
{
	int n, tries;

	for (tries = 0; len && tries < 1000; tries++) {
		n = SSL_write(r->peer, p, (int)len);
		if (n > 0) {
			p += n;
			len -= (size_t)n;
		}
		sstp_uc_io(r->u);
	}
	sstp_uc_io(r->u);
}

/* A data packet of @frame. */
static size_t data_packet(uint8_t *out, const uint8_t *frame, size_t len)
{
	sstp_hdr_encode(out, false, SSTP_HDR_LEN + len);
	memcpy(out + SSTP_HDR_LEN, frame, len);
	return SSTP_HDR_LEN + len;
}

/* The test pppd writes @frame, HDLC-framed; the carrier runs. */
static void pppd_send(struct rig *r, const uint8_t *frame, size_t len)
{
	uint8_t enc[SSTP_HDLC_ENCODED_MAX(SSTP_MAX_PACKET)];
	size_t n = sstp_hdlc_encode(frame, len, 0, enc);

	CHECK_INT(write(r->slave, enc, n), (ssize_t)n);
	sstp_uc_io(r->u);
}

/* The next frame the test pppd reads, into @out; its length or 0. */
static size_t pppd_recv(struct rig *r, uint8_t *out)
{
	const uint8_t *frame;
	size_t n;
	ssize_t got;
	int tries;

	for (tries = 0; tries < 50; tries++) {
		n = sstp_hdlc_decode(&r->pppd_rx, &r->pppd_in, &r->pppd_left, &frame);
		if (n) {
			memcpy(out, frame, n);
			return n;
		}
		sstp_uc_io(r->u);
		got = read(r->slave, r->pppd_buf, sizeof(r->pppd_buf));
		if (got > 0) {
			r->pppd_in = r->pppd_buf;
			r->pppd_left = (size_t)got;
		}
	}
	return 0;
}

/* The next packet the test peer reads, into @out; its length or 0. */
static size_t peer_recv(struct rig *r, uint8_t *out)
{
	const uint8_t *pkt;
	int n, tries;

	for (tries = 0; tries < 50; tries++) {
		n = sstp_stream_next(&r->peer_rx, &r->peer_in, &r->peer_left, &pkt);
		if (n > 0) {
			memcpy(out, pkt, (size_t)n);
			return (size_t)n;
		}
		sstp_uc_io(r->u);
		n = SSL_read(r->peer, r->peer_buf, sizeof(r->peer_buf));
		if (n > 0) {
			r->peer_in = r->peer_buf;
			r->peer_left = (size_t)n;
		}
	}
	return 0;
}

/*
 * A control packet of @type with no attributes: the carrier looks at the
 * type only; what the attributes say is the owner's business.
 */
static void ctrl_packet(uint8_t *out, uint16_t type)
{
	sstp_hdr_encode(out, true, SSTP_CTRL_HDR_LEN);
	out[4] = (uint8_t)(type >> 8);
	out[5] = (uint8_t)type;
	out[6] = out[7] = 0;
}

static const uint8_t lcp_req[] = { 0xff, 0x03, 0xc0, 0x21, 0x01, 0x01, 0x00, 0x04 };
static const uint8_t ipv4[] = { 0xff, 0x03, 0x00, 0x21, 0x45, 0x00, 0x00, 0x14, 0x7e, 0x7d, 0x01 };

/* Before the call is connected only LCP passes; after, IPv4 too. */
static void test_gate(void)
{
	uint8_t pkt[SSTP_MAX_PACKET], got[SSTP_MAX_PACKET];
	struct rig r;
	size_t n;

	if (rig_up(&r)) {
		CHECK_MSG(0, "no rig");
		return;
	}
	peer_send(&r, pkt, data_packet(pkt, ipv4, sizeof(ipv4)));
	peer_send(&r, pkt, data_packet(pkt, lcp_req, sizeof(lcp_req)));
	/* FF 03 goes: ppp_async takes frames with or without it. */
	n = pppd_recv(&r, got);
	CHECK_INT(n, sizeof(lcp_req) - 2);
	CHECK_MEM(got, lcp_req + 2, sizeof(lcp_req) - 2);
	CHECK_INT(r.u->info.stats[SSTP_STATS_A_DROP_GATE], 1);

	pppd_send(&r, ipv4, sizeof(ipv4));
	pppd_send(&r, lcp_req + 2, sizeof(lcp_req) - 2);
	/* FF 03 comes back: always sent, as sstp.ko sends it. */
	n = peer_recv(&r, got);
	CHECK_INT(n, SSTP_HDR_LEN + sizeof(lcp_req));
	CHECK_MEM(got + SSTP_HDR_LEN, lcp_req, sizeof(lcp_req));
	CHECK_INT(r.u->info.stats[SSTP_STATS_A_DROP_GATE], 2);

	sstp_uc_set_connected(r.u);
	peer_send(&r, pkt, data_packet(pkt, ipv4, sizeof(ipv4)));
	n = pppd_recv(&r, got);
	CHECK_INT(n, sizeof(ipv4) - 2);
	CHECK_MEM(got, ipv4 + 2, sizeof(ipv4) - 2);
	pppd_send(&r, ipv4, sizeof(ipv4));
	n = peer_recv(&r, got);
	CHECK_INT(n, SSTP_HDR_LEN + sizeof(ipv4));
	CHECK_MEM(got + SSTP_HDR_LEN, ipv4, sizeof(ipv4));
	CHECK_INT(r.u->info.stats[SSTP_STATS_A_RX_PACKETS], 2);
	CHECK_INT(r.u->info.stats[SSTP_STATS_A_TX_PACKETS], 2);
	CHECK_INT(r.u->info.stats[SSTP_STATS_A_TX_BYTES], sizeof(lcp_req) - 2 + sizeof(ipv4) - 2);
	CHECK_INT(r.down_events, 0);
	rig_down(&r);
}

/* Two Echo Requests read together get one Response; others go up. */
static void test_control(void)
{
	uint8_t two[2 * SSTP_CTRL_HDR_LEN], pkt[SSTP_MAX_PACKET], got[SSTP_MAX_PACKET];
	struct rig r;
	int i;

	if (rig_up(&r)) {
		CHECK_MSG(0, "no rig");
		return;
	}
	ctrl_packet(two, SSTP_MSG_ECHO_REQUEST);
	memcpy(two + SSTP_CTRL_HDR_LEN, two, SSTP_CTRL_HDR_LEN);
	peer_send(&r, two, sizeof(two));
	CHECK_INT(peer_recv(&r, got), SSTP_CTRL_HDR_LEN);
	CHECK_INT(got[5], SSTP_MSG_ECHO_RESPONSE);
	CHECK_INT(r.u->info.stats[SSTP_STATS_A_ECHO_ANSWERED], 1);
	CHECK_INT(r.u->info.stats[SSTP_STATS_A_ECHO_COALESCED], 1);
	CHECK_INT(r.ctrl_events, 0);

	ctrl_packet(pkt, SSTP_MSG_CALL_CONNECT_ACK);
	peer_send(&r, pkt, SSTP_CTRL_HDR_LEN);
	CHECK_INT(r.ctrl_events, 1);
	CHECK_INT(r.last_ctrl_type, SSTP_MSG_CALL_CONNECT_ACK);
	/* Once connected, only the call's end goes up. */
	sstp_uc_set_connected(r.u);
	peer_send(&r, pkt, SSTP_CTRL_HDR_LEN);
	CHECK_INT(r.ctrl_events, 1);
	CHECK_INT(r.u->info.stats[SSTP_STATS_A_CTRL_DROPPED], 1);
	ctrl_packet(pkt, SSTP_MSG_CALL_DISCONNECT);
	for (i = 0; i < 20; i++)
		peer_send(&r, pkt, SSTP_CTRL_HDR_LEN);
	/* At most 16 over the call's life, as sstp.ko passes. */
	CHECK_INT(r.ctrl_events, 16);
	CHECK_INT(r.last_ctrl_type, SSTP_MSG_CALL_DISCONNECT);

	/* What the owner sends goes out after what was queued before. */
	ctrl_packet(pkt, SSTP_MSG_CALL_DISCONNECT_ACK);
	CHECK_INT(sstp_uc_send_ctrl(r.u, pkt, SSTP_CTRL_HDR_LEN), 0);
	CHECK_INT(peer_recv(&r, got), SSTP_CTRL_HDR_LEN);
	CHECK_INT(got[5], SSTP_MSG_CALL_DISCONNECT_ACK);
	rig_down(&r);
}

/* The peer's close_notify, and a framing error, end the carrier once. */
static void test_ends(void)
{
	static const uint8_t bad[] = { 0x11, 0x00, 0x00, 0x08 };
	struct rig r;

	if (rig_up(&r)) {
		CHECK_MSG(0, "no rig");
		return;
	}
	SSL_shutdown(r.peer);
	sstp_uc_io(r.u);
	CHECK_INT(r.down_events, 1);
	CHECK_INT(r.down_reason, SSTP_DOWN_PEER_CLOSED);
	CHECK(!sstp_uc_io(r.u));
	CHECK_INT(sstp_uc_send_ctrl(r.u, bad, sizeof(bad)), -ESHUTDOWN);
	CHECK_INT(r.down_events, 1);
	rig_down(&r);

	if (rig_up(&r)) {
		CHECK_MSG(0, "no rig");
		return;
	}
	peer_send(&r, bad, sizeof(bad));
	CHECK_INT(r.down_events, 1);
	CHECK_INT(r.down_reason, SSTP_DOWN_PROTOCOL_ERROR);
	CHECK_INT(r.u->info.stats[SSTP_STATS_A_FRAMING_ERRORS], 1);
	CHECK_INT(sstp_uc_sock_events(r.u), 0);
	rig_down(&r);
}

/*
 * A pppd that reads nothing: the carrier stops reading from the peer
 * with its buffer for pppd bounded, the peer's writes block; once pppd
 * reads, every frame arrives, in order, intact.
 */
static void test_pppd_does_not_read(void)
{
	uint8_t frame[1502], pkt[SSTP_MAX_PACKET], got[SSTP_MAX_PACKET];
	unsigned int sent = 0, received = 0, bad = 0, i;
	struct rig r;
	size_t n;
	int w, blocked = 0;

	if (rig_up(&r)) {
		CHECK_MSG(0, "no rig");
		return;
	}
	sstp_uc_set_connected(r.u);
	memcpy(frame, ipv4, 4);
	/* Write until the peer's socket takes no more for a while. */
	while (blocked < 50 && sent < 100000) {
		memset(frame + 4, (int)(sent & 0xff), sizeof(frame) - 4);
		n = data_packet(pkt, frame, sizeof(frame));
		w = SSL_write(r.peer, pkt, (int)n);
		sstp_uc_io(r.u);
		if (w <= 0) {
			blocked++;
			/* OpenSSL wants the same write again. */
			while (blocked < 50 && SSL_write(r.peer, pkt, (int)n) <= 0) {
				sstp_uc_io(r.u);
				blocked++;
			}
			if (blocked >= 50)
				break;
		}
		sent++;
	}
	CHECK_MSG(blocked >= 50, "the peer never blocked (%u frames sent)", sent);
	CHECK(r.u->to_pppd_len <= sizeof(r.u->to_pppd));
	CHECK(!(sstp_uc_sock_events(r.u) & EPOLLIN));
	/* pppd reads: what was sent arrives, in order, intact. */
	for (i = 0; i < sent; i++) {
		n = pppd_recv(&r, got);
		if (n != sizeof(frame) - 2 || got[2] != (uint8_t)(i & 0xff) ||
		    got[sizeof(frame) - 3] != (uint8_t)(i & 0xff))
			bad++;
		else
			received++;
	}
	CHECK_INT(bad, 0);
	CHECK_INT(received, sent);
	CHECK_INT(r.down_events, 0);
	rig_down(&r);
}

/* Frames of every size from pppd reach the peer whole, in order. */
static void test_bulk_to_peer(void)
{
	uint8_t frame[1500], got[SSTP_MAX_PACKET];
	unsigned int i, bad = 0;
	struct rig r;
	size_t len;

	if (rig_up(&r)) {
		CHECK_MSG(0, "no rig");
		return;
	}
	sstp_uc_set_connected(r.u);
	memcpy(frame, ipv4, 4);
	for (i = 0; i < 300; i++) {
		len = 5 + (i * 37) % (sizeof(frame) - 5);
		memset(frame + 4, (int)i, len - 4);
		pppd_send(&r, frame, len);
		if (peer_recv(&r, got) != SSTP_HDR_LEN + len ||
		    memcmp(got + SSTP_HDR_LEN, frame, len))
			bad++;
	}
	CHECK_INT(bad, 0);
	CHECK_INT(r.u->info.stats[SSTP_STATS_A_TX_PACKETS], 300);
	rig_down(&r);
}

/* Silence: an Echo Request once, then the end; anything heard resets it. */
static void test_keepalive(void)
{
	uint8_t pkt[SSTP_MAX_PACKET], got[SSTP_MAX_PACKET];
	struct rig r;
	long long t0;

	if (rig_up(&r)) {
		CHECK_MSG(0, "no rig");
		return;
	}
	CHECK_INT(sstp_uc_timer(r.u, r.u->last_rx_ms), 0);	/* off */
	sstp_uc_set_keepalive(r.u, 1, 2);
	t0 = r.u->last_rx_ms;
	CHECK(sstp_uc_timer(r.u, t0 + 10) == t0 + 1000);
	CHECK(sstp_uc_timer(r.u, t0 + 1000) == t0 + 2000);
	CHECK(sstp_uc_timer(r.u, t0 + 1500) == t0 + 2000);
	CHECK_INT(r.u->info.stats[SSTP_STATS_A_ECHO_SENT], 1);
	CHECK_INT(peer_recv(&r, got), SSTP_CTRL_HDR_LEN);
	CHECK_INT(got[5], SSTP_MSG_ECHO_REQUEST);
	/* The peer answers: life, and a fresh interval. */
	ctrl_packet(pkt, SSTP_MSG_ECHO_RESPONSE);
	peer_send(&r, pkt, SSTP_CTRL_HDR_LEN);
	CHECK(r.u->last_rx_ms >= t0 && !r.u->echo_out);
	CHECK_INT(r.down_events, 0);
	t0 = r.u->last_rx_ms;
	sstp_uc_timer(r.u, t0 + 1000);
	CHECK_INT(r.u->info.stats[SSTP_STATS_A_ECHO_SENT], 2);
	CHECK_INT(sstp_uc_timer(r.u, t0 + 2000), 0);
	CHECK_INT(r.down_events, 1);
	CHECK_INT(r.down_reason, SSTP_DOWN_KEEPALIVE_TIMEOUT);
	rig_down(&r);
}

/* What waits for a peer that takes nothing ends the call in a minute. */
static void test_tx_stall(void)
{
	uint8_t pkt[SSTP_CTRL_HDR_LEN];
	struct rig r;
	long long t0;

	if (rig_up(&r)) {
		CHECK_MSG(0, "no rig");
		return;
	}
	/* Nothing waits: nothing to watch. */
	CHECK_INT(sstp_uc_timer(r.u, r.u->last_tx_ms + SSTP_UC_TX_STALL_MS), 0);
	ctrl_packet(pkt, SSTP_MSG_CALL_DISCONNECT);
	CHECK_INT(sstp_uc_send_ctrl(r.u, pkt, sizeof(pkt)), 0);
	t0 = r.u->last_tx_ms;
	CHECK(sstp_uc_timer(r.u, t0 + 1) == t0 + SSTP_UC_TX_STALL_MS);
	CHECK_INT(r.down_events, 0);
	sstp_uc_timer(r.u, t0 + SSTP_UC_TX_STALL_MS);
	CHECK_INT(r.down_events, 1);
	CHECK_INT(r.down_reason, SSTP_DOWN_TX_STALLED);
	rig_down(&r);
}

/* Bytes read with the HTTP answer are the stream's start; at most a read. */
static void test_prefix(void)
{
	static uint8_t big[SSTP_UC_READ_TLS + 1];
	uint8_t prefix[64], got[SSTP_MAX_PACKET];
	struct rig r;
	size_t n;

	if (rig_up(&r)) {
		CHECK_MSG(0, "no rig");
		return;
	}
	n = data_packet(prefix, lcp_req, sizeof(lcp_req));
	ctrl_packet(prefix + n, SSTP_MSG_ECHO_REQUEST);
	/* Half an Echo Request: the rest comes with the next read. */
	CHECK_INT(sstp_uc_prefix(r.u, prefix, n + 5), 0);
	peer_send(&r, prefix + n + 5, 3);
	CHECK_INT(pppd_recv(&r, got), sizeof(lcp_req) - 2);
	CHECK_INT(peer_recv(&r, got), SSTP_CTRL_HDR_LEN);
	CHECK_INT(got[5], SSTP_MSG_ECHO_RESPONSE);
	rig_down(&r);

	if (rig_up(&r)) {
		CHECK_MSG(0, "no rig");
		return;
	}
	CHECK_INT(sstp_uc_prefix(r.u, big, sizeof(big)), -1);
	CHECK_INT(r.down_reason, SSTP_DOWN_PROTOCOL_ERROR);
	rig_down(&r);
}

int main(void)
{
	static const struct unit_test tests[] = {
		UNIT_TEST(test_gate),
		UNIT_TEST(test_control),
		UNIT_TEST(test_ends),
		UNIT_TEST(test_prefix),
		UNIT_TEST(test_keepalive),
		UNIT_TEST(test_tx_stall),
		UNIT_TEST(test_pppd_does_not_read),
		UNIT_TEST(test_bulk_to_peer),
	};
	int rc;

	if (unit_make_cert(cert_path)) {
		printf("FAIL user_carrier: cannot make a test certificate\n");
		return 1;
	}
	rc = unit_run(tests, ARRAY_SIZE(tests));
	unlink(cert_path);
	return rc;
}
