/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sstp-pppd.h - what the files of sstp-pppd.so share.
 *
 *   sstp-pppd.c  the PPP channel on sstp.ko and the plugin's options
 *   ctl.c        the control socket to sstp-helper (../plugin-ctl.h)
 *   auth.c       pppd's auth hooks and notifiers, answered over ctl.c
 */
#ifndef SSTP_PPPD_H
#define SSTP_PPPD_H

#include <stddef.h>

#include "ppp/plugin-ctl.h"

/* ctl.c */

/* The "sstp-ctl-fd" option: 1 if ARG names a usable socket, else 0. */
int sstp_ctl_attach(const char *arg);
/* The "sstp-ctl-timeout" option (seconds): 1 if ARG is one, else 0. */
int sstp_ctl_set_timeout(const char *arg);
/* 1 once sstp-ctl-fd named a usable socket. */
int sstp_ctl_attached(void);
/* Send one message; 0 or -1 (logged). */
int sstp_ctl_send(const char *msg);
/*
 * Send REQUEST and wait for the answer "VERB <hex>"; the decoded bytes go
 * to OUT (SIZE bytes), their count to *LEN. 1 if the helper answered so,
 * 0 for anything else ("no-secret", an error, no answer in time).
 */
int sstp_ctl_ask(const char *request, const char *verb,
		 unsigned char *out, size_t size, size_t *len);
/* The same, waiting up to TIMEOUT_MS instead of sstp-ctl-timeout's. */
int sstp_ctl_ask_within(const char *request, const char *verb,
			unsigned char *out, size_t size, size_t *len,
			long timeout_ms);
/* LEN bytes as lowercase hex into DST ("-" when LEN is 0); DST needs
 * 2 * LEN + 2 bytes. */
char *sstp_hex(char *dst, size_t dst_size, const void *src, size_t len);
/* Overwrite secrets in a way the compiler cannot drop as a dead store. */
void sstp_wipe(void *p, size_t n);

/* sstp-pppd.c: the sstp-ask-address option was given. */
extern int sstp_ask_address;

/* auth.c */

/* Install the hooks and notifiers; called once the ctl socket is known. */
void sstp_auth_init(void);
/* The sstp-ask-address option: the helper chooses the peer's address. */
void sstp_auth_ask_address(void);

#endif /* SSTP_PPPD_H */
