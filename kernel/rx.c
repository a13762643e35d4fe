// SPDX-License-Identifier: GPL-2.0
/*
 * Receive: the kTLS socket -> SSTP packets -> ppp_input() or netlink.
 *
 * rx_work is queued by the socket's data-ready and state-change callbacks.
 * It reads decrypted records with kernel_recvmsg() and a record-type cmsg
 * (kTLS has no read_sock in 6.1), reassembles SSTP packets across reads
 * with the shared codec, answers Echo Requests itself, hands PPP frames to
 * ppp_generic and every other control packet to the tunnel's owner.
 * Only rx_work touches the receive state, so it needs no lock.
 */

#include <linux/net.h>
#include <linux/ppp_defs.h>
#include <linux/socket.h>
#include <net/tls.h>

#include "netlink.h"
#include "compat.h"
#include "ppp_compat.h"
#include "tunnel.h"

/* TLS record content types ([RFC 8446] 5.1); kernels differ in naming. */
#define SSTP_TLS_ALERT		21
#define SSTP_TLS_HANDSHAKE	22
#define SSTP_TLS_DATA		23

/* TLS handshake message types that may follow the handshake. */
#define SSTP_TLS_NEW_SESSION_TICKET	4
#define SSTP_TLS_KEY_UPDATE		24

/* TLS alert description: the peer closes the connection cleanly. */
#define SSTP_TLS_CLOSE_NOTIFY	0

/* Reads per run of rx_work before it yields the CPU. */
#define SSTP_RX_BUDGET		32

/* Headroom for ppp_input(), which may push a protocol byte back. */
#define SSTP_RX_HEADROOM	2

static bool sstp_rx_gate_open(struct sstp_tunnel *t, u16 proto)
{
	return proto >= 0x8000 || test_bit(SSTP_F_CONNECTED, &t->flags);
}

/* One SSTP data packet: a PPP frame, maybe with FF 03, maybe with PFC. */
static void sstp_rx_data(struct sstp_tunnel *t, const u8 *p, size_t len)
{
	struct sk_buff *skb;
	bool pfc;
	u16 proto;

	/* An empty data packet carries nothing; some servers send them. */
	if (!len)
		return;
	if (len >= 2 && p[0] == PPP_ALLSTATIONS && p[1] == PPP_UI) {
		p += 2;
		len -= 2;
	}
	/* An odd first byte is a protocol field compressed to one byte. */
	pfc = len >= 1 && (p[0] & 1);
	if (len < (pfc ? 1 : 2)) {
		sstp_stat_inc(t, SSTP_STATS_A_DROP_RUNT);
		return;
	}
	proto = pfc ? p[0] : get_unaligned_be16(p);
	if (!sstp_rx_gate_open(t, proto)) {
		sstp_stat_inc(t, SSTP_STATS_A_DROP_GATE);
		return;
	}

	skb = alloc_skb(SSTP_RX_HEADROOM + 1 + len, GFP_KERNEL);
	if (!skb) {
		sstp_stat_inc(t, SSTP_STATS_A_DROP_NOMEM);
		return;
	}
	skb_reserve(skb, SSTP_RX_HEADROOM);
	/* ppp_input() wants the full 2-byte protocol. */
	if (pfc)
		skb_put_u8(skb, 0);
	skb_put_data(skb, p, len);

	sstp_stat_inc(t, SSTP_STATS_A_RX_PACKETS);
	sstp_stat_add(t, SSTP_STATS_A_RX_BYTES, skb->len);
	sstp_ppp_input(&t->chan, skb);
}

static void sstp_rx_ctrl(struct sstp_tunnel *t, const u8 *pkt, size_t len)
{
	u8 echo[SSTP_CTRL_HDR_LEN];
	int err;

	sstp_stat_inc(t, SSTP_STATS_A_RX_CTRL);
	err = sstp_ctrl_decode(pkt, len, &t->rx_ctrl);
	if (err == -EOPNOTSUPP) {
		/* An unknown message type: ignored, as every peer does. */
		sstp_stat_inc(t, SSTP_STATS_A_FRAMING_ERRORS);
		return;
	}
	if (err) {
		sstp_stat_inc(t, SSTP_STATS_A_FRAMING_ERRORS);
		sstp_tunnel_down(t, SSTP_DOWN_PROTOCOL_ERROR, -err);
		return;
	}

	switch (t->rx_ctrl.type) {
	case SSTP_MSG_ECHO_REQUEST:
		sstp_ctrl_encode_empty(SSTP_MSG_ECHO_RESPONSE, echo,
				       sizeof(echo));
		if (!sstp_tx_ctrl(t, echo, sizeof(echo), GFP_KERNEL))
			sstp_stat_inc(t, SSTP_STATS_A_ECHO_ANSWERED);
		break;
	case SSTP_MSG_ECHO_RESPONSE:
		/* Liveness only, already noted for the whole read. */
		break;
	default:
		sstp_netlink_notify_ctrl(t, pkt, len);
	}
}

/* Feed decrypted bytes to the reassembler; handle each whole packet. */
static void sstp_rx_bytes(struct sstp_tunnel *t, const u8 *data, size_t len)
{
	const u8 *pkt;
	int n;

	while ((n = sstp_stream_next(&t->rx_stream, &data, &len, &pkt)) > 0) {
		if (pkt[1] & SSTP_FLAG_CONTROL)
			sstp_rx_ctrl(t, pkt, n);
		else
			sstp_rx_data(t, pkt + SSTP_HDR_LEN, n - SSTP_HDR_LEN);
		if (sstp_tunnel_dead(t))
			return;
	}
	if (n < 0) {
		sstp_stat_inc(t, SSTP_STATS_A_FRAMING_ERRORS);
		sstp_tunnel_down(t, SSTP_DOWN_PROTOCOL_ERROR, -n);
	}
}

/*
 * A TLS handshake record after the handoff. TLS 1.3 servers send session
 * tickets late, and those are harmless. A KeyUpdate is not: kTLS before
 * 6.14 cannot take the new key, so every record after it would fail.
 */
static void sstp_rx_handshake(struct sstp_tunnel *t, const u8 *p, size_t len)
{
	size_t off = 0;

	while (off + 4 <= len) {
		u8 type = p[off];
		u32 mlen = (p[off + 1] << 16) | (p[off + 2] << 8) | p[off + 3];

		if (type == SSTP_TLS_KEY_UPDATE) {
			sstp_tunnel_down(t, SSTP_DOWN_TLS_ERROR, EKEYEXPIRED);
			return;
		}
		if (type != SSTP_TLS_NEW_SESSION_TICKET) {
			sstp_tunnel_down(t, SSTP_DOWN_TLS_ERROR, EPROTO);
			return;
		}
		off += 4 + mlen;
	}
}

static void sstp_rx_tls_record(struct sstp_tunnel *t, u8 type, const u8 *p,
			       size_t len)
{
	switch (type) {
	case SSTP_TLS_DATA:
		sstp_rx_bytes(t, p, len);
		break;
	case SSTP_TLS_HANDSHAKE:
		sstp_rx_handshake(t, p, len);
		break;
	case SSTP_TLS_ALERT:
		if (len >= 2 && p[1] == SSTP_TLS_CLOSE_NOTIFY)
			sstp_tunnel_down(t, SSTP_DOWN_PEER_CLOSED, 0);
		else
			sstp_tunnel_down(t, SSTP_DOWN_TLS_ALERT,
					 len >= 2 ? p[1] : 0);
		break;
	default:
		sstp_tunnel_down(t, SSTP_DOWN_TLS_ERROR, EPROTO);
	}
}

/*
 * Read what kTLS has decrypted. The cmsg buffer makes kTLS return one
 * non-data record at a time with its type (without one it would fail the
 * read with EIO and keep the record), and consecutive data records merged.
 * Plain TCP (SSTP_TRANSPORT_TCP) leaves the cmsg buffer alone: all data.
 */
static int sstp_rx_read(struct sstp_tunnel *t, u8 *type)
{
	union {
		struct cmsghdr hdr;
		u8 buf[CMSG_SPACE(sizeof(u8))];
	} cmsg;
	struct msghdr msg = {
		.msg_control = &cmsg,
		.msg_controllen = sizeof(cmsg),
	};
	struct kvec vec = { .iov_base = t->rx_buf, .iov_len = SSTP_RX_BUF_SIZE };
	int n;

	n = kernel_recvmsg(t->sock, &msg, &vec, 1, SSTP_RX_BUF_SIZE,
			   MSG_DONTWAIT);
	*type = SSTP_TLS_DATA;
	if (n > 0 && msg.msg_controllen < sizeof(cmsg) &&
	    cmsg.hdr.cmsg_level == SOL_TLS &&
	    cmsg.hdr.cmsg_type == TLS_GET_RECORD_TYPE)
		*type = *(u8 *)CMSG_DATA(&cmsg.hdr);
	return n;
}

/* The read failed for good: say why the tunnel goes down. */
static void sstp_rx_error(struct sstp_tunnel *t, int err)
{
	switch (err) {
	case 0:
		sstp_tunnel_down(t, SSTP_DOWN_PEER_CLOSED, 0);
		break;
	case -ECONNRESET:
		sstp_tunnel_down(t, SSTP_DOWN_TCP_RESET, ECONNRESET);
		break;
	case -EBADMSG:
	case -EKEYEXPIRED:
	case -EMSGSIZE:
	case -EIO:
		sstp_tunnel_down(t, SSTP_DOWN_TLS_ERROR, -err);
		break;
	default:
		sstp_tunnel_down(t, SSTP_DOWN_SOCKET_ERROR, -err);
	}
}

static void sstp_rx_alive(struct sstp_tunnel *t)
{
	WRITE_ONCE(t->last_rx, jiffies);
	if (test_bit(SSTP_F_ECHO_PENDING, &t->flags))
		clear_bit(SSTP_F_ECHO_PENDING, &t->flags);
}

void sstp_rx_work(struct work_struct *work)
{
	struct sstp_tunnel *t = container_of(work, struct sstp_tunnel,
					     rx_work);
	int i, n;
	u8 type;

	if (sstp_tunnel_dead(t))
		return;

	if (t->rx_prefix) {
		sstp_rx_alive(t);
		sstp_rx_bytes(t, t->rx_prefix, t->rx_prefix_len);
		kfree(t->rx_prefix);
		t->rx_prefix = NULL;
	}

	for (i = 0; i < SSTP_RX_BUDGET; i++) {
		if (sstp_tunnel_dead(t))
			return;
		n = sstp_rx_read(t, &type);
		if (n == -EAGAIN)
			return;
		if (n <= 0) {
			sstp_rx_error(t, n);
			return;
		}
		sstp_rx_alive(t);
		sstp_rx_tls_record(t, type, t->rx_buf, n);
	}
	/* More may be waiting: come back after others had their turn. */
	if (!sstp_tunnel_dead(t))
		queue_work(sstp_wq, &t->rx_work);
}
