/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ctl-msg.h - sstp-helper's end of the control socket to sstp-pppd.so
 * (plugin-ctl.h has the messages): read and decode one, answer one. Both
 * the server's sessions and the client use it.
 */
#ifndef SSTP_CTL_MSG_H
#define SSTP_CTL_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ppp/plugin-ctl.h"

enum sstp_ctl_kind {
	SSTP_CTL_OTHER,		/* unknown or malformed: ignored */
	SSTP_CTL_SECRET_REQ,	/* server end: @user's password, please */
	SSTP_CTL_PASSWORD_REQ,	/* client end: our password, please */
	SSTP_CTL_ADDRESS_REQ,	/* server end: addresses for @user, please */
	SSTP_CTL_GIVEN_MSG,	/* server end: @user got @remote elsewhere */
	SSTP_CTL_AUTH_UP,	/* @user authenticated with @method */
	SSTP_CTL_AUTH_REFUSED,	/* @user refused (@method) */
	SSTP_CTL_KEYS_UP,	/* the MPPE keys, or @keys_none */
	SSTP_CTL_IP_UP_MSG,	/* @ifname up, @local and @remote */
	SSTP_CTL_IP_DOWN_MSG,
	SSTP_CTL_DIAL_REQ,	/* client end: connect, and name the channel */
	SSTP_CTL_HANGUP_MSG,	/* client end: pppd let the link go */
};

/* A message from the plugin, decoded. */
struct sstp_ctl_msg {
	enum sstp_ctl_kind kind;
	char user[256];
	char method[16];
	uint8_t send_key[16], recv_key[16];
	bool keys_none;
	char ifname[32];
	char local[64], remote[64];
};

/*
 * Read one message from @fd (non-blocking). Returns 1 when one was read
 * (@m holds it; wipe it if it held keys), 0 when none is waiting, -1 when
 * the plugin's end is closed (pppd exiting).
 */
int sstp_ctl_read(int fd, struct sstp_ctl_msg *m);

/* Answer a request: "VERB <hex of value>", or "VERB" when @value is NULL. */
int sstp_ctl_reply(int fd, const char *verb, const char *value);

#endif /* SSTP_CTL_MSG_H */
