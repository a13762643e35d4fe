// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * session-ppp.c - the server's pppd for a session, and the server's
 * policy it asks for: the options from the configuration (methods to
 * require, MTU/MRU/MRRU, the default profile's address, DNS servers and
 * timeouts), then once the user is known its password ("secret", never on
 * a command line) and its addresses and profile ("address": the user's
 * own address, the profile's, or one of its pool).
 */

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "server/pool.h"
#include "server/radius.h"
#include "server/session.h"

/*
 * @text (an IPv4 address) becomes @s's remote address, reserved in the
 * pool that covers it, if one does, so that nobody else gets it.
 */
int session_hold_remote(struct session *s, const char *text)
{
	struct sstp_pool *pool;
	struct in_addr a;
	int rc;

	if (inet_pton(AF_INET, text, &a) != 1)
		return -EINVAL;
	pool = server_pool_holding(&s->srv->pools, a);
	if (pool) {
		rc = sstp_pool_reserve(pool, a);
		if (rc)
			return rc;
		s->pool = pool;
	}
	snprintf(s->call.remote, sizeof(s->call.remote), "%s", text);
	return 0;
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

	if (s->call.remote[0])
		return 0;
	if (u && u->remote_address[0])
		return hold_own_address(s, u->remote_address, err, errlen);
	if (want[0] && inet_pton(AF_INET, want, &a) == 1) {
		snprintf(s->call.remote, sizeof(s->call.remote), "%s", want);
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
	inet_ntop(AF_INET, &a, s->call.remote, sizeof(s->call.remote));
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

/*
 * use-radius: radius.so, loaded before our plugin, installs its auth and
 * address hooks as it loads; ours go in when "sstp-ctl-fd" is read and
 * chain to them (pppd-plugin/auth.c): local users first, then RADIUS.
 */
static void start_args(struct session *s, struct sstp_argv *b, int ctl_fd)
{
	const struct server *srv = s->srv;

	sstp_argv_add(b, "%s", srv->cfg.pppd);
	if (s->call.uc)
		sstp_argv_tty(b, s->call.pty_name);
	if (srv->radius.conf[0]) {
		sstp_argv_add(b, "plugin");
		sstp_argv_add(b, SSTP_RADIUS_PLUGIN);
		sstp_argv_add(b, "radius-config-file");
		sstp_argv_add(b, "%s", srv->radius.conf);
	}
	sstp_argv_our_plugin(b, srv->plugin, s->call.uc ? SSTP_PPPD_TTY :
			     s->call.channel, ctl_fd,
			     srv->cfg.negotiation_timeout);
}

static void build_args(struct sstp_argv *b, int ctl_fd, void *arg)
{
	struct session *s = arg;
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

int session_start_pppd(struct session *s, char *err, size_t errlen)
{
	s->ep_ctl = (struct ep_item){ EP_CTL, s, -1 };
	if (sstp_call_start_pppd(&s->call, build_args, s,
				 (epoll_data_t){ .ptr = &s->ep_ctl }, err, errlen))
		return -1;
	s->ep_ctl.fd = s->call.ctl;
	sstp_debug("#%u: pppd %d on channel %u", s->serial, s->call.pppd,
		   s->call.channel);
	return 0;
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
int session_answer_address(struct session *s, const char *user)
{
	const struct sstp_server_config *c = &s->srv->cfg;
	const struct sstp_user *u = sstp_server_find_user(c, user);
	const struct sstp_profile *p = sstp_server_user_profile(c, u);
	/* Room for every field at its longest; hex-encoded, it fits a
	 * control message (SSTP_CTL_MAX_MSG). */
	char err[512], value[400];

	if (pick_remote(s, u, p, err, sizeof(err))) {
		sstp_call_log(&s->call, "no address for user %s: %s", user, err);
		sstp_ctl_reply(s->call.ctl, SSTP_CTL_NO_ADDRESS, NULL);
		return -1;
	}
	format_address(value, sizeof(value), s->call.remote, u, p);
	sstp_debug("#%u: remote address %s for user %s, profile %s", s->serial,
		   s->call.remote, user, p ? p->name : "default (none given)");
	if (sstp_ctl_reply(s->call.ctl, SSTP_CTL_ADDRESS, value))
		sstp_debug("#%u: plugin reply failed", s->serial);
	return 0;
}

/*
 * "secret <user>": the server end verifies a user. A local user is
 * verified with its password, whatever RADIUS would say (MikroTik's
 * order); with use-radius, "no-secret" hands any other to RADIUS.
 */
void session_answer_secret(struct session *s, const char *user)
{
	const struct sstp_user *u = sstp_server_find_user(&s->srv->cfg, user);

	if (!u) {
		if (s->srv->cfg.use_radius)
			sstp_call_log(&s->call, "user '%s' is not local: "
				      "asking RADIUS", user);
		else
			sstp_call_log(&s->call, "unknown user '%s'", user);
		sstp_ctl_reply(s->call.ctl, SSTP_CTL_NO_SECRET, NULL);
		return;
	}
	if (sstp_ctl_reply(s->call.ctl, SSTP_CTL_SECRET, u->password))
		sstp_debug("#%u: plugin reply failed", s->serial);
}
