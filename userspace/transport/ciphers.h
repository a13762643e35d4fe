/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ciphers.h - the ciphers setting of either role: which TLS suites a
 * context offers, in the order given, all of them ones kTLS can carry.
 */
#ifndef SSTP_CIPHERS_H
#define SSTP_CIPHERS_H

#include <stddef.h>

#include <openssl/ssl.h>

#include "common/link.h"

/*
 * What "ciphers" means when it is not set: the AEADs the kernel runs,
 * AES-GCM first (the fastest where the CPU has AES instructions).
 */
#define SSTP_CIPHERS_DEFAULT "aes128-gcm-sha256,aes256-gcm-sha384,chacha20-poly1305"

/*
 * Set @ctx's TLS 1.2 cipher list and TLS 1.3 suites from @l->ciphers (""
 * means SSTP_CIPHERS_DEFAULT), @l->pfs and @l->tls_version. The words of
 * the list (separated by commas, colons or blanks) are:
 *   - RouterOS's names: aes256-gcm-sha384, and in the same form
 *     aes128-gcm-sha256 and chacha20-poly1305. Each stands for its ECDHE
 *     suites of TLS 1.2 (and the RSA key exchange one, after all ECDHE
 *     ones, when pfs allows it) and its TLS 1.3 suite. RouterOS's
 *     aes256-sha (AES-CBC) is refused: the kernel's TLS has no CBC;
 *   - a TLS 1.3 suite by its name (TLS_AES_256_GCM_SHA384);
 *   - anything else is an OpenSSL TLS 1.2 cipher string
 *     (ECDHE-RSA-AES256-GCM-SHA384, ECDHE+AESGCM).
 * Every suite that results must be one the kernel can carry, with forward
 * secrecy unless pfs allows otherwise, and each TLS version the link
 * allows must have at least one. Returns 0, or -1 with @err saying which
 * word or suite is at fault.
 */
int sstp_tls_set_ciphers(SSL_CTX *ctx, const struct sstp_link_conf *l,
			 char *err, size_t errlen);

#endif /* SSTP_CIPHERS_H */
