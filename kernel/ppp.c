// SPDX-License-Identifier: GPL-2.0
/*
 * The PPP channel: registration and the ioctls pppd sends on a channel fd.
 *
 * pppd attaches the way it does for pptp or pppol2tp: our pppd plugin hands
 * it a /dev/ppp fd attached (PPPIOCATTCHAN) to this channel, and pppd's
 * generic code asks that fd for PPPIOCGCHAN, which ppp_generic forwards to
 * sstp_ppp_ioctl(). The frame transmit path is in tx.c.
 */

#include <linux/ppp-ioctl.h>
#include <linux/ppp_defs.h>
#include <linux/uaccess.h>

#include "compat.h"
#include "tunnel.h"

/*
 * pppd's own async-map and flag settings make no sense on SSTP (no HDLC
 * framing; we always send FF 03 and a 2-byte protocol, as every peer
 * expects), but pppd sends them, so they are accepted and remembered.
 *
 * ppp_generic calls this with its channel's chan_sem held for reading,
 * which keeps the channel registered but does not serialize two ioctls
 * on it (several /dev/ppp fds may be attached to one channel).
 * That they do not run at once today is the doing of ppp_generic's global
 * ppp_mutex, which is its own business, so we do not lean on it: each
 * field is one int with no invariant tying it to another, read and
 * written with READ_ONCE()/WRITE_ONCE().
 */
static int sstp_ppp_ioctl(struct ppp_channel *chan, unsigned int cmd,
			  unsigned long arg)
{
	struct sstp_tunnel *t = chan->private;
	int __user *p = (int __user *)arg;
	u32 xaccm[8] = { 0 };
	int val;

	switch (cmd) {
	case PPPIOCGCHAN:
		return put_user(sstp_ppp_channel_index(chan), p);
	case PPPIOCGFLAGS:
		return put_user(READ_ONCE(t->ppp_flags), p);
	case PPPIOCSFLAGS:
		if (get_user(val, p))
			return -EFAULT;
		WRITE_ONCE(t->ppp_flags, val);
		return 0;
	case PPPIOCGMRU:
		return put_user(READ_ONCE(t->mru), p);
	case PPPIOCSMRU:
		if (get_user(val, p))
			return -EFAULT;
		if (val < SSTP_MIN_MRU || val > SSTP_MAX_PPP_MTU)
			return -EINVAL;
		WRITE_ONCE(t->mru, val);
		return 0;
	case PPPIOCGASYNCMAP:
	case PPPIOCGRASYNCMAP:
		return put_user(0, (u32 __user *)arg);
	case PPPIOCGXASYNCMAP:
		return copy_to_user((void __user *)arg, xaccm, sizeof(xaccm)) ?
			-EFAULT : 0;
	case PPPIOCSASYNCMAP:
	case PPPIOCSRASYNCMAP:
	case PPPIOCSXASYNCMAP:
		return 0;
	}
	return -ENOTTY;
}

static const struct ppp_channel_ops sstp_ppp_ops = {
	.start_xmit	= sstp_start_xmit,
	.ioctl		= sstp_ppp_ioctl,
};

/*
 * Register @t's channel in @t->net. Process context. @mtu (0: the most
 * one SSTP packet carries) is the largest PPP payload we send: ppp_generic
 * cuts multilink fragments to it, so that with an MRRU they fit the link.
 */
int sstp_ppp_register(struct sstp_tunnel *t, unsigned int mtu)
{
	t->mru = PPP_MRU;
	t->chan.private = t;
	t->chan.ops = &sstp_ppp_ops;
	t->chan.mtu = mtu ? mtu : SSTP_MAX_PPP_MTU;
	/* Room for the SSTP header and FF 03 in front of the protocol. */
	t->chan.hdrlen = SSTP_HDR_LEN + 2;
	return sstp_ppp_register_channel(t->net, &t->chan);
}
