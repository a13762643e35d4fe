/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * radius.h - the files pppd's radius.so reads, for `serve` with
 * use-radius = yes.
 *
 * radius.so (Debian's ppp package) carries its own copy of radiusclient,
 * which takes everything from a radiusclient.conf named by pppd's option
 * "radius-config-file": the servers, the file with their secrets, the
 * attribute dictionary, a sequence-number file and a port map. serve
 * writes all of them once, at start-up, into a private directory (0700,
 * the secrets file 0600), and every session's pppd reads them there; the
 * secret is never on a command line.
 */
#ifndef SSTP_RADIUS_H
#define SSTP_RADIUS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "server/server-config.h"

/* pppd finds it in its plugin directory (/usr/lib/pppd/VERSION). */
#define SSTP_RADIUS_PLUGIN	"radius.so"
/* Where serve makes its directory: beside the status socket. */
#define SSTP_RADIUS_PARENT	"/run/sstp"

struct sstp_radius_files {
	char dir[PATH_MAX];	/* "" while there is none */
	char conf[PATH_MAX];	/* dir/radiusclient.conf, for pppd */
};

/*
 * Write radius.so's files for server @r into a new directory under
 * @parent (made 0755 if missing); @accounting: whether sessions are
 * accounted for there too. 0, or -1 with @err (nothing left behind).
 */
int sstp_radius_files_write(struct sstp_radius_files *f, const char *parent,
			    const struct sstp_radius_conf *r, bool accounting,
			    char *err, size_t errlen);

/* Remove the files and their directory; nothing if none were written. */
void sstp_radius_files_remove(struct sstp_radius_files *f);

#endif /* SSTP_RADIUS_H */
