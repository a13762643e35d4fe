/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SSTP_NETLINK_H
#define _SSTP_NETLINK_H

#include <linux/sstp.h>
#include <linux/types.h>

struct sstp_tunnel;

int sstp_nl_init(void);
void sstp_nl_exit(void);
void sstp_nl_notify_ctrl(struct sstp_tunnel *t, const u8 *pkt, size_t len);
void sstp_nl_notify_down(struct sstp_tunnel *t);

#endif /* _SSTP_NETLINK_H */
