// SPDX-License-Identifier: GPL-2.0
/*
 * Transmit: PPP frames and control packets onto the kTLS socket.
 *
 * ppp_generic calls start_xmit with BH off and spinlocks held, and kTLS's
 * sendmsg sleeps, so start_xmit only frames the skb (SSTP header, FF 03)
 * and queues it; tx_work, the only sender on the socket, sends a batch of
 * queued packets with one kernel_sendmsg() so that kTLS fills whole
 * records. When the queue is full start_xmit returns 0 and ppp_generic
 * keeps the frame; tx_work calls ppp_output_wakeup() once it has drained
 * the queue to half.
 */

#include <linux/net.h>
#include <linux/ppp_defs.h>
#include <net/sock.h>

#include "compat.h"
#include "ppp_compat.h"
#include "tunnel.h"

/* Packets per kernel_sendmsg(): about four full TLS records of frames. */
#define SSTP_TX_BATCH		48
/* Batches per run of tx_work before it yields the CPU. */
#define SSTP_TX_BUDGET		16
/* SSTP data header plus the HDLC address and control bytes. */
#define SSTP_DATA_HDR_LEN	(SSTP_HDR_LEN + 2)

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
	if (likely(skb_queue_len_lockless(&t->txq) < SSTP_TXQ_LEN))
		return false;
	set_bit(SSTP_F_TX_STOPPED, &t->flags);
	/* Pairs with test_and_clear_bit() in sstp_tx_complete(). */
	smp_mb__after_atomic();
	if (skb_queue_len_lockless(&t->txq) < SSTP_TXQ_LEN) {
		clear_bit(SSTP_F_TX_STOPPED, &t->flags);
		return false;
	}
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
 * full and ppp_generic should hold it until ppp_output_wakeup().
 */
int sstp_start_xmit(struct ppp_channel *chan, struct sk_buff *skb)
{
	struct sstp_tunnel *t = chan->private;
	u8 *hdr, protobuf[2];

	if (unlikely(sstp_tunnel_dead(t)))
		goto drop;
	if (unlikely(skb_copy_bits(skb, 0, protobuf, sizeof(protobuf)))) {
		sstp_stat_inc(t, SSTP_STATS_A_DROP_RUNT);
		goto drop;
	}
	if (!sstp_tx_gate_open(t, get_unaligned_be16(protobuf))) {
		sstp_stat_inc(t, SSTP_STATS_A_DROP_GATE);
		goto drop;
	}
	if (unlikely(skb->len + SSTP_DATA_HDR_LEN > SSTP_MAX_PACKET)) {
		sstp_stat_inc(t, SSTP_STATS_A_DROP_OVERSIZE);
		goto drop;
	}
	if (sstp_tx_queue_full(t))
		return 0;

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
	hdr = skb_push(skb, SSTP_DATA_HDR_LEN);
	sstp_hdr_encode(hdr, false, skb->len);
	hdr[SSTP_HDR_LEN] = PPP_ALLSTATIONS;
	hdr[SSTP_HDR_LEN + 1] = PPP_UI;

	skb_queue_tail(&t->txq, skb);
	queue_work(sstp_wq, &t->tx_work);
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
 * @gfp: allocation context
 *
 * Control packets are never refused for a full queue: they are few, and
 * losing a Disconnect Ack or an Echo Response would break the call.
 *
 * Return: 0, -ENOMEM, or -ESHUTDOWN when the tunnel is going down.
 */
int sstp_tx_ctrl(struct sstp_tunnel *t, const u8 *pkt, size_t len, gfp_t gfp)
{
	struct sk_buff *skb;

	if (sstp_tunnel_dead(t))
		return -ESHUTDOWN;
	skb = alloc_skb(len, gfp);
	if (!skb) {
		sstp_stat_inc(t, SSTP_STATS_A_DROP_NOMEM);
		return -ENOMEM;
	}
	skb_put_data(skb, pkt, len);
	skb_queue_tail(&t->txq, skb);
	queue_work(sstp_wq, &t->tx_work);
	return 0;
}

static void sstp_tx_account(struct sstp_tunnel *t, const struct sk_buff *skb)
{
	if (skb->data[1] & SSTP_FLAG_CONTROL) {
		sstp_stat_inc(t, SSTP_STATS_A_TX_CTRL);
	} else {
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
		sstp_tx_account(t, skb);
		consume_skb(skb);
	}

	if (skb_queue_len_lockless(&t->txq) <= SSTP_TXQ_LEN / 2 &&
	    test_and_clear_bit(SSTP_F_TX_STOPPED, &t->flags))
		sstp_ppp_output_wakeup(&t->chan);
}

/*
 * Send one batch from the head of the queue. Only tx_work (or teardown,
 * once tx_work is cancelled) dequeues, so the skbs walked here stay put
 * after the queue lock is dropped; producers only append.
 *
 * Return: bytes sent, 0 when the queue is empty, or a negative errno.
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
	return ret;
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

void sstp_tx_work(struct work_struct *work)
{
	struct sstp_tunnel *t = container_of(work, struct sstp_tunnel,
					     tx_work);
	struct sock *sk = t->sock->sk;
	int ret;

	if (sstp_tunnel_dead(t))
		return;
	ret = sstp_tx_push(t);
	switch (ret) {
	case 0:
		break;
	case -EBUSY:
		/* Budget spent with more to send: let others run first. */
		queue_work(sstp_wq, &t->tx_work);
		break;
	case -EAGAIN:
		/*
		 * Socket buffer full: write_space resumes us. Set the bit
		 * before looking at the socket again, in case the space came
		 * free in between and write_space saw no bit.
		 */
		set_bit(SSTP_F_TX_BLOCKED, &t->flags);
		/* Pairs with test_and_clear_bit() in sstp_sk_write_space(). */
		smp_mb__after_atomic();
		if (sk_stream_is_writeable(sk) &&
		    test_and_clear_bit(SSTP_F_TX_BLOCKED, &t->flags))
			queue_work(sstp_wq, &t->tx_work);
		break;
	default:
		sstp_tunnel_down(t, SSTP_DOWN_SOCKET_ERROR, -ret);
	}
}

/*
 * Teardown, after tx_work is cancelled and the channel unregistered: one
 * last non-blocking try to send what is queued, so a Call Disconnect Ack
 * or Abort queued just before the tunnel was deleted still goes out.
 */
void sstp_tx_flush_final(struct sstp_tunnel *t)
{
	sstp_tx_push(t);
}
