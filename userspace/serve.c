// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * serve.c - `sstp-helper serve --config FILE`: read the configuration,
 * run the server (server/server.c) until a signal stops it.
 */

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "common/config.h"
#include "common/log.h"
#include "server/server.h"
#include "sstp-helper.h"

/* Passwords of users, or the RADIUS secret, are in the file itself. */
static bool server_config_has_secrets(const struct sstp_server_config *c)
{
	return c->users || c->radius.secret[0];
}

static void serve_usage(FILE *out)
{
	fprintf(out,
		"usage: sstp-helper serve --config FILE [--debug]\n"
		"\n"
		"Run the SSTP server described by FILE: TLS on its port, each client's\n"
		"data path in sstp.ko, one pppd per session. SIGTERM, SIGINT or SIGHUP\n"
		"disconnects every client and exits.\n"
		"\n"
		"SSLKEYLOGFILE=PATH in the environment appends every session's TLS\n"
		"secrets to PATH (NSS key log format, for decrypting captures).\n");
}

int sstp_cmd_serve(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "debug", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct server srv = { .epfd = -1 };
	const char *config = NULL;
	char err[512];
	int c, ret;

	while ((c = getopt_long(argc, argv, "c:dh", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': config = optarg; break;
		case 'd': sstp_log_debug_on = true; break;
		case 'h': serve_usage(stdout); return 0;
		default: serve_usage(stderr); return 2;
		}
	}
	if (!config || optind != argc) {
		serve_usage(stderr);
		return 2;
	}
	if (sstp_server_config_load(&srv.cfg, config, err, sizeof(err))) {
		sstp_log("%s", err);
		return 1;
	}
	if (server_config_has_secrets(&srv.cfg) &&
	    sstp_conf_exposed(config, err, sizeof(err)))
		sstp_log("%s", err);
	ret = sstp_server_run(&srv);
	sstp_server_config_free(&srv.cfg);
	sstp_log("stopped");
	return ret;
}
