// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * client-call.c - the client's SSTP call (states in client.h): the socket
 * handed to sstp.ko, Call Connect Request, the server's answers, the
 * crypto binding once pppd has its keys, Call Disconnect.
 */

#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "client/connection.h"
#include "common/clock.h"
#include "common/log.h"

/* How long pppd may take to say why a call ended during PPP set-up. */
#define PPP_VERDICT_MS	2000

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

int client_start_tunnel(struct client *c, int *fd, SSL **ssl,
			const uint8_t *prefix, size_t prefix_len)
{
	const struct sstp_client_config *cfg = c->cfg;
	struct sstp_ctrl req;

	if (pin_route(c, *fd) || client_open_netlink(c))
		return -1;
	sstp_call_note_tls(&c->call, *ssl);
	if (sstp_call_open_tunnel(&c->call, &c->nl, fd, ssl, SSTP_ROLE_CLIENT,
				  SSTP_TRANSPORT_KTLS, &cfg->link, prefix,
				  prefix_len)) {
		client_fail(c, SSTP_EXIT_LOCAL, "sstp.ko refused the socket: %s",
			    c->nl.err);
		return -1;
	}
	sstp_ctrl_init(&req, SSTP_MSG_CALL_CONNECT_REQUEST);
	if (sstp_call_send(&c->call, &req)) {
		client_fail(c, SSTP_EXIT_LOCAL, "cannot send Call Connect Request");
		return -1;
	}
	c->state = C_CONNECT_SENT;
	c->deadline = sstp_now_ms() + (long long)cfg->negotiation_timeout * 1000;
	return 0;
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
	enum sstp_auth_method method = sstp_ctl_auth_method(c->call.method,
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
	if (rc < 0 ||
	    sstp_genl_ctrl_send(&c->nl, c->call.tunnel_id, pkt, sizeof(pkt))) {
		abort_call(c, SSTP_STATUS_INVALID_FRAME_RECEIVED);
		client_fail(c, SSTP_EXIT_LOCAL, "cannot send the crypto binding: %s",
			    rc < 0 ? strerror(-rc) : c->nl.err);
		return;
	}
	if (sstp_genl_set_connected(&c->nl, c->call.tunnel_id)) {
		client_fail(c, SSTP_EXIT_LOCAL, "cannot open the tunnel: %s",
			    c->nl.err);
		return;
	}
	c->state = C_UP;
	c->deadline = 0;
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
	abort_call(c, SSTP_STATUS_NEGOTIATION_TIMEOUT);
	client_fail(c, SSTP_EXIT_PROTOCOL, c->state == C_CONNECT_SENT ?
		    "no answer to Call Connect Request in time" :
		    "PPP did not come up in time");
}
