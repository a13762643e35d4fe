// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * client-call.c - the client's SSTP call (states in client.h): the socket
 * handed to sstp.ko, Call Connect Request, the server's answers, pppd and
 * what its plugin says (we authenticate to the server, not it to us), the
 * crypto binding once pppd has its keys, Call Disconnect.
 */

#include <stdio.h>
#include <stdarg.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "client/connection.h"
#include "common/clock.h"
#include "common/log.h"

/* How long pppd may take to say why a call ended during PPP set-up. */
#define PPP_VERDICT_MS	2000

void client_fail(struct client *c, enum sstp_client_exit code,
		 const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sstp_log("%s", msg);
	if (c->state != C_DONE)
		c->code = code;
	c->state = C_DONE;
}

/* Our netlink socket to sstp.ko, once for the whole run. */
int client_open_netlink(struct client *c)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = EV_NETLINK };

	if (c->nl_open)
		return 0;
	if (sstp_genl_open(&c->nl)) {
		client_fail(c, SSTP_EXIT_LOCAL, "%s (is sstp.ko loaded? modprobe "
			    "sstp)", c->nl.err);
		return -1;
	}
	c->nl_open = true;
	epoll_ctl(c->epfd, EPOLL_CTL_ADD, sstp_genl_fd(&c->nl), &ev);
	return 0;
}

/* add-default-route: the route to the server stays outside the tunnel. */
static int pin_route(struct client *c, int fd)
{
	const struct sstp_client_config *cfg = c->cfg;
	char err[256];

	if ((!cfg->add_default_route && !cfg->save_server_route) || c->pin.added)
		return 0;
	if (sstp_route_pin(fd, &c->pin, err, sizeof(err))) {
		client_fail(c, SSTP_EXIT_LOCAL, "add-default-route: %s", err);
		return -1;
	}
	sstp_log("add-default-route: the route to %s stays outside the tunnel",
		 c->pin.text);
	return 0;
}

int client_start_tunnel(struct client *c, int *fd, SSL **ssl, bool user_path,
			const uint8_t *prefix, size_t prefix_len)
{
	const struct sstp_client_config *cfg = c->cfg;
	struct sstp_ctrl req;
	char err[256];

	if (pin_route(c, *fd))
		return -1;
	sstp_call_note_tls(&c->call, *ssl);
	if (user_path) {
		if (sstp_call_open_user(&c->call, fd, ssl, &cfg->link,
					prefix, prefix_len,
					SSTP_CALL_USER_ID | 1, client_on_event, c,
					(epoll_data_t){ .u32 = EV_CARRIER },
					err, sizeof(err))) {
			client_fail(c, SSTP_EXIT_LOCAL, "%s", err);
			return -1;
		}
		sstp_log("datapath user: the helper carries the call, pppd "
			 "runs on %s", c->call.pty_name);
	} else if (client_open_netlink(c) ||
		   sstp_call_open_tunnel(&c->call, &c->nl, fd, ssl,
					 SSTP_ROLE_CLIENT, SSTP_TRANSPORT_KTLS,
					 &cfg->link, prefix, prefix_len)) {
		if (c->nl_open)
			client_fail(c, SSTP_EXIT_LOCAL, "sstp.ko refused the "
				    "socket: %s", c->nl.err);
		return -1;
	}
	sstp_ctrl_init(&req, SSTP_MSG_CALL_CONNECT_REQUEST);
	if (sstp_call_send(&c->call, &req)) {
		client_fail(c, SSTP_EXIT_LOCAL, "cannot send Call Connect Request");
		return -1;
	}
	c->state = C_CONNECT_SENT;
	c->ip_up = false;
	c->deadline = sstp_now_ms() + (long long)cfg->negotiation_timeout * 1000;
	return 0;
}

/*
 * The negotiation timer runs until the call is bound (C_UP) and IPCP has
 * given us our address (pppd's ip-up), in either order: a call whose IPCP
 * never finishes (IPv6CP alone up) must not stay half up.
 */
static void stop_timer_once_up(struct client *c)
{
	if (c->state == C_UP && c->ip_up)
		c->deadline = 0;
}

static void abort_call(struct client *c, uint32_t status)
{
	sstp_call_send_status(&c->call, SSTP_MSG_CALL_ABORT, status);
}

static void on_connect_ack(struct client *c, const struct sstp_ctrl *ack)
{
	if (!sstp_hash_choose(ack->binding_req.hash_mask)) {
		abort_call(c, SSTP_STATUS_VALUE_NOT_SUPPORTED);
		client_fail(c, SSTP_EXIT_PROTOCOL, "the server offers neither "
			    "SHA-1 nor SHA-256 for the crypto binding");
		return;
	}
	c->req = ack->binding_req;
	if (c->cfg->dial_on_demand)
		client_answer_dial(c, true);
	else if (client_start_pppd(c))
		return;
	c->state = C_PPP;
}

/* Call Disconnect, then wait for its Ack (or the timer). */
void client_disconnect(struct client *c, enum sstp_client_exit code,
		       const char *why)
{
	if (c->state == C_DONE || c->state == C_CLOSING)
		return;
	sstp_log("%s: disconnecting", why);
	c->code = code;
	if (!c->call.tunnel_id) {
		c->state = C_DONE;
		return;
	}
	c->deadline = sstp_call_disconnect(&c->call);
	c->state = C_CLOSING;
}

/*
 * The server ended the call. During PPP set-up the reason may well be our
 * authentication, which the server's pppd refused a moment before: give
 * our pppd (its plugin's "auth-failed", or its exit status) a moment to
 * say so, since that is what the user needs to hear.
 */
static void end_call(struct client *c, enum sstp_client_exit code,
		     const char *why)
{
	if (c->state != C_PPP || c->call.pppd <= 0) {
		client_fail(c, code, "%s", why);
		return;
	}
	c->state = C_PPP_ENDING;
	c->pending_code = code;
	snprintf(c->pending_why, sizeof(c->pending_why), "%s", why);
	c->deadline = sstp_now_ms() + PPP_VERDICT_MS;
}

static const char *reason(const struct sstp_ctrl *msg)
{
	return msg->nstatus ? sstp_status_name(msg->status[0].status) :
	       "no reason given";
}

static void on_ctrl(struct client *c, const uint8_t *pkt, size_t len)
{
	struct sstp_ctrl msg;
	char why[128];

	if (c->state == C_PPP_ENDING)
		return;		/* the call is over; pppd has the word */
	if (sstp_ctrl_decode(pkt, len, &msg)) {
		abort_call(c, msg.err_status ? msg.err_status :
			   SSTP_STATUS_INVALID_FRAME_RECEIVED);
		client_fail(c, SSTP_EXIT_PROTOCOL,
			    "invalid control packet from the server");
		return;
	}
	switch (msg.type) {
	case SSTP_MSG_CALL_CONNECT_ACK:
		if (c->state == C_CONNECT_SENT) {
			on_connect_ack(c, &msg);
			return;
		}
		break;
	case SSTP_MSG_CALL_CONNECT_NAK:
		if (c->state == C_CONNECT_SENT) {
			client_fail(c, SSTP_EXIT_PROTOCOL,
				    "the server refused the call (%s)", reason(&msg));
			return;
		}
		break;
	case SSTP_MSG_CALL_DISCONNECT:
		sstp_call_send_status(&c->call, SSTP_MSG_CALL_DISCONNECT_ACK,
				      SSTP_STATUS_NO_ERROR);
		end_call(c, c->state == C_CLOSING ? c->code : SSTP_EXIT_OK,
			 "the server disconnected");
		return;
	case SSTP_MSG_CALL_DISCONNECT_ACK:
		if (c->state == C_CLOSING) {
			sstp_log("disconnected");
			c->state = C_DONE;
			return;
		}
		break;
	case SSTP_MSG_CALL_ABORT:
		snprintf(why, sizeof(why), "the server aborted the call (%s)",
			 reason(&msg));
		end_call(c, c->state == C_UP ? SSTP_EXIT_LOST : SSTP_EXIT_PROTOCOL,
			 why);
		return;
	default:
		break;
	}
	abort_call(c, SSTP_STATUS_UNACCEPTED_FRAME_RECEIVED);
	client_fail(c, SSTP_EXIT_PROTOCOL, "unexpected %s from the server",
		    sstp_msg_type_name(msg.type));
}

void client_on_event(const struct sstp_event *ev, void *arg)
{
	struct client *c = arg;
	char why[128];

	if (ev->tunnel_id != c->call.tunnel_id || !c->call.tunnel_id)
		return;
	if (ev->cmd == SSTP_CMD_CTRL_RECV) {
		on_ctrl(c, ev->packet, ev->packet_len);
		return;
	}
	c->call.tunnel_id = 0;	/* gone in the kernel: nothing to delete */
	if (c->state == C_PPP_ENDING)
		return;
	snprintf(why, sizeof(why), "connection lost: %s",
		 sstp_down_reason_name(ev->info.down_reason));
	end_call(c, c->state == C_UP ? SSTP_EXIT_LOST : SSTP_EXIT_PROTOCOL, why);
}

/* pppd's keys are in: Call Connected with the Compound MAC, gate open. */
void client_send_binding(struct client *c, const struct sstp_ctl_msg *m)
{
	enum sstp_auth_method method = sstp_call_auth_method(c->call.method,
							    m->keys_none);
	uint8_t hlak[SSTP_HLAK_LEN], pkt[SSTP_CALL_CONNECTED_LEN];
	int rc;

	if (c->state != C_PPP)
		return;
	rc = sstp_hlak(method, SSTP_ROLE_CLIENT, m->send_key, sizeof(m->send_key),
		       m->recv_key, sizeof(m->recv_key), hlak);
	if (!rc)
		rc = sstp_binding_build(&c->req, &c->cert, hlak, pkt);
	OPENSSL_cleanse(hlak, sizeof(hlak));
#ifdef SSTP_TEST_FORGE_BINDING
	/* build/tests/sstp-helper-forge only: a wrong Compound MAC. */
	pkt[sizeof(pkt) - 1] ^= 0x01;
#endif
	if (rc < 0 || sstp_call_send_packet(&c->call, pkt, sizeof(pkt))) {
		abort_call(c, SSTP_STATUS_INVALID_FRAME_RECEIVED);
		client_fail(c, SSTP_EXIT_LOCAL, "cannot send the crypto binding%s%s",
			    rc < 0 ? ": " : "", rc < 0 ? strerror(-rc) : "");
		return;
	}
	if (sstp_call_set_connected(&c->call)) {
		client_fail(c, SSTP_EXIT_LOCAL, "cannot open the tunnel");
		return;
	}
	c->state = C_UP;
	stop_timer_once_up(c);
	sstp_log("connected to %s as %s (%s), crypto binding sent",
		 c->cfg->connect_to, c->cfg->user, c->call.method);
}

void client_on_timer(struct client *c)
{
	if (c->state == C_PPP_ENDING) {
		client_fail(c, c->pending_code, "%s", c->pending_why);
		return;
	}
	if (c->state == C_CLOSING) {
		sstp_log("no Disconnect Ack from the server");
		c->state = C_DONE;
		return;
	}
	if (c->state == C_UP) {
		/* Bound, but IPCP never finished: IPv6CP alone, or nothing. */
		client_disconnect(c, SSTP_EXIT_PROTOCOL, "IPCP did not come up "
				  "within negotiation-timeout: no IPv4 address");
		return;
	}
	abort_call(c, SSTP_STATUS_NEGOTIATION_TIMEOUT);
	client_fail(c, SSTP_EXIT_PROTOCOL, c->state == C_CONNECT_SENT ?
		    "no answer to Call Connect Request in time" :
		    "PPP did not come up in time");
}

/* ---- pppd and its plugin ------------------------------------------------ */

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

	const char *plugin = cfg->plugin[0] ? cfg->plugin :
			     sstp_pppd_default_plugin();

	if (c->call.uc)
		sstp_argv_start_tty(b, cfg->pppd, plugin, c->call.pty_name,
				    ctl_fd, cfg->negotiation_timeout);
	else
		sstp_argv_start(b, cfg->pppd, plugin, cfg->dial_on_demand ?
				SSTP_PPPD_DIAL : c->call.channel, ctl_fd,
				cfg->negotiation_timeout);
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
		/* The loop starts it (client.c): it owns the dial. */
		c->dial_requested = true;
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
		c->ip_up = true;
		stop_timer_once_up(c);
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
