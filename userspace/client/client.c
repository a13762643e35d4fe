// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * client.c - the client's connection (states in client.h). Everything up
 * to the handoff is sequential, with timeouts; from then on one epoll
 * loop waits on sstp.ko's netlink events, pppd's plugin and the signals.
 */

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/rand.h>

#include "call/binding.h"
#include "client/client.h"
#include "common/clock.h"
#include "ppp/ctl-msg.h"
#include "datapath/genl.h"
#include "call/http.h"
#include "transport/ktls.h"
#include "common/log.h"
#include "ppp/pppd.h"
#include "client/route.h"
#include "common/status-record.h"
#include "common/status-socket.h"
#include "transport/tls.h"
#include "sstp/wire.h"

#define CONNECT_TIMEOUT_MS	10000	/* TCP connect, per address */
#define EXCHANGE_TIMEOUT_S	15	/* TLS handshake, HTTP exchange */
#define DISCONNECT_ACK_MS	5000	/* [MS-SSTP] disconnect timer */
#define PPPD_EXIT_MS		5000	/* pppd's time to go after SIGTERM */
#define DEMAND_HOLDOFF_S	2	/* dial-on-demand: rest after a loss */

enum client_state {
	C_START, C_CONNECT_SENT, C_PPP, C_UP, C_CLOSING,
	C_PPP_ENDING,		/* the server ended the call during PPP set-up */
	C_IDLE,			/* dial-on-demand: pppd waits for traffic */
	C_DONE,
};

/* How long pppd may take to say why a call ended during PPP set-up. */
#define PPP_VERDICT_MS	2000

struct client {
	const struct sstp_client_config *cfg;
	enum client_state state;
	enum sstp_client_exit code;
	bool stopped;			/* by a signal */
	int fd;				/* TCP, until sstp.ko has it */
	SSL_CTX *ctx;
	SSL *ssl;
	struct sstp_cert_hashes cert;	/* of the server's certificate */
	uint8_t prefix[SSTP_HTTP_MAX_HEADER];	/* SSTP after the response */
	size_t prefix_len;

	struct sstp_host_route pin;	/* add-default-route */
	struct sstp_genl nl;
	bool nl_open;
	uint32_t tunnel_id, channel;
	struct sstp_binding_req req;	/* from the Connect Ack */

	pid_t pppd;
	int ctl;			/* our end of the plugin's socket */
	char method[16];		/* SSTP_CTL_AUTH_* of the link */

	int epfd, sfd;
	long long deadline;		/* ms, CLOCK_MONOTONIC; 0: none */

	/* For `sstp-helper status`, on status_fd at status_path. */
	int status_fd;
	char status_path[108];
	long long started_ms;
	char tls_version[16], tls_cipher[64];
	char ifname[32], local[64], remote[64];
	bool certificate_requested;	/* by the server, and we have none */
	bool dial_pending;		/* pppd's "dial" awaits its channel */
	uint8_t alert;			/* the last TLS alert the server sent */
	bool have_alert;

	/* C_PPP_ENDING: why, unless pppd says its authentication failed. */
	enum sstp_client_exit pending_code;
	char pending_why[256];
};

static void fail(struct client *c, enum sstp_client_exit code,
		 const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The first reason to stop sets the exit code; the loop then ends. */
static void fail(struct client *c, enum sstp_client_exit code,
		 const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sstp_log("%s", msg);
	if (c->state != C_DONE)
		c->code = code;
	c->state = C_DONE;
}

/* ---- TCP, TLS, HTTP ------------------------------------------------------ */

static void set_io_timeout(int fd, int seconds);
static int send_all(int fd, const char *buf, size_t len);

static int connect_one(const struct addrinfo *ai, int *err)
{
	struct pollfd pfd = { .events = POLLOUT };
	socklen_t len = sizeof(*err);
	int fd, one = 1;

	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		*err = errno;
		return -1;
	}
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0 && errno != EINPROGRESS) {
		*err = errno;
		close(fd);
		return -1;
	}
	pfd.fd = fd;
	if (poll(&pfd, 1, CONNECT_TIMEOUT_MS) != 1) {
		*err = ETIMEDOUT;
		close(fd);
		return -1;
	}
	getsockopt(fd, SOL_SOCKET, SO_ERROR, err, &len);
	if (*err) {
		close(fd);
		return -1;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

/* TCP to @host:@port, each address it resolves to in turn. */
static int tcp_connect_to(struct client *c, const char *host,
			  unsigned long port_nr, const char *what)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res, *ai;
	char port[8];
	int rc, err = 0;

	snprintf(port, sizeof(port), "%lu", port_nr);
	rc = getaddrinfo(host, port, &hints, &res);
	if (rc) {
		fail(c, SSTP_EXIT_UNREACHABLE, "cannot resolve %s%s: %s", what,
		     host, gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai && c->fd < 0; ai = ai->ai_next)
		c->fd = connect_one(ai, &err);
	freeaddrinfo(res);
	if (c->fd < 0) {
		fail(c, SSTP_EXIT_UNREACHABLE, "cannot connect to %s%s port %s: %s",
		     what, host, port, strerror(err));
		return -1;
	}
	return 0;
}

/* Read an HTTP header (up to the blank line) and nothing past it. */
static int read_header(int fd, char *buf, size_t size, size_t *len)
{
	ssize_t n;

	*len = 0;
	while (*len + 1 < size) {
		n = recv(fd, buf + *len, 1, 0);
		if (n == 0)
			errno = 0;	/* closed: no error number to show */
		if (n <= 0)
			return -1;
		(*len)++;
		if (*len >= 4 && !memcmp(buf + *len - 4, "\r\n\r\n", 4))
			return 0;
	}
	return -1;
}

/*
 * One CONNECT through the proxy on c->fd. Returns 0 when the tunnel is
 * up, 1 when the proxy wants credentials we have not sent yet, -1 (said
 * why) otherwise. Byte by byte, so that not one byte of TLS is read.
 */
static int proxy_connect_once(struct client *c, bool with_credentials)
{
	const struct sstp_client_config *cfg = c->cfg;
	struct sstp_http_response resp;
	char req[1024], buf[SSTP_HTTP_MAX_HEADER], msg[512];
	size_t len;
	int rc;

	rc = sstp_http_format_connect(req, sizeof(req), cfg->connect_to,
				      (unsigned int)cfg->port,
				      with_credentials ? cfg->proxy_user : NULL,
				      with_credentials ? cfg->proxy_password : NULL);
	if (rc < 0) {
		fail(c, SSTP_EXIT_CONFIG, "cannot build the proxy request");
		return -1;
	}
	set_io_timeout(c->fd, EXCHANGE_TIMEOUT_S);
	if (send_all(c->fd, req, (size_t)rc) ||
	    read_header(c->fd, buf, sizeof(buf), &len)) {
		fail(c, SSTP_EXIT_UNREACHABLE, "no answer from the proxy %s: %s",
		     cfg->proxy_host, errno ? strerror(errno) : "closed");
		return -1;
	}
	OPENSSL_cleanse(req, sizeof(req));
	if (sstp_http_parse_connect_response(buf, len, &resp) <= 0) {
		fail(c, SSTP_EXIT_UNREACHABLE, "bad answer from the proxy %s: %s",
		     cfg->proxy_host, resp.error ? resp.error : "malformed");
		return -1;
	}
	rc = sstp_http_connect_check(&resp, with_credentials, msg, sizeof(msg));
	if (rc < 0 || (rc > 0 && !cfg->proxy_user[0])) {
		fail(c, SSTP_EXIT_UNREACHABLE, "proxy %s: %s", cfg->proxy_host, msg);
		return -1;
	}
	return rc;
}

/* Through http-proxy if there is one (retrying once with credentials). */
static int tcp_connect(struct client *c)
{
	const struct sstp_client_config *cfg = c->cfg;
	int rc;

	if (!cfg->proxy_host[0])
		return tcp_connect_to(c, cfg->connect_to, cfg->port, "");
	if (tcp_connect_to(c, cfg->proxy_host, cfg->proxy_port, "the proxy "))
		return -1;
	rc = proxy_connect_once(c, false);
	if (rc > 0) {
		close(c->fd);
		c->fd = -1;
		if (tcp_connect_to(c, cfg->proxy_host, cfg->proxy_port, "the proxy "))
			return -1;
		rc = proxy_connect_once(c, true);
	}
	if (rc)
		return -1;
	sstp_log("through the proxy %s to %s", cfg->proxy_host, cfg->connect_to);
	return 0;
}

static void set_io_timeout(int fd, int seconds)
{
	struct timeval tv = { .tv_sec = seconds };

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

/*
 * OpenSSL asks this when the server wants a client certificate and we
 * have none: note it, for the message if the server then refuses us.
 */
static int note_certificate_request(SSL *ssl, X509 **cert, EVP_PKEY **key)
{
	struct client *c = SSL_get_app_data(ssl);

	(void)cert;
	(void)key;
	if (c)
		c->certificate_requested = true;
	return 0;	/* none to give */
}

/* OpenSSL reports each alert it reads: keep the server's last one. */
static void note_alert(const SSL *ssl, int where, int ret)
{
	struct client *c = SSL_get_app_data(ssl);

	if (c && (where & SSL_CB_READ_ALERT)) {
		c->alert = (uint8_t)(ret & 0xff);
		c->have_alert = true;
	}
}

/* The TLS context, before any connection: a bad certificate or key of
 * ours is a configuration error, not something a retry mends. */
static int prepare_tls(struct client *c)
{
	const struct sstp_client_config *cfg = c->cfg;
	const struct sstp_tls_conf tls = {
		.link = &cfg->link,
		.certificate = cfg->certificate,
		.private_key = cfg->private_key,
		.ca = cfg->ca,
		.verify_peer = cfg->verify_server_certificate,
	};
	char err[256];

	c->ctx = sstp_tls_client_ctx(&tls, err, sizeof(err));
	if (!c->ctx) {
		fail(c, SSTP_EXIT_CONFIG, "%s", err);
		return -1;
	}
	if (!c->cfg->certificate[0])
		SSL_CTX_set_client_cert_cb(c->ctx, note_certificate_request);
	SSL_CTX_set_info_callback(c->ctx, note_alert);
	return 0;
}

/* A refusal by a server that asked for a client certificate. */
#define NO_CERTIFICATE_HINT \
	" (the server asks for a client certificate: give certificate and " \
	"private-key)"

/* What a refused handshake most likely means, for the failure line. */
static const char *handshake_hint(const struct client *c, unsigned long e)
{
	const struct sstp_client_config *cfg = c->cfg;

	if (c->certificate_requested)
		return NO_CERTIFICATE_HINT;
	if (ERR_GET_REASON(e) != SSL_R_SSLV3_ALERT_HANDSHAKE_FAILURE)
		return "";
	if (cfg->link.anonymous_dh)
		return " (anonymous-dh = yes offers only anonymous suites: "
		       "the server has a certificate, or no TLS 1.2)";
	return " (no TLS version or cipher in common with the server; a "
	       "MikroTik server with certificate=none needs anonymous-dh = yes)";
}

/* A TLS alert's description in words; OpenSSL 3.0 lacks TLS 1.3's. */
static const char *alert_text(uint8_t desc)
{
	static char unknown[32];

	switch (desc) {
	case 109: return "missing extension";
	case 116: return "certificate required";
	case 120: return "no application protocol";
	}
	if (strcmp(SSL_alert_desc_string(desc), "UK"))
		return SSL_alert_desc_string_long(desc);
	snprintf(unknown, sizeof(unknown), "TLS alert %u", desc);
	return unknown;
}

/* The server's alert @desc ended the connection after our handshake. */
static void fail_refused(struct client *c, uint8_t desc)
{
	fail(c, SSTP_EXIT_CERTIFICATE, "the server refused the TLS connection: "
	     "%s%s", alert_text(desc),
	     c->certificate_requested ? NO_CERTIFICATE_HINT : "");
}

/*
 * TLS 1.3: our handshake ends before the server has checked our
 * certificate. When it refuses it and hangs up at once, the kTLS handoff
 * finds the socket closing; its alert is still there to read, and says
 * what happened: 1 if so (and the client failed with it).
 */
static int refused_after_handshake(struct client *c)
{
	struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
	char byte;

	if (poll(&pfd, 1, 0) == 1)
		SSL_read(c->ssl, &byte, 1);
	ERR_clear_error();
	if (!c->have_alert)
		return 0;
	fail_refused(c, c->alert);
	return 1;
}

static int tls_handshake(struct client *c)
{
	const struct sstp_client_config *cfg = c->cfg;
	const char *why;
	char err[256];
	int bits;

	c->ssl = sstp_tls_client_ssl(c->ctx, c->fd, cfg->connect_to,
				     cfg->verify_server_address, err, sizeof(err));
	if (!c->ssl) {
		fail(c, SSTP_EXIT_LOCAL, "%s", err);
		return -1;
	}
	SSL_set_app_data(c->ssl, c);
	set_io_timeout(c->fd, EXCHANGE_TIMEOUT_S);
	if (SSL_connect(c->ssl) != 1) {
		why = sstp_tls_verify_error(c->ssl);
		if (why) {
			fail(c, SSTP_EXIT_CERTIFICATE,
			     "the certificate of %s was refused: %s",
			     cfg->connect_to, why);
		} else {
			unsigned long e = ERR_peek_last_error();
			const char *r = e ? ERR_reason_error_string(e) : NULL;

			fail(c, SSTP_EXIT_CERTIFICATE, "TLS with %s failed: %s%s",
			     cfg->connect_to, r ? r : errno ? strerror(errno) :
			     "the server closed the connection",
			     handshake_hint(c, e));
		}
		ERR_clear_error();
		return -1;
	}
	if (sstp_tls_peer_key_too_small(c->ssl, &bits)) {
		fail(c, SSTP_EXIT_CERTIFICATE, "the server's RSA key has %d bits: "
		     "at least %d are needed", bits, SSTP_MIN_RSA_BITS);
		return -1;
	}
	if (cfg->link.anonymous_dh) {
		sstp_cert_hashes_anonymous(&c->cert);
	} else if (sstp_cert_hashes_from_x509(&c->cert,
					      SSL_get0_peer_certificate(c->ssl))) {
		fail(c, SSTP_EXIT_CERTIFICATE, "cannot hash the server's certificate");
		return -1;
	}
	snprintf(c->tls_version, sizeof(c->tls_version), "%s",
		 SSL_get_version(c->ssl));
	snprintf(c->tls_cipher, sizeof(c->tls_cipher), "%s",
		 SSL_get_cipher_name(c->ssl));
	sstp_log("TLS with %s: %s %s", cfg->connect_to, c->tls_version,
		 c->tls_cipher);
	if (sstp_ktls_handoff(c->ssl, c->fd, err, sizeof(err))) {
		if (!refused_after_handshake(c))
			fail(c, SSTP_EXIT_LOCAL, "kTLS: %s", err);
		return -1;
	}
	return 0;
}

static int send_all(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len) {
		n = send(fd, buf, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* SSTP_DUPLEX_POST and the server's answer, over the kTLS socket. */
static int http_exchange(struct client *c)
{
	const struct sstp_client_config *cfg = c->cfg;
	struct sstp_http_response resp;
	char host[300], guid[64], req[1024], msg[512];
	uint8_t rnd[16], buf[SSTP_HTTP_MAX_HEADER + SSTP_MAX_PACKET];
	size_t len = 0;
	ssize_t n;
	int hdr = 0;

	if (RAND_bytes(rnd, sizeof(rnd)) != 1 ||
	    sstp_http_format_host(host, sizeof(host), cfg->connect_to,
				  (unsigned int)cfg->port) < 0 ||
	    sstp_http_format_guid(guid, sizeof(guid), rnd) < 0 ||
	    sstp_http_format_request(req, sizeof(req), host,
				     cfg->correlation_id[0] ? cfg->correlation_id :
				     guid) < 0) {
		fail(c, SSTP_EXIT_LOCAL, "cannot build the HTTP request");
		return -1;
	}
	if (send_all(c->fd, req, strlen(req))) {
		fail(c, SSTP_EXIT_PROTOCOL, "sending the HTTP request: %s",
		     strerror(errno));
		return -1;
	}
	while (hdr == 0) {
		if (len == sizeof(buf)) {
			fail(c, SSTP_EXIT_PROTOCOL, "the server's HTTP answer is too long");
			return -1;
		}
		n = sstp_ktls_recv(c->fd, buf + len, sizeof(buf) - len);
		if (n < 0 && errno == EPROTO) {
			/* TLS 1.3: the server checks our certificate after
			 * our handshake is over; its verdict comes now. */
			fail_refused(c, buf[len + 1]);
			return -1;
		}
		if (n <= 0) {
			fail(c, SSTP_EXIT_PROTOCOL, "no HTTP answer from %s: %s",
			     cfg->connect_to, n == 0 ? "connection closed" :
			     errno == EAGAIN ? "timed out" : strerror(errno));
			return -1;
		}
		len += (size_t)n;
		hdr = sstp_http_parse_response(buf, len, &resp);
	}
	if (hdr < 0) {
		fail(c, SSTP_EXIT_PROTOCOL, "bad HTTP answer from %s: %s",
		     cfg->connect_to, resp.error ? resp.error : "malformed");
		return -1;
	}
	if (sstp_http_response_check(&resp, msg, sizeof(msg))) {
		fail(c, SSTP_EXIT_PROTOCOL, "%s", msg);
		return -1;
	}
	if (len - (size_t)hdr > sizeof(c->prefix)) {
		fail(c, SSTP_EXIT_PROTOCOL, "too many bytes after the HTTP answer");
		return -1;
	}
	c->prefix_len = len - (size_t)hdr;
	memcpy(c->prefix, buf + hdr, c->prefix_len);
	return 0;
}

/* ---- the SSTP call -------------------------------------------------------- */

static int send_ctrl(struct client *c, const struct sstp_ctrl *msg)
{
	uint8_t pkt[SSTP_MAX_PACKET];
	int len = sstp_ctrl_encode(msg, pkt, sizeof(pkt));

	if (len < 0 || sstp_genl_ctrl_send(&c->nl, c->tunnel_id, pkt, (size_t)len)) {
		sstp_log("cannot send %s: %s", sstp_msg_type_name(msg->type),
			 len < 0 ? strerror(-len) : c->nl.err);
		return -1;
	}
	return 0;
}

static void send_simple(struct client *c, uint16_t type, uint32_t status)
{
	struct sstp_ctrl msg;

	sstp_ctrl_init(&msg, type);
	if (status != SSTP_STATUS_NO_ERROR || type == SSTP_MSG_CALL_DISCONNECT)
		sstp_ctrl_add_status(&msg, SSTP_ATTR_NO_ERROR, status, NULL, 0);
	send_ctrl(c, &msg);
}

/* Our netlink socket to sstp.ko, once for the whole run. */
static int open_netlink(struct client *c)
{
	if (c->nl_open)
		return 0;
	if (sstp_genl_open(&c->nl)) {
		fail(c, SSTP_EXIT_LOCAL, "%s (is sstp.ko loaded? modprobe sstp)",
		     c->nl.err);
		return -1;
	}
	c->nl_open = true;
	return 0;
}

/* Hand the socket to sstp.ko and ask for the call. */
static int start_tunnel(struct client *c)
{
	const struct sstp_client_config *cfg = c->cfg;
	struct sstp_tunnel_opts o = {
		.fd = c->fd,
		.role = SSTP_ROLE_CLIENT,
		.mtu = (uint32_t)cfg->link.max_mtu,
		.rx_prefix = c->prefix,
		.rx_prefix_len = c->prefix_len,
	};
	struct sstp_ctrl req;
	char err[256];

	if ((cfg->add_default_route || cfg->save_server_route) && !c->pin.added) {
		if (sstp_route_pin(c->fd, &c->pin, err, sizeof(err))) {
			fail(c, SSTP_EXIT_LOCAL, "add-default-route: %s", err);
			return -1;
		}
		sstp_log("add-default-route: the route to %s stays outside the "
			 "tunnel", c->pin.text);
	}
	if (open_netlink(c))
		return -1;
	sstp_tunnel_opts_keepalive(&o, cfg->link.keepalive_timeout);
	if (sstp_genl_tunnel_new(&c->nl, &o, &c->tunnel_id, &c->channel)) {
		fail(c, SSTP_EXIT_LOCAL, "sstp.ko refused the socket: %s", c->nl.err);
		return -1;
	}
	/* sstp.ko holds the socket now; the SSL object is inert. */
	close(c->fd);
	c->fd = -1;
	SSL_free(c->ssl);
	c->ssl = NULL;
	sstp_ctrl_init(&req, SSTP_MSG_CALL_CONNECT_REQUEST);
	if (send_ctrl(c, &req)) {
		fail(c, SSTP_EXIT_LOCAL, "cannot send Call Connect Request");
		return -1;
	}
	c->state = C_CONNECT_SENT;
	c->deadline = sstp_now_ms() + (long long)cfg->negotiation_timeout * 1000;
	return 0;
}

static void build_pppd_args(struct client *c, struct sstp_argv *b, int ctl_fd)
{
	const struct sstp_client_config *cfg = c->cfg;
	unsigned int a = cfg->link.authentication;

	sstp_argv_start(b, cfg->pppd, cfg->plugin[0] ? cfg->plugin :
			sstp_pppd_default_plugin(),
			cfg->dial_on_demand ? SSTP_PPPD_DIAL : c->channel, ctl_fd);
	if (cfg->dial_on_demand) {
		/* demand implies persist; never give up, come back soon. */
		sstp_argv_add(b, "demand");
		sstp_argv_add(b, "maxfail");
		sstp_argv_add(b, "0");
		sstp_argv_add(b, "holdoff");
		sstp_argv_add(b, "%d", DEMAND_HOLDOFF_S);
	}
	if (cfg->idle_timeout) {
		sstp_argv_add(b, "idle");
		sstp_argv_add(b, "%lu", cfg->idle_timeout);
	}
	sstp_argv_add(b, "user");
	sstp_argv_add(b, "%s", cfg->user);
	/* We authenticate to the server, not it to us. */
	sstp_argv_add(b, "noauth");
	sstp_argv_add(b, "refuse-eap");
	if (!(a & SSTP_AUTH_BIT_PAP))
		sstp_argv_add(b, "refuse-pap");
	if (!(a & SSTP_AUTH_BIT_CHAP))
		sstp_argv_add(b, "refuse-chap");
	if (!(a & SSTP_AUTH_BIT_MSCHAP1))
		sstp_argv_add(b, "refuse-mschap");
	if (!(a & SSTP_AUTH_BIT_MSCHAP2))
		sstp_argv_add(b, "refuse-mschap-v2");
	sstp_argv_add(b, "noipdefault");
	sstp_argv_link(b, &cfg->link, "client-%d", (int)getpid());
	if (cfg->add_default_route) {
		/* pppd puts the old default route back when it exits. */
		sstp_argv_add(b, "defaultroute");
		sstp_argv_add(b, "replacedefaultroute");
	} else {
		sstp_argv_add(b, "nodefaultroute");
	}
	if (cfg->use_peer_dns)
		sstp_argv_add(b, "usepeerdns");
	/* pppd's demand mode wants fixed link-local identifiers for
	 * IPv6CP before any call: dial-on-demand is IPv4 only. */
	if (!cfg->link.ipv6 || cfg->dial_on_demand)
		sstp_argv_add(b, "noipv6");
	if (cfg->name[0]) {
		sstp_argv_add(b, "ifname");
		sstp_argv_add(b, "%s", cfg->name);
	}
	/* ip-up and ip-down scripts get the connection's name as $6. */
	sstp_argv_add(b, "ipparam");
	sstp_argv_add(b, "%s", cfg->name[0] ? cfg->name : cfg->connect_to);
}

static int start_pppd(struct client *c)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct sstp_argv b = { .argc = 0 };
	char err[256];
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv)) {
		fail(c, SSTP_EXIT_LOCAL, "socketpair: %s", strerror(errno));
		return -1;
	}
	build_pppd_args(c, &b, sv[1]);
	if (sstp_pppd_spawn(&b, sv, &c->pppd, err, sizeof(err))) {
		close(sv[0]);
		if (sv[1] >= 0)
			close(sv[1]);
		fail(c, SSTP_EXIT_LOCAL, "%s", err);
		return -1;
	}
	c->ctl = sv[0];
	ev.data.fd = c->ctl;
	epoll_ctl(c->epfd, EPOLL_CTL_ADD, c->ctl, &ev);
	return 0;
}

/* dial-on-demand: the channel of the call to pppd's "dial", or "no". */
static void answer_dial(struct client *c, bool ok)
{
	char index[16];

	if (!c->dial_pending || c->ctl < 0)
		return;
	c->dial_pending = false;
	snprintf(index, sizeof(index), "%u", c->channel);
	if (ok)
		sstp_ctl_reply(c->ctl, SSTP_CTL_CHANNEL, index);
	else
		sstp_ctl_reply(c->ctl, SSTP_CTL_NO_CHANNEL, NULL);
}

/* dial-on-demand: pppd has traffic for the server; set up the call. */
static void dial(struct client *c)
{
	if (c->state != C_IDLE) {
		sstp_ctl_reply(c->ctl, SSTP_CTL_NO_CHANNEL, NULL);
		return;
	}
	sstp_log("traffic for the tunnel: connecting to %s", c->cfg->connect_to);
	c->dial_pending = true;
	c->state = C_START;
	if (!tcp_connect(c) && !tls_handshake(c) && !http_exchange(c))
		start_tunnel(c);
}

static void on_connect_ack(struct client *c, const struct sstp_ctrl *ack)
{
	if (!sstp_hash_choose(ack->binding_req.hash_mask)) {
		send_simple(c, SSTP_MSG_CALL_ABORT, SSTP_STATUS_VALUE_NOT_SUPPORTED);
		fail(c, SSTP_EXIT_PROTOCOL, "the server offers neither SHA-1 nor "
		     "SHA-256 for the crypto binding");
		return;
	}
	c->req = ack->binding_req;
	if (c->cfg->dial_on_demand)
		answer_dial(c, true);
	else if (start_pppd(c))
		return;
	c->state = C_PPP;
}

/* Call Disconnect, then wait for its Ack (or the timer). */
static void disconnect(struct client *c, enum sstp_client_exit code,
		       const char *why)
{
	if (c->state == C_DONE || c->state == C_CLOSING)
		return;
	sstp_log("%s: disconnecting", why);
	c->code = code;
	if (!c->tunnel_id) {
		c->state = C_DONE;
		return;
	}
	send_simple(c, SSTP_MSG_CALL_DISCONNECT, SSTP_STATUS_NO_ERROR);
	c->state = C_CLOSING;
	c->deadline = sstp_now_ms() + DISCONNECT_ACK_MS;
}

/*
 * The server ended the call. During PPP set-up the reason may well be our
 * authentication, which the server's pppd refused a moment before: give
 * our pppd (its plugin's "auth-failed", or its exit status) a moment to
 * say so, since that is what the user needs to hear.
 */
static void end_call(struct client *c, enum sstp_client_exit code,
		     const char *why)
{
	if (c->state != C_PPP || c->pppd <= 0) {
		fail(c, code, "%s", why);
		return;
	}
	c->state = C_PPP_ENDING;
	c->pending_code = code;
	snprintf(c->pending_why, sizeof(c->pending_why), "%s", why);
	c->deadline = sstp_now_ms() + PPP_VERDICT_MS;
}

static void on_ctrl(struct client *c, const uint8_t *pkt, size_t len)
{
	struct sstp_ctrl msg;
	char why[128];

	if (c->state == C_PPP_ENDING)
		return;		/* the call is over; pppd has the word */
	if (sstp_ctrl_decode(pkt, len, &msg)) {
		send_simple(c, SSTP_MSG_CALL_ABORT, msg.err_status ? msg.err_status :
			    SSTP_STATUS_INVALID_FRAME_RECEIVED);
		fail(c, SSTP_EXIT_PROTOCOL, "invalid control packet from the server");
		return;
	}
	switch (msg.type) {
	case SSTP_MSG_CALL_CONNECT_ACK:
		if (c->state == C_CONNECT_SENT) {
			on_connect_ack(c, &msg);
			return;
		}
		break;
	case SSTP_MSG_CALL_CONNECT_NAK:
		if (c->state == C_CONNECT_SENT) {
			fail(c, SSTP_EXIT_PROTOCOL, "the server refused the call (%s)",
			     msg.nstatus ? sstp_status_name(msg.status[0].status) :
			     "no reason given");
			return;
		}
		break;
	case SSTP_MSG_CALL_DISCONNECT:
		send_simple(c, SSTP_MSG_CALL_DISCONNECT_ACK, SSTP_STATUS_NO_ERROR);
		end_call(c, c->state == C_CLOSING ? c->code : SSTP_EXIT_OK,
			 "the server disconnected");
		return;
	case SSTP_MSG_CALL_DISCONNECT_ACK:
		if (c->state == C_CLOSING) {
			sstp_log("disconnected");
			c->state = C_DONE;
			return;
		}
		break;
	case SSTP_MSG_CALL_ABORT:
		snprintf(why, sizeof(why), "the server aborted the call (%s)",
			 msg.nstatus ? sstp_status_name(msg.status[0].status) :
			 "no reason given");
		end_call(c, c->state == C_UP ? SSTP_EXIT_LOST : SSTP_EXIT_PROTOCOL,
			 why);
		return;
	default:
		break;
	}
	send_simple(c, SSTP_MSG_CALL_ABORT, SSTP_STATUS_UNACCEPTED_FRAME_RECEIVED);
	fail(c, SSTP_EXIT_PROTOCOL, "unexpected %s from the server",
	     sstp_msg_type_name(msg.type));
}

static void on_event(const struct sstp_event *ev, void *arg)
{
	struct client *c = arg;
	char why[128];

	if (ev->tunnel_id != c->tunnel_id || !c->tunnel_id)
		return;
	if (ev->cmd == SSTP_CMD_CTRL_RECV) {
		on_ctrl(c, ev->packet, ev->packet_len);
		return;
	}
	c->tunnel_id = 0;	/* gone in the kernel: nothing to delete */
	if (c->state == C_PPP_ENDING)
		return;
	snprintf(why, sizeof(why), "connection lost: %s",
		 sstp_down_reason_name(ev->info.down_reason));
	end_call(c, c->state == C_UP ? SSTP_EXIT_LOST : SSTP_EXIT_PROTOCOL, why);
}

/* ---- crypto binding and pppd's plugin ---------------------------------- */

/* pppd's keys are in: Call Connected with the Compound MAC, gate open. */
static void send_binding(struct client *c, const struct sstp_ctl_msg *m)
{
	enum sstp_auth_method method = sstp_ctl_auth_method(c->method, m->keys_none);
	uint8_t hlak[SSTP_HLAK_LEN], pkt[SSTP_CALL_CONNECTED_LEN];
	int rc;

	if (c->state != C_PPP)
		return;
	rc = sstp_hlak(method, SSTP_ROLE_CLIENT, m->send_key, sizeof(m->send_key),
		       m->recv_key, sizeof(m->recv_key), hlak);
	if (!rc)
		rc = sstp_binding_build(&c->req, &c->cert, hlak, pkt);
	OPENSSL_cleanse(hlak, sizeof(hlak));
#ifdef SSTP_TEST_FORGE_BINDING
	/* build/tests/sstp-helper-forge only: a wrong Compound MAC. */
	pkt[sizeof(pkt) - 1] ^= 0x01;
#endif
	if (rc < 0 || sstp_genl_ctrl_send(&c->nl, c->tunnel_id, pkt, sizeof(pkt))) {
		send_simple(c, SSTP_MSG_CALL_ABORT, SSTP_STATUS_INVALID_FRAME_RECEIVED);
		fail(c, SSTP_EXIT_LOCAL, "cannot send the crypto binding: %s",
		     rc < 0 ? strerror(-rc) : c->nl.err);
		return;
	}
	if (sstp_genl_set_connected(&c->nl, c->tunnel_id)) {
		fail(c, SSTP_EXIT_LOCAL, "cannot open the tunnel: %s", c->nl.err);
		return;
	}
	c->state = C_UP;
	c->deadline = 0;
	sstp_log("connected to %s as %s (%s), crypto binding sent",
		 c->cfg->connect_to, c->cfg->user, c->method);
}

static void on_plugin(struct client *c)
{
	struct sstp_ctl_msg m;
	int ret = 0;

	while (c->ctl >= 0 && (ret = sstp_ctl_read(c->ctl, &m)) > 0) {
		switch (m.kind) {
		case SSTP_CTL_PASSWORD_REQ:
			sstp_ctl_reply(c->ctl, SSTP_CTL_PASSWORD, c->cfg->password);
			break;
		case SSTP_CTL_DIAL_REQ:
			dial(c);
			break;
		case SSTP_CTL_HANGUP_MSG:
			if (c->state == C_PPP || c->state == C_UP)
				disconnect(c, SSTP_EXIT_OK, "pppd let the link go");
			break;
		case SSTP_CTL_AUTH_UP:
			snprintf(c->method, sizeof(c->method), "%s", m.method);
			break;
		case SSTP_CTL_AUTH_REFUSED:
			if (c->state != C_PPP_ENDING)
				send_simple(c, SSTP_MSG_CALL_DISCONNECT,
					    SSTP_STATUS_NO_ERROR);
			fail(c, SSTP_EXIT_AUTH, "authentication failed: the server "
			     "refused user %s (%s)", c->cfg->user, m.method);
			break;
		case SSTP_CTL_KEYS_UP:
			send_binding(c, &m);
			break;
		case SSTP_CTL_IP_UP_MSG:
			snprintf(c->ifname, sizeof(c->ifname), "%s", m.ifname);
			snprintf(c->local, sizeof(c->local), "%s", m.local);
			snprintf(c->remote, sizeof(c->remote), "%s", m.remote);
			sstp_log("%s up: local %s, remote %s", m.ifname, m.local,
				 m.remote);
			break;
		default:
			break;
		}
		OPENSSL_cleanse(&m, sizeof(m));
	}
	if (ret < 0 && c->ctl >= 0) {
		/* pppd is going: SIGCHLD says how. */
		epoll_ctl(c->epfd, EPOLL_CTL_DEL, c->ctl, NULL);
		close(c->ctl);
		c->ctl = -1;
	}
}

static void on_pppd_exit(struct client *c, int status)
{
	char why[128];

	c->pppd = 0;
	if (WIFEXITED(status) &&
	    WEXITSTATUS(status) == SSTP_PPPD_AUTH_TOPEER_FAILED) {
		if (c->state != C_PPP_ENDING)
			send_simple(c, SSTP_MSG_CALL_DISCONNECT, SSTP_STATUS_NO_ERROR);
		fail(c, SSTP_EXIT_AUTH, "authentication failed: the server "
		     "refused user %s", c->cfg->user);
		return;
	}
	if (c->state == C_PPP_ENDING) {
		fail(c, c->pending_code, "%s", c->pending_why);
		return;
	}
	sstp_pppd_describe_exit(status, why, sizeof(why));
	disconnect(c, c->state == C_UP ? SSTP_EXIT_LOST : SSTP_EXIT_LOCAL, why);
}

static void on_signal(struct client *c)
{
	struct signalfd_siginfo si;
	int status;
	pid_t pid;

	while (read(c->sfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo != SIGCHLD) {
			c->stopped = true;
			disconnect(c, SSTP_EXIT_OK, "stopping on a signal");
			continue;
		}
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
			if (pid == c->pppd)
				on_pppd_exit(c, status);
	}
}

static void on_timer(struct client *c)
{
	if (c->state == C_PPP_ENDING) {
		fail(c, c->pending_code, "%s", c->pending_why);
		return;
	}
	if (c->state == C_CLOSING) {
		sstp_log("no Disconnect Ack from the server");
		c->state = C_DONE;
		return;
	}
	send_simple(c, SSTP_MSG_CALL_ABORT, SSTP_STATUS_NEGOTIATION_TIMEOUT);
	fail(c, SSTP_EXIT_PROTOCOL, c->state == C_CONNECT_SENT ?
	     "no answer to Call Connect Request in time" :
	     "PPP did not come up in time");
}

/* ---- status ---------------------------------------------------------------- */

static const char *const state_names[] = {
	[C_START] = "tls", [C_CONNECT_SENT] = "connect", [C_PPP] = "ppp",
	[C_UP] = "up", [C_CLOSING] = "closing", [C_PPP_ENDING] = "closing",
	[C_IDLE] = "idle", [C_DONE] = "ended",
};

/* Our own socket for `sstp-helper status`; without one we still run. */
static void open_status(struct client *c)
{
	struct epoll_event ev = { .events = EPOLLIN };
	char name[32], err[256];

	snprintf(name, sizeof(name), "%d", (int)getpid());
	snprintf(c->status_path, sizeof(c->status_path), SSTP_CLIENT_SOCKET_FMT,
		 c->cfg->name[0] ? c->cfg->name : name);
	c->status_fd = sstp_status_socket_open(c->status_path, err, sizeof(err));
	if (c->status_fd < 0) {
		sstp_log("warning: %s; sstp-helper status will not list us", err);
		return;
	}
	ev.data.fd = c->status_fd;
	epoll_ctl(c->epfd, EPOLL_CTL_ADD, c->status_fd, &ev);
}

/* One record about us to each reader; small enough for one send. */
static void answer_status(struct client *c)
{
	char buf[64 + SSTP_STATUS_LINE_MAX];
	struct sstp_tunnel_info info;
	struct sstp_status_rec r = { .id = (unsigned int)getpid() };
	int fd, n;

	while ((fd = accept4(c->status_fd, NULL, NULL, SOCK_CLOEXEC)) >= 0) {
		snprintf(r.role, sizeof(r.role), "client");
		snprintf(r.state, sizeof(r.state), "%s", state_names[c->state]);
		snprintf(r.user, sizeof(r.user), "%s", c->cfg->user);
		snprintf(r.peer, sizeof(r.peer), "%s:%lu", c->cfg->connect_to,
			 c->cfg->port);
		snprintf(r.ifname, sizeof(r.ifname), "%s", c->ifname);
		snprintf(r.local, sizeof(r.local), "%s", c->local);
		snprintf(r.remote, sizeof(r.remote), "%s", c->remote);
		snprintf(r.tls, sizeof(r.tls), "%s", c->tls_version);
		snprintf(r.cipher, sizeof(r.cipher), "%s", c->tls_cipher);
		r.uptime = (uint64_t)(sstp_now_ms() - c->started_ms) / 1000;
		if (c->tunnel_id && !sstp_genl_tunnel_get(&c->nl, c->tunnel_id, &info))
			sstp_status_counters(&r, &info);
		n = snprintf(buf, sizeof(buf), "%s\n", SSTP_STATUS_MAGIC);
		/* The buffer holds the longest record: format cannot fail. */
		n += sstp_status_format(&r, buf + n, sizeof(buf) - (size_t)n);
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, "%s\n",
			      SSTP_STATUS_END);
		if (send(fd, buf, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT) != n)
			sstp_debug("status: a reader got a short answer");
		close(fd);
	}
}

static int setup_loop(struct client *c)
{
	struct epoll_event ev = { .events = EPOLLIN };
	sigset_t mask;

	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	c->sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	c->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (c->sfd < 0 || c->epfd < 0) {
		fail(c, SSTP_EXIT_LOCAL, "epoll/signalfd: %s", strerror(errno));
		return -1;
	}
	ev.data.fd = c->sfd;
	epoll_ctl(c->epfd, EPOLL_CTL_ADD, c->sfd, &ev);
	return 0;
}

/* Netlink events and status readers into the loop, once per run. */
static void watch_netlink_and_status(struct client *c)
{
	struct epoll_event ev = { .events = EPOLLIN };

	ev.data.fd = sstp_genl_fd(&c->nl);
	epoll_ctl(c->epfd, EPOLL_CTL_ADD, ev.data.fd, &ev);
	open_status(c);
}

/* Until the call is over (C_DONE). */
static void run_loop(struct client *c)
{
	struct epoll_event evs[8];
	int i, n, timeout;

	while (c->state != C_DONE) {
		/* Events a request's reply loop queued: epoll will not say. */
		while (c->nl.queue_count && c->state != C_DONE)
			sstp_genl_wait_event(&c->nl, 0, on_event, c);
		if (c->state == C_DONE)
			break;
		if (c->deadline && sstp_now_ms() >= c->deadline) {
			on_timer(c);
			continue;
		}
		timeout = c->deadline ? (int)(c->deadline - sstp_now_ms()) : -1;
		n = epoll_wait(c->epfd, evs, 8, timeout < 0 && c->deadline ? 0 : timeout);
		for (i = 0; i < n && c->state != C_DONE; i++) {
			if (evs[i].data.fd == c->sfd)
				on_signal(c);
			else if (evs[i].data.fd == c->status_fd)
				answer_status(c);
			else if (evs[i].data.fd == c->ctl)
				on_plugin(c);
			else
				while (c->state != C_DONE &&
				       sstp_genl_wait_event(&c->nl, 0, on_event, c) > 0)
					;
		}
	}
}

/* ---- dial-on-demand ----------------------------------------------------- */

/*
 * add-default-route: pppd routes everything into its interface from the
 * start, the server's address too, before any call: pin the server's
 * route (or the proxy's) first, looked up with a UDP socket that sends
 * nothing.
 */
static int pin_before_pppd(struct client *c)
{
	const struct sstp_client_config *cfg = c->cfg;
	const char *host = cfg->proxy_host[0] ? cfg->proxy_host : cfg->connect_to;
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM }, *ai = NULL;
	char port[8], err[256];
	int fd = -1, rc = -1;

	if (!cfg->add_default_route && !cfg->save_server_route)
		return 0;
	snprintf(port, sizeof(port), "%lu",
		 cfg->proxy_host[0] ? cfg->proxy_port : cfg->port);
	if (getaddrinfo(host, port, &hints, &ai) || !ai) {
		fail(c, SSTP_EXIT_UNREACHABLE, "cannot resolve %s", host);
		return -1;
	}
	fd = socket(ai->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, ai->ai_addr, ai->ai_addrlen)) {
		fail(c, SSTP_EXIT_UNREACHABLE, "no route to %s: %s", host,
		     strerror(errno));
	} else if (sstp_route_pin(fd, &c->pin, err, sizeof(err))) {
		fail(c, SSTP_EXIT_LOCAL, "add-default-route: %s", err);
	} else {
		sstp_log("add-default-route: the route to %s stays outside the "
			 "tunnel", c->pin.text);
		rc = 0;
	}
	if (fd >= 0)
		close(fd);
	freeaddrinfo(ai);
	return rc;
}

/* What one call held goes; pppd, netlink and the status socket stay. */
static void end_connection(struct client *c)
{
	answer_dial(c, false);
	if (c->tunnel_id)
		sstp_genl_tunnel_del(&c->nl, c->tunnel_id);
	c->tunnel_id = 0;
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	SSL_free(c->ssl);
	c->ssl = NULL;
	c->prefix_len = 0;
	c->deadline = 0;
	c->certificate_requested = false;
	c->have_alert = false;
	c->method[0] = c->tls_version[0] = c->tls_cipher[0] = '\0';
	c->local[0] = c->remote[0] = '\0';
}

/*
 * pppd first, in demand mode: its interface is up at once and it says
 * "dial" when traffic comes; each call runs as an ordinary one, and when
 * it ends we wait for the next "dial". Over when pppd exits, on a signal,
 * or for a mistake of ours that no retry mends.
 */
static void run_on_demand(struct client *c)
{
	if (setup_loop(c) || prepare_tls(c) || open_netlink(c) ||
	    pin_before_pppd(c) || start_pppd(c))
		return;
	watch_netlink_and_status(c);
	sstp_log("dial-on-demand: waiting for traffic");
	for (;;) {
		c->state = C_IDLE;
		run_loop(c);
		end_connection(c);
		if (c->stopped || c->pppd <= 0 || c->code == SSTP_EXIT_CONFIG)
			break;
		c->code = SSTP_EXIT_OK;
		sstp_log("dial-on-demand: waiting for traffic again");
	}
}

/* Whether pppd ended within @ms. */
static bool pppd_gone_within(pid_t pid, long long ms)
{
	long long until = sstp_now_ms() + ms;
	int status;

	while (waitpid(pid, &status, WNOHANG) == 0) {
		if (sstp_now_ms() >= until)
			return false;
		usleep(50000);
	}
	return true;
}

/*
 * Tunnel, pppd, sockets: all released. With the tunnel gone (deleted here
 * or already down in the kernel) pppd reads a hangup and ends by itself,
 * running its ip-down scripts, which a signal would cut short; SIGTERM and
 * SIGKILL only if it lingers.
 */
static void teardown(struct client *c)
{
	int status;

	if (c->tunnel_id && c->nl_open)
		sstp_genl_tunnel_del(&c->nl, c->tunnel_id);
	/* In demand mode pppd outlives a hangup by design: no wait. */
	if (c->pppd > 0 && (c->cfg->dial_on_demand ||
			    !pppd_gone_within(c->pppd, SSTP_PPPD_HANGUP_MS))) {
		kill(c->pppd, SIGTERM);
		if (!pppd_gone_within(c->pppd, PPPD_EXIT_MS)) {
			kill(c->pppd, SIGKILL);
			waitpid(c->pppd, &status, 0);
		}
	}
	if (c->ctl >= 0)
		close(c->ctl);
	if (c->nl_open)
		sstp_genl_close(&c->nl);
	if (c->fd >= 0)
		close(c->fd);
	SSL_free(c->ssl);
	SSL_CTX_free(c->ctx);
	if (c->sfd >= 0)
		close(c->sfd);
	if (c->epfd >= 0)
		close(c->epfd);
	sstp_status_socket_close(c->status_fd, c->status_path);
	sstp_route_unpin(&c->pin);
}

enum sstp_client_exit sstp_client_run(const struct sstp_client_config *cfg,
				      bool *stopped)
{
	struct client *c = calloc(1, sizeof(*c));
	enum sstp_client_exit code;

	if (!c) {
		sstp_log("out of memory");
		return SSTP_EXIT_LOCAL;
	}
	c->cfg = cfg;
	c->fd = c->ctl = c->sfd = c->epfd = c->status_fd = -1;
	c->code = SSTP_EXIT_OK;
	c->started_ms = sstp_now_ms();
	if (cfg->link.anonymous_dh)
		sstp_log("warning: anonymous-dh = yes: TLS without certificates; "
			 "anyone on the path can pose as %s (MikroTik's "
			 "certificate=none)", cfg->connect_to);
	else if (!cfg->verify_server_certificate)
		sstp_log("warning: the server's certificate is not verified "
			 "(verify-server-certificate = no): anyone on the path "
			 "can pose as %s", cfg->connect_to);
	if (cfg->dial_on_demand) {
		run_on_demand(c);
	} else if (!setup_loop(c) && !prepare_tls(c) && !tcp_connect(c) &&
		   !tls_handshake(c) && !http_exchange(c) && !start_tunnel(c)) {
		watch_netlink_and_status(c);
		run_loop(c);
	}
	code = c->code;
	*stopped = c->stopped;
	teardown(c);
	OPENSSL_cleanse(c, sizeof(*c));
	free(c);
	return code;
}
