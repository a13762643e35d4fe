/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tls.h - OpenSSL contexts for sstp-helper: only what kTLS can carry, and
 * certificate checks with errors in plain words.
 */
#ifndef SSTP_TLS_H
#define SSTP_TLS_H

#include <stddef.h>

#include <openssl/ssl.h>

#include "server-config.h"

/* Smallest RSA key we accept, as MikroTik and Windows do. */
#define SSTP_MIN_RSA_BITS 472

/* The server's context from its [server] settings; NULL with @err. */
SSL_CTX *sstp_tls_server_ctx(const struct sstp_server_config *c, char *err,
			     size_t errlen);

#endif /* SSTP_TLS_H */
