// SPDX-License-Identifier: GPL-2.0-or-later
/* call.c - what both roles do alike in an SSTP call (see call.h). */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "call/call.h"
#include "common/clock.h"
#include "common/log.h"

void sstp_call_init(struct sstp_call *c, struct sstp_genl *nl, int epfd)
{
	memset(c, 0, sizeof(*c));
	c->nl = nl;
	c->epfd = epfd;
	c->ctl = -1;
	c->started_ms = sstp_now_ms();
}

void sstp_call_log(const struct sstp_call *c, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->name[0])
		sstp_log("%s: %s", c->name, msg);
	else
		sstp_log("%s", msg);
}

void sstp_call_note_tls(struct sstp_call *c, const SSL *ssl)
{
	snprintf(c->tls_version, sizeof(c->tls_version), "%s",
		 SSL_get_version(ssl));
	snprintf(c->tls_cipher, sizeof(c->tls_cipher), "%s",
		 SSL_get_cipher_name(ssl));
}

int sstp_call_open_tunnel(struct sstp_call *c, struct sstp_genl *owner,
			  int *fd, SSL **ssl, uint8_t role, uint8_t transport,
			  const struct sstp_link_conf *link,
			  const uint8_t *prefix, size_t prefix_len)
{
	struct sstp_tunnel_opts o = {
		.fd = *fd,
		.role = role,
		.mtu = (uint32_t)link->max_mtu,
		.rx_prefix = prefix,
		.rx_prefix_len = prefix_len,
		.transport = transport,
	};

	sstp_tunnel_opts_keepalive(&o, link->keepalive_timeout);
	if (sstp_genl_tunnel_new(owner, &o, &c->tunnel_id, &c->channel))
		return -1;
	/* sstp.ko holds the socket now; our fd and the SSL object go. */
	close(*fd);
	*fd = -1;
	SSL_free(*ssl);
	*ssl = NULL;
	return 0;
}

int sstp_call_send(struct sstp_call *c, const struct sstp_ctrl *msg)
{
	uint8_t pkt[SSTP_MAX_PACKET];
	int len = sstp_ctrl_encode(msg, pkt, sizeof(pkt));

	if (len < 0 || sstp_genl_ctrl_send(c->nl, c->tunnel_id, pkt, (size_t)len)) {
		sstp_call_log(c, "cannot send %s: %s", sstp_msg_type_name(msg->type),
			      len < 0 ? strerror(-len) : c->nl->err);
		return -1;
	}
	return 0;
}

int sstp_call_send_status(struct sstp_call *c, uint16_t type, uint32_t status)
{
	struct sstp_ctrl msg;

	sstp_ctrl_init(&msg, type);
	if (status != SSTP_STATUS_NO_ERROR || type == SSTP_MSG_CALL_DISCONNECT)
		sstp_ctrl_add_status(&msg, SSTP_ATTR_NO_ERROR, status, NULL, 0);
	return sstp_call_send(c, &msg);
}

long long sstp_call_disconnect(struct sstp_call *c)
{
	sstp_call_send_status(c, SSTP_MSG_CALL_DISCONNECT, SSTP_STATUS_NO_ERROR);
	return sstp_now_ms() + SSTP_DISCONNECT_ACK_MS;
}

int sstp_call_start_pppd(struct sstp_call *c,
			 void (*build_args)(struct sstp_argv *b, int ctl_fd,
					    void *arg),
			 void *arg, epoll_data_t data, char *err, size_t errlen)
{
	struct epoll_event ev = { .events = EPOLLIN, .data = data };
	struct sstp_argv b = { .argc = 0 };
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv)) {
		snprintf(err, errlen, "socketpair: %s", strerror(errno));
		return -1;
	}
	build_args(&b, sv[1], arg);
	if (sstp_pppd_spawn(&b, sv, &c->pppd, err, errlen)) {
		close(sv[0]);
		if (sv[1] >= 0)
			close(sv[1]);
		return -1;
	}
	c->ctl = sv[0];
	epoll_ctl(c->epfd, EPOLL_CTL_ADD, c->ctl, &ev);
	return 0;
}

void sstp_call_close_plugin(struct sstp_call *c)
{
	if (c->ctl < 0)
		return;
	epoll_ctl(c->epfd, EPOLL_CTL_DEL, c->ctl, NULL);
	close(c->ctl);
	c->ctl = -1;
}

void sstp_call_plugin_io(struct sstp_call *c,
			 void (*on_msg)(void *arg, const struct sstp_ctl_msg *m),
			 void *arg)
{
	struct sstp_ctl_msg m;
	int ret = 0;

	while (c->ctl >= 0 && (ret = sstp_ctl_read(c->ctl, &m)) > 0) {
		on_msg(arg, &m);
		OPENSSL_cleanse(&m, sizeof(m));
	}
	if (ret < 0)
		sstp_call_close_plugin(c);
}

void sstp_call_status(const struct sstp_call *c, long long now,
		      struct sstp_status_rec *r)
{
	struct sstp_tunnel_info info;

	snprintf(r->user, sizeof(r->user), "%s", c->user);
	snprintf(r->ifname, sizeof(r->ifname), "%s", c->ifname);
	snprintf(r->local, sizeof(r->local), "%s", c->local);
	/* The server picks the peer's address before the link is up. */
	if (c->ifname[0])
		snprintf(r->remote, sizeof(r->remote), "%s", c->remote);
	snprintf(r->tls, sizeof(r->tls), "%s", c->tls_version);
	snprintf(r->cipher, sizeof(r->cipher), "%s", c->tls_cipher);
	r->uptime = (uint64_t)(now - c->started_ms) / 1000;
	if (c->tunnel_id && !sstp_genl_tunnel_get(c->nl, c->tunnel_id, &info))
		sstp_tunnel_info_counters(&info, r);
}

enum sstp_auth_method sstp_call_auth_method(const char *method, bool keys_none)
{
	if (!strcmp(method, SSTP_CTL_AUTH_MSCHAP2))
		return keys_none ? SSTP_AUTH_NONE : SSTP_AUTH_MSCHAPV2;
	if (!strcmp(method, SSTP_CTL_AUTH_PAP))
		return SSTP_AUTH_PAP;
	if (!strcmp(method, SSTP_CTL_AUTH_CHAP))
		return SSTP_AUTH_CHAP_MD5;
	if (!strcmp(method, SSTP_CTL_AUTH_MSCHAP))
		return SSTP_AUTH_MSCHAPV1;
	return SSTP_AUTH_NONE;
}
