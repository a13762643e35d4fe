/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * status-record.h - what `sstp-helper serve` tells `sstp-helper status`
 * about its sessions, over the server's status socket.
 *
 * The server (or a client) writes, and then closes the connection:
 *   "sstp-status 3\n"                     the format's name and version
 *   one line per session: the fields of struct sstp_status_rec, in its
 *   order, separated by single tabs, "-" for an empty text field
 *   "end\n"                               so a cut-short answer shows
 * Text fields never hold a tab, a newline or another control character
 * (they are replaced by '?' when written).
 */
#ifndef SSTP_STATUS_RECORD_H
#define SSTP_STATUS_RECORD_H

#include <stddef.h>
#include <stdint.h>

#define SSTP_STATUS_MAGIC	"sstp-status 3"
#define SSTP_STATUS_END		"end"
/* Room for one line: every field at its largest. */
#define SSTP_STATUS_LINE_MAX	1024

struct sstp_status_rec {
	unsigned int id;		/* session number; a client's pid */
	char role[8];			/* "server" or "client" */
	char state[16];			/* "tls", "up", ... */
	char user[256];
	char peer[300];			/* the other end, "addr:port" */
	char ifname[32];
	char local[64], remote[64];	/* IPv4 addresses of the link */
	char tls[16];			/* "TLSv1.3" */
	char cipher[64];
	uint64_t uptime;		/* seconds since the TCP accept */
	uint64_t rx_packets, rx_bytes;	/* the kernel's counters */
	uint64_t tx_packets, tx_bytes;
	char datapath[8];		/* "kernel", "user"; "" before a carrier */
};

struct sstp_tunnel_info;

/* One record as a line, newline included; its length, or -1 if too long. */
int sstp_status_format(const struct sstp_status_rec *r, char *buf,
		       size_t size);
/* Parse one line (without its newline; modified); 0, or -1 if malformed. */
int sstp_status_parse(char *line, struct sstp_status_rec *r);

#endif /* SSTP_STATUS_RECORD_H */
