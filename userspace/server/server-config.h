/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * server-config.h - what `sstp-helper serve --config FILE` reads.
 *
 *   [server]     the listener, TLS and session settings
 *   [profile N]  PPP settings shared by users (MikroTik "PPP profiles")
 *   [pool N]     address ranges for users without a fixed address
 *   [user N]     a user (MikroTik "PPP secret")
 *   [radius]     the RADIUS server, with use-radius = yes (MikroTik
 *                "/radius"; one server)
 *
 * Keys are MikroTik RouterOS names; see sstp-helper(8) and the README.
 */
#ifndef SSTP_SERVER_CONFIG_H
#define SSTP_SERVER_CONFIG_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "common/link.h"
#include "common/status-socket.h"

enum sstp_binding_policy {
	SSTP_BINDING_REQUIRED,	/* no valid crypto binding: session ends */
	SSTP_BINDING_WARN,	/* logged, session goes on (broken clients) */
};

#define SSTP_NAME_MAX	64
#define SSTP_ADDR_MAX	64
/* Room for a hash in hex, with or without ':' between the bytes. */
#define SSTP_CERT_HASH_TEXT	100

/*
 * A user's profile reaches pppd once the user is known (the "address"
 * answer, before IPCP starts): everything in it is per user. What LCP
 * agrees before authentication (MRU, MRRU) is [server]'s alone.
 */
struct sstp_profile {
	char name[SSTP_NAME_MAX];
	char local_address[SSTP_ADDR_MAX];	/* an address */
	char remote_address[SSTP_ADDR_MAX];	/* an address or a pool name */
	char dns_server[2][SSTP_ADDR_MAX];
	unsigned long idle_timeout;		/* seconds, 0: none */
	unsigned long session_timeout;		/* seconds, 0: none */
	unsigned long max_mtu;			/* caps the interface; 0: none */
	int line;				/* for messages */
	struct sstp_profile *next;
};

struct sstp_user {
	char name[256];
	char password[256];
	char local_address[SSTP_ADDR_MAX];	/* overrides the profile's */
	char remote_address[SSTP_ADDR_MAX];	/* overrides the profile's */
	char profile[SSTP_NAME_MAX];		/* "" = default-profile */
	int line;				/* for messages */
	struct sstp_user *next;
};

/*
 * [radius]: what pppd's radius.so is told (radius.c writes its files).
 * Its radiusclient speaks IPv4 only and keeps a secret of at most 48
 * bytes, read as one whitespace-separated word.
 */
#define SSTP_RADIUS_SECRET_MAX	48

struct sstp_radius_conf {
	char address[SSTP_ADDR_MAX];	/* an IPv4 address */
	char secret[SSTP_RADIUS_SECRET_MAX + 1];
	unsigned long authentication_port;	/* 1812 */
	unsigned long accounting_port;		/* 1813 */
	unsigned long timeout;		/* seconds per try, 3 */
	unsigned long retries;		/* tries in all, 3 */
	int line;			/* of [radius], 0: none given */
};

struct sstp_pool_conf {
	char name[SSTP_NAME_MAX];
	char ranges[1024];
	struct sstp_pool_conf *next;
};

struct sstp_server_config {
	char listen[256];		/* addresses, comma-separated; "" = any */
	unsigned long port;
	char certificate[PATH_MAX];	/* PEM: certificate and chain */
	char private_key[PATH_MAX];	/* PEM; "" = in certificate */
	char ca[PATH_MAX];		/* for verify-client-certificate */
	bool verify_client_certificate;
	struct sstp_link_conf link;
	char default_profile[SSTP_NAME_MAX];
	unsigned long max_sessions;
	/* SO_RCVBUF of the socket that owns every tunnel and gets its events */
	unsigned long netlink_buffer;
	enum sstp_binding_policy crypto_binding;
	unsigned long handshake_timeout;	/* TCP accept to HTTP request */
	unsigned long negotiation_timeout;	/* [MS-SSTP] negotiation timer */
	bool proxy_protocol;		/* a PROXY header before TLS, always */
	/*
	 * plain-http: no TLS here; a proxy in front terminates it and
	 * passes the HTTP request on in the clear. The crypto binding then
	 * holds clients to the proxy's certificate, whose hashes the
	 * configuration gives (cert-hash-sha256/-sha1, hex).
	 */
	bool plain_http;
	char cert_hash_sha256[SSTP_CERT_HASH_TEXT];
	char cert_hash_sha1[SSTP_CERT_HASH_TEXT];
	/*
	 * http-error (accel-ppp's option): what a request that is not SSTP
	 * gets: "allow" its HTTP error status (the default), "deny" a
	 * closed connection, or a URL: a redirect there (301) when it is a
	 * GET or HEAD of a browser, the error status otherwise.
	 */
	enum { SSTP_HTTP_ERROR_ALLOW, SSTP_HTTP_ERROR_DENY,
	       SSTP_HTTP_ERROR_REDIRECT } http_error;
	char http_redirect[512];
	/* connection-rate-limit = COUNT/PERIOD per client; 0 = none. */
	unsigned long rate_count, rate_period;	/* period in seconds */
	char pppd[PATH_MAX];
	char plugin[PATH_MAX];
	char status_socket[108];	/* sun_path; "" = none */
	/*
	 * use-radius (MikroTik's /ppp aaa): users of no [user] section are
	 * asked of the [radius] server, through pppd's radius.so;
	 * radius-accounting: it gets the sessions' accounting too.
	 */
	bool use_radius;
	bool radius_accounting;
	struct sstp_radius_conf radius;

	struct sstp_profile *profiles;
	struct sstp_user *users;
	struct sstp_pool_conf *pools;
};

/* Read @path; 0, or -1 with "FILE:LINE: message" in @err. */
int sstp_server_config_load(struct sstp_server_config *c, const char *path,
			    char *err, size_t errlen);
void sstp_server_config_free(struct sstp_server_config *c);
/* Only read @path, without the checks of the whole file (load does both). */
int sstp_server_config_read(struct sstp_server_config *c, const char *path,
			    char *err, size_t errlen);

const struct sstp_user *sstp_server_find_user(const struct sstp_server_config *c,
					      const char *name);
const struct sstp_profile *sstp_server_find_profile(const struct sstp_server_config *c,
						    const char *name);
/* @u's profile (NULL: a RADIUS user): its own, or default-profile. */
const struct sstp_profile *sstp_server_user_profile(const struct sstp_server_config *c,
						    const struct sstp_user *u);
const struct sstp_pool_conf *sstp_server_find_pool(const struct sstp_server_config *c,
						   const char *name);

#endif /* SSTP_SERVER_CONFIG_H */
