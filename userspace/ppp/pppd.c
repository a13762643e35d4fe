// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pppd.c - running pppd (both ends: its command line, the spawn, what its
 * exit status means), and the server's pppd and its plugin's questions.
 *
 * pppd runs in the foreground of its own process (nodetach), so the
 * helper learns of its end from SIGCHLD. The server's options come from
 * the configuration: the authentication methods to require, MTU/MRU/MRRU,
 * the default profile's address, DNS servers and timeouts. What depends
 * on the user comes once the user is known: passwords ("secret"), never
 * on a command line, and the addresses and the user's profile
 * ("address": the user's own address, the profile's, or one of its pool).
 */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "ppp/ctl-msg.h"
#include "common/log.h"
#include "server/pool.h"
#include "ppp/pppd.h"
#include "server/radius.h"
#include "server/session.h"

void sstp_argv_add(struct sstp_argv *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->argc >= SSTP_PPPD_MAX_ARGS || b->used >= sizeof(b->store)) {
		b->overflow = true;
		return;
	}
	va_start(ap, fmt);
	n = vsnprintf(b->store + b->used, sizeof(b->store) - b->used, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(b->store) - b->used) {
		b->overflow = true;
		return;
	}
	b->argv[b->argc++] = b->store + b->used;
	b->used += n + 1;
}

/* sstp-pppd.so beside our own binary (a build tree), else pppd's dir. */
const char *sstp_pppd_default_plugin(void)
{
	static char path[4096];
	ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 32);
	char *slash;

	if (n > 0) {
		path[n] = '\0';
		slash = strrchr(path, '/');
		if (slash) {
			strcpy(slash + 1, "sstp-pppd.so");
			if (access(path, R_OK) == 0)
				return path;
		}
	}
	return "sstp-pppd.so";
}

/* A user's own address, held in the pool that covers it, if one does. */
static int hold_own_address(struct session *s, const char *text, char *err,
			    size_t errlen)
{
	int rc = session_hold_remote(s, text);

	if (rc == -EINVAL)
		snprintf(err, errlen, "the user's address '%s' is not one", text);
	else if (rc)
		snprintf(err, errlen, "the user's address %s is %s", text,
			 rc == -EADDRINUSE ? "in use" : "not available");
	return rc ? -1 : 0;
}

/*
 * The peer's address: the user's own, else the profile's remote-address
 * (one address, MikroTik's way: every user of the profile gets it; or
 * a pool's name), else the only pool. Once per session: IPCP may restart
 * and ask again.
 */
static int pick_remote(struct session *s, const struct sstp_user *u,
		       const struct sstp_profile *p, char *err, size_t errlen)
{
	const char *want = p ? p->remote_address : "";
	struct sstp_pool *pool;
	struct in_addr a;

	if (s->remote_addr[0])
		return 0;
	if (u && u->remote_address[0])
		return hold_own_address(s, u->remote_address, err, errlen);
	if (want[0] && inet_pton(AF_INET, want, &a) == 1) {
		snprintf(s->remote_addr, sizeof(s->remote_addr), "%s", want);
		return 0;
	}
	pool = want[0] ? server_pool_named(&s->srv->pools, want) :
			 server_only_pool(&s->srv->pools);
	if (!pool) {
		snprintf(err, errlen, "no remote address: set remote-address "
			 "in [profile %s], or have one [pool]",
			 p ? p->name : s->srv->cfg.default_profile);
		return -1;
	}
	if (sstp_pool_alloc(pool, &a)) {
		snprintf(err, errlen, "address pool exhausted%s%s%s",
			 want[0] ? " ([pool " : "", want, want[0] ? "])" : "");
		return -1;
	}
	inet_ntop(AF_INET, &a, s->remote_addr, sizeof(s->remote_addr));
	s->pool = pool;
	return 0;
}

static void auth_args(struct sstp_argv *b, unsigned int methods)
{
	sstp_argv_add(b, "auth");
	if (methods & SSTP_AUTH_BIT_PAP)
		sstp_argv_add(b, "require-pap");
	if (methods & SSTP_AUTH_BIT_CHAP)
		sstp_argv_add(b, "require-chap");
	if (methods & SSTP_AUTH_BIT_MSCHAP1)
		sstp_argv_add(b, "require-mschap");
	if (methods & SSTP_AUTH_BIT_MSCHAP2)
		sstp_argv_add(b, "require-mschap-v2");
	/* EAP is not offered: its keys would need an EAP server in pppd. */
	sstp_argv_add(b, "refuse-eap");
}

static void our_plugin_args(struct sstp_argv *b, const char *plugin,
			    uint32_t channel, int ctl_fd);

/*
 * use-radius: radius.so, loaded before our plugin, installs its auth and
 * address hooks as it loads; ours go in when "sstp-ctl-fd" is read and
 * chain to them (pppd-plugin/auth.c): local users first, then RADIUS.
 */
static void start_args(struct session *s, struct sstp_argv *b, int ctl_fd)
{
	const struct server *srv = s->srv;

	sstp_argv_add(b, "%s", srv->cfg.pppd);
	if (srv->radius.conf[0]) {
		sstp_argv_add(b, "plugin");
		sstp_argv_add(b, SSTP_RADIUS_PLUGIN);
		sstp_argv_add(b, "radius-config-file");
		sstp_argv_add(b, "%s", srv->radius.conf);
	}
	our_plugin_args(b, srv->plugin, s->channel, ctl_fd);
}

static void build_args(struct session *s, struct sstp_argv *b, int ctl_fd)
{
	const struct sstp_server_config *c = &s->srv->cfg;
	const struct sstp_profile *p = sstp_server_find_profile(c, c->default_profile);
	const char *local = p && p->local_address[0] ? p->local_address : "";
	int i;

	start_args(s, b, ctl_fd);
	sstp_argv_add(b, "sstp-ask-address");
	auth_args(b, c->link.authentication);
	/* The peer's address comes once the user is known. */
	if (local[0])
		sstp_argv_add(b, "%s:", local);
	sstp_argv_link(b, &c->link, "%d-%u", (int)getpid(), s->serial);
	sstp_argv_add(b, "nodefaultroute");
	if (!c->link.ipv6)
		sstp_argv_add(b, "noipv6");
	sstp_argv_add(b, "remotenumber");
	sstp_argv_add(b, "%s", s->peer);
	sstp_argv_add(b, "ipparam");
	sstp_argv_add(b, "%s", s->peer);
	for (i = 0; p && i < 2; i++) {
		if (p->dns_server[i][0]) {
			sstp_argv_add(b, "ms-dns");
			sstp_argv_add(b, "%s", p->dns_server[i]);
		}
	}
	if (p && p->idle_timeout) {
		sstp_argv_add(b, "idle");
		sstp_argv_add(b, "%lu", p->idle_timeout);
	}
	if (p && p->session_timeout) {
		sstp_argv_add(b, "maxconnect");
		sstp_argv_add(b, "%lu", p->session_timeout);
	}
}

void sstp_argv_link(struct sstp_argv *b, const struct sstp_link_conf *l,
		    const char *bundle_fmt, ...)
{
	char bundle[64];
	va_list ap;

	/* SSTP frames are never compressed; TLS already encrypts. */
	sstp_argv_add(b, "noccp");
	sstp_argv_add(b, "nopcomp");
	sstp_argv_add(b, "noaccomp");
	sstp_argv_add(b, "novj");
	/*
	 * pppd gives a bundle the smaller of the peer's MRRU and "mtu", so
	 * with an mrru "mtu" must not be less: the link's own MTU is then
	 * sstp.ko's to keep (SSTP_A_MTU), which cuts fragments to max-mtu.
	 */
	sstp_argv_add(b, "mtu");
	sstp_argv_add(b, "%lu", l->mrru > l->max_mtu ? l->mrru : l->max_mtu);
	sstp_argv_add(b, "mru");
	sstp_argv_add(b, "%lu", l->max_mru);
	if (!l->mrru)
		return;
	/*
	 * pppd joins links into one bundle when the peer's name and
	 * endpoint discriminator match an existing one (its tdb is shared
	 * by every pppd of the machine): two users' sessions from behind
	 * one NAT could be joined. A name of our own keeps each alone.
	 */
	va_start(ap, bundle_fmt);
	vsnprintf(bundle, sizeof(bundle), bundle_fmt, ap);
	va_end(ap);
	sstp_argv_add(b, "multilink");
	sstp_argv_add(b, "mrru");
	sstp_argv_add(b, "%lu", l->mrru);
	sstp_argv_add(b, "bundle");
	sstp_argv_add(b, "sstp-%s", bundle);
}

void sstp_argv_start(struct sstp_argv *b, const char *pppd,
		     const char *plugin, uint32_t channel, int ctl_fd)
{
	sstp_argv_add(b, "%s", pppd);
	our_plugin_args(b, plugin, channel, ctl_fd);
}

/* Our plugin and its options, after pppd's name and other plugins. */
static void our_plugin_args(struct sstp_argv *b, const char *plugin,
			    uint32_t channel, int ctl_fd)
{
	sstp_argv_add(b, "plugin");
	sstp_argv_add(b, "%s", plugin);
	if (channel == SSTP_PPPD_DIAL) {
		sstp_argv_add(b, "sstp-dial");
	} else {
		sstp_argv_add(b, "sstp-channel");
		sstp_argv_add(b, "%u", channel);
	}
	sstp_argv_add(b, "sstp-ctl-fd");
	sstp_argv_add(b, "%d", ctl_fd);
	/* In the foreground: its end is our SIGCHLD. */
	sstp_argv_add(b, "nodetach");
}

/*
 * exec keeps the signal mask and ignored signals. Ours block SIGCHLD,
 * SIGTERM and SIGINT (they go to a signalfd) and ignore SIGPIPE: pppd
 * would then ignore SIGTERM and never reap its ip-up scripts.
 */
static void sstp_pppd_child_signals(void)
{
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
}

int sstp_pppd_spawn(struct sstp_argv *b, int ctl_fds[2], pid_t *pid,
		    char *err, size_t errlen)
{
	if (b->overflow) {
		snprintf(err, errlen, "pppd command line too long");
		return -1;
	}
	*pid = fork();
	if (*pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		return -1;
	}
	if (*pid == 0) {
		/* The plugin's end survives exec; everything else of ours not. */
		fcntl(ctl_fds[1], F_SETFD, 0);
		sstp_pppd_child_signals();
		execvp(b->argv[0], b->argv);
		fprintf(stderr, "sstp-helper: cannot run %s: %s\n", b->argv[0],
			strerror(errno));
		_exit(127);
	}
	close(ctl_fds[1]);
	ctl_fds[1] = -1;
	fcntl(ctl_fds[0], F_SETFL, O_NONBLOCK);
	return 0;
}

int sstp_pppd_start(struct session *s, char *err, size_t errlen)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct sstp_argv b = { .argc = 0 };
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv)) {
		snprintf(err, errlen, "socketpair: %s", strerror(errno));
		return -1;
	}
	build_args(s, &b, sv[1]);
	if (sstp_pppd_spawn(&b, sv, &pid, err, errlen)) {
		close(sv[0]);
		if (sv[1] >= 0)
			close(sv[1]);
		return -1;
	}
	s->pppd = pid;
	s->ctl = sv[0];
	s->ep_ctl = (struct ep_item){ EP_CTL, s, s->ctl };
	ev.data.ptr = &s->ep_ctl;
	epoll_ctl(s->srv->epfd, EPOLL_CTL_ADD, s->ctl, &ev);
	sstp_debug("#%u: pppd %d on channel %u", s->serial, pid, s->channel);
	return 0;
}

/* pppd's exit statuses (pppd(8), "EXIT STATUS") in a few words. */
static const char *exit_reason(int status)
{
	switch (status) {
	case 0: return "link terminated";
	case 1: return "fatal error";
	case 2: return "bad options (see pppd's log)";
	case 3: return "not run as root";
	case 4: return "no PPP support in the kernel";
	case 5: return "stopped";
	case 10: return "PPP negotiation failed";
	case 11: return "authentication failed";
	case 12: return "idle timeout";
	case 13: return "session timeout";
	case 15: return "peer not responding to LCP echo";
	case 16: return "link down";
	case SSTP_PPPD_AUTH_TOPEER_FAILED:
		return "authentication to the peer failed";
	default: return "error";
	}
}

void sstp_pppd_describe_exit(int wstatus, char *buf, size_t size)
{
	if (WIFSIGNALED(wstatus))
		snprintf(buf, size, "pppd killed by signal %d (%s)",
			 WTERMSIG(wstatus), strsignal(WTERMSIG(wstatus)));
	else
		snprintf(buf, size, "pppd exited: %s (%d)",
			 exit_reason(WEXITSTATUS(wstatus)), WEXITSTATUS(wstatus));
}

/*
 * The "address" answer (plugin-ctl.h): the peer's address, then the
 * user's profile as key=value words; all of them, so that a profile
 * without DNS servers takes the command line's (the default profile's)
 * away.
 */
static void format_address(char *buf, size_t size, const char *remote,
			   const struct sstp_user *u, const struct sstp_profile *p)
{
	const char *local = u && u->local_address[0] ? u->local_address :
			    p ? p->local_address : "";

	snprintf(buf, size, "%s%s%s dns=%s%s%s idle=%lu session=%lu mtu=%lu",
		 remote, local[0] ? " local=" : "", local,
		 p ? p->dns_server[0] : "",
		 p && p->dns_server[1][0] ? "," : "",
		 p ? p->dns_server[1] : "",
		 p ? p->idle_timeout : 0, p ? p->session_timeout : 0,
		 p ? p->max_mtu : 0);
}

/* "address <user>": the user authenticated, IPCP is about to start. */
int sstp_pppd_answer_address(struct session *s, const char *user)
{
	const struct sstp_server_config *c = &s->srv->cfg;
	const struct sstp_user *u = sstp_server_find_user(c, user);
	const struct sstp_profile *p = sstp_server_user_profile(c, u);
	/* Room for every field at its longest; hex-encoded, it fits a
	 * control message (SSTP_CTL_MAX_MSG). */
	char err[512], value[400];

	if (pick_remote(s, u, p, err, sizeof(err))) {
		sstp_log("#%u %s: no address for user %s: %s", s->serial,
			 s->peer, user, err);
		sstp_ctl_reply(s->ctl, SSTP_CTL_NO_ADDRESS, NULL);
		return -1;
	}
	format_address(value, sizeof(value), s->remote_addr, u, p);
	sstp_debug("#%u: remote address %s for user %s, profile %s", s->serial,
		   s->remote_addr, user, p ? p->name : "default (none given)");
	if (sstp_ctl_reply(s->ctl, SSTP_CTL_ADDRESS, value))
		sstp_debug("#%u: plugin reply failed", s->serial);
	return 0;
}

/*
 * "secret <user>": the server end verifies a user. A local user is
 * verified with its password, whatever RADIUS would say (MikroTik's
 * order); with use-radius, "no-secret" hands any other to RADIUS.
 */
void sstp_pppd_answer_secret(struct session *s, const char *user)
{
	const struct sstp_user *u = sstp_server_find_user(&s->srv->cfg, user);

	if (!u) {
		if (s->srv->cfg.use_radius)
			sstp_log("#%u %s: user '%s' is not local: asking RADIUS",
				 s->serial, s->peer, user);
		else
			sstp_log("#%u %s: unknown user '%s'", s->serial,
				 s->peer, user);
		sstp_ctl_reply(s->ctl, SSTP_CTL_NO_SECRET, NULL);
		return;
	}
	if (sstp_ctl_reply(s->ctl, SSTP_CTL_SECRET, u->password))
		sstp_debug("#%u: plugin reply failed", s->serial);
}
