// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * session-call.c - the SSTP call of a server session (states in
 * session.h): Call Connect Request and our Ack, pppd started, the crypto
 * binding checked once both the client's Call Connected and pppd's keys
 * are in, Call Disconnect either way, and what pppd's plugin tells us.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <signal.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "common/log.h"
#include "server/pool.h"
#include "server/session.h"

#define slog(s, fmt, ...) sstp_call_log(&(s)->call, fmt, ##__VA_ARGS__)

void session_set_timer(struct session *s, unsigned long seconds)
{
	s->deadline = seconds ? sstp_now_ms() + seconds * 1000LL : 0;
}

void session_end(struct session *s, const char *why)
{
	struct server *srv = s->srv;
	struct in_addr a;

	if (s->state == S_DEAD)
		return;
	/*
	 * DEAD first: nothing the plugin's last words trigger may end the
	 * session again. Those words (a refused user, say) come before the
	 * reason the session ends for, often the peer hanging up because
	 * of them, so they are logged first.
	 */
	s->state = S_DEAD;
	if (s->call.ctl >= 0)
		session_ctl_io(s);
	if (why)
		slog(s, "session ended: %s", why);
	sstp_call_close_carrier(&s->call);
	sstp_call_close_plugin(&s->call);
	if (s->fd >= 0) {
		epoll_ctl(srv->epfd, EPOLL_CTL_DEL, s->fd, NULL);
		close(s->fd);
		s->fd = -1;
	}
	SSL_free(s->ssl);
	s->ssl = NULL;
	if (s->pool && inet_pton(AF_INET, s->call.remote, &a) == 1)
		sstp_pool_release(s->pool, a);
	s->pool = NULL;
	OPENSSL_cleanse(s->send_key, sizeof(s->send_key));
	OPENSSL_cleanse(s->recv_key, sizeof(s->recv_key));
	/*
	 * With the tunnel gone, pppd reads a hangup on its channel and ends
	 * by itself, running its ip-down scripts: a signal now would cut
	 * those short. It gets one only if it lingers (session_timeout()).
	 */
	s->pppd_signal = SIGTERM;
	s->deadline = s->call.pppd > 0 ? sstp_now_ms() + SSTP_PPPD_HANGUP_MS : 0;
}

void session_free(struct session *s)
{
	session_end(s, NULL);
	/* The server is exiting: no time left for pppd to go by itself. */
	if (s->call.pppd > 0)
		kill(s->call.pppd, SIGTERM);
	free(s);
}

void session_abort(struct session *s, uint32_t status, const char *why)
{
	sstp_call_send_status(&s->call, SSTP_MSG_CALL_ABORT, status);
	/* Deleting the tunnel still flushes the Abort out first. */
	session_end(s, why);
}

static void on_connect_request(struct session *s, const struct sstp_ctrl *req)
{
	struct server *srv = s->srv;
	struct sstp_ctrl ack;
	char err[256];
	uint8_t proto[2];

	if (req->encap_proto != SSTP_ENCAP_PPP) {
		struct sstp_ctrl nak;

		proto[0] = req->encap_proto >> 8;
		proto[1] = req->encap_proto & 0xff;
		sstp_ctrl_init(&nak, SSTP_MSG_CALL_CONNECT_NAK);
		sstp_ctrl_add_status(&nak, SSTP_ATTR_ENCAPSULATED_PROTOCOL_ID,
				     SSTP_STATUS_VALUE_NOT_SUPPORTED, proto, 2);
		sstp_call_send(&s->call, &nak);
		return;
	}
	if (RAND_bytes(s->nonce, sizeof(s->nonce)) != 1) {
		session_abort(s, SSTP_STATUS_INVALID_FRAME_RECEIVED, "no randomness");
		return;
	}
	s->offered = sstp_binding_offer_mask(&srv->cert);
	sstp_ctrl_init(&ack, SSTP_MSG_CALL_CONNECT_ACK);
	ack.binding_req.hash_mask = s->offered;
	memcpy(ack.binding_req.nonce, s->nonce, sizeof(s->nonce));
	sstp_call_send(&s->call, &ack);

	if (session_start_pppd(s, err, sizeof(err))) {
		session_abort(s, SSTP_STATUS_INVALID_FRAME_RECEIVED, err);
		return;
	}
	s->state = S_BINDING;
	session_set_timer(s, srv->cfg.negotiation_timeout);
}

/*
 * The negotiation timer runs until the call is bound (S_UP) and IPCP has
 * given the peer its address (pppd's ip-up, which names call.ifname), in
 * either order: a call whose IPCP never finishes (IPv6CP alone up) must
 * not stay half up.
 */
static void stop_timer_once_up(struct session *s)
{
	if (s->state == S_UP && s->call.ifname[0])
		s->deadline = 0;
}

/*
 * Both halves are in: the client's Call Connected and our pppd's keys
 * (or its word that the method made none). Verify and open the gate.
 */
static void try_binding(struct session *s)
{
	struct server *srv = s->srv;
	enum sstp_verify_result r;
	enum sstp_auth_method m;
	struct sstp_ctrl msg;
	uint8_t hlak[SSTP_HLAK_LEN];

	if (s->state != S_BINDING || !s->have_connected || !s->have_keys)
		return;
	m = sstp_call_auth_method(s->call.method, s->keys_none);
	if (sstp_hlak(m, SSTP_ROLE_SERVER, s->send_key, sizeof(s->send_key),
		      s->recv_key, sizeof(s->recv_key), hlak)) {
		session_abort(s, SSTP_STATUS_INVALID_FRAME_RECEIVED, "no HLAK");
		return;
	}
	sstp_ctrl_decode(s->connected_pkt, sizeof(s->connected_pkt), &msg);
	r = sstp_binding_verify(&msg, s->connected_pkt, sizeof(s->connected_pkt),
				s->offered, s->nonce, &srv->cert, hlak);
	OPENSSL_cleanse(hlak, sizeof(hlak));
	if (r != SSTP_VERIFY_OK && r != SSTP_VERIFY_OK_CERT_UNCHECKED) {
		if (srv->cfg.crypto_binding == SSTP_BINDING_REQUIRED) {
			char why[256];

			snprintf(why, sizeof(why), "crypto binding failed: %s",
				 sstp_verify_reason(r));
			session_abort(s, SSTP_STATUS_INVALID_FRAME_RECEIVED, why);
			return;
		}
		slog(s, "crypto binding failed (%s), allowed by crypto-binding=warn",
		     sstp_verify_reason(r));
	} else {
		slog(s, "crypto binding verified for user %s (%s)", s->call.user,
		     s->call.method);
	}
	if (sstp_call_set_connected(&s->call)) {
		session_end(s, "cannot open the tunnel");
		return;
	}
	s->state = S_UP;
	stop_timer_once_up(s);
}

static void on_call_connected(struct session *s, const uint8_t *pkt,
			      size_t len)
{
	if (s->state != S_BINDING || len != sizeof(s->connected_pkt)) {
		session_abort(s, SSTP_STATUS_UNACCEPTED_FRAME_RECEIVED,
			   "Call Connected out of place");
		return;
	}
	memcpy(s->connected_pkt, pkt, len);
	s->have_connected = true;
	/* It may beat pppd's keys here: wait for both (accel-ppp does too). */
	try_binding(s);
}

static void on_ctrl(struct session *s, const uint8_t *pkt, size_t len)
{
	struct sstp_ctrl msg;
	int err = sstp_ctrl_decode(pkt, len, &msg);

	if (err) {
		session_abort(s, msg.err_status ? msg.err_status :
			   SSTP_STATUS_INVALID_FRAME_RECEIVED,
			   "invalid control packet");
		return;
	}
	switch (msg.type) {
	case SSTP_MSG_CALL_CONNECT_REQUEST:
		if (s->state != S_CONNECT) {
			session_abort(s, SSTP_STATUS_UNACCEPTED_FRAME_RECEIVED,
				   "Call Connect Request out of place");
			return;
		}
		on_connect_request(s, &msg);
		break;
	case SSTP_MSG_CALL_CONNECTED:
		on_call_connected(s, pkt, len);
		break;
	case SSTP_MSG_CALL_DISCONNECT:
		sstp_call_send_status(&s->call, SSTP_MSG_CALL_DISCONNECT_ACK,
				      SSTP_STATUS_NO_ERROR);
		session_end(s, "client disconnected");
		break;
	case SSTP_MSG_CALL_DISCONNECT_ACK:
		session_end(s, s->state == S_CLOSING ? "disconnected" :
			    "unexpected Disconnect Ack");
		break;
	case SSTP_MSG_CALL_ABORT:
		session_end(s, "client aborted the call");
		break;
	default:
		session_abort(s, SSTP_STATUS_UNACCEPTED_FRAME_RECEIVED,
			   "unexpected control message");
	}
}

static struct session *find_tunnel(struct server *srv, uint32_t id)
{
	struct session *s;

	for (s = srv->sessions; s; s = s->next)
		if (s->call.tunnel_id == id && s->state != S_DEAD)
			return s;
	return NULL;
}

void session_event(struct server *srv, const struct sstp_event *ev)
{
	struct session *s = find_tunnel(srv, ev->tunnel_id);
	char why[128];

	sstp_debug("tunnel %u: %s event", ev->tunnel_id,
		   ev->cmd == SSTP_CMD_CTRL_RECV ? "control packet" : "down");
	if (!s)
		return;
	if (ev->cmd == SSTP_CMD_CTRL_RECV) {
		on_ctrl(s, ev->packet, ev->packet_len);
		return;
	}
	/* The kernel took the tunnel down: nothing left to delete. */
	s->call.tunnel_id = 0;
	snprintf(why, sizeof(why), "tunnel down: %s",
		 sstp_down_reason_name(ev->info.down_reason));
	session_end(s, why);
}

/* Send Call Disconnect and give the client a moment to acknowledge it. */
void session_disconnect(struct session *s, const char *why)
{
	if (!s->call.tunnel_id) {
		session_end(s, why);
		return;
	}
	slog(s, "%s: disconnecting", why);
	s->deadline = sstp_call_disconnect(&s->call);
	s->state = S_CLOSING;
}

void session_pppd_exited(struct session *s, int wstatus)
{
	char how[128], why[400];

	s->call.pppd = 0;
	/*
	 * Our Disconnect is out: a client that acknowledges it and hangs up
	 * at once takes the tunnel, and so pppd, down with it, and pppd's
	 * exit may be read before the Ack, which the kernel passed on first.
	 * The Ack, the tunnel's end or the deadline ends the session.
	 */
	if (s->state == S_CLOSING)
		return;
	sstp_pppd_describe_exit(wstatus, how, sizeof(how));
	snprintf(why, sizeof(why), "%s%s%s", how, s->call.user[0] ? ", user " : "",
		 s->call.user);
	if (s->state == S_UP || s->state == S_BINDING)
		session_disconnect(s, why);
	else
		session_end(s, why);
}

void session_shutdown(struct session *s)
{
	if (s->state == S_UP || s->state == S_BINDING)
		session_disconnect(s, "server stopping");
	else if (s->state != S_CLOSING)
		session_end(s, "server stopping");
}

/* ---- pppd's plugin talking ---------------------------------------------- */

/*
 * An earlier plugin (radius.so, from Framed-IP-Address) gave the peer its
 * address, so pppd never asked us for one: take it now ("given", or at
 * the latest "ip-up"), for status, and hold it like any other.
 */
static void take_given(struct session *s, const char *remote, const char *user)
{
	char why[400];
	int rc;

	/* Once: "ip-up" may follow the "given" that ended the session. */
	if (s->state == S_CLOSING || s->call.remote[0])
		return;
	rc = session_hold_remote(s, remote);
	if (!rc || rc == -EINVAL)
		return;
	/* Two peers on one address: neither would get its packets. */
	snprintf(why, sizeof(why), "address %s of user %s is in use by another session",
		 remote, user);
	session_disconnect(s, why);
}

static void ip_up(struct session *s, const struct sstp_ctl_msg *m)
{
	snprintf(s->call.ifname, sizeof(s->call.ifname), "%s", m->ifname);
	snprintf(s->call.local, sizeof(s->call.local), "%s", m->local);
	slog(s, "%s up, %s for user %s", s->call.ifname, m->remote, s->call.user);
	stop_timer_once_up(s);
	take_given(s, m->remote, s->call.user);
}

static void on_plugin_msg(void *arg, const struct sstp_ctl_msg *m)
{
	struct session *s = arg;

	switch (m->kind) {
	case SSTP_CTL_SECRET_REQ:
		session_answer_secret(s, m->user);
		break;
	case SSTP_CTL_ADDRESS_REQ:
		/* A link without an address is of no use to anyone. */
		if (session_answer_address(s, m->user))
			session_disconnect(s, "no address for the user");
		break;
	case SSTP_CTL_GIVEN_MSG:
		take_given(s, m->remote, m->user);
		break;
	case SSTP_CTL_AUTH_UP:
		snprintf(s->call.user, sizeof(s->call.user), "%s", m->user);
		snprintf(s->call.method, sizeof(s->call.method), "%s", m->method);
		slog(s, "user %s authenticated (%s)", s->call.user, s->call.method);
		break;
	case SSTP_CTL_AUTH_REFUSED:
		slog(s, "user %s failed to authenticate (%s)", m->user, m->method);
		break;
	case SSTP_CTL_KEYS_UP:
		memcpy(s->send_key, m->send_key, sizeof(s->send_key));
		memcpy(s->recv_key, m->recv_key, sizeof(s->recv_key));
		s->keys_none = m->keys_none;
		s->have_keys = true;
		try_binding(s);
		break;
	case SSTP_CTL_IP_UP_MSG:
		ip_up(s, m);
		break;
	default:
		break;
	}
}

/* A message may end the session, which closes the plugin's socket. */
void session_ctl_io(struct session *s)
{
	sstp_call_plugin_io(&s->call, on_plugin_msg, s);
}
