/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ktls.h - hand a TLS connection from OpenSSL over to the kernel (kTLS).
 *
 * sstp.ko owns the data path: it reads and writes plaintext on a TCP socket
 * whose TLS record layer lives in the kernel, in both directions.  OpenSSL
 * 3.0 does the handshake; these helpers make sure that, when it is over,
 * the socket carries kTLS TX *and* RX:
 *
 *   TLS 1.2  OpenSSL installs TX and RX itself (SSL_OP_ENABLE_KTLS); we only
 *            check that it did and explain why if it did not.
 *   TLS 1.3  OpenSSL 3.0 installs TX only.  We install RX by hand from the
 *            peer's application traffic secret, which a keylog callback
 *            captures during the handshake.
 *
 * Use:
 *   ctx = SSL_CTX_new(TLS_client_method() or TLS_server_method());
 *   sstp_ktls_ctx_prepare(ctx, err, sizeof(err));
 *   ... certificates, verification, SSL_new, SSL_set_fd(ssl, fd) ...
 *   SSL_connect(ssl) or SSL_accept(ssl)   (blocking or retried until done)
 *   ... optionally an exchange through SSL_read/SSL_write ...
 *   sstp_ktls_handoff(ssl, fd, err, sizeof(err));
 *   ... from now on only send()/recv()/recvmsg() on fd, or give fd to sstp.ko
 *   SSL_free(ssl);                         (whenever convenient)
 *
 * After a successful handoff the SSL object must not move another byte:
 * OpenSSL's idea of the record sequence numbers is stale, SSL_read would
 * consume plaintext from the kernel (and answer with a fatal alert), and
 * SSL_shutdown would inject a close_notify into the kernel's stream.  The
 * handoff therefore marks the SSL as shut down in both directions, which
 * turns SSL_read into an immediate EOF and SSL_write/SSL_shutdown into
 * no-ops that touch nothing; SSL_free neither sends anything nor closes fd
 * (unless the SSL owns a BIO_CLOSE socket BIO: then it closes fd, as always).
 * Inspection calls (SSL_get_peer_certificate, SSL_get_current_cipher, ...)
 * stay valid.
 *
 * After a TLS 1.3 handoff, a NewSessionTicket or KeyUpdate from the peer is
 * delivered by the kernel as a record of type 22 (handshake); see recvmsg()
 * with cmsg TLS_GET_RECORD_TYPE.  A server prepared here sends no tickets.
 */
#ifndef SSTP_KTLS_H
#define SSTP_KTLS_H

#include <stdbool.h>
#include <stddef.h>

#include <openssl/ssl.h>

/* Each record cipher kTLS can carry, as OpenSSL names its suites. */
#define SSTP_TLS12_AES128_GCM						\
	"ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256"
#define SSTP_TLS12_AES256_GCM						\
	"ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384"
#define SSTP_TLS12_CHACHA20						\
	"ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305"
#define SSTP_TLS13_AES128_GCM	"TLS_AES_128_GCM_SHA256"
#define SSTP_TLS13_AES256_GCM	"TLS_AES_256_GCM_SHA384"
#define SSTP_TLS13_CHACHA20	"TLS_CHACHA20_POLY1305_SHA256"

/*
 * What kTLS can carry: AEADs only, with ECDHE (forward secrecy).  Passed to
 * SSL_CTX_set_cipher_list() (TLS 1.2) and SSL_CTX_set_ciphersuites()
 * (TLS 1.3) by sstp_ktls_ctx_prepare(); a caller may narrow them further
 * (never widen: anything else fails at handoff time).
 */
#define SSTP_KTLS_CIPHER_LIST                                                  \
	SSTP_TLS12_AES128_GCM ":" SSTP_TLS12_AES256_GCM ":" SSTP_TLS12_CHACHA20
/* Anonymous DH (no certificates at all), only for anonymous-dh = yes. */
#define SSTP_KTLS_CIPHER_LIST_ANONYMOUS                                        \
	"ADH-AES128-GCM-SHA256:ADH-AES256-GCM-SHA384"
#define SSTP_KTLS_CIPHERSUITES                                                 \
	SSTP_TLS13_AES128_GCM ":" SSTP_TLS13_AES256_GCM ":" SSTP_TLS13_CHACHA20

/* The kernel can run @c's record cipher (AES-GCM or ChaCha20-Poly1305). */
bool sstp_ktls_carries(const SSL_CIPHER *c);

/*
 * Configure @ctx (client or server) so that its connections can be handed
 * off: SSL_OP_ENABLE_KTLS, TLS >= 1.2, the cipher strings above, no
 * read-ahead (OpenSSL must not swallow records meant for the kernel), no
 * renegotiation, no session tickets from a server (they would arrive after
 * the handoff), and the keylog and message callbacks that record the TLS 1.3
 * peer traffic secret and how many peer records OpenSSL has read.  Replaces
 * any keylog or message callback already set on @ctx; do not set others
 * afterwards.
 *
 * Returns 0, or -1 with a message in @err.
 */
int sstp_ktls_ctx_prepare(SSL_CTX *ctx, char *err, size_t errlen);

/*
 * Append every TLS secret of every connection made with a context prepared
 * here to @path, in NSS key log format (Wireshark's tls.keylog_file), for
 * decrypting captures.  Whoever reads that file can decrypt every session:
 * for tests and debugging only.  Returns 0, or -1 with a message in @err.
 */
int sstp_ktls_keylog_to(const char *path, char *err, size_t errlen);

/*
 * Make the kernel own the TLS record layer of @fd in both directions.
 * Call once the handshake of @ssl has completed, on the socket it runs
 * over, with nothing buffered inside OpenSSL (no read-ahead, no partly read
 * record).  Records of the peer that OpenSSL has already read are accounted
 * for, so an exchange through SSL_read/SSL_write before the handoff is fine.
 *
 * The peer's traffic secret is wiped whether or not the handoff succeeds.
 * On failure the connection is unusable (the kernel may hold half of it) and
 * should be closed.  Returns 0, or -1 with a message in @err such as
 * "kernel has no TLS ULP (modprobe tls)".
 */
int sstp_ktls_handoff(SSL *ssl, int fd, char *err, size_t errlen);

/*
 * recv() on a socket after the handoff, for an exchange before the socket
 * goes to sstp.ko (the client's HTTP response): application data only,
 * TLS 1.3 NewSessionTickets (which servers send after the handshake)
 * skipped. Returns the bytes read (> 0), 0 at the peer's close, or -1 with
 * errno: EPROTO for a TLS alert (its level and description are left in
 * buf[0] and buf[1]), EBADMSG for any other record (a KeyUpdate), and
 * recv()'s own.
 */
ssize_t sstp_ktls_recv(int fd, void *buf, size_t len);

#endif /* SSTP_KTLS_H */
