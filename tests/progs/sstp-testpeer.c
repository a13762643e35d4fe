// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sstp-testpeer: one end of a kTLS connection, for the kernel data path's
 * VM tests. It is sstp-helper without the SSTP call: TCP, TLS, the kTLS
 * handoff, then either
 *   tunnel mode (default): SSTP_CMD_TUNNEL_NEW, pppd on the channel, events
 *     printed one per line until the tunnel is down; or
 *   --raw: no tunnel; SSTP bytes from the command line are written with
 *     send() (or a TLS record of another type with --record) and what
 *     arrives is printed, so tests can play a hostile or silent peer
 *     against a tunnel (--split: one byte per TLS record); --reset ends
 *     with a TCP reset instead of a FIN;
 *   --flood KIND: no tunnel; a peer that never reads (its receive buffer
 *     made tiny, so its TCP window closes) and writes --flood-bytes of
 *     one kind of packet as fast as the other end takes them: "echo"
 *     (SSTP Echo Requests), "lcp" (PPP LCP Configure-Requests, each of
 *     which pppd acknowledges), "ctrl" (Call Connect Requests) or "ipcp"
 *     (IPCP Configure-Requests, once LCP and IPCP are up: the peer plays
 *     PPP just far enough, prints "ppp up" and floods on SIGUSR1); 0 bytes
 *     (the default) floods until the connection ends. It prints "flood
 *     done <bytes>" when all went out, "flood blocked <bytes>" when the
 *     other end took nothing for --seconds, or "flood ended <bytes>
 *     <errno>" when the connection failed.
 *   --random BYTES: no tunnel; writes BYTES of random SSTP data packets
 *     (8..4095 bytes, network-layer PPP frames of random bytes, from a
 *     generator seeded with --seed, so a failure can be replayed) while
 *     reading what comes back, then an Echo Request: prints "random done
 *     <bytes> <packets>", then "echo answered" once the Echo Response is
 *     found in the stream, which shows the other end's parser kept in step.
 *   --stream send|recv: no tunnel, no SSTP: a raw kTLS byte stream, the
 *     benchmark's ceiling (tools/bench). "send" writes 64 KiB blocks for
 *     --seconds and closes; "recv" reads until the end of the stream.
 *     Each prints "tls <version> <cipher>", then "stream sent|received
 *     <bytes> <seconds>" (the receiver counts from its first byte).
 * In tunnel mode, SIGUSR1 opens the gate (SSTP_CMD_TUNNEL_SET connected).
 *
 * --ctl USER:PASSWORD (repeatable) plays sstp-helper's side of the plugin's
 * control socket (userspace/plugin-ctl.h): pppd gets "sstp-ctl-fd N", a
 * "secret <user>" request is answered from this table, "password" with the
 * first entry's password; requests are noted on stderr (without the
 * password), every other message is printed. --ctl-delay MS answers a
 * "secret" request only after MS milliseconds, as a busy helper would.
 *
 * Output lines (stdout, flushed):
 *   tunnel <id> channel <index>
 *   ctrl <hex of the control packet>          (CTRL_RECV event)
 *   down <reason name> detail <n> rx <packets> tx <packets> gate <drops>
 *        oversize <drops>
 *   ctl <message as the plugin sent it>       (--ctl: auth, keys, ip-up...)
 *   pppd exited <status>
 *   recv <hex>                                (--raw: bytes received)
 *   record <type> <hex>                       (--raw: a TLS record other
 *                                             than data, e.g. 21 0100)
 *   eof | error <errno>                       (--raw: end of stream)
 */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/tls.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "datapath/genl.h"
#include "sstp/wire.h"
#include "common/hex.h"
#include "ppp-packet.h"
#include "transport/ktls.h"
#include "ppp/plugin-ctl.h"

#define MAX_CTL_USERS 8

struct ctl_user {
	const char *user, *password;
};

struct peer_opts {
	const char *listen, *connect;
	const char *cert, *key;
	const char *tls_version;
	const char *plugin;
	const char *send_hex;
	const char *record;
	char **pppd_args;
	int raw;
	int split;
	int reset;
	int tickets;
	int open_gate;
	int hello, keepalive;
	int tx_stall;
	int raw_seconds;
	const char *flood;
	long flood_bytes;
	long random_bytes;
	const char *stream;
	unsigned long long seed;
	struct ctl_user ctl_users[MAX_CTL_USERS];
	int n_ctl_users;
	int ctl_delay_ms;
};

static volatile sig_atomic_t stop_requested, gate_requested;

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		gate_requested = 1;
	else
		stop_requested = 1;
}

static void die(const char *fmt, const char *arg)
{
	fprintf(stderr, "sstp-testpeer: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	ERR_print_errors_fp(stderr);
	exit(2);
}

static int parse_addr(const char *s, struct sockaddr_storage *ss,
		      socklen_t *len)
{
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	char host[128];
	const char *colon = strrchr(s, ':');

	if (!colon || (size_t)(colon - s) >= sizeof(host))
		return -1;
	memcpy(host, s, colon - s);
	host[colon - s] = '\0';
	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, host, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(atoi(colon + 1));
		*len = sizeof(*s4);
		return 0;
	}
	if (host[0] == '[' && host[strlen(host) - 1] == ']') {
		host[strlen(host) - 1] = '\0';
		if (inet_pton(AF_INET6, host + 1, &s6->sin6_addr) == 1) {
			s6->sin6_family = AF_INET6;
			s6->sin6_port = htons(atoi(colon + 1));
			*len = sizeof(*s6);
			return 0;
		}
	}
	return -1;
}

static int tcp_open(const struct peer_opts *o)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, lfd, one = 1;

	if (parse_addr(o->listen ? o->listen : o->connect, &ss, &len))
		die("bad address '%s' (want IPv4:port or [IPv6]:port)",
		    o->listen ? o->listen : o->connect);
	fd = socket(ss.ss_family, SOCK_STREAM, 0);
	if (fd < 0)
		die("socket: %s", strerror(errno));
	/* Before connect, so the window the peer sees starts small. */
	if (o->flood) {
		int small = 1;	/* raised to the kernel's smallest */

		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
	}
	if (o->connect) {
		if (connect(fd, (struct sockaddr *)&ss, len))
			die("connect: %s", strerror(errno));
		return fd;
	}
	lfd = fd;
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lfd, (struct sockaddr *)&ss, len) || listen(lfd, 1))
		die("bind/listen: %s", strerror(errno));
	fd = accept(lfd, NULL, NULL);
	if (fd < 0)
		die("accept: %s", strerror(errno));
	close(lfd);
	return fd;
}

static SSL *tls_open(const struct peer_opts *o, int fd)
{
	int version = TLS1_3_VERSION;
	char err[256];
	SSL_CTX *ctx;
	SSL *ssl;

	ctx = SSL_CTX_new(o->listen ? TLS_server_method() : TLS_client_method());
	if (!ctx || sstp_ktls_ctx_prepare(ctx, err, sizeof(err)))
		die("TLS context: %s", ctx ? err : "out of memory");
	/* Tickets a server sends go out inside SSL_accept, after which the
	 * client has already handed off: the peer's kernel must skip them. */
	if (o->listen && o->tickets)
		SSL_CTX_set_num_tickets(ctx, o->tickets);
	if (o->tls_version && !strcmp(o->tls_version, "1.2"))
		version = TLS1_2_VERSION;
	SSL_CTX_set_min_proto_version(ctx, version);
	SSL_CTX_set_max_proto_version(ctx, version);
	if (o->listen &&
	    (SSL_CTX_use_certificate_chain_file(ctx, o->cert) != 1 ||
	     SSL_CTX_use_PrivateKey_file(ctx, o->key, SSL_FILETYPE_PEM) != 1))
		die("cannot load certificate or key %s", o->cert);
	ssl = SSL_new(ctx);
	SSL_CTX_free(ctx);
	if (!ssl || !SSL_set_fd(ssl, fd))
		die("%s", "SSL_new");
	if ((o->listen ? SSL_accept(ssl) : SSL_connect(ssl)) != 1)
		die("%s", "TLS handshake failed");
	if (sstp_ktls_handoff(ssl, fd, err, sizeof(err)))
		die("kTLS handoff: %s", err);
	return ssl;
}

static size_t unhex(const char *s, uint8_t *out, size_t max)
{
	int n = sstp_hex_decode(s, out, max);

	if (n < 0)
		die("bad hex '%s'", s);
	return n;
}

static void print_hex(const char *tag, const uint8_t *p, size_t n)
{
	static char hex[2 * 16384 + 1];

	sstp_hex_encode(p, n, hex);
	printf("%s %s\n", tag, hex);
	fflush(stdout);
}

static size_t unhex(const char *s, uint8_t *out, size_t max);

/*
 * Send one TLS record of another type than data through kTLS, "TYPE:HEX":
 * 21:0228 is a fatal handshake_failure alert, 22:1800000100 a KeyUpdate.
 */
static void send_record(int fd, const char *spec)
{
	uint8_t payload[256];
	char cbuf[CMSG_SPACE(sizeof(uint8_t))] = { 0 };
	struct iovec iov = { .iov_base = payload };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
	unsigned int type;
	const char *colon = strchr(spec, ':');

	if (sscanf(spec, "%u:", &type) != 1 || !colon)
		die("bad record '%s' (want TYPE:HEX)", spec);
	iov.iov_len = unhex(colon + 1, payload, sizeof(payload));
	cmsg->cmsg_level = SOL_TLS;
	cmsg->cmsg_type = TLS_SET_RECORD_TYPE;
	cmsg->cmsg_len = CMSG_LEN(sizeof(uint8_t));
	*CMSG_DATA(cmsg) = type;
	if (sendmsg(fd, &msg, 0) != (ssize_t)iov.iov_len)
		die("sending the record: %s", strerror(errno));
}

/* Close with a reset: SO_LINGER with a zero timeout. */
static void close_reset(int fd)
{
	struct linger lin = { .l_onoff = 1, .l_linger = 0 };

	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lin, sizeof(lin));
	close(fd);
}

#define TLS_RECORD_DATA 23

/*
 * recv() that also takes a TLS record of another type (an alert, say)
 * and says which: without a control buffer kTLS fails such a read.
 */
static ssize_t recv_record(int fd, uint8_t *buf, size_t size, unsigned *type)
{
	char cbuf[CMSG_SPACE(sizeof(uint8_t))];
	struct iovec iov = { .iov_base = buf, .iov_len = size };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cmsg;
	ssize_t n = recvmsg(fd, &msg, 0);

	*type = TLS_RECORD_DATA;
	cmsg = n > 0 ? CMSG_FIRSTHDR(&msg) : NULL;
	if (cmsg && cmsg->cmsg_level == SOL_TLS &&
	    cmsg->cmsg_type == TLS_GET_RECORD_TYPE)
		*type = *CMSG_DATA(cmsg);
	return n;
}

/* --raw: write the given bytes, then print what comes back. */
static int run_raw(const struct peer_opts *o, int fd)
{
	uint8_t buf[16384];
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int waited = 0;
	unsigned type;
	ssize_t n;

	if (o->record)
		send_record(fd, o->record);
	if (o->send_hex) {
		size_t len = unhex(o->send_hex, buf, sizeof(buf)), i;

		/* --split: one byte per send(), so one TLS record each. */
		for (i = 0; o->split && i < len; i++)
			if (send(fd, buf + i, 1, 0) != 1)
				die("send: %s", strerror(errno));
		if (!o->split && send(fd, buf, len, 0) != (ssize_t)len)
			die("send: %s", strerror(errno));
	}
	while (!stop_requested && waited < o->raw_seconds * 10) {
		if (poll(&pfd, 1, 100) <= 0) {
			waited++;
			continue;
		}
		n = recv_record(fd, buf, sizeof(buf), &type);
		if (n > 0 && type != TLS_RECORD_DATA) {
			printf("record %u", type);
			print_hex("", buf, n);
			continue;
		}
		if (n == 0) {
			printf("eof\n");
			return 0;
		}
		if (n < 0) {
			printf("error %d\n", errno);
			return 0;
		}
		print_hex("recv", buf, n);
	}
	if (o->reset)
		close_reset(fd);
	fflush(stdout);
	return 0;
}

/* One packet of the --flood kind, returned in @pkt; its length. */
static size_t flood_packet(const char *kind, uint8_t *pkt)
{
	static const char *const kinds[][2] = {
		/* Echo Request: control, length 8, type 8, no attributes. */
		{ "echo", "1001000800080000" },
		/* Data: FF 03, LCP Configure-Request id 1, no options. */
		{ "lcp", "1000000cff03c02101010004" },
		/* Call Connect Request with its Encapsulated Protocol Id. */
		{ "ctrl", "1001000e00010001000100060001" },
		/* Data: FF 03, IPCP Configure-Request for 198.51.100.2. */
		{ "ipcp", "10000012ff038021010100" "0a0306c6336402" },
	};
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(kind, kinds[i][0]))
			return sstp_hex_decode(kinds[i][1], pkt, 32);
	die("unknown flood kind '%s' (echo, lcp, ctrl, ipcp)", kind);
	return 0;
}

/* Send one PPP control packet (code, id, body) of @proto, with FF 03. */
static void ppp_send_cp(int fd, uint16_t proto, uint8_t code, uint8_t id,
			const uint8_t *body, size_t blen)
{
	uint8_t pkt[SSTP_MAX_PACKET];
	size_t len = ppp_packet(pkt, sizeof(pkt), proto, code, id, body, blen);

	if (!len)
		die("ppp: %s", "the packet does not fit in one SSTP packet");
	if (send(fd, pkt, len, MSG_NOSIGNAL) != (ssize_t)len)
		die("ppp: send: %s", strerror(errno));
}

/*
 * --flood ipcp, before the flood: play PPP just far enough for pppd to
 * bring its unit up. Every Configure-Request of pppd's (LCP, IPCP) is
 * acknowledged as it is; ours ask for nothing in LCP, and for
 * 198.51.100.2 in IPCP once LCP is open. Returns once both are open.
 */
static void ppp_open_ipcp(int fd)
{
	static const uint8_t addr[] = { 0x03, 0x06, 198, 51, 100, 2 };
	enum { LCP, IPCP };
	bool acked[2] = { false, false }, acking[2] = { false, false };
	bool ipcp_asked = false;
	uint8_t buf[16384];
	const uint8_t *in, *pkt, *p;
	struct sstp_stream stream;
	unsigned type;
	size_t left;
	ssize_t n;
	int len, cp;

	sstp_stream_init(&stream);
	ppp_send_cp(fd, 0xc021, 1, 1, NULL, 0);
	while (!acked[LCP] || !acking[LCP] || !acked[IPCP] || !acking[IPCP]) {
		n = recv_record(fd, buf, sizeof(buf), &type);
		if (n <= 0)
			die("%s", "ppp: the stream ended before IPCP was up");
		if (type != TLS_RECORD_DATA)
			continue;
		in = buf;
		left = n;
		while ((len = sstp_stream_next(&stream, &in, &left, &pkt)) > 0) {
			if (pkt[1] & SSTP_FLAG_CONTROL || len < 12 ||
			    pkt[4] != 0xff || pkt[5] != 0x03)
				continue;
			p = pkt + 6;
			if ((p[0] << 8 | p[1]) == 0xc021)
				cp = LCP;
			else if ((p[0] << 8 | p[1]) == 0x8021)
				cp = IPCP;
			else
				continue;
			if (p[2] == 1) {	/* Configure-Request: yes */
				ppp_send_cp(fd, p[0] << 8 | p[1], 2, p[3],
					    p + 6, len - 12);
				acking[cp] = true;
			} else if (p[2] == 2) {
				acked[cp] = true;
			} else if (p[2] == 3 || p[2] == 4) {
				die("%s", "ppp: pppd refused our request");
			}
			/* IPCP only once LCP is open both ways. */
			if (!ipcp_asked && acked[LCP] && acking[LCP]) {
				ppp_send_cp(fd, 0x8021, 1, 1, addr, sizeof(addr));
				ipcp_asked = true;
			}
		}
		if (len < 0)
			die("%s", "ppp: framing error");
	}
	printf("ppp up\n");
	fflush(stdout);
}

/*
 * --flood: write packets and never read. A bounded peer stops taking them
 * (TCP pushes back) or keeps taking them without keeping them.
 */
static int run_flood(const struct peer_opts *o, int fd)
{
	uint8_t pkt[32], buf[16384];
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };
	size_t len = flood_packet(o->flood, pkt), fill = 0, off;
	long sent = 0;
	ssize_t n;

	while (fill + len <= sizeof(buf)) {
		memcpy(buf + fill, pkt, len);
		fill += len;
	}
	fcntl(fd, F_SETFL, O_NONBLOCK);
	while ((!o->flood_bytes || sent < o->flood_bytes) && !stop_requested) {
		if (poll(&pfd, 1, o->raw_seconds * 1000) <= 0) {
			printf("flood blocked %ld\n", sent);
			fflush(stdout);
			goto hold;
		}
		/* Whole packets only, so the stream stays well framed. */
		off = sent % fill;
		n = send(fd, buf + off, fill - off, MSG_NOSIGNAL);
		if (n < 0 && errno != EAGAIN) {
			printf("flood ended %ld %d\n", sent, errno);
			fflush(stdout);
			return 0;
		}
		if (n > 0)
			sent += n;
	}
	printf("flood done %ld\n", sent);
	fflush(stdout);
hold:
	/* Keep the connection open and unread until told to stop. */
	while (!stop_requested)
		pause();
	return 0;
}

/* xorshift64*: a small generator whose stream a seed fixes. */
static uint64_t random_next(uint64_t *state)
{
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * 2685821657736338717ULL;
}

/*
 * One random SSTP data packet into @p; its length. The PPP frame has FF 03
 * or not, then a network-layer protocol (IPv4, IPv6, VJ, multilink,
 * compressed or any other below 0x8000: a connected call's gate lets all
 * of them through, and none of them is LCP, so the call survives), then
 * random bytes.
 */
static size_t random_packet(uint64_t *state, uint8_t *p)
{
	static const uint16_t protos[] = {
		0x0021, 0x0057, 0x002d, 0x002f, 0x003d, 0x00fd,
	};
	uint64_t r = random_next(state), bits;
	size_t len = 8 + r % (SSTP_MAX_PACKET - 8 + 1), i = SSTP_HDR_LEN;
	uint16_t proto;

	sstp_hdr_encode(p, false, len);
	if (r & (1ULL << 32)) {
		p[i++] = 0xff;
		p[i++] = 0x03;
	}
	proto = (r >> 33) % 4 ? protos[(r >> 35) % 6] : (r >> 40) & 0x7fff;
	p[i++] = proto >> 8;
	p[i++] = proto & 0xff;
	for (; i < len; i += 8) {
		bits = random_next(state);
		memcpy(p + i, &bits, len - i < 8 ? len - i : 8);
	}
	return len;
}

/*
 * Read what has arrived (TLS data records only) and look for an Echo
 * Response among the SSTP packets: 1 when one came, -1 at the end of the
 * stream or on a framing error, 0 otherwise.
 */
static int random_read(int fd, struct sstp_stream *stream)
{
	uint8_t buf[16384];
	const uint8_t *in = buf, *pkt;
	size_t left;
	unsigned type;
	ssize_t n = recv_record(fd, buf, sizeof(buf), &type);
	int len, echo = 0;

	if (n == 0 || (n < 0 && errno != EAGAIN))
		return -1;
	if (n < 0 || type != TLS_RECORD_DATA)
		return 0;
	left = n;
	while ((len = sstp_stream_next(stream, &in, &left, &pkt)) > 0)
		if (sstp_ctrl_peek_type(pkt, len) == SSTP_MSG_ECHO_RESPONSE)
			echo = 1;
	return len < 0 ? -1 : echo;
}

/* --random: see the top of the file. */
static int run_random(const struct peer_opts *o, int fd)
{
	static uint8_t buf[65536];
	struct pollfd pfd = { .fd = fd };
	struct sstp_stream stream;
	uint64_t state = o->seed ? o->seed : 1;
	size_t fill = 0, off = 0;
	long sent = 0, packets = 0;
	int echo_sent = 0, got;
	ssize_t n;

	sstp_stream_init(&stream);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	while (!stop_requested) {
		pfd.events = POLLIN | (!echo_sent || off < fill ? POLLOUT : 0);
		if (poll(&pfd, 1, o->raw_seconds * 1000) <= 0)
			die("%s", "random: nothing moved for --seconds");
		if (pfd.revents & POLLIN) {
			got = random_read(fd, &stream);
			if (got < 0)
				die("%s", "random: the stream ended or broke");
			if (got && echo_sent)
				break;
		}
		if (!(pfd.revents & POLLOUT))
			continue;
		if (off == fill) {
			/* Whole packets only, so the stream stays framed. */
			if (sent >= o->random_bytes) {
				printf("random done %ld %ld\n", sent, packets);
				fflush(stdout);
				fill = sstp_ctrl_encode_empty(SSTP_MSG_ECHO_REQUEST,
							      buf, sizeof(buf));
				echo_sent = 1;
			} else {
				for (fill = 0; fill + SSTP_MAX_PACKET <= sizeof(buf);
				     packets++)
					fill += random_packet(&state, buf + fill);
			}
			off = 0;
		}
		n = send(fd, buf + off, fill - off, MSG_NOSIGNAL);
		if (n < 0 && errno != EAGAIN)
			die("random: send: %s", strerror(errno));
		if (n > 0) {
			off += n;
			sent += echo_sent ? 0 : n;
		}
	}
	printf("echo answered\n");
	fflush(stdout);
	while (!stop_requested)
		pause();
	return 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* --stream send: 64 KiB send()s for --seconds, then a FIN. */
static int stream_send(const struct peer_opts *o, int fd)
{
	static uint8_t buf[65536];
	double start = now_s(), end = start + o->raw_seconds;
	long long sent = 0;
	ssize_t n;

	memset(buf, 0x5a, sizeof(buf));
	while (!stop_requested && now_s() < end) {
		n = send(fd, buf, sizeof(buf), MSG_NOSIGNAL);
		if (n < 0 && errno != EINTR)
			die("stream: send: %s", strerror(errno));
		if (n > 0)
			sent += n;
	}
	shutdown(fd, SHUT_WR);
	printf("stream sent %lld %.3f\n", sent, now_s() - start);
	return 0;
}

/* --stream recv: read until the sender's FIN. */
static int stream_recv(int fd)
{
	static uint8_t buf[65536];
	double start = 0;
	long long got = 0;
	ssize_t n;

	while ((n = recv(fd, buf, sizeof(buf), 0)) != 0) {
		if (n < 0) {
			if (errno == EINTR && !stop_requested)
				continue;
			die("stream: recv: %s", strerror(errno));
		}
		if (!got)
			start = now_s();
		got += n;
	}
	printf("stream received %lld %.3f\n", got, got ? now_s() - start : 0.0);
	return 0;
}

/* ctl_fd: the plugin's end of the control socket, or -1 for none. */
static pid_t start_pppd(const struct peer_opts *o, uint32_t channel,
			int ctl_fd)
{
	char chan[16], ctl[16], *argv[64];
	int argc = 0, i;
	pid_t pid;

	snprintf(chan, sizeof(chan), "%u", channel);
	snprintf(ctl, sizeof(ctl), "%d", ctl_fd);
	argv[argc++] = "pppd";
	argv[argc++] = "plugin";
	argv[argc++] = (char *)o->plugin;
	argv[argc++] = "sstp-channel";
	argv[argc++] = chan;
	if (ctl_fd >= 0) {
		argv[argc++] = "sstp-ctl-fd";
		argv[argc++] = ctl;
	}
	for (i = 0; o->pppd_args[i] && argc < 63; i++)
		argv[argc++] = o->pppd_args[i];
	argv[argc] = NULL;

	pid = fork();
	if (pid == 0) {
		/* pppd logs to stdout in the foreground: keep ours clean. */
		dup2(STDERR_FILENO, STDOUT_FILENO);
		/* The plugin's end is the one fd of ours pppd inherits. */
		if (ctl_fd >= 0)
			fcntl(ctl_fd, F_SETFD, 0);
		execvp("pppd", argv);
		_exit(127);
	}
	return pid;
}

/* Hex as plugin-ctl.h writes it ("-" for empty) into a C string. */
static int ctl_unhex(const char *s, char *out, size_t max)
{
	int n = strcmp(s, "-") ? sstp_hex_decode(s, (uint8_t *)out, max) : 0;

	if (n < 0)
		return -1;
	out[n] = '\0';
	return 0;
}

/* "VERB <hex of value>", or just "VERB" when value is NULL. */
static void ctl_reply(int fd, const char *verb, const char *value)
{
	char msg[SSTP_CTL_MAX_MSG];
	int n = sstp_ctl_format(msg, sizeof(msg), verb, value,
				value ? strlen(value) : 0);

	if (n < 0 || send(fd, msg, n, MSG_NOSIGNAL) < 0)
		fprintf(stderr, "ctl: reply: %s\n", strerror(errno));
}

/*
 * One message from the plugin, if one is waiting: answer a request, print
 * anything else. Returns -1 once the plugin's end is closed (pppd exited).
 */
static int ctl_handle(const struct peer_opts *o, int fd)
{
	char buf[SSTP_CTL_MAX_MSG + 1], user[256];
	const struct ctl_user *u = NULL;
	ssize_t n;
	int i;

	n = recv(fd, buf, SSTP_CTL_MAX_MSG, MSG_DONTWAIT);
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	if (n == 0)
		return -1;
	buf[n] = '\0';
	if (!strncmp(buf, SSTP_CTL_SECRET " ", strlen(SSTP_CTL_SECRET) + 1)) {
		if (ctl_unhex(buf + strlen(SSTP_CTL_SECRET) + 1, user,
			      sizeof(user) - 1))
			strcpy(user, "?");
		for (i = 0; i < o->n_ctl_users && !u; i++)
			if (!strcmp(o->ctl_users[i].user, user))
				u = &o->ctl_users[i];
		fprintf(stderr, "ctl: secret for '%s': %s\n", user,
			u ? "given" : "unknown");
		/* A helper busy elsewhere: pppd waits meanwhile. */
		if (o->ctl_delay_ms)
			usleep((useconds_t)o->ctl_delay_ms * 1000);
		if (u)
			ctl_reply(fd, SSTP_CTL_SECRET, u->password);
		else
			ctl_reply(fd, SSTP_CTL_NO_SECRET, NULL);
	} else if (!strcmp(buf, SSTP_CTL_PASSWORD)) {
		fprintf(stderr, "ctl: password for '%s' given\n",
			o->ctl_users[0].user);
		ctl_reply(fd, SSTP_CTL_PASSWORD, o->ctl_users[0].password);
	} else {
		printf("ctl %s\n", buf);
		fflush(stdout);
	}
	return 1;
}

/* What the plugin said before pppd exited, still in the socket. */
static void ctl_drain(const struct peer_opts *o, int *fd)
{
	if (*fd < 0)
		return;
	while (ctl_handle(o, *fd) > 0)
		;
	close(*fd);
	*fd = -1;
}

static void print_pppd_exit(int status)
{
	printf("pppd exited %d\n", WIFEXITED(status) ?
	       WEXITSTATUS(status) : 128 + WTERMSIG(status));
	fflush(stdout);
}

struct tunnel_state {
	uint32_t id;
	int down;
};

static void on_event(const struct sstp_event *ev, void *arg)
{
	struct tunnel_state *ts = arg;

	if (ev->tunnel_id != ts->id)
		return;
	if (ev->cmd == SSTP_CMD_CTRL_RECV) {
		print_hex("ctrl", ev->packet, ev->packet_len);
		return;
	}
	printf("down %s detail %u rx %llu tx %llu gate %llu oversize %llu "
	       "drop-queue %llu "
	       "echo-coalesced %llu rx-busy %llu rx-paused %llu "
	       "ctrl-dropped %llu\n",
	       sstp_down_reason_name(ev->info.down_reason),
	       ev->info.down_detail,
	       (unsigned long long)ev->info.stats[SSTP_STATS_A_RX_PACKETS],
	       (unsigned long long)ev->info.stats[SSTP_STATS_A_TX_PACKETS],
	       (unsigned long long)ev->info.stats[SSTP_STATS_A_DROP_GATE],
	       (unsigned long long)ev->info.stats[SSTP_STATS_A_DROP_OVERSIZE],
	       (unsigned long long)ev->info.stats[SSTP_STATS_A_DROP_QUEUE],
	       (unsigned long long)ev->info.stats[SSTP_STATS_A_ECHO_COALESCED],
	       (unsigned long long)ev->info.stats[SSTP_STATS_A_RX_BUSY],
	       (unsigned long long)ev->info.stats[SSTP_STATS_A_RX_PAUSED],
	       (unsigned long long)ev->info.stats[SSTP_STATS_A_CTRL_DROPPED]);
	fflush(stdout);
	ts->down = 1;
}

static int run_tunnel(const struct peer_opts *o, int fd)
{
	struct sstp_tunnel_opts topts = {
		.fd = fd,
		.role = o->listen ? SSTP_ROLE_SERVER : SSTP_ROLE_CLIENT,
		.hello_interval = o->hello,
		.keepalive_timeout = o->keepalive,
		.tx_stall_timeout = o->tx_stall,
	};
	struct tunnel_state ts = { 0 };
	struct sstp_genl sg;
	uint32_t channel;
	pid_t pppd = 0;
	int status, deleted = 0, timeout, ctl = -1, sv[2];

	if (sstp_genl_open(&sg))
		die("%s", sg.err);
	if (sstp_genl_tunnel_new(&sg, &topts, &ts.id, &channel))
		die("TUNNEL_NEW: %s", sg.err);
	/* The kernel holds the socket now; our fd is not needed. */
	close(fd);
	printf("tunnel %u channel %u\n", ts.id, channel);
	fflush(stdout);
	/*
	 * A peer that writes garbage at once may have the tunnel down before
	 * this: then its TUNNEL_DOWN, already queued, says why.
	 */
	if (o->open_gate) {
		int err = sstp_genl_set_connected(&sg, ts.id);

		if (err && err != -ENOENT)
			die("TUNNEL_SET: %s", sg.err);
	}
	if (o->send_hex) {
		uint8_t pkt[4096];
		size_t len = unhex(o->send_hex, pkt, sizeof(pkt));

		if (sstp_genl_ctrl_send(&sg, ts.id, pkt, len))
			die("CTRL_SEND: %s", sg.err);
	}
	if (o->plugin && o->n_ctl_users) {
		if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
			die("socketpair: %s", strerror(errno));
		ctl = sv[0];
		pppd = start_pppd(o, channel, sv[1]);
		close(sv[1]);
	} else if (o->plugin) {
		pppd = start_pppd(o, channel, -1);
	}

	while (!ts.down) {
		if (gate_requested) {
			gate_requested = 0;
			if (sstp_genl_set_connected(&sg, ts.id))
				die("TUNNEL_SET: %s", sg.err);
			printf("gate open\n");
			fflush(stdout);
		}
		if (stop_requested && !deleted) {
			deleted = 1;
			if (sstp_genl_tunnel_del(&sg, ts.id))
				fprintf(stderr, "TUNNEL_DEL: %s\n", sg.err);
		}
		/* Wait for the plugin too; then only collect the events. */
		timeout = 200;
		if (ctl >= 0) {
			struct pollfd pfd[2] = {
				{ .fd = ctl, .events = POLLIN },
				{ .fd = sstp_genl_fd(&sg), .events = POLLIN },
			};

			if (poll(pfd, 2, timeout) > 0 && pfd[0].revents &&
			    ctl_handle(o, ctl) < 0) {
				close(ctl);
				ctl = -1;
			}
			timeout = 0;
		}
		if (sstp_genl_wait_event(&sg, timeout, on_event, &ts) < 0 &&
		    !stop_requested)
			die("events: %s", sg.err);
		if (pppd > 0 && waitpid(pppd, &status, WNOHANG) == pppd) {
			ctl_drain(o, &ctl);
			print_pppd_exit(status);
			pppd = 0;
		}
	}
	if (pppd > 0) {
		/* The channel is gone: pppd sees a hangup and exits. */
		waitpid(pppd, &status, 0);
		ctl_drain(o, &ctl);
		print_pppd_exit(status);
	}
	if (ctl >= 0)
		close(ctl);
	sstp_genl_close(&sg);
	return 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: sstp-testpeer (--listen|--connect) ADDR:PORT [--cert F --key F]\n"
		"         [--tls 1.2|1.3] [--tickets N] [--send HEX]\n"
		"         [--raw [--seconds N] [--record TYPE:HEX] [--reset] [--split]]\n"
		"         [--flood echo|lcp|ctrl|ipcp [--flood-bytes N] [--seconds N]]\n"
		"         [--random BYTES [--seed N] [--seconds N]]\n"
		"         [--stream send|recv [--seconds N]]\n"
		"         [--open-gate] [--hello N] [--keepalive N] [--tx-stall N]\n"
		"         [--ctl USER:PASSWORD]...\n"
		"         [--plugin sstp-pppd.so [-- pppd options...]]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "connect", required_argument, NULL, 'c' },
		{ "cert", required_argument, NULL, 'C' },
		{ "key", required_argument, NULL, 'K' },
		{ "tls", required_argument, NULL, 't' },
		{ "raw", no_argument, NULL, 'r' },
		{ "seconds", required_argument, NULL, 's' },
		{ "send", required_argument, NULL, 'S' },
		{ "record", required_argument, NULL, 'R' },
		{ "reset", no_argument, NULL, 'x' },
		{ "split", no_argument, NULL, 'b' },
		{ "tickets", required_argument, NULL, 'T' },
		{ "open-gate", no_argument, NULL, 'g' },
		{ "hello", required_argument, NULL, 'h' },
		{ "keepalive", required_argument, NULL, 'k' },
		{ "plugin", required_argument, NULL, 'p' },
		{ "ctl", required_argument, NULL, 'U' },
		{ "ctl-delay", required_argument, NULL, 'W' },
		{ "flood", required_argument, NULL, 'F' },
		{ "tx-stall", required_argument, NULL, 'X' },
		{ "flood-bytes", required_argument, NULL, 'B' },
		{ "random", required_argument, NULL, 'D' },
		{ "seed", required_argument, NULL, 'e' },
		{ "stream", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	struct peer_opts o = { .hello = -1, .keepalive = -1, .raw_seconds = 10 };
	static char *no_args[] = { NULL };
	struct ctl_user *u;
	char *colon;
	SSL *ssl;
	int c, fd;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'l': o.listen = optarg; break;
		case 'c': o.connect = optarg; break;
		case 'C': o.cert = optarg; break;
		case 'K': o.key = optarg; break;
		case 't': o.tls_version = optarg; break;
		case 'r': o.raw = 1; break;
		case 's': o.raw_seconds = atoi(optarg); break;
		case 'S': o.send_hex = optarg; break;
		case 'R': o.record = optarg; break;
		case 'x': o.reset = 1; break;
		case 'b': o.split = 1; break;
		case 'T': o.tickets = atoi(optarg); break;
		case 'g': o.open_gate = 1; break;
		case 'h': o.hello = atoi(optarg); break;
		case 'k': o.keepalive = atoi(optarg); break;
		case 'p': o.plugin = optarg; break;
		case 'F': o.flood = optarg; break;
		case 'X': o.tx_stall = atoi(optarg); break;
		case 'B': o.flood_bytes = atol(optarg); break;
		case 'D': o.random_bytes = atol(optarg); break;
		case 'e': o.seed = strtoull(optarg, NULL, 0); break;
		case 'm': o.stream = optarg; break;
		case 'W': o.ctl_delay_ms = atoi(optarg); break;
		case 'U':
			colon = strchr(optarg, ':');
			if (!colon || o.n_ctl_users == MAX_CTL_USERS)
				usage();
			*colon = '\0';
			u = &o.ctl_users[o.n_ctl_users++];
			u->user = optarg;
			u->password = colon + 1;
			break;
		default: usage();
		}
	}
	if (!o.listen == !o.connect || (o.listen && (!o.cert || !o.key)))
		usage();
	if (o.stream && strcmp(o.stream, "send") && strcmp(o.stream, "recv"))
		usage();
	o.pppd_args = optind < argc ? argv + optind : no_args;

	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGUSR1, on_signal);
	signal(SIGPIPE, SIG_IGN);

	fd = tcp_open(&o);
	ssl = tls_open(&o, fd);
	/* What the stream ran on, for the benchmark's table. */
	if (o.stream)
		printf("tls %s %s\n", SSL_get_version(ssl), SSL_get_cipher_name(ssl));
	/* After the handoff the SSL object is inert; nothing is sent on free. */
	SSL_free(ssl);
	if (o.flood && !strcmp(o.flood, "ipcp")) {
		ppp_open_ipcp(fd);
		while (!gate_requested && !stop_requested)
			poll(NULL, 0, 100);
	}
	if (o.flood)
		return run_flood(&o, fd);
	if (o.random_bytes)
		return run_random(&o, fd);
	if (o.stream)
		return strcmp(o.stream, "send") ? stream_recv(fd) : stream_send(&o, fd);
	return o.raw ? run_raw(&o, fd) : run_tunnel(&o, fd);
}
