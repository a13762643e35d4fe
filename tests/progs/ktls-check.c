// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ktls-check - prove that sstp_ktls_handoff() leaves both ends of a TLS
 * connection with kTLS TX and RX in the kernel.
 *
 * For each case a client and a server (two threads) handshake over TCP on
 * 127.0.0.1 with OpenSSL, both hand off, and then 64 KiB go each way with
 * plain send()/recvmsg() on the raw sockets.  Checked per case:
 *  - both handoffs succeed;
 *  - the kernel's keys match across the connection (getsockopt TLS_TX of
 *    one end == TLS_RX of the other, record sequence numbers included);
 *  - /proc/net/tls_stat: TlsTxSw and TlsRxSw rose by 2 (one per end), and
 *    TlsDecryptError did not move;
 *  - every byte arrives intact and is flagged as a data record by the
 *    kernel (cmsg TLS_GET_RECORD_TYPE: only a kTLS RX socket emits it);
 *  - after the handoff, SSL_read/SSL_write/SSL_shutdown on the SSL object
 *    neither consume nor inject anything;
 *  - with server tickets sent after the client's handoff, the client's
 *    kernel hands them over as handshake records (type 22, NewSessionTicket);
 *  - with an exchange through OpenSSL before the handoff (tickets too), the
 *    record sequence numbers the handoff gives the kernel are right.
 *
 * Runs as root inside a guest with the tls module available (on a host
 * without it every case fails with "kernel has no TLS ULP").
 * Usage: ktls-check [-v] [-l] [CASE...]; prints "ok CASE" or "FAIL CASE: why"
 * per case and exits 1 if any case failed.
 */
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <linux/tls.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "transport/ktls.h"

#define PAYLOAD_LEN (64 * 1024)
#define IO_TIMEOUT_S 10  /* per socket operation */
#define CASE_TIMEOUT_S 60 /* whole case, including the TCG-slow handshake */
#define TLS_TYPE_HANDSHAKE 22
#define TLS_TYPE_DATA 23
#define TLS_HS_NEW_SESSION_TICKET 4

struct tcase {
	const char *name;
	int version;         /* TLS1_2_VERSION or TLS1_3_VERSION */
	const char *ciphers; /* cipher list (1.2) or ciphersuites (1.3) */
	int tickets;         /* NewSessionTickets the server sends */
	int ssl_io;          /* a message each way through OpenSSL first */
};

static const struct tcase cases[] = {
	{ "tls12-aes128gcm", TLS1_2_VERSION,
	  "ECDHE-ECDSA-AES128-GCM-SHA256", 0, 0 },
	{ "tls12-aes256gcm", TLS1_2_VERSION,
	  "ECDHE-ECDSA-AES256-GCM-SHA384", 0, 0 },
	{ "tls12-chacha20", TLS1_2_VERSION,
	  "ECDHE-ECDSA-CHACHA20-POLY1305", 0, 0 },
	{ "tls13-aes128gcm", TLS1_3_VERSION,
	  "TLS_AES_128_GCM_SHA256", 0, 0 },
	{ "tls13-aes256gcm", TLS1_3_VERSION,
	  "TLS_AES_256_GCM_SHA384", 0, 0 },
	{ "tls13-chacha20", TLS1_3_VERSION,
	  "TLS_CHACHA20_POLY1305_SHA256", 0, 0 },
	/* tickets reach the client's kernel as handshake records */
	{ "tls13-aes128gcm-tickets-after", TLS1_3_VERSION,
	  "TLS_AES_128_GCM_SHA256", 2, 0 },
	/* tickets and a message read by OpenSSL: client rec_seq 3, server 1 */
	{ "tls13-aes256gcm-ssl-io-first", TLS1_3_VERSION,
	  "TLS_AES_256_GCM_SHA384", 2, 1 },
	{ "tls13-chacha20-ssl-io-first", TLS1_3_VERSION,
	  "TLS_CHACHA20_POLY1305_SHA256", 2, 1 },
	{ "tls12-aes128gcm-ssl-io-first", TLS1_2_VERSION,
	  "ECDHE-ECDSA-AES128-GCM-SHA256", 0, 1 },
};

/* One end of a connection under test. */
struct end {
	const char *role; /* "client" or "server", for messages */
	SSL *ssl;
	int fd;
	const struct tcase *tc;
	unsigned char seed;  /* pattern this end sends */
	int handshakes;      /* handshake records its kernel delivered */
	char err[512];       /* first failure, empty if none */
};

static int verbose;
static const char *current_case = "?";
static X509 *cert;
static EVP_PKEY *pkey;

/* --- small helpers --- */

static int fail(struct end *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int fail(struct end *e, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	if (e->err[0])
		return -1; /* keep the first reason */
	n = (size_t)snprintf(e->err, sizeof(e->err), "%s: ", e->role);
	va_start(ap, fmt);
	vsnprintf(e->err + n, sizeof(e->err) - n, fmt, ap);
	va_end(ap);
	return -1;
}

static const char *ossl_err(void)
{
	static __thread char buf[256];
	unsigned long e = ERR_get_error();

	ERR_clear_error();
	if (!e)
		return "no OpenSSL error";
	ERR_error_string_n(e, buf, sizeof(buf));
	return buf;
}

static void on_alarm(int sig)
{
	static const char msg[] = ": timed out\n";

	(void)sig;
	if (write(1, "FAIL ", 5) < 0 ||
	    write(1, current_case, strlen(current_case)) < 0 ||
	    write(1, msg, sizeof(msg) - 1) < 0)
		_exit(2);
	_exit(1);
}

/* The byte at offset @i of the stream sent by an end with @seed: position
 * dependent, so a lost, repeated or reordered record shows. */
static unsigned char pattern(size_t i, unsigned char seed)
{
	uint32_t x = (uint32_t)i * 2654435761u;

	return (unsigned char)((x >> 13) ^ (x >> 24) ^ seed);
}

/* --- certificate --- */

/* A throwaway self-signed EC P-256 certificate: fast to make even in TCG. */
static int make_cert(void)
{
	X509_NAME *name;

	pkey = EVP_EC_gen("P-256");
	cert = X509_new();
	if (!pkey || !cert)
		return -1;
	name = X509_get_subject_name(cert);
	if (!X509_set_version(cert, X509_VERSION_3) ||
	    !ASN1_INTEGER_set(X509_get_serialNumber(cert), 1) ||
	    !X509_gmtime_adj(X509_getm_notBefore(cert), -3600) ||
	    !X509_gmtime_adj(X509_getm_notAfter(cert), 86400) ||
	    !X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
					(const unsigned char *)"ktls-check",
					-1, -1, 0) ||
	    !X509_set_issuer_name(cert, name) ||
	    !X509_set_pubkey(cert, pkey) ||
	    !X509_sign(cert, pkey, EVP_sha256()))
		return -1;
	return 0;
}

/* --- TLS contexts --- */

static int restrict_ctx(SSL_CTX *ctx, const struct tcase *tc)
{
	if (!SSL_CTX_set_min_proto_version(ctx, tc->version) ||
	    !SSL_CTX_set_max_proto_version(ctx, tc->version))
		return -1;
	if (tc->version == TLS1_3_VERSION)
		return SSL_CTX_set_ciphersuites(ctx, tc->ciphers) ? 0 : -1;
	return SSL_CTX_set_cipher_list(ctx, tc->ciphers) ? 0 : -1;
}

static SSL_CTX *make_ctx(const struct tcase *tc, int server, char *err,
			 size_t errlen)
{
	SSL_CTX *ctx = SSL_CTX_new(server ? TLS_server_method()
					  : TLS_client_method());

	if (!ctx) {
		snprintf(err, errlen, "SSL_CTX_new: %s", ossl_err());
		return NULL;
	}
	if (sstp_ktls_ctx_prepare(ctx, err, errlen) < 0)
		goto out;
	if (restrict_ctx(ctx, tc) < 0) {
		snprintf(err, errlen, "cannot select %s: %s", tc->ciphers,
			 ossl_err());
		goto out;
	}
	if (server) {
		if (!SSL_CTX_use_certificate(ctx, cert) ||
		    !SSL_CTX_use_PrivateKey(ctx, pkey) ||
		    !SSL_CTX_set_num_tickets(ctx, (size_t)tc->tickets)) {
			snprintf(err, errlen, "server ctx: %s", ossl_err());
			goto out;
		}
	} else {
		/* Verify against the one certificate: a real chain check. */
		if (!X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx), cert)) {
			snprintf(err, errlen, "client ctx: %s", ossl_err());
			goto out;
		}
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	}
	return ctx;
out:
	SSL_CTX_free(ctx);
	return NULL;
}

/* --- TCP --- */

static int set_timeouts(int fd)
{
	struct timeval tv = { .tv_sec = IO_TIMEOUT_S };

	return setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	       setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

/* A connected pair over 127.0.0.1 (loopback accepts without a peer thread). */
static int tcp_pair(int *cfd, int *sfd, char *err, size_t errlen)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof(a);
	int lfd = socket(AF_INET, SOCK_STREAM, 0);

	*cfd = *sfd = -1;
	if (lfd < 0 || set_timeouts(lfd) ||
	    bind(lfd, (struct sockaddr *)&a, sizeof(a)) ||
	    getsockname(lfd, (struct sockaddr *)&a, &alen) || listen(lfd, 1))
		goto fail;
	*cfd = socket(AF_INET, SOCK_STREAM, 0);
	if (*cfd < 0 || set_timeouts(*cfd) ||
	    connect(*cfd, (struct sockaddr *)&a, sizeof(a)))
		goto fail;
	*sfd = accept(lfd, NULL, NULL);
	if (*sfd < 0 || set_timeouts(*sfd))
		goto fail;
	close(lfd);
	return 0;
fail:
	snprintf(err, errlen, "TCP on 127.0.0.1: %s%s", strerror(errno),
		 errno == ENETUNREACH ? " (is lo up?)" : "");
	if (lfd >= 0)
		close(lfd);
	if (*cfd >= 0)
		close(*cfd);
	if (*sfd >= 0)
		close(*sfd);
	return -1;
}

/* --- /proc/net/tls_stat --- */

struct tls_stat {
	unsigned long long tx_sw, rx_sw, decrypt_err;
};

/* Absent before the tls module is loaded: all counters are 0 then. */
static void read_tls_stat(struct tls_stat *s)
{
	FILE *f = fopen("/proc/net/tls_stat", "r");
	char name[64];
	unsigned long long v;

	memset(s, 0, sizeof(*s));
	if (!f)
		return;
	while (fscanf(f, "%63s %llu", name, &v) == 2) {
		if (!strcmp(name, "TlsTxSw"))
			s->tx_sw = v;
		else if (!strcmp(name, "TlsRxSw"))
			s->rx_sw = v;
		else if (!strcmp(name, "TlsDecryptError"))
			s->decrypt_err = v;
	}
	fclose(f);
}

/* --- handshake + handoff (one thread per end) --- */

/* Optional exchange through OpenSSL before the handoff: the client speaks
 * first, so the server's tickets precede its answer on the client side. */
static int ssl_io(struct end *e, int client)
{
	char buf[8];
	int n;

	if (client && SSL_write(e->ssl, "ping", 4) != 4)
		return fail(e, "SSL_write: %s", ossl_err());
	n = SSL_read(e->ssl, buf, sizeof(buf));
	if (n != 4 || memcmp(buf, client ? "pong" : "ping", 4))
		return fail(e, "SSL_read got %d bytes: %s", n, ossl_err());
	if (!client && SSL_write(e->ssl, "pong", 4) != 4)
		return fail(e, "SSL_write: %s", ossl_err());
	return 0;
}

static int handshake_and_handoff(struct end *e)
{
	int client = !SSL_is_server(e->ssl);
	char err[256];
	int r;

	r = client ? SSL_connect(e->ssl) : SSL_accept(e->ssl);
	if (r != 1)
		return fail(e, "handshake: %s", ossl_err());
	if (e->tc->ssl_io && ssl_io(e, client) < 0)
		return -1;
	if (sstp_ktls_handoff(e->ssl, e->fd, err, sizeof(err)) < 0)
		return fail(e, "handoff: %s", err);
	return 0;
}

static void *server_handoff(void *arg)
{
	handshake_and_handoff(arg);
	return NULL;
}

/* --- checks on the kernel state --- */

union crypto_info {
	struct tls_crypto_info info;
	struct tls12_crypto_info_aes_gcm_128 gcm128;
	struct tls12_crypto_info_aes_gcm_256 gcm256;
	struct tls12_crypto_info_chacha20_poly1305 chacha;
};

/* The kernel wants optlen to be exactly the struct of the cipher. */
static int get_crypto_info(int fd, int dir, union crypto_info *ci,
			   socklen_t *len)
{
	*len = sizeof(ci->info);
	if (getsockopt(fd, SOL_TLS, dir, ci, len) < 0)
		return -1;
	switch (ci->info.cipher_type) {
	case TLS_CIPHER_AES_GCM_128:
		*len = sizeof(ci->gcm128);
		break;
	case TLS_CIPHER_AES_GCM_256:
		*len = sizeof(ci->gcm256);
		break;
	case TLS_CIPHER_CHACHA20_POLY1305:
		*len = sizeof(ci->chacha);
		break;
	default:
		errno = EPROTO;
		return -1;
	}
	return getsockopt(fd, SOL_TLS, dir, ci, len);
}

/* The record sequence number is the last 8 bytes of every layout. */
static uint64_t rec_seq(const union crypto_info *ci, socklen_t len)
{
	const unsigned char *p = (const unsigned char *)ci + len - 8;
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

/*
 * Key, salt and (where it is secret) IV of two ends agree.  TLS 1.2 AES-GCM
 * sends its 8-byte nonce explicitly in each record: the iv field is the
 * sender's starting nonce and means nothing to a receiver, so it is skipped.
 */
static int same_keys(const union crypto_info *a, const union crypto_info *b)
{
	int implicit_iv = a->info.version == TLS_1_3_VERSION;

	if (a->info.version != b->info.version ||
	    a->info.cipher_type != b->info.cipher_type)
		return 0;
	switch (a->info.cipher_type) {
	case TLS_CIPHER_AES_GCM_128:
		return !memcmp(a->gcm128.key, b->gcm128.key,
			       sizeof(a->gcm128.key)) &&
		       !memcmp(a->gcm128.salt, b->gcm128.salt,
			       sizeof(a->gcm128.salt)) &&
		       (!implicit_iv || !memcmp(a->gcm128.iv, b->gcm128.iv,
						sizeof(a->gcm128.iv)));
	case TLS_CIPHER_AES_GCM_256:
		return !memcmp(a->gcm256.key, b->gcm256.key,
			       sizeof(a->gcm256.key)) &&
		       !memcmp(a->gcm256.salt, b->gcm256.salt,
			       sizeof(a->gcm256.salt)) &&
		       (!implicit_iv || !memcmp(a->gcm256.iv, b->gcm256.iv,
						sizeof(a->gcm256.iv)));
	case TLS_CIPHER_CHACHA20_POLY1305:
		return !memcmp(a->chacha.key, b->chacha.key,
			       sizeof(a->chacha.key)) &&
		       !memcmp(a->chacha.iv, b->chacha.iv,
			       sizeof(a->chacha.iv));
	}
	return 0;
}

/*
 * @tx's sending key must be @rx's receiving key.  @in_flight records sent
 * by @tx have not been read by @rx's kernel yet (tickets after a handoff).
 */
static int compare_keys(struct end *tx, struct end *rx, uint64_t in_flight)
{
	union crypto_info a, b;
	socklen_t alen, blen;
	uint64_t sa, sb;

	if (get_crypto_info(tx->fd, TLS_TX, &a, &alen) < 0)
		return fail(tx, "getsockopt(TLS_TX): %s", strerror(errno));
	if (get_crypto_info(rx->fd, TLS_RX, &b, &blen) < 0)
		return fail(rx, "getsockopt(TLS_RX): %s", strerror(errno));
	sa = rec_seq(&a, alen);
	sb = rec_seq(&b, blen);
	if (verbose)
		printf("  %s TX rec_seq %llu, %s RX rec_seq %llu\n", tx->role,
		       (unsigned long long)sa, rx->role,
		       (unsigned long long)sb);
	if (!same_keys(&a, &b))
		return fail(rx, "kernel RX key/IV differ from the %s's TX",
			    tx->role);
	if (sa != sb + in_flight)
		return fail(rx, "kernel RX rec_seq %llu, but the %s's TX is "
			    "at %llu with %llu record(s) in flight",
			    (unsigned long long)sb, tx->role,
			    (unsigned long long)sa,
			    (unsigned long long)in_flight);
	OPENSSL_cleanse(&a, sizeof(a));
	OPENSSL_cleanse(&b, sizeof(b));
	return 0;
}

/* After the handoff the SSL object must be inert: SSL_read returns at once
 * without consuming kernel data; SSL_write and SSL_shutdown send nothing
 * (anything they sent would show up at the peer as surplus data or an alert
 * record and fail the exchange). */
static int check_ssl_inert(struct end *e)
{
	char c;
	int n = SSL_read(e->ssl, &c, 1);

	if (n > 0)
		return fail(e, "SSL_read after the handoff returned data");
	if (SSL_write(e->ssl, "x", 1) > 0)
		return fail(e, "SSL_write after the handoff succeeded");
	SSL_shutdown(e->ssl);
	ERR_clear_error();
	return 0;
}

/* --- data through the kernel --- */

static int send_all(struct end *e)
{
	static const size_t chunks[] = { 1, 100, 1500, 16384, 20000, 7 };
	unsigned char *buf = malloc(PAYLOAD_LEN);
	size_t off = 0, i = 0;
	ssize_t n;

	if (!buf)
		return fail(e, "out of memory");
	for (off = 0; off < PAYLOAD_LEN; off++)
		buf[off] = pattern(off, e->seed);
	for (off = 0; off < PAYLOAD_LEN; off += (size_t)n) {
		size_t len = chunks[i++ % (sizeof(chunks) / sizeof(chunks[0]))];

		if (len > PAYLOAD_LEN - off)
			len = PAYLOAD_LEN - off;
		n = send(e->fd, buf + off, len, MSG_NOSIGNAL);
		if (n <= 0) {
			free(buf);
			return fail(e, "send at %zu: %s", off,
				    n ? strerror(errno) : "returned 0");
		}
	}
	free(buf);
	return 0;
}

/* One recvmsg() with room for the record type the kernel reports. */
static ssize_t recv_record(struct end *e, unsigned char *buf, size_t len,
			   int *type)
{
	char cbuf[CMSG_SPACE(sizeof(unsigned char))];
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = cbuf,
			      .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm;
	ssize_t n = recvmsg(e->fd, &msg, 0);

	*type = -1;
	if (n <= 0)
		return n;
	for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm))
		if (cm->cmsg_level == SOL_TLS &&
		    cm->cmsg_type == TLS_GET_RECORD_TYPE)
			*type = *CMSG_DATA(cm);
	return n;
}

static int recv_error(struct end *e, ssize_t n, size_t got)
{
	if (n == 0)
		return fail(e, "EOF after %zu bytes", got);
	if (errno == EBADMSG)
		return fail(e, "recvmsg at %zu: EBADMSG (wrong key or record "
			    "sequence)", got);
	if (errno == EAGAIN)
		return fail(e, "recvmsg at %zu: timed out", got);
	return fail(e, "recvmsg at %zu: %s", got, strerror(errno));
}

/* A handshake record after the handoff is fine only if it is a ticket. */
static int handshake_record(struct end *e, const unsigned char *p, ssize_t n)
{
	if (n < 4 || p[0] != TLS_HS_NEW_SESSION_TICKET)
		return fail(e, "handshake record of type %d, %zd bytes",
			    n ? p[0] : -1, n);
	e->handshakes++;
	return 0;
}

/* Read at least PAYLOAD_LEN bytes of data records into @buf (one spare
 * byte, to notice a surplus), skipping tickets. */
static int recv_into(struct end *e, unsigned char *buf, size_t *got)
{
	int type;
	ssize_t n;

	while (*got < PAYLOAD_LEN) {
		n = recv_record(e, buf + *got, PAYLOAD_LEN + 1 - *got, &type);
		if (n <= 0)
			return recv_error(e, n, *got);
		if (type == TLS_TYPE_HANDSHAKE) {
			if (handshake_record(e, buf + *got, n) < 0)
				return -1;
			continue;
		}
		if (type != TLS_TYPE_DATA)
			return fail(e, "record type %d at %zu (no cmsg: RX not "
				    "in the kernel?)", type, *got);
		*got += (size_t)n;
	}
	return 0;
}

/* Read the peer's PAYLOAD_LEN bytes and not one more. */
static int recv_all(struct end *e, unsigned char peer_seed)
{
	unsigned char *buf = malloc(PAYLOAD_LEN + 1);
	size_t got = 0;
	int ret;

	if (!buf)
		return fail(e, "out of memory");
	ret = recv_into(e, buf, &got);
	if (!ret && got > PAYLOAD_LEN)
		ret = fail(e, "%zu bytes more than sent", got - PAYLOAD_LEN);
	for (size_t i = 0; !ret && i < PAYLOAD_LEN; i++)
		if (buf[i] != pattern(i, peer_seed))
			ret = fail(e, "byte %zu differs", i);
	free(buf);
	return ret;
}

/* Client to server first, then back: no deadlock on full buffers. */
static void *server_exchange(void *arg)
{
	struct end *e = arg;

	if (recv_all(e, e->seed ^ 0xff) == 0)
		send_all(e);
	return NULL;
}

static void client_exchange(struct end *e)
{
	if (send_all(e) == 0)
		recv_all(e, e->seed ^ 0xff);
}

/* --- one case --- */

/* Run @sfn on the server in a thread while the client runs @cfn. */
static int run_pair(struct end *c, struct end *s, void *(*sfn)(void *),
		    void (*cfn)(struct end *))
{
	pthread_t t;

	if (pthread_create(&t, NULL, sfn, s))
		return fail(s, "pthread_create failed");
	cfn(c);
	pthread_join(t, NULL);
	return c->err[0] || s->err[0] ? -1 : 0;
}

static void client_handoff(struct end *e)
{
	handshake_and_handoff(e);
}

static int check_stat(struct end *c, const struct tls_stat *before,
		      const struct tls_stat *after)
{
	if (after->tx_sw - before->tx_sw != 2 ||
	    after->rx_sw - before->rx_sw != 2)
		return fail(c, "tls_stat TlsTxSw +%llu, TlsRxSw +%llu "
			    "(want +2 each)", after->tx_sw - before->tx_sw,
			    after->rx_sw - before->rx_sw);
	if (after->decrypt_err != before->decrypt_err)
		return fail(c, "tls_stat TlsDecryptError +%llu",
			    after->decrypt_err - before->decrypt_err);
	return 0;
}

static int run_checks(const struct tcase *tc, struct end *c, struct end *s,
		      const struct tls_stat *before)
{
	int in_flight = tc->ssl_io ? 0 : tc->tickets;
	struct tls_stat after;

	if (run_pair(c, s, server_handoff, client_handoff) < 0)
		return -1;
	read_tls_stat(&after);
	if (check_stat(c, before, &after) < 0 ||
	    compare_keys(c, s, 0) < 0 || compare_keys(s, c, in_flight) < 0 ||
	    check_ssl_inert(c) < 0 || check_ssl_inert(s) < 0)
		return -1;
	if (run_pair(c, s, server_exchange, client_exchange) < 0)
		return -1;
	if (c->handshakes != in_flight)
		return fail(c, "%d handshake records, expected %d",
			    c->handshakes, in_flight);
	read_tls_stat(&after);
	return check_stat(c, before, &after);
}

static int setup_end(struct end *e, SSL_CTX *ctx, int fd, const char *role,
		     const struct tcase *tc, unsigned char seed)
{
	memset(e, 0, sizeof(*e));
	e->role = role;
	e->fd = fd;
	e->tc = tc;
	e->seed = seed;
	e->ssl = SSL_new(ctx);
	if (!e->ssl || !SSL_set_fd(e->ssl, fd))
		return fail(e, "SSL_new: %s", ossl_err());
	return 0;
}

static int run_case(const struct tcase *tc, char *err, size_t errlen)
{
	SSL_CTX *cctx = NULL, *sctx = NULL;
	struct end c = { .fd = -1 }, s = { .fd = -1 };
	struct tls_stat before;
	int cfd = -1, sfd = -1, ret = -1;

	read_tls_stat(&before);
	cctx = make_ctx(tc, 0, err, errlen);
	sctx = cctx ? make_ctx(tc, 1, err, errlen) : NULL;
	if (!sctx || tcp_pair(&cfd, &sfd, err, errlen) < 0)
		goto out;
	if (setup_end(&c, cctx, cfd, "client", tc, 0x5a) < 0 ||
	    setup_end(&s, sctx, sfd, "server", tc, 0x5a ^ 0xff) < 0 ||
	    run_checks(tc, &c, &s, &before) < 0) {
		snprintf(err, errlen, "%s", c.err[0] ? c.err : s.err);
		goto out;
	}
	ret = 0;
out:
	SSL_free(c.ssl);
	SSL_free(s.ssl);
	SSL_CTX_free(cctx);
	SSL_CTX_free(sctx);
	if (cfd >= 0)
		close(cfd);
	if (sfd >= 0)
		close(sfd);
	return ret;
}

/* --- main --- */

static int wanted(const struct tcase *tc, int argc, char **argv)
{
	int i;

	if (argc == 0)
		return 1;
	for (i = 0; i < argc; i++)
		if (!strcmp(argv[i], tc->name))
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	size_t i, ncases = sizeof(cases) / sizeof(cases[0]);
	char err[512];
	int failed = 0, ran = 0;

	for (; argc > 1 && argv[1][0] == '-'; argc--, argv++) {
		if (!strcmp(argv[1], "-v")) {
			verbose = 1;
		} else if (!strcmp(argv[1], "-l")) {
			for (i = 0; i < ncases; i++)
				printf("%s\n", cases[i].name);
			return 0;
		} else {
			fprintf(stderr,
				"usage: ktls-check [-v] [-l] [CASE...]\n");
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGALRM, on_alarm);
	if (make_cert() < 0) {
		printf("FAIL setup: certificate: %s\n", ossl_err());
		return 1;
	}
	for (i = 0; i < ncases; i++) {
		if (!wanted(&cases[i], argc - 1, argv + 1))
			continue;
		current_case = cases[i].name;
		alarm(CASE_TIMEOUT_S);
		err[0] = '\0';
		ran++;
		if (run_case(&cases[i], err, sizeof(err)) < 0) {
			printf("FAIL %s: %s\n", cases[i].name, err);
			failed++;
		} else {
			printf("ok %s\n", cases[i].name);
		}
		alarm(0);
	}
	X509_free(cert);
	EVP_PKEY_free(pkey);
	if (!ran) {
		printf("FAIL setup: no case matches\n");
		return 1;
	}
	return failed ? 1 : 0;
}
