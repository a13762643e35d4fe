/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-cert.h - a throwaway TLS identity for the unit tests that run real
 * handshakes: a self-signed P-256 certificate and its key, in one PEM file
 * made from @path, a mkstemp() template that gets the file's name.
 */
#ifndef SSTP_TESTS_TEST_CERT_H
#define SSTP_TESTS_TEST_CERT_H

#include <stdio.h>
#include <stdlib.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

static inline int unit_make_cert(char *path)
{
	EVP_PKEY *key = EVP_EC_gen("P-256");
	X509 *x = X509_new();
	int fd = mkstemp(path), ok;
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;

	ok = key && x && f &&
	     ASN1_INTEGER_set(X509_get_serialNumber(x), 1) &&
	     X509_gmtime_adj(X509_getm_notBefore(x), -3600) &&
	     X509_gmtime_adj(X509_getm_notAfter(x), 3600) &&
	     X509_set_pubkey(x, key) &&
	     X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN",
					MBSTRING_ASC,
					(const unsigned char *)"sstp.test",
					-1, -1, 0) &&
	     X509_set_issuer_name(x, X509_get_subject_name(x)) &&
	     X509_sign(x, key, EVP_sha256()) &&
	     PEM_write_X509(f, x) &&
	     PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL);
	if (f)
		fclose(f);
	X509_free(x);
	EVP_PKEY_free(key);
	return ok ? 0 : -1;
}

#endif /* SSTP_TESTS_TEST_CERT_H */
