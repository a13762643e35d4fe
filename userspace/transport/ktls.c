// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ktls.c - hand a TLS connection from OpenSSL 3.0 over to the kernel.
 *
 * TLS 1.2: OpenSSL installs kTLS TX and RX itself when SSL_OP_ENABLE_KTLS is
 * set; we verify it did.  TLS 1.3: OpenSSL 3.0 installs TX only, so RX is
 * installed here: key and IV come from the peer's application traffic
 * secret (captured by the keylog callback) through HKDF-Expand-Label
 * (RFC 8446 7.3), and the record sequence number is the count of peer
 * records OpenSSL has already read under that secret (message callback).
 */
#include "transport/ktls.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <linux/tls.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/ssl.h>

#ifdef OPENSSL_NO_KTLS
#error "OpenSSL was built without kTLS support; TLS 1.2 handoff needs it"
#endif

#ifndef SOL_TLS
#define SOL_TLS 282
#endif

/* TLS 1.3 traffic key/IV lengths (RFC 8446 5.3: the per-record nonce is 12
 * bytes for every AEAD kTLS supports). */
#define KTLS_IV_LEN 12
#define KTLS_MAX_KEY_LEN 32

/* An AEAD the kernel can run, and how to describe it to setsockopt(). */
struct ktls_cipher {
	int nid;            /* OpenSSL NID of the record cipher */
	const char *name;   /* for messages */
	const char *digest; /* TLS 1.3 HKDF hash of the only suite using it */
	uint16_t type;      /* TLS_CIPHER_* */
	size_t key_len;
};

static const struct ktls_cipher ktls_ciphers[] = {
	{ NID_aes_128_gcm, "AES-128-GCM", "SHA256", TLS_CIPHER_AES_GCM_128,
	  TLS_CIPHER_AES_GCM_128_KEY_SIZE },
	{ NID_aes_256_gcm, "AES-256-GCM", "SHA384", TLS_CIPHER_AES_GCM_256,
	  TLS_CIPHER_AES_GCM_256_KEY_SIZE },
	{ NID_chacha20_poly1305, "ChaCha20-Poly1305", "SHA256",
	  TLS_CIPHER_CHACHA20_POLY1305, TLS_CIPHER_CHACHA20_POLY1305_KEY_SIZE },
};

/* One of these is what setsockopt(SOL_TLS, TLS_RX) takes. */
union ktls_crypto_info {
	struct tls_crypto_info info;
	struct tls12_crypto_info_aes_gcm_128 gcm128;
	struct tls12_crypto_info_aes_gcm_256 gcm256;
	struct tls12_crypto_info_chacha20_poly1305 chacha;
};

/*
 * Per-connection state, hung on the SSL as ex_data.  Created by the message
 * callback on the first record (which precedes any keylog line), freed and
 * wiped with the SSL.
 */
struct ktls_conn {
	unsigned char peer_secret[EVP_MAX_MD_SIZE];
	size_t peer_secret_len;  /* 0: not captured (yet) */
	uint64_t peer_records;   /* peer records OpenSSL read under it */
	int peer_finished_seen;  /* the peer's handshake Finished was read */
	int peer_key_update;     /* peer rekeyed: peer_secret is stale */
};

static int ktls_ex_index = -1;
static CRYPTO_ONCE ktls_once = CRYPTO_ONCE_STATIC_INIT;

/* --- messages --- */

static int ktls_fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int ktls_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* The oldest queued OpenSSL error, for appending to a message. */
static const char *ktls_ossl_err(char *buf, size_t len)
{
	unsigned long e = ERR_get_error();

	ERR_clear_error();
	if (!e)
		return "no OpenSSL error queued";
	ERR_error_string_n(e, buf, len);
	return buf;
}

/* --- per-connection state --- */

static void ktls_conn_free(void *parent, void *ptr, CRYPTO_EX_DATA *ad,
			   int idx, long argl, void *argp)
{
	(void)parent, (void)ad, (void)idx, (void)argl, (void)argp;
	OPENSSL_clear_free(ptr, sizeof(struct ktls_conn));
}

/* SSL_dup() would copy the pointer and free it twice: the copy starts
 * without state (its own handshake creates one). */
static int ktls_conn_dup(CRYPTO_EX_DATA *to, const CRYPTO_EX_DATA *from,
			 void **from_d, int idx, long argl, void *argp)
{
	(void)to, (void)from, (void)idx, (void)argl, (void)argp;
	*from_d = NULL;
	return 1;
}

static void ktls_init_index(void)
{
	ktls_ex_index = SSL_get_ex_new_index(0, "sstp ktls", NULL,
					     ktls_conn_dup, ktls_conn_free);
}

static struct ktls_conn *ktls_conn_get(const SSL *ssl)
{
	return SSL_get_ex_data(ssl, ktls_ex_index);
}

static void ktls_conn_wipe(struct ktls_conn *st)
{
	if (!st)
		return;
	OPENSSL_cleanse(st->peer_secret, sizeof(st->peer_secret));
	st->peer_secret_len = 0;
}

/* --- callbacks --- */

/*
 * Count the peer's records as OpenSSL reads them.  The kernel must start
 * decrypting at the sequence number OpenSSL would use next, or every record
 * fails authentication and the socket is lost (TLS_RX cannot be set twice).
 * Records are counted from the header callback; the peer's Finished is the
 * last record under its handshake secret (RFC 8446 requires the key change
 * on a record boundary), so the count restarts there.  A KeyUpdate makes the
 * captured _0 secret useless.
 */
static void ktls_msg_cb(int write_p, int version, int content_type,
			const void *buf, size_t len, SSL *ssl, void *arg)
{
	const unsigned char *p = buf;
	struct ktls_conn *st = ktls_conn_get(ssl);

	(void)version, (void)arg;
	if (!st) {
		st = OPENSSL_zalloc(sizeof(*st));
		if (!st || !SSL_set_ex_data(ssl, ktls_ex_index, st)) {
			OPENSSL_free(st);
			return; /* the handoff reports the missing state */
		}
	}
	if (write_p)
		return;
	if (content_type == SSL3_RT_HEADER) {
		st->peer_records++;
	} else if (content_type == SSL3_RT_HANDSHAKE && len > 0) {
		if (p[0] == SSL3_MT_FINISHED && !st->peer_finished_seen) {
			st->peer_finished_seen = 1;
			st->peer_records = 0;
		} else if (p[0] == SSL3_MT_KEY_UPDATE) {
			st->peer_key_update = 1;
		}
	}
}

/* sstp_ktls_keylog_to()'s file, or -1. */
static int ktls_keylog_fd = -1;

int sstp_ktls_keylog_to(const char *path, char *err, size_t errlen)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);

	if (fd < 0)
		return ktls_fail(err, errlen, "cannot open key log %s: %s",
				 path, strerror(errno));
	if (ktls_keylog_fd >= 0)
		close(ktls_keylog_fd);
	ktls_keylog_fd = fd;
	return 0;
}

/* One write per line (O_APPEND): lines of several processes never mix. */
static void ktls_keylog_write(const char *line)
{
	char buf[512];
	int n = snprintf(buf, sizeof(buf), "%s\n", line);

	ssize_t written;

	if (n > 0 && (size_t)n < sizeof(buf)) {
		written = write(ktls_keylog_fd, buf, (size_t)n);
		(void)written;	/* a debugging aid: a failure is not fatal */
	}
	OPENSSL_cleanse(buf, sizeof(buf));
}

/*
 * OpenSSL hands us lines in NSS key log format:
 *   LABEL <client_random hex> <secret hex>
 * We keep only the peer's first application traffic secret.
 */
static void ktls_keylog_cb(const SSL *ssl, const char *line)
{
	const char *want = SSL_is_server(ssl) ? "CLIENT_TRAFFIC_SECRET_0 "
					      : "SERVER_TRAFFIC_SECRET_0 ";
	struct ktls_conn *st = ktls_conn_get(ssl);
	const char *hex;
	size_t n = 0;

	if (ktls_keylog_fd >= 0)
		ktls_keylog_write(line);
	if (!st || strncmp(line, want, strlen(want)) != 0)
		return;
	hex = strchr(line + strlen(want), ' ');
	if (!hex)
		return;
	if (!OPENSSL_hexstr2buf_ex(st->peer_secret, sizeof(st->peer_secret),
				   &n, hex + 1, '\0')) {
		ktls_conn_wipe(st);
		ERR_clear_error();
		return;
	}
	st->peer_secret_len = n;
}

/* --- context setup --- */

int sstp_ktls_ctx_prepare(SSL_CTX *ctx, char *err, size_t errlen)
{
	char buf[256];

	if (!CRYPTO_THREAD_run_once(&ktls_once, ktls_init_index) ||
	    ktls_ex_index < 0)
		return ktls_fail(err, errlen, "cannot allocate SSL ex_data: %s",
				 ktls_ossl_err(buf, sizeof(buf)));
	/* kTLS runs TLS 1.2 and 1.3 only. */
	if (!SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION))
		return ktls_fail(err, errlen, "cannot require TLS >= 1.2: %s",
				 ktls_ossl_err(buf, sizeof(buf)));
	if (!SSL_CTX_set_cipher_list(ctx, SSTP_KTLS_CIPHER_LIST))
		return ktls_fail(err, errlen, "cannot set TLS 1.2 ciphers: %s",
				 ktls_ossl_err(buf, sizeof(buf)));
	if (!SSL_CTX_set_ciphersuites(ctx, SSTP_KTLS_CIPHERSUITES))
		return ktls_fail(err, errlen,
				 "cannot set TLS 1.3 ciphersuites: %s",
				 ktls_ossl_err(buf, sizeof(buf)));
	/*
	 * ENABLE_KTLS: OpenSSL installs what it can (TX always, RX on 1.2).
	 * NO_RENEGOTIATION: a 1.2 renegotiation after the handoff would be
	 * a handshake record only the kernel sees.
	 */
	SSL_CTX_set_options(ctx, SSL_OP_ENABLE_KTLS | SSL_OP_NO_RENEGOTIATION);
	/* Read-ahead would pull records meant for the kernel into OpenSSL. */
	SSL_CTX_set_read_ahead(ctx, 0);
	/* A server's tickets go out right after the handshake; the client
	 * would meet them as handshake records after its handoff.  SSTP has
	 * no use for resumption. */
	if (!SSL_CTX_set_num_tickets(ctx, 0))
		return ktls_fail(err, errlen, "cannot disable session tickets");
	SSL_CTX_set_keylog_callback(ctx, ktls_keylog_cb);
	SSL_CTX_set_msg_callback(ctx, ktls_msg_cb);
	return 0;
}

/* --- kernel side --- */

/* Make sure the "tls" upper layer protocol sits on @fd (OpenSSL attaches it
 * when it installs TX, but not otherwise). */
static int ktls_ensure_ulp(int fd, char *err, size_t errlen)
{
	char name[16] = "";
	socklen_t len = sizeof(name) - 1;

	if (getsockopt(fd, IPPROTO_TCP, TCP_ULP, name, &len) < 0)
		return ktls_fail(err, errlen, "getsockopt(TCP_ULP): %s",
				 strerror(errno));
	if (strcmp(name, "tls") == 0)
		return 0;
	if (name[0])
		return ktls_fail(err, errlen,
				 "socket already carries ULP \"%s\"", name);
	if (setsockopt(fd, IPPROTO_TCP, TCP_ULP, "tls", sizeof("tls")) == 0)
		return 0;
	if (errno == ENOENT)
		return ktls_fail(err, errlen,
				 "kernel has no TLS ULP (modprobe tls)");
	if (errno == ENOTCONN)
		return ktls_fail(err, errlen,
				 "socket is no longer connected");
	return ktls_fail(err, errlen, "setsockopt(TCP_ULP, \"tls\"): %s",
			 strerror(errno));
}

/*
 * OpenSSL silently falls back to its own record layer when the kernel
 * refuses kTLS; find the likeliest reason for the message.
 */
static int ktls_explain(SSL *ssl, int fd, const struct ktls_cipher *c,
			const char *what, char *err, size_t errlen)
{
	char why[128];

	if (!(SSL_get_options(ssl) & SSL_OP_ENABLE_KTLS))
		return ktls_fail(err, errlen,
				 "%s: SSL_OP_ENABLE_KTLS is off (SSL_CTX not "
				 "prepared by sstp_ktls_ctx_prepare?)", what);
	if (ktls_ensure_ulp(fd, why, sizeof(why)) < 0)
		return ktls_fail(err, errlen, "%s: %s", what, why);
	return ktls_fail(err, errlen,
			 "%s although the kernel has the TLS ULP (kernel "
			 "crypto for %s missing, or max_send_fragment / record "
			 "padding set?)", what, c->name);
}

static const struct ktls_cipher *ktls_cipher_of(const SSL_CIPHER *sc)
{
	int nid = sc ? SSL_CIPHER_get_cipher_nid(sc) : NID_undef;
	size_t i;

	for (i = 0; i < sizeof(ktls_ciphers) / sizeof(ktls_ciphers[0]); i++)
		if (ktls_ciphers[i].nid == nid)
			return &ktls_ciphers[i];
	return NULL;
}

static const struct ktls_cipher *ktls_find_cipher(const SSL *ssl)
{
	return ktls_cipher_of(SSL_get_current_cipher(ssl));
}

bool sstp_ktls_carries(const SSL_CIPHER *c)
{
	return ktls_cipher_of(c) != NULL;
}

/* --- TLS 1.3 receive key --- */

/* HKDF-Expand-Label(secret, label, "", out_len) of RFC 8446 7.1, done by
 * OpenSSL's TLS13-KDF so that it is the very code OpenSSL uses itself. */
static int ktls_expand_label(const char *digest, const unsigned char *secret,
			     size_t secret_len, const char *label,
			     unsigned char *out, size_t out_len)
{
	static const char prefix[] = "tls13 ";
	int mode = EVP_KDF_HKDF_MODE_EXPAND_ONLY;
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode),
		OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
						 (char *)digest, 0),
		OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
						  (void *)secret, secret_len),
		OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PREFIX,
						  (void *)prefix,
						  sizeof(prefix) - 1),
		OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_LABEL,
						  (void *)label, strlen(label)),
		OSSL_PARAM_construct_end(),
	};
	EVP_KDF *kdf = EVP_KDF_fetch(NULL, OSSL_KDF_NAME_TLS1_3_KDF, NULL);
	EVP_KDF_CTX *kctx = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
	int ok = kctx && EVP_KDF_derive(kctx, out, out_len, params) > 0;

	EVP_KDF_CTX_free(kctx);
	EVP_KDF_free(kdf);
	return ok ? 0 : -1;
}

static void ktls_put_be64(unsigned char out[8], uint64_t v)
{
	int i;

	for (i = 7; i >= 0; i--, v >>= 8)
		out[i] = (unsigned char)v;
}

/*
 * Lay key, IV and sequence number out the way the kernel wants them for
 * TLS 1.3.  AES-GCM splits the 12-byte IV into a 4-byte "salt" and an 8-byte
 * "iv" (a TLS 1.2 leftover); ChaCha20-Poly1305 takes all 12 bytes as iv.
 * Returns the size to pass to setsockopt().
 */
static size_t ktls_fill_info(const struct ktls_cipher *c,
			     const unsigned char *key,
			     const unsigned char iv[KTLS_IV_LEN], uint64_t seq,
			     union ktls_crypto_info *ci)
{
	memset(ci, 0, sizeof(*ci));
	ci->info.version = TLS_1_3_VERSION;
	ci->info.cipher_type = c->type;
	switch (c->type) {
	case TLS_CIPHER_AES_GCM_128:
		memcpy(ci->gcm128.key, key, sizeof(ci->gcm128.key));
		memcpy(ci->gcm128.salt, iv, sizeof(ci->gcm128.salt));
		memcpy(ci->gcm128.iv, iv + sizeof(ci->gcm128.salt),
		       sizeof(ci->gcm128.iv));
		ktls_put_be64(ci->gcm128.rec_seq, seq);
		return sizeof(ci->gcm128);
	case TLS_CIPHER_AES_GCM_256:
		memcpy(ci->gcm256.key, key, sizeof(ci->gcm256.key));
		memcpy(ci->gcm256.salt, iv, sizeof(ci->gcm256.salt));
		memcpy(ci->gcm256.iv, iv + sizeof(ci->gcm256.salt),
		       sizeof(ci->gcm256.iv));
		ktls_put_be64(ci->gcm256.rec_seq, seq);
		return sizeof(ci->gcm256);
	case TLS_CIPHER_CHACHA20_POLY1305:
		memcpy(ci->chacha.key, key, sizeof(ci->chacha.key));
		memcpy(ci->chacha.iv, iv, sizeof(ci->chacha.iv));
		ktls_put_be64(ci->chacha.rec_seq, seq);
		return sizeof(ci->chacha);
	}
	return 0;
}

/* Derive the peer's key and IV and build the TLS_RX argument. */
static int ktls_rx13_info(const struct ktls_cipher *c,
			  const struct ktls_conn *st,
			  union ktls_crypto_info *ci, size_t *ci_len,
			  char *err, size_t errlen)
{
	unsigned char key[KTLS_MAX_KEY_LEN], iv[KTLS_IV_LEN];
	const EVP_MD *md = EVP_get_digestbyname(c->digest);
	char buf[256];
	int ret = 0;

	if (!md || (size_t)EVP_MD_get_size(md) != st->peer_secret_len)
		return ktls_fail(err, errlen,
				 "peer traffic secret is %zu bytes, not a %s "
				 "secret", st->peer_secret_len, c->digest);
	if (ktls_expand_label(c->digest, st->peer_secret, st->peer_secret_len,
			      "key", key, c->key_len) < 0 ||
	    ktls_expand_label(c->digest, st->peer_secret, st->peer_secret_len,
			      "iv", iv, sizeof(iv)) < 0)
		ret = ktls_fail(err, errlen, "TLS13-KDF failed: %s",
				ktls_ossl_err(buf, sizeof(buf)));
	else
		*ci_len = ktls_fill_info(c, key, iv, st->peer_records, ci);
	OPENSSL_cleanse(key, sizeof(key));
	OPENSSL_cleanse(iv, sizeof(iv));
	return ret;
}

static int ktls_install_rx13(int fd, const struct ktls_cipher *c,
			     const struct ktls_conn *st, char *err,
			     size_t errlen)
{
	union ktls_crypto_info ci;
	size_t ci_len = 0;
	int ret;

	if (!st)
		return ktls_fail(err, errlen,
				 "no kTLS state on this SSL (SSL_CTX not "
				 "prepared by sstp_ktls_ctx_prepare?)");
	if (st->peer_key_update)
		return ktls_fail(err, errlen,
				 "peer sent a TLS 1.3 KeyUpdate before the "
				 "handoff; its current key is unknown");
	if (!st->peer_secret_len)
		return ktls_fail(err, errlen,
				 "peer traffic secret was not captured (keylog "
				 "callback replaced?)");
	if (ktls_ensure_ulp(fd, err, errlen) < 0)
		return -1;
	if (ktls_rx13_info(c, st, &ci, &ci_len, err, errlen) < 0)
		return -1;
	ret = setsockopt(fd, SOL_TLS, TLS_RX, &ci, ci_len);
	if (ret < 0)
		ret = ktls_fail(err, errlen,
				"setsockopt(TLS_RX, TLS 1.3 %s, record %llu): "
				"%s%s", c->name,
				(unsigned long long)st->peer_records,
				strerror(errno),
				errno == ENOENT ? " (kernel crypto module "
						  "missing?)" : "");
	OPENSSL_cleanse(&ci, sizeof(ci));
	return ret;
}

/* --- handoff --- */

/* Anything OpenSSL still holds would be lost to the kernel. */
static int ktls_check_ready(SSL *ssl, int fd, char *err, size_t errlen)
{
	if (!SSL_is_init_finished(ssl))
		return ktls_fail(err, errlen, "TLS handshake not complete");
	if (SSL_get_rfd(ssl) != fd || SSL_get_wfd(ssl) != fd)
		return ktls_fail(err, errlen,
				 "fd %d is not the socket this SSL runs on",
				 fd);
	if (SSL_has_pending(ssl))
		return ktls_fail(err, errlen,
				 "OpenSSL holds %d unread bytes or records "
				 "(read-ahead on, or a record partly read)",
				 SSL_pending(ssl));
	if (SSL_version(ssl) != TLS1_2_VERSION &&
	    SSL_version(ssl) != TLS1_3_VERSION)
		return ktls_fail(err, errlen, "%s cannot be offloaded",
				 SSL_get_version(ssl));
	return 0;
}

static int ktls_handoff(SSL *ssl, int fd, const struct ktls_conn *st,
			char *err, size_t errlen)
{
	const struct ktls_cipher *c;

	if (ktls_check_ready(ssl, fd, err, errlen) < 0)
		return -1;
	c = ktls_find_cipher(ssl);
	if (!c)
		return ktls_fail(err, errlen,
				 "cipher %s cannot be offloaded to kTLS",
				 SSL_get_cipher_name(ssl));
	if (!BIO_get_ktls_send(SSL_get_wbio(ssl)))
		return ktls_explain(ssl, fd, c,
				    "OpenSSL did not install kTLS TX", err,
				    errlen);
	/* OpenSSL versions that do TLS 1.3 RX themselves need no help. */
	if (BIO_get_ktls_recv(SSL_get_rbio(ssl)))
		return 0;
	if (SSL_version(ssl) == TLS1_3_VERSION)
		return ktls_install_rx13(fd, c, st, err, errlen);
	return ktls_explain(ssl, fd, c, "OpenSSL did not install kTLS RX",
			    err, errlen);
}

int sstp_ktls_handoff(SSL *ssl, int fd, char *err, size_t errlen)
{
	struct ktls_conn *st = ktls_ex_index >= 0 ? ktls_conn_get(ssl) : NULL;
	int ret = ktls_handoff(ssl, fd, st, err, errlen);

	ktls_conn_wipe(st);
	/* The kernel owns the byte stream now: make any later SSL_read an
	 * EOF and SSL_write/SSL_shutdown a no-op instead of a corruption. */
	if (ret == 0)
		SSL_set_shutdown(ssl,
				 SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
	return ret;
}

/* TLS content types and the handshake messages a server sends late. */
#define KTLS_RECORD_ALERT		21
#define KTLS_RECORD_HANDSHAKE		22
#define KTLS_RECORD_APPLICATION_DATA	23
#define KTLS_HS_NEW_SESSION_TICKET	4

ssize_t sstp_ktls_recv(int fd, void *buf, size_t len)
{
	unsigned char type, cbuf[CMSG_SPACE(sizeof(type))];
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr mh;
	struct cmsghdr *cm;
	ssize_t n;

	for (;;) {
		memset(&mh, 0, sizeof(mh));
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		mh.msg_control = cbuf;
		mh.msg_controllen = sizeof(cbuf);
		n = recvmsg(fd, &mh, 0);
		if (n <= 0)
			return n;
		type = KTLS_RECORD_APPLICATION_DATA;
		for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm))
			if (cm->cmsg_level == SOL_TLS &&
			    cm->cmsg_type == TLS_GET_RECORD_TYPE)
				type = *CMSG_DATA(cm);
		if (type == KTLS_RECORD_APPLICATION_DATA)
			return n;
		if (type == KTLS_RECORD_ALERT && n >= 2 && len >= 2) {
			errno = EPROTO;
			return -1;
		}
		if (type != KTLS_RECORD_HANDSHAKE ||
		    ((unsigned char *)buf)[0] != KTLS_HS_NEW_SESSION_TICKET) {
			errno = EBADMSG;
			return -1;
		}
	}
}
