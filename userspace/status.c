// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * status.c - `sstp-helper status`: the sessions of a running server, as a
 * table or as JSON, read from its status socket (status-record.h).
 */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "server-config.h"
#include "sstp-helper.h"
#include "status-record.h"

/* A generous bound on the answer: thousands of sessions. */
#define ANSWER_MAX	(16u << 20)

struct answer {
	struct sstp_status_rec *recs;
	size_t n;
};

/* Read the whole answer of the server at @path into a NUL-ended buffer. */
static char *fetch(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = 10 };
	size_t len = 0, size = 65536;
	char *buf = NULL, *bigger;
	ssize_t n;
	int fd;

	if (strlen(path) >= sizeof(a.sun_path)) {
		fprintf(stderr, "sstp-helper status: path too long: %s\n", path);
		return NULL;
	}
	strcpy(a.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		fprintf(stderr, "sstp-helper status: no server answers at %s: %s\n"
			"(is 'sstp-helper serve' running? --socket names its "
			"status-socket)\n", path, strerror(errno));
		goto fail;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	for (;;) {
		if (!buf || len + 1 == size) {
			if (buf)
				size *= 2;
			bigger = size <= ANSWER_MAX ? realloc(buf, size) : NULL;
			if (!bigger) {
				fprintf(stderr, "sstp-helper status: answer too large\n");
				goto fail;
			}
			buf = bigger;
		}
		n = recv(fd, buf + len, size - len - 1, 0);
		if (n == 0)
			break;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "sstp-helper status: reading %s: %s\n",
				path, strerror(errno));
			goto fail;
		}
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	return buf;
fail:
	if (fd >= 0)
		close(fd);
	free(buf);
	return NULL;
}

/* Split the answer into records; 0, or -1 (said why) if malformed. */
static int parse_answer(char *text, struct answer *ans)
{
	char *line, *save = NULL;
	bool ended = false;
	size_t lines = 0;
	void *more;

	line = strtok_r(text, "\n", &save);
	if (!line || strcmp(line, SSTP_STATUS_MAGIC)) {
		fprintf(stderr, "sstp-helper status: not a status answer\n");
		return -1;
	}
	while ((line = strtok_r(NULL, "\n", &save))) {
		lines++;
		if (ended)
			break;
		if (!strcmp(line, SSTP_STATUS_END)) {
			ended = true;
			continue;
		}
		more = realloc(ans->recs, (ans->n + 1) * sizeof(*ans->recs));
		if (!more)
			return -1;
		ans->recs = more;
		if (sstp_status_parse(line, &ans->recs[ans->n])) {
			fprintf(stderr, "sstp-helper status: bad line %zu\n", lines + 1);
			return -1;
		}
		ans->n++;
	}
	if (!ended) {
		fprintf(stderr, "sstp-helper status: the answer was cut short\n");
		return -1;
	}
	return 0;
}

static int by_id(const void *a, const void *b)
{
	const struct sstp_status_rec *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

static void json_string(const char *name, const char *s, bool comma)
{
	printf("\"%s\": \"", name);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	printf("\"%s", comma ? ", " : "");
}

static void print_json(const struct answer *ans)
{
	const struct sstp_status_rec *r;
	size_t i;

	printf("{\"sessions\": [");
	for (i = 0; i < ans->n; i++) {
		r = &ans->recs[i];
		printf("%s\n  {\"id\": %u, ", i ? "," : "", r->id);
		json_string("state", r->state, true);
		json_string("user", r->user, true);
		json_string("peer", r->peer, true);
		json_string("interface", r->ifname, true);
		json_string("local_address", r->local, true);
		json_string("remote_address", r->remote, true);
		json_string("tls_version", r->tls, true);
		json_string("tls_cipher", r->cipher, true);
		printf("\"uptime\": %" PRIu64 ", \"rx_packets\": %" PRIu64
		       ", \"rx_bytes\": %" PRIu64 ", \"tx_packets\": %" PRIu64
		       ", \"tx_bytes\": %" PRIu64 "}", r->uptime, r->rx_packets,
		       r->rx_bytes, r->tx_packets, r->tx_bytes);
	}
	printf("%s]}\n", ans->n ? "\n" : "");
}

static const char *dash(const char *s)
{
	return s[0] ? s : "-";
}

static void print_table(const struct answer *ans)
{
	const struct sstp_status_rec *r;
	char uptime[32];
	size_t i;

	if (!ans->n) {
		printf("no sessions\n");
		return;
	}
	printf("%-5s %-8s %-12s %-22s %-8s %-15s %-15s %-8s %-9s %12s %12s\n",
	       "ID", "STATE", "USER", "PEER", "IFACE", "LOCAL", "REMOTE", "TLS",
	       "UPTIME", "RX BYTES", "TX BYTES");
	for (i = 0; i < ans->n; i++) {
		r = &ans->recs[i];
		snprintf(uptime, sizeof(uptime), "%" PRIu64 ":%02" PRIu64 ":%02" PRIu64,
			 r->uptime / 3600, r->uptime / 60 % 60, r->uptime % 60);
		printf("%-5u %-8s %-12s %-22s %-8s %-15s %-15s %-8s %-9s %12" PRIu64
		       " %12" PRIu64 "\n", r->id, r->state, dash(r->user),
		       r->peer, dash(r->ifname), dash(r->local), dash(r->remote),
		       dash(r->tls), uptime, r->rx_bytes, r->tx_bytes);
	}
}

static void status_usage(FILE *out)
{
	fprintf(out,
		"usage: sstp-helper status [--socket PATH] [--json]\n"
		"\n"
		"The sessions of a running 'sstp-helper serve': user, client address,\n"
		"ppp interface and addresses, TLS version, uptime, and the kernel's\n"
		"byte counters. --json prints the same and more (cipher, packets)\n"
		"as JSON. --socket is the server's status-socket (default %s).\n",
		SSTP_STATUS_SOCKET);
}

int sstp_cmd_status(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = SSTP_STATUS_SOCKET;
	struct answer ans = { NULL, 0 };
	bool json = false;
	char *text;
	int c, ret;

	while ((c = getopt_long(argc, argv, "s:jh", longopts, NULL)) != -1) {
		switch (c) {
		case 's': path = optarg; break;
		case 'j': json = true; break;
		case 'h': status_usage(stdout); return 0;
		default: status_usage(stderr); return 2;
		}
	}
	if (optind != argc) {
		status_usage(stderr);
		return 2;
	}
	text = fetch(path);
	if (!text)
		return 1;
	ret = parse_answer(text, &ans) ? 1 : 0;
	if (!ret) {
		if (ans.n)
			qsort(ans.recs, ans.n, sizeof(*ans.recs), by_id);
		if (json)
			print_json(&ans);
		else
			print_table(&ans);
	}
	free(ans.recs);
	free(text);
	return ret;
}
