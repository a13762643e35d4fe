/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pppd.h - one pppd per session, on the session's sstp.ko channel, with
 * sstp-pppd.so talking back over a socketpair (plugin-ctl.h).
 */
#ifndef SSTP_PPPD_H
#define SSTP_PPPD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "plugin-ctl.h"

struct session;

enum sstp_pppd_msg_kind {
	SSTP_PPPD_OTHER,
	SSTP_PPPD_AUTH,
	SSTP_PPPD_AUTH_FAILED,
	SSTP_PPPD_KEYS,
	SSTP_PPPD_IP_UP,
	SSTP_PPPD_IP_DOWN,
};

/* A notification from the plugin, decoded. */
struct sstp_pppd_msg {
	enum sstp_pppd_msg_kind kind;
	char user[256];
	char method[16];
	uint8_t send_key[16], recv_key[16];
	bool keys_none;
	char ifname[32];
	char local[64], remote[64];
};

/* Start pppd for @s (its channel and addresses); 0 or -1 with @err. */
int sstp_pppd_start(struct session *s, char *err, size_t errlen);

/*
 * Read one message from @s's pppd. Requests (a user's secret) are answered
 * here; notifications are decoded into @m. Returns 1 when a message was
 * read, 0 when none is waiting, -1 when the plugin is gone.
 */
int sstp_pppd_read(struct session *s, struct sstp_pppd_msg *m);

#endif /* SSTP_PPPD_H */
