// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ciphers.c - the ciphers setting (see ciphers.h): words to OpenSSL's
 * lists, and every suite that results checked against what kTLS carries.
 */

#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/obj_mac.h>

#include "transport/ciphers.h"
#include "transport/ktls.h"

/* One OpenSSL list as it is built, a suite string after another. */
struct suite_list {
	char s[512];
	size_t len;
};

/* What one of the named words stands for. */
struct named_suites {
	const char *word;
	const char *tls12_pfs;	/* ECDHE, for RSA and ECDSA certificates */
	const char *tls12_rsa;	/* RSA key exchange; NULL: there is none */
	const char *tls13;
};

static const struct named_suites named[] = {
	{ "aes128-gcm-sha256", SSTP_TLS12_AES128_GCM,
	  "AES128-GCM-SHA256", SSTP_TLS13_AES128_GCM },
	{ "aes256-gcm-sha384", SSTP_TLS12_AES256_GCM,
	  "AES256-GCM-SHA384", SSTP_TLS13_AES256_GCM },
	{ "chacha20-poly1305", SSTP_TLS12_CHACHA20,
	  NULL, SSTP_TLS13_CHACHA20 },
};

/* The lists as the words fill them; tls12_rsa goes after tls12. */
struct lists {
	struct suite_list tls12, tls12_rsa, tls13;
};

/* OpenSSL's own reason ("no cipher match") adds nothing to ours. */
static int fail(char *err, size_t errlen, const char *fmt, const char *what)
{
	ERR_clear_error();
	snprintf(err, errlen, fmt, what);
	return -1;
}

static int append(struct suite_list *l, const char *suites, char *err,
		  size_t errlen)
{
	size_t n = strlen(suites);

	if (l->len + n + 2 > sizeof(l->s))
		return fail(err, errlen, "ciphers: the list is too long (%s)",
			    suites);
	if (l->len)
		l->s[l->len++] = ':';
	memcpy(l->s + l->len, suites, n + 1);
	l->len += n;
	return 0;
}

static const struct named_suites *find_named(const char *word)
{
	size_t i;

	for (i = 0; i < sizeof(named) / sizeof(named[0]); i++)
		if (!strcmp(named[i].word, word))
			return &named[i];
	return NULL;
}

/* @ctx offers the TLS 1.3 suite @name once it is set alone. */
static bool known_tls13_suite(SSL_CTX *ctx, const char *name)
{
	STACK_OF(SSL_CIPHER) *sk;
	int i;

	if (SSL_CTX_set_ciphersuites(ctx, name) != 1)
		return false;
	sk = SSL_CTX_get_ciphers(ctx);
	for (i = 0; i < sk_SSL_CIPHER_num(sk); i++)
		if (!strcmp(SSL_CIPHER_standard_name(sk_SSL_CIPHER_value(sk, i)),
			    name))
			return true;
	return false;
}

/*
 * One word into @ls. An OpenSSL word is tried alone on @ctx first, so
 * that a misspelt one is named rather than silently matching nothing
 * (OpenSSL ignores what it does not know when something else matches).
 * A word that only removes suites (!, -) cannot be tried alone.
 */
static int add_word(SSL_CTX *ctx, struct lists *ls, const char *word,
		    bool rsa_kx, char *err, size_t errlen)
{
	const struct named_suites *n = find_named(word);

	if (n) {
		if (append(&ls->tls12, n->tls12_pfs, err, errlen) ||
		    append(&ls->tls13, n->tls13, err, errlen))
			return -1;
		if (rsa_kx && n->tls12_rsa)
			return append(&ls->tls12_rsa, n->tls12_rsa, err, errlen);
		return 0;
	}
	if (!strcmp(word, "aes256-sha"))
		return fail(err, errlen, "ciphers: %s (AES-CBC with HMAC-SHA1) "
			    "cannot be handed to the kernel's TLS, which runs "
			    "AES-GCM and ChaCha20-Poly1305 only; leave it out "
			    "(aes256-gcm-sha384 is its AEAD counterpart)", word);
	if (!strncmp(word, "TLS_", 4)) {
		if (!known_tls13_suite(ctx, word))
			return fail(err, errlen, "ciphers: %s is no TLS 1.3 "
				    "suite this OpenSSL knows", word);
		return append(&ls->tls13, word, err, errlen);
	}
	if (!strchr("!-", word[0]) && SSL_CTX_set_cipher_list(ctx, word) != 1)
		return fail(err, errlen, "ciphers: %s matches no TLS 1.2 "
			    "cipher of this OpenSSL", word);
	return append(&ls->tls12, word, err, errlen);
}

static int parse_words(SSL_CTX *ctx, const char *value, bool rsa_kx,
		       struct lists *ls, char *err, size_t errlen)
{
	char buf[sizeof(((struct sstp_link_conf *)0)->ciphers)];
	char *save = NULL, *word;

	snprintf(buf, sizeof(buf), "%s", value);
	for (word = strtok_r(buf, ",: \t", &save); word;
	     word = strtok_r(NULL, ",: \t", &save))
		if (add_word(ctx, ls, word, rsa_kx, err, errlen))
			return -1;
	return 0;
}

/* Why the kernel path cannot take suite @c under @l, or NULL. */
static const char *refusal(const SSL_CIPHER *c, const struct sstp_link_conf *l)
{
	int kx = SSL_CIPHER_get_kx_nid(c);
	int auth = SSL_CIPHER_get_auth_nid(c);

	if (!sstp_ktls_carries(c))
		return "the kernel's TLS runs AES-GCM and ChaCha20-Poly1305 only";
	if (kx == NID_kx_rsa && l->pfs == SSTP_PFS_REQUIRED)
		return "RSA key exchange has no forward secrecy, and pfs = "
		       "required (pfs = yes allows it)";
	if (kx != NID_kx_ecdhe && kx != NID_kx_dhe && kx != NID_kx_any &&
	    kx != NID_kx_rsa)
		return "its key exchange (PSK, SRP, GOST) is not for SSTP";
	if (auth == NID_auth_null)
		return "it is anonymous (see anonymous-dh)";
	return NULL;
}

/* Every suite @ctx now offers is one the kernel path takes. */
static int check_suites(SSL_CTX *ctx, const struct sstp_link_conf *l,
			char *err, size_t errlen)
{
	STACK_OF(SSL_CIPHER) *sk = SSL_CTX_get_ciphers(ctx);
	const SSL_CIPHER *c;
	const char *why;
	int i;

	for (i = 0; i < sk_SSL_CIPHER_num(sk); i++) {
		c = sk_SSL_CIPHER_value(sk, i);
		why = refusal(c, l);
		if (why) {
			snprintf(err, errlen, "ciphers: not %s: %s",
				 SSL_CIPHER_get_name(c), why);
			return -1;
		}
	}
	return 0;
}

int sstp_tls_set_ciphers(SSL_CTX *ctx, const struct sstp_link_conf *l,
			 char *err, size_t errlen)
{
	const char *value = l->ciphers[0] ? l->ciphers : SSTP_CIPHERS_DEFAULT;
	bool tls12 = l->tls_version != SSTP_TLS_ONLY_13;
	bool tls13 = l->tls_version != SSTP_TLS_ONLY_12;
	struct lists ls = { 0 };

	if (parse_words(ctx, value, l->pfs != SSTP_PFS_REQUIRED, &ls, err,
			errlen))
		return -1;
	if (ls.tls12_rsa.len && append(&ls.tls12, ls.tls12_rsa.s, err, errlen))
		return -1;
	if (tls12 && !ls.tls12.len)
		return fail(err, errlen, "ciphers: %s has no TLS 1.2 cipher; "
			    "add one, or set tls-version = only-1.3", value);
	if (tls13 && !ls.tls13.len)
		return fail(err, errlen, "ciphers: %s has no TLS 1.3 suite "
			    "(TLS_...); add one, or set tls-version = only-1.2",
			    value);
	/* A version the link does not allow keeps no suites at all. */
	if (SSL_CTX_set_ciphersuites(ctx, tls13 ? ls.tls13.s : "") != 1)
		return fail(err, errlen, "ciphers: OpenSSL refused the TLS 1.3 "
			    "suites %s", ls.tls13.s);
	if (ls.tls12.len && SSL_CTX_set_cipher_list(ctx, ls.tls12.s) != 1)
		return fail(err, errlen, "ciphers: no TLS 1.2 cipher is left "
			    "of %s", ls.tls12.s);
	return check_suites(ctx, l, err, errlen);
}
