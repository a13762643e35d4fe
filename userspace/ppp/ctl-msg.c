// SPDX-License-Identifier: GPL-2.0-or-later
/* ctl-msg.c - see ctl-msg.h. */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <openssl/crypto.h>

#include "ppp/ctl-msg.h"
#include "common/hex.h"

/* A user name field: hex, or "-" for none. */
static bool user_field(const char *f, char *out, size_t size)
{
	if (!strcmp(f, "-")) {
		out[0] = '\0';
		return true;
	}
	return sstp_hex_decode(f, (uint8_t *)out, size - 1) >= 0;
}

static void decode(char **f, int nf, struct sstp_ctl_msg *m)
{
	if (!strcmp(f[0], SSTP_CTL_SECRET) && nf == 2) {
		if (user_field(f[1], m->user, sizeof(m->user)))
			m->kind = SSTP_CTL_SECRET_REQ;
	} else if (!strcmp(f[0], SSTP_CTL_ADDRESS) && nf == 2) {
		if (user_field(f[1], m->user, sizeof(m->user)))
			m->kind = SSTP_CTL_ADDRESS_REQ;
	} else if (!strcmp(f[0], SSTP_CTL_GIVEN) && nf == 3) {
		if (user_field(f[1], m->user, sizeof(m->user))) {
			m->kind = SSTP_CTL_GIVEN_MSG;
			snprintf(m->remote, sizeof(m->remote), "%s", f[2]);
		}
	} else if (!strcmp(f[0], SSTP_CTL_PASSWORD) && nf == 1) {
		m->kind = SSTP_CTL_PASSWORD_REQ;
	} else if ((!strcmp(f[0], SSTP_CTL_AUTH) ||
		    !strcmp(f[0], SSTP_CTL_AUTH_FAILED)) && nf == 3) {
		if (user_field(f[1], m->user, sizeof(m->user))) {
			m->kind = strcmp(f[0], SSTP_CTL_AUTH) ?
				  SSTP_CTL_AUTH_REFUSED : SSTP_CTL_AUTH_UP;
			snprintf(m->method, sizeof(m->method), "%s", f[2]);
		}
	} else if (!strcmp(f[0], SSTP_CTL_KEYS) && nf == 3) {
		m->kind = SSTP_CTL_KEYS_UP;
		m->keys_none = !strcmp(f[1], "-");
		if (!m->keys_none &&
		    (sstp_hex_decode(f[1], m->send_key, sizeof(m->send_key)) != 16 ||
		     sstp_hex_decode(f[2], m->recv_key, sizeof(m->recv_key)) != 16))
			m->keys_none = true;
	} else if (!strcmp(f[0], SSTP_CTL_IP_UP) && nf == 4) {
		m->kind = SSTP_CTL_IP_UP_MSG;
		snprintf(m->ifname, sizeof(m->ifname), "%s", f[1]);
		snprintf(m->local, sizeof(m->local), "%s", f[2]);
		snprintf(m->remote, sizeof(m->remote), "%s", f[3]);
	} else if (!strcmp(f[0], SSTP_CTL_IP_DOWN) && nf == 2) {
		m->kind = SSTP_CTL_IP_DOWN_MSG;
		snprintf(m->ifname, sizeof(m->ifname), "%s", f[1]);
	} else if (!strcmp(f[0], SSTP_CTL_DIAL) && nf == 1) {
		m->kind = SSTP_CTL_DIAL_REQ;
	} else if (!strcmp(f[0], SSTP_CTL_HANGUP) && nf == 1) {
		m->kind = SSTP_CTL_HANGUP_MSG;
	}
}

int sstp_ctl_read(int fd, struct sstp_ctl_msg *m)
{
	char buf[SSTP_CTL_MAX_MSG + 1], *f[5] = { NULL }, *save = NULL, *t;
	ssize_t n;
	int nf = 0;

	memset(m, 0, sizeof(*m));
	n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	if (n == 0)
		return -1;
	buf[n] = '\0';
	for (t = strtok_r(buf, " ", &save); t && nf < 5; t = strtok_r(NULL, " ", &save))
		f[nf++] = t;
	if (nf)
		decode(f, nf, m);
	OPENSSL_cleanse(buf, sizeof(buf));
	return 1;
}

int sstp_ctl_reply(int fd, const char *verb, const char *value)
{
	char msg[SSTP_CTL_MAX_MSG];
	int n = sstp_ctl_format(msg, sizeof(msg), verb, value,
				value ? strlen(value) : 0);
	int ret = n < 0 || send(fd, msg, (size_t)n, MSG_NOSIGNAL) < 0 ? -1 : 0;

	OPENSSL_cleanse(msg, sizeof(msg));
	return ret;
}
