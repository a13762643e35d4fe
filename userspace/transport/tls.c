// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tls.c - OpenSSL contexts (see tls.h).
 */

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "common/log.h"
#include "transport/ciphers.h"
#include "transport/ktls.h"
#include "transport/tls.h"

static int ossl_fail(char *err, size_t errlen, const char *what,
		     const char *path)
{
	char detail[256] = "";
	unsigned long e = ERR_peek_last_error();

	if (e)
		ERR_error_string_n(e, detail, sizeof(detail));
	ERR_clear_error();
	snprintf(err, errlen, "%s%s%s%s%s", what, path ? " " : "",
		 path ? path : "", detail[0] ? ": " : "", detail);
	return -1;
}

/*
 * The fewest RSA bits @ctx takes: SSTP's floor, or the system's OpenSSL
 * policy (its security level: Debian's 2 wants 2048) where that is higher.
 */
static int min_rsa_bits(const SSL_CTX *ctx)
{
	static const int by_level[] = { 0, 1024, 2048, 3072, 7680, 15360 };
	int level = SSL_CTX_get_security_level(ctx);
	int bits = level > 5 ? by_level[5] : level < 0 ? 0 : by_level[level];

	return bits > SSTP_MIN_RSA_BITS ? bits : SSTP_MIN_RSA_BITS;
}

/*
 * Our certificate's RSA key, measured before OpenSSL loads it: OpenSSL's
 * own refusal ("ee key too small") says neither the size nor the need.
 */
static int check_key_size(SSL_CTX *ctx, const char *certificate, char *err,
			  size_t errlen)
{
	FILE *f = fopen(certificate, "r");
	X509 *cert = f ? PEM_read_X509(f, NULL, NULL, NULL) : NULL;
	EVP_PKEY *key = cert ? X509_get0_pubkey(cert) : NULL;
	int bits = key && EVP_PKEY_base_id(key) == EVP_PKEY_RSA ?
		   EVP_PKEY_get_bits(key) : 0;
	int need = min_rsa_bits(ctx);

	X509_free(cert);
	if (f)
		fclose(f);
	ERR_clear_error();	/* unreadable: the load says why */
	if (!bits || bits >= need)
		return 0;
	snprintf(err, errlen, "certificate %s: its RSA key has %d bits; at "
		 "least %d are needed%s", certificate, bits, need,
		 need > SSTP_MIN_RSA_BITS ? " (this system's OpenSSL security "
		 "level)" : "");
	return -1;
}

static void set_versions(SSL_CTX *ctx, enum sstp_tls_versions v)
{
	SSL_CTX_set_min_proto_version(ctx, v == SSTP_TLS_ONLY_13 ?
				      TLS1_3_VERSION : TLS1_2_VERSION);
	SSL_CTX_set_max_proto_version(ctx, v == SSTP_TLS_ONLY_12 ?
				      TLS1_2_VERSION : TLS1_3_VERSION);
}

/*
 * Anonymous Diffie-Hellman (MikroTik's certificate=none): the only such
 * suites kTLS carries are TLS 1.2's ADH AES-GCM ones, and OpenSSL 3 lets
 * them through at security level 0 alone. Nothing else is offered, so a
 * client that opted in never talks anonymously to a server that has a
 * certificate, nor the other way round.
 */
static int allow_only_anonymous(SSL_CTX *ctx, char *err, size_t errlen)
{
	SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_security_level(ctx, 0);
	if (SSL_CTX_set_cipher_list(ctx, SSTP_KTLS_CIPHER_LIST_ANONYMOUS) != 1)
		return ossl_fail(err, errlen, "cannot set anonymous ciphers", NULL);
	/* The server's DH group: as large as the suite's strength asks. */
	SSL_CTX_set_dh_auto(ctx, 1);
	return 0;
}

/* SSLKEYLOGFILE=PATH: the TLS secrets of every connection go to PATH. */
static int keylog_from_env(char *err, size_t errlen)
{
	const char *path = getenv("SSLKEYLOGFILE");
	char why[200];

	if (!path || !*path)
		return 0;
	if (sstp_ktls_keylog_to(path, why, sizeof(why))) {
		snprintf(err, errlen, "SSLKEYLOGFILE: %s", why);
		return -1;
	}
	sstp_log("SSLKEYLOGFILE: the TLS secrets go to %s; for debugging only",
		 path);
	return 0;
}

/* A context that kTLS can take over, with the configured TLS versions. */
static SSL_CTX *new_ctx(const SSL_METHOD *method, const struct sstp_link_conf *l,
			char *err, size_t errlen)
{
	SSL_CTX *ctx = SSL_CTX_new(method);

	if (!ctx) {
		ossl_fail(err, errlen, "SSL_CTX_new", NULL);
		return NULL;
	}
	if (sstp_ktls_ctx_prepare(ctx, err, errlen) ||
	    keylog_from_env(err, errlen)) {
		SSL_CTX_free(ctx);
		return NULL;
	}
	set_versions(ctx, l->tls_version);
	if (l->anonymous_dh ? allow_only_anonymous(ctx, err, errlen) :
	    sstp_tls_set_ciphers(ctx, l, err, errlen)) {
		SSL_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

/*
 * Our certificate (and chain) and its key (@private_key, or "": in the
 * certificate's file), matched and of a size we accept.
 */
static int load_identity(SSL_CTX *ctx, const char *certificate,
			 const char *private_key, char *err, size_t errlen)
{
	const char *key = private_key[0] ? private_key : certificate;

	if (check_key_size(ctx, certificate, err, errlen))
		return -1;
	if (SSL_CTX_use_certificate_chain_file(ctx, certificate) != 1)
		return ossl_fail(err, errlen, "cannot load certificate",
				 certificate);
	if (SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1)
		return ossl_fail(err, errlen, "cannot load private key", key);
	if (SSL_CTX_check_private_key(ctx) != 1)
		return ossl_fail(err, errlen,
				 "private key does not match certificate", key);
	return 0;
}

SSL_CTX *sstp_tls_server_ctx(const struct sstp_tls_conf *c, char *err,
			     size_t errlen)
{
	SSL_CTX *ctx = new_ctx(TLS_server_method(), c->link, err, errlen);

	if (!ctx)
		return NULL;
	/*
	 * Our order of suites, not the client's: OpenSSL's clients (sstpc)
	 * put AES-256-GCM or ChaCha20 first, the slower ones where the CPU
	 * has AES instructions. A client that puts ChaCha20 first still gets
	 * it: that is how clients without such instructions ask for it.
	 */
	SSL_CTX_set_options(ctx, SSL_OP_CIPHER_SERVER_PREFERENCE |
			    SSL_OP_PRIORITIZE_CHACHA);
	/* No certificate: anonymous-dh (the config check saw to it). */
	if (c->certificate[0] &&
	    load_identity(ctx, c->certificate, c->private_key, err, errlen))
		goto fail;
	if (c->verify_peer) {
		if (!c->ca[0] || SSL_CTX_load_verify_locations(ctx, c->ca, NULL) != 1) {
			ossl_fail(err, errlen, "verify-client-certificate needs a CA file: ca =",
				  c->ca[0] ? c->ca : "(not set)");
			goto fail;
		}
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER |
				   SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
	}
	return ctx;
fail:
	SSL_CTX_free(ctx);
	return NULL;
}

/* Where the server's issuers are: c->ca (file or directory), or the system's. */
static int trust_store(SSL_CTX *ctx, const struct sstp_tls_conf *c,
		       char *err, size_t errlen)
{
	struct stat st;
	int ok;

	if (!c->ca[0])
		ok = SSL_CTX_set_default_verify_paths(ctx);
	else if (stat(c->ca, &st) == 0 && S_ISDIR(st.st_mode))
		ok = SSL_CTX_load_verify_locations(ctx, NULL, c->ca);
	else
		ok = SSL_CTX_load_verify_locations(ctx, c->ca, NULL);
	if (ok != 1)
		return ossl_fail(err, errlen, "cannot load CA certificates",
				 c->ca[0] ? c->ca : "(system store)");
	return 0;
}

SSL_CTX *sstp_tls_client_ctx(const struct sstp_tls_conf *c, char *err,
			     size_t errlen)
{
	SSL_CTX *ctx = new_ctx(TLS_client_method(), c->link, err, errlen);

	if (!ctx)
		return NULL;
	/* A client certificate, if one is given. */
	if (c->certificate[0] &&
	    load_identity(ctx, c->certificate, c->private_key, err, errlen))
		goto fail;
	if (c->verify_peer && !c->link->anonymous_dh) {
		if (trust_store(ctx, c, err, errlen))
			goto fail;
		/* OpenSSL's client checks the serverAuth purpose (EKU) too. */
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	} else {
		SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	}
	return ctx;
fail:
	SSL_CTX_free(ctx);
	return NULL;
}

SSL *sstp_tls_client_ssl(SSL_CTX *ctx, int fd, const char *host,
			 bool check_address, char *err, size_t errlen)
{
	unsigned char ip[16];
	bool is_ip = inet_pton(AF_INET, host, ip) == 1 ||
		     inet_pton(AF_INET6, host, ip) == 1;
	SSL *ssl = SSL_new(ctx);
	int ok;

	if (!ssl || !SSL_set_fd(ssl, fd)) {
		ossl_fail(err, errlen, "SSL_new", NULL);
		SSL_free(ssl);
		return NULL;
	}
	/* SNI carries names only (RFC 6066 3). */
	ok = is_ip || SSL_set_tlsext_host_name(ssl, host) == 1;
	if (ok && check_address)
		ok = is_ip ? X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host)
			   : SSL_set1_host(ssl, host);
	if (!ok) {
		ossl_fail(err, errlen, "cannot set the server name", host);
		SSL_free(ssl);
		return NULL;
	}
	return ssl;
}

const char *sstp_tls_verify_error(const SSL *ssl)
{
	long r;

	if (SSL_get_verify_mode(ssl) == SSL_VERIFY_NONE)
		return NULL;
	r = SSL_get_verify_result(ssl);
	return r == X509_V_OK ? NULL : X509_verify_cert_error_string(r);
}

bool sstp_tls_peer_key_too_small(const SSL *ssl, int *bits)
{
	X509 *cert = SSL_get0_peer_certificate(ssl);
	EVP_PKEY *key = cert ? X509_get0_pubkey(cert) : NULL;

	if (!key || EVP_PKEY_base_id(key) != EVP_PKEY_RSA)
		return false;
	*bits = EVP_PKEY_get_bits(key);
	return *bits < SSTP_MIN_RSA_BITS;
}

ssize_t sstp_tls_recv(SSL *ssl, void *buf, size_t len)
{
	int n = SSL_read(ssl, buf, (int)len);

	if (n > 0)
		return n;
	switch (SSL_get_error(ssl, n)) {
	case SSL_ERROR_ZERO_RETURN:
		n = 0;
		break;
	case SSL_ERROR_WANT_READ:
	case SSL_ERROR_WANT_WRITE:
		errno = EAGAIN;
		n = -1;
		break;
	case SSL_ERROR_SYSCALL:
		n = errno ? -1 : 0;
		break;
	default:
		errno = EPROTO;
		n = -1;
	}
	ERR_clear_error();
	return n;
}
