/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tls.h - OpenSSL contexts for sstp-helper: only what kTLS can carry, and
 * certificate checks with errors in plain words.
 */
#ifndef SSTP_TLS_H
#define SSTP_TLS_H

#include <stddef.h>

#include <openssl/ssl.h>

#include "common/link.h"

/* Smallest RSA key we accept, as MikroTik and Windows do. */
#define SSTP_MIN_RSA_BITS 472

/* What a context is made of: each role fills one from its settings. */
struct sstp_tls_conf {
	const struct sstp_link_conf *link;	/* versions, pfs, anonymous-dh */
	const char *certificate;	/* ours, PEM with its chain; "": none */
	const char *private_key;	/* PEM; "": in @certificate's file */
	const char *ca;			/* the peer's issuers; "": see below */
	bool verify_peer;		/* verify-{server,client}-certificate */
};

/*
 * Both contexts take only ciphers kTLS can carry, the TLS versions asked
 * for, and, with SSLKEYLOGFILE=PATH in the environment, write every TLS
 * secret to PATH (for Wireshark; debugging only, and said so in the log).
 */

/* The server's: @c->ca (a file) is required with @c->verify_peer. */
SSL_CTX *sstp_tls_server_ctx(const struct sstp_tls_conf *c, char *err,
			     size_t errlen);

/*
 * The client's: the server verified against @c->ca (a file or a
 * directory; "": the system store) when @c->verify_peer, a client
 * certificate if one is given. NULL with @err.
 */
SSL_CTX *sstp_tls_client_ctx(const struct sstp_tls_conf *c, char *err,
			     size_t errlen);

/*
 * A connection of @ctx on @fd to server @host: SNI for a name, and,
 * with verify-server-address-from-certificate, the name or IP address
 * checked against the certificate. NULL with @err.
 */
SSL *sstp_tls_client_ssl(SSL_CTX *ctx, int fd, const char *host,
			 bool check_address, char *err, size_t errlen);

/*
 * After the client's handshake failed or succeeded: why the server's
 * certificate was refused, in plain words ("certificate has expired",
 * "hostname mismatch", ...), or NULL if it was not.
 */
const char *sstp_tls_verify_error(const SSL *ssl);

/* The server's key is an RSA key shorter than SSTP_MIN_RSA_BITS. */
bool sstp_tls_peer_key_too_small(const SSL *ssl, int *bits);

/*
 * SSL_read() as recv() reports: the bytes (> 0); 0 at the peer's end
 * (close_notify, or TCP's end with no error); or -1 with errno: EAGAIN
 * when nothing can be read yet (or the socket's time limit passed), the
 * socket's own error, or EPROTO for a TLS error (an alert, a bad record).
 * OpenSSL's error queue is left empty.
 */
ssize_t sstp_tls_recv(SSL *ssl, void *buf, size_t len);

#endif /* SSTP_TLS_H */
