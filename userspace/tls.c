// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tls.c - OpenSSL contexts (see tls.h).
 */

#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "ktls.h"
#include "tls.h"

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

/* RSA keys under SSTP_MIN_RSA_BITS are refused at start-up. */
static int check_key_size(SSL_CTX *ctx, char *err, size_t errlen)
{
	EVP_PKEY *key = SSL_CTX_get0_privatekey(ctx);

	if (key && EVP_PKEY_base_id(key) == EVP_PKEY_RSA &&
	    EVP_PKEY_get_bits(key) < SSTP_MIN_RSA_BITS) {
		snprintf(err, errlen, "RSA key of %d bits refused: at least %d needed",
			 EVP_PKEY_get_bits(key), SSTP_MIN_RSA_BITS);
		return -1;
	}
	return 0;
}

static void set_versions(SSL_CTX *ctx, enum sstp_tls_versions v)
{
	SSL_CTX_set_min_proto_version(ctx, v == SSTP_TLS_ONLY_13 ?
				      TLS1_3_VERSION : TLS1_2_VERSION);
	SSL_CTX_set_max_proto_version(ctx, v == SSTP_TLS_ONLY_12 ?
				      TLS1_2_VERSION : TLS1_3_VERSION);
}

SSL_CTX *sstp_tls_server_ctx(const struct sstp_server_config *c, char *err,
			     size_t errlen)
{
	const char *key = c->private_key[0] ? c->private_key : c->certificate;
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());

	if (!ctx) {
		ossl_fail(err, errlen, "SSL_CTX_new", NULL);
		return NULL;
	}
	if (sstp_ktls_ctx_prepare(ctx, err, errlen))
		goto fail;
	set_versions(ctx, c->tls_version);
	if (SSL_CTX_use_certificate_chain_file(ctx, c->certificate) != 1) {
		ossl_fail(err, errlen, "cannot load certificate", c->certificate);
		goto fail;
	}
	if (SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1) {
		ossl_fail(err, errlen, "cannot load private key", key);
		goto fail;
	}
	if (SSL_CTX_check_private_key(ctx) != 1) {
		ossl_fail(err, errlen, "private key does not match certificate", key);
		goto fail;
	}
	if (check_key_size(ctx, err, errlen))
		goto fail;
	if (c->verify_client_certificate) {
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
