// SPDX-License-Identifier: GPL-2.0
/*
 * Keepalive, as [MS-SSTP] 3.1.2.2 describes the hello timer: after
 * hello_interval seconds with nothing received, send an Echo Request; when
 * nothing at all has arrived for keepalive_timeout seconds, the tunnel goes
 * down. Anything received counts as life (some servers never answer our
 * echoes but send their own), so the receive path only stamps last_rx and
 * this work, woken at the next deadline, decides.
 *
 *   idle < hello_interval                 nothing to do
 *   idle >= hello_interval, no echo out   send Echo Request, mark it out
 *   idle >= keepalive_timeout             down: SSTP_DOWN_KEEPALIVE_TIMEOUT
 *   anything received                     echo no longer out
 */

#include <linux/jiffies.h>

#include "tunnel.h"

static void sstp_keepalive_echo(struct sstp_tunnel *t)
{
	u8 echo[SSTP_CTRL_HDR_LEN];

	if (test_and_set_bit(SSTP_F_ECHO_PENDING, &t->flags))
		return;
	sstp_ctrl_encode_empty(SSTP_MSG_ECHO_REQUEST, echo, sizeof(echo));
	if (!sstp_tx_ctrl(t, echo, sizeof(echo), SSTP_TX_SSTP_CTRL))
		sstp_stat_inc(t, SSTP_STATS_A_ECHO_SENT);
}

void sstp_keepalive_work(struct work_struct *work)
{
	struct sstp_tunnel *t = container_of(to_delayed_work(work),
					     struct sstp_tunnel, hello_work);
	unsigned long hello = READ_ONCE(t->hello_interval) * HZ;
	unsigned long timeout = READ_ONCE(t->keepalive_timeout) * HZ;
	unsigned long last = READ_ONCE(t->last_rx);
	unsigned long idle = jiffies - last;
	unsigned long next = ULONG_MAX;

	if (sstp_tunnel_dead(t) || (!hello && !timeout))
		return;

	if (timeout && idle >= timeout) {
		sstp_tunnel_down(t, SSTP_DOWN_KEEPALIVE_TIMEOUT, 0);
		return;
	}
	if (hello && idle >= hello)
		sstp_keepalive_echo(t);

	/* Sleep until the next deadline, or a hello interval to re-check. */
	if (timeout)
		next = timeout - idle;
	if (hello)
		next = min(next, idle < hello ? hello - idle : hello);
	queue_delayed_work(sstp_wq, &t->hello_work, next);
}

/* The timer settings changed (or were just set): re-evaluate now. */
void sstp_keepalive_update(struct sstp_tunnel *t)
{
	if (!sstp_tunnel_dead(t))
		mod_delayed_work(sstp_wq, &t->hello_work, 0);
}
