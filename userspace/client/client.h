/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * client.h - one SSTP client connection, from TCP connect to teardown.
 *
 *   connect  TCP to the server (each address the name resolves to)
 *   TLS      handshake, server certificate checked; kTLS installed
 *   HTTP     SSTP_DUPLEX_POST over the kTLS socket, 200 expected
 *   tunnel   the socket handed to sstp.ko; Call Connect Request sent
 *   PPP      Connect Ack received, pppd running on the channel
 *   UP       pppd's keys in, Call Connected sent, the gate open
 *   CLOSING  Call Disconnect sent, waiting for its Ack (5 s)
 */
#ifndef SSTP_CLIENT_H
#define SSTP_CLIENT_H

#include <stdbool.h>

#include "client/client-config.h"

/* What `sstp-helper connect` exits with (its --help lists them). */
enum sstp_client_exit {
	SSTP_EXIT_OK = 0,		/* disconnected: by a signal or the server */
	SSTP_EXIT_CONFIG = 1,		/* bad configuration */
	SSTP_EXIT_USAGE = 2,		/* bad command line */
	SSTP_EXIT_UNREACHABLE = 3,	/* name not resolved, TCP failed */
	SSTP_EXIT_CERTIFICATE = 4,	/* TLS failed, certificate refused */
	SSTP_EXIT_PROTOCOL = 5,		/* HTTP or SSTP refusal, timeout, error */
	SSTP_EXIT_AUTH = 6,		/* PPP authentication failed */
	SSTP_EXIT_LOST = 7,		/* an established connection was lost */
	SSTP_EXIT_LOCAL = 8,		/* local trouble: sstp.ko, pppd, memory */
};

/*
 * Connect as @c says and stay up until told to stop or cut off; *@stopped
 * says whether a signal (SIGINT, SIGTERM, SIGHUP) ended it. Those signals
 * stay blocked afterwards: a caller waiting to reconnect takes them with
 * sigtimedwait().
 */
enum sstp_client_exit sstp_client_run(const struct sstp_client_config *c,
				      bool *stopped);

#endif /* SSTP_CLIENT_H */
