// SPDX-License-Identifier: GPL-2.0
/*
 * sstp: Secure Socket Tunneling Protocol data path.
 *
 * Module init and exit, and the per-netns state. Exit takes every tunnel
 * down while the netlink family still exists, so owners get their
 * TUNNEL_DOWN (reason SSTP_DOWN_MODULE_UNLOAD), then unregisters.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/netlink.h>
#include <linux/notifier.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "netlink.h"
#include "tunnel.h"

unsigned int sstp_net_id __read_mostly;
struct workqueue_struct *sstp_wq __read_mostly;
struct workqueue_struct *sstp_busy_wq __read_mostly;
struct kmem_cache *sstp_rx_buf_cache __read_mostly;
bool sstp_unloading;

static int __net_init sstp_net_init(struct net *net)
{
	struct sstp_net *sn = sstp_pernet(net);

	mutex_init(&sn->lock);
	idr_init(&sn->tunnels);
	return 0;
}

/*
 * A netns goes away only once its tunnels are gone (each PPP channel and
 * socket holds a reference on it), so this normally finds none.
 */
static void __net_exit sstp_net_exit(struct net *net)
{
	struct sstp_net *sn = sstp_pernet(net);

	sstp_tunnels_down_all(net, SSTP_DOWN_NETNS_EXIT, true);
	WARN_ON_ONCE(!idr_is_empty(&sn->tunnels));
	idr_destroy(&sn->tunnels);
}

static struct pernet_operations sstp_net_ops = {
	.init	= sstp_net_init,
	.exit	= sstp_net_exit,
	.id	= &sstp_net_id,
	.size	= sizeof(struct sstp_net),
};

/* The netlink socket that created a tunnel is gone: so is the tunnel. */
static int sstp_nl_release(struct notifier_block *nb,
			   unsigned long state, void *data)
{
	struct netlink_notify *n = data;

	if (state == NETLINK_URELEASE && n->protocol == NETLINK_GENERIC &&
	    n->portid)
		sstp_tunnels_down_owner(n->net, n->portid);
	return NOTIFY_DONE;
}

static struct notifier_block sstp_nl_notifier = {
	.notifier_call = sstp_nl_release,
};

static void sstp_down_everywhere(void)
{
	struct net *net;

	WRITE_ONCE(sstp_unloading, true);
	down_read(&net_rwsem);
	for_each_net(net)
		sstp_tunnels_down_all(net, SSTP_DOWN_MODULE_UNLOAD, false);
	up_read(&net_rwsem);
	flush_workqueue(sstp_wq);
}

static int __init sstp_init(void)
{
	int err;

	/*
	 * A tunnel takes a read buffer when it has something to read and
	 * gives it back once drained: a cache of its own keeps that to a
	 * freelist operation, not an order-2 page allocation each time.
	 */
	sstp_rx_buf_cache = kmem_cache_create("sstp_rx_buf", SSTP_RX_BUF_SIZE,
					      0, SLAB_ACCOUNT, NULL);
	if (!sstp_rx_buf_cache)
		return -ENOMEM;
	/*
	 * The workers are the tunnels' data path, what softirq is to a NIC:
	 * at the default priority every busy process on the CPU takes an
	 * equal share from them, and a tunnel's throughput falls with the
	 * load of its host (8 tunnels at once moved 0.4 of one tunnel's
	 * bytes, 64 almost nothing, while their own iperf3s polled). High
	 * priority workers run ahead of userspace, as nvme-tcp's do. A run
	 * of rx_work or tx_work is bounded by its budget and then queued
	 * again behind the others, so no tunnel holds a CPU; a reader that
	 * keeps finding records goes on in sstp_busy_wq at normal priority
	 * (rx.c), so a flooding peer cannot starve userspace either.
	 */
	sstp_wq = alloc_workqueue("sstp", WQ_HIGHPRI, 0);
	if (!sstp_wq) {
		err = -ENOMEM;
		goto err_cache;
	}
	sstp_busy_wq = alloc_workqueue("sstp_busy", 0, 0);
	if (!sstp_busy_wq) {
		err = -ENOMEM;
		goto err_wq;
	}
	err = register_pernet_device(&sstp_net_ops);
	if (err)
		goto err_busy_wq;
	err = netlink_register_notifier(&sstp_nl_notifier);
	if (err)
		goto err_pernet;
	err = sstp_nl_init();
	if (err) {
		pr_err("cannot register generic netlink family: %d\n", err);
		goto err_notifier;
	}
	return 0;

err_notifier:
	netlink_unregister_notifier(&sstp_nl_notifier);
err_pernet:
	unregister_pernet_device(&sstp_net_ops);
err_busy_wq:
	destroy_workqueue(sstp_busy_wq);
err_wq:
	destroy_workqueue(sstp_wq);
err_cache:
	kmem_cache_destroy(sstp_rx_buf_cache);
	return err;
}

static void __exit sstp_exit(void)
{
	sstp_down_everywhere();
	sstp_nl_exit();
	netlink_unregister_notifier(&sstp_nl_notifier);
	unregister_pernet_device(&sstp_net_ops);
	destroy_workqueue(sstp_busy_wq);
	destroy_workqueue(sstp_wq);
	/* Every tunnel is gone, its buffer with it. */
	kmem_cache_destroy(sstp_rx_buf_cache);
}

module_init(sstp_init);
module_exit(sstp_exit);

MODULE_DESCRIPTION("SSTP (Secure Socket Tunneling Protocol) PPP channel over kTLS");
MODULE_LICENSE("GPL");
MODULE_ALIAS_GENL_FAMILY(SSTP_GENL_NAME);
