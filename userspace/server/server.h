/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * server.h - the SSTP server of `sstp-helper serve`: its listeners and
 * sessions, one epoll loop for all of them (server.c).
 */
#ifndef SSTP_SERVER_H
#define SSTP_SERVER_H

#include <stdbool.h>

#include <openssl/ssl.h>

#include "call/binding.h"
#include "datapath/genl.h"
#include "server/radius.h"
#include "server/serve-pools.h"
#include "server/server-config.h"

struct session;
struct status_reader;

/* What an epoll event is about: epoll_event.data.ptr points to one. */
enum ep_kind {
	EP_LISTENER, EP_NETLINK, EP_SIGNAL, EP_SESSION, EP_CTL,
	EP_STATUS, EP_STATUS_READER,
	EP_CARRIER,		/* a session's userspace carrier: socket or pty */
};

struct ep_item {
	enum ep_kind kind;
	void *ptr;
	int fd;
};

struct server {
	struct sstp_server_config cfg;
	SSL_CTX *tls;
	struct sstp_cert_hashes cert;
	/*
	 * @nl creates the tunnels, so it owns them and gets their events;
	 * every other request goes on @nl_req, which owns nothing and so is
	 * never short of room for a reply.
	 */
	struct sstp_genl nl;
	struct sstp_genl nl_req;
	bool nl_open;			/* sstp.ko is there (datapath) */
	int epfd;
	struct session *sessions;
	unsigned int nsessions, serial;
	struct server_pools pools;	/* one per [pool] */
	struct sstp_ratelimit *limit;	/* connection-rate-limit, or NULL */
	const char *plugin;
	struct sstp_radius_files radius;	/* use-radius: radius.so's files */
	bool stopping;

	int status_fd;			/* serve-status.c */
	struct ep_item ep_status;
	struct status_reader *status_readers;
	unsigned int nreaders;
};

/*
 * Serve as @srv->cfg says until a signal stops it: 0, or 1 when it could
 * not start (logged). Everything it held is released when it returns.
 */
int sstp_server_run(struct server *srv);

#endif /* SSTP_SERVER_H */
