// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sstp-nltest: the generic netlink API of sstp.ko, check by check, for the
 * VM test tests/vm/netlink-api.sh. Run as root with sstp.ko and tls loaded.
 *
 *   sstp-nltest                 every check below; one line per check,
 *                               "ok <name>" or "FAIL <name>: <why>"
 *   sstp-nltest --unload-hold [N]
 *                               make a tunnel pair (and N more tunnels on
 *                               plain TCP), print "ready", and wait for the
 *                               module to be unloaded under them: all must
 *                               go down with MODULE_UNLOAD
 *   sstp-nltest --cycles N      make and delete N tunnels, one at a time;
 *                               none may be left
 *   sstp-nltest --refused [events-ok]
 *                               run without CAP_NET_ADMIN: every command
 *                               and joining the events group fail with
 *                               EPERM (events-ok: joining may succeed, as
 *                               for root of a user namespace in its own
 *                               network namespace, where it sees nothing)
 *   sstp-nltest --invisible ID...
 *                               from another network namespace: the dump
 *                               is empty and no ID can be read or deleted
 *
 * Exit status: 0 when every check passed, 1 otherwise, 2 on a setup error.
 *
 * The kTLS connections are built in this one process: a TCP pair over
 * 127.0.0.1, a TLS 1.3 handshake driven on both ends in turn (non-blocking
 * sockets), then sstp_ktls_handoff() on each end, as sstp-testpeer does
 * across two processes.
 *
 * Sockets: genl.c keeps events that arrive during a request in one queue
 * shared by every struct sstp_genl of the process, so which socket an
 * event came in on is only known when it is read by sstp_genl_wait_event()
 * with no request on an event-receiving socket in between. The checks are
 * ordered so: tunnel A is owned by sg_a, B by sg_b, the monitor never sends
 * a request, and the requests that are not about ownership (refusals built
 * by hand, dumps, polling TUNNEL_GET) go through sg_req, which owns nothing.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <linux/tls.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "datapath/genl.h"
#include "transport/ktls.h"

#ifndef SOL_TLS
#define SOL_TLS 282
#endif

/* No tunnel has this id: ids are allocated from 1 upwards, one per NEW. */
#define UNKNOWN_ID	4000000u
/* Defaults of sstp.ko when TUNNEL_NEW gives no timers. */
#define DEFAULT_HELLO	60
#define DEFAULT_KA	120
/* How long asynchronous effects (packets, teardown) may take, in ms. */
#define ASYNC_MS	5000
/* How long to listen for an event that must not come, in ms. */
#define QUIET_MS	500

static int n_ok, n_fail;

static void ok(const char *name, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void fail(const char *name, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* "ok <name>", with what the kernel said in parentheses when @fmt. */
static void ok(const char *name, const char *fmt, ...)
{
	va_list ap;

	n_ok++;
	printf("ok %s", name);
	if (fmt) {
		printf(" (");
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		printf(")");
	}
	printf("\n");
	fflush(stdout);
}

static void fail(const char *name, const char *fmt, ...)
{
	va_list ap;

	n_fail++;
	printf("FAIL %s: ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void die(const char *fmt, ...)
{
	va_list ap;

	printf("FAIL setup: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	ERR_print_errors_fp(stderr);
	exit(2);
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* "ENOENT" rather than a number: the expected codes are few. */
static const char *errname(int err)
{
	static char buf[24];

	switch (err < 0 ? -err : err) {
	case 0: return "0";
	case ENOENT: return "ENOENT";
	case EINVAL: return "EINVAL";
	case EBUSY: return "EBUSY";
	case ENOTSOCK: return "ENOTSOCK";
	case EPROTONOSUPPORT: return "EPROTONOSUPPORT";
	case ENOTCONN: return "ENOTCONN";
	case ENOPROTOOPT: return "ENOPROTOOPT";
	case ESHUTDOWN: return "ESHUTDOWN";
	case ERANGE: return "ERANGE";
	case EPERM: return "EPERM";
	case ENOBUFS: return "ENOBUFS";
	}
	snprintf(buf, sizeof(buf), "errno %d", err < 0 ? -err : err);
	return buf;
}

/* ---- TCP and TLS ---- */

/* A connected TCP pair over 127.0.0.1. */
static void tcp_pair(int *a, int *b)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof(sin);
	int l;

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	l = socket(AF_INET, SOCK_STREAM, 0);
	if (l < 0 || bind(l, (struct sockaddr *)&sin, sizeof(sin)) ||
	    listen(l, 1) || getsockname(l, (struct sockaddr *)&sin, &len))
		die("listener on 127.0.0.1: %s", strerror(errno));
	*a = socket(AF_INET, SOCK_STREAM, 0);
	if (*a < 0 || connect(*a, (struct sockaddr *)&sin, sizeof(sin)))
		die("connect to 127.0.0.1: %s", strerror(errno));
	*b = accept(l, NULL, NULL);
	if (*b < 0)
		die("accept: %s", strerror(errno));
	close(l);
}

static void close_reset(int fd)
{
	struct linger lin = { .l_onoff = 1, .l_linger = 0 };

	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lin, sizeof(lin));
	close(fd);
}

/* A listener on 127.0.0.1 for tcp_pair_on(), kept for many pairs. */
static int tcp_listener(struct sockaddr_in *sin)
{
	socklen_t len = sizeof(*sin);
	int l;

	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	l = socket(AF_INET, SOCK_STREAM, 0);
	if (l < 0 || bind(l, (struct sockaddr *)sin, sizeof(*sin)) ||
	    listen(l, 16) || getsockname(l, (struct sockaddr *)sin, &len))
		die("listener on 127.0.0.1: %s", strerror(errno));
	return l;
}

/* A connected TCP pair through listener @l (which uses no port per pair). */
static void tcp_pair_on(int l, const struct sockaddr_in *sin, int *a, int *b)
{
	*a = socket(AF_INET, SOCK_STREAM, 0);
	if (*a < 0 || connect(*a, (const struct sockaddr *)sin, sizeof(*sin)))
		die("connect to 127.0.0.1: %s", strerror(errno));
	*b = accept(l, NULL, NULL);
	if (*b < 0)
		die("accept: %s", strerror(errno));
}

/* A self-signed P-256 certificate, made in memory for the server end. */
static void use_throwaway_cert(SSL_CTX *ctx)
{
	EVP_PKEY *pkey = EVP_EC_gen("P-256");
	X509 *x = X509_new();
	X509_NAME *name;

	if (!pkey || !x)
		die("cannot make a key and certificate");
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	/* A little slack: the guest's clock was set at boot. */
	X509_gmtime_adj(X509_getm_notBefore(x), -3600);
	X509_gmtime_adj(X509_getm_notAfter(x), 86400);
	X509_set_pubkey(x, pkey);
	name = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
				   (const unsigned char *)"sstp-nltest", -1,
				   -1, 0);
	X509_set_issuer_name(x, name);
	if (!X509_sign(x, pkey, EVP_sha256()) ||
	    SSL_CTX_use_certificate(ctx, x) != 1 ||
	    SSL_CTX_use_PrivateKey(ctx, pkey) != 1)
		die("cannot sign or load the throwaway certificate");
	X509_free(x);
	EVP_PKEY_free(pkey);
}

static SSL_CTX *cli_ctx, *srv_ctx;

/* TLS 1.3 only: OpenSSL 3.0 then installs kTLS TX alone by itself. */
static void tls_init(void)
{
	char err[256];

	cli_ctx = SSL_CTX_new(TLS_client_method());
	srv_ctx = SSL_CTX_new(TLS_server_method());
	if (!cli_ctx || !srv_ctx ||
	    sstp_ktls_ctx_prepare(cli_ctx, err, sizeof(err)) ||
	    sstp_ktls_ctx_prepare(srv_ctx, err, sizeof(err)))
		die("TLS context: %s", cli_ctx && srv_ctx ? err : "no memory");
	SSL_CTX_set_min_proto_version(cli_ctx, TLS1_3_VERSION);
	SSL_CTX_set_max_proto_version(cli_ctx, TLS1_3_VERSION);
	SSL_CTX_set_min_proto_version(srv_ctx, TLS1_3_VERSION);
	SSL_CTX_set_max_proto_version(srv_ctx, TLS1_3_VERSION);
	use_throwaway_cert(srv_ctx);
}

static void set_nonblock(int fd, int on)
{
	int fl = fcntl(fd, F_GETFL);

	fcntl(fd, F_SETFL, on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK);
}

/* One step of a handshake; 1 when done, 0 to be called again. */
static int tls_step(SSL *ssl, int done, const char *who)
{
	int r, e;

	if (done)
		return 1;
	r = SSL_do_handshake(ssl);
	if (r == 1)
		return 1;
	e = SSL_get_error(ssl, r);
	if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE)
		die("TLS handshake (%s) failed: SSL error %d", who, e);
	return 0;
}

/*
 * A TLS 1.3 connection over a fresh TCP pair, both ends in this process:
 * @cfd the client end, @sfd the server end. With @handoff both ends are
 * handed to kTLS in both directions; without, each end has only what
 * OpenSSL installed itself.
 */
static void tls_pair(int handoff, int *cfd, int *sfd)
{
	SSL *c, *s;
	int cdone = 0, sdone = 0;
	long end = now_ms() + 10000;
	char err[256];

	tcp_pair(cfd, sfd);
	c = SSL_new(cli_ctx);
	s = SSL_new(srv_ctx);
	if (!c || !s || !SSL_set_fd(c, *cfd) || !SSL_set_fd(s, *sfd))
		die("SSL_new");
	SSL_set_connect_state(c);
	SSL_set_accept_state(s);
	set_nonblock(*cfd, 1);
	set_nonblock(*sfd, 1);
	while (!cdone || !sdone) {
		struct pollfd p[2] = { { *cfd, POLLIN, 0 }, { *sfd, POLLIN, 0 } };

		cdone = tls_step(c, cdone, "client");
		sdone = tls_step(s, sdone, "server");
		if (now_ms() > end)
			die("TLS handshake over 127.0.0.1 timed out");
		if (!cdone || !sdone)
			poll(p, 2, 100);
	}
	set_nonblock(*cfd, 0);
	set_nonblock(*sfd, 0);
	if (handoff && (sstp_ktls_handoff(c, *cfd, err, sizeof(err)) ||
			sstp_ktls_handoff(s, *sfd, err, sizeof(err))))
		die("kTLS handoff: %s", err);
	/* Handed off or not, the SSLs send nothing when freed. */
	SSL_free(c);
	SSL_free(s);
}

/* Has the kernel a TLS key for this direction (TLS_TX or TLS_RX)? */
static int ktls_has(int fd, int dir)
{
	struct tls_crypto_info ci;
	socklen_t len = sizeof(ci);

	return getsockopt(fd, SOL_TLS, dir, &ci, &len) == 0;
}

/* ---- raw requests, for what genl.c cannot express ---- */

/* The kernel's answer to a request: errno and extended ack. */
struct ack {
	int err;		/* 0 or a negative errno */
	char msg[256];		/* NLMSGERR_ATTR_MSG, "" when none */
	uint32_t miss_type;	/* NLMSGERR_ATTR_MISS_TYPE, 0 when none */
};

static void parse_ack(struct nlmsghdr *nlh, struct ack *a)
{
	struct nlmsgerr *e = nlmsg_data(nlh);
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t off = sizeof(*e);

	a->err = e->error;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	/* Without NETLINK_CAP_ACK the request is echoed before the TLVs. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(e->msg);
	if (NLMSG_HDRLEN + off > nlh->nlmsg_len ||
	    nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)((char *)e + off),
		      nlh->nlmsg_len - NLMSG_HDRLEN - off, NULL))
		return;
	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(a->msg, sizeof(a->msg), "%s",
			 nla_get_string(tb[NLMSGERR_ATTR_MSG]));
	if (tb[NLMSGERR_ATTR_MISS_TYPE])
		a->miss_type = nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
}

typedef void (*reply_fn)(struct nlmsghdr *nlh, void *arg);

/*
 * Send @msg (freed) on @sg and read up to its ack, or to the end of the
 * dump, giving every reply to @fn. Only for sg_req, which gets no events.
 */
static void raw_request(struct sstp_genl *sg, struct nl_msg *msg,
			reply_fn fn, void *arg, struct ack *a)
{
	struct sockaddr_nl peer;
	unsigned char *buf;
	struct nlmsghdr *nlh;
	uint32_t seq;
	int n;

	memset(a, 0, sizeof(*a));
	n = nl_send_auto(sg->sock, msg);
	seq = nlmsg_hdr(msg)->nlmsg_seq;
	nlmsg_free(msg);
	if (n < 0)
		die("netlink send: %s", nl_geterror(n));
	for (;;) {
		buf = NULL;
		n = nl_recv(sg->sock, &peer, &buf, NULL);
		if (n <= 0)
			die("netlink receive: %s", nl_geterror(n));
		for (nlh = (struct nlmsghdr *)buf; nlmsg_ok(nlh, n);
		     nlh = nlmsg_next(nlh, &n)) {
			if (nlh->nlmsg_seq != seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				parse_ack(nlh, a);
				free(buf);
				return;
			}
			if (nlh->nlmsg_type == NLMSG_DONE) {
				a->err = *(int *)nlmsg_data(nlh);
				free(buf);
				return;
			}
			if (fn)
				fn(nlh, arg);
		}
		free(buf);
	}
}

static struct nl_msg *raw_msg(struct sstp_genl *sg, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, sg->family,
				 0, flags, cmd, SSTP_GENL_VERSION))
		die("cannot build a netlink message");
	return msg;
}

/* What a TUNNEL_GET reply said, and which attributes it had. */
struct tunnel_reply {
	struct sstp_tunnel_info info;
	uint64_t present;	/* bit SSTP_A_* for each attribute there */
};

static void parse_tunnel(struct nlmsghdr *nlh, struct tunnel_reply *r)
{
	struct nlattr *tb[SSTP_A_MAX + 1], *st[SSTP_STATS_A_MAX + 1];
	int i;

	memset(r, 0, sizeof(*r));
	r->info.channel_index = -1;
	r->info.ppp_unit = -1;
	if (genlmsg_parse(nlh, 0, tb, SSTP_A_MAX, NULL))
		return;
	for (i = 0; i <= SSTP_A_MAX; i++)
		if (tb[i])
			r->present |= 1ull << i;
	if (tb[SSTP_A_TUNNEL_ID])
		r->info.id = nla_get_u32(tb[SSTP_A_TUNNEL_ID]);
	if (tb[SSTP_A_ROLE])
		r->info.role = nla_get_u8(tb[SSTP_A_ROLE]);
	if (tb[SSTP_A_STATE])
		r->info.state = nla_get_u8(tb[SSTP_A_STATE]);
	if (tb[SSTP_A_CHANNEL_INDEX])
		r->info.channel_index = nla_get_u32(tb[SSTP_A_CHANNEL_INDEX]);
	if (tb[SSTP_A_PPP_UNIT])
		r->info.ppp_unit = (int32_t)nla_get_u32(tb[SSTP_A_PPP_UNIT]);
	if (tb[SSTP_A_HELLO_INTERVAL])
		r->info.hello_interval = nla_get_u32(tb[SSTP_A_HELLO_INTERVAL]);
	if (tb[SSTP_A_KEEPALIVE_TIMEOUT])
		r->info.keepalive_timeout =
			nla_get_u32(tb[SSTP_A_KEEPALIVE_TIMEOUT]);
	if (tb[SSTP_A_STATS] &&
	    !nla_parse_nested(st, SSTP_STATS_A_MAX, tb[SSTP_A_STATS], NULL))
		for (i = 0; i <= SSTP_STATS_A_MAX; i++)
			if (st[i] && nla_len(st[i]) == sizeof(uint64_t))
				r->info.stats[i] = nla_get_u64(st[i]);
}

#define DUMP_MAX 32

struct dump {
	int n;
	struct tunnel_reply t[DUMP_MAX];
};

static void dump_one(struct nlmsghdr *nlh, void *arg)
{
	struct dump *d = arg;

	if (d->n < DUMP_MAX)
		parse_tunnel(nlh, &d->t[d->n]);
	d->n++;
}

/* SSTP_CMD_TUNNEL_GET with NLM_F_DUMP: every tunnel of the netns. */
static int dump_tunnels(struct sstp_genl *sg, struct dump *d)
{
	struct ack a;

	memset(d, 0, sizeof(*d));
	raw_request(sg, raw_msg(sg, SSTP_CMD_TUNNEL_GET, NLM_F_DUMP),
		    dump_one, d, &a);
	return a.err;
}

static const struct tunnel_reply *dump_find(const struct dump *d, uint32_t id)
{
	int i;

	for (i = 0; i < d->n && i < DUMP_MAX; i++)
		if (d->t[i].info.id == id)
			return &d->t[i];
	return NULL;
}

/* A TUNNEL_NEW reply, should one come where a refusal was due. */
static void new_reply(struct nlmsghdr *nlh, void *arg)
{
	parse_tunnel(nlh, arg);
}

/* ---- checking refusals ---- */

/*
 * The message the kernel gave with @err, or NULL: genl.c writes
 * "<extack message>: <strerror>" to sg->err, and only "sstp: <strerror>"
 * when the kernel sent no message.
 */
static const char *kernel_msg(const struct sstp_genl *sg, int err)
{
	char fallback[sizeof(sg->err)];

	snprintf(fallback, sizeof(fallback), "sstp: %s", strerror(-err));
	return sg->err[0] && strcmp(sg->err, fallback) ? sg->err : NULL;
}

/* A genl.c call returned @err: is it @want, with a message? */
static int check_refusal(const char *name, const struct sstp_genl *sg,
			 int err, int want)
{
	const char *msg = kernel_msg(sg, err);

	if (err != want) {
		fail(name, "got %s, want %s (%s)", errname(err), errname(want),
		     sg->err[0] ? sg->err : "no message");
		return 0;
	}
	if (!msg) {
		fail(name, "%s as expected, but no extack message (%s)",
		     errname(err), sg->err);
		return 0;
	}
	ok(name, "%s: %s", errname(err), msg);
	return 1;
}

/* Same for a raw request; @miss is the attribute it must name, or 0. */
static void check_raw_refusal(const char *name, const struct ack *a,
			      int want, uint32_t miss)
{
	if (a->err != want) {
		fail(name, "got %s, want %s (%s)", errname(a->err),
		     errname(want), a->msg[0] ? a->msg : "no message");
		return;
	}
	if (miss && a->miss_type != miss) {
		fail(name, "%s, but the missing attribute reported is %u, "
		     "want %u", errname(a->err), a->miss_type, miss);
		return;
	}
	if (!a->msg[0]) {
		fail(name, "%s as expected%s, but no extack message",
		     errname(a->err), miss ? " with the missing attribute" : "");
		return;
	}
	ok(name, "%s: %s", errname(a->err), a->msg);
}

/*
 * TUNNEL_NEW that must be refused with @want. Should the kernel take the
 * socket after all, the tunnel is deleted again so that it does not linger.
 */
static void new_refused(const char *name, struct sstp_genl *sg, int fd,
			uint8_t role, int hello, int keepalive, int want)
{
	struct sstp_tunnel_opts o = {
		.fd = fd, .role = role,
		.hello_interval = hello, .keepalive_timeout = keepalive,
	};
	uint32_t id = 0, chan;
	int err;

	err = sstp_genl_tunnel_new(sg, &o, &id, &chan);
	if (!err) {
		fail(name, "TUNNEL_NEW succeeded (tunnel %u), want %s", id,
		     errname(want));
		sstp_genl_tunnel_del(sg, id);
		return;
	}
	check_refusal(name, sg, err, want);
}

/*
 * TUNNEL_NEW of @fd with SSTP_A_TRANSPORT @transport: refused with @want,
 * or, @want 0, taken (and deleted again).
 */
static void new_transport(const char *name, struct sstp_genl *sg, int fd,
			  uint8_t transport, int want)
{
	struct sstp_tunnel_opts o = {
		.fd = fd, .role = SSTP_ROLE_SERVER, .transport = transport,
		.hello_interval = -1, .keepalive_timeout = -1,
	};
	uint32_t id = 0, chan;
	int err;

	err = sstp_genl_tunnel_new(sg, &o, &id, &chan);
	if (!err)
		sstp_genl_tunnel_del(sg, id);
	if (!want && !err)
		ok(name, "taken as tunnel %u", id);
	else if (!want)
		fail(name, "refused: %s", sg->err);
	else if (!err)
		fail(name, "TUNNEL_NEW succeeded (tunnel %u), want %s", id,
		     errname(want));
	else
		check_refusal(name, sg, err, want);
}

/* ---- events ---- */

#define EVLOG_MAX 32

/* One event as received, kept until a check claims it. */
struct ev_rec {
	uint8_t cmd;
	uint32_t id;
	size_t len;
	uint8_t pkt[256];
	struct sstp_tunnel_info info;
	int claimed;
};

/* Everything one genl socket received, in order. */
struct evlog {
	struct sstp_genl *sg;
	int n;
	struct ev_rec rec[EVLOG_MAX];
};

static void evlog_add(const struct sstp_event *ev, void *arg)
{
	struct evlog *lg = arg;
	struct ev_rec *r;

	if (lg->n == EVLOG_MAX)
		return;
	r = &lg->rec[lg->n++];
	memset(r, 0, sizeof(*r));
	r->cmd = ev->cmd;
	r->id = ev->tunnel_id;
	if (ev->cmd == SSTP_CMD_CTRL_RECV) {
		r->len = ev->packet_len;
		memcpy(r->pkt, ev->packet,
		       ev->packet_len < sizeof(r->pkt) ? ev->packet_len :
							 sizeof(r->pkt));
	} else {
		r->info = ev->info;
	}
}

static struct ev_rec *evlog_find(struct evlog *lg, uint8_t cmd, uint32_t id)
{
	int i;

	for (i = 0; i < lg->n; i++)
		if (!lg->rec[i].claimed && lg->rec[i].cmd == cmd &&
		    lg->rec[i].id == id) {
			lg->rec[i].claimed = 1;
			return &lg->rec[i];
		}
	return NULL;
}

/* Wait up to @ms for event @cmd of tunnel @id on @lg's socket. */
static struct ev_rec *expect_event(struct evlog *lg, uint8_t cmd, uint32_t id,
				   int ms)
{
	long end = now_ms() + ms, left;
	struct ev_rec *r;
	int got;

	for (;;) {
		r = evlog_find(lg, cmd, id);
		if (r)
			return r;
		left = end - now_ms();
		got = sstp_genl_wait_event(lg->sg, left > 0 ? (int)left : 0,
					   evlog_add, lg);
		if (got < 0 || (got == 0 && left <= 0))
			return NULL;
	}
}

/* Collect what arrives on @lg's socket for @ms. */
static void listen_for(struct evlog *lg, int ms)
{
	long end = now_ms() + ms, left;
	int got;

	do {
		left = end - now_ms();
		got = sstp_genl_wait_event(lg->sg, left > 0 ? (int)left : 0,
					   evlog_add, lg);
	} while (got > 0 || (got == 0 && left > 0));
}

/* An unclaimed CTRL_RECV on @lg, if any. */
static struct ev_rec *stray_ctrl(struct evlog *lg)
{
	int i;

	for (i = 0; i < lg->n; i++)
		if (!lg->rec[i].claimed &&
		    lg->rec[i].cmd == SSTP_CMD_CTRL_RECV)
			return &lg->rec[i];
	return NULL;
}

static void hex(char *out, size_t outlen, const uint8_t *p, size_t n)
{
	size_t i, o = 0;

	out[0] = '\0';
	for (i = 0; i < n && o + 3 < outlen; i++)
		o += snprintf(out + o, outlen - o, "%02x", p[i]);
}

/* A TUNNEL_DOWN with @reason on @lg for tunnel @id. */
static struct ev_rec *check_down(const char *name, struct evlog *lg,
				 uint32_t id, uint32_t reason, int ms)
{
	struct ev_rec *r = expect_event(lg, SSTP_CMD_TUNNEL_DOWN, id, ms);

	if (!r) {
		fail(name, "no TUNNEL_DOWN for tunnel %u within %d ms", id, ms);
		return NULL;
	}
	if (r->info.down_reason != reason) {
		fail(name, "tunnel %u down with reason %u (%s), want %u (%s)",
		     id, r->info.down_reason,
		     sstp_down_reason_name(r->info.down_reason), reason,
		     sstp_down_reason_name(reason));
		return NULL;
	}
	ok(name, "tunnel %u: %s", id, sstp_down_reason_name(reason));
	return r;
}

/* ---- the checks ---- */

struct t {
	struct sstp_genl sg_a, sg_b, sg_req;
	struct evlog ev_a, ev_b;
	int fd_a, fd_b;			/* the kTLS pair: client, server end */
	uint32_t id_a, id_b, chan_a, chan_b;
	int have_a, have_b;
};

/* 1. TUNNEL_NEW refusals, each with its errno and an extack message. */
static void check_new_refusals(struct t *t)
{
	struct sstp_genl *sg = &t->sg_a;
	struct tunnel_reply r = { 0 };
	struct nl_msg *msg;
	struct ack a;
	int fd, fd2, fd_tx, fd_tx_peer;

	fd = open("/dev/null", O_RDWR);
	new_refused("new.refuse.not-socket", sg, fd, SSTP_ROLE_CLIENT, -1, -1,
		    -ENOTSOCK);
	close(fd);

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	new_refused("new.refuse.udp", sg, fd, SSTP_ROLE_CLIENT, -1, -1,
		    -EPROTONOSUPPORT);
	close(fd);

	fd = socket(AF_INET, SOCK_STREAM, 0);
	new_refused("new.refuse.tcp-unconnected", sg, fd, SSTP_ROLE_CLIENT,
		    -1, -1, -ENOTCONN);
	close(fd);

	tcp_pair(&fd, &fd2);
	new_refused("new.refuse.tcp-no-tls", sg, fd, SSTP_ROLE_CLIENT, -1, -1,
		    -ENOPROTOOPT);
	/* Plain TCP only when the request says so (behind a TLS proxy). */
	new_transport("new.plain-tcp", sg, fd, SSTP_TRANSPORT_TCP, 0);
	close(fd);
	close(fd2);
	new_transport("new.refuse.plain-tcp-on-ktls", sg, t->fd_a,
		      SSTP_TRANSPORT_TCP, -EINVAL);
	new_transport("new.refuse.transport-2", sg, t->fd_a, 2, -ERANGE);

	/* TLS 1.3 without our handoff: OpenSSL 3.0 installed TX only. */
	tls_pair(0, &fd_tx, &fd_tx_peer);
	if (!ktls_has(fd_tx, TLS_TX) || ktls_has(fd_tx, TLS_RX))
		fail("new.refuse.ktls-tx-only",
		     "precondition: want kTLS TX without RX, have TX %d RX %d",
		     ktls_has(fd_tx, TLS_TX), ktls_has(fd_tx, TLS_RX));
	else
		new_refused("new.refuse.ktls-tx-only", sg, fd_tx,
			    SSTP_ROLE_CLIENT, -1, -1, -ENOPROTOOPT);
	close(fd_tx);
	close(fd_tx_peer);

	/*
	 * The malformed requests carry the fd of a socket the kernel would
	 * take (end A), so that only the malformation can refuse them.
	 */
	msg = raw_msg(&t->sg_req, SSTP_CMD_TUNNEL_NEW, NLM_F_ACK);
	nla_put_u8(msg, SSTP_A_ROLE, SSTP_ROLE_CLIENT);
	raw_request(&t->sg_req, msg, NULL, NULL, &a);
	check_raw_refusal("new.refuse.no-sock-fd", &a, -EINVAL, SSTP_A_SOCK_FD);

	msg = raw_msg(&t->sg_req, SSTP_CMD_TUNNEL_NEW, NLM_F_ACK);
	nla_put_u32(msg, SSTP_A_SOCK_FD, t->fd_a);
	raw_request(&t->sg_req, msg, new_reply, &r, &a);
	if (!a.err) {
		fail("new.refuse.no-role", "TUNNEL_NEW without ROLE succeeded "
		     "(tunnel %u)", r.info.id);
		if (r.info.id)
			sstp_genl_tunnel_del(&t->sg_req, r.info.id);
	} else {
		check_raw_refusal("new.refuse.no-role", &a, -EINVAL,
				  SSTP_A_ROLE);
	}

	/* The policy's range checks (lib/nlattr.c) answer ERANGE. */
	new_refused("new.refuse.role-0", sg, t->fd_a, 0, -1, -1, -ERANGE);
	new_refused("new.refuse.role-3", sg, t->fd_a, 3, -1, -1, -ERANGE);
	new_refused("new.refuse.keepalive-eq-hello", sg, t->fd_a,
		    SSTP_ROLE_CLIENT, 30, 30, -EINVAL);
	new_refused("new.refuse.keepalive-lt-hello", sg, t->fd_a,
		    SSTP_ROLE_CLIENT, 30, 10, -EINVAL);
	/* Over the policy's maximum of an hour. */
	new_refused("new.refuse.hello-over-max", sg, t->fd_a,
		    SSTP_ROLE_CLIENT, 3601, -1, -ERANGE);
}

/* What a fresh tunnel must look like through TUNNEL_GET. */
static int check_fresh(const char *name, const struct sstp_tunnel_info *i,
		       uint32_t id, uint8_t role, uint32_t chan)
{
	int s;

	if (i->id != id || i->role != role ||
	    i->state != SSTP_STATE_NEGOTIATING ||
	    i->channel_index != (int32_t)chan || i->ppp_unit != -1 ||
	    i->hello_interval != DEFAULT_HELLO ||
	    i->keepalive_timeout != DEFAULT_KA) {
		fail(name, "id %u role %u state %u channel %d unit %d hello %u "
		     "keepalive %u; want id %u role %u state %u channel %u "
		     "unit -1 hello %u keepalive %u", i->id, i->role, i->state,
		     i->channel_index, i->ppp_unit, i->hello_interval,
		     i->keepalive_timeout, id, role, SSTP_STATE_NEGOTIATING,
		     chan, DEFAULT_HELLO, DEFAULT_KA);
		return 0;
	}
	for (s = SSTP_STATS_A_PAD + 1; s <= SSTP_STATS_A_MAX; s++)
		if (i->stats[s]) {
			fail(name, "counter %d is %llu, want 0", s,
			     (unsigned long long)i->stats[s]);
			return 0;
		}
	return 1;
}

/* 2. A tunnel on each end of a kTLS pair; GET, EBUSY, dump. */
static void check_create(struct t *t)
{
	struct sstp_tunnel_opts o = { .hello_interval = -1,
				      .keepalive_timeout = -1 };
	static const int want_attrs[] = {
		SSTP_A_TUNNEL_ID, SSTP_A_ROLE, SSTP_A_STATE,
		SSTP_A_CHANNEL_INDEX, SSTP_A_PPP_UNIT, SSTP_A_HELLO_INTERVAL,
		SSTP_A_KEEPALIVE_TIMEOUT, SSTP_A_STATS,
	};
	const struct tunnel_reply *r;
	struct sstp_tunnel_info info;
	struct dump d;
	uint32_t id, chan;
	size_t k;
	int err, i;

	o.fd = t->fd_a;
	o.role = SSTP_ROLE_CLIENT;
	err = sstp_genl_tunnel_new(&t->sg_a, &o, &t->id_a, &t->chan_a);
	if (err) {
		fail("new.a", "TUNNEL_NEW on a kTLS socket: %s", t->sg_a.err);
		return;
	}
	if (t->id_a == 0) {
		fail("new.a", "tunnel id 0");
		return;
	}
	t->have_a = 1;
	ok("new.a", "tunnel %u channel %u", t->id_a, t->chan_a);

	err = sstp_genl_tunnel_get(&t->sg_a, t->id_a, &info);
	if (err)
		fail("get.a", "TUNNEL_GET: %s", t->sg_a.err);
	else if (check_fresh("get.a", &info, t->id_a, SSTP_ROLE_CLIENT,
			     t->chan_a))
		ok("get.a", "negotiating, unit -1, timers 60/120, counters 0");

	err = sstp_genl_tunnel_new(&t->sg_a, &o, &id, &chan);
	if (!err) {
		fail("new.refuse.same-fd", "second tunnel %u on the same socket",
		     id);
		sstp_genl_tunnel_del(&t->sg_a, id);
	} else {
		check_refusal("new.refuse.same-fd", &t->sg_a, err, -EBUSY);
	}

	o.fd = t->fd_b;
	o.role = SSTP_ROLE_SERVER;
	err = sstp_genl_tunnel_new(&t->sg_b, &o, &t->id_b, &t->chan_b);
	if (err) {
		fail("new.b", "TUNNEL_NEW on the peer end: %s", t->sg_b.err);
		return;
	}
	t->have_b = 1;
	if (t->id_b == 0 || t->id_b == t->id_a || t->chan_b == t->chan_a)
		fail("new.b", "tunnel %u channel %u next to tunnel %u channel %u",
		     t->id_b, t->chan_b, t->id_a, t->chan_a);
	else
		ok("new.b", "tunnel %u channel %u", t->id_b, t->chan_b);

	err = sstp_genl_tunnel_get(&t->sg_b, t->id_b, &info);
	if (err)
		fail("get.b", "TUNNEL_GET: %s", t->sg_b.err);
	else if (check_fresh("get.b", &info, t->id_b, SSTP_ROLE_SERVER,
			     t->chan_b))
		ok("get.b", NULL);

	err = sstp_genl_tunnel_get(&t->sg_req, UNKNOWN_ID, &info);
	check_refusal("get.refuse.unknown", &t->sg_req, err, -ENOENT);

	err = dump_tunnels(&t->sg_req, &d);
	if (err) {
		fail("dump", "dump failed: %s", errname(err));
		return;
	}
	if (d.n != 2 || !dump_find(&d, t->id_a) || !dump_find(&d, t->id_b)) {
		fail("dump", "%d tunnels listed, want exactly %u and %u", d.n,
		     t->id_a, t->id_b);
		return;
	}
	/* The dump must say what GET says, every attribute present. */
	for (i = 0; i < 2; i++) {
		uint32_t tid = i ? t->id_b : t->id_a;

		r = dump_find(&d, tid);
		for (k = 0; k < sizeof(want_attrs) / sizeof(want_attrs[0]); k++)
			if (!(r->present & (1ull << want_attrs[k]))) {
				fail("dump", "tunnel %u: attribute %d missing",
				     tid, want_attrs[k]);
				return;
			}
		if (!check_fresh("dump", &r->info, tid,
				 i ? SSTP_ROLE_SERVER : SSTP_ROLE_CLIENT,
				 i ? t->chan_b : t->chan_a))
			return;
	}
	ok("dump", "tunnels %u and %u", t->id_a, t->id_b);
}

/* 3. TUNNEL_SET: the gate, the timers, refusals. */
static void check_set(struct t *t)
{
	struct sstp_tunnel_info info;
	struct nl_msg *msg;
	struct ack a;
	int err;

	err = sstp_genl_set_connected(&t->sg_a, t->id_a);
	if (err)
		fail("set.connected", "TUNNEL_SET state CONNECTED: %s",
		     t->sg_a.err);
	else if ((err = sstp_genl_tunnel_get(&t->sg_a, t->id_a, &info)))
		fail("set.connected", "TUNNEL_GET: %s", t->sg_a.err);
	else if (info.state != SSTP_STATE_CONNECTED)
		fail("set.connected", "state %u after SET, want %u", info.state,
		     SSTP_STATE_CONNECTED);
	else
		ok("set.connected", NULL);

	/* genl.c can only set CONNECTED: the others are built here. */
	msg = raw_msg(&t->sg_req, SSTP_CMD_TUNNEL_SET, NLM_F_ACK);
	nla_put_u32(msg, SSTP_A_TUNNEL_ID, t->id_a);
	nla_put_u8(msg, SSTP_A_STATE, SSTP_STATE_NEGOTIATING);
	raw_request(&t->sg_req, msg, NULL, NULL, &a);
	check_raw_refusal("set.refuse.negotiating", &a, -EINVAL, 0);

	msg = raw_msg(&t->sg_req, SSTP_CMD_TUNNEL_SET, NLM_F_ACK);
	nla_put_u32(msg, SSTP_A_TUNNEL_ID, t->id_a);
	nla_put_u8(msg, SSTP_A_STATE, SSTP_STATE_DOWN);
	raw_request(&t->sg_req, msg, NULL, NULL, &a);
	check_raw_refusal("set.refuse.down", &a, -EINVAL, 0);

	if (sstp_genl_tunnel_get(&t->sg_a, t->id_a, &info) ||
	    info.state != SSTP_STATE_CONNECTED)
		fail("set.refused-keeps-state", "state %u, want %u (%s)",
		     info.state, SSTP_STATE_CONNECTED, t->sg_a.err);
	else
		ok("set.refused-keeps-state", NULL);

	/* Long timers, so that no keepalive echo disturbs the counters. */
	err = sstp_genl_set_timers(&t->sg_a, t->id_a, 300, 900);
	if (err)
		fail("set.timers", "TUNNEL_SET 300/900: %s", t->sg_a.err);
	else if ((err = sstp_genl_tunnel_get(&t->sg_a, t->id_a, &info)))
		fail("set.timers", "TUNNEL_GET: %s", t->sg_a.err);
	else if (info.hello_interval != 300 || info.keepalive_timeout != 900)
		fail("set.timers", "GET shows %u/%u, want 300/900",
		     info.hello_interval, info.keepalive_timeout);
	else
		ok("set.timers", "300/900");

	err = sstp_genl_set_timers(&t->sg_a, t->id_a, 300, 300);
	check_refusal("set.refuse.keepalive-eq-hello", &t->sg_a, err, -EINVAL);
	if (sstp_genl_tunnel_get(&t->sg_a, t->id_a, &info) ||
	    info.hello_interval != 300 || info.keepalive_timeout != 900)
		fail("set.refused-keeps-timers", "timers %u/%u, want 300/900 "
		     "(%s)", info.hello_interval, info.keepalive_timeout,
		     t->sg_a.err);
	else
		ok("set.refused-keeps-timers", NULL);

	err = sstp_genl_set_connected(&t->sg_req, UNKNOWN_ID);
	check_refusal("set.refuse.unknown", &t->sg_req, err, -ENOENT);
	err = sstp_genl_set_timers(&t->sg_req, UNKNOWN_ID, 10, 30);
	check_refusal("set.refuse.unknown-timers", &t->sg_req, err, -ENOENT);
}

/* 4. CTRL_SEND on A arrives at B's owner; invalid packets are refused. */
static void check_ctrl(struct t *t)
{
	static const uint8_t disconnect[] = { 0x10, 0x01, 0x00, 0x08,
					      0x00, 0x06, 0x00, 0x00 };
	static const struct {
		const char *name;
		int err;
		uint8_t len;
		uint8_t pkt[16];
	} bad[] = {
		{ "ctrl.refuse.version", -EINVAL, 8,
		  { 0x20, 0x01, 0x00, 0x08, 0x00, 0x06, 0x00, 0x00 } },
		/* The header promises 12 bytes, 8 are there. */
		{ "ctrl.refuse.truncated", -EINVAL, 8,
		  { 0x10, 0x01, 0x00, 0x0c, 0x00, 0x06, 0x00, 0x00 } },
		/* Shorter than a control header: the policy's length range. */
		{ "ctrl.refuse.short", -ERANGE, 6,
		  { 0x10, 0x01, 0x00, 0x06, 0x00, 0x06 } },
		{ "ctrl.refuse.data-packet", -EINVAL, 8,
		  { 0x10, 0x00, 0x00, 0x08, 0xc0, 0x21, 0x01, 0x01 } },
		/* Echo Request with an Encapsulated Protocol ID attribute. */
		{ "ctrl.refuse.echo-with-attr", -EINVAL, 14,
		  { 0x10, 0x01, 0x00, 0x0e, 0x00, 0x08, 0x00, 0x01,
		    0x00, 0x01, 0x00, 0x06, 0x00, 0x01 } },
	};
	char got[64], want[64];
	struct ev_rec *r;
	size_t i;
	int err;

	err = sstp_genl_ctrl_send(&t->sg_a, t->id_a, disconnect,
				  sizeof(disconnect));
	if (err) {
		fail("ctrl.send", "CTRL_SEND Call Disconnect: %s", t->sg_a.err);
	} else {
		ok("ctrl.send", NULL);
		r = expect_event(&t->ev_b, SSTP_CMD_CTRL_RECV, t->id_b,
				 ASYNC_MS);
		hex(want, sizeof(want), disconnect, sizeof(disconnect));
		if (!r) {
			fail("ctrl.recv", "no CTRL_RECV for tunnel %u on its "
			     "owner's socket within %d ms", t->id_b, ASYNC_MS);
		} else {
			hex(got, sizeof(got), r->pkt,
			    r->len < sizeof(r->pkt) ? r->len : sizeof(r->pkt));
			if (r->len != sizeof(disconnect) ||
			    memcmp(r->pkt, disconnect, sizeof(disconnect)))
				fail("ctrl.recv", "got %s, want %s", got, want);
			else
				ok("ctrl.recv", "tunnel %u: %s", t->id_b, got);
		}
	}

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err = sstp_genl_ctrl_send(&t->sg_a, t->id_a, bad[i].pkt,
					  bad[i].len);
		check_refusal(bad[i].name, &t->sg_a, err, bad[i].err);
	}

	err = sstp_genl_ctrl_send(&t->sg_req, UNKNOWN_ID, disconnect,
				  sizeof(disconnect));
	check_refusal("ctrl.refuse.unknown", &t->sg_req, err, -ENOENT);
}

/* A's and B's counters, read through sg_req (which has no events). */
static int get_both(struct t *t, struct sstp_tunnel_info *a,
		    struct sstp_tunnel_info *b)
{
	return sstp_genl_tunnel_get(&t->sg_req, t->id_a, a) ||
	       sstp_genl_tunnel_get(&t->sg_req, t->id_b, b);
}

/*
 * 5. The kernel answers an Echo Request itself and relays neither it nor
 * the response. Control packets so far: A sent a Call Disconnect and the
 * Echo Request; B received both and sent the Echo Response, which A took.
 */
static void check_echo(struct t *t)
{
	static const uint8_t echo_req[] = { 0x10, 0x01, 0x00, 0x08,
					    0x00, 0x08, 0x00, 0x00 };
	struct sstp_tunnel_info a, b;
	struct ev_rec *r;
	long end;
	int err, done = 0;

	err = sstp_genl_ctrl_send(&t->sg_a, t->id_a, echo_req,
				  sizeof(echo_req));
	if (err) {
		fail("echo.send", "CTRL_SEND Echo Request: %s", t->sg_a.err);
		return;
	}
	ok("echo.send", NULL);

	end = now_ms() + ASYNC_MS;
	do {
		if (get_both(t, &a, &b)) {
			fail("echo.answered", "TUNNEL_GET: %s", t->sg_req.err);
			return;
		}
		done = b.stats[SSTP_STATS_A_ECHO_ANSWERED] >= 1 &&
		       a.stats[SSTP_STATS_A_RX_CTRL] >= 1 &&
		       a.stats[SSTP_STATS_A_TX_CTRL] >= 2 &&
		       b.stats[SSTP_STATS_A_TX_CTRL] >= 1 &&
		       b.stats[SSTP_STATS_A_RX_CTRL] >= 2;
		if (!done)
			sleep_ms(50);
	} while (!done && now_ms() < end);

	/* Anything relayed would have arrived by now; listen a bit more. */
	listen_for(&t->ev_a, QUIET_MS);
	listen_for(&t->ev_b, QUIET_MS);
	if (get_both(t, &a, &b)) {
		fail("echo.answered", "TUNNEL_GET: %s", t->sg_req.err);
		return;
	}
#define C(x, s) ((unsigned long long)(x).stats[SSTP_STATS_A_##s])
	if (C(b, ECHO_ANSWERED) != 1 || C(a, RX_CTRL) != 1 ||
	    C(a, TX_CTRL) != 2 || C(b, TX_CTRL) != 1 || C(b, RX_CTRL) != 2 ||
	    C(a, ECHO_ANSWERED) != 0 || C(a, ECHO_SENT) != 0 ||
	    C(b, ECHO_SENT) != 0 || C(a, FRAMING_ERRORS) != 0 ||
	    C(b, FRAMING_ERRORS) != 0)
		fail("echo.answered", "A: tx_ctrl %llu rx_ctrl %llu answered "
		     "%llu echo_sent %llu framing %llu; B: tx_ctrl %llu "
		     "rx_ctrl %llu answered %llu echo_sent %llu framing %llu; "
		     "want A 2/1/0/0/0, B 1/2/1/0/0",
		     C(a, TX_CTRL), C(a, RX_CTRL), C(a, ECHO_ANSWERED),
		     C(a, ECHO_SENT), C(a, FRAMING_ERRORS), C(b, TX_CTRL),
		     C(b, RX_CTRL), C(b, ECHO_ANSWERED), C(b, ECHO_SENT),
		     C(b, FRAMING_ERRORS));
	else
		ok("echo.answered", "B answered 1, A received 1 control packet");
#undef C

	/* Neither the request (at B) nor the response (at A) is an event. */
	r = stray_ctrl(&t->ev_b);
	if (!r)
		r = stray_ctrl(&t->ev_a);
	if (r) {
		char got[64];

		hex(got, sizeof(got), r->pkt, r->len < 32 ? r->len : 32);
		fail("echo.not-relayed", "CTRL_RECV %s for tunnel %u", got,
		     r->id);
	} else {
		ok("echo.not-relayed", NULL);
	}
}

/*
 * 6. TUNNEL_DEL, and its TUNNEL_DOWN to the owner and the monitors; the
 * peer end goes down on the closed connection; an owner's socket closing
 * takes its tunnel down.
 */
static void check_teardown(struct t *t)
{
	struct sstp_genl sg_mon, sg_c;
	struct evlog *ev_mon = calloc(1, sizeof(*ev_mon));
	struct sstp_tunnel_opts o = { .hello_interval = -1,
				      .keepalive_timeout = -1,
				      .role = SSTP_ROLE_CLIENT };
	struct sstp_tunnel_info info;
	struct ev_rec *r;
	uint32_t id_c, chan_c;
	struct dump d;
	int err, fd_c, fd_d;

	if (!ev_mon)
		die("no memory");
	if (sstp_genl_open(&sg_mon) || sstp_genl_subscribe(&sg_mon)) {
		fail("down.monitor", "cannot subscribe: %s", sg_mon.err);
		free(ev_mon);
		return;
	}
	ev_mon->sg = &sg_mon;

	err = sstp_genl_tunnel_del(&t->sg_a, t->id_a);
	if (err) {
		fail("del.a", "TUNNEL_DEL: %s", t->sg_a.err);
	} else {
		ok("del.a", NULL);
		err = sstp_genl_tunnel_del(&t->sg_a, t->id_a);
		check_refusal("del.refuse.again", &t->sg_a, err, -ENOENT);
	}

	r = check_down("down.a.owner", &t->ev_a, t->id_a, SSTP_DOWN_DELETED,
		       ASYNC_MS);
	/* The final counters come with the event. */
	if (r && (r->info.stats[SSTP_STATS_A_TX_CTRL] != 2 ||
		  r->info.stats[SSTP_STATS_A_RX_CTRL] != 1))
		fail("down.a.stats", "tx_ctrl %llu rx_ctrl %llu, want 2 and 1",
		     (unsigned long long)r->info.stats[SSTP_STATS_A_TX_CTRL],
		     (unsigned long long)r->info.stats[SSTP_STATS_A_RX_CTRL]);
	else if (r)
		ok("down.a.stats", NULL);
	check_down("down.a.monitor", ev_mon, t->id_a, SSTP_DOWN_DELETED,
		   ASYNC_MS);
	check_down("down.b.owner", &t->ev_b, t->id_b, SSTP_DOWN_PEER_CLOSED,
		   ASYNC_MS);
	check_down("down.b.monitor", ev_mon, t->id_b, SSTP_DOWN_PEER_CLOSED,
		   ASYNC_MS);

	err = sstp_genl_tunnel_get(&t->sg_req, t->id_b, &info);
	check_refusal("get.refuse.down", &t->sg_req, err, -ENOENT);

	/* A third tunnel, whose owner's socket is then closed. */
	tls_pair(1, &fd_c, &fd_d);
	o.fd = fd_c;
	if (sstp_genl_open(&sg_c)) {
		fail("down.owner-gone", "genl socket: %s", sg_c.err);
	} else if (sstp_genl_tunnel_new(&sg_c, &o, &id_c, &chan_c)) {
		fail("down.owner-gone", "TUNNEL_NEW: %s", sg_c.err);
		sstp_genl_close(&sg_c);
	} else {
		/* The kernel keeps its own reference on the socket. */
		close(fd_c);
		sstp_genl_close(&sg_c);
		check_down("down.owner-gone", ev_mon, id_c,
			   SSTP_DOWN_OWNER_GONE, ASYNC_MS);
	}
	close(fd_d);

	err = dump_tunnels(&t->sg_req, &d);
	if (err || d.n)
		fail("dump.empty", "%s, %d tunnels listed, want none",
		     errname(err), d.n);
	else
		ok("dump.empty", NULL);

	sstp_genl_close(&sg_mon);
	free(ev_mon);
}

static void open_genl(struct sstp_genl *sg)
{
	if (sstp_genl_open(sg))
		die("%s", sg->err);
}

/*
 * 6b. The plaintext userspace read past the HTTP header goes with
 * TUNNEL_NEW, up to the kernel's 16 KB: 12 KB of empty data packets (which
 * carry nothing) must be taken, not refused for the message's size.
 */
static void check_prefix(void)
{
	struct sstp_tunnel_opts o = { .hello_interval = -1,
				      .keepalive_timeout = -1,
				      .role = SSTP_ROLE_SERVER };
	static uint8_t prefix[12288];
	struct sstp_genl sg;
	uint32_t id, chan;
	int fd_c, fd_d;
	size_t i;

	for (i = 0; i < sizeof(prefix); i += 4)
		memcpy(prefix + i, "\x10\x00\x00\x04", 4);
	o.rx_prefix = prefix;
	o.rx_prefix_len = sizeof(prefix);
	tls_pair(1, &fd_c, &fd_d);
	o.fd = fd_c;
	open_genl(&sg);
	if (sstp_genl_tunnel_new(&sg, &o, &id, &chan))
		fail("new.prefix-12k", "TUNNEL_NEW: %s", sg.err);
	else
		ok("new.prefix-12k", "tunnel %u", id);
	/* Closing the owner takes the tunnel down. */
	sstp_genl_close(&sg);
	close(fd_c);
	close(fd_d);
}

static int plain_tunnels(struct sstp_genl *sg, int n, int *fds);
static void check_overrun(void);

static int run_checks(void)
{
	struct t *t = calloc(1, sizeof(*t));

	if (!t)
		die("no memory");
	open_genl(&t->sg_a);
	open_genl(&t->sg_b);
	open_genl(&t->sg_req);
	t->ev_a.sg = &t->sg_a;
	t->ev_b.sg = &t->sg_b;
	tls_pair(1, &t->fd_a, &t->fd_b);

	check_new_refusals(t);
	check_create(t);
	if (t->have_a && t->have_b) {
		check_set(t);
		check_ctrl(t);
		check_echo(t);
		check_teardown(t);
		check_prefix();
		check_overrun();
	} else {
		fail("tunnel-pair", "no tunnel pair: SET, CTRL, echo and "
		     "teardown checks not run");
	}

	close(t->fd_a);
	close(t->fd_b);
	sstp_genl_close(&t->sg_req);
	sstp_genl_close(&t->sg_b);
	sstp_genl_close(&t->sg_a);
	free(t);
	printf("%d ok, %d failed\n", n_ok, n_fail);
	return n_fail ? 1 : 0;
}

/*
 * 7. --unload-hold: two live tunnels owned by this process while the test
 * script runs rmmod. Module exit must take them down and tell the owner
 * (MODULE_UNLOAD) before the family goes away.
 */
/* Make @n tunnels on plain TCP pairs (no TLS), owned by @sg. */
static int plain_tunnels(struct sstp_genl *sg, int n, int *fds)
{
	struct sstp_tunnel_opts o = { .hello_interval = -1,
				      .keepalive_timeout = -1,
				      .role = SSTP_ROLE_SERVER,
				      .transport = SSTP_TRANSPORT_TCP };
	struct sockaddr_in sin;
	uint32_t id, chan;
	int i, l = tcp_listener(&sin);

	for (i = 0; i < n; i++) {
		tcp_pair_on(l, &sin, &o.fd, &fds[2 * i + 1]);
		fds[2 * i] = o.fd;
		if (sstp_genl_tunnel_new(sg, &o, &id, &chan))
			die("TUNNEL_NEW: %s", sg->err);
	}
	close(l);
	return 0;
}

/* Collect TUNNEL_DOWN events with @reason for @n tunnels. */
static int count_downs(struct sstp_genl *sg, int n, uint32_t reason, int ms)
{
	struct evlog *lg = calloc(1, sizeof(*lg));
	long end = now_ms() + ms;
	int seen = 0, i;

	if (!lg)
		die("no memory");
	while (seen < n && now_ms() < end) {
		lg->n = 0;
		if (sstp_genl_wait_event(sg, 200, evlog_add, lg) < 0) {
			fprintf(stderr, "events: %s\n", sg->err);
			break;
		}
		for (i = 0; i < lg->n; i++)
			seen += lg->rec[i].cmd == SSTP_CMD_TUNNEL_DOWN &&
				lg->rec[i].info.down_reason == reason;
	}
	free(lg);
	return seen;
}

static int unload_hold(int extra)
{
	struct sstp_tunnel_opts o = { .hello_interval = -1,
				      .keepalive_timeout = -1 };
	struct sstp_genl sg, sg2, sg_extra;
	int *fds;
	struct evlog *ev = calloc(1, sizeof(*ev));
	uint32_t id_a, id_b, chan;
	int fd_a, fd_b, err, i;

	if (!ev)
		die("no memory");
	open_genl(&sg);
	ev->sg = &sg;
	tls_pair(1, &fd_a, &fd_b);
	o.fd = fd_a;
	o.role = SSTP_ROLE_CLIENT;
	if (sstp_genl_tunnel_new(&sg, &o, &id_a, &chan))
		die("TUNNEL_NEW: %s", sg.err);
	o.fd = fd_b;
	o.role = SSTP_ROLE_SERVER;
	if (sstp_genl_tunnel_new(&sg, &o, &id_b, &chan))
		die("TUNNEL_NEW: %s", sg.err);
	/* Owned by another socket, so their events do not mix with A's. */
	open_genl(&sg_extra);
	/* Room for all their TUNNEL_DOWN events (~2 KB each) at once. */
	if (sstp_genl_set_rcvbuf(&sg_extra, 4 << 20))
		die("%s", sg_extra.err);
	fds = calloc(2 * (extra + 1), sizeof(*fds));
	if (!fds)
		die("no memory");
	plain_tunnels(&sg_extra, extra, fds);
	printf("ready %u %u\n", id_a, id_b);
	fflush(stdout);

	/*
	 * Module exit marks both down before tearing either down, so neither
	 * sees its peer close first. The script's rmmod comes within seconds.
	 */
	check_down("unload.down.a", ev, id_a, SSTP_DOWN_MODULE_UNLOAD, 60000);
	check_down("unload.down.b", ev, id_b, SSTP_DOWN_MODULE_UNLOAD,
		   ASYNC_MS);
	if (extra) {
		i = count_downs(&sg_extra, extra, SSTP_DOWN_MODULE_UNLOAD,
				30000);
		if (i == extra)
			ok("unload.down.plain", "%d more tunnels down", i);
		else
			fail("unload.down.plain", "%d of %d more tunnels down",
			     i, extra);
	}

	/*
	 * The family goes away with the module: the events above come from
	 * its exit, which unregisters the family a moment later.
	 */
	for (i = 0; i < 100 && !(err = sstp_genl_open(&sg2)); i++) {
		sstp_genl_close(&sg2);
		usleep(100000);
	}
	if (!err) {
		fail("unload.family-gone", "family \"sstp\" still resolves");
		sstp_genl_close(&sg2);
	} else {
		ok("unload.family-gone", NULL);
	}

	close(fd_a);
	close(fd_b);
	for (i = 0; i < 2 * extra; i++)
		close(fds[i]);
	free(fds);
	sstp_genl_close(&sg_extra);
	sstp_genl_close(&sg);
	free(ev);
	printf("%d ok, %d failed\n", n_ok, n_fail);
	return n_fail ? 1 : 0;
}

/*
 * 6c. Events lost for a full receive buffer: the owner's socket is made as
 * small as the kernel allows, twenty tunnels owned by it are deleted from
 * another socket, and their TUNNEL_DOWN events cannot all fit. Reading
 * must then say ENOBUFS and set sg->overrun (not fail with EIO), and a
 * dump tells the owner what is left: nothing. The dump goes on the other
 * socket, as serve's does: the small one may overflow again meanwhile.
 */
/* Until @fd reports an error (poll's POLLERR) or @ms have passed. */
static void wait_for_socket_error(int fd, long ms)
{
	struct pollfd pfd = { .fd = fd };	/* POLLERR needs no asking */
	long end = now_ms() + ms;

	while (now_ms() < end)
		if (poll(&pfd, 1, 100) > 0 && (pfd.revents & POLLERR))
			return;
}

static void check_overrun(void)
{
	struct sstp_genl owner, other;
	struct evlog *lg = calloc(1, sizeof(*lg));
	int fds[2 * 20], i, err = 0;
	struct dump d;

	if (!lg)
		die("no memory");
	open_genl(&owner);
	open_genl(&other);
	lg->sg = &owner;
	if (sstp_genl_set_rcvbuf(&owner, 1))
		die("%s", owner.err);
	plain_tunnels(&owner, 20, fds);
	if (dump_tunnels(&other, &d) || d.n != 20)
		die("overrun: %d tunnels listed, want 20", d.n);
	for (i = 0; i < d.n; i++)
		sstp_genl_tunnel_del(&other, d.t[i].info.id);
	/* Teardown runs in the kernel's workqueue: let the events come. */
	for (i = 0; i < 100 && !dump_tunnels(&other, &d) && d.n; i++)
		usleep(100000);
	/*
	 * A tunnel leaves the list before its TUNNEL_DOWN is sent: read now,
	 * and a loaded guest's late events find room. Wait for the overrun.
	 */
	wait_for_socket_error(sstp_genl_fd(&owner), 10000);
	for (i = 0; i < 40 && err >= 0; i++)
		err = sstp_genl_wait_event(&owner, 100, evlog_add, lg);
	if (err != -ENOBUFS || !owner.overrun)
		fail("events.overrun", "got %s after %d events, overrun %d; "
		     "want ENOBUFS", errname(err), lg->n, owner.overrun);
	else if (dump_tunnels(&other, &d) || d.n)
		fail("events.overrun", "the dump after it lists %d tunnels",
		     d.n);
	else
		ok("events.overrun", "ENOBUFS after %d of 20 events; the dump "
		   "lists none", lg->n);
	for (i = 0; i < 40; i++)
		close(fds[i]);
	sstp_genl_close(&other);
	sstp_genl_close(&owner);
	free(lg);
}

/*
 * 10. --cycles N: N tunnels made and deleted one after another, on plain
 * TCP pairs (no TLS handshake each time); none is left at the end. The
 * script compares the slab around it; the debug kernel's kmemleak scans.
 */
static int cycles(long n)
{
	struct sstp_tunnel_opts o = { .hello_interval = -1,
				      .keepalive_timeout = -1,
				      .role = SSTP_ROLE_SERVER,
				      .transport = SSTP_TRANSPORT_TCP };
	struct sockaddr_in sin;
	struct sstp_genl sg;
	uint32_t id, chan;
	struct dump d;
	int l, b, k, err;
	long i;

	open_genl(&sg);
	l = tcp_listener(&sin);
	for (i = 0; i < n; i++) {
		tcp_pair_on(l, &sin, &o.fd, &b);
		if (sstp_genl_tunnel_new(&sg, &o, &id, &chan) ||
		    sstp_genl_tunnel_del(&sg, id)) {
			fail("cycles", "cycle %ld: %s", i, sg.err);
			break;
		}
		/* A reset, not a FIN: no TIME_WAIT socket left in the slab. */
		close_reset(o.fd);
		close_reset(b);
	}
	close(l);
	if (i == n)
		ok("cycles", "%ld tunnels made and deleted", n);
	/* Teardown runs in the kernel's workqueue: let the last ones go. */
	for (k = 0; k < 100 && !(err = dump_tunnels(&sg, &d)) && d.n; k++)
		usleep(100000);
	if (err || d.n)
		fail("cycles.none-left", "%s, %d tunnels listed", errname(err),
		     d.n);
	else
		ok("cycles.none-left", NULL);
	sstp_genl_close(&sg);
	printf("%d ok, %d failed\n", n_ok, n_fail);
	return n_fail ? 1 : 0;
}

/* An Echo Request: a valid packet for CTRL_SEND. */
static const uint8_t echo_request[] = { 0x10, 0x01, 0x00, 0x08,
					0x00, 0x08, 0x00, 0x00 };

static void check_eperm(const char *name, const struct sstp_genl *sg,
			int err)
{
	if (err == -EPERM)
		ok(name, NULL);
	else
		fail(name, "got %s, want EPERM (%s)", errname(err),
		     sg->err[0] ? sg->err : "no message");
}

/*
 * 8. --refused: a caller without CAP_NET_ADMIN (in the initial user
 * namespace) may resolve the family but do nothing with it.
 */
static int refused(bool events_ok)
{
	struct sstp_tunnel_opts o = { .fd = 0, .role = SSTP_ROLE_CLIENT,
				      .hello_interval = -1,
				      .keepalive_timeout = -1 };
	struct sstp_tunnel_info info;
	struct sstp_genl sg;
	struct dump d;
	uint32_t id, chan;
	int err;

	open_genl(&sg);
	check_eperm("refused.new", &sg, sstp_genl_tunnel_new(&sg, &o, &id,
							      &chan));
	check_eperm("refused.get", &sg, sstp_genl_tunnel_get(&sg, 1, &info));
	check_eperm("refused.dump", &sg, dump_tunnels(&sg, &d));
	check_eperm("refused.set", &sg, sstp_genl_set_connected(&sg, 1));
	check_eperm("refused.ctrl-send", &sg,
		    sstp_genl_ctrl_send(&sg, 1, echo_request,
					sizeof(echo_request)));
	check_eperm("refused.del", &sg, sstp_genl_tunnel_del(&sg, 1));
	err = sstp_genl_subscribe(&sg);
	if (events_ok && !err)
		ok("refused.events", "joined: this netns is the caller's own");
	else
		check_eperm("refused.events", &sg, err);
	sstp_genl_close(&sg);
	printf("%d ok, %d failed\n", n_ok, n_fail);
	return n_fail ? 1 : 0;
}

/* 9. --invisible: tunnels of another netns cannot be seen or touched. */
static int invisible(int n, char **ids)
{
	struct sstp_tunnel_info info;
	struct sstp_genl sg;
	struct dump d;
	char name[64];
	int err, i;

	open_genl(&sg);
	err = dump_tunnels(&sg, &d);
	if (err || d.n)
		fail("invisible.dump", "%s, %d tunnels listed, want none",
		     errname(err), d.n);
	else
		ok("invisible.dump", NULL);
	for (i = 0; i < n; i++) {
		uint32_t id = strtoul(ids[i], NULL, 10);

		snprintf(name, sizeof(name), "invisible.get.%u", id);
		check_refusal(name, &sg, sstp_genl_tunnel_get(&sg, id, &info),
			      -ENOENT);
		snprintf(name, sizeof(name), "invisible.del.%u", id);
		check_refusal(name, &sg, sstp_genl_tunnel_del(&sg, id),
			      -ENOENT);
	}
	sstp_genl_close(&sg);
	printf("%d ok, %d failed\n", n_ok, n_fail);
	return n_fail ? 1 : 0;
}

int main(int argc, char **argv)
{
	/* Line-buffered even into a file, for the script that waits on it. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	tls_init();
	if (argc >= 2 && !strcmp(argv[1], "--unload-hold"))
		return unload_hold(argc == 3 ? atoi(argv[2]) : 0);
	if (argc == 3 && !strcmp(argv[1], "--cycles"))
		return cycles(atol(argv[2]));
	if (argc >= 2 && !strcmp(argv[1], "--refused"))
		return refused(argc == 3 && !strcmp(argv[2], "events-ok"));
	if (argc >= 2 && !strcmp(argv[1], "--invisible"))
		return invisible(argc - 2, argv + 2);
	if (argc != 1) {
		fprintf(stderr, "usage: sstp-nltest [--unload-hold [N] | "
			"--cycles N | --refused [events-ok] | "
			"--invisible ID...]\n");
		return 2;
	}
	return run_checks();
}
