// SPDX-License-Identifier: GPL-2.0
/*
 * Transmit: PPP frames and control packets onto the kTLS socket.
 *
 * ppp_generic calls start_xmit with BH off and spinlocks held, and kTLS's
 * sendmsg sleeps, so start_xmit only frames the skb (SSTP header, FF 03)
 * and queues it; tx_work, the only sender on the socket, sends a batch of
 * queued packets with one kernel_sendmsg() so that kTLS fills whole
 * records. When SSTP_TXQ_LEN data frames wait, start_xmit returns 0 and
 * ppp_generic keeps the frame; tx_work calls ppp_output_wakeup() once it
 * has drained the data to half. A held frame offered again before that
 * wakeup is dropped (sstp_tx_hold()).
 *
 * Control packets are what a peer can make us produce without end: an
 * Echo Response per Echo Request, an LCP reply from pppd per LCP request.
 * So at most one Echo Response waits at a time (later requests share it),
 * PPP control frames are never left with ppp_generic (whose channel queue
 * has no limit) but counted with SSTP's own, reading pauses while
 * SSTP_TXQ_CTRL_PAUSE of them wait (the peer's TCP window then closes),
 * and the tunnel goes down past SSTP_TXQ_CTRL_MAX, or when the peer has
 * acknowledged nothing for the transmit-stall timeout.
 */

#include <linux/delay.h>
#include <linux/net.h>
#include <linux/ppp_defs.h>
#include <net/sock.h>
#include <net/tcp.h>
#include <net/tls.h>

#include "compat.h"
#include "tunnel.h"

/* Packets per kernel_sendmsg(): about four full TLS records of frames. */
#define SSTP_TX_BATCH		48
/* Batches per run of tx_work before it yields the CPU. */
#define SSTP_TX_BUDGET		16
/* SSTP data header plus the HDLC address and control bytes. */
#define SSTP_DATA_HDR_LEN	(SSTP_HDR_LEN + 2)
/* A send refused while the socket had room (memory pressure): retry. */
#define SSTP_TX_RETRY_MS	10
/* Teardown: how long what is queued may take to go, then close_notify. */
#define SSTP_TX_FINAL_MS	500

void sstp_tx_kick(struct sstp_tunnel *t)
{
	queue_delayed_work(sstp_wq, &t->tx_work, 0);
}

/* Data frames waiting; control packets are counted on their own. */
static unsigned int sstp_tx_data_len(struct sstp_tunnel *t)
{
	int n = skb_queue_len_lockless(&t->txq) - atomic_read(&t->tx_ctrl_len);

	return max(n, 0);
}

/* One more control packet owed to the peer; past the cap, the end. */
static bool sstp_tx_ctrl_admit(struct sstp_tunnel *t)
{
	if (likely(atomic_inc_return(&t->tx_ctrl_len) <= SSTP_TXQ_CTRL_MAX))
		return true;
	atomic_dec(&t->tx_ctrl_len);
	sstp_tunnel_down(t, SSTP_DOWN_TX_OVERFLOW, 0);
	return false;
}

static bool sstp_tx_gate_open(struct sstp_tunnel *t, u16 proto)
{
	/* PPP control protocols (LCP, auth, NCPs) pass before the call is up. */
	return proto >= 0x8000 || test_bit(SSTP_F_CONNECTED, &t->flags);
}

/*
 * Make room for one more data frame, or tell ppp_generic to hold it. The
 * bit is set before the queue length is read again, and tx_work clears it
 * (a full barrier) after dequeuing, so one of the two always sees the
 * other: no frame is held without a wakeup coming.
 */
static bool sstp_tx_queue_full(struct sstp_tunnel *t)
{
	if (likely(sstp_tx_data_len(t) < SSTP_TXQ_LEN))
		return false;
	set_bit(SSTP_F_TX_STOPPED, &t->flags);
	/* Pairs with test_and_clear_bit() in sstp_tx_complete(). */
	smp_mb__after_atomic();
	if (sstp_tx_data_len(t) < SSTP_TXQ_LEN) {
		clear_bit(SSTP_F_TX_STOPPED, &t->flags);
		return false;
	}
	return true;
}

/*
 * Whether ppp_generic may go on holding @skb, refused for a full queue.
 * Before our wakeup, it offers the frame it holds again only when pppd
 * wrote a frame to the unit or the channel; and what pppd writes to the
 * unit (NCP frames) waits behind the held frame, in a queue of
 * ppp_generic's that has no limit, for as long as the peer reads nothing.
 * So a frame offered twice without a wakeup between is dropped, which
 * lets pppd's frames through (to be counted as control), and the next
 * data frame is held again.
 */
static bool sstp_tx_hold(struct sstp_tunnel *t, const struct sk_buff *skb)
{
	if (READ_ONCE(t->tx_held) == skb) {
		WRITE_ONCE(t->tx_held, NULL);
		return false;
	}
	WRITE_ONCE(t->tx_held, skb);
	return true;
}

/**
 * sstp_start_xmit - ppp_generic's transmit hook
 * @chan: our channel
 * @skb: a PPP frame starting with its 2-byte protocol (no FF 03)
 *
 * Atomic context (BH off, ppp's locks held): never sleeps.
 *
 * Return: 1 when the frame was taken (sent or dropped), 0 when the queue is
 * full of data and ppp_generic should hold it until ppp_output_wakeup().
 */
int sstp_start_xmit(struct ppp_channel *chan, struct sk_buff *skb)
{
	struct sstp_tunnel *t = chan->private;
	enum sstp_tx_kind kind;
	u8 *hdr, protobuf[2];
	u16 proto;

	if (unlikely(sstp_tunnel_dead(t)))
		goto drop;
	if (unlikely(skb_copy_bits(skb, 0, protobuf, sizeof(protobuf)))) {
		sstp_stat_inc(t, SSTP_STATS_A_DROP_RUNT);
		goto drop;
	}
	proto = get_unaligned_be16(protobuf);
	if (!sstp_tx_gate_open(t, proto)) {
		sstp_stat_inc(t, SSTP_STATS_A_DROP_GATE);
		goto drop;
	}
	if (unlikely(skb->len + SSTP_DATA_HDR_LEN > SSTP_MAX_PACKET)) {
		sstp_stat_inc(t, SSTP_STATS_A_DROP_OVERSIZE);
		goto drop;
	}
	/* Control frames skip the data limit: held, they would pile up. */
	kind = proto >= 0x8000 ? SSTP_TX_PPP_CTRL : SSTP_TX_DATA;
	if (kind == SSTP_TX_DATA && sstp_tx_queue_full(t)) {
		if (sstp_tx_hold(t, skb))
			return 0;
		sstp_stat_inc(t, SSTP_STATS_A_DROP_QUEUE);
		goto drop;
	}

	/*
	 * tx_work hands skb->data to sendmsg as one buffer, so the frame must
	 * be linear; ppp_generic gives us linear skbs today, but a later
	 * kernel may not.
	 */
	if (unlikely(skb_linearize(skb) ||
		     skb_cow_head(skb, SSTP_DATA_HDR_LEN))) {
		sstp_stat_inc(t, SSTP_STATS_A_DROP_NOMEM);
		goto drop;
	}
	if (kind == SSTP_TX_PPP_CTRL && !sstp_tx_ctrl_admit(t))
		goto drop;
	hdr = skb_push(skb, SSTP_DATA_HDR_LEN);
	sstp_hdr_encode(hdr, false, skb->len);
	hdr[SSTP_HDR_LEN] = PPP_ALLSTATIONS;
	hdr[SSTP_HDR_LEN + 1] = PPP_UI;
	sstp_tx_cb(skb)->kind = kind;

	skb_queue_tail(&t->txq, skb);
	sstp_tx_kick(t);
	return 1;

drop:
	kfree_skb(skb);
	return 1;
}

/**
 * sstp_tx_ctrl - queue an SSTP control packet behind the queued frames
 * @t: the tunnel
 * @pkt: a whole, valid control packet
 * @len: its length
 * @kind: SSTP_TX_SSTP_CTRL, or SSTP_TX_ECHO_RESPONSE for the answer to an
 *	Echo Request, of which one at a time waits
 *
 * Process context. Control packets are not refused for a queue full of
 * data (losing a Disconnect Ack would break the call), but only so many
 * may wait for a peer that does not read: past that, the tunnel goes down.
 *
 * Return: 0; -EALREADY when an Echo Response already waits; -ENOBUFS when
 * too many wait (the tunnel is going down); -ENOMEM; or -ESHUTDOWN when
 * the tunnel is going down.
 */
int sstp_tx_ctrl(struct sstp_tunnel *t, const u8 *pkt, size_t len,
		 enum sstp_tx_kind kind)
{
	bool echo = kind == SSTP_TX_ECHO_RESPONSE;
	struct sk_buff *skb;

	if (sstp_tunnel_dead(t))
		return -ESHUTDOWN;
	if (echo && test_and_set_bit(SSTP_F_ECHO_RESPONSE_QUEUED, &t->flags))
		return -EALREADY;
	if (!sstp_tx_ctrl_admit(t)) {
		if (echo)
			clear_bit(SSTP_F_ECHO_RESPONSE_QUEUED, &t->flags);
		return -ENOBUFS;
	}
	skb = alloc_skb(len, GFP_KERNEL);
	if (!skb) {
		atomic_dec(&t->tx_ctrl_len);
		if (echo)
			clear_bit(SSTP_F_ECHO_RESPONSE_QUEUED, &t->flags);
		sstp_stat_inc(t, SSTP_STATS_A_DROP_NOMEM);
		return -ENOMEM;
	}
	skb_put_data(skb, pkt, len);
	sstp_tx_cb(skb)->kind = kind;
	skb_queue_tail(&t->txq, skb);
	sstp_tx_kick(t);
	return 0;
}

/* @skb, just dequeued, is on the wire: count it and what it held. */
static void sstp_tx_sent(struct sstp_tunnel *t, struct sk_buff *skb)
{
	switch (sstp_tx_cb(skb)->kind) {
	case SSTP_TX_ECHO_RESPONSE:
		clear_bit(SSTP_F_ECHO_RESPONSE_QUEUED, &t->flags);
		fallthrough;
	case SSTP_TX_SSTP_CTRL:
		atomic_dec(&t->tx_ctrl_len);
		sstp_stat_inc(t, SSTP_STATS_A_TX_CTRL);
		return;
	case SSTP_TX_PPP_CTRL:
		atomic_dec(&t->tx_ctrl_len);
		fallthrough;
	default:
		sstp_stat_inc(t, SSTP_STATS_A_TX_PACKETS);
		sstp_stat_add(t, SSTP_STATS_A_TX_BYTES,
			      skb->len - SSTP_DATA_HDR_LEN);
	}
}

/* @sent more bytes went out: free what is fully sent, remember the rest. */
static void sstp_tx_complete(struct sstp_tunnel *t, size_t sent)
{
	struct sk_buff *skb;

	sent += t->tx_off;
	t->tx_off = 0;
	while (sent) {
		skb = skb_peek(&t->txq);
		if (sent < skb->len) {
			t->tx_off = sent;
			break;
		}
		sent -= skb->len;
		skb_dequeue(&t->txq);
		sstp_tx_sent(t, skb);
		consume_skb(skb);
	}

	if (sstp_tx_data_len(t) <= SSTP_TXQ_LEN / 2 &&
	    test_and_clear_bit(SSTP_F_TX_STOPPED, &t->flags)) {
		/* What ppp_generic offers next comes of this wakeup. */
		WRITE_ONCE(t->tx_held, NULL);
		sstp_ppp_output_wakeup(&t->chan);
	}
	/* Pairs with test_and_set_bit() in sstp_rx_paused(). */
	smp_mb__after_atomic();
	if (atomic_read(&t->tx_ctrl_len) < SSTP_TXQ_CTRL_PAUSE &&
	    test_bit(SSTP_F_RX_PAUSED, &t->flags))
		sstp_rx_resume(t);
}

/*
 * Send one batch from the head of the queue. Only tx_work (or teardown,
 * once tx_work is cancelled) dequeues, so the skbs walked here stay put
 * after the queue lock is dropped; producers only append.
 *
 * Return: bytes sent, 0 when the queue is empty, -EAGAIN when the socket
 * took nothing, or another negative errno.
 */
static int sstp_tx_send_batch(struct sstp_tunnel *t, bool *all_sent)
{
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL };
	struct kvec vec[SSTP_TX_BATCH];
	unsigned int n = 0, off = t->tx_off;
	struct sk_buff *skb;
	size_t total = 0;
	int ret;

	spin_lock_bh(&t->txq.lock);
	skb_queue_walk(&t->txq, skb) {
		if (n == SSTP_TX_BATCH)
			break;
		vec[n].iov_base = skb->data + off;
		vec[n].iov_len = skb->len - off;
		total += vec[n].iov_len;
		off = 0;
		n++;
	}
	spin_unlock_bh(&t->txq.lock);
	if (!n)
		return 0;

	ret = kernel_sendmsg(t->sock, &msg, vec, n, total);
	if (ret > 0) {
		sstp_tx_complete(t, ret);
		*all_sent = ret == total;
	}
	/* Nothing taken is not an empty queue: wait as for a full socket. */
	return ret ? ret : -EAGAIN;
}

/* Send until the queue is empty, the socket is full, or the budget is out. */
static int sstp_tx_push(struct sstp_tunnel *t)
{
	bool all_sent;
	int i, ret;

	for (i = 0; i < SSTP_TX_BUDGET; i++) {
		all_sent = false;
		ret = sstp_tx_send_batch(t, &all_sent);
		if (ret <= 0)
			return ret;
		if (!all_sent)
			return -EAGAIN;
	}
	return skb_queue_empty_lockless(&t->txq) ? 0 : -EBUSY;
}

/*
 * The socket took nothing. Normally it is full and write_space resumes
 * us; the bit is set before looking at the socket again, in case space
 * came free in between and write_space saw no bit. A socket that has room
 * and still refuses is short of memory (TCP memory pressure, a memcg
 * limit): try again a little later instead of spinning.
 */
static void sstp_tx_blocked(struct sstp_tunnel *t)
{
	struct sock *sk = t->sock->sk;

	set_bit(SSTP_F_TX_BLOCKED, &t->flags);
	/* Pairs with test_and_clear_bit() in sstp_sk_write_space(). */
	smp_mb__after_atomic();
	if (sk_stream_is_writeable(sk) &&
	    test_and_clear_bit(SSTP_F_TX_BLOCKED, &t->flags))
		queue_delayed_work(sstp_wq, &t->tx_work,
				   msecs_to_jiffies(SSTP_TX_RETRY_MS));
}

void sstp_tx_work(struct work_struct *work)
{
	struct sstp_tunnel *t = container_of(to_delayed_work(work),
					     struct sstp_tunnel, tx_work);
	int ret;

	if (sstp_tunnel_dead(t))
		return;
	ret = sstp_tx_push(t);
	/* Whatever was sent must be read within the stall timeout. */
	queue_delayed_work(sstp_wq, &t->tx_stall_work,
			   READ_ONCE(t->tx_stall_timeout) * HZ);
	switch (ret) {
	case 0:
		break;
	case -EBUSY:
		/* Budget spent with more to send: let others run first. */
		sstp_tx_kick(t);
		break;
	case -EAGAIN:
		sstp_tx_blocked(t);
		break;
	default:
		sstp_tunnel_down(t, SSTP_DOWN_SOCKET_ERROR, -ret);
	}
}

/*
 * The peer must keep acknowledging what we send. TCP's snd_una moves when
 * it does; while anything waits (unacknowledged in the socket, or in our
 * queue) and snd_una stays put for the timeout, the peer reads nothing and
 * the tunnel ends. Armed by every run of tx_work; idle once all is read.
 */
void sstp_tx_stall_work(struct work_struct *work)
{
	struct sstp_tunnel *t = container_of(to_delayed_work(work),
					     struct sstp_tunnel,
					     tx_stall_work);
	const struct tcp_sock *tp = tcp_sk(t->sock->sk);
	unsigned long timeout = READ_ONCE(t->tx_stall_timeout) * HZ;
	u32 una = READ_ONCE(tp->snd_una);
	bool waiting = una != READ_ONCE(tp->write_seq) ||
		       !skb_queue_empty_lockless(&t->txq);

	if (sstp_tunnel_dead(t))
		return;
	if (!waiting || una != t->tx_stall_una) {
		t->tx_stall_una = una;
		t->tx_stall_since = jiffies;
	}
	if (!waiting)
		return;
	if (time_after_eq(jiffies, t->tx_stall_since + timeout)) {
		sstp_tunnel_down(t, SSTP_DOWN_TX_STALLED, 0);
		return;
	}
	queue_delayed_work(sstp_wq, &t->tx_stall_work,
			   t->tx_stall_since + timeout - jiffies);
}

/* A TLS close_notify alert: the peer sees a clean end, not a cut. */
static void sstp_tx_close_notify(struct sstp_tunnel *t)
{
	u8 alert[2] = { 1 /* warning */, SSTP_TLS_CLOSE_NOTIFY };
	union {
		struct cmsghdr hdr;
		u8 buf[CMSG_SPACE(sizeof(u8))];
	} cmsg = {};
	struct msghdr msg = {
		.msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL,
		.msg_control = &cmsg,
		.msg_controllen = sizeof(cmsg),
	};
	struct kvec vec = { .iov_base = alert, .iov_len = sizeof(alert) };

	cmsg.hdr.cmsg_level = SOL_TLS;
	cmsg.hdr.cmsg_type = TLS_SET_RECORD_TYPE;
	cmsg.hdr.cmsg_len = CMSG_LEN(sizeof(u8));
	*(u8 *)CMSG_DATA(&cmsg.hdr) = SSTP_TLS_ALERT;
	kernel_sendmsg(t->sock, &msg, &vec, 1, sizeof(alert));
}

/*
 * Teardown, after tx_work is cancelled and the channel unregistered: what
 * is queued (a Call Disconnect Ack or Abort queued just before the tunnel
 * was deleted, say) gets SSTP_TX_FINAL_MS to go out, then a close_notify
 * ends the TLS stream. A peer known not to read gets neither wait nor
 * goodbye; one that cannot take them in time gets what fitted.
 */
void sstp_tx_flush_final(struct sstp_tunnel *t)
{
	unsigned long end = jiffies + msecs_to_jiffies(SSTP_TX_FINAL_MS);
	int ret;

	if (t->down_reason == SSTP_DOWN_TX_STALLED ||
	    t->down_reason == SSTP_DOWN_TX_OVERFLOW)
		return;
	while ((ret = sstp_tx_push(t)) == -EAGAIN || ret == -EBUSY) {
		if (time_after(jiffies, end))
			return;
		msleep(20);
	}
	if (!ret && t->transport == SSTP_TRANSPORT_KTLS)
		sstp_tx_close_notify(t);
}

/* Teardown: drop what could not be sent. */
void sstp_tx_purge(struct sstp_tunnel *t)
{
	skb_queue_purge(&t->txq);
	atomic_set(&t->tx_ctrl_len, 0);
}
