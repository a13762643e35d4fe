/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pppd.h - running pppd on an sstp.ko channel, with sstp-pppd.so talking
 * back over a socketpair (plugin-ctl.h, ctl-msg.h).
 */
#ifndef SSTP_PPPD_H
#define SSTP_PPPD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sys/types.h>

struct sstp_link_conf;

#define SSTP_PPPD_MAX_ARGS 64

/* pppd's command line, built in one buffer. */
struct sstp_argv {
	char *argv[SSTP_PPPD_MAX_ARGS + 1];
	char store[4096];
	size_t used;
	int argc;
	bool overflow;		/* an argument did not fit: refuse to run */
};

void sstp_argv_add(struct sstp_argv *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * pppd, on sstp.ko's @channel with our @plugin talking on @ctl_fd; with
 * @channel SSTP_PPPD_DIAL, pppd asks for a channel when it wants one
 * (dial-on-demand: the plugin's "dial"). The plugin waits up to
 * @ctl_timeout seconds for an answer (the call's negotiation-timeout;
 * 0: the plugin's default).
 */
#define SSTP_PPPD_DIAL	UINT32_MAX
/* No channel of sstp.ko's: pppd runs on a tty (the userspace data path). */
#define SSTP_PPPD_TTY	(UINT32_MAX - 1)
void sstp_argv_start(struct sstp_argv *b, const char *pppd,
		     const char *plugin, uint32_t channel, int ctl_fd,
		     unsigned long ctl_timeout);
/*
 * The userspace data path: pppd on the pty @tty, through the kernel's
 * async HDLC, with our plugin for the helper's messages only.
 */
void sstp_argv_start_tty(struct sstp_argv *b, const char *pppd,
			 const char *plugin, const char *tty, int ctl_fd,
			 unsigned long ctl_timeout);
/* pppd's tty, anywhere on its command line: @tty, with no modem lines. */
void sstp_argv_tty(struct sstp_argv *b, const char *tty);
/* The same without pppd's name: after other plugins (radius.so). */
void sstp_argv_our_plugin(struct sstp_argv *b, const char *plugin,
			  uint32_t channel, int ctl_fd,
			  unsigned long ctl_timeout);

/*
 * What both ends ask of pppd for @l: no compression, max-mtu/max-mru,
 * and with an mrru, multilink in a bundle of its own, named
 * "sstp-<@bundle_fmt...>" (unique on this machine).
 */
void sstp_argv_link(struct sstp_argv *b, const struct sstp_link_conf *l,
		    const char *bundle_fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Both roles end a call by deleting its tunnel: pppd reads the hangup and
 * ends by itself, running its ip-down scripts. It gets this long before a
 * SIGTERM, and as long again before a SIGKILL.
 */
#define SSTP_PPPD_HANGUP_MS	3000

/*
 * Run pppd as @b says, with ctl_fds[1] (the plugin's end of the control
 * socketpair, named in @b by "sstp-ctl-fd") inherited and then closed
 * here; ctl_fds[0] is made non-blocking. 0 with *pid, or -1 with @err.
 */
int sstp_pppd_spawn(struct sstp_argv *b, int ctl_fds[2], pid_t *pid,
		    char *err, size_t errlen);

/* pppd(8), "EXIT STATUS": we failed to authenticate to the peer. */
#define SSTP_PPPD_AUTH_TOPEER_FAILED	19

/*
 * How pppd ended, from its waitpid() status, for a log line: "pppd
 * exited: authentication failed (11)", "pppd killed by signal 9 (Killed)".
 */
void sstp_pppd_describe_exit(int wstatus, char *buf, size_t size);

/* sstp-pppd.so beside our own binary (a build tree), else pppd's dir. */
const char *sstp_pppd_default_plugin(void);

#endif /* SSTP_PPPD_H */
