// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sstp-uc-pair: two userspace carriers back to back, so that the VM tests
 * can run the userspace data path against the real pppd and the kernel's
 * ppp_async before the helper uses it:
 *
 *   pppd on pty a <-> carrier a <-> TLS over a socketpair <-> carrier b
 *   <-> pppd on pty b
 *
 * It prints "pty-a PATH" and "pty-b PATH" (the slave sides, for pppd),
 * then moves frames until SIGTERM or SIGINT, and prints each carrier's
 * counters ("stats a rx-packets N rx-bytes N tx-packets N tx-bytes N
 * drop-gate N drop-runt N hdlc-dropped N"). Both carriers are connected
 * from the start: the gate has its unit test. A carrier that goes down
 * prints "down a|b REASON" and ends the program with status 1.
 *
 * It keeps each slave side open itself, as the helper will: with no slave
 * open, the master reads EIO, and pppd opens its side when it pleases.
 */
#include <errno.h>
#include <fcntl.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "datapath/user-carrier.h"
#include "test-cert.h"

struct end {
	const char *name;
	SSL *ssl;
	int sock, master, slave;
	struct sstp_user_carrier uc;
};

static struct end ends[2] = { { .name = "a" }, { .name = "b" } };
static int epfd;

static void on_event(const struct sstp_event *ev, void *arg)
{
	const struct end *e = arg;

	if (ev->cmd == SSTP_CMD_TUNNEL_DOWN) {
		printf("down %s %s\n", e->name,
		       sstp_down_reason_name(ev->info.down_reason));
		fflush(stdout);
	}
}

static int fail(const char *what)
{
	fprintf(stderr, "sstp-uc-pair: %s: %s\n", what, strerror(errno));
	ERR_print_errors_fp(stderr);
	return 1;
}

static void nonblock(int fd)
{
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

/* A TLS connection over a socketpair: a is the client, b the server. */
static int tls_pair(void)
{
	static char cert[] = "/tmp/sstp-uc-pair-XXXXXX";
	SSL_CTX *cctx = SSL_CTX_new(TLS_client_method());
	SSL_CTX *sctx = SSL_CTX_new(TLS_server_method());
	int sv[2], i, ra = 0, rb = 0;

	if (unit_make_cert(cert) || !cctx || !sctx ||
	    SSL_CTX_use_certificate_chain_file(sctx, cert) != 1 ||
	    SSL_CTX_use_PrivateKey_file(sctx, cert, SSL_FILETYPE_PEM) != 1 ||
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		return -1;
	unlink(cert);
	SSL_CTX_set_verify(cctx, SSL_VERIFY_NONE, NULL);
	ends[0].ssl = SSL_new(cctx);
	ends[1].ssl = SSL_new(sctx);
	for (i = 0; i < 2; i++) {
		ends[i].sock = sv[i];
		nonblock(sv[i]);
		SSL_set_fd(ends[i].ssl, sv[i]);
	}
	SSL_set_connect_state(ends[0].ssl);
	SSL_set_accept_state(ends[1].ssl);
	for (i = 0; i < 1000 && (ra != 1 || rb != 1); i++) {
		if (ra != 1)
			ra = SSL_do_handshake(ends[0].ssl);
		if (rb != 1)
			rb = SSL_do_handshake(ends[1].ssl);
	}
	SSL_CTX_free(cctx);
	SSL_CTX_free(sctx);
	return ra == 1 && rb == 1 ? 0 : -1;
}

static void watch(int op, int fd, uint32_t events, void *ptr)
{
	struct epoll_event ev = { .events = events, .data.ptr = ptr };

	epoll_ctl(epfd, op, fd, &ev);
}

static void rearm(struct end *e)
{
	watch(EPOLL_CTL_MOD, e->sock, sstp_uc_sock_events(&e->uc), e);
	watch(EPOLL_CTL_MOD, e->master, sstp_uc_pty_events(&e->uc), e);
}

static void print_stats(const struct end *e)
{
	const uint64_t *s = e->uc.info.stats;
	const struct sstp_hdlc_drops *d = &e->uc.hdlc.drops;

	printf("stats %s rx-packets %llu rx-bytes %llu tx-packets %llu "
	       "tx-bytes %llu drop-gate %llu drop-runt %llu hdlc-dropped %llu\n",
	       e->name, (unsigned long long)s[SSTP_STATS_A_RX_PACKETS],
	       (unsigned long long)s[SSTP_STATS_A_RX_BYTES],
	       (unsigned long long)s[SSTP_STATS_A_TX_PACKETS],
	       (unsigned long long)s[SSTP_STATS_A_TX_BYTES],
	       (unsigned long long)s[SSTP_STATS_A_DROP_GATE],
	       (unsigned long long)s[SSTP_STATS_A_DROP_RUNT],
	       (unsigned long long)(d->bad_fcs + d->too_long + d->runt + d->aborted));
}

int main(void)
{
	struct epoll_event evs[8];
	sigset_t mask;
	int sfd, i, n, status = 0;
	bool up = true;

	if (tls_pair())
		return fail("TLS over a socketpair");
	epfd = epoll_create1(EPOLL_CLOEXEC);
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	if (epfd < 0 || sfd < 0)
		return fail("epoll, signalfd");
	watch(EPOLL_CTL_ADD, sfd, EPOLLIN, NULL);
	for (i = 0; i < 2; i++) {
		struct end *e = &ends[i];

		if (openpty(&e->master, &e->slave, NULL, NULL, NULL))
			return fail("openpty");
		nonblock(e->master);
		printf("pty-%s %s\n", e->name, ttyname(e->slave));
		sstp_uc_init(&e->uc, e->ssl, e->master, (uint32_t)i + 1,
			     on_event, e);
		sstp_uc_set_connected(&e->uc);
		watch(EPOLL_CTL_ADD, e->sock, 0, e);
		watch(EPOLL_CTL_ADD, e->master, 0, e);
		rearm(e);
	}
	fflush(stdout);
	while (up) {
		n = epoll_wait(epfd, evs, 8, -1);
		if (n < 0 && errno != EINTR)
			return fail("epoll_wait");
		for (i = 0; i < n; i++)
			if (!evs[i].data.ptr)
				up = false;
		/* Both, whichever woke: one's output is the other's input. */
		for (i = 0; i < 2; i++) {
			if (!sstp_uc_io(&ends[i].uc))
				up = false, status = 1;
			rearm(&ends[i]);
		}
	}
	print_stats(&ends[0]);
	print_stats(&ends[1]);
	return status;
}
