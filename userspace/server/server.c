// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * server.c - the SSTP server and concentrator behind `sstp-helper serve`.
 *
 * One process, one epoll loop, nothing blocking in it: the listeners, the
 * sessions' sockets until they go to sstp.ko, the netlink socket that owns
 * every tunnel (so if this process dies, the kernel takes them all down),
 * each pppd's control socket, and a signalfd for SIGCHLD (a pppd ended),
 * SIGTERM, SIGINT and SIGHUP (stop: Call Disconnect to every client, then
 * exit; a lost terminal must not kill the server with its sessions).
 */

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/x509.h>

#include "common/log.h"
#include "server/radius.h"
#include "server/ratelimit.h"
#include "server/serve-status.h"
#include "server/session.h"
#include "transport/tls.h"

#define MAX_LISTENERS 8
/*
 * Time the stopping server waits for the next Disconnect Ack: it goes on
 * waiting while Acks keep coming, so that a server with thousands of
 * sessions disconnects every one of them however long that takes.
 */
#define STOP_GRACE_MS SSTP_DISCONNECT_ACK_MS
static struct ep_item listeners[MAX_LISTENERS];
static int nlisteners;

static int add_listener(struct server *srv, const char *addr,
			unsigned long port, char *err, size_t errlen)
{
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6, .sin6_port = htons(port) };
	struct sockaddr_in a4 = { .sin_family = AF_INET, .sin_port = htons(port) };
	struct epoll_event ev = { .events = EPOLLIN };
	struct sockaddr *sa = (struct sockaddr *)&a6;
	socklen_t len = sizeof(a6);
	int fd, one = 1, zero = 0;

	if (nlisteners == MAX_LISTENERS) {
		snprintf(err, errlen, "listen: at most %d addresses", MAX_LISTENERS);
		return -1;
	}
	if (inet_pton(AF_INET, addr, &a4.sin_addr) == 1) {
		sa = (struct sockaddr *)&a4;
		len = sizeof(a4);
	} else if (*addr && inet_pton(AF_INET6, addr, &a6.sin6_addr) != 1) {
		snprintf(err, errlen, "listen: '%s' is not an IPv4 or IPv6 address", addr);
		return -1;
	}
	fd = socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/* The default listener ("" = [::]) takes IPv4 clients too. */
	if (sa->sa_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, *addr ? &one : &zero,
			   sizeof(int));
	if (bind(fd, sa, len) || listen(fd, 128)) {
		snprintf(err, errlen, "cannot listen on [%s]:%lu: %s",
			 *addr ? addr : "::", port, strerror(errno));
		close(fd);
		return -1;
	}
	listeners[nlisteners] = (struct ep_item){ EP_LISTENER, srv, fd };
	ev.data.ptr = &listeners[nlisteners++];
	epoll_ctl(srv->epfd, EPOLL_CTL_ADD, fd, &ev);
	sstp_log("listening on [%s]:%lu", *addr ? addr : "::", port);
	return 0;
}

static int add_listeners(struct server *srv, char *err, size_t errlen)
{
	char list[sizeof(srv->cfg.listen)], *tok, *save = NULL;

	if (!srv->cfg.listen[0])
		return add_listener(srv, "", srv->cfg.port, err, errlen);
	snprintf(list, sizeof(list), "%s", srv->cfg.listen);
	for (tok = strtok_r(list, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save))
		if (add_listener(srv, tok, srv->cfg.port, err, errlen))
			return -1;
	return 0;
}

static void on_accept(struct server *srv, int lfd)
{
	struct sockaddr_storage peer;
	socklen_t len = sizeof(peer);
	int fd, one = 1;

	while ((fd = accept4(lfd, (struct sockaddr *)&peer, &len,
			     SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
		if (srv->stopping || srv->nsessions >= srv->cfg.max_sessions) {
			sstp_log("refusing a client: %s", srv->stopping ?
				 "stopping" : "max-sessions reached");
			close(fd);
			continue;
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		if (!session_new(srv, fd, &peer))
			close(fd);
		len = sizeof(peer);
	}
}

/*
 * Events: those the socket has, and those a request's reply loop already
 * read and queued (epoll will not report those again).
 */
static void on_event(const struct sstp_event *ev, void *arg)
{
	session_event(arg, ev);
}

struct tunnel_ids {
	uint32_t *ids;
	unsigned int n, max;
};

static void note_tunnel(const struct sstp_tunnel_info *info, void *arg)
{
	struct tunnel_ids *t = arg;

	if (t->n < t->max)
		t->ids[t->n++] = info->id;
}

static bool tunnel_listed(const struct tunnel_ids *t, uint32_t id)
{
	unsigned int i;

	for (i = 0; i < t->n; i++)
		if (t->ids[i] == id)
			return true;
	return false;
}

/*
 * The kernel dropped events for our socket (ENOBUFS): some sessions may
 * have lost their TUNNEL_DOWN. Every session whose tunnel the dump no
 * longer lists ends as if it had come. A lost control packet is covered
 * by the session's own timers (a call that never connects is aborted).
 */
static void resync_tunnels(struct server *srv)
{
	struct tunnel_ids t = { .max = srv->nsessions };
	struct session *s, *next;
	struct sstp_event ev = { .cmd = SSTP_CMD_TUNNEL_DOWN };

	srv->nl.overrun = false;
	sstp_log("netlink: events were lost; re-reading the tunnels");
	t.ids = calloc(t.max ? t.max : 1, sizeof(*t.ids));
	if (!t.ids ||
	    sstp_genl_tunnel_dump(&srv->nl_req, note_tunnel, &t) < 0) {
		sstp_log("netlink: cannot re-read the tunnels: %s",
			 t.ids ? srv->nl_req.err : "out of memory");
		free(t.ids);
		return;
	}
	for (s = srv->sessions; s; s = next) {
		next = s->next;
		/* The userspace carrier's tunnels are no business of sstp.ko's. */
		if (s->call.tunnel_id && !s->call.uc &&
		    !tunnel_listed(&t, s->call.tunnel_id)) {
			ev.tunnel_id = s->call.tunnel_id;
			session_event(srv, &ev);
		}
	}
	free(t.ids);
}

static void on_netlink(struct server *srv)
{
	int ret;

	while ((ret = sstp_genl_wait_event(&srv->nl, 0, on_event, srv)) > 0)
		;
	if (ret < 0 && ret != -ENOBUFS)
		sstp_log("netlink: %s", srv->nl.err);
	if (srv->nl.overrun)
		resync_tunnels(srv);
}

static void reap_children(struct server *srv)
{
	struct session *s;
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (s = srv->sessions; s; s = s->next) {
			if (s->call.pppd == pid) {
				session_pppd_exited(s, status);
				break;
			}
		}
	}
}

static void stop(struct server *srv)
{
	unsigned int live = 0;
	struct session *s;

	if (srv->stopping)
		return;
	/* Ended sessions wait in the list until their pppd is reaped. */
	for (s = srv->sessions; s; s = s->next)
		live += s->state != S_DEAD;
	sstp_log("stopping: disconnecting %u sessions", live);
	srv->stopping = true;
	for (s = srv->sessions; s; s = s->next)
		session_shutdown(s);
}

static void on_signal(struct server *srv, int sfd)
{
	struct signalfd_siginfo si;

	while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGCHLD)
			reap_children(srv);
		else
			stop(srv);
	}
}

/* Fire expired timers, free dead sessions; returns ms to the next timer. */
static int run_timers(struct server *srv)
{
	struct session **pp = &srv->sessions, *s;
	long long now = sstp_now_ms(), next = -1, carrier;

	sstp_status_timers(srv, now);
	if (srv->status_readers)
		next = 1000;	/* their deadlines, roughly */
	while ((s = *pp)) {
		if (s->deadline && s->deadline <= now)
			session_timeout(s);
		/* The userspace carrier's keepalive (sstp.ko keeps its own). */
		carrier = sstp_call_user_timer(&s->call, now);
		if (carrier && (next < 0 || carrier - now < next))
			next = carrier - now;
		if (s->state == S_DEAD && s->call.pppd <= 0) {
			*pp = s->next;
			srv->nsessions--;
			session_free(s);
			continue;
		}
		if (s->deadline && (next < 0 || s->deadline - now < next))
			next = s->deadline - now;
		pp = &s->next;
	}
	return next < 0 ? -1 : (int)(next > 0 ? next : 0);
}

static void dispatch(struct server *srv, struct epoll_event *ev, int sfd)
{
	struct ep_item *it = ev->data.ptr;

	switch (it->kind) {
	case EP_LISTENER:
		on_accept(srv, it->fd);
		break;
	case EP_NETLINK:
		on_netlink(srv);
		break;
	case EP_SIGNAL:
		on_signal(srv, sfd);
		break;
	case EP_SESSION:
		session_io(it->ptr);
		break;
	case EP_CTL:
		session_ctl_io(it->ptr);
		break;
	case EP_CARRIER:
		session_carrier_io(it->ptr);
		break;
	case EP_STATUS:
		sstp_status_accept(srv);
		break;
	case EP_STATUS_READER:
		sstp_status_write(srv, it->ptr);
		break;
	}
}

/*
 * A pppd waiting for our answer (its plugin's request), the kernel's news
 * of a tunnel and the signals go before the sockets of new clients: in a
 * burst of arrivals one turn of the loop may run dozens of TLS handshake
 * steps, and those calls that are already further along should not wait
 * behind them. Each event is still dispatched once, and sessions are freed
 * only between turns (run_timers()).
 */
static bool answers_first(const struct epoll_event *ev)
{
	const struct ep_item *it = ev->data.ptr;

	return it->kind == EP_CTL || it->kind == EP_NETLINK ||
	       it->kind == EP_SIGNAL;
}

/*
 * While stopping: whether to wait on. Each session that ended gives the
 * rest STOP_GRACE_MS more, their Disconnect deadlines included. The first
 * call comes after stop() has sent every Disconnect, which takes a while
 * with thousands: so each client's time counts from the last one sent.
 */
static bool stop_waits(struct server *srv, long long *stop_by,
		       unsigned int *left)
{
	long long now = sstp_now_ms();
	struct session *s;

	if (!srv->sessions)
		return false;
	if (!*stop_by || srv->nsessions < *left) {
		*left = srv->nsessions;
		*stop_by = now + STOP_GRACE_MS;
		for (s = srv->sessions; s; s = s->next)
			if (s->state == S_CLOSING && s->deadline < *stop_by)
				s->deadline = *stop_by;
	}
	return now < *stop_by;
}

/* The stopping server's wait is over: every session still open ends. */
static void give_up(struct server *srv)
{
	struct session *s;

	for (s = srv->sessions; s; s = s->next)
		session_end(s, s->state == S_CLOSING ?
			    "no Disconnect Ack in time" : "server stopping");
}

static int serve_loop(struct server *srv, int sfd)
{
	struct epoll_event evs[64];
	long long stop_by = 0;
	unsigned int left = 0;
	int n, i, timeout;

	for (;;) {
		if (srv->nl.queue_count || srv->nl.overrun)
			on_netlink(srv);
		/* Before the timers: it may move Disconnect deadlines on. */
		if (srv->stopping && !stop_waits(srv, &stop_by, &left)) {
			give_up(srv);
			return 0;
		}
		timeout = run_timers(srv);
		if (srv->stopping)
			timeout = timeout < 0 || timeout > 100 ? 100 : timeout;
		n = epoll_wait(srv->epfd, evs, 64, timeout);
		if (n < 0 && errno != EINTR) {
			sstp_log("epoll_wait: %s", strerror(errno));
			return 1;
		}
		/* Answers first, then new work: see answers_first(). */
		for (i = 0; i < n; i++)
			if (answers_first(&evs[i]))
				dispatch(srv, &evs[i], sfd);
		for (i = 0; i < n; i++)
			if (!answers_first(&evs[i]))
				dispatch(srv, &evs[i], sfd);
	}
}

/* TLS here: the context, the key log if asked for, our certificate's hashes. */
static int ours_with_tls(struct server *srv, char *err, size_t errlen)
{
	const struct sstp_server_config *c = &srv->cfg;
	const struct sstp_tls_conf tls = {
		.link = &c->link,
		.certificate = c->certificate,
		.private_key = c->private_key,
		.ca = c->ca,
		.verify_peer = c->verify_client_certificate,
	};

	srv->tls = sstp_tls_server_ctx(&tls, err, errlen);
	if (!srv->tls)
		return -1;
	if (srv->cfg.link.anonymous_dh) {
		sstp_cert_hashes_anonymous(&srv->cert);
		sstp_log("warning: certificate = none: TLS with anonymous "
			 "Diffie-Hellman; clients cannot tell this server from "
			 "a man in the middle (anonymous-dh = yes)");
		return 0;
	}
	if (sstp_cert_hashes_from_x509(&srv->cert,
				       SSL_CTX_get0_certificate(srv->tls))) {
		snprintf(err, errlen, "cannot hash the server certificate");
		return -1;
	}
	return 0;
}

/* TLS in a proxy in front: clients bind to its certificate's hashes. */
static int ours_behind_proxy(struct server *srv, char *err, size_t errlen)
{
	const struct sstp_server_config *c = &srv->cfg;

	memset(&srv->cert, 0, sizeof(srv->cert));
	if ((c->cert_hash_sha256[0] &&
	     sstp_cert_hashes_parse(&srv->cert, SSTP_HASH_SHA256,
				    c->cert_hash_sha256, err, errlen)) ||
	    (c->cert_hash_sha1[0] &&
	     sstp_cert_hashes_parse(&srv->cert, SSTP_HASH_SHA1,
				    c->cert_hash_sha1, err, errlen)))
		return -1;
	sstp_log("plain-http = yes: no TLS here; the SSTP stream must reach "
		 "us from a TLS proxy over a trusted network");
	return 0;
}

/*
 * use-radius: radius.so's files, written once for every pppd to read
 * (radius.c); removed when serve ends.
 */
static int radius_files(struct server *srv, char *err, size_t errlen)
{
	const struct sstp_server_config *c = &srv->cfg;

	if (!c->use_radius)
		return 0;
	if (sstp_radius_files_write(&srv->radius, SSTP_RADIUS_PARENT,
				    &c->radius, c->radius_accounting, err,
				    errlen))
		return -1;
	sstp_log("RADIUS: users without a [user] section are asked of "
		 "%s:%lu%s (radius.so, files in %s)", c->radius.address,
		 c->radius.authentication_port, c->radius_accounting ?
		 ", accounting too" : ", no accounting", srv->radius.dir);
	return 0;
}

/*
 * Each session holds two descriptors (its TCP socket, its pppd's control
 * socket), and the server a few dozen of its own (listeners, netlink,
 * status readers). The usual soft limit of 1,024 would refuse accept()
 * at about 500 sessions, under the default max-sessions of 1,000: raise
 * the limit to what max-sessions needs, the hard one too where we may.
 */
#define FDS_PER_SESSION 2
#define FDS_OF_OUR_OWN 64

static void raise_fd_limit(const struct server *srv)
{
	rlim_t need = (rlim_t)srv->cfg.max_sessions * FDS_PER_SESSION +
		      FDS_OF_OUR_OWN;
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_cur >= need)
		return;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < need) {
		struct rlimit both = { need, need };

		/* Root (CAP_SYS_RESOURCE) may, up to fs.nr_open. */
		if (!setrlimit(RLIMIT_NOFILE, &both))
			return;
	}
	rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= need ?
		      need : rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_cur < need)
		sstp_log("warning: max-sessions = %lu needs %llu file "
			 "descriptors, and %llu is all this process may open: "
			 "about %llu sessions at most (raise LimitNOFILE or "
			 "ulimit -n, or lower max-sessions)",
			 srv->cfg.max_sessions, (unsigned long long)need,
			 (unsigned long long)rl.rlim_max,
			 (unsigned long long)(rl.rlim_max > FDS_OF_OUR_OWN ?
			 (rl.rlim_max - FDS_OF_OUR_OWN) / FDS_PER_SESSION : 0));
}

/* sstp.ko's family: one socket for the events, one for the requests. */
static int open_netlink(struct server *srv, struct ep_item *nl_item,
			char *err, size_t errlen)
{
	struct epoll_event ev = { .events = EPOLLIN };

	if (sstp_genl_open(&srv->nl) || sstp_genl_open(&srv->nl_req)) {
		snprintf(err, errlen, "%s",
			 srv->nl.err[0] ? srv->nl.err : srv->nl_req.err);
		return -1;
	}
	/*
	 * Room for a burst of events from every session at once: the kernel
	 * sends each tunnel at most 16 control packets and one TUNNEL_DOWN,
	 * about 1 KB each (netlink-buffer, default 8 MB).
	 */
	if (sstp_genl_set_rcvbuf(&srv->nl, srv->cfg.netlink_buffer))
		sstp_log("%s", srv->nl.err);
	*nl_item = (struct ep_item){ EP_NETLINK, srv, sstp_genl_fd(&srv->nl) };
	ev.data.ptr = nl_item;
	epoll_ctl(srv->epfd, EPOLL_CTL_ADD, nl_item->fd, &ev);
	srv->nl_open = true;
	return 0;
}

static int setup(struct server *srv, struct ep_item *nl_item,
		 struct ep_item *sig_item, int *sfd, char *err, size_t errlen)
{
	struct epoll_event ev = { .events = EPOLLIN };
	sigset_t mask;

	if (srv->cfg.plain_http) {
		if (ours_behind_proxy(srv, err, errlen))
			return -1;
	} else if (ours_with_tls(srv, err, errlen)) {
		return -1;
	}
	raise_fd_limit(srv);
	if (server_pools_open(&srv->pools, srv->cfg.pools, err, errlen))
		return -1;
	if (radius_files(srv, err, errlen))
		return -1;
	if (srv->cfg.rate_count &&
	    !(srv->limit = sstp_ratelimit_new(srv->cfg.rate_count,
					      srv->cfg.rate_period * 1000))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	srv->epfd = epoll_create1(EPOLL_CLOEXEC);
	/*
	 * datapath = user: every call is the helper's, sstp.ko is not
	 * needed; auto: without sstp.ko every call is the helper's too.
	 */
	if (srv->cfg.link.datapath == SSTP_DATAPATH_USER) {
		sstp_log("datapath user: the helper carries every call, pppd on "
			 "a pty (sstp.ko is not used)");
	} else if (open_netlink(srv, nl_item, err, errlen)) {
		if (srv->cfg.link.datapath == SSTP_DATAPATH_KERNEL)
			return -1;
		sstp_log("datapath auto: sstp.ko is not available (%s): the "
			 "helper carries every call, pppd on a pty", err);
		sstp_genl_close(&srv->nl);
		sstp_genl_close(&srv->nl_req);
		err[0] = '\0';
	}

	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	*sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	*sig_item = (struct ep_item){ EP_SIGNAL, srv, *sfd };
	ev.data.ptr = sig_item;
	epoll_ctl(srv->epfd, EPOLL_CTL_ADD, *sfd, &ev);
	signal(SIGPIPE, SIG_IGN);
	if (sstp_status_listen(srv, err, errlen))
		return -1;
	return add_listeners(srv, err, errlen);
}


/* Every session freed, every resource of the server released. */
static void cleanup(struct server *srv)
{
	while (srv->sessions) {
		struct session *s = srv->sessions;

		srv->sessions = s->next;
		session_free(s);
	}
	sstp_status_close(srv);
	sstp_genl_close(&srv->nl);
	sstp_genl_close(&srv->nl_req);
	SSL_CTX_free(srv->tls);
	server_pools_close(&srv->pools);
	sstp_ratelimit_free(srv->limit);
	sstp_radius_files_remove(&srv->radius);
	if (srv->epfd >= 0)
		close(srv->epfd);
}

int sstp_server_run(struct server *srv)
{
	struct ep_item nl_item, sig_item;
	char err[512];
	int sfd = -1, ret;

	srv->epfd = -1;
	srv->status_fd = -1;
	srv->plugin = srv->cfg.plugin[0] ? srv->cfg.plugin :
		      sstp_pppd_default_plugin();
	if (setup(srv, &nl_item, &sig_item, &sfd, err, sizeof(err))) {
		sstp_log("%s", err);
		ret = 1;
	} else {
		ret = serve_loop(srv, sfd);
	}
	cleanup(srv);
	if (sfd >= 0)
		close(sfd);
	return ret;
}
