// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * connect.c - `sstp-helper connect`: read the settings (a config file,
 * then flags over it), check them, run the client, exit with its code.
 */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client/client-config.h"
#include "client/client.h"
#include "common/config.h"
#include "common/log.h"
#include "sstp-helper.h"

static void connect_usage(FILE *out)
{
	fprintf(out,
"usage: sstp-helper connect [SERVER[:PORT]] [--config FILE] [--OPTION VALUE]...\n"
"\n"
"Connect to an SSTP server and bring up a ppp interface through it, with\n"
"the data path in sstp.ko and pppd negotiating LCP, authentication and IPCP.\n"
"Stays in the foreground; SIGINT or SIGTERM disconnects.\n"
"\n"
"Options (MikroTik RouterOS names; in a config file, as KEY = VALUE under\n"
"[client]; flags override the file):\n"
"  connect-to HOST          the server (or the first argument, HOST[:PORT])\n"
"  port N                   TCP port (443)\n"
"  user NAME                the PPP user name\n"
"  password-file FILE       the password: first line of FILE, - for stdin\n"
"  password PASS            the password itself (visible to other users of\n"
"                           this machine while it starts: prefer the file)\n"
"  ca FILE|DIR              CAs for the server's certificate (system store)\n"
"  verify-server-certificate yes|no                                (yes)\n"
"  verify-server-address-from-certificate yes|no  host name or IP  (yes)\n"
"  certificate FILE         a client certificate (PEM), with private-key FILE\n"
"  tls-version any|only-1.2|only-1.3                               (any)\n"
"  pfs required|yes|no      TLS 1.2 without forward secrecy allowed?\n"
"                           (required: ECDHE only)              (required)\n"
"  ciphers LIST             TLS suites in order: aes128-gcm-sha256,\n"
"                           aes256-gcm-sha384, chacha20-poly1305, or\n"
"                           OpenSSL names (all three, in that order)\n"
"  datapath auto|kernel|user  what carries the frames: sstp.ko, or this\n"
"                           helper with pppd on a pty (no module needed);\n"
"                           auto: sstp.ko if it is there and runs the\n"
"                           call's cipher                          (auto)\n"
"  authentication LIST      of pap,chap,mschap1,mschap2             (all)\n"
"  keepalive-timeout SECS   echo after SECS of silence, down after 2x  (60)\n"
"  max-mtu N, max-mru N     PPP MTU and MRU                         (1500)\n"
"  mrru N|disabled          PPP multilink: packets up to N bytes (1500 to\n"
"                           16384) pass in pieces of max-mtu   (disabled)\n"
"  add-default-route yes|no default route through the tunnel, the route\n"
"                           to the server kept outside it            (no)\n"
"  use-peer-dns yes|no      take the server's DNS servers (pppd usepeerdns)\n"
"  ipv6 yes|no              negotiate IPv6CP (link-local addresses)    (yes)\n"
"  name IFNAME              the interface name (sstp-out1); also ipparam\n"
"  negotiation-timeout SECS call set-up limit                       (60)\n"
"  reconnect yes|no         try again after a loss, waiting 1, 2, 4 ... s (no)\n"
"  dial-on-demand yes|no    bring the interface up at once, connect only\n"
"                           when traffic is sent through it, and again\n"
"                           after the link goes (pppd demand; IPv4 only) (no)\n"
"  idle-timeout SECS        hang up after SECS without traffic (pppd idle;\n"
"                           with dial-on-demand the next packet redials) (0)\n"
"  reconnect-max-delay SECS the longest wait between tries          (60)\n"
"  http-proxy [http://][USER[:PASSWORD]@]HOST:PORT  through an HTTP proxy\n"
"  http-proxy-password-file FILE  the proxy's password: first line of FILE\n"
"                           (CONNECT; Basic authentication if it asks)\n"
"  pppd PATH, plugin PATH   which pppd and sstp-pppd.so to run\n"
"  save-server-route yes|no pin the route to the server, as with\n"
"                           add-default-route, for routes pushed later (no)\n"
"  uuid ID                  the SSTPCORRELATIONID to send (a fresh GUID)\n"
"  anonymous-dh yes|no      TLS 1.2 with anonymous Diffie-Hellman and no\n"
"                           certificates, for a MikroTik server with\n"
"                           certificate=none: NOT SAFE, a man in the middle\n"
"                           goes unnoticed; only these suites are offered (no)\n"
"sstpc's spellings work too: --ca-cert FILE, --cert-warn (no verification),\n"
"--user, --password, --server, --proxy, --uuid, --save-server-route, and\n"
"--tls-ext (accepted: SNI is always sent for a host name).\n"
"  --debug                  more log lines\n"
"SSLKEYLOGFILE=PATH in the environment appends the TLS secrets to PATH\n"
"(NSS key log format), so that a capture can be decrypted.\n"
"\n"
"Exit status: 0 disconnected (signal or server), 1 bad configuration,\n"
"2 bad command line, 3 server unreachable, 4 TLS failed or certificate\n"
"refused, 5 SSTP/HTTP refusal or protocol error, 6 authentication failed,\n"
"7 connection lost, 8 local trouble (sstp.ko not loaded, pppd).\n");
}

/* SERVER, SERVER:PORT or [IPV6]:PORT (an IPv6 address alone has no port). */
static int set_server(struct sstp_client_config *c, const char *arg,
		      char *err, size_t errlen)
{
	char buf[sizeof(c->connect_to) + 8], *host, *port;

	if (strlen(arg) >= sizeof(buf)) {
		snprintf(err, errlen, "server name too long");
		return -1;
	}
	snprintf(buf, sizeof(buf), "%s", arg);
	host = sstp_conf_split_host_port(buf, &port);
	if (!host) {
		snprintf(err, errlen, "'%s' is not SERVER[:PORT]", arg);
		return -1;
	}
	if (sstp_client_config_set(c, "connect-to", host, err, errlen))
		return -1;
	return port ? sstp_client_config_set(c, "port", port, err, errlen) : 0;
}

/*
 * A password given as a flag: out of /proc/PID/cmdline at least from now
 * on, with a word on how to keep it out altogether.
 */
static void hide_secret(const char *name, char *value)
{
	char *at = strrchr(value, '@'), *colon;

	if (!strcmp(name, "password")) {
		memset(value, 'x', strlen(value));
		sstp_log("warning: --password is visible to other users "
			 "while it lasts; use --password-file");
		return;
	}
	if (strcmp(name, "http-proxy") && strcmp(name, "proxy"))
		return;
	if (!strncmp(value, "http://", 7))
		value += 7;
	colon = at ? memchr(value, ':', at - value) : NULL;
	if (!colon)
		return;
	memset(colon + 1, 'x', at - colon - 1);
	sstp_log("warning: the proxy password in --%s is visible to other "
		 "users while it lasts; use --http-proxy-password-file", name);
}

/* The flags, over whatever the config file said. */
static int apply_flags(struct sstp_client_config *c, int argc, char **argv,
		       char *err, size_t errlen)
{
	const char *name;
	int i, arity;

	for (i = 1; i < argc; i++) {
		if (strncmp(argv[i], "--", 2)) {
			if (set_server(c, argv[i], err, errlen))
				return -1;
			continue;
		}
		name = argv[i] + 2;
		if (!strcmp(name, "debug"))
			continue;
		if (!strcmp(name, "config")) {
			i++;	/* read already */
			continue;
		}
		arity = sstp_client_flag_arity(name);
		if (arity < 0) {
			snprintf(err, errlen, "unknown option --%s", name);
			return -1;
		}
		if (arity && i + 1 >= argc) {
			snprintf(err, errlen, "--%s needs a value", name);
			return -1;
		}
		if (sstp_client_config_set(c, name, arity ? argv[i + 1] : NULL,
					   err, errlen))
			return -1;
		if (arity)
			hide_secret(name, argv[i + 1]);
		i += arity;
	}
	return 0;
}

/* Worth another try: the server or the path may come back. */
static bool retryable(enum sstp_client_exit code)
{
	return code == SSTP_EXIT_OK || code == SSTP_EXIT_UNREACHABLE ||
	       code == SSTP_EXIT_PROTOCOL || code == SSTP_EXIT_LOST;
}

/* Wait @seconds unless a stop signal comes first; true if one came. */
static bool wait_or_stop(unsigned long seconds)
{
	struct timespec ts = { .tv_sec = (time_t)seconds };
	sigset_t stop;
	int sig;

	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGHUP);
	do
		sig = sigtimedwait(&stop, NULL, &ts);
	while (sig < 0 && errno == EINTR);
	return sig > 0;
}

/*
 * reconnect = yes: after a loss (not after a refusal of our user or
 * certificate, which would only be refused again), try again after 1 s,
 * then 2, 4, ... up to reconnect-max-delay; a call that lasted a minute
 * starts the backoff over.
 */
static int run_with_reconnect(const struct sstp_client_config *cfg)
{
	unsigned long max = cfg->reconnect_max ? cfg->reconnect_max : 1;
	unsigned long delay = 1;
	enum sstp_client_exit code;
	bool stopped = false;
	time_t start;

	for (;;) {
		start = time(NULL);
		code = sstp_client_run(cfg, &stopped);
		if (stopped || !cfg->reconnect || !retryable(code))
			return code;
		if (time(NULL) - start >= 60)
			delay = 1;
		sstp_log("reconnecting in %lu s", delay);
		if (wait_or_stop(delay))
			return SSTP_EXIT_OK;
		delay = delay * 2 > max ? max : delay * 2;
	}
}

int sstp_cmd_connect(int argc, char **argv)
{
	struct sstp_client_config cfg;
	const char *config = NULL;
	char err[512];
	int i, ret;

	sstp_client_config_init(&cfg);
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			connect_usage(stdout);
			return 0;
		}
		if (!strcmp(argv[i], "--debug"))
			sstp_log_debug_on = true;
		if (!strcmp(argv[i], "--config")) {
			if (i + 1 >= argc) {
				connect_usage(stderr);
				return SSTP_EXIT_USAGE;
			}
			config = argv[++i];
		}
	}
	if (config && sstp_client_config_load(&cfg, config, err, sizeof(err))) {
		sstp_log("%s", err);
		sstp_client_config_wipe(&cfg);
		return SSTP_EXIT_CONFIG;
	}
	if (config && cfg.inline_secret &&
	    sstp_conf_exposed(config, err, sizeof(err)))
		sstp_log("%s", err);
	if (apply_flags(&cfg, argc, argv, err, sizeof(err))) {
		sstp_log("%s (see sstp-helper connect --help)", err);
		sstp_client_config_wipe(&cfg);
		return SSTP_EXIT_USAGE;
	}
	if (sstp_client_config_check(&cfg, err, sizeof(err))) {
		sstp_log("%s", err);
		sstp_client_config_wipe(&cfg);
		return SSTP_EXIT_CONFIG;
	}
	ret = run_with_reconnect(&cfg);
	sstp_client_config_wipe(&cfg);
	return ret;
}
