// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The config files: the input as a server's and as a client's, read from
 * a memory file the way serve and connect read theirs. An accepted config
 * is freed; a refused one must say why.
 */
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "client/client-config.h"
#include "fuzz.h"
#include "server/server-config.h"

static int memfile = -1;
static char path[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sstp_server_config srv;
	struct sstp_client_config cli;
	char err[512];

	if (memfile < 0) {
		memfile = memfd_create("fuzz.conf", 0);
		FUZZ_ASSERT(memfile >= 0);
		snprintf(path, sizeof(path), "/proc/self/fd/%d", memfile);
	}
	FUZZ_ASSERT(!ftruncate(memfile, 0));
	FUZZ_ASSERT(pwrite(memfile, data, size, 0) == (ssize_t)size);

	err[0] = '\0';
	if (sstp_server_config_load(&srv, path, err, sizeof(err)))
		FUZZ_ASSERT(err[0]);
	else
		sstp_server_config_free(&srv);

	sstp_client_config_init(&cli);
	err[0] = '\0';
	if (sstp_client_config_load(&cli, path, err, sizeof(err)))
		FUZZ_ASSERT(err[0]);
	sstp_client_config_wipe(&cli);
	return 0;
}
