/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SSTP_TUNNEL_H
#define _SSTP_TUNNEL_H

#include <linux/atomic.h>
#include <linux/idr.h>
#include <linux/mutex.h>
#include <linux/netlink.h>
#include <linux/ppp_channel.h>
#include <linux/skbuff.h>
#include <linux/workqueue.h>
#include <net/netns/generic.h>
#include <net/sock.h>

#include <linux/sstp.h>
#include <sstp/wire.h>

/* Bits of sstp_tunnel.flags. */
enum {
	/* Going down: no new work may be queued, nothing new is sent. */
	SSTP_F_DEAD,
	/* Call connected: network-layer frames pass the gate. */
	SSTP_F_CONNECTED,
	/* start_xmit refused a frame; call ppp_output_wakeup() on drain. */
	SSTP_F_TX_STOPPED,
	/* kernel_sendmsg() said -EAGAIN; the write-space callback resumes. */
	SSTP_F_TX_BLOCKED,
	/* An Echo Request of ours awaits any sign of life from the peer. */
	SSTP_F_ECHO_PENDING,
};

/* One counter per enum sstp_stats_attr, indexed by it. */
struct sstp_stats {
	atomic64_t c[__SSTP_STATS_A_MAX];
};

/**
 * struct sstp_tunnel - an SSTP connection carrying one PPP channel
 *
 * Lifetime: created by SSTP_CMD_TUNNEL_NEW, freed by sstp_tunnel_destroy()
 * (from @destroy_work) and nothing else. sstp_tunnel_down() is the one way
 * to start that, from any context, any number of times. A tunnel is found
 * by id only under &sstp_net.lock, and destroy removes it from the table
 * under that lock first, so netlink handlers (which run under it) never see
 * a tunnel being freed. The socket callbacks find it through sk_user_data
 * under sk_callback_lock; destroy clears that before anything else.
 *
 * @chan: the PPP channel; registered from creation until destroy.
 *	ppp_generic calls start_xmit (BH off, spinlocks held) and ioctl
 *	(process context) on it.
 * @sock: the TCP socket with kTLS; we hold a reference on its file, so it
 *	outlives the tunnel whatever userspace does with its own fd.
 * @net: netns of the netlink request: the PPP channel and the id live there.
 * @id: tunnel id in @net's table, never 0.
 * @owner_portid: netlink port that created the tunnel; events go there and
 *	its release takes the tunnel down.
 * @role: enum sstp_role.
 * @transport: enum sstp_transport: kTLS, or plain TCP behind a TLS proxy.
 * @flags: SSTP_F_* bits, atomic.
 * @down_reason: enum sstp_down_reason, set once by sstp_tunnel_down().
 * @down_detail: detail for @down_reason (errno, TLS alert).
 * @saved_data_ready: the socket's callbacks before ours (kTLS's), restored
 * @saved_write_space:	on destroy; written once under sk_callback_lock
 * @saved_state_change:	before ours are installed.
 * @rx_work: reads the socket; only it touches @rx_stream and @rx_prefix.
 * @rx_stream: SSTP packet reassembly across reads.
 * @rx_ctrl: the control packet being handled, off the stack.
 * @rx_prefix: plaintext userspace read past the HTTP header; parsed first.
 * @rx_prefix_len: its length.
 * @rx_buf: read buffer of SSTP_RX_BUF_SIZE bytes.
 * @last_rx: jiffies of the last received packet (liveness), any context.
 * @txq: framed SSTP packets waiting for @tx_work; its lock guards it.
 *	Data frames are refused past SSTP_TXQ_LEN, control packets never.
 * @tx_work: the only sender on @sock.
 * @tx_off: bytes of the head of @txq already sent; @tx_work only.
 * @hello_work: keepalive timer (keepalive.c).
 * @hello_interval: seconds of silence before an Echo Request, 0 = never.
 * @keepalive_timeout: seconds of silence before going down, 0 = never.
 * @ppp_flags: PPPIOCSFLAGS value, for PPPIOCGFLAGS; ioctl only.
 * @mru: PPPIOCSMRU value, for PPPIOCGMRU; ioctl only.
 * @destroy_work: runs sstp_tunnel_destroy().
 * @stats: counters, any context.
 */
struct sstp_tunnel {
	struct ppp_channel chan;
	struct socket *sock;
	struct net *net;
	u32 id;
	u32 owner_portid;
	u8 role;
	u8 transport;
	unsigned long flags;
	u32 down_reason;
	u32 down_detail;

	void (*saved_data_ready)(struct sock *sk);
	void (*saved_write_space)(struct sock *sk);
	void (*saved_state_change)(struct sock *sk);

	struct work_struct rx_work;
	struct sstp_stream rx_stream;
	struct sstp_ctrl rx_ctrl;
	u8 *rx_prefix;
	size_t rx_prefix_len;
	u8 *rx_buf;
	unsigned long last_rx;

	struct sk_buff_head txq;
	struct work_struct tx_work;
	unsigned int tx_off;

	struct delayed_work hello_work;
	unsigned int hello_interval;
	unsigned int keepalive_timeout;

	int ppp_flags;
	int mru;

	struct work_struct destroy_work;
	struct sstp_stats stats;
};

/* Read buffer: a full TLS record's payload, so one read drains one record. */
#define SSTP_RX_BUF_SIZE	16384
/* Largest PPP payload (after FF 03 and the protocol) in one SSTP packet. */
#define SSTP_MAX_PPP_MTU	(SSTP_MAX_PACKET - SSTP_HDR_LEN - 2 - 2)
/* Smallest MRU pppd may set (pppd's own lower bound). */
#define SSTP_MIN_MRU		128
/* Data frames queued for sending before start_xmit pushes back. */
#define SSTP_TXQ_LEN		64

/**
 * struct sstp_net - per network namespace state
 * @lock: guards @tunnels and every lookup-and-use of a tunnel by id.
 *	Control path only: the data path never takes it.
 * @tunnels: id -> struct sstp_tunnel.
 */
struct sstp_net {
	struct mutex lock;	/* guards tunnels, see above */
	struct idr tunnels;
};

extern unsigned int sstp_net_id;
/*
 * Set when module exit begins, before it takes every tunnel down netns by
 * netns under sstp_net.lock; tunnel creation reads it under that lock.
 */
extern bool sstp_unloading;
extern struct workqueue_struct *sstp_wq;

static inline struct sstp_net *sstp_pernet(struct net *net)
{
	return net_generic(net, sstp_net_id);
}

static inline void sstp_stat_add(struct sstp_tunnel *t, int attr, u64 v)
{
	atomic64_add(v, &t->stats.c[attr]);
}

static inline void sstp_stat_inc(struct sstp_tunnel *t, int attr)
{
	atomic64_inc(&t->stats.c[attr]);
}

static inline bool sstp_tunnel_dead(const struct sstp_tunnel *t)
{
	return test_bit(SSTP_F_DEAD, &t->flags);
}

struct sstp_tunnel_config {
	int fd;
	u8 role;
	u8 transport;
	unsigned int mtu;
	unsigned int hello_interval;
	unsigned int keepalive_timeout;
	const u8 *rx_prefix;
	size_t rx_prefix_len;
};

/* tunnel.c */
int sstp_tunnel_create(struct net *net, u32 portid,
		       const struct sstp_tunnel_config *cfg, u32 *id,
		       int *chan_index, struct netlink_ext_ack *extack);
struct sstp_tunnel *sstp_tunnel_lookup(struct sstp_net *sn, u32 id);
void sstp_tunnel_down(struct sstp_tunnel *t, u32 reason, u32 detail);
void sstp_tunnels_down_all(struct net *net, u32 reason, bool wait);
void sstp_tunnels_down_owner(struct net *net, u32 portid);

/* socket.c */
int sstp_socket_attach(struct sstp_tunnel *t, struct netlink_ext_ack *extack);
void sstp_socket_detach(struct sstp_tunnel *t);

/* rx.c */
void sstp_rx_work(struct work_struct *work);

/* tx.c */
int sstp_start_xmit(struct ppp_channel *chan, struct sk_buff *skb);
int sstp_tx_ctrl(struct sstp_tunnel *t, const u8 *pkt, size_t len, gfp_t gfp);
void sstp_tx_work(struct work_struct *work);
void sstp_tx_flush_final(struct sstp_tunnel *t);

/* keepalive.c */
void sstp_keepalive_work(struct work_struct *work);
void sstp_keepalive_update(struct sstp_tunnel *t);

/* ppp.c */
int sstp_ppp_register(struct sstp_tunnel *t, unsigned int mtu);

#endif /* _SSTP_TUNNEL_H */
