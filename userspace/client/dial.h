/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dial.h - the client's road to a call: TCP to the server (through an
 * HTTP proxy if there is one), TLS with the server's certificate checked,
 * kTLS (unless the call takes the userspace data path), and the HTTP
 * exchange. Blocking, each step with a time limit; what it leaves (a
 * kTLS socket, or the TLS connection in OpenSSL, and the SSTP bytes that
 * came with the HTTP answer) is handed to the call's carrier.
 *
 * A dial touches nothing outside its struct, so it may run on a thread
 * of its own while the client's loop goes on (client.c).
 */
#ifndef SSTP_DIAL_H
#define SSTP_DIAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/ssl.h>

#include "call/binding.h"
#include "call/http.h"
#include "client/client.h"
#include "sstp/wire.h"

struct sstp_dial {
	const struct sstp_client_config *cfg;
	SSL_CTX *ctx;			/* a reference of our own */

	/* One dial's: */
	int fd;				/* TCP, kTLS once TLS is done; -1 */
	SSL *ssl;
	struct sstp_cert_hashes cert;	/* of the server's certificate */
	uint8_t prefix[SSTP_HTTP_MAX_HEADER];	/* SSTP after the answer */
	size_t prefix_len;
	bool user_path;			/* the helper carries the call (datapath) */
	bool certificate_requested;	/* by the server, and we have none */
	bool have_alert;
	uint8_t alert;			/* the last TLS alert the server sent */

	/* Why a dial failed: the exit code and the log line. */
	enum sstp_client_exit code;
	char why[512];
};

/*
 * The TLS context of every dial of a run, made before any connection: a
 * bad certificate or key of ours is a configuration error, not something
 * a retry mends. NULL with @err.
 */
SSL_CTX *sstp_dial_tls_context(const struct sstp_client_config *cfg,
			       char *err, size_t errlen);

/* A dial to @cfg's server with @ctx (it takes a reference). */
void sstp_dial_init(struct sstp_dial *d, const struct sstp_client_config *cfg,
		    SSL_CTX *ctx);

/* Connect, TLS, kTLS (kernel path), HTTP: 0, or -1 with @d->code and @d->why. */
int sstp_dial_run(struct sstp_dial *d);

/* What one dial held goes (the socket, if sstp.ko did not take it). */
void sstp_dial_reset(struct sstp_dial *d);

/* Everything goes, our reference to the TLS context too. */
void sstp_dial_free(struct sstp_dial *d);

#endif /* SSTP_DIAL_H */
