// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pppd.c - running pppd at either end: its command line, the spawn, what
 * its exit status means. What each role asks of it is the role's
 * (client/client-call.c, server/session-ppp.c).
 *
 * pppd runs in the foreground of its own process (nodetach), so the
 * helper learns of its end from SIGCHLD. The server's options come from
 * the configuration: the authentication methods to require, MTU/MRU/MRRU,
 * the default profile's address, DNS servers and timeouts. What depends
 * on the user comes once the user is known: passwords ("secret"), never
 * on a command line, and the addresses and the user's profile
 * ("address": the user's own address, the profile's, or one of its pool).
 */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/link.h"
#include "ppp/pppd.h"

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
		     const char *plugin, uint32_t channel, int ctl_fd,
		     unsigned long ctl_timeout)
{
	sstp_argv_add(b, "%s", pppd);
	sstp_argv_our_plugin(b, plugin, channel, ctl_fd, ctl_timeout);
}

void sstp_argv_tty(struct sstp_argv *b, const char *tty)
{
	sstp_argv_add(b, "%s", tty);
	/* A pty has no modem lines to wait for. */
	sstp_argv_add(b, "local");
}

void sstp_argv_start_tty(struct sstp_argv *b, const char *pppd,
			 const char *plugin, const char *tty, int ctl_fd,
			 unsigned long ctl_timeout)
{
	sstp_argv_add(b, "%s", pppd);
	sstp_argv_tty(b, tty);
	sstp_argv_our_plugin(b, plugin, SSTP_PPPD_TTY, ctl_fd, ctl_timeout);
}

void sstp_argv_our_plugin(struct sstp_argv *b, const char *plugin,
			    uint32_t channel, int ctl_fd,
			    unsigned long ctl_timeout)
{
	sstp_argv_add(b, "plugin");
	sstp_argv_add(b, "%s", plugin);
	if (channel == SSTP_PPPD_DIAL) {
		sstp_argv_add(b, "sstp-dial");
	} else if (channel != SSTP_PPPD_TTY) {
		sstp_argv_add(b, "sstp-channel");
		sstp_argv_add(b, "%u", channel);
	}
	sstp_argv_add(b, "sstp-ctl-fd");
	sstp_argv_add(b, "%d", ctl_fd);
	if (ctl_timeout) {
		sstp_argv_add(b, "sstp-ctl-timeout");
		sstp_argv_add(b, "%lu", ctl_timeout);
	}
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

