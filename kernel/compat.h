/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel API differences between the releases we build for, in one place.
 * The HAVE_ macros come from Kbuild, which looks at the tree.
 *
 * Every call into ppp_generic goes through the sstp_ppp_ wrappers below.
 * The channel API is stable from 6.1 to 6.12, but upstream is reworking it
 * (ppp_input_error() losing its code argument, registration returning an
 * opaque channel): when that lands, this file is the one to change.
 */
#ifndef _SSTP_COMPAT_H
#define _SSTP_COMPAT_H

#include <linux/ppp_channel.h>

/* 6.12 moved <asm/unaligned.h> to <linux/unaligned.h>. */
#ifdef SSTP_HAVE_LINUX_UNALIGNED_H
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

static inline int sstp_ppp_register_channel(struct net *net,
					    struct ppp_channel *chan)
{
	return ppp_register_net_channel(net, chan);
}

static inline void sstp_ppp_unregister_channel(struct ppp_channel *chan)
{
	ppp_unregister_channel(chan);
}

static inline int sstp_ppp_channel_index(struct ppp_channel *chan)
{
	return ppp_channel_index(chan);
}

static inline int sstp_ppp_unit_number(struct ppp_channel *chan)
{
	return ppp_unit_number(chan);
}

static inline void sstp_ppp_input(struct ppp_channel *chan,
				  struct sk_buff *skb)
{
	ppp_input(chan, skb);
}

static inline void sstp_ppp_output_wakeup(struct ppp_channel *chan)
{
	ppp_output_wakeup(chan);
}

#endif /* _SSTP_COMPAT_H */
