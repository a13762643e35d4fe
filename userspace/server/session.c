// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * session.c - one client of `sstp-helper serve` from accept() to its
 * tunnel in sstp.ko (states in session.h): the PROXY header, the TLS
 * handshake and kTLS handoff, the HTTP exchange; and every state's timer.
 * The call itself is session-call.c's.
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
#include "datapath/pick.h"
#include "transport/ktls.h"
#include "common/log.h"
#include "server/pool.h"
#include "ppp/ctl-msg.h"
#include "ppp/pppd.h"
#include "transport/proxy.h"
#include "transport/tls.h"
#include "server/ratelimit.h"
#include "server/session.h"
#include "sstp/wire.h"

#define slog(s, fmt, ...) sstp_call_log(&(s)->call, fmt, ##__VA_ARGS__)

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

/* Who the client is, for log lines and status. */
static void set_peer(struct session *s, const struct sockaddr_storage *ss)
{
	format_peer(s->peer, sizeof(s->peer), ss);
	snprintf(s->call.name, sizeof(s->call.name), "#%u %s", s->serial,
		 s->peer);
}

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
	    sstp_ratelimit_allow(s->srv->limit, client, s->call.started_ms))
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
	sstp_call_init(&s->call, &srv->nl_req, srv->epfd);
	s->fd = fd;
	set_peer(s, peer);
	if (srv->tls) {
		s->ssl = SSL_new(srv->tls);
		if (!s->ssl || !SSL_set_fd(s->ssl, fd)) {
			SSL_free(s->ssl);
			free(s);
			return NULL;
		}
	} else {
		/* plain-http: the proxy in front did TLS. */
		snprintf(s->call.tls_version, sizeof(s->call.tls_version), "plain");
	}
	s->state = srv->cfg.proxy_protocol ? S_PROXY : after_proxy(s);
	session_set_timer(s, srv->cfg.handshake_timeout);
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
		set_peer(s, &info.src);
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
	session_set_timer(s, LINGER_S);
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

/*
 * Which carrier takes the call, now that its cipher is known; auto says
 * which and why. (Behind a TLS proxy there is no TLS of ours: sstp.ko
 * takes the plain stream, and plain-http wants datapath = kernel or auto.)
 */
static void session_pick_carrier(struct session *s)
{
	const struct server *srv = s->srv;
	enum sstp_datapath want = srv->cfg.link.datapath;
	char why[160] = "";

	s->user_path = sstp_datapath_pick(want, SSL_get_current_cipher(s->ssl),
					  srv->nl_open, why, sizeof(why)) ==
		       SSTP_DATAPATH_USER;
	if (want == SSTP_DATAPATH_AUTO && s->user_path)
		slog(s, "datapath auto: the helper carries the call (%s)", why);
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
	session_pick_carrier(s);
	if (!s->user_path && sstp_ktls_handoff(s->ssl, s->fd, err, sizeof(err))) {
		session_end(s, err);
		return;
	}
	sstp_call_note_tls(&s->call, s->ssl);
	sstp_debug("#%u %s: %s %s", s->serial, s->peer, s->call.tls_version,
		   s->call.tls_cipher);
	s->state = S_HTTP;
}

static void session_http_reply(struct session *s, const char *text)
{
	/* A short reply into an empty socket buffer: one send suffices. */
	if (s->user_path) {
		if (SSL_write(s->ssl, text, (int)strlen(text)) <= 0) {
			sstp_debug("#%u: HTTP reply: TLS error", s->serial);
			ERR_clear_error();
		}
	} else if (send(s->fd, text, strlen(text), MSG_NOSIGNAL) < 0) {
		sstp_debug("#%u: HTTP reply: %s", s->serial, strerror(errno));
	}
}

/*
 * Bytes of the HTTP request: through the kTLS socket (or a plain one,
 * behind a TLS proxy), or through OpenSSL on the userspace data path.
 * > 0, 0 at the end, -1 with errno (EAGAIN: nothing yet).
 */
static ssize_t session_http_recv(struct session *s, void *buf, size_t len)
{
	if (!s->user_path)
		return recv(s->fd, buf, len, MSG_DONTWAIT);
	return sstp_tls_recv(s->ssl, buf, len);
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

	n = session_http_recv(s, s->http + s->http_len,
			      sizeof(s->http) - s->http_len);
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

static void carrier_event(const struct sstp_event *ev, void *arg)
{
	session_event(arg, ev);
}

void session_carrier_io(struct session *s)
{
	sstp_call_user_io(&s->call);
}

/* datapath = user: the helper carries the call, pppd on a pty. */
static void session_start_user(struct session *s, const uint8_t *prefix,
			       size_t prefix_len)
{
	struct server *srv = s->srv;
	char err[256];

	s->ep_carrier = (struct ep_item){ EP_CARRIER, s, -1 };
	if (sstp_call_open_user(&s->call, &s->fd, &s->ssl, &srv->cfg.link,
				prefix, prefix_len,
				SSTP_CALL_USER_ID | s->serial, carrier_event, srv,
				(epoll_data_t){ .ptr = &s->ep_carrier }, err,
				sizeof(err))) {
		session_end(s, err);
		return;
	}
	s->state = S_CONNECT;
	session_set_timer(s, srv->cfg.negotiation_timeout);
	sstp_debug("#%u %s: userspace carrier, pppd on %s", s->serial, s->peer,
		   s->call.pty_name);
}

/* Hand the socket to sstp.ko; from now on the call runs over netlink. */
static void session_start_tunnel(struct session *s, const uint8_t *prefix,
				 size_t prefix_len)
{
	struct server *srv = s->srv;

	/* The epoll entry goes with the fd; the carrier holds the socket. */
	epoll_ctl(srv->epfd, EPOLL_CTL_DEL, s->fd, NULL);
	if (s->user_path) {
		session_start_user(s, prefix, prefix_len);
		return;
	}
	if (sstp_call_open_tunnel(&s->call, &srv->nl, &s->fd, &s->ssl,
				  SSTP_ROLE_SERVER, s->ssl ? SSTP_TRANSPORT_KTLS :
				  SSTP_TRANSPORT_TCP, &srv->cfg.link, prefix,
				  prefix_len)) {
		session_end(s, srv->nl.err);
		return;
	}
	s->state = S_CONNECT;
	session_set_timer(s, srv->cfg.negotiation_timeout);
	sstp_debug("#%u %s: tunnel %u, channel %u", s->serial, s->peer,
		   s->call.tunnel_id, s->call.channel);
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
		session_abort(s, SSTP_STATUS_NEGOTIATION_TIMEOUT,
			   s->state == S_CONNECT ? "no Call Connect Request in time" :
			   !s->have_connected ? "no Call Connected in time" :
			   "authentication did not finish in time");
		break;
	case S_UP:
		/* Bound, but IPCP never finished: IPv6CP alone, or nothing. */
		session_disconnect(s, "IPCP did not come up within "
				   "negotiation-timeout: no IPv4 address");
		break;
	case S_CLOSING:
		session_end(s, "no Disconnect Ack in time");
		break;
	case S_LINGER:
		session_end(s, s->end_why);
		break;
	case S_DEAD:
		/* pppd did not go on the hangup: SIGTERM, then SIGKILL. */
		if (s->call.pppd > 0) {
			kill(s->call.pppd, s->pppd_signal);
			s->pppd_signal = SIGKILL;
		}
		s->deadline = s->call.pppd > 0 ? sstp_now_ms() + SSTP_PPPD_HANGUP_MS : 0;
		break;
	default:
		break;
	}
}
