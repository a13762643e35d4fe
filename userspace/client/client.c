// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * client.c - one run of `sstp-helper connect` (states in client.h): one
 * epoll loop from start to end, waiting on the dial's thread, sstp.ko's
 * netlink events, pppd's plugin, status readers and the signals; and
 * dial-on-demand, where pppd comes first and asks for each call.
 */

#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "client/connection.h"
#include "client/dial.h"
#include "common/clock.h"
#include "common/log.h"
#include "common/status-socket.h"

#define PPPD_EXIT_MS		5000	/* pppd's time to go after SIGTERM */

/* ---- the dial, on a thread of its own ------------------------------------ */

/*
 * The dial blocks for up to tens of seconds (TCP, a proxy, TLS, HTTP):
 * on its thread the loop keeps answering signals and status. The job is
 * the thread's until it is @finished; a client that ends first
 * @abandons it, and the thread then frees it.
 */
struct dial_job {
	struct sstp_dial d;
	int rc;				/* sstp_dial_run()'s */
	pthread_t thread;
	pthread_mutex_t lock;		/* guards the two flags */
	bool finished, abandoned;
	int done_fd;			/* eventfd: the loop's EV_DIAL */
};

static void job_free(struct dial_job *j)
{
	sstp_dial_free(&j->d);
	if (j->done_fd >= 0)
		close(j->done_fd);
	pthread_mutex_destroy(&j->lock);
	OPENSSL_cleanse(j, sizeof(*j));
	free(j);
}

static void *dial_thread(void *arg)
{
	struct dial_job *j = arg;
	uint64_t one = 1;
	bool abandoned;

	j->rc = sstp_dial_run(&j->d);
	pthread_mutex_lock(&j->lock);
	j->finished = true;
	abandoned = j->abandoned;
	if (!abandoned && write(j->done_fd, &one, sizeof(one)) != sizeof(one))
		sstp_log("the dial cannot wake the loop: %s", strerror(errno));
	pthread_mutex_unlock(&j->lock);
	if (abandoned)
		job_free(j);
	return NULL;
}

static void start_dial(struct client *c)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = EV_DIAL };
	struct dial_job *j = calloc(1, sizeof(*j));
	int err;

	c->state = C_DIALING;
	if (!j) {
		client_fail(c, SSTP_EXIT_LOCAL, "out of memory");
		return;
	}
	sstp_dial_init(&j->d, c->cfg, c->ctx);
	pthread_mutex_init(&j->lock, NULL);
	j->done_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	err = j->done_fd < 0 ? errno :
	      pthread_create(&j->thread, NULL, dial_thread, j);
	if (err) {
		client_fail(c, SSTP_EXIT_LOCAL, "cannot start the dial: %s",
			    strerror(err));
		job_free(j);
		return;
	}
	c->job = j;
	epoll_ctl(c->epfd, EPOLL_CTL_ADD, j->done_fd, &ev);
}

/* The job goes: joined if its thread is done, else left to free itself. */
static void drop_dial(struct client *c)
{
	struct dial_job *j = c->job;
	bool running;

	if (!j)
		return;
	c->job = NULL;
	epoll_ctl(c->epfd, EPOLL_CTL_DEL, j->done_fd, NULL);
	pthread_mutex_lock(&j->lock);
	running = !j->finished;
	j->abandoned = running;
	pthread_mutex_unlock(&j->lock);
	if (running) {
		pthread_detach(j->thread);
		return;
	}
	pthread_join(j->thread, NULL);
	job_free(j);
}

/* The dial is over: the call starts on its socket, or the run ends. */
static void on_dial_done(struct client *c)
{
	struct dial_job *j = c->job;
	bool finished;

	if (!j)
		return;
	pthread_mutex_lock(&j->lock);
	finished = j->finished;
	pthread_mutex_unlock(&j->lock);
	if (!finished)
		return;		/* not from this job's thread */
	if (j->rc) {
		client_fail(c, j->d.code, "%s", j->d.why);
	} else {
		c->cert = j->d.cert;
		client_start_tunnel(c, &j->d.fd, &j->d.ssl, j->d.user_path,
				    j->d.prefix, j->d.prefix_len);
	}
	drop_dial(c);
}

/* dial-on-demand: pppd has traffic for the server; set up the call. */
static void dial_for_pppd(struct client *c)
{
	c->dial_requested = false;
	if (c->state != C_IDLE) {
		sstp_ctl_reply(c->call.ctl, SSTP_CTL_NO_CHANNEL, NULL);
		return;
	}
	sstp_log("traffic for the tunnel: connecting to %s", c->cfg->connect_to);
	c->dial_pending = true;
	start_dial(c);
}

/* ---- the loop ------------------------------------------------------------ */

static void on_signal(struct client *c)
{
	struct signalfd_siginfo si;
	int status;
	pid_t pid;

	while (read(c->sfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo != SIGCHLD) {
			c->stopped = true;
			client_disconnect(c, SSTP_EXIT_OK, "stopping on a signal");
			continue;
		}
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
			if (pid == c->call.pppd)
				client_on_pppd_exit(c, status);
	}
}

static int setup_loop(struct client *c)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = EV_SIGNAL };
	sigset_t mask;

	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	c->sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	c->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (c->sfd < 0 || c->epfd < 0) {
		client_fail(c, SSTP_EXIT_LOCAL, "epoll/signalfd: %s",
			    strerror(errno));
		return -1;
	}
	c->call.epfd = c->epfd;
	epoll_ctl(c->epfd, EPOLL_CTL_ADD, c->sfd, &ev);
	return 0;
}

static void on_netlink(struct client *c)
{
	while (c->state != C_DONE &&
	       sstp_genl_wait_event(&c->nl, 0, client_on_event, c) > 0)
		;
}

static void dispatch(struct client *c, const struct epoll_event *ev)
{
	switch (ev->data.u32) {
	case EV_SIGNAL:
		on_signal(c);
		break;
	case EV_STATUS:
		client_answer_status(c);
		break;
	case EV_PLUGIN:
		client_on_plugin(c);
		break;
	case EV_DIAL:
		on_dial_done(c);
		break;
	case EV_NETLINK:
		on_netlink(c);
		break;
	case EV_CARRIER:
		sstp_call_user_io(&c->call);
		break;
	}
}

/* Until the call is over (C_DONE). */
static void run_loop(struct client *c)
{
	struct epoll_event evs[8];
	long long carrier, wake;
	int i, n, timeout;

	while (c->state != C_DONE) {
		if (c->dial_requested)
			dial_for_pppd(c);
		/* Events a request's reply loop queued: epoll will not say. */
		while (c->nl.queue_count && c->state != C_DONE)
			sstp_genl_wait_event(&c->nl, 0, client_on_event, c);
		if (c->state == C_DONE)
			break;
		if (c->deadline && sstp_now_ms() >= c->deadline) {
			client_on_timer(c);
			continue;
		}
		/* The userspace carrier's keepalive (sstp.ko keeps its own). */
		carrier = sstp_call_user_timer(&c->call, sstp_now_ms());
		if (c->state == C_DONE)
			break;
		wake = c->deadline;
		if (carrier && (!wake || carrier < wake))
			wake = carrier;
		timeout = wake ? (int)(wake - sstp_now_ms()) : -1;
		n = epoll_wait(c->epfd, evs, 8, timeout < 0 && wake ? 0 : timeout);
		for (i = 0; i < n && c->state != C_DONE; i++)
			dispatch(c, &evs[i]);
	}
}

/* ---- dial-on-demand ------------------------------------------------------ */

/*
 * add-default-route: pppd routes everything into its interface from the
 * start, the server's address too, before any call: pin the server's
 * route (or the proxy's) first, looked up with a UDP socket that sends
 * nothing.
 */
static int pin_before_pppd(struct client *c)
{
	const struct sstp_client_config *cfg = c->cfg;
	const char *host = cfg->proxy_host[0] ? cfg->proxy_host : cfg->connect_to;
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM }, *ai = NULL;
	char port[8], err[256];
	int fd = -1, rc = -1;

	if (!cfg->add_default_route && !cfg->save_server_route)
		return 0;
	snprintf(port, sizeof(port), "%lu",
		 cfg->proxy_host[0] ? cfg->proxy_port : cfg->port);
	if (getaddrinfo(host, port, &hints, &ai) || !ai) {
		client_fail(c, SSTP_EXIT_UNREACHABLE, "cannot resolve %s", host);
		return -1;
	}
	fd = socket(ai->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, ai->ai_addr, ai->ai_addrlen)) {
		client_fail(c, SSTP_EXIT_UNREACHABLE, "no route to %s: %s", host,
			    strerror(errno));
	} else if (sstp_route_pin(fd, &c->pin, err, sizeof(err))) {
		client_fail(c, SSTP_EXIT_LOCAL, "add-default-route: %s", err);
	} else {
		sstp_log("add-default-route: the route to %s stays outside the "
			 "tunnel", c->pin.text);
		rc = 0;
	}
	if (fd >= 0)
		close(fd);
	freeaddrinfo(ai);
	return rc;
}

/* What one call held goes; pppd, netlink and the status socket stay. */
static void end_connection(struct client *c)
{
	struct sstp_call *call = &c->call;

	drop_dial(c);
	client_answer_dial(c, false);
	sstp_call_close_carrier(call);
	c->deadline = 0;
	call->method[0] = call->tls_version[0] = call->tls_cipher[0] = '\0';
	call->local[0] = call->remote[0] = '\0';
}

/*
 * pppd first, in demand mode: its interface is up at once and it says
 * "dial" when traffic comes; each call runs as an ordinary one, and when
 * it ends we wait for the next "dial". Over when pppd exits, on a signal,
 * or for a mistake of ours that no retry mends.
 */
static void run_on_demand(struct client *c)
{
	if (client_open_netlink(c) || pin_before_pppd(c) || client_start_pppd(c))
		return;
	sstp_log("dial-on-demand: waiting for traffic");
	for (;;) {
		c->state = C_IDLE;
		run_loop(c);
		end_connection(c);
		if (c->stopped || c->call.pppd <= 0 || c->code == SSTP_EXIT_CONFIG)
			break;
		c->code = SSTP_EXIT_OK;
		sstp_log("dial-on-demand: waiting for traffic again");
	}
}

/* ---- the run ------------------------------------------------------------- */

/* Whether pppd ended within @ms. */
static bool pppd_gone_within(pid_t pid, long long ms)
{
	long long until = sstp_now_ms() + ms;
	int status;

	while (waitpid(pid, &status, WNOHANG) == 0) {
		if (sstp_now_ms() >= until)
			return false;
		usleep(50000);
	}
	return true;
}

/*
 * Tunnel, pppd, sockets: all released. With the tunnel gone (deleted here
 * or already down in the kernel) pppd reads a hangup and ends by itself,
 * running its ip-down scripts, which a signal would cut short; SIGTERM and
 * SIGKILL only if it lingers.
 */
static void teardown(struct client *c)
{
	pid_t pppd = c->call.pppd;
	int status;

	drop_dial(c);
	if (c->call.uc || c->nl_open)
		sstp_call_close_carrier(&c->call);
	/* In demand mode pppd outlives a hangup by design: no wait. */
	if (pppd > 0 && (c->cfg->dial_on_demand ||
			 !pppd_gone_within(pppd, SSTP_PPPD_HANGUP_MS))) {
		kill(pppd, SIGTERM);
		if (!pppd_gone_within(pppd, PPPD_EXIT_MS)) {
			kill(pppd, SIGKILL);
			waitpid(pppd, &status, 0);
		}
	}
	sstp_call_close_plugin(&c->call);
	if (c->nl_open)
		sstp_genl_close(&c->nl);
	SSL_CTX_free(c->ctx);
	if (c->sfd >= 0)
		close(c->sfd);
	if (c->epfd >= 0)
		close(c->epfd);
	sstp_status_socket_close(c->status_fd, c->status_path);
	sstp_route_unpin(&c->pin);
}

static void warn_unverified(const struct sstp_client_config *cfg)
{
	if (cfg->link.anonymous_dh)
		sstp_log("warning: anonymous-dh = yes: TLS without certificates; "
			 "anyone on the path can pose as %s (MikroTik's "
			 "certificate=none)", cfg->connect_to);
	else if (!cfg->verify_server_certificate)
		sstp_log("warning: the server's certificate is not verified "
			 "(verify-server-certificate = no): anyone on the path "
			 "can pose as %s", cfg->connect_to);
}

/* The loop, the TLS context and the status socket, for the whole run. */
static int prepare(struct client *c)
{
	char err[256];

	if (setup_loop(c))
		return -1;
	c->ctx = sstp_dial_tls_context(c->cfg, err, sizeof(err));
	if (!c->ctx) {
		client_fail(c, SSTP_EXIT_CONFIG, "%s", err);
		return -1;
	}
	client_open_status(c);
	return 0;
}

enum sstp_client_exit sstp_client_run(const struct sstp_client_config *cfg,
				      bool *stopped)
{
	struct client *c = calloc(1, sizeof(*c));
	enum sstp_client_exit code;

	if (!c) {
		sstp_log("out of memory");
		return SSTP_EXIT_LOCAL;
	}
	c->cfg = cfg;
	c->sfd = c->epfd = c->status_fd = -1;
	c->code = SSTP_EXIT_OK;
	sstp_call_init(&c->call, &c->nl, -1);
	snprintf(c->call.user, sizeof(c->call.user), "%s", cfg->user);
	warn_unverified(cfg);
	if (!prepare(c)) {
		if (cfg->dial_on_demand) {
			run_on_demand(c);
		} else {
			start_dial(c);
			run_loop(c);
		}
	}
	code = c->code;
	*stopped = c->stopped;
	teardown(c);
	OPENSSL_cleanse(c, sizeof(*c));
	free(c);
	return code;
}
