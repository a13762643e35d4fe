// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * session.c - the life of one client of `sstp-helper serve` (states in
 * session.h): TLS handshake, kTLS handoff, HTTP exchange, the tunnel in
 * sstp.ko, the SSTP call and its crypto binding, teardown.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/rand.h>

#include "call/http.h"
#include "transport/ktls.h"
#include "common/log.h"
#include "server/pool.h"
#include "ppp/ctl-msg.h"
#include "ppp/pppd.h"
#include "transport/proxy.h"
#include "server/ratelimit.h"
#include "server/session.h"
#include "sstp/wire.h"

/* [MS-SSTP] disconnect timer: how long to wait for a Disconnect Ack. */
#define DISCONNECT_ACK_MS	5000

#define slog(s, fmt, ...) sstp_log("#%u %s: " fmt, (s)->serial, (s)->peer, ##__VA_ARGS__)

static void set_timer(struct session *s, unsigned long seconds)
{
	s->deadline = seconds ? sstp_now_ms() + seconds * 1000LL : 0;
}

static void format_peer(char *buf, size_t size,
			const struct sockaddr_storage *ss)
{
	char host[INET6_ADDRSTRLEN] = "?";
	unsigned int port = 0;

	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *a = (const void *)ss;

		inet_ntop(AF_INET, &a->sin_addr, host, sizeof(host));
		port = ntohs(a->sin_port);
	} else if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const void *)ss;

		inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof(host));
		/* Dual-stack listener: show v4 clients as v4. */
		if (!strncmp(host, "::ffff:", 7) && strchr(host, '.'))
			memmove(host, host + 7, strlen(host + 7) + 1);
		port = ntohs(a->sin6_port);
	}
	snprintf(buf, size, "%s:%u", host, port);
}

static void session_end(struct session *s, const char *why);

/* What follows the PROXY header, or the accept without one. */
static enum session_state after_proxy(const struct session *s)
{
	return s->ssl ? S_TLS : S_HTTP;
}

/* connection-rate-limit: too many connections of the client end here. */
static void check_rate(struct session *s, const struct sockaddr_storage *client)
{
	const struct sstp_server_config *c = &s->srv->cfg;

	if (!s->srv->limit ||
	    sstp_ratelimit_allow(s->srv->limit, client, s->started_ms))
		return;
	slog(s, "refused: more than %lu connections in %lu s from this address",
	     c->rate_count, c->rate_period);
	session_end(s, NULL);
}

struct session *session_new(struct server *srv, int fd,
			    const struct sockaddr_storage *peer)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct session *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->srv = srv;
	s->serial = ++srv->serial;
	s->started_ms = sstp_now_ms();
	s->fd = fd;
	s->ctl = -1;
	format_peer(s->peer, sizeof(s->peer), peer);
	if (srv->tls) {
		s->ssl = SSL_new(srv->tls);
		if (!s->ssl || !SSL_set_fd(s->ssl, fd)) {
			SSL_free(s->ssl);
			free(s);
			return NULL;
		}
	} else {
		/* plain-http: the proxy in front did TLS. */
		snprintf(s->tls_version, sizeof(s->tls_version), "plain");
	}
	s->state = srv->cfg.proxy_protocol ? S_PROXY : after_proxy(s);
	set_timer(s, srv->cfg.handshake_timeout);
	s->ep_fd = (struct ep_item){ EP_SESSION, s, fd };
	ev.data.ptr = &s->ep_fd;
	epoll_ctl(srv->epfd, EPOLL_CTL_ADD, fd, &ev);
	s->next = srv->sessions;
	srv->sessions = s;
	srv->nsessions++;
	sstp_debug("#%u %s: connected", s->serial, s->peer);
	/* Behind a proxy, the limit is the client's: after the header. */
	if (s->state != S_PROXY)
		check_rate(s, peer);
	return s;
}

/* Release what the session holds; the loop frees it once DEAD. */
static void session_end(struct session *s, const char *why)
{
	struct server *srv = s->srv;
	struct in_addr a;

	if (s->state == S_DEAD)
		return;
	/*
	 * DEAD first: nothing the plugin's last words trigger may end the
	 * session again. Those words (a refused user, say) come before the
	 * reason the session ends for, often the peer hanging up because
	 * of them, so they are logged first.
	 */
	s->state = S_DEAD;
	if (s->ctl >= 0)
		session_ctl_io(s);
	if (why)
		slog(s, "session ended: %s", why);
	if (s->tunnel_id)
		sstp_genl_tunnel_del(&srv->nl_req, s->tunnel_id);
	s->tunnel_id = 0;
	if (s->ctl >= 0) {
		epoll_ctl(srv->epfd, EPOLL_CTL_DEL, s->ctl, NULL);
		close(s->ctl);
		s->ctl = -1;
	}
	if (s->fd >= 0) {
		epoll_ctl(srv->epfd, EPOLL_CTL_DEL, s->fd, NULL);
		close(s->fd);
		s->fd = -1;
	}
	SSL_free(s->ssl);
	s->ssl = NULL;
	if (s->pool && inet_pton(AF_INET, s->remote_addr, &a) == 1)
		sstp_pool_release(s->pool, a);
	s->pool = NULL;
	OPENSSL_cleanse(s->send_key, sizeof(s->send_key));
	OPENSSL_cleanse(s->recv_key, sizeof(s->recv_key));
	/*
	 * With the tunnel gone, pppd reads a hangup on its channel and ends
	 * by itself, running its ip-down scripts: a signal now would cut
	 * those short. It gets one only if it lingers (session_timeout()).
	 */
	s->pppd_signal = SIGTERM;
	s->deadline = s->pppd > 0 ? sstp_now_ms() + SSTP_PPPD_HANGUP_MS : 0;
}

void session_free(struct session *s)
{
	session_end(s, NULL);
	/* The server is exiting: no time left for pppd to go by itself. */
	if (s->pppd > 0)
		kill(s->pppd, SIGTERM);
	free(s);
}

/* ---- PROXY, TLS and HTTP ------------------------------------------------ */

/*
 * The PROXY header, without reading a byte past it: OpenSSL must start on
 * the first TLS byte. Peek at what has come, parse it after what is
 * already taken; a complete header is taken to its last byte, an
 * incomplete one (the parser vouches that every byte so far is header) is
 * taken whole, so epoll does not report the same bytes again.
 */
_Static_assert(sizeof(((struct session *)0)->http) >= SSTP_PROXY_V2_MAX,
	       "a PROXY header must fit the session's buffer");

static void session_proxy(struct session *s)
{
	struct sstp_proxy_info info = { .error = NULL };
	char via[sizeof(s->peer)];
	size_t room = SSTP_PROXY_V2_MAX - s->http_len;
	ssize_t n;
	int hdr;

	n = recv(s->fd, s->http + s->http_len, room, MSG_PEEK | MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		session_end(s, "closed before the PROXY header");
		return;
	}
	hdr = sstp_proxy_parse(s->http, s->http_len + n, &info);
	if (hdr < 0) {
		slog(s, "no valid PROXY header (%s)", info.error ? info.error :
		     hdr == -EPROTO ? "the front end sent none" : strerror(-hdr));
		session_end(s, NULL);
		return;
	}
	n = hdr ? hdr - (int)s->http_len : n;
	if (recv(s->fd, s->http + s->http_len, n, MSG_DONTWAIT) != n) {
		session_end(s, "cannot read the PROXY header");
		return;
	}
	s->http_len += n;
	if (!hdr)
		return;
	s->http_len = 0;
	s->state = after_proxy(s);
	if (info.family != AF_UNSPEC) {
		snprintf(via, sizeof(via), "%s", s->peer);
		format_peer(s->peer, sizeof(s->peer), &info.src);
		sstp_debug("#%u %s: connected through %s", s->serial, s->peer, via);
		check_rate(s, &info.src);
	}
}

static void session_start_tunnel(struct session *s, const uint8_t *prefix,
				 size_t prefix_len);

/* How long a failed handshake waits for the client to hang up. */
#define LINGER_S	2

/* Read and drop what the client still sends; its close ends the session. */
static void session_drain(struct session *s)
{
	char buf[4096];
	ssize_t n;

	while ((n = recv(s->fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0)
		;
	if (n == 0 || (errno != EAGAIN && errno != EINTR))
		session_end(s, s->end_why);
}

/*
 * The handshake failed and OpenSSL has written its alert. Closing at once,
 * with the client's last records unread, would send a reset, which can
 * overtake the alert: the client would only learn "connection reset". So
 * stop writing and read until the client closes (or LINGER_S passes).
 */
static void session_linger(struct session *s, const char *why)
{
	snprintf(s->end_why, sizeof(s->end_why), "%s", why);
	shutdown(s->fd, SHUT_WR);
	s->state = S_LINGER;
	set_timer(s, LINGER_S);
	session_drain(s);
}

/* Why the handshake failed, with the certificate's fault when it was one. */
static void tls_failure(struct session *s, int e, char *buf, size_t size)
{
	const char *reason = e == SSL_ERROR_SSL ?
		ERR_reason_error_string(ERR_peek_last_error()) : NULL;
	long v = SSL_get_verify_result(s->ssl);

	snprintf(buf, size, "TLS handshake failed%s%s", reason ? ": " : "",
		 reason ? reason : "");
	if (v != X509_V_OK)
		snprintf(buf + strlen(buf), size - strlen(buf),
			 " (client certificate: %s)",
			 X509_verify_cert_error_string(v));
	ERR_clear_error();
}

static void session_tls(struct session *s)
{
	char err[256];
	int ret = SSL_accept(s->ssl);

	if (ret != 1) {
		int e = SSL_get_error(s->ssl, ret);

		if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
			return;
		tls_failure(s, e, err, sizeof(err));
		if (e == SSL_ERROR_SSL)
			session_linger(s, err);
		else
			session_end(s, err);
		return;
	}
	if (sstp_ktls_handoff(s->ssl, s->fd, err, sizeof(err))) {
		session_end(s, err);
		return;
	}
	snprintf(s->tls_version, sizeof(s->tls_version), "%s",
		 SSL_get_version(s->ssl));
	snprintf(s->tls_cipher, sizeof(s->tls_cipher), "%s",
		 SSL_get_cipher_name(s->ssl));
	sstp_debug("#%u %s: %s %s", s->serial, s->peer, s->tls_version,
		   s->tls_cipher);
	s->state = S_HTTP;
}

static void session_http_reply(struct session *s, const char *text)
{
	/* A short reply into an empty socket buffer: one send suffices. */
	if (send(s->fd, text, strlen(text), MSG_NOSIGNAL) < 0)
		sstp_debug("#%u: HTTP reply: %s", s->serial, strerror(errno));
}

/* A request that is not SSTP: what http-error says. */
static void session_http_refuse(struct session *s,
				const struct sstp_http_request *req)
{
	const struct sstp_server_config *c = &s->srv->cfg;
	unsigned int status = req->status ? req->status : 400;
	const char *location = NULL;
	char reply[1024];

	if (c->http_error == SSTP_HTTP_ERROR_DENY) {
		slog(s, "not an SSTP request (%s): closed (http-error = deny)",
		     req->error ? req->error : "?");
		session_end(s, NULL);
		return;
	}
	/* A browser's GET or HEAD: the only requests worth sending away. */
	if (c->http_error == SSTP_HTTP_ERROR_REDIRECT && status == 404) {
		status = 301;
		location = c->http_redirect;
	}
	sstp_http_format_error(reply, sizeof(reply), status, location);
	session_http_reply(s, reply);
	slog(s, "not an SSTP request (%s): answered HTTP %u",
	     req->error ? req->error : "?", status);
	session_end(s, NULL);
}

static void session_http(struct session *s)
{
	struct sstp_http_request req;
	char reply[512];
	ssize_t n;
	int hdr;

	n = recv(s->fd, s->http + s->http_len, sizeof(s->http) - s->http_len,
		 MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		session_end(s, n ? "connection error before the HTTP request" :
			    "client closed before the HTTP request");
		return;
	}
	s->http_len += n;
	hdr = sstp_http_parse_request(s->http, s->http_len, &req);
	if (hdr == 0)
		return;	/* the parser says 431 before our buffer is full */
	if (hdr < 0 || !req.is_sstp) {
		session_http_refuse(s, &req);
		return;
	}
	sstp_http_format_response(reply, sizeof(reply), time(NULL));
	session_http_reply(s, reply);
	sstp_debug("#%u %s: SSTP request, correlation id %s", s->serial,
		   s->peer, req.has_correlation_id ? req.correlation_id : "-");
	session_start_tunnel(s, s->http + hdr, s->http_len - hdr);
}

/* Hand the socket to sstp.ko; from now on the call runs over netlink. */
static void session_start_tunnel(struct session *s, const uint8_t *prefix,
				 size_t prefix_len)
{
	struct server *srv = s->srv;
	struct sstp_tunnel_opts o = {
		.fd = s->fd,
		.role = SSTP_ROLE_SERVER,
		.mtu = srv->cfg.link.max_mtu,
		.rx_prefix = prefix,
		.rx_prefix_len = prefix_len,
		.transport = s->ssl ? SSTP_TRANSPORT_KTLS : SSTP_TRANSPORT_TCP,
	};

	sstp_tunnel_opts_keepalive(&o, srv->cfg.link.keepalive_timeout);
	if (sstp_genl_tunnel_new(&srv->nl, &o, &s->tunnel_id, &s->channel)) {
		session_end(s, srv->nl.err);
		return;
	}
	/* The kernel holds the socket: our fd and the SSL object can go. */
	epoll_ctl(srv->epfd, EPOLL_CTL_DEL, s->fd, NULL);
	close(s->fd);
	s->fd = -1;
	SSL_free(s->ssl);
	s->ssl = NULL;
	s->state = S_CONNECT;
	set_timer(s, srv->cfg.negotiation_timeout);
	sstp_debug("#%u %s: tunnel %u, channel %u", s->serial, s->peer,
		   s->tunnel_id, s->channel);
}

void session_io(struct session *s)
{
	if (s->state == S_PROXY)
		session_proxy(s);
	if (s->state == S_TLS)
		session_tls(s);
	if (s->state == S_LINGER)
		session_drain(s);
	if (s->state == S_HTTP)
		session_http(s);
}

/* ---- the SSTP call ------------------------------------------------------ */

static void send_ctrl(struct session *s, const struct sstp_ctrl *msg)
{
	uint8_t pkt[SSTP_MAX_PACKET];
	int len = sstp_ctrl_encode(msg, pkt, sizeof(pkt));

	if (len < 0 ||
	    sstp_genl_ctrl_send(&s->srv->nl_req, s->tunnel_id, pkt, len))
		sstp_log("#%u: cannot send %s: %s", s->serial,
			 sstp_msg_type_name(msg->type),
			 len < 0 ? strerror(-len) : s->srv->nl_req.err);
}

static void send_abort(struct session *s, uint32_t status, const char *why)
{
	struct sstp_ctrl msg;

	sstp_ctrl_init(&msg, SSTP_MSG_CALL_ABORT);
	sstp_ctrl_add_status(&msg, SSTP_ATTR_NO_ERROR, status, NULL, 0);
	send_ctrl(s, &msg);
	/* Deleting the tunnel still flushes the Abort out first. */
	session_end(s, why);
}

static void on_connect_request(struct session *s, const struct sstp_ctrl *req)
{
	struct server *srv = s->srv;
	struct sstp_ctrl ack;
	char err[256];
	uint8_t proto[2];

	if (req->encap_proto != SSTP_ENCAP_PPP) {
		struct sstp_ctrl nak;

		proto[0] = req->encap_proto >> 8;
		proto[1] = req->encap_proto & 0xff;
		sstp_ctrl_init(&nak, SSTP_MSG_CALL_CONNECT_NAK);
		sstp_ctrl_add_status(&nak, SSTP_ATTR_ENCAPSULATED_PROTOCOL_ID,
				     SSTP_STATUS_VALUE_NOT_SUPPORTED, proto, 2);
		send_ctrl(s, &nak);
		return;
	}
	if (RAND_bytes(s->nonce, sizeof(s->nonce)) != 1) {
		send_abort(s, SSTP_STATUS_INVALID_FRAME_RECEIVED, "no randomness");
		return;
	}
	s->offered = sstp_binding_offer_mask(&srv->cert);
	sstp_ctrl_init(&ack, SSTP_MSG_CALL_CONNECT_ACK);
	ack.binding_req.hash_mask = s->offered;
	memcpy(ack.binding_req.nonce, s->nonce, sizeof(s->nonce));
	send_ctrl(s, &ack);

	if (sstp_pppd_start(s, err, sizeof(err))) {
		send_abort(s, SSTP_STATUS_INVALID_FRAME_RECEIVED, err);
		return;
	}
	s->state = S_BINDING;
	set_timer(s, srv->cfg.negotiation_timeout);
}

/*
 * Both halves are in: the client's Call Connected and our pppd's keys
 * (or its word that the method made none). Verify and open the gate.
 */
static void try_binding(struct session *s)
{
	struct server *srv = s->srv;
	enum sstp_verify_result r;
	enum sstp_auth_method m;
	struct sstp_ctrl msg;
	uint8_t hlak[SSTP_HLAK_LEN];

	if (s->state != S_BINDING || !s->have_connected || !s->have_keys)
		return;
	m = sstp_ctl_auth_method(s->method, s->keys_none);
	if (sstp_hlak(m, SSTP_ROLE_SERVER, s->send_key, sizeof(s->send_key),
		      s->recv_key, sizeof(s->recv_key), hlak)) {
		send_abort(s, SSTP_STATUS_INVALID_FRAME_RECEIVED, "no HLAK");
		return;
	}
	sstp_ctrl_decode(s->connected_pkt, sizeof(s->connected_pkt), &msg);
	r = sstp_binding_verify(&msg, s->connected_pkt, sizeof(s->connected_pkt),
				s->offered, s->nonce, &srv->cert, hlak);
	OPENSSL_cleanse(hlak, sizeof(hlak));
	if (r != SSTP_VERIFY_OK && r != SSTP_VERIFY_OK_CERT_UNCHECKED) {
		if (srv->cfg.crypto_binding == SSTP_BINDING_REQUIRED) {
			char why[256];

			snprintf(why, sizeof(why), "crypto binding failed: %s",
				 sstp_verify_reason(r));
			send_abort(s, SSTP_STATUS_INVALID_FRAME_RECEIVED, why);
			return;
		}
		slog(s, "crypto binding failed (%s), allowed by crypto-binding=warn",
		     sstp_verify_reason(r));
	} else {
		slog(s, "crypto binding verified for user %s (%s)", s->user,
		     s->method);
	}
	if (sstp_genl_set_connected(&srv->nl_req, s->tunnel_id)) {
		session_end(s, srv->nl_req.err);
		return;
	}
	s->state = S_UP;
	s->deadline = 0;
}

static void on_call_connected(struct session *s, const uint8_t *pkt,
			      size_t len)
{
	if (s->state != S_BINDING || len != sizeof(s->connected_pkt)) {
		send_abort(s, SSTP_STATUS_UNACCEPTED_FRAME_RECEIVED,
			   "Call Connected out of place");
		return;
	}
	memcpy(s->connected_pkt, pkt, len);
	s->have_connected = true;
	/* It may beat pppd's keys here: wait for both (accel-ppp does too). */
	try_binding(s);
}

static void on_ctrl(struct session *s, const uint8_t *pkt, size_t len)
{
	struct sstp_ctrl msg;
	struct sstp_ctrl ack;
	int err = sstp_ctrl_decode(pkt, len, &msg);

	if (err) {
		send_abort(s, msg.err_status ? msg.err_status :
			   SSTP_STATUS_INVALID_FRAME_RECEIVED,
			   "invalid control packet");
		return;
	}
	switch (msg.type) {
	case SSTP_MSG_CALL_CONNECT_REQUEST:
		if (s->state != S_CONNECT) {
			send_abort(s, SSTP_STATUS_UNACCEPTED_FRAME_RECEIVED,
				   "Call Connect Request out of place");
			return;
		}
		on_connect_request(s, &msg);
		break;
	case SSTP_MSG_CALL_CONNECTED:
		on_call_connected(s, pkt, len);
		break;
	case SSTP_MSG_CALL_DISCONNECT:
		sstp_ctrl_init(&ack, SSTP_MSG_CALL_DISCONNECT_ACK);
		send_ctrl(s, &ack);
		session_end(s, "client disconnected");
		break;
	case SSTP_MSG_CALL_DISCONNECT_ACK:
		session_end(s, s->state == S_CLOSING ? "disconnected" :
			    "unexpected Disconnect Ack");
		break;
	case SSTP_MSG_CALL_ABORT:
		session_end(s, "client aborted the call");
		break;
	default:
		send_abort(s, SSTP_STATUS_UNACCEPTED_FRAME_RECEIVED,
			   "unexpected control message");
	}
}

static struct session *find_tunnel(struct server *srv, uint32_t id)
{
	struct session *s;

	for (s = srv->sessions; s; s = s->next)
		if (s->tunnel_id == id && s->state != S_DEAD)
			return s;
	return NULL;
}

void session_event(struct server *srv, const struct sstp_event *ev)
{
	struct session *s = find_tunnel(srv, ev->tunnel_id);
	char why[128];

	sstp_debug("tunnel %u: %s event", ev->tunnel_id,
		   ev->cmd == SSTP_CMD_CTRL_RECV ? "control packet" : "down");
	if (!s)
		return;
	if (ev->cmd == SSTP_CMD_CTRL_RECV) {
		on_ctrl(s, ev->packet, ev->packet_len);
		return;
	}
	/* The kernel took the tunnel down: nothing left to delete. */
	s->tunnel_id = 0;
	snprintf(why, sizeof(why), "tunnel down: %s",
		 sstp_down_reason_name(ev->info.down_reason));
	session_end(s, why);
}

void session_timeout(struct session *s)
{
	switch (s->state) {
	case S_PROXY:
	case S_TLS:
	case S_HTTP:
		session_end(s, "handshake timeout");
		break;
	case S_CONNECT:
	case S_BINDING:
		send_abort(s, SSTP_STATUS_NEGOTIATION_TIMEOUT,
			   s->state == S_CONNECT ? "no Call Connect Request in time" :
			   !s->have_connected ? "no Call Connected in time" :
			   "authentication did not finish in time");
		break;
	case S_CLOSING:
		session_end(s, "no Disconnect Ack in time");
		break;
	case S_LINGER:
		session_end(s, s->end_why);
		break;
	case S_DEAD:
		/* pppd did not go on the hangup: SIGTERM, then SIGKILL. */
		if (s->pppd > 0) {
			kill(s->pppd, s->pppd_signal);
			s->pppd_signal = SIGKILL;
		}
		s->deadline = s->pppd > 0 ? sstp_now_ms() + SSTP_PPPD_HANGUP_MS : 0;
		break;
	default:
		break;
	}
}

/* Send Call Disconnect and give the client a moment to acknowledge it. */
static void session_disconnect(struct session *s, const char *why)
{
	struct sstp_ctrl msg;

	if (!s->tunnel_id) {
		session_end(s, why);
		return;
	}
	slog(s, "%s: disconnecting", why);
	/*
	 * With a Status Info (no error), as accel-ppp sends it: sstpc
	 * answers a Disconnect with its Ack only when it has one.
	 */
	sstp_ctrl_init(&msg, SSTP_MSG_CALL_DISCONNECT);
	sstp_ctrl_add_status(&msg, SSTP_ATTR_NO_ERROR, SSTP_STATUS_NO_ERROR,
			     NULL, 0);
	send_ctrl(s, &msg);
	s->state = S_CLOSING;
	s->deadline = sstp_now_ms() + DISCONNECT_ACK_MS;
}

void session_pppd_exited(struct session *s, int wstatus)
{
	char how[128], why[400];

	s->pppd = 0;
	sstp_pppd_describe_exit(wstatus, how, sizeof(how));
	snprintf(why, sizeof(why), "%s%s%s", how, s->user[0] ? ", user " : "",
		 s->user);
	if (s->state == S_UP || s->state == S_BINDING)
		session_disconnect(s, why);
	else
		session_end(s, why);
}

void session_shutdown(struct session *s)
{
	if (s->state == S_UP || s->state == S_BINDING)
		session_disconnect(s, "server stopping");
	else if (s->state != S_CLOSING)
		session_end(s, "server stopping");
}

/* ---- pppd's plugin talking ---------------------------------------------- */

int session_hold_remote(struct session *s, const char *text)
{
	struct sstp_pool *pool;
	struct in_addr a;
	int rc;

	if (inet_pton(AF_INET, text, &a) != 1)
		return -EINVAL;
	pool = server_pool_holding(&s->srv->pools, a);
	if (pool) {
		rc = sstp_pool_reserve(pool, a);
		if (rc)
			return rc;
		s->pool = pool;
	}
	snprintf(s->remote_addr, sizeof(s->remote_addr), "%s", text);
	return 0;
}

/*
 * An earlier plugin (radius.so, from Framed-IP-Address) gave the peer its
 * address, so pppd never asked us for one: take it now ("given", or at
 * the latest "ip-up"), for status, and hold it like any other.
 */
static void take_given(struct session *s, const char *remote, const char *user)
{
	char why[400];
	int rc;

	/* Once: "ip-up" may follow the "given" that ended the session. */
	if (s->state == S_CLOSING || s->remote_addr[0])
		return;
	rc = session_hold_remote(s, remote);
	if (!rc || rc == -EINVAL)
		return;
	/* Two peers on one address: neither would get its packets. */
	snprintf(why, sizeof(why), "address %s of user %s is in use by another session",
		 remote, user);
	session_disconnect(s, why);
}

static void ip_up(struct session *s, const struct sstp_ctl_msg *m)
{
	snprintf(s->ifname, sizeof(s->ifname), "%s", m->ifname);
	snprintf(s->local_addr, sizeof(s->local_addr), "%s", m->local);
	slog(s, "%s up, %s for user %s", s->ifname, m->remote, s->user);
	take_given(s, m->remote, s->user);
}

void session_ctl_io(struct session *s)
{
	struct sstp_ctl_msg m;
	int ret = 0;

	/* A message may end the session, which closes s->ctl. */
	while (s->ctl >= 0 && (ret = sstp_ctl_read(s->ctl, &m)) > 0) {
		switch (m.kind) {
		case SSTP_CTL_SECRET_REQ:
			sstp_pppd_answer_secret(s, m.user);
			break;
		case SSTP_CTL_ADDRESS_REQ:
			/* A link without an address is of no use to anyone. */
			if (sstp_pppd_answer_address(s, m.user))
				session_disconnect(s, "no address for the user");
			break;
		case SSTP_CTL_GIVEN_MSG:
			take_given(s, m.remote, m.user);
			break;
		case SSTP_CTL_AUTH_UP:
			snprintf(s->user, sizeof(s->user), "%s", m.user);
			snprintf(s->method, sizeof(s->method), "%s", m.method);
			slog(s, "user %s authenticated (%s)", s->user, s->method);
			break;
		case SSTP_CTL_AUTH_REFUSED:
			slog(s, "user %s failed to authenticate (%s)", m.user,
			     m.method);
			break;
		case SSTP_CTL_KEYS_UP:
			memcpy(s->send_key, m.send_key, sizeof(s->send_key));
			memcpy(s->recv_key, m.recv_key, sizeof(s->recv_key));
			s->keys_none = m.keys_none;
			s->have_keys = true;
			OPENSSL_cleanse(&m, sizeof(m));
			try_binding(s);
			break;
		case SSTP_CTL_IP_UP_MSG:
			ip_up(s, &m);
			break;
		default:
			break;
		}
	}
	if (ret < 0 && s->ctl >= 0) {
		/* The plugin is gone (pppd exiting): SIGCHLD tells the rest. */
		epoll_ctl(s->srv->epfd, EPOLL_CTL_DEL, s->ctl, NULL);
		close(s->ctl);
		s->ctl = -1;
	}
}
