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
	/* An Echo Response waits in @txq; further requests share it. */
	SSTP_F_ECHO_RESPONSE_QUEUED,
	/* rx_work stopped reading until the peer reads what it is owed. */
	SSTP_F_RX_PAUSED,
	/* rx_busy_work has the reader: rx_work leaves the socket to it. */
	SSTP_F_RX_BUSY,
};

/*
 * What a queued skb carries, in its control buffer: control packets are
 * counted apart from data, since the peer can make us produce them.
 */
enum sstp_tx_kind {
	SSTP_TX_DATA,		/* a network-layer PPP frame */
	SSTP_TX_PPP_CTRL,	/* a PPP control frame: LCP, auth, NCP */
	SSTP_TX_SSTP_CTRL,	/* an SSTP control packet */
	SSTP_TX_ECHO_RESPONSE,	/* the one SSTP Echo Response */
};

struct sstp_tx_cb {
	u8 kind;		/* enum sstp_tx_kind */
};

static inline struct sstp_tx_cb *sstp_tx_cb(struct sk_buff *skb)
{
	return (struct sstp_tx_cb *)skb->cb;
}

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
 *	ppp_generic calls start_xmit (BH off, under the channel's downl
 *	spinlock, so one at a time) and ioctl (process context, under the
 *	channel's chan_sem held for reading, which does not serialize
 *	ioctls) on it.
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
 * @rx_work: reads the socket, at high priority (sstp_wq); it or
 *	@rx_busy_work, never both (SSTP_F_RX_BUSY says which), touches the
 *	rx_ fields below.
 * @rx_busy_work: reads on for a tunnel that kept rx_work busy past its
 *	budget, at normal priority (sstp_busy_wq), until the socket is
 *	drained; then hands the reader back to rx_work.
 * @rx_stream: SSTP packet reassembly across reads (its buffer holds a
 *	whole packet, 4 KB). Made with @rx_buf; NULL, like it, once the
 *	socket is drained with no packet begun.
 * @rx_ctrl: the control packet being handled, off the stack.
 * @rx_prefix: plaintext userspace read past the HTTP header; parsed first,
 *	freed once parsed.
 * @rx_buf: read buffer of SSTP_RX_BUF_SIZE bytes while there is something
 *	to read, NULL once the socket is drained: an idle tunnel holds none.
 *	Kept while @rx_pending points into it.
 * @rx_pending: bytes read but not yet parsed (in @rx_prefix or @rx_buf):
 *	left there when reading paused.
 * @rx_pending_len: their length.
 * @rx_quota: packets the reader's current run may still handle.
 * @rx_ctrl_events: control packets passed to userspace; the reader only.
 * @last_rx: jiffies of the last received packet (liveness), any context.
 * @txq: framed SSTP packets waiting for @tx_work; its lock guards it.
 *	Data frames are held back past SSTP_TXQ_LEN; control packets and
 *	PPP control frames (counted in @tx_ctrl_len) pause reading at
 *	SSTP_TXQ_CTRL_PAUSE and end the tunnel past SSTP_TXQ_CTRL_MAX.
 * @tx_ctrl_len: control skbs in @txq; producers add, the dequeuer
 *	subtracts.
 * @tx_work: the only sender on @sock; delayed only to retry after a
 *	send that failed for want of memory.
 * @tx_off: bytes of the head of @txq already sent; @tx_work only.
 * @tx_held: the data frame start_xmit last refused, which ppp_generic
 *	holds; compared, never dereferenced. Set by start_xmit (ppp's
 *	channel lock serializes its calls), cleared by tx_work before its
 *	wakeup; READ_ONCE/WRITE_ONCE.
 * @tx_stall_work: ends the tunnel when the peer acknowledges nothing.
 * @tx_stall_timeout: seconds the peer may acknowledge nothing while
 *	something waits to be sent.
 * @tx_stall_una: TCP's snd_una at the last stall check; stall work only.
 * @tx_stall_since: jiffies since which @tx_stall_una has not moved.
 * @hello_work: keepalive timer (keepalive.c).
 * @hello_interval: seconds of silence before an Echo Request, 0 = never.
 * @keepalive_timeout: seconds of silence before going down, 0 = never.
 * @ppp_flags: PPPIOCSFLAGS value, for PPPIOCGFLAGS; ioctl only.
 *	chan_sem does not serialize ioctls: READ_ONCE/WRITE_ONCE (ppp.c).
 * @mru: PPPIOCSMRU value, for PPPIOCGMRU; set before registration, then
 *	ioctl only, like @ppp_flags.
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
	struct work_struct rx_busy_work;
	struct sstp_stream *rx_stream;
	struct sstp_ctrl rx_ctrl;
	u8 *rx_prefix;
	u8 *rx_buf;
	const u8 *rx_pending;
	size_t rx_pending_len;
	unsigned int rx_quota;
	unsigned int rx_ctrl_events;
	unsigned long last_rx;

	struct sk_buff_head txq;
	atomic_t tx_ctrl_len;
	struct delayed_work tx_work;
	unsigned int tx_off;
	const struct sk_buff *tx_held;

	struct delayed_work tx_stall_work;
	unsigned int tx_stall_timeout;
	u32 tx_stall_una;
	unsigned long tx_stall_since;

	struct delayed_work hello_work;
	unsigned int hello_interval;
	unsigned int keepalive_timeout;

	int ppp_flags;
	int mru;

	struct work_struct destroy_work;
	struct sstp_stats stats;
};

/* TLS record content types ([RFC 8446] 5.1); kernels differ in naming. */
#define SSTP_TLS_ALERT		21
#define SSTP_TLS_HANDSHAKE	22
#define SSTP_TLS_DATA		23
/* TLS alert description: the connection closes cleanly. */
#define SSTP_TLS_CLOSE_NOTIFY	0

/* Read buffer: a full TLS record's payload, so one read drains one record. */
#define SSTP_RX_BUF_SIZE	16384
/* Largest PPP payload (after FF 03 and the protocol) in one SSTP packet. */
#define SSTP_MAX_PPP_MTU	(SSTP_MAX_PACKET - SSTP_HDR_LEN - 2 - 2)
/* Smallest MRU pppd may set (pppd's own lower bound). */
#define SSTP_MIN_MRU		128
/* Data frames queued for sending before start_xmit pushes back. */
#define SSTP_TXQ_LEN		64
/*
 * Control packets owed to the peer at which reading pauses, and past which
 * the tunnel goes down. The gap covers what pppd may still answer after
 * the pause: ppp_generic queues up to 32 received control frames for it.
 */
#define SSTP_TXQ_CTRL_PAUSE	16
#define SSTP_TXQ_CTRL_MAX	64
/* Control packets passed to userspace over a tunnel's whole life. */
#define SSTP_MAX_CTRL_EVENTS	16

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
/* The tunnels' workers: high priority, as a NIC's softirq (main.c). */
extern struct workqueue_struct *sstp_wq;
/* Where a reader goes on under sustained load: normal priority. */
extern struct workqueue_struct *sstp_busy_wq;
/* The tunnels' read buffers (SSTP_RX_BUF_SIZE), charged to memory cgroups. */
extern struct kmem_cache *sstp_rx_buf_cache;

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
	unsigned int tx_stall_timeout;
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
void sstp_rx_busy_work(struct work_struct *work);
void sstp_rx_resume(struct sstp_tunnel *t);

/* tx.c */
int sstp_start_xmit(struct ppp_channel *chan, struct sk_buff *skb);
int sstp_tx_ctrl(struct sstp_tunnel *t, const u8 *pkt, size_t len,
		 enum sstp_tx_kind kind);
void sstp_tx_kick(struct sstp_tunnel *t);
void sstp_tx_work(struct work_struct *work);
void sstp_tx_stall_work(struct work_struct *work);
void sstp_tx_flush_final(struct sstp_tunnel *t);
void sstp_tx_purge(struct sstp_tunnel *t);

/* keepalive.c */
void sstp_keepalive_work(struct work_struct *work);
void sstp_keepalive_update(struct sstp_tunnel *t);

/* ppp.c */
int sstp_ppp_register(struct sstp_tunnel *t, unsigned int mtu);

#endif /* _SSTP_TUNNEL_H */
