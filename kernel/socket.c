// SPDX-License-Identifier: GPL-2.0
/*
 * Attaching a tunnel to the kTLS socket userspace handed over, and the
 * socket callbacks that drive the tunnel's workers.
 *
 * kTLS already replaced the socket's data-ready and write-space callbacks
 * with its own; ours sit on top and call the ones they replaced first, so
 * kTLS keeps parsing records. The callbacks run in softirq context with
 * the socket spinlock held, so all they do is queue work. They find the
 * tunnel through sk_user_data under sk_callback_lock; detach clears it
 * under the same lock, so once it returns no callback holds the tunnel.
 */

#include <linux/tcp.h>
#include <net/inet_connection_sock.h>
#include <net/tcp.h>
#include <net/tls.h>

#include "tunnel.h"

static void sstp_sk_data_ready(struct sock *sk)
{
	void (*chained)(struct sock *sk);
	struct sstp_tunnel *t;

	read_lock_bh(&sk->sk_callback_lock);
	t = sk->sk_user_data;
	if (likely(t)) {
		chained = t->saved_data_ready;
		if (!sstp_tunnel_dead(t))
			queue_work(sstp_wq, &t->rx_work);
	} else {
		/* Detached meanwhile: this is kTLS's own callback again. */
		chained = sk->sk_data_ready;
	}
	read_unlock_bh(&sk->sk_callback_lock);
	chained(sk);
}

/* A FIN, a reset or an error: the reader sees it and takes the tunnel down. */
static void sstp_sk_state_change(struct sock *sk)
{
	void (*chained)(struct sock *sk);
	struct sstp_tunnel *t;

	read_lock_bh(&sk->sk_callback_lock);
	t = sk->sk_user_data;
	if (likely(t)) {
		chained = t->saved_state_change;
		if (!sstp_tunnel_dead(t))
			queue_work(sstp_wq, &t->rx_work);
	} else {
		chained = sk->sk_state_change;
	}
	read_unlock_bh(&sk->sk_callback_lock);
	chained(sk);
}

static void sstp_sk_write_space(struct sock *sk)
{
	void (*chained)(struct sock *sk);
	struct sstp_tunnel *t;

	read_lock_bh(&sk->sk_callback_lock);
	t = sk->sk_user_data;
	if (likely(t)) {
		chained = t->saved_write_space;
		if (sk_stream_is_writeable(sk) &&
		    test_and_clear_bit(SSTP_F_TX_BLOCKED, &t->flags) &&
		    !sstp_tunnel_dead(t))
			sstp_tx_kick(t);
	} else {
		chained = sk->sk_write_space;
	}
	read_unlock_bh(&sk->sk_callback_lock);
	chained(sk);
}

/*
 * Plain TCP, as asked for: no ULP at all, so that nothing but our own
 * framing sits between the tunnel and the byte stream.
 */
static int sstp_socket_check_plain(struct sock *sk,
				   struct netlink_ext_ack *extack)
{
	if (inet_csk(sk)->icsk_ulp_ops) {
		NL_SET_ERR_MSG(extack, "transport is plain TCP but the socket has a ULP (kTLS?)");
		return -EINVAL;
	}
	return 0;
}

/* Caller holds the socket lock, so the ULP cannot change under us. */
static int sstp_socket_check_ktls(struct sock *sk,
				  struct netlink_ext_ack *extack)
{
	const struct inet_connection_sock *icsk = inet_csk(sk);
	const struct tls_context *ctx;

	if (!icsk->icsk_ulp_ops || strcmp(icsk->icsk_ulp_ops->name, "tls")) {
		NL_SET_ERR_MSG(extack, "socket has no kTLS (TCP_ULP \"tls\")");
		return -ENOPROTOOPT;
	}
	ctx = tls_get_ctx(sk);
	if (ctx->tx_conf == TLS_BASE) {
		NL_SET_ERR_MSG(extack, "kTLS TX is not installed on the socket");
		return -ENOPROTOOPT;
	}
	if (ctx->rx_conf == TLS_BASE) {
		NL_SET_ERR_MSG(extack, "kTLS RX is not installed on the socket");
		return -ENOPROTOOPT;
	}
	return 0;
}

/**
 * sstp_socket_attach - take over the socket's callbacks
 * @t: the tunnel, whose @sock is set
 * @extack: for the reason of a refusal
 *
 * Refuses a socket that is not connected, has no kTLS in either direction
 * (or, for SSTP_TRANSPORT_TCP, any ULP), or already has an owner of its
 * sk_user_data (another tunnel, sockmap,
 * an in-kernel user). Process context.
 */
int sstp_socket_attach(struct sstp_tunnel *t, struct netlink_ext_ack *extack)
{
	struct sock *sk = t->sock->sk;
	int err = 0;

	lock_sock(sk);
	if (sk->sk_state != TCP_ESTABLISHED) {
		NL_SET_ERR_MSG(extack, "socket is not connected");
		err = -ENOTCONN;
		goto out;
	}
	if (t->transport == SSTP_TRANSPORT_TCP)
		err = sstp_socket_check_plain(sk, extack);
	else
		err = sstp_socket_check_ktls(sk, extack);
	if (err)
		goto out;

	write_lock_bh(&sk->sk_callback_lock);
	if (sk->sk_user_data) {
		write_unlock_bh(&sk->sk_callback_lock);
		NL_SET_ERR_MSG(extack, "socket already in use by a tunnel or another kernel user");
		err = -EBUSY;
		goto out;
	}
	t->saved_data_ready = sk->sk_data_ready;
	t->saved_write_space = sk->sk_write_space;
	t->saved_state_change = sk->sk_state_change;
	sk->sk_user_data = t;
	t->tx_stall_una = tcp_sk(sk)->snd_una;
	sk->sk_data_ready = sstp_sk_data_ready;
	sk->sk_write_space = sstp_sk_write_space;
	sk->sk_state_change = sstp_sk_state_change;
	write_unlock_bh(&sk->sk_callback_lock);
out:
	release_sock(sk);
	if (err)
		return err;

	/* SSTP carries interactive traffic: no Nagle delay on small frames. */
	tcp_sock_set_nodelay(sk);
	/* Records, or userspace's leftover bytes, may already be waiting. */
	queue_work(sstp_wq, &t->rx_work);
	return 0;
}

/* Give the socket back its own callbacks. Process context. */
void sstp_socket_detach(struct sstp_tunnel *t)
{
	struct sock *sk = t->sock->sk;

	write_lock_bh(&sk->sk_callback_lock);
	if (sk->sk_user_data == t) {
		sk->sk_data_ready = t->saved_data_ready;
		sk->sk_write_space = t->saved_write_space;
		sk->sk_state_change = t->saved_state_change;
		sk->sk_user_data = NULL;
	}
	write_unlock_bh(&sk->sk_callback_lock);
}
