/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR MIT) */
/*
 * sstp: Secure Socket Tunneling Protocol data path in the kernel.
 *
 * This header is the whole contract between sstp.ko and userspace: a
 * generic netlink family named SSTP_GENL_NAME.
 *
 * Life of a tunnel:
 *  1. Userspace connects (or accepts) TCP, does the TLS handshake and the
 *     SSTP HTTP exchange, and installs kTLS TX and RX on the socket.
 *  2. SSTP_CMD_TUNNEL_NEW hands the socket fd to the kernel. From then on
 *     every SSTP packet, control packets included, passes through sstp.ko;
 *     userspace must neither read nor write the socket again.  The reply
 *     carries the tunnel id and the index of the PPP channel that pppd
 *     attaches to (PPPIOCATTCHAN on /dev/ppp).
 *  3. Userspace runs the SSTP call with SSTP_CMD_CTRL_SEND and the
 *     SSTP_CMD_CTRL_RECV events.  Until SSTP_CMD_TUNNEL_SET marks the call
 *     connected (crypto binding verified), only PPP control protocols
 *     (protocol >= 0x8000) pass the tunnel in either direction.
 *  4. The tunnel ends on SSTP_CMD_TUNNEL_DEL, on a peer close, reset, TLS
 *     alert or protocol error, on a keepalive timeout, or when the netlink
 *     socket that created it is closed.  Either way an SSTP_CMD_TUNNEL_DOWN
 *     event with an SSTP_A_DOWN_REASON is sent.
 *
 * Every command needs CAP_NET_ADMIN in the initial user namespace (root in
 * a user namespace of its own cannot create tunnels), and joining the
 * events group needs CAP_NET_ADMIN over the netlink socket's network
 * namespace.  Errors come with an extended-ack message.
 */
#ifndef _UAPI_LINUX_SSTP_H
#define _UAPI_LINUX_SSTP_H

#define SSTP_GENL_NAME		"sstp"
#define SSTP_GENL_VERSION	1
/* Multicast group for monitors: every event also goes here. */
#define SSTP_GENL_MCGRP_EVENTS	"events"

enum sstp_cmd {
	SSTP_CMD_UNSPEC,
	/*
	 * Create a tunnel on a socket. Request: SOCK_FD, ROLE; optional
	 * HELLO_INTERVAL, KEEPALIVE_TIMEOUT, TX_STALL_TIMEOUT, MTU,
	 * RX_PREFIX, TRANSPORT.
	 * Reply: TUNNEL_ID, CHANNEL_INDEX.
	 */
	SSTP_CMD_TUNNEL_NEW,
	/* Tear a tunnel down. Request: TUNNEL_ID. */
	SSTP_CMD_TUNNEL_DEL,
	/*
	 * Read a tunnel (TUNNEL_ID given) or dump all tunnels of the netns.
	 * Reply: TUNNEL_ID, ROLE, STATE, TRANSPORT, CHANNEL_INDEX, PPP_UNIT,
	 * STATS, ...
	 */
	SSTP_CMD_TUNNEL_GET,
	/*
	 * Change a tunnel. Request: TUNNEL_ID and one or more of STATE
	 * (only SSTP_STATE_CONNECTED: opens the gate for network-layer
	 * frames, once crypto binding is verified), HELLO_INTERVAL,
	 * KEEPALIVE_TIMEOUT, TX_STALL_TIMEOUT.
	 */
	SSTP_CMD_TUNNEL_SET,
	/*
	 * Send an SSTP control packet, in order with the data stream.
	 * Request: TUNNEL_ID, CTRL_PACKET.  Fails with ENOBUFS, and the
	 * tunnel goes down (SSTP_DOWN_TX_OVERFLOW), when the peer has left
	 * too many control packets unread.
	 */
	SSTP_CMD_CTRL_SEND,
	/*
	 * Event: an SSTP control packet arrived (all but Echo Request and
	 * Echo Response, which the kernel handles). TUNNEL_ID, CTRL_PACKET.
	 * At most 16 per tunnel, and once the call is connected only Call
	 * Disconnect, Call Disconnect Ack and Call Abort; the others are
	 * counted in SSTP_STATS_A_CTRL_DROPPED.
	 */
	SSTP_CMD_CTRL_RECV,
	/*
	 * Event: the tunnel is down and gone. TUNNEL_ID, DOWN_REASON,
	 * optional DOWN_DETAIL, final STATS.
	 */
	SSTP_CMD_TUNNEL_DOWN,

	__SSTP_CMD_MAX,
};

#define SSTP_CMD_MAX (__SSTP_CMD_MAX - 1)

enum sstp_attr {
	SSTP_A_UNSPEC,
	/* u64 alignment padding for nla_put_64bit(); never sent by users. */
	SSTP_A_PAD,
	/* u32: tunnel id, unique per network namespace, never 0. */
	SSTP_A_TUNNEL_ID,
	/*
	 * u32: fd, in the caller's process, of a connected TCP socket (IPv4
	 * or IPv6) with kTLS TX and RX installed (or none at all, with
	 * SSTP_TRANSPORT_TCP). The kernel takes its own reference; userspace
	 * may close its fd right after.
	 */
	SSTP_A_SOCK_FD,
	/* u8, enum sstp_role: which end of the call we are. */
	SSTP_A_ROLE,
	/*
	 * u32, seconds: send an SSTP Echo Request after this long without
	 * receiving anything. 0 disables. Default 60 ([MS-SSTP] hello timer).
	 */
	SSTP_A_HELLO_INTERVAL,
	/*
	 * u32, seconds: end the tunnel (SSTP_DOWN_KEEPALIVE_TIMEOUT) when
	 * nothing at all was received for this long. 0 disables. Default 60
	 * after the hello interval, as [MS-SSTP] prescribes.
	 */
	SSTP_A_KEEPALIVE_TIMEOUT,
	/*
	 * u32: the link's MTU, 128..4087 (default 4087, what one SSTP data
	 * packet carries): the largest PPP payload sent in one packet. It
	 * matters for multilink (an MRRU), whose fragments are cut to it.
	 */
	SSTP_A_MTU,
	/*
	 * binary: plaintext bytes userspace already read from the TLS stream
	 * past the HTTP header (the start of the SSTP stream). The kernel
	 * parses them before anything it reads from the socket.
	 */
	SSTP_A_RX_PREFIX,
	/* u32: index of the PPP channel, for PPPIOCATTCHAN on /dev/ppp. */
	SSTP_A_CHANNEL_INDEX,
	/* s32: ppp unit (pppN) the channel is connected to, -1 if none. */
	SSTP_A_PPP_UNIT,
	/* u8, enum sstp_state: where the call is. */
	SSTP_A_STATE,
	/*
	 * binary: one whole SSTP control packet, 4-byte header included,
	 * 8..4095 bytes; validated by the kernel in both directions.
	 */
	SSTP_A_CTRL_PACKET,
	/* u32, enum sstp_down_reason: why the tunnel went down. */
	SSTP_A_DOWN_REASON,
	/*
	 * u32: detail for the reason: the TLS alert description for
	 * SSTP_DOWN_TLS_ALERT, the positive errno for SSTP_DOWN_SOCKET_ERROR
	 * and SSTP_DOWN_TLS_ERROR.
	 */
	SSTP_A_DOWN_DETAIL,
	/* nested, enum sstp_stats_attr: the tunnel's counters. */
	SSTP_A_STATS,
	/*
	 * u8, enum sstp_transport: what carries the SSTP stream. Default
	 * SSTP_TRANSPORT_KTLS; the kernel refuses a socket that does not
	 * match.
	 */
	SSTP_A_TRANSPORT,
	/*
	 * u32, seconds, 1..3600: end the tunnel (SSTP_DOWN_TX_STALLED) when
	 * the peer acknowledges nothing of what waits to be sent for this
	 * long. Default 60. A bound, not a feature: it cannot be turned off.
	 */
	SSTP_A_TX_STALL_TIMEOUT,

	__SSTP_A_MAX,
};

#define SSTP_A_MAX (__SSTP_A_MAX - 1)

enum sstp_role {
	SSTP_ROLE_CLIENT = 1,
	SSTP_ROLE_SERVER = 2,
};

enum sstp_transport {
	/* TLS on the socket, in the kernel (kTLS TX and RX). */
	SSTP_TRANSPORT_KTLS = 0,
	/*
	 * Plain TCP, no TLS at all: for a server behind a proxy that
	 * terminates TLS, and only there (the stream is in the clear
	 * between the two). A socket with any ULP is refused.
	 */
	SSTP_TRANSPORT_TCP = 1,
};

enum sstp_state {
	/* Call being set up: only PPP control protocols pass. */
	SSTP_STATE_NEGOTIATING = 1,
	/* Call connected, crypto binding verified: everything passes. */
	SSTP_STATE_CONNECTED = 2,
	/* Going down; a TUNNEL_DOWN event follows. */
	SSTP_STATE_DOWN = 3,
};

enum sstp_down_reason {
	SSTP_DOWN_UNSPEC,
	/* SSTP_CMD_TUNNEL_DEL. */
	SSTP_DOWN_DELETED,
	/* The netlink socket that created the tunnel was closed. */
	SSTP_DOWN_OWNER_GONE,
	/* The peer closed the connection (TCP FIN or TLS close_notify). */
	SSTP_DOWN_PEER_CLOSED,
	/* The peer reset the TCP connection. */
	SSTP_DOWN_TCP_RESET,
	/* The peer sent a TLS alert; DOWN_DETAIL has its description. */
	SSTP_DOWN_TLS_ALERT,
	/*
	 * A TLS record could not be used: bad MAC, KeyUpdate (kTLS cannot
	 * rekey), unexpected record type; DOWN_DETAIL has the errno.
	 */
	SSTP_DOWN_TLS_ERROR,
	/* Another socket error; DOWN_DETAIL has the errno. */
	SSTP_DOWN_SOCKET_ERROR,
	/* Nothing received for the keepalive timeout. */
	SSTP_DOWN_KEEPALIVE_TIMEOUT,
	/* The peer broke SSTP framing or sent an invalid control packet. */
	SSTP_DOWN_PROTOCOL_ERROR,
	/* The module is being unloaded. */
	SSTP_DOWN_MODULE_UNLOAD,
	/* The network namespace is going away. */
	SSTP_DOWN_NETNS_EXIT,
	/*
	 * The peer acknowledged nothing of what was waiting to be sent for
	 * SSTP_A_TX_STALL_TIMEOUT seconds: it does not read.
	 */
	SSTP_DOWN_TX_STALLED,
	/*
	 * More control packets (SSTP's, or PPP's own) waited to be sent than
	 * the tunnel keeps: the peer does not read what it asks for.
	 */
	SSTP_DOWN_TX_OVERFLOW,

	__SSTP_DOWN_MAX,
};

enum sstp_stats_attr {
	SSTP_STATS_A_UNSPEC,
	SSTP_STATS_A_PAD,
	/* u64: PPP frames (SSTP data packets) received and passed on. */
	SSTP_STATS_A_RX_PACKETS,
	/* u64: bytes of those frames. */
	SSTP_STATS_A_RX_BYTES,
	/* u64: PPP frames sent. */
	SSTP_STATS_A_TX_PACKETS,
	/* u64: bytes of those frames. */
	SSTP_STATS_A_TX_BYTES,
	/* u64: control packets received (echo included). */
	SSTP_STATS_A_RX_CTRL,
	/* u64: control packets sent (echo included). */
	SSTP_STATS_A_TX_CTRL,
	/* u64: Echo Requests we sent (hello timer). */
	SSTP_STATS_A_ECHO_SENT,
	/* u64: Echo Requests from the peer that we answered. */
	SSTP_STATS_A_ECHO_ANSWERED,
	/* u64: framing or control-packet validation errors. */
	SSTP_STATS_A_FRAMING_ERRORS,
	/* u64: network-layer frames dropped before the call was connected. */
	SSTP_STATS_A_DROP_GATE,
	/*
	 * u64: data frames dropped because the transmit queue was full:
	 * one that ppp_generic held and offered again before the queue had
	 * room, so that pppd's control frames behind it could pass.
	 */
	SSTP_STATS_A_DROP_QUEUE,
	/* u64: frames dropped for being too big for one SSTP packet. */
	SSTP_STATS_A_DROP_OVERSIZE,
	/* u64: frames dropped for lack of memory. */
	SSTP_STATS_A_DROP_NOMEM,
	/* u64: received frames too short to hold a PPP protocol. */
	SSTP_STATS_A_DROP_RUNT,
	/*
	 * u64: control packets received but not passed to userspace: past
	 * the per-tunnel limit, or of no use once the call is connected.
	 */
	SSTP_STATS_A_CTRL_DROPPED,
	/* u64: Echo Requests answered by an Echo Response already waiting. */
	SSTP_STATS_A_ECHO_COALESCED,
	/*
	 * u64: times reading stopped because the peer did not read the
	 * control packets owed to it (TCP then pushes back on the peer).
	 */
	SSTP_STATS_A_RX_PAUSED,
	/*
	 * u64: times the tunnel's reader, with more to read after a whole
	 * budget of reads or packets, went on at normal priority (sustained load:
	 * a bulk transfer or a flooding peer) instead of ahead of userspace.
	 */
	SSTP_STATS_A_RX_BUSY,

	__SSTP_STATS_A_MAX,
};

#define SSTP_STATS_A_MAX (__SSTP_STATS_A_MAX - 1)

#endif /* _UAPI_LINUX_SSTP_H */
