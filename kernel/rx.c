// SPDX-License-Identifier: GPL-2.0
/*
 * Receive: the kTLS socket -> SSTP packets -> ppp_input() or netlink.
 *
 * rx_work is queued by the socket's data-ready and state-change callbacks.
 * It reads decrypted records with kernel_recvmsg() and a record-type cmsg
 * (kTLS has no read_sock in 6.1), reassembles SSTP packets across reads
 * with the shared codec, answers Echo Requests itself, hands PPP frames to
 * ppp_generic and every other control packet to the tunnel's owner.
 * Only one reader touches the receive state, so it needs no lock.
 *
 * The reader is rx_work, on sstp_wq's high priority workers: a tunnel's
 * packets are handled ahead of userspace, as a NIC's are in softirq. A
 * tunnel with more to read after a whole budget of reads or packets
 * is under sustained load (a bulk transfer, or a peer flooding us): it
 * goes on in rx_busy_work at normal priority, sharing the CPU with pppd,
 * serve and every other task, as softirq work goes on in ksoftirqd. Once
 * the socket is drained, rx_work takes the reader back. SSTP_F_RX_BUSY,
 * set by rx_work and cleared by rx_busy_work, says which of the two has
 * it; rx_work leaves while it is set.
 *
 * Reading pauses, between two packets, while the peer leaves unread the
 * control packets it is owed (see tx.c): the rest of the read waits in
 * rx_pending, the socket's receive queue fills, and TCP closes the peer's
 * window. The transmit side resumes us once the peer reads again.
 */

#include <linux/net.h>
#include <linux/ppp_defs.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <net/tls.h>

#include "compat.h"
#include "netlink.h"
#include "tunnel.h"

/* TLS handshake message types that may follow the handshake. */
#define SSTP_TLS_NEW_SESSION_TICKET	4
#define SSTP_TLS_KEY_UPDATE		24

/*
 * A run of the reader ends after this many reads or packets, whichever
 * comes first, and goes on later (at normal priority, when there is more
 * to read). Packets are counted too because a record may hold a thousand
 * small ones, each a trip through ppp_input() or the control path.
 */
#define SSTP_RX_BUDGET		32
#define SSTP_RX_BUDGET_PACKETS	256

/*
 * Room in front of a received frame, as drivers leave (netdev_alloc_skb):
 * ppp_input() may push a protocol byte back, and a packet the host
 * forwards needs the outgoing device's link-layer header, for which
 * ip_forward()'s skb_cow() would reallocate the head of every packet.
 * For frames up to the usual MTU the buffer stays in the same size class.
 */
#define SSTP_RX_HEADROOM	NET_SKB_PAD

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

/*
 * Whether a control packet goes to userspace. The owner's netlink socket
 * may serve thousands of tunnels, so one peer gets a few events, not as
 * many as it sends: a call takes fewer than SSTP_MAX_CTRL_EVENTS, and once
 * it is connected only its end matters.
 */
static bool sstp_rx_ctrl_wanted(struct sstp_tunnel *t, u16 type)
{
	if (test_bit(SSTP_F_CONNECTED, &t->flags) &&
	    type != SSTP_MSG_CALL_ABORT && type != SSTP_MSG_CALL_DISCONNECT &&
	    type != SSTP_MSG_CALL_DISCONNECT_ACK)
		return false;
	if (t->rx_ctrl_events >= SSTP_MAX_CTRL_EVENTS)
		return false;
	t->rx_ctrl_events++;
	return true;
}

static void sstp_rx_echo_request(struct sstp_tunnel *t)
{
	u8 echo[SSTP_CTRL_HDR_LEN];
	int err;

	sstp_ctrl_encode_empty(SSTP_MSG_ECHO_RESPONSE, echo, sizeof(echo));
	err = sstp_tx_ctrl(t, echo, sizeof(echo), SSTP_TX_ECHO_RESPONSE);
	if (!err)
		sstp_stat_inc(t, SSTP_STATS_A_ECHO_ANSWERED);
	else if (err == -EALREADY)
		sstp_stat_inc(t, SSTP_STATS_A_ECHO_COALESCED);
}

static void sstp_rx_ctrl(struct sstp_tunnel *t, const u8 *pkt, size_t len)
{
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
		sstp_rx_echo_request(t);
		break;
	case SSTP_MSG_ECHO_RESPONSE:
		/* Liveness only, already noted for the whole read. */
		break;
	default:
		if (sstp_rx_ctrl_wanted(t, t->rx_ctrl.type))
			sstp_nl_notify_ctrl(t, pkt, len);
		else
			sstp_stat_inc(t, SSTP_STATS_A_CTRL_DROPPED);
	}
}

/*
 * Whether to stop reading for now: too many control packets wait for a
 * peer that does not read them. Once paused, the transmit side resumes us.
 */
static bool sstp_rx_paused(struct sstp_tunnel *t)
{
	if (likely(atomic_read(&t->tx_ctrl_len) < SSTP_TXQ_CTRL_PAUSE))
		return false;
	if (!test_and_set_bit(SSTP_F_RX_PAUSED, &t->flags))
		sstp_stat_inc(t, SSTP_STATS_A_RX_PAUSED);
	/* The bit is set (a full barrier): sstp_tx_complete() will see it. */
	if (atomic_read(&t->tx_ctrl_len) >= SSTP_TXQ_CTRL_PAUSE)
		return true;
	clear_bit(SSTP_F_RX_PAUSED, &t->flags);
	return false;
}

/* Any context: the peer read what it was owed; read again. */
void sstp_rx_resume(struct sstp_tunnel *t)
{
	if (test_and_clear_bit(SSTP_F_RX_PAUSED, &t->flags) &&
	    !sstp_tunnel_dead(t))
		queue_work(sstp_wq, &t->rx_work);
}

/*
 * Handle the whole packets in @t->rx_pending, one by one, as long as the
 * tunnel lives, is not paused and the run has packets left in its budget.
 * Return: true when all were consumed.
 */
static bool sstp_rx_bytes(struct sstp_tunnel *t)
{
	const u8 *pkt;
	int n;

	while (t->rx_pending_len) {
		if (sstp_tunnel_dead(t) || sstp_rx_paused(t) || !t->rx_quota)
			return false;
		t->rx_quota--;
		n = sstp_stream_next(t->rx_stream, &t->rx_pending,
				     &t->rx_pending_len, &pkt);
		if (n < 0) {
			sstp_stat_inc(t, SSTP_STATS_A_FRAMING_ERRORS);
			sstp_tunnel_down(t, SSTP_DOWN_PROTOCOL_ERROR, -n);
			return false;
		}
		if (!n)
			break;
		if (pkt[1] & SSTP_FLAG_CONTROL)
			sstp_rx_ctrl(t, pkt, n);
		else
			sstp_rx_data(t, pkt + SSTP_HDR_LEN, n - SSTP_HDR_LEN);
	}
	return !sstp_tunnel_dead(t);
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

/* Return: whether to read on. */
static bool sstp_rx_tls_record(struct sstp_tunnel *t, u8 type, const u8 *p,
			       size_t len)
{
	switch (type) {
	case SSTP_TLS_DATA:
		t->rx_pending = p;
		t->rx_pending_len = len;
		return sstp_rx_bytes(t);
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
	return !sstp_tunnel_dead(t);
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

/*
 * The reassembly state and the read buffer, made when there is something
 * to read. They are charged to the socket's memory cgroup, as the tunnel
 * was to its creator's, not to the worker's.
 */
static bool sstp_rx_state_get(struct sstp_tunnel *t)
{
	struct mem_cgroup *old;

	if (likely(t->rx_buf))
		return true;
	old = set_active_memcg(t->sock->sk->sk_memcg);
	if (!t->rx_stream) {
		t->rx_stream = kmalloc(sizeof(*t->rx_stream),
				       GFP_KERNEL_ACCOUNT);
		if (t->rx_stream)
			sstp_stream_init(t->rx_stream);
	}
	if (t->rx_stream)
		t->rx_buf = kmem_cache_alloc(sstp_rx_buf_cache, GFP_KERNEL);
	set_active_memcg(old);
	if (t->rx_buf)
		return true;
	sstp_tunnel_down(t, SSTP_DOWN_SOCKET_ERROR, ENOMEM);
	return false;
}

/*
 * The socket is drained and every byte read was handled (rx_pending is
 * empty): the buffer goes, and the reassembly state unless a packet is
 * half there. An idle tunnel keeps neither.
 */
static void sstp_rx_state_put(struct sstp_tunnel *t)
{
	kmem_cache_free(sstp_rx_buf_cache, t->rx_buf);
	t->rx_buf = NULL;
	if (!sstp_stream_partial(t->rx_stream)) {
		kfree(t->rx_stream);
		t->rx_stream = NULL;
	}
}

/* The run stopped early: whether for its budget, with more to read. */
static bool sstp_rx_more(struct sstp_tunnel *t)
{
	return !t->rx_quota && !sstp_tunnel_dead(t);
}

/* Return: true when the budget ran out with more to read. */
static bool sstp_rx_run(struct sstp_tunnel *t)
{
	int i, n;
	u8 type;

	if (sstp_tunnel_dead(t))
		return false;

	if (!sstp_rx_state_get(t))
		return false;
	t->rx_quota = SSTP_RX_BUDGET_PACKETS;
	/* What a pause or a budget left over, or userspace's prefix. */
	if (!sstp_rx_bytes(t))
		return sstp_rx_more(t);
	kfree(t->rx_prefix);
	t->rx_prefix = NULL;

	for (i = 0; i < SSTP_RX_BUDGET; i++) {
		if (sstp_rx_paused(t))
			return false;
		n = sstp_rx_read(t, &type);
		if (n == -EAGAIN) {
			sstp_rx_state_put(t);
			return false;
		}
		if (n <= 0) {
			sstp_rx_error(t, n);
			return false;
		}
		sstp_rx_alive(t);
		if (!sstp_rx_tls_record(t, type, t->rx_buf, n))
			return sstp_rx_more(t);
	}
	return !sstp_tunnel_dead(t);
}

void sstp_rx_work(struct work_struct *work)
{
	struct sstp_tunnel *t = container_of(work, struct sstp_tunnel,
					     rx_work);

	if (test_bit(SSTP_F_RX_BUSY, &t->flags))
		return;
	/* Pairs with smp_mb__before_atomic() in sstp_rx_busy_work(). */
	smp_rmb();
	if (sstp_rx_run(t)) {
		sstp_stat_inc(t, SSTP_STATS_A_RX_BUSY);
		set_bit(SSTP_F_RX_BUSY, &t->flags);
		queue_work(sstp_busy_wq, &t->rx_busy_work);
	}
}

void sstp_rx_busy_work(struct work_struct *work)
{
	struct sstp_tunnel *t = container_of(work, struct sstp_tunnel,
					     rx_busy_work);

	if (sstp_rx_run(t)) {
		/* More may be waiting: come back after others had their turn. */
		queue_work(sstp_busy_wq, &t->rx_busy_work);
		return;
	}
	/* All we wrote is seen by the rx_work that finds the bit clear. */
	smp_mb__before_atomic();
	clear_bit(SSTP_F_RX_BUSY, &t->flags);
	/* A wakeup that came meanwhile found the bit set and left: look. */
	if (!sstp_tunnel_dead(t))
		queue_work(sstp_wq, &t->rx_work);
}
