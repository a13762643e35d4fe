// SPDX-License-Identifier: GPL-2.0-or-later
/* status-record.c - see status-record.h. */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/status-record.h"

#define NFIELDS 16

/* @src made safe for a field: "-" when empty, control characters '?'. */
static const char *field(char *dst, size_t size, const char *src)
{
	size_t i;

	if (!src[0])
		return "-";
	snprintf(dst, size, "%s", src);
	for (i = 0; dst[i]; i++)
		if ((unsigned char)dst[i] < 0x20 || dst[i] == 0x7f)
			dst[i] = '?';
	return dst;
}

int sstp_status_format(const struct sstp_status_rec *r, char *buf,
		       size_t size)
{
	char role[8], state[16], user[256], peer[300], ifname[32], local[64];
	char remote[64], tls[16], cipher[64], datapath[8];
	int n;

	n = snprintf(buf, size,
		     "%u\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%" PRIu64 "\t%" PRIu64
		     "\t%" PRIu64 "\t%" PRIu64 "\t%" PRIu64 "\t%s\n", r->id,
		     field(role, sizeof(role), r->role),
		     field(state, sizeof(state), r->state),
		     field(user, sizeof(user), r->user),
		     field(peer, sizeof(peer), r->peer),
		     field(ifname, sizeof(ifname), r->ifname),
		     field(local, sizeof(local), r->local),
		     field(remote, sizeof(remote), r->remote),
		     field(tls, sizeof(tls), r->tls),
		     field(cipher, sizeof(cipher), r->cipher),
		     r->uptime, r->rx_packets, r->rx_bytes, r->tx_packets,
		     r->tx_bytes, field(datapath, sizeof(datapath), r->datapath));
	return n < 0 || (size_t)n >= size ? -1 : n;
}

static int text(char *dst, size_t size, const char *src)
{
	if (strlen(src) >= size)
		return -1;
	strcpy(dst, strcmp(src, "-") ? src : "");
	return 0;
}

static int number(const char *src, uint64_t *v)
{
	char *end;

	if (src[0] < '0' || src[0] > '9')
		return -1;
	errno = 0;
	*v = strtoull(src, &end, 10);
	return errno || *end ? -1 : 0;
}

int sstp_status_parse(char *line, struct sstp_status_rec *r)
{
	char *f[NFIELDS], *save = NULL, *t;
	uint64_t id;
	int n = 0;

	memset(r, 0, sizeof(*r));
	/* strtok_r would merge empty fields; there are none, each has "-". */
	for (t = strtok_r(line, "\t", &save); t; t = strtok_r(NULL, "\t", &save)) {
		if (n == NFIELDS)
			return -1;
		f[n++] = t;
	}
	if (n != NFIELDS || number(f[0], &id) || id > UINT32_MAX)
		return -1;
	r->id = (unsigned int)id;
	if (text(r->role, sizeof(r->role), f[1]) ||
	    text(r->state, sizeof(r->state), f[2]) ||
	    text(r->user, sizeof(r->user), f[3]) ||
	    text(r->peer, sizeof(r->peer), f[4]) ||
	    text(r->ifname, sizeof(r->ifname), f[5]) ||
	    text(r->local, sizeof(r->local), f[6]) ||
	    text(r->remote, sizeof(r->remote), f[7]) ||
	    text(r->tls, sizeof(r->tls), f[8]) ||
	    text(r->cipher, sizeof(r->cipher), f[9]))
		return -1;
	if (number(f[10], &r->uptime) || number(f[11], &r->rx_packets) ||
	    number(f[12], &r->rx_bytes) || number(f[13], &r->tx_packets) ||
	    number(f[14], &r->tx_bytes) ||
	    text(r->datapath, sizeof(r->datapath), f[15]))
		return -1;
	return 0;
}
