// SPDX-License-Identifier: GPL-2.0
/*
 * Tunnel lifetime: creation, the per-netns table, and teardown in one place.
 *
 * Teardown order (sstp_tunnel_destroy), each step relying on the one before:
 *  1. SSTP_F_DEAD is set (sstp_tunnel_down): start_xmit drops, workers stop
 *     requeueing themselves, handlers refuse the tunnel.
 *  2. The id leaves the netns table, under its lock: no handler can find
 *     the tunnel any more, and none that found it is still running.
 *  3. Our socket callbacks are removed under sk_callback_lock: nothing can
 *     queue rx or tx work from the socket any more.
 *  4. rx (both readers), keepalive and tx work are cancelled: nobody
 *     calls ppp_input() or ppp_output_wakeup() (which must not race with
 *     unregistering).
 *  5. The PPP channel is unregistered: ppp_generic guarantees no start_xmit
 *     or ioctl runs or will run; pppd reads EOF on its channel fd.
 *  6. tx work is cancelled again (a start_xmit before step 5 may have
 *     queued it), then the stall watchdog, which tx work arms; what is
 *     queued (a Call Disconnect Ack, say) gets a bounded time to go out,
 *     then a TLS close_notify; the rest is dropped.
 *  7. The connection is shut down and our file reference dropped: the
 *     socket is closed once userspace has closed its fd too.
 *  8. TUNNEL_DOWN goes to the owner and the monitors; the tunnel is freed.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/file.h>
#include <linux/net.h>
#include <linux/slab.h>
#include <net/netns/generic.h>

#include "compat.h"
#include "netlink.h"
#include "tunnel.h"

static void sstp_tunnel_destroy(struct work_struct *work);

struct sstp_tunnel *sstp_tunnel_lookup(struct sstp_net *sn, u32 id)
{
	lockdep_assert_held(&sn->lock);
	return idr_find(&sn->tunnels, id);
}

static struct sstp_tunnel *sstp_tunnel_alloc(const struct sstp_tunnel_config *cfg)
{
	struct sstp_tunnel *t;

	/* Charged to the memory cgroup of the process that asked. */
	t = kzalloc(sizeof(*t), GFP_KERNEL_ACCOUNT);
	if (!t)
		return NULL;
	if (cfg->rx_prefix_len) {
		t->rx_prefix = kmemdup(cfg->rx_prefix, cfg->rx_prefix_len,
				       GFP_KERNEL_ACCOUNT);
		if (!t->rx_prefix) {
			kfree(t);
			return NULL;
		}
	}
	t->rx_pending = t->rx_prefix;
	t->rx_pending_len = cfg->rx_prefix_len;
	t->role = cfg->role;
	t->transport = cfg->transport;
	t->hello_interval = cfg->hello_interval;
	t->keepalive_timeout = cfg->keepalive_timeout;
	t->tx_stall_timeout = cfg->tx_stall_timeout;
	t->last_rx = jiffies;
	t->tx_stall_since = jiffies;
	skb_queue_head_init(&t->txq);
	INIT_WORK(&t->rx_work, sstp_rx_work);
	INIT_WORK(&t->rx_busy_work, sstp_rx_busy_work);
	INIT_DELAYED_WORK(&t->tx_work, sstp_tx_work);
	INIT_DELAYED_WORK(&t->tx_stall_work, sstp_tx_stall_work);
	INIT_WORK(&t->destroy_work, sstp_tunnel_destroy);
	INIT_DELAYED_WORK(&t->hello_work, sstp_keepalive_work);
	return t;
}

static void sstp_tunnel_free(struct sstp_tunnel *t)
{
	kfree(t->rx_prefix);
	if (t->rx_buf)
		kmem_cache_free(sstp_rx_buf_cache, t->rx_buf);
	kfree(t->rx_stream);
	kfree(t);
}

/*
 * Take the socket behind @fd, in the calling process, and check that it is
 * one we can carry SSTP on. Keeps the file reference on success.
 */
static struct socket *sstp_tunnel_get_socket(int fd,
					     struct netlink_ext_ack *extack)
{
	struct socket *sock;
	struct sock *sk;
	int err;

	sock = sockfd_lookup(fd, &err);
	if (!sock) {
		NL_SET_ERR_MSG(extack, "fd is not a socket");
		return ERR_PTR(err);
	}
	sk = sock->sk;
	if (sk->sk_protocol != IPPROTO_TCP || sk->sk_type != SOCK_STREAM ||
	    (sk->sk_family != AF_INET && sk->sk_family != AF_INET6)) {
		NL_SET_ERR_MSG(extack, "socket is not a TCP socket");
		sockfd_put(sock);
		return ERR_PTR(-EPROTONOSUPPORT);
	}
	return sock;
}

/**
 * sstp_tunnel_create - make a tunnel of a kTLS socket
 * @net: netns of the request; the tunnel and its PPP channel live there
 * @portid: netlink port of the requester, the tunnel's owner
 * @cfg: what the request asked for
 * @id: set to the new tunnel's id
 * @chan_index: set to its PPP channel's index
 * @extack: for the reason of a refusal
 *
 * @id and @chan_index are read while the tunnel cannot go away yet: once
 * this returns, the peer may already have taken it down.
 *
 * Return: 0 or a negative errno.
 */
int sstp_tunnel_create(struct net *net, u32 portid,
		       const struct sstp_tunnel_config *cfg, u32 *id,
		       int *chan_index, struct netlink_ext_ack *extack)
{
	struct sstp_net *sn = sstp_pernet(net);
	struct sstp_tunnel *t;
	struct socket *sock;
	int err;

	sock = sstp_tunnel_get_socket(cfg->fd, extack);
	if (IS_ERR(sock))
		return PTR_ERR(sock);

	t = sstp_tunnel_alloc(cfg);
	if (!t) {
		sockfd_put(sock);
		return -ENOMEM;
	}
	t->sock = sock;
	t->net = net;
	t->owner_portid = portid;

	err = sstp_ppp_register(t, cfg->mtu);
	if (err) {
		NL_SET_ERR_MSG(extack, "cannot register the PPP channel");
		goto err_free;
	}

	mutex_lock(&sn->lock);
	/* Checked under the lock that module exit takes to down them all. */
	if (sstp_unloading) {
		mutex_unlock(&sn->lock);
		err = -ESHUTDOWN;
		goto err_unregister;
	}
	err = idr_alloc_cyclic(&sn->tunnels, t, 1, INT_MAX, GFP_KERNEL);
	if (err < 0) {
		mutex_unlock(&sn->lock);
		goto err_unregister;
	}
	t->id = err;

	/* Last: from here on the socket's callbacks reach the tunnel. */
	err = sstp_socket_attach(t, extack);
	if (err) {
		idr_remove(&sn->tunnels, t->id);
		mutex_unlock(&sn->lock);
		goto err_unregister;
	}
	sstp_keepalive_update(t);
	*id = t->id;
	*chan_index = sstp_ppp_channel_index(&t->chan);
	mutex_unlock(&sn->lock);
	return 0;

err_unregister:
	sstp_ppp_unregister_channel(&t->chan);
err_free:
	sockfd_put(sock);
	sstp_tunnel_free(t);
	return err;
}

/**
 * sstp_tunnel_down - start taking a tunnel down
 * @t: the tunnel
 * @reason: enum sstp_down_reason, reported in the TUNNEL_DOWN event
 * @detail: errno or TLS alert that goes with @reason
 *
 * Any context. Only the first call counts; the tunnel is freed later, from
 * the workqueue.
 */
void sstp_tunnel_down(struct sstp_tunnel *t, u32 reason, u32 detail)
{
	if (test_and_set_bit(SSTP_F_DEAD, &t->flags))
		return;
	t->down_reason = reason;
	t->down_detail = detail;
	queue_work(sstp_wq, &t->destroy_work);
}

static void sstp_tunnel_destroy(struct work_struct *work)
{
	struct sstp_tunnel *t = container_of(work, struct sstp_tunnel,
					     destroy_work);
	struct sstp_net *sn = sstp_pernet(t->net);

	mutex_lock(&sn->lock);
	idr_remove(&sn->tunnels, t->id);
	mutex_unlock(&sn->lock);

	sstp_socket_detach(t);
	/* Each of the two readers may queue the other once more. */
	cancel_work_sync(&t->rx_work);
	cancel_work_sync(&t->rx_busy_work);
	cancel_work_sync(&t->rx_work);
	cancel_delayed_work_sync(&t->hello_work);
	cancel_delayed_work_sync(&t->tx_work);

	sstp_ppp_unregister_channel(&t->chan);

	cancel_delayed_work_sync(&t->tx_work);
	/* Last: a tx_work that ran until just now may have armed it. */
	cancel_delayed_work_sync(&t->tx_stall_work);
	sstp_tx_flush_final(t);
	sstp_tx_purge(t);

	kernel_sock_shutdown(t->sock, SHUT_RDWR);
	sockfd_put(t->sock);

	sstp_nl_notify_down(t);
	pr_debug("tunnel %u down, reason %u detail %u\n", t->id,
		 t->down_reason, t->down_detail);
	sstp_tunnel_free(t);
}

/*
 * Take down every tunnel of @net; with @wait, return only once they are
 * freed. Used when the netns or the module goes away.
 */
void sstp_tunnels_down_all(struct net *net, u32 reason, bool wait)
{
	struct sstp_net *sn = sstp_pernet(net);
	struct sstp_tunnel *t;
	int id;

	mutex_lock(&sn->lock);
	idr_for_each_entry(&sn->tunnels, t, id)
		sstp_tunnel_down(t, reason, 0);
	mutex_unlock(&sn->lock);
	if (wait)
		flush_workqueue(sstp_wq);
}

/* The netlink socket @portid of @net was closed: its tunnels go down. */
void sstp_tunnels_down_owner(struct net *net, u32 portid)
{
	struct sstp_net *sn = sstp_pernet(net);
	struct sstp_tunnel *t;
	int id;

	mutex_lock(&sn->lock);
	idr_for_each_entry(&sn->tunnels, t, id)
		if (t->owner_portid == portid)
			sstp_tunnel_down(t, SSTP_DOWN_OWNER_GONE, 0);
	mutex_unlock(&sn->lock);
}
