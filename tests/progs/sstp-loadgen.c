// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sstp-loadgen: many SSTP calls from one process, for the server's scale
 * tests and benchmark (tests/vm/serve-scale.sh, tools/bench/scale.sh).
 *
 * A real client costs a process, a pppd and a kernel tunnel per call, so
 * a guest runs out of CPU long before the server does. This one plays
 * each call in userspace, in one epoll loop: TCP, TLS (OpenSSL, no kTLS),
 * SSTP_DUPLEX_POST, Call Connect Request, then just enough PPP for
 * sstp-helper serve's pppd: LCP with no options of its own (every option
 * of the server's acknowledged), PAP, the crypto binding (zero HLAK, as
 * for PAP), IPCP taking the address the server offers, IPv6CP and
 * anything else refused with LCP Protocol-Reject. Once up, a call answers
 * SSTP and LCP Echo Requests and LCP Terminate-Requests, and acknowledges
 * the server's Call Disconnect. It carries no traffic.
 *
 * Usage: sstp-loadgen --connect ADDR[:PORT] --user U --password P
 *                     --calls N [--parallel P] [--timeout S] [--hold S]
 *   --parallel  calls being set up at once (default 20): arrivals come in
 *               bursts of this size as soon as earlier ones are up
 *   --timeout   seconds a call may take to come up (default 120)
 *   --hold      seconds to keep the calls up once all are set up, then
 *               disconnect them (default 0: until SIGTERM, or until the
 *               server has ended every call)
 * The server's certificate is not checked (the tests' server has a
 * self-signed one); its hash goes into the binding as a client's would.
 *
 * Output lines (stdout, flushed):
 *   call <k> up <milliseconds from TCP connect> address <a.b.c.d>
 *        phases tcp=<ms> tls= http= ack= lcp-req= lcp= auth= ipcp=
 *                                         (when each step was done: TCP
 *                                         connected, TLS, the HTTP answer,
 *                                         Call Connect Ack, the server's
 *                                         first LCP request, LCP open,
 *                                         PAP accepted, IPCP open)
 *   call <k> failed: <why>
 *   setup up <n> failed <n> seconds <s> rate <calls per second>
 *   call <k> ended: <how>                 (after setup)
 *   ended disconnected <n> closed <n>     (on exit; disconnected: ended
 *                                          by an acknowledged Disconnect)
 * Exit status: 0 when every call came up, 1 otherwise, 2 for bad usage.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "call/binding.h"
#include "call/http.h"
#include "common/clock.h"
#include "ppp-packet.h"
#include "sstp/wire.h"

#define PPP_LCP		0xc021
#define PPP_PAP		0xc023
#define PPP_IPCP	0x8021

enum { CONF_REQ = 1, CONF_ACK, CONF_NAK, CONF_REJ, TERM_REQ, TERM_ACK,
       CODE_REJ, PROTO_REJ, ECHO_REQ, ECHO_REP };

/*
 * PPP's restart timer, for LCP only: TCP loses nothing once pppd reads
 * the channel, and a request sent again to a server that is merely slow
 * (fifty calls at once on an emulated CPU) would make pppd negotiate an
 * open layer anew.
 */
#define RESEND_MS	10000
#define OUTQ_LEN	8192

enum state { S_IDLE, S_TCP, S_TLS, S_HTTP, S_CONNECT, S_PPP, S_UP, S_ENDED };

/* Where a call's setup time goes: the moment each step was done. */
enum phase { P_TCP, P_TLS, P_HTTP, P_ACK, P_LCP_REQ, P_LCP, P_AUTH, P_IPCP,
	     P_COUNT };
static const char *const phase_name[P_COUNT] = {
	"tcp", "tls", "http", "ack", "lcp-req", "lcp", "auth", "ipcp",
};

struct call {
	int index;
	int fd;
	SSL *ssl;
	enum state state;
	long long started, deadline, resend;
	long long at[P_COUNT];	/* ms from started; 0: not yet */
	/* HTTP answer, until its header is whole. */
	char http[2048];
	size_t http_len;
	struct sstp_stream stream;
	uint8_t outq[OUTQ_LEN];
	size_t out_len;
	bool want_write;
	struct sstp_binding_req req;
	struct sstp_cert_hashes cert;
	/* PPP: what each end has acknowledged. */
	uint8_t id;
	bool lcp_acked_theirs, lcp_ours_acked, pap_sent, bound;
	bool ipcp_acked_theirs, ipcp_ours_acked;
	uint8_t addr[4];
};

static struct {
	struct sockaddr_in server;
	const char *user, *password;
	int calls, parallel, timeout_s, hold_s;
	SSL_CTX *ctx;
	int ep;
	struct call *call;
	int next, setting_up, up, failed, disconnected, closed;
	long long t0;
} g = { .parallel = 20, .timeout_s = 120 };

static void out(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static void mark(struct call *c, enum phase p)
{
	if (!c->at[p])
		c->at[p] = sstp_now_ms() - c->started + 1;
}

static void watch(struct call *c, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = c };

	epoll_ctl(g.ep, EPOLL_CTL_MOD, c->fd, &ev);
}

/* Leave the call: closed, counted once, and the next one started. */
static void end_call(struct call *c, const char *how)
{
	bool was_up = c->state == S_UP;

	if (c->state == S_ENDED || c->state == S_IDLE)
		return;
	if (!was_up) {
		out("call %d failed: %s", c->index, how);
		g.failed++;
		g.setting_up--;
	} else {
		out("call %d ended: %s", c->index, how);
		if (!strcmp(how, "disconnected"))
			g.disconnected++;
		else
			g.closed++;
	}
	c->state = S_ENDED;
	SSL_free(c->ssl);
	c->ssl = NULL;
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

/* Write what is queued; on a full socket, wait for EPOLLOUT. */
static void flush(struct call *c)
{
	int n, e;

	while (c->out_len) {
		n = SSL_write(c->ssl, c->outq, (int)c->out_len);
		if (n <= 0) {
			e = SSL_get_error(c->ssl, n);
			if (e == SSL_ERROR_WANT_WRITE || e == SSL_ERROR_WANT_READ) {
				c->want_write = true;
				watch(c, EPOLLIN | EPOLLOUT);
				return;
			}
			end_call(c, "TLS write failed");
			return;
		}
		memmove(c->outq, c->outq + n, c->out_len - (size_t)n);
		c->out_len -= (size_t)n;
	}
	if (c->want_write) {
		c->want_write = false;
		watch(c, EPOLLIN);
	}
}

static void queue(struct call *c, const void *buf, size_t len)
{
	if (c->state == S_ENDED)
		return;
	if (len > sizeof(c->outq) - c->out_len) {
		end_call(c, "the server reads nothing");
		return;
	}
	memcpy(c->outq + c->out_len, buf, len);
	c->out_len += len;
}

static void send_ctrl_empty(struct call *c, uint16_t type)
{
	uint8_t pkt[SSTP_CTRL_HDR_LEN];

	if (sstp_ctrl_encode_empty(type, pkt, sizeof(pkt)) > 0)
		queue(c, pkt, sizeof(pkt));
}

/* One PPP packet (code, id, data) of @proto in an SSTP data packet. */
static void send_ppp(struct call *c, uint16_t proto, uint8_t code, uint8_t id,
		     const uint8_t *data, size_t len)
{
	uint8_t pkt[SSTP_MAX_PACKET];
	size_t total = ppp_packet(pkt, sizeof(pkt), proto, code, id, data, len);

	if (total)
		queue(c, pkt, total);
}

static void send_lcp_request(struct call *c)
{
	send_ppp(c, PPP_LCP, CONF_REQ, ++c->id, NULL, 0);
}

static void send_pap(struct call *c)
{
	uint8_t d[2 + 255 + 255];
	size_t ul = strlen(g.user), pl = strlen(g.password);

	d[0] = (uint8_t)ul;
	memcpy(d + 1, g.user, ul);
	d[1 + ul] = (uint8_t)pl;
	memcpy(d + 2 + ul, g.password, pl);
	send_ppp(c, PPP_PAP, 1, ++c->id, d, 2 + ul + pl);
	c->pap_sent = true;
}

static void send_ipcp_request(struct call *c)
{
	uint8_t opt[6] = { 3, 6 };

	memcpy(opt + 2, c->addr, 4);
	send_ppp(c, PPP_IPCP, CONF_REQ, ++c->id, opt, sizeof(opt));
}

/* Our LCP request, again (PPP's restart timer). */
static void resend(struct call *c)
{
	if (!c->lcp_ours_acked)
		send_lcp_request(c);
	c->resend = sstp_now_ms() + RESEND_MS;
}

static void check_up(struct call *c)
{
	if (c->state != S_PPP || !c->bound || !c->ipcp_acked_theirs ||
	    !c->ipcp_ours_acked)
		return;
	char phases[256];
	size_t len = 0;
	int p;

	c->state = S_UP;
	g.setting_up--;
	g.up++;
	mark(c, P_IPCP);
	for (p = 0; p < P_COUNT; p++)
		len += (size_t)snprintf(phases + len, sizeof(phases) - len, " %s=%lld",
					phase_name[p], c->at[p] - 1);
	out("call %d up %lld address %u.%u.%u.%u phases%s", c->index,
	    sstp_now_ms() - c->started, c->addr[0], c->addr[1], c->addr[2],
	    c->addr[3], phases);
}

/* PAP is done: the binding, then IPCP asking for an address. */
static void bind_call(struct call *c)
{
	uint8_t hlak[SSTP_HLAK_LEN], pkt[SSTP_CALL_CONNECTED_LEN];

	if (sstp_hlak(SSTP_AUTH_PAP, SSTP_ROLE_CLIENT, NULL, 0, NULL, 0, hlak) ||
	    sstp_binding_build(&c->req, &c->cert, hlak, pkt) < 0) {
		end_call(c, "cannot build the crypto binding");
		return;
	}
	queue(c, pkt, sizeof(pkt));
	c->bound = true;
	mark(c, P_AUTH);
	send_ipcp_request(c);
}

static void on_lcp(struct call *c, uint8_t code, uint8_t id, const uint8_t *d,
		   size_t len)
{
	uint8_t reply[SSTP_MAX_PACKET];

	switch (code) {
	case CONF_REQ:
		mark(c, P_LCP_REQ);
		/* Whatever the server asks for: MRU, PAP, magic number. */
		send_ppp(c, PPP_LCP, CONF_ACK, id, d, len);
		c->lcp_acked_theirs = true;
		if (!c->lcp_ours_acked && !c->id)
			resend(c);
		break;
	case CONF_ACK:
		c->lcp_ours_acked = true;
		break;
	case ECHO_REQ:
		/* No magic number of ours was negotiated: 0. */
		if (len < 4 || len > sizeof(reply))
			return;
		memcpy(reply, d, len);
		memset(reply, 0, 4);
		send_ppp(c, PPP_LCP, ECHO_REP, id, reply, len);
		return;
	case TERM_REQ:
		send_ppp(c, PPP_LCP, TERM_ACK, id, NULL, 0);
		return;
	case CONF_NAK:
	case CONF_REJ:
		end_call(c, "the server refused an LCP request with no options");
		return;
	default:
		return;
	}
	if (c->lcp_acked_theirs && c->lcp_ours_acked && !c->pap_sent) {
		mark(c, P_LCP);
		send_pap(c);
	}
}

static void on_ipcp(struct call *c, uint8_t code, uint8_t id,
		    const uint8_t *d, size_t len)
{
	switch (code) {
	case CONF_REQ:
		send_ppp(c, PPP_IPCP, CONF_ACK, id, d, len);
		c->ipcp_acked_theirs = true;
		break;
	case CONF_NAK:
		/* The address the server has for us. */
		if (len >= 6 && d[0] == 3 && d[1] == 6) {
			memcpy(c->addr, d + 2, 4);
			send_ipcp_request(c);
		}
		return;
	case CONF_ACK:
		c->ipcp_ours_acked = true;
		break;
	case CONF_REJ:
		end_call(c, "the server rejected the IP-Address option");
		return;
	default:
		return;
	}
	check_up(c);
}

/* A PPP frame (address and control bytes optional, as on the wire). */
static void on_ppp(struct call *c, const uint8_t *p, size_t len)
{
	uint16_t proto, plen;

	if (len >= 2 && p[0] == 0xff && p[1] == 0x03) {
		p += 2;
		len -= 2;
	}
	if (len < 6)
		return;
	proto = (uint16_t)(p[0] << 8 | p[1]);
	plen = (uint16_t)(p[4] << 8 | p[5]);
	if (plen < 4 || plen > len - 2)
		return;
	switch (proto) {
	case PPP_LCP:
		on_lcp(c, p[2], p[3], p + 6, plen - 4u);
		break;
	case PPP_PAP:
		if (p[2] == 2 && !c->bound)
			bind_call(c);
		else if (p[2] == 3)
			end_call(c, "PAP refused");
		break;
	case PPP_IPCP:
		on_ipcp(c, p[2], p[3], p + 6, plen - 4u);
		break;
	default: {
		/* IPv6CP and anything else: Protocol-Reject. */
		uint8_t rej[SSTP_MAX_PACKET];
		size_t n = len < sizeof(rej) - 64 ? len : sizeof(rej) - 64;

		memcpy(rej, p, n);
		send_ppp(c, PPP_LCP, PROTO_REJ, ++c->id, rej, n);
	}
	}
}

static void on_ctrl(struct call *c, const uint8_t *pkt, size_t len)
{
	struct sstp_ctrl m;

	if (sstp_ctrl_decode(pkt, len, &m) < 0) {
		end_call(c, "undecodable control packet");
		return;
	}
	switch (m.type) {
	case SSTP_MSG_CALL_CONNECT_ACK:
		if (c->state != S_CONNECT)
			return;
		c->req = m.binding_req;
		c->state = S_PPP;
		mark(c, P_ACK);
		break;
	case SSTP_MSG_CALL_CONNECT_NAK:
		end_call(c, "Call Connect Nak");
		break;
	case SSTP_MSG_ECHO_REQUEST:
		send_ctrl_empty(c, SSTP_MSG_ECHO_RESPONSE);
		break;
	case SSTP_MSG_CALL_DISCONNECT:
		send_ctrl_empty(c, SSTP_MSG_CALL_DISCONNECT_ACK);
		flush(c);
		end_call(c, "disconnected");
		break;
	case SSTP_MSG_CALL_DISCONNECT_ACK:
		end_call(c, "disconnected");
		break;
	case SSTP_MSG_CALL_ABORT:
		end_call(c, "aborted");
		break;
	}
}

static void on_sstp(struct call *c, const uint8_t *in, size_t len)
{
	const uint8_t *pkt;
	int n;

	while (c->state != S_ENDED &&
	       (n = sstp_stream_next(&c->stream, &in, &len, &pkt)) != 0) {
		if (n < 0) {
			end_call(c, "SSTP framing error");
			return;
		}
		if (pkt[1] & SSTP_FLAG_CONTROL)
			on_ctrl(c, pkt, (size_t)n);
		else if (c->state >= S_PPP)
			on_ppp(c, pkt + SSTP_HDR_LEN, (size_t)n - SSTP_HDR_LEN);
	}
}

static void send_request(struct call *c)
{
	char host[64], req[512];

	inet_ntop(AF_INET, &g.server.sin_addr, host, sizeof(host));
	if (sstp_http_format_request(req, sizeof(req), host,
				     "{00000000-0000-4000-8000-000000000000}") < 0) {
		end_call(c, "cannot build the HTTP request");
		return;
	}
	queue(c, req, strlen(req));
	c->state = S_HTTP;
	mark(c, P_TLS);
}

/* The HTTP answer; what follows it is SSTP. */
static void on_http(struct call *c, const uint8_t *in, size_t len)
{
	struct sstp_http_response resp;
	struct sstp_ctrl m;
	uint8_t pkt[64];
	char msg[256];
	int hdr, n;

	if (len > sizeof(c->http) - c->http_len) {
		end_call(c, "HTTP answer too long");
		return;
	}
	memcpy(c->http + c->http_len, in, len);
	c->http_len += len;
	hdr = sstp_http_parse_response(c->http, c->http_len, &resp);
	if (hdr == 0)
		return;
	if (hdr < 0 || sstp_http_response_check(&resp, msg, sizeof(msg))) {
		end_call(c, "the server refused the HTTP request");
		return;
	}
	sstp_ctrl_init(&m, SSTP_MSG_CALL_CONNECT_REQUEST);
	n = sstp_ctrl_encode(&m, pkt, sizeof(pkt));
	if (n < 0) {
		end_call(c, "cannot build Call Connect Request");
		return;
	}
	queue(c, pkt, (size_t)n);
	c->state = S_CONNECT;
	mark(c, P_HTTP);
	on_sstp(c, (const uint8_t *)c->http + hdr, c->http_len - (size_t)hdr);
}

static void on_readable(struct call *c)
{
	uint8_t buf[16384];
	int n, e;

	for (;;) {
		n = SSL_read(c->ssl, buf, sizeof(buf));
		if (n <= 0) {
			e = SSL_get_error(c->ssl, n);
			if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
				return;
			end_call(c, e == SSL_ERROR_ZERO_RETURN ||
				 (e == SSL_ERROR_SYSCALL && !ERR_peek_error()) ?
				 "closed by the server" : "TLS read failed");
			return;
		}
		if (c->state == S_HTTP)
			on_http(c, buf, (size_t)n);
		else
			on_sstp(c, buf, (size_t)n);
		if (c->state == S_ENDED)
			return;
	}
}

static void handshake(struct call *c)
{
	int r = SSL_connect(c->ssl), e;

	if (r == 1) {
		if (sstp_cert_hashes_from_x509(&c->cert,
					       SSL_get0_peer_certificate(c->ssl))) {
			end_call(c, "no server certificate");
			return;
		}
		watch(c, EPOLLIN);
		send_request(c);
		return;
	}
	e = SSL_get_error(c->ssl, r);
	if (e == SSL_ERROR_WANT_READ)
		watch(c, EPOLLIN);
	else if (e == SSL_ERROR_WANT_WRITE)
		watch(c, EPOLLOUT);
	else
		end_call(c, "TLS handshake failed");
}

static void on_event(struct call *c, uint32_t events)
{
	int err = 0;
	socklen_t l = sizeof(err);

	if (c->state == S_TCP) {
		getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &l);
		if (err) {
			end_call(c, strerror(err));
			return;
		}
		c->state = S_TLS;
		mark(c, P_TCP);
	}
	if (c->state == S_TLS) {
		handshake(c);
	} else {
		if (events & (EPOLLIN | EPOLLERR | EPOLLHUP))
			on_readable(c);
	}
	if (c->state != S_ENDED && c->state != S_TLS)
		flush(c);
}

static void start_call(struct call *c)
{
	struct epoll_event ev = { .events = EPOLLOUT, .data.ptr = c };
	int one = 1;

	c->started = sstp_now_ms();
	c->deadline = c->started + g.timeout_s * 1000LL;
	c->resend = c->started + RESEND_MS;
	sstp_stream_init(&c->stream);
	c->state = S_TCP;
	g.setting_up++;
	c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0) {
		end_call(c, strerror(errno));
		return;
	}
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(c->fd, (struct sockaddr *)&g.server, sizeof(g.server)) &&
	    errno != EINPROGRESS) {
		end_call(c, strerror(errno));
		return;
	}
	c->ssl = SSL_new(g.ctx);
	if (!c->ssl || !SSL_set_fd(c->ssl, c->fd)) {
		end_call(c, "SSL_new failed");
		return;
	}
	epoll_ctl(g.ep, EPOLL_CTL_ADD, c->fd, &ev);
}

/* Deadlines and PPP's restart timer, every tick. */
static void tick(void)
{
	long long now = sstp_now_ms();
	int i;

	for (i = 0; i < g.calls; i++) {
		struct call *c = &g.call[i];

		if (c->state == S_IDLE || c->state == S_UP ||
		    c->state == S_ENDED)
			continue;
		if (now >= c->deadline) {
			end_call(c, "not up within --timeout");
			continue;
		}
		if (c->state == S_PPP && now >= c->resend && c->id) {
			resend(c);
			flush(c);
		}
	}
	while (g.next < g.calls && g.setting_up < g.parallel)
		start_call(&g.call[g.next++]);
}

static int alive(void)
{
	int i, n = 0;

	for (i = 0; i < g.calls; i++)
		n += g.call[i].state != S_ENDED && g.call[i].state != S_IDLE;
	return n;
}

/* Our own Call Disconnect on every call still up; acks awaited 10 s. */
static void disconnect_all(void)
{
	struct epoll_event evs[64];
	long long until = sstp_now_ms() + 10000;
	int i, n;

	for (i = 0; i < g.calls; i++) {
		struct call *c = &g.call[i];

		if (c->state == S_ENDED || c->state == S_IDLE)
			continue;
		if (c->state != S_UP) {
			end_call(c, "stopped before it was up");
			continue;
		}
		send_ctrl_empty(c, SSTP_MSG_CALL_DISCONNECT);
		flush(c);
	}
	while (alive() && sstp_now_ms() < until) {
		n = epoll_wait(g.ep, evs, 64, 100);
		for (i = 0; i < n; i++)
			if (evs[i].data.ptr)
				on_event(evs[i].data.ptr, evs[i].events);
	}
	for (i = 0; i < g.calls; i++)
		end_call(&g.call[i], "no Disconnect acknowledgement");
}

static int usage(void)
{
	fprintf(stderr, "usage: sstp-loadgen --connect ADDR[:PORT] --user U "
		"--password P --calls N [--parallel P] [--timeout S] "
		"[--hold S]\n");
	return 2;
}

static int parse_addr(const char *s)
{
	char host[64];
	const char *colon = strrchr(s, ':');
	size_t n = colon ? (size_t)(colon - s) : strlen(s);

	if (n >= sizeof(host))
		return -1;
	memcpy(host, s, n);
	host[n] = '\0';
	g.server.sin_family = AF_INET;
	g.server.sin_port = htons(colon ? (uint16_t)atoi(colon + 1) : 443);
	return inet_pton(AF_INET, host, &g.server.sin_addr) == 1 ? 0 : -1;
}

static int options(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "connect", required_argument, NULL, 'c' },
		{ "user", required_argument, NULL, 'u' },
		{ "password", required_argument, NULL, 'p' },
		{ "calls", required_argument, NULL, 'n' },
		{ "parallel", required_argument, NULL, 'P' },
		{ "timeout", required_argument, NULL, 't' },
		{ "hold", required_argument, NULL, 'h' },
		{ 0 }
	};
	bool have_server = false;
	int o;

	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'c': have_server = !parse_addr(optarg); break;
		case 'u': g.user = optarg; break;
		case 'p': g.password = optarg; break;
		case 'n': g.calls = atoi(optarg); break;
		case 'P': g.parallel = atoi(optarg); break;
		case 't': g.timeout_s = atoi(optarg); break;
		case 'h': g.hold_s = atoi(optarg); break;
		default: return -1;
		}
	}
	if (!have_server || !g.user || !g.password || g.calls <= 0 ||
	    g.parallel <= 0 || g.timeout_s <= 0 || g.hold_s < 0 ||
	    strlen(g.user) > 255 || strlen(g.password) > 255)
		return -1;
	return 0;
}

/* Room for a descriptor per call, and a few. */
static void raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return;
	if (rl.rlim_cur < (rlim_t)g.calls + 64) {
		rl.rlim_cur = (rlim_t)g.calls + 64;
		if (rl.rlim_max < rl.rlim_cur)
			rl.rlim_max = rl.rlim_cur;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static int setup(void)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = NULL };
	sigset_t mask;
	int sfd, i;

	g.ctx = SSL_CTX_new(TLS_client_method());
	g.call = calloc((size_t)g.calls, sizeof(*g.call));
	g.ep = epoll_create1(EPOLL_CLOEXEC);
	if (!g.ctx || !g.call || g.ep < 0)
		return -1;
	SSL_CTX_set_mode(g.ctx, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	for (i = 0; i < g.calls; i++) {
		g.call[i].index = i + 1;
		g.call[i].fd = -1;
	}
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	if (sfd < 0 || epoll_ctl(g.ep, EPOLL_CTL_ADD, sfd, &ev))
		return -1;
	return sfd;
}

int main(int argc, char **argv)
{
	struct epoll_event evs[64];
	long long hold_until = 0;
	bool reported = false, stop = false;
	int sfd, i, n;

	if (options(argc, argv))
		return usage();
	raise_nofile();
	sfd = setup();
	if (sfd < 0) {
		perror("sstp-loadgen: setup");
		return 1;
	}
	g.t0 = sstp_now_ms();
	tick();
	while (!stop) {
		n = epoll_wait(g.ep, evs, 64, 100);
		for (i = 0; i < n; i++) {
			if (!evs[i].data.ptr)
				stop = true;
			else
				on_event(evs[i].data.ptr, evs[i].events);
		}
		tick();
		if (!reported && g.next == g.calls && !g.setting_up) {
			double s = (double)(sstp_now_ms() - g.t0) / 1000;

			out("setup up %d failed %d seconds %.3f rate %.1f", g.up,
			    g.failed, s, s > 0 ? g.up / s : 0.0);
			reported = true;
			if (g.hold_s)
				hold_until = sstp_now_ms() + g.hold_s * 1000LL;
		}
		if (reported && !alive())
			break;
		if (hold_until && sstp_now_ms() >= hold_until)
			stop = true;
	}
	disconnect_all();
	out("ended disconnected %d closed %d", g.disconnected, g.closed);
	return g.failed || g.up < g.calls ? 1 : 0;
}
