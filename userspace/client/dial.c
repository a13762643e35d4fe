// SPDX-License-Identifier: GPL-2.0-or-later
/* dial.c - TCP, proxy, TLS, kTLS and HTTP for the client (see dial.h). */

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/rand.h>

#include "client/dial.h"
#include "common/log.h"
#include "client/http-connect.h"
#include "datapath/pick.h"
#include "transport/ktls.h"
#include "transport/tcp.h"
#include "transport/tls.h"

#define CONNECT_TIMEOUT_MS	10000	/* TCP connect, per address */
#define EXCHANGE_TIMEOUT_S	15	/* proxy, TLS handshake, HTTP exchange */

/*
 * Which carrier takes the call, now that its cipher is known: sstp.ko
 * whenever dial-on-demand (pppd waits on a channel of its), else as
 * datapath says; auto says which and why in one line.
 */
static void pick_carrier(struct sstp_dial *d)
{
	enum sstp_datapath want = d->cfg->dial_on_demand ? SSTP_DATAPATH_KERNEL :
				  d->cfg->link.datapath;
	char why[160] = "";
	bool module = want == SSTP_DATAPATH_AUTO &&
		      sstp_datapath_module(why, sizeof(why));

	d->user_path = sstp_datapath_pick(want, SSL_get_current_cipher(d->ssl),
					  module, why, sizeof(why)) ==
		       SSTP_DATAPATH_USER;
	if (want == SSTP_DATAPATH_AUTO)
		sstp_log("datapath auto: %s (%s)", d->user_path ?
			 "the helper carries the call" : "sstp.ko carries the call",
			 why);
}

static int fail(struct sstp_dial *d, enum sstp_client_exit code,
		const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The first failure is the one reported; always -1. */
static int fail(struct sstp_dial *d, enum sstp_client_exit code,
		const char *fmt, ...)
{
	va_list ap;

	if (d->why[0])
		return -1;
	va_start(ap, fmt);
	vsnprintf(d->why, sizeof(d->why), fmt, ap);
	va_end(ap);
	d->code = code;
	return -1;
}

static int tcp_to(struct sstp_dial *d, const char *host, unsigned long port,
		  const char *what)
{
	char err[sizeof(d->why)];

	d->fd = sstp_tcp_connect(host, port, CONNECT_TIMEOUT_MS, what, err,
				 sizeof(err));
	return d->fd < 0 ? fail(d, SSTP_EXIT_UNREACHABLE, "%s", err) : 0;
}

/*
 * One CONNECT through the proxy on d->fd. Returns 0 when the tunnel is
 * up, 1 when the proxy wants credentials we have not sent yet, -1 (said
 * why) otherwise. Not one byte of TLS is read.
 */
static int proxy_connect_once(struct sstp_dial *d, bool with_credentials)
{
	const struct sstp_client_config *cfg = d->cfg;
	struct sstp_http_response resp;
	char req[1024], buf[SSTP_HTTP_MAX_HEADER], msg[512];
	size_t len;
	int rc;

	rc = sstp_http_format_connect(req, sizeof(req), cfg->connect_to,
				      (unsigned int)cfg->port,
				      with_credentials ? cfg->proxy_user : NULL,
				      with_credentials ? cfg->proxy_password : NULL);
	if (rc < 0)
		return fail(d, SSTP_EXIT_CONFIG, "cannot build the proxy request");
	sstp_tcp_io_timeout(d->fd, EXCHANGE_TIMEOUT_S);
	if (sstp_tcp_send_all(d->fd, req, (size_t)rc) ||
	    sstp_tcp_read_header(d->fd, buf, sizeof(buf), &len)) {
		OPENSSL_cleanse(req, sizeof(req));
		return fail(d, SSTP_EXIT_UNREACHABLE, "no answer from the proxy %s: %s",
			    cfg->proxy_host, errno ? strerror(errno) : "closed");
	}
	OPENSSL_cleanse(req, sizeof(req));
	if (sstp_http_parse_connect_response(buf, len, &resp) <= 0)
		return fail(d, SSTP_EXIT_UNREACHABLE, "bad answer from the proxy %s: %s",
			    cfg->proxy_host, resp.error ? resp.error : "malformed");
	rc = sstp_http_connect_check(&resp, with_credentials, msg, sizeof(msg));
	if (rc < 0 || (rc > 0 && !cfg->proxy_user[0]))
		return fail(d, SSTP_EXIT_UNREACHABLE, "proxy %s: %s",
			    cfg->proxy_host, msg);
	return rc;
}

/* Through http-proxy if there is one (retrying once with credentials). */
static int tcp_connect(struct sstp_dial *d)
{
	const struct sstp_client_config *cfg = d->cfg;
	int rc;

	if (!cfg->proxy_host[0])
		return tcp_to(d, cfg->connect_to, cfg->port, "");
	if (tcp_to(d, cfg->proxy_host, cfg->proxy_port, "the proxy "))
		return -1;
	rc = proxy_connect_once(d, false);
	if (rc > 0) {
		close(d->fd);
		d->fd = -1;
		if (tcp_to(d, cfg->proxy_host, cfg->proxy_port, "the proxy "))
			return -1;
		rc = proxy_connect_once(d, true);
	}
	if (rc)
		return -1;
	sstp_log("through the proxy %s to %s", cfg->proxy_host, cfg->connect_to);
	return 0;
}

/*
 * OpenSSL asks this when the server wants a client certificate and we
 * have none: note it, for the message if the server then refuses us.
 */
static int note_certificate_request(SSL *ssl, X509 **cert, EVP_PKEY **key)
{
	struct sstp_dial *d = SSL_get_app_data(ssl);

	(void)cert;
	(void)key;
	if (d)
		d->certificate_requested = true;
	return 0;	/* none to give */
}

/* OpenSSL reports each alert it reads: keep the server's last one. */
static void note_alert(const SSL *ssl, int where, int ret)
{
	struct sstp_dial *d = SSL_get_app_data(ssl);

	if (d && (where & SSL_CB_READ_ALERT)) {
		d->alert = (uint8_t)(ret & 0xff);
		d->have_alert = true;
	}
}

SSL_CTX *sstp_dial_tls_context(const struct sstp_client_config *cfg,
			       char *err, size_t errlen)
{
	const struct sstp_tls_conf tls = {
		.link = &cfg->link,
		.certificate = cfg->certificate,
		.private_key = cfg->private_key,
		.ca = cfg->ca,
		.verify_peer = cfg->verify_server_certificate,
	};
	SSL_CTX *ctx = sstp_tls_client_ctx(&tls, err, errlen);

	if (!ctx)
		return NULL;
	if (!cfg->certificate[0])
		SSL_CTX_set_client_cert_cb(ctx, note_certificate_request);
	SSL_CTX_set_info_callback(ctx, note_alert);
	return ctx;
}

void sstp_dial_init(struct sstp_dial *d, const struct sstp_client_config *cfg,
		    SSL_CTX *ctx)
{
	memset(d, 0, sizeof(*d));
	d->cfg = cfg;
	d->fd = -1;
	SSL_CTX_up_ref(ctx);
	d->ctx = ctx;
}

/* A refusal by a server that asked for a client certificate. */
#define NO_CERTIFICATE_HINT \
	" (the server asks for a client certificate: give certificate and " \
	"private-key)"

/* What a refused handshake most likely means, for the failure line. */
static const char *handshake_hint(const struct sstp_dial *d, unsigned long e)
{
	if (d->certificate_requested)
		return NO_CERTIFICATE_HINT;
	if (ERR_GET_REASON(e) != SSL_R_SSLV3_ALERT_HANDSHAKE_FAILURE)
		return "";
	if (d->cfg->link.anonymous_dh)
		return " (anonymous-dh = yes offers only anonymous suites: "
		       "the server has a certificate, or no TLS 1.2)";
	return " (no TLS version or cipher in common with the server; a "
	       "MikroTik server with certificate=none needs anonymous-dh = yes)";
}

/* A TLS alert's description in words; OpenSSL 3.0 lacks TLS 1.3's. */
static const char *alert_text(uint8_t desc, char *buf, size_t size)
{
	switch (desc) {
	case 109: return "missing extension";
	case 116: return "certificate required";
	case 120: return "no application protocol";
	}
	if (strcmp(SSL_alert_desc_string(desc), "UK"))
		return SSL_alert_desc_string_long(desc);
	snprintf(buf, size, "TLS alert %u", desc);
	return buf;
}

/* The server's alert @desc ended the connection after our handshake. */
static int fail_refused(struct sstp_dial *d, uint8_t desc)
{
	char unknown[32];

	return fail(d, SSTP_EXIT_CERTIFICATE, "the server refused the TLS "
		    "connection: %s%s", alert_text(desc, unknown, sizeof(unknown)),
		    d->certificate_requested ? NO_CERTIFICATE_HINT : "");
}

/*
 * TLS 1.3: our handshake ends before the server has checked our
 * certificate. When it refuses it and hangs up at once, the kTLS handoff
 * finds the socket closing; its alert is still there to read, and says
 * what happened: 1 if so (and the dial failed with it).
 */
static int refused_after_handshake(struct sstp_dial *d)
{
	struct pollfd pfd = { .fd = d->fd, .events = POLLIN };
	char byte;

	if (poll(&pfd, 1, 0) == 1)
		SSL_read(d->ssl, &byte, 1);
	ERR_clear_error();
	if (!d->have_alert)
		return 0;
	fail_refused(d, d->alert);
	return 1;
}

/* Why SSL_connect() failed, in the words a user can act on. */
static int fail_handshake(struct sstp_dial *d)
{
	const char *server = d->cfg->connect_to;
	const char *why = sstp_tls_verify_error(d->ssl);
	unsigned long e = ERR_peek_last_error();
	const char *r = e ? ERR_reason_error_string(e) : NULL;

	if (why)
		fail(d, SSTP_EXIT_CERTIFICATE,
		     "the certificate of %s was refused: %s", server, why);
	else
		fail(d, SSTP_EXIT_CERTIFICATE, "TLS with %s failed: %s%s", server,
		     r ? r : errno ? strerror(errno) :
		     "the server closed the connection", handshake_hint(d, e));
	ERR_clear_error();
	return -1;
}

static int tls_handshake(struct sstp_dial *d)
{
	const struct sstp_client_config *cfg = d->cfg;
	char err[256];
	int bits;

	d->ssl = sstp_tls_client_ssl(d->ctx, d->fd, cfg->connect_to,
				     cfg->verify_server_address, err, sizeof(err));
	if (!d->ssl)
		return fail(d, SSTP_EXIT_LOCAL, "%s", err);
	SSL_set_app_data(d->ssl, d);
	sstp_tcp_io_timeout(d->fd, EXCHANGE_TIMEOUT_S);
	if (SSL_connect(d->ssl) != 1)
		return fail_handshake(d);
	if (sstp_tls_peer_key_too_small(d->ssl, &bits))
		return fail(d, SSTP_EXIT_CERTIFICATE, "the server's RSA key has "
			    "%d bits: at least %d are needed", bits,
			    SSTP_MIN_RSA_BITS);
	if (cfg->link.anonymous_dh)
		sstp_cert_hashes_anonymous(&d->cert);
	else if (sstp_cert_hashes_from_x509(&d->cert,
					    SSL_get0_peer_certificate(d->ssl)))
		return fail(d, SSTP_EXIT_CERTIFICATE,
			    "cannot hash the server's certificate");
	sstp_log("TLS with %s: %s %s", cfg->connect_to, SSL_get_version(d->ssl),
		 SSL_get_cipher_name(d->ssl));
	pick_carrier(d);
	if (d->user_path)
		return 0;
	if (sstp_ktls_handoff(d->ssl, d->fd, err, sizeof(err))) {
		if (!refused_after_handshake(d))
			fail(d, SSTP_EXIT_LOCAL, "kTLS: %s", err);
		return -1;
	}
	return 0;
}

/*
 * The bytes of the HTTP exchange go through the kTLS socket, or, on the
 * userspace data path, through OpenSSL, which keeps the connection.
 */
static int send_bytes(struct sstp_dial *d, const char *buf, size_t len)
{
	if (!d->user_path)
		return sstp_tcp_send_all(d->fd, buf, len);
	if (SSL_write(d->ssl, buf, (int)len) == (int)len)
		return 0;
	if (!errno)
		errno = EPIPE;
	ERR_clear_error();
	return -1;
}

/* > 0 bytes, 0 at the end, or -1 with errno (EPROTO: the server's alert). */
static ssize_t recv_bytes(struct sstp_dial *d, uint8_t *buf, size_t len)
{
	ssize_t n;

	if (!d->user_path)
		return sstp_ktls_recv(d->fd, buf, len);
	n = sstp_tls_recv(d->ssl, buf, len);
	/* A TLS error that was not the server's alert: no verdict to tell. */
	if (n < 0 && errno == EPROTO && !d->have_alert)
		errno = ECONNABORTED;
	return n;
}

/* Our SSTP_DUPLEX_POST, with a fresh correlation GUID unless one is set. */
static int send_request(struct sstp_dial *d)
{
	const struct sstp_client_config *cfg = d->cfg;
	char host[300], guid[64], req[1024];
	uint8_t rnd[16];

	if (RAND_bytes(rnd, sizeof(rnd)) != 1 ||
	    sstp_http_format_host(host, sizeof(host), cfg->connect_to,
				  (unsigned int)cfg->port) < 0 ||
	    sstp_http_format_guid(guid, sizeof(guid), rnd) < 0 ||
	    sstp_http_format_request(req, sizeof(req), host,
				     cfg->correlation_id[0] ? cfg->correlation_id :
				     guid) < 0)
		return fail(d, SSTP_EXIT_LOCAL, "cannot build the HTTP request");
	if (send_bytes(d, req, strlen(req)))
		return fail(d, SSTP_EXIT_PROTOCOL, "sending the HTTP request: %s",
			    strerror(errno));
	return 0;
}

/* SSTP_DUPLEX_POST and the server's answer, over the TLS connection. */
static int http_exchange(struct sstp_dial *d)
{
	const char *server = d->cfg->connect_to;
	struct sstp_http_response resp;
	uint8_t buf[SSTP_HTTP_MAX_HEADER + SSTP_MAX_PACKET];
	char msg[512];
	size_t len = 0;
	ssize_t n;
	int hdr = 0;

	if (send_request(d))
		return -1;
	while (hdr == 0) {
		if (len == sizeof(buf))
			return fail(d, SSTP_EXIT_PROTOCOL,
				    "the server's HTTP answer is too long");
		n = recv_bytes(d, buf + len, sizeof(buf) - len);
		/* TLS 1.3: the server checks our certificate after our
		 * handshake is over; its verdict comes now. */
		if (n < 0 && errno == EPROTO)
			return fail_refused(d, d->user_path ? d->alert : buf[len + 1]);
		if (n <= 0)
			return fail(d, SSTP_EXIT_PROTOCOL, "no HTTP answer from %s: %s",
				    server, n == 0 ? "connection closed" :
				    errno == EAGAIN ? "timed out" : strerror(errno));
		len += (size_t)n;
		hdr = sstp_http_parse_response(buf, len, &resp);
	}
	if (hdr < 0)
		return fail(d, SSTP_EXIT_PROTOCOL, "bad HTTP answer from %s: %s",
			    server, resp.error ? resp.error : "malformed");
	if (sstp_http_response_check(&resp, msg, sizeof(msg)))
		return fail(d, SSTP_EXIT_PROTOCOL, "%s", msg);
	if (len - (size_t)hdr > sizeof(d->prefix))
		return fail(d, SSTP_EXIT_PROTOCOL,
			    "too many bytes after the HTTP answer");
	d->prefix_len = len - (size_t)hdr;
	memcpy(d->prefix, buf + hdr, d->prefix_len);
	return 0;
}

int sstp_dial_run(struct sstp_dial *d)
{
	sstp_dial_reset(d);
	if (tcp_connect(d) || tls_handshake(d) || http_exchange(d))
		return -1;
	return 0;
}

void sstp_dial_reset(struct sstp_dial *d)
{
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
	SSL_free(d->ssl);
	d->ssl = NULL;
	d->prefix_len = 0;
	d->user_path = false;
	d->certificate_requested = false;
	d->have_alert = false;
	d->why[0] = '\0';
	d->code = SSTP_EXIT_OK;
}

void sstp_dial_free(struct sstp_dial *d)
{
	sstp_dial_reset(d);
	SSL_CTX_free(d->ctx);
	d->ctx = NULL;
}
