// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * client-ppp.c - the client's pppd: its command line (we authenticate to
 * the server, not it to us), what its plugin says, and its end.
 */

#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "client/connection.h"
#include "common/log.h"

#define DEMAND_HOLDOFF_S	2	/* dial-on-demand: rest after a loss */

static void refuse_methods(struct sstp_argv *b, unsigned int a)
{
	sstp_argv_add(b, "noauth");
	sstp_argv_add(b, "refuse-eap");
	if (!(a & SSTP_AUTH_BIT_PAP))
		sstp_argv_add(b, "refuse-pap");
	if (!(a & SSTP_AUTH_BIT_CHAP))
		sstp_argv_add(b, "refuse-chap");
	if (!(a & SSTP_AUTH_BIT_MSCHAP1))
		sstp_argv_add(b, "refuse-mschap");
	if (!(a & SSTP_AUTH_BIT_MSCHAP2))
		sstp_argv_add(b, "refuse-mschap-v2");
}

static void build_args(struct sstp_argv *b, int ctl_fd, void *arg)
{
	const struct client *c = arg;
	const struct sstp_client_config *cfg = c->cfg;

	sstp_argv_start(b, cfg->pppd, cfg->plugin[0] ? cfg->plugin :
			sstp_pppd_default_plugin(),
			cfg->dial_on_demand ? SSTP_PPPD_DIAL : c->call.channel,
			ctl_fd);
	if (cfg->dial_on_demand) {
		/* demand implies persist; never give up, come back soon. */
		sstp_argv_add(b, "demand");
		sstp_argv_add(b, "maxfail");
		sstp_argv_add(b, "0");
		sstp_argv_add(b, "holdoff");
		sstp_argv_add(b, "%d", DEMAND_HOLDOFF_S);
	}
	if (cfg->idle_timeout) {
		sstp_argv_add(b, "idle");
		sstp_argv_add(b, "%lu", cfg->idle_timeout);
	}
	sstp_argv_add(b, "user");
	sstp_argv_add(b, "%s", cfg->user);
	/* We authenticate to the server, not it to us. */
	refuse_methods(b, cfg->link.authentication);
	sstp_argv_add(b, "noipdefault");
	sstp_argv_link(b, &cfg->link, "client-%d", (int)getpid());
	if (cfg->add_default_route) {
		/* pppd puts the old default route back when it exits. */
		sstp_argv_add(b, "defaultroute");
		sstp_argv_add(b, "replacedefaultroute");
	} else {
		sstp_argv_add(b, "nodefaultroute");
	}
	if (cfg->use_peer_dns)
		sstp_argv_add(b, "usepeerdns");
	/* pppd's demand mode wants fixed link-local identifiers for
	 * IPv6CP before any call: dial-on-demand is IPv4 only. */
	if (!cfg->link.ipv6 || cfg->dial_on_demand)
		sstp_argv_add(b, "noipv6");
	if (cfg->name[0]) {
		sstp_argv_add(b, "ifname");
		sstp_argv_add(b, "%s", cfg->name);
	}
	/* ip-up and ip-down scripts get the connection's name as $6. */
	sstp_argv_add(b, "ipparam");
	sstp_argv_add(b, "%s", cfg->name[0] ? cfg->name : cfg->connect_to);
}

int client_start_pppd(struct client *c)
{
	char err[256];

	if (sstp_call_start_pppd(&c->call, build_args, c,
				 (epoll_data_t){ .u32 = EV_PLUGIN }, err,
				 sizeof(err))) {
		client_fail(c, SSTP_EXIT_LOCAL, "%s", err);
		return -1;
	}
	return 0;
}

/* dial-on-demand: the channel of the call to pppd's "dial", or "no". */
void client_answer_dial(struct client *c, bool ok)
{
	char index[16];

	if (!c->dial_pending || c->call.ctl < 0)
		return;
	c->dial_pending = false;
	snprintf(index, sizeof(index), "%u", c->call.channel);
	if (ok)
		sstp_ctl_reply(c->call.ctl, SSTP_CTL_CHANNEL, index);
	else
		sstp_ctl_reply(c->call.ctl, SSTP_CTL_NO_CHANNEL, NULL);
}

static void on_plugin_msg(void *arg, const struct sstp_ctl_msg *m)
{
	struct client *c = arg;
	struct sstp_call *call = &c->call;

	switch (m->kind) {
	case SSTP_CTL_PASSWORD_REQ:
		sstp_ctl_reply(call->ctl, SSTP_CTL_PASSWORD, c->cfg->password);
		break;
	case SSTP_CTL_DIAL_REQ:
		client_dial(c);
		break;
	case SSTP_CTL_HANGUP_MSG:
		if (c->state == C_PPP || c->state == C_UP)
			client_disconnect(c, SSTP_EXIT_OK, "pppd let the link go");
		break;
	case SSTP_CTL_AUTH_UP:
		snprintf(call->method, sizeof(call->method), "%s", m->method);
		break;
	case SSTP_CTL_AUTH_REFUSED:
		if (c->state != C_PPP_ENDING)
			sstp_call_send_status(call, SSTP_MSG_CALL_DISCONNECT,
					      SSTP_STATUS_NO_ERROR);
		client_fail(c, SSTP_EXIT_AUTH, "authentication failed: the "
			    "server refused user %s (%s)", c->cfg->user,
			    m->method);
		break;
	case SSTP_CTL_KEYS_UP:
		client_send_binding(c, m);
		break;
	case SSTP_CTL_IP_UP_MSG:
		snprintf(call->ifname, sizeof(call->ifname), "%s", m->ifname);
		snprintf(call->local, sizeof(call->local), "%s", m->local);
		snprintf(call->remote, sizeof(call->remote), "%s", m->remote);
		sstp_log("%s up: local %s, remote %s", m->ifname, m->local,
			 m->remote);
		break;
	default:
		break;
	}
}

void client_on_plugin(struct client *c)
{
	sstp_call_plugin_io(&c->call, on_plugin_msg, c);
}

void client_on_pppd_exit(struct client *c, int status)
{
	char why[128];

	c->call.pppd = 0;
	if (WIFEXITED(status) &&
	    WEXITSTATUS(status) == SSTP_PPPD_AUTH_TOPEER_FAILED) {
		if (c->state != C_PPP_ENDING)
			sstp_call_send_status(&c->call, SSTP_MSG_CALL_DISCONNECT,
					      SSTP_STATUS_NO_ERROR);
		client_fail(c, SSTP_EXIT_AUTH, "authentication failed: the server "
			    "refused user %s", c->cfg->user);
		return;
	}
	if (c->state == C_PPP_ENDING) {
		client_fail(c, c->pending_code, "%s", c->pending_why);
		return;
	}
	sstp_pppd_describe_exit(status, why, sizeof(why));
	client_disconnect(c, c->state == C_UP ? SSTP_EXIT_LOST : SSTP_EXIT_LOCAL,
			  why);
}
