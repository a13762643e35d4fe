// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * status.c - `sstp-helper status`: the sessions of a running server and
 * the running clients, as a table or as JSON, read from their status
 * sockets (status-record.h, status-socket.h).
 */

#include <errno.h>
#include <getopt.h>
#include <glob.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "sstp-helper.h"
#include "common/status-record.h"
#include "common/status-socket.h"

/* A generous bound on the answer: thousands of sessions. */
#define ANSWER_MAX	(16u << 20)

struct answer {
	struct sstp_status_rec *recs;
	size_t n;
};

/*
 * Read the whole answer at @path into a NUL-ended buffer; NULL if nothing
 * answers there (said so unless @quiet) or on error (said so).
 */
static char *fetch(const char *path, bool quiet)
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
		if (!quiet)
			fprintf(stderr, "sstp-helper status: nothing answers at "
				"%s: %s\n", path, strerror(errno));
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
	int role = strcmp(x->role, y->role);

	/* Clients first, then the server's sessions, each by number. */
	return role ? role : (x->id > y->id) - (x->id < y->id);
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
		json_string("role", r->role, true);
		json_string("state", r->state, true);
		json_string("user", r->user, true);
		json_string("peer", r->peer, true);
		json_string("interface", r->ifname, true);
		json_string("local_address", r->local, true);
		json_string("remote_address", r->remote, true);
		json_string("tls_version", r->tls, true);
		json_string("tls_cipher", r->cipher, true);
		json_string("datapath", r->datapath, true);
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
	printf("%-7s %-6s %-8s %-12s %-22s %-10s %-15s %-15s %-8s %-6s %-9s %12s %12s\n",
	       "ID", "ROLE", "STATE", "USER", "PEER", "IFACE", "LOCAL", "REMOTE",
	       "TLS", "PATH", "UPTIME", "RX BYTES", "TX BYTES");
	for (i = 0; i < ans->n; i++) {
		r = &ans->recs[i];
		snprintf(uptime, sizeof(uptime), "%" PRIu64 ":%02" PRIu64 ":%02" PRIu64,
			 r->uptime / 3600, r->uptime / 60 % 60, r->uptime % 60);
		printf("%-7u %-6s %-8s %-12s %-22s %-10s %-15s %-15s %-8s %-6s %-9s %12"
		       PRIu64 " %12" PRIu64 "\n", r->id, dash(r->role), r->state,
		       dash(r->user),
		       r->peer, dash(r->ifname), dash(r->local), dash(r->remote),
		       dash(r->tls), dash(r->datapath), uptime, r->rx_bytes,
		       r->tx_bytes);
	}
}

static void status_usage(FILE *out)
{
	fprintf(out,
		"usage: sstp-helper status [--socket PATH] [--json]\n"
		"\n"
		"The sessions of a running 'sstp-helper serve' and the running\n"
		"'sstp-helper connect' clients: user, the other end's address, ppp\n"
		"interface and addresses, TLS version, uptime, and the kernel's byte\n"
		"counters. --json prints the same and more (cipher, packets) as JSON.\n"
		"--socket reads one status socket only (a server's status-socket;\n"
		"default: %s and %s/client-*.sock).\n",
		SSTP_STATUS_SOCKET, SSTP_STATUS_DIR);
}

/* Add the records at @path to @ans; 1 if it answered, 0 if not, -1 bad. */
static int collect(const char *path, bool quiet, struct answer *ans)
{
	char *text = fetch(path, quiet);
	int ret;

	if (!text)
		return 0;
	ret = parse_answer(text, ans) ? -1 : 1;
	free(text);
	return ret;
}

/* The server's socket and every client's: 0 if any answered. */
static int collect_all(struct answer *ans)
{
	glob_t g;
	int answered = 0, rc;
	size_t i;

	rc = collect(SSTP_STATUS_SOCKET, true, ans);
	if (rc < 0)
		return -1;
	answered += rc;
	if (glob(SSTP_STATUS_DIR "/client-*.sock", 0, NULL, &g) == 0) {
		for (i = 0; i < g.gl_pathc; i++) {
			rc = collect(g.gl_pathv[i], true, ans);
			if (rc < 0) {
				globfree(&g);
				return -1;
			}
			answered += rc;
		}
		globfree(&g);
	}
	if (!answered) {
		fprintf(stderr, "sstp-helper status: nothing answers at %s or "
			"%s/client-*.sock: no sstp-helper serve or connect is "
			"running (--socket names another status-socket)\n",
			SSTP_STATUS_SOCKET, SSTP_STATUS_DIR);
		return -1;
	}
	return 0;
}

int sstp_cmd_status(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = NULL;
	struct answer ans = { NULL, 0 };
	bool json = false;
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
	ret = path ? (collect(path, false, &ans) == 1 ? 0 : -1) : collect_all(&ans);
	if (!ret) {
		if (ans.n)
			qsort(ans.recs, ans.n, sizeof(*ans.recs), by_id);
		if (json)
			print_json(&ans);
		else
			print_table(&ans);
	}
	free(ans.recs);
	return ret ? 1 : 0;
}
