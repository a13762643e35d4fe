/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * genl.h - talking to sstp.ko over its generic netlink family, with libnl.
 *
 * Every call returns 0 or a negative errno; on failure the kernel's
 * extended-ack message (or a description of the errno) is in sg->err.
 */
#ifndef SSTP_GENL_H
#define SSTP_GENL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/sstp.h>

#include "common/status-record.h"

struct nl_sock;

/* Events that arrived while a request waited for its reply. */
#define SSTP_GENL_EVENT_QUEUE 64

struct sstp_genl {
	struct nl_sock *sock;
	int family;
	int events_group;
	/* A ring of copied event messages, oldest at queue_head. */
	unsigned char *queue[SSTP_GENL_EVENT_QUEUE];
	unsigned int queue_head, queue_count;
	/* The kernel dropped messages for this socket: re-read the state. */
	bool overrun;
	char err[256];
};

struct sstp_tunnel_opts {
	int fd;
	uint8_t role;			/* enum sstp_role */
	uint32_t mtu;			/* 0: kernel default */
	int hello_interval;		/* seconds; -1: kernel default */
	int keepalive_timeout;		/* seconds; -1: kernel default */
	const uint8_t *rx_prefix;	/* bytes read past the HTTP header */
	size_t rx_prefix_len;
	uint8_t transport;		/* enum sstp_transport; 0 = kTLS */
	uint32_t tx_stall_timeout;	/* seconds; 0: kernel default */
};

/*
 * keepalive-timeout as both ends mean it (MikroTik's, and [MS-SSTP]'s
 * hello timer): an Echo Request after @secs of silence, the tunnel down
 * after twice that; 0 turns both off.
 */
static inline void sstp_tunnel_opts_keepalive(struct sstp_tunnel_opts *o,
					      unsigned long secs)
{
	o->hello_interval = (int)secs;
	o->keepalive_timeout = (int)(2 * secs);
}

/* What SSTP_CMD_TUNNEL_GET and the TUNNEL_DOWN event report. */
struct sstp_tunnel_info {
	uint32_t id;
	uint8_t role;
	uint8_t state;
	int32_t channel_index;		/* -1 when not reported */
	int32_t ppp_unit;		/* -1 when none */
	uint32_t hello_interval;
	uint32_t keepalive_timeout;
	uint32_t down_reason;
	uint32_t down_detail;
	uint64_t stats[__SSTP_STATS_A_MAX];
};

/* The counters `sstp-helper status` shows, from @info. */
static inline void sstp_tunnel_info_counters(const struct sstp_tunnel_info *info,
					     struct sstp_status_rec *r)
{
	r->rx_packets = info->stats[SSTP_STATS_A_RX_PACKETS];
	r->rx_bytes = info->stats[SSTP_STATS_A_RX_BYTES];
	r->tx_packets = info->stats[SSTP_STATS_A_TX_PACKETS];
	r->tx_bytes = info->stats[SSTP_STATS_A_TX_BYTES];
}

/* An event: SSTP_CMD_CTRL_RECV or SSTP_CMD_TUNNEL_DOWN. */
struct sstp_event {
	uint8_t cmd;
	uint32_t tunnel_id;
	const uint8_t *packet;		/* CTRL_RECV: the control packet */
	size_t packet_len;
	struct sstp_tunnel_info info;	/* TUNNEL_DOWN */
};

int sstp_genl_open(struct sstp_genl *sg);
void sstp_genl_close(struct sstp_genl *sg);
/* The fd to poll for events. */
int sstp_genl_fd(const struct sstp_genl *sg);

int sstp_genl_tunnel_new(struct sstp_genl *sg,
			 const struct sstp_tunnel_opts *opts,
			 uint32_t *id, uint32_t *channel_index);
int sstp_genl_tunnel_del(struct sstp_genl *sg, uint32_t id);
int sstp_genl_tunnel_get(struct sstp_genl *sg, uint32_t id,
			 struct sstp_tunnel_info *info);
int sstp_genl_set_connected(struct sstp_genl *sg, uint32_t id);
int sstp_genl_set_timers(struct sstp_genl *sg, uint32_t id,
			 uint32_t hello_interval, uint32_t keepalive_timeout);
int sstp_genl_ctrl_send(struct sstp_genl *sg, uint32_t id,
			const uint8_t *pkt, size_t len);

/*
 * Every tunnel of the netns, one call of @fn each. A dump ends with an
 * ack like any request, so it is safe on a socket that owns tunnels.
 */
typedef void (*sstp_tunnel_fn)(const struct sstp_tunnel_info *info,
			       void *arg);
int sstp_genl_tunnel_dump(struct sstp_genl *sg, sstp_tunnel_fn fn, void *arg);

/* Room for @bytes of events before the kernel drops them (ENOBUFS). */
int sstp_genl_set_rcvbuf(struct sstp_genl *sg, int bytes);

/* Join the monitors' multicast group (events of every tunnel). */
int sstp_genl_subscribe(struct sstp_genl *sg);

/*
 * Wait up to @timeout_ms (-1: forever) for one event and hand it to @fn;
 * @ev and its packet are valid only during the call. Returns 1 when an
 * event was handled, 0 on timeout, or a negative errno: -ENOBUFS when
 * events were lost (sg->overrun is set; re-read the tunnels' state).
 */
typedef void (*sstp_event_fn)(const struct sstp_event *ev, void *arg);
int sstp_genl_wait_event(struct sstp_genl *sg, int timeout_ms,
			 sstp_event_fn fn, void *arg);

const char *sstp_down_reason_name(uint32_t reason);

#endif /* SSTP_GENL_H */
