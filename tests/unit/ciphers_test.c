// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for userspace/transport/ciphers.c and the contexts of
 * transport/tls.c: which suites a context offers for the ciphers setting,
 * the refusals, and that a server's order wins in a real handshake.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "common/link.h"
#include "transport/tls.h"
#include "test-cert.h"
#include "unit.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static char cert_path[] = "/tmp/sstp-ciphers-test-XXXXXX";

/* A server context for @link; NULL with @err. */
static SSL_CTX *server_ctx(const struct sstp_link_conf *link, char *err,
			   size_t errlen)
{
	struct sstp_tls_conf tls = {
		.link = link, .certificate = cert_path, .private_key = "",
		.ca = "",
	};

	return sstp_tls_server_ctx(&tls, err, errlen);
}

/* The link with @ciphers, @version and @pfs; the rest defaults. */
static void link_with(struct sstp_link_conf *l, const char *ciphers,
		      enum sstp_tls_versions version, enum sstp_pfs pfs)
{
	char err[256];

	sstp_link_conf_init(l);
	l->tls_version = version;
	l->pfs = pfs;
	if (ciphers)
		CHECK_INT(sstp_link_conf_key(l, "ciphers", ciphers, err,
					     sizeof(err)), 0);
}

/* @ctx's suites in order, OpenSSL's names joined with ':'. */
static const char *offered(SSL_CTX *ctx)
{
	static char buf[1024];
	STACK_OF(SSL_CIPHER) *sk = SSL_CTX_get_ciphers(ctx);
	size_t len = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; sk && i < sk_SSL_CIPHER_num(sk); i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s",
					i ? ":" : "",
					SSL_CIPHER_get_name(sk_SSL_CIPHER_value(sk, i)));
	return buf;
}

/* A server context for @ciphers, @version and @pfs; NULL with @err. */
static SSL_CTX *ctx_for(const char *ciphers, enum sstp_tls_versions version,
			enum sstp_pfs pfs, char *err, size_t errlen)
{
	struct sstp_link_conf l;

	link_with(&l, ciphers, version, pfs);
	return server_ctx(&l, err, errlen);
}

/* A server context made for @ciphers offers exactly @want, in order. */
static void check_offer(const char *ciphers, enum sstp_tls_versions version,
			enum sstp_pfs pfs, const char *want)
{
	char err[256] = "";
	SSL_CTX *ctx = ctx_for(ciphers, version, pfs, err, sizeof(err));

	CHECK_MSG(ctx != NULL, "ciphers %s: %s", ciphers ? ciphers : "(unset)",
		  err);
	if (!ctx)
		return;
	CHECK_MSG(!strcmp(offered(ctx), want),
		  "ciphers %s offer\n    %s\n  expected\n    %s",
		  ciphers ? ciphers : "(unset)", offered(ctx), want);
	SSL_CTX_free(ctx);
}

/* A context made for @ciphers is refused with an error holding @why. */
static void check_refused(const char *ciphers, enum sstp_tls_versions version,
			  enum sstp_pfs pfs, const char *why)
{
	char err[256] = "";
	SSL_CTX *ctx = ctx_for(ciphers, version, pfs, err, sizeof(err));

	CHECK_MSG(!ctx, "ciphers %s: accepted, offering %s", ciphers,
		  ctx ? offered(ctx) : "");
	CHECK_MSG(strstr(err, why), "ciphers %s: error \"%s\" lacks \"%s\"",
		  ciphers, err, why);
	SSL_CTX_free(ctx);
}

#define ECDHE_AES128 "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256"
#define ECDHE_AES256 "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384"
#define ECDHE_CHACHA \
	"ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305"
#define TLS13_ALL "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:" \
	"TLS_CHACHA20_POLY1305_SHA256"

static void test_default_offer(void)
{
	check_offer(NULL, SSTP_TLS_ANY, SSTP_PFS_REQUIRED,
		    TLS13_ALL ":" ECDHE_AES128 ":" ECDHE_AES256 ":" ECDHE_CHACHA);
}

/* pfs = yes: RSA key exchange allowed, after every ECDHE suite. */
static void test_pfs_yes_offer(void)
{
	check_offer(NULL, SSTP_TLS_ANY, SSTP_PFS_YES,
		    TLS13_ALL ":" ECDHE_AES128 ":" ECDHE_AES256 ":" ECDHE_CHACHA
		    ":AES128-GCM-SHA256:AES256-GCM-SHA384");
}

/* RouterOS's name, and the configured order kept. */
static void test_named_words(void)
{
	check_offer("aes256-gcm-sha384", SSTP_TLS_ANY, SSTP_PFS_REQUIRED,
		    "TLS_AES_256_GCM_SHA384:" ECDHE_AES256);
	check_offer("chacha20-poly1305, aes256-gcm-sha384", SSTP_TLS_ANY,
		    SSTP_PFS_REQUIRED,
		    "TLS_CHACHA20_POLY1305_SHA256:TLS_AES_256_GCM_SHA384:"
		    ECDHE_CHACHA ":" ECDHE_AES256);
	/* A version the link does not allow has no suites. */
	check_offer("aes128-gcm-sha256", SSTP_TLS_ONLY_12, SSTP_PFS_NO,
		    ECDHE_AES128 ":AES128-GCM-SHA256");
}

/* OpenSSL's own names and strings, checked suite by suite. */
static void test_openssl_words(void)
{
	check_offer("TLS_AES_256_GCM_SHA384:ECDHE-RSA-AES256-GCM-SHA384",
		    SSTP_TLS_ANY, SSTP_PFS_REQUIRED,
		    "TLS_AES_256_GCM_SHA384:ECDHE-RSA-AES256-GCM-SHA384");
	/* TLS 1.2's list cannot be empty: it stays, and is never used. */
	check_offer("TLS_AES_128_GCM_SHA256", SSTP_TLS_ONLY_13,
		    SSTP_PFS_REQUIRED, "TLS_AES_128_GCM_SHA256:" ECDHE_AES128
		    ":" ECDHE_AES256 ":" ECDHE_CHACHA);
	check_offer("ECDHE+AESGCM:!AES256", SSTP_TLS_ONLY_12, SSTP_PFS_REQUIRED,
		    ECDHE_AES128);
}

static void test_refusals(void)
{
	check_refused("aes256-sha", SSTP_TLS_ANY, SSTP_PFS_REQUIRED,
		      "aes256-sha (AES-CBC");
	check_refused("aes256-gcm-sha384,aes256-sha", SSTP_TLS_ANY,
		      SSTP_PFS_REQUIRED, "aes256-sha (AES-CBC");
	check_refused("ECDHE-RSA-AES256-SHA384", SSTP_TLS_ONLY_12,
		      SSTP_PFS_REQUIRED,
		      "not ECDHE-RSA-AES256-SHA384: the kernel's TLS runs "
		      "AES-GCM and ChaCha20-Poly1305 only");
	check_refused("AES128-GCM-SHA256", SSTP_TLS_ONLY_12, SSTP_PFS_REQUIRED,
		      "not AES128-GCM-SHA256: RSA key exchange has no forward "
		      "secrecy");
	check_refused("PSK-AES128-GCM-SHA256", SSTP_TLS_ONLY_12, SSTP_PFS_YES,
		      "not PSK-AES128-GCM-SHA256: its key exchange");
	check_refused("ECDHE-RSA-AES128-GCM-SHA256", SSTP_TLS_ANY,
		      SSTP_PFS_REQUIRED, "has no TLS 1.3 suite");
	check_refused("TLS_AES_128_GCM_SHA256", SSTP_TLS_ANY,
		      SSTP_PFS_REQUIRED, "has no TLS 1.2 cipher");
	check_refused("aes128-gcm-sha256,ECDHE-RSA-AES512-GCM", SSTP_TLS_ANY,
		      SSTP_PFS_REQUIRED, "ECDHE-RSA-AES512-GCM matches no TLS 1.2");
	check_refused("aes128-gcm-sha256,TLS_AES_512_GCM", SSTP_TLS_ANY,
		      SSTP_PFS_REQUIRED, "TLS_AES_512_GCM is no TLS 1.3 suite");
	check_refused(",", SSTP_TLS_ANY, SSTP_PFS_REQUIRED,
		      "has no TLS 1.2 cipher");
}

/* The setting's own rules: its length, and anonymous-dh beside it. */
static void test_link_key(void)
{
	struct sstp_link_conf l;
	char err[256], big[300];

	sstp_link_conf_init(&l);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	CHECK_INT(sstp_link_conf_key(&l, "ciphers", big, err, sizeof(err)), -1);
	CHECK_INT(sstp_link_conf_key(&l, "ciphers", "aes256-gcm-sha384", err,
				     sizeof(err)), 0);
	l.anonymous_dh = true;
	CHECK(strstr(sstp_link_conf_anonymous_conflict(&l, false) ?: "",
		     "not with ciphers"));
}

/* Run the handshake of @c and @s over a BIO pair; the server's SSL. */
static bool handshake(SSL *c, SSL *s)
{
	BIO *cb, *sb;
	int i, rc, rs;

	if (!BIO_new_bio_pair(&cb, 0, &sb, 0))
		return false;
	SSL_set_bio(c, cb, cb);
	SSL_set_bio(s, sb, sb);
	SSL_set_connect_state(c);
	SSL_set_accept_state(s);
	for (i = 0; i < 20; i++) {
		rc = SSL_do_handshake(c);
		rs = SSL_do_handshake(s);
		if (rc == 1 && rs == 1)
			return true;
	}
	ERR_print_errors_fp(stdout);
	return false;
}

/* The suite a client offering @client_order agrees with our server on. */
static const char *negotiated(const char *server_ciphers,
			      enum sstp_tls_versions version,
			      const char *client_list, const char *client_suites)
{
	static char name[64];
	SSL_CTX *sctx, *cctx = SSL_CTX_new(TLS_client_method());
	SSL *c = NULL, *s = NULL;
	char err[256] = "";

	sctx = ctx_for(server_ciphers, version, SSTP_PFS_REQUIRED, err,
		       sizeof(err));
	CHECK_MSG(sctx != NULL, "server ctx: %s", err);
	snprintf(name, sizeof(name), "(no handshake)");
	if (sctx && cctx && SSL_CTX_set_cipher_list(cctx, client_list) &&
	    SSL_CTX_set_ciphersuites(cctx, client_suites)) {
		SSL_CTX_set_verify(cctx, SSL_VERIFY_NONE, NULL);
		c = SSL_new(cctx);
		s = SSL_new(sctx);
		if (c && s && handshake(c, s))
			snprintf(name, sizeof(name), "%s", SSL_get_cipher_name(s));
	}
	SSL_free(c);
	SSL_free(s);
	SSL_CTX_free(cctx);
	SSL_CTX_free(sctx);
	return name;
}

/*
 * The server's order wins over the client's (OpenSSL's default client
 * order, which sstpc sends, puts AES-256 first), but a client that puts
 * ChaCha20 first gets it.
 */
static void test_server_order_wins(void)
{
	const char *got;

	got = negotiated(NULL, SSTP_TLS_ANY, ECDHE_AES256 ":" ECDHE_AES128,
			 "TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256");
	CHECK_MSG(!strcmp(got, "TLS_AES_128_GCM_SHA256"), "TLS 1.3: %s", got);
	got = negotiated(NULL, SSTP_TLS_ONLY_12, ECDHE_AES256 ":" ECDHE_AES128,
			 "TLS_AES_256_GCM_SHA384");
	CHECK_MSG(!strcmp(got, "ECDHE-ECDSA-AES128-GCM-SHA256"), "TLS 1.2: %s",
		  got);
	got = negotiated("aes256-gcm-sha384,aes128-gcm-sha256", SSTP_TLS_ANY,
			 ECDHE_AES128, "TLS_AES_128_GCM_SHA256:"
			 "TLS_AES_256_GCM_SHA384");
	CHECK_MSG(!strcmp(got, "TLS_AES_256_GCM_SHA384"), "configured: %s", got);
	got = negotiated(NULL, SSTP_TLS_ANY, ECDHE_CHACHA ":" ECDHE_AES128,
			 "TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256");
	CHECK_MSG(!strcmp(got, "TLS_CHACHA20_POLY1305_SHA256"), "ChaCha20 "
		  "first: %s", got);
}

int main(void)
{
	static const struct unit_test tests[] = {
		UNIT_TEST(test_default_offer),
		UNIT_TEST(test_pfs_yes_offer),
		UNIT_TEST(test_named_words),
		UNIT_TEST(test_openssl_words),
		UNIT_TEST(test_refusals),
		UNIT_TEST(test_link_key),
		UNIT_TEST(test_server_order_wins),
	};
	int rc;

	if (unit_make_cert(cert_path)) {
		printf("FAIL ciphers: cannot make a test certificate\n");
		return 1;
	}
	rc = unit_run(tests, ARRAY_SIZE(tests));
	unlink(cert_path);
	return rc;
}
