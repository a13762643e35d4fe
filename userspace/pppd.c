// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pppd.c - starting pppd for a server session and serving its plugin.
 *
 * pppd runs in the foreground of its own process (nodetach), so the server
 * learns of its end from SIGCHLD. Its options come from the configuration:
 * the authentication methods to require, the addresses (the profile's
 * local address, the remote one from the profile or a pool), DNS servers,
 * MTU/MRU, timeouts. Passwords never appear on its command line: the
 * plugin asks for them over the control socket.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "hex.h"
#include "log.h"
#include "pool.h"
#include "pppd.h"
#include "session.h"

#define MAX_ARGS 64

struct argv_builder {
	char *argv[MAX_ARGS + 1];
	char store[4096];
	size_t used;
	int argc;
	bool overflow;
};

static void arg(struct argv_builder *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void arg(struct argv_builder *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->argc >= MAX_ARGS || b->used >= sizeof(b->store)) {
		b->overflow = true;
		return;
	}
	va_start(ap, fmt);
	n = vsnprintf(b->store + b->used, sizeof(b->store) - b->used, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(b->store) - b->used) {
		b->overflow = true;
		return;
	}
	b->argv[b->argc++] = b->store + b->used;
	b->used += n + 1;
}

/* The remote address: the profile's, or a free one of the pool. */
static int pick_remote(struct session *s, const struct sstp_profile *p,
		       char *err, size_t errlen)
{
	struct server *srv = s->srv;
	struct in_addr a;

	if (p && p->remote_address[0] &&
	    inet_pton(AF_INET, p->remote_address, &a) == 1) {
		snprintf(s->remote_addr, sizeof(s->remote_addr), "%s",
			 p->remote_address);
		return 0;
	}
	if (!srv->pool) {
		snprintf(err, errlen, "no remote address: set remote-address in the profile, or a [pool]");
		return -1;
	}
	if (sstp_pool_alloc(srv->pool, &a)) {
		snprintf(err, errlen, "address pool exhausted");
		return -1;
	}
	inet_ntop(AF_INET, &a, s->remote_addr, sizeof(s->remote_addr));
	s->pool_addr = true;
	return 0;
}

static void auth_args(struct argv_builder *b, unsigned int methods)
{
	arg(b, "auth");
	if (methods & SSTP_AUTH_BIT_PAP)
		arg(b, "require-pap");
	if (methods & SSTP_AUTH_BIT_CHAP)
		arg(b, "require-chap");
	if (methods & SSTP_AUTH_BIT_MSCHAP1)
		arg(b, "require-mschap");
	if (methods & SSTP_AUTH_BIT_MSCHAP2)
		arg(b, "require-mschap-v2");
	/* EAP is not offered: its keys would need an EAP server in pppd. */
	arg(b, "refuse-eap");
}

static int build_args(struct session *s, struct argv_builder *b, int ctl_fd,
		      char *err, size_t errlen)
{
	const struct sstp_server_config *c = &s->srv->cfg;
	const struct sstp_profile *p = sstp_server_find_profile(c, c->default_profile);
	const char *local = p && p->local_address[0] ? p->local_address : "";
	int i;

	if (pick_remote(s, p, err, errlen))
		return -1;
	arg(b, "%s", c->pppd);
	arg(b, "plugin");
	arg(b, "%s", s->srv->plugin);
	arg(b, "sstp-channel");
	arg(b, "%u", s->channel);
	arg(b, "sstp-ctl-fd");
	arg(b, "%d", ctl_fd);
	arg(b, "nodetach");
	auth_args(b, c->authentication);
	arg(b, "%s:%s", local, s->remote_addr);
	/* SSTP frames never compress headers; TLS already encrypts. */
	arg(b, "noccp");
	arg(b, "nopcomp");
	arg(b, "noaccomp");
	arg(b, "novj");
	arg(b, "nodefaultroute");
	arg(b, "mtu");
	arg(b, "%lu", c->max_mtu);
	arg(b, "mru");
	arg(b, "%lu", c->max_mru);
	arg(b, "remotenumber");
	arg(b, "%s", s->peer);
	arg(b, "ipparam");
	arg(b, "%s", s->peer);
	for (i = 0; p && i < 2; i++) {
		if (p->dns_server[i][0]) {
			arg(b, "ms-dns");
			arg(b, "%s", p->dns_server[i]);
		}
	}
	if (p && p->idle_timeout) {
		arg(b, "idle");
		arg(b, "%lu", p->idle_timeout);
	}
	if (p && p->session_timeout) {
		arg(b, "maxconnect");
		arg(b, "%lu", p->session_timeout);
	}
	if (b->overflow) {
		snprintf(err, errlen, "pppd command line too long");
		return -1;
	}
	return 0;
}

int sstp_pppd_start(struct session *s, char *err, size_t errlen)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct argv_builder b = { .argc = 0 };
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv)) {
		snprintf(err, errlen, "socketpair: %s", strerror(errno));
		return -1;
	}
	if (build_args(s, &b, sv[1], err, errlen)) {
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	if (pid == 0) {
		/* The plugin's end survives exec; everything else of ours not. */
		fcntl(sv[1], F_SETFD, 0);
		execvp(b.argv[0], b.argv);
		fprintf(stderr, "sstp-helper: cannot run %s: %s\n", b.argv[0],
			strerror(errno));
		_exit(127);
	}
	close(sv[1]);
	s->pppd = pid;
	s->ctl = sv[0];
	fcntl(s->ctl, F_SETFL, O_NONBLOCK);
	s->ep_ctl = (struct ep_item){ EP_CTL, s, s->ctl };
	ev.data.ptr = &s->ep_ctl;
	epoll_ctl(s->srv->epfd, EPOLL_CTL_ADD, s->ctl, &ev);
	sstp_debug("#%u: pppd %d on channel %u, remote address %s", s->serial,
		   pid, s->channel, s->remote_addr);
	return 0;
}

static void send_reply(struct session *s, const char *verb, const char *value)
{
	char msg[SSTP_CTL_MAX_MSG];
	int n = sstp_ctl_format(msg, sizeof(msg), verb, value,
				value ? strlen(value) : 0);

	if (n < 0 || send(s->ctl, msg, n, MSG_NOSIGNAL) < 0)
		sstp_debug("#%u: plugin reply failed", s->serial);
	OPENSSL_cleanse(msg, sizeof(msg));
}

/* "secret <user>": the server end verifies a user. */
static void answer_secret(struct session *s, const char *user_hex)
{
	char user[256] = "";
	const struct sstp_user *u;
	int n = sstp_hex_decode(user_hex, (uint8_t *)user, sizeof(user) - 1);

	u = n >= 0 ? sstp_server_find_user(&s->srv->cfg, user) : NULL;
	if (!u) {
		sstp_log("#%u %s: unknown user '%s'", s->serial, s->peer,
			 n >= 0 ? user : "?");
		send_reply(s, SSTP_CTL_NO_SECRET, NULL);
		return;
	}
	send_reply(s, SSTP_CTL_SECRET, u->password);
}

int sstp_pppd_read(struct session *s, struct sstp_pppd_msg *m)
{
	char buf[SSTP_CTL_MAX_MSG + 1], *f[5] = { NULL }, *save = NULL;
	ssize_t n;
	int nf = 0;

	memset(m, 0, sizeof(*m));
	n = recv(s->ctl, buf, sizeof(buf) - 1, MSG_DONTWAIT);
	if (n < 0)
		return errno == EAGAIN ? 0 : -1;
	if (n == 0)
		return -1;
	buf[n] = '\0';
	for (char *t = strtok_r(buf, " ", &save); t && nf < 5;
	     t = strtok_r(NULL, " ", &save))
		f[nf++] = t;
	if (!nf)
		return 1;
	if (!strcmp(f[0], SSTP_CTL_SECRET) && nf == 2) {
		answer_secret(s, f[1]);
	} else if ((!strcmp(f[0], SSTP_CTL_AUTH) ||
		    !strcmp(f[0], SSTP_CTL_AUTH_FAILED)) && nf == 3) {
		/* "-": the link came up without authentication. */
		if (!strcmp(f[1], "-") ||
		    sstp_hex_decode(f[1], (uint8_t *)m->user, sizeof(m->user) - 1) >= 0) {
			m->kind = strcmp(f[0], SSTP_CTL_AUTH) ?
				  SSTP_PPPD_AUTH_FAILED : SSTP_PPPD_AUTH;
			snprintf(m->method, sizeof(m->method), "%s", f[2]);
		}
	} else if (!strcmp(f[0], SSTP_CTL_KEYS) && nf == 3) {
		m->kind = SSTP_PPPD_KEYS;
		m->keys_none = !strcmp(f[1], "-");
		if (!m->keys_none &&
		    (sstp_hex_decode(f[1], m->send_key, sizeof(m->send_key)) != 16 ||
		     sstp_hex_decode(f[2], m->recv_key, sizeof(m->recv_key)) != 16))
			m->keys_none = true;
	} else if (!strcmp(f[0], SSTP_CTL_IP_UP) && nf == 4) {
		m->kind = SSTP_PPPD_IP_UP;
		snprintf(m->ifname, sizeof(m->ifname), "%s", f[1]);
		snprintf(m->local, sizeof(m->local), "%s", f[2]);
		snprintf(m->remote, sizeof(m->remote), "%s", f[3]);
	} else if (!strcmp(f[0], SSTP_CTL_IP_DOWN)) {
		m->kind = SSTP_PPPD_IP_DOWN;
	}
	OPENSSL_cleanse(buf, sizeof(buf));
	return 1;
}
