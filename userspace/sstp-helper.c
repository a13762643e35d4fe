// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sstp-helper - userspace side of sstp: TLS, the SSTP call and pppd, with
 * the data path in sstp.ko. A table of subcommands, one file each.
 */

#include <stdio.h>
#include <string.h>

#include "sstp-helper.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *what;
} commands[] = {
	{ "connect", sstp_cmd_connect, "connect to an SSTP server" },
	{ "serve", sstp_cmd_serve, "run an SSTP server (--config FILE)" },
	{ "status", sstp_cmd_status, "list a running server's sessions" },
};

static void usage(FILE *out)
{
	size_t i;

	fprintf(out, "usage: sstp-helper COMMAND [OPTIONS]\n\ncommands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].what);
	fprintf(out, "\n'sstp-helper COMMAND --help' tells more.\n");
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "sstp-helper: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
