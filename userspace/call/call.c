// SPDX-License-Identifier: GPL-2.0-or-later
/* call.c - what both roles do alike in an SSTP call (see call.h). */

#include <errno.h>
#include <fcntl.h>
#include <pty.h>
#include <stdarg.h>
#include <stdlib.h>
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
	c->uc_fd = c->pty_master = c->pty_slave = -1;
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

/* Watch @fd for what the carrier waits for. */
static void user_watch(struct sstp_call *c, int op, int fd, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data = c->uc_data };

	epoll_ctl(c->epfd, op, fd, &ev);
}

int sstp_call_open_user(struct sstp_call *c, int *fd, SSL **ssl,
			const struct sstp_link_conf *link,
			const uint8_t *prefix, size_t prefix_len, uint32_t id,
			sstp_event_fn on_event, void *arg, epoll_data_t data,
			char *err, size_t errlen)
{
	c->uc = calloc(1, sizeof(*c->uc));
	if (!c->uc || openpty(&c->pty_master, &c->pty_slave, c->pty_name,
			      NULL, NULL)) {
		snprintf(err, errlen, "cannot make a pty for pppd: %s",
			 strerror(errno));
		sstp_call_close_carrier(c);
		return -1;
	}
	fcntl(c->pty_master, F_SETFD, FD_CLOEXEC);
	fcntl(c->pty_slave, F_SETFD, FD_CLOEXEC);
	fcntl(c->pty_master, F_SETFL, O_NONBLOCK);
	fcntl(*fd, F_SETFL, fcntl(*fd, F_GETFL) | O_NONBLOCK);
	c->uc_fd = *fd;
	c->uc_ssl = *ssl;
	*fd = -1;
	*ssl = NULL;
	c->tunnel_id = id;
	c->uc_data = data;
	sstp_uc_init(c->uc, c->uc_ssl, c->pty_master, c->tunnel_id, on_event, arg);
	/* The same timers as sstp_tunnel_opts_keepalive() gives a tunnel. */
	sstp_uc_set_keepalive(c->uc, link->keepalive_timeout,
			      2 * link->keepalive_timeout);
	if (sstp_uc_prefix(c->uc, prefix, prefix_len)) {
		snprintf(err, errlen, "the server's first bytes are not SSTP");
		sstp_call_close_carrier(c);
		return -1;
	}
	user_watch(c, EPOLL_CTL_ADD, c->uc_fd, sstp_uc_sock_events(c->uc));
	user_watch(c, EPOLL_CTL_ADD, c->pty_master, sstp_uc_pty_events(c->uc));
	return 0;
}

/* What the carrier waits for now, after it moved what it could. */
static void user_rearm(struct sstp_call *c)
{
	if (!c->uc)
		return;
	user_watch(c, EPOLL_CTL_MOD, c->uc_fd, sstp_uc_sock_events(c->uc));
	user_watch(c, EPOLL_CTL_MOD, c->pty_master, sstp_uc_pty_events(c->uc));
}

/* The carrier's run is over: an end asked for meanwhile happens now. */
static bool user_run_end(struct sstp_call *c)
{
	c->uc_busy = false;
	if (c->uc_closing) {
		c->uc_closing = false;
		sstp_call_close_carrier(c);
		return false;
	}
	user_rearm(c);
	return true;
}

void sstp_call_user_io(struct sstp_call *c)
{
	if (!c->uc)
		return;
	c->uc_busy = true;
	sstp_uc_io(c->uc);
	user_run_end(c);
}

long long sstp_call_user_timer(struct sstp_call *c, long long now)
{
	long long next;

	if (!c->uc)
		return 0;
	c->uc_busy = true;
	next = sstp_uc_timer(c->uc, now);
	return user_run_end(c) ? next : 0;
}

void sstp_call_close_carrier(struct sstp_call *c)
{
	if (c->uc && c->uc_busy) {
		/* Ended from one of its events: when it returns. */
		c->uc_closing = true;
		c->tunnel_id = 0;
		return;
	}
	if (!c->uc) {
		if (c->tunnel_id)
			sstp_genl_tunnel_del(c->nl, c->tunnel_id);
		c->tunnel_id = 0;
		return;
	}
	/* What is queued (a Disconnect Ack, say) goes first, if it can. */
	if (c->uc_ssl && !c->uc->down && sstp_uc_io(c->uc))
		SSL_shutdown(c->uc_ssl);
	SSL_free(c->uc_ssl);
	c->uc_ssl = NULL;
	if (c->uc_fd >= 0)
		close(c->uc_fd);
	if (c->pty_master >= 0)
		close(c->pty_master);
	if (c->pty_slave >= 0)
		close(c->pty_slave);
	c->uc_fd = c->pty_master = c->pty_slave = -1;
	free(c->uc);
	c->uc = NULL;
	c->tunnel_id = 0;
}

int sstp_call_send_packet(struct sstp_call *c, const uint8_t *pkt, size_t len)
{
	const char *why = NULL;
	int rc;

	if (c->uc) {
		rc = sstp_uc_send_ctrl(c->uc, pkt, len);
		user_rearm(c);
		if (rc)
			why = strerror(-rc);
	} else if (sstp_genl_ctrl_send(c->nl, c->tunnel_id, pkt, len)) {
		why = c->nl->err;
	}
	if (why)
		sstp_call_log(c, "cannot send %s: %s",
			      sstp_msg_type_name((uint16_t)(pkt[4] << 8 | pkt[5])),
			      why);
	return why ? -1 : 0;
}

int sstp_call_send(struct sstp_call *c, const struct sstp_ctrl *msg)
{
	uint8_t pkt[SSTP_MAX_PACKET];
	int len = sstp_ctrl_encode(msg, pkt, sizeof(pkt));

	if (len < 0) {
		sstp_call_log(c, "cannot send %s: %s", sstp_msg_type_name(msg->type),
			      strerror(-len));
		return -1;
	}
	return sstp_call_send_packet(c, pkt, (size_t)len);
}

int sstp_call_set_connected(struct sstp_call *c)
{
	if (c->uc) {
		sstp_uc_set_connected(c->uc);
		return 0;
	}
	if (sstp_genl_set_connected(c->nl, c->tunnel_id)) {
		sstp_call_log(c, "cannot open the tunnel: %s", c->nl->err);
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
	if (c->uc || c->tunnel_id)
		snprintf(r->datapath, sizeof(r->datapath), "%s",
			 c->uc ? "user" : "kernel");
	if (c->uc)
		sstp_tunnel_info_counters(&c->uc->info, r);
	else if (c->tunnel_id && !sstp_genl_tunnel_get(c->nl, c->tunnel_id, &info))
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
