// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * server-config.c - the server's configuration: defaults, the keys of each
 * section, look-ups (the checks that need the whole file are in
 * server-config-check.c).
 */

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "call/binding.h"
#include "common/config.h"
#include "server/server-config.h"

static void defaults(struct sstp_server_config *c)
{
	memset(c, 0, sizeof(*c));
	c->port = 443;
	sstp_link_conf_init(&c->link);
	snprintf(c->default_profile, sizeof(c->default_profile), "default");
	c->max_sessions = 1000;
	c->netlink_buffer = 8 << 20;
	c->crypto_binding = SSTP_BINDING_REQUIRED;
	c->handshake_timeout = 10;
	c->negotiation_timeout = 60;
	snprintf(c->pppd, sizeof(c->pppd), "pppd");
	snprintf(c->status_socket, sizeof(c->status_socket), "%s",
		 SSTP_STATUS_SOCKET);
	c->radius_accounting = true;
	c->radius.authentication_port = 1812;
	c->radius.accounting_port = 1813;
	c->radius.timeout = 3;
	c->radius.retries = 3;
}

#define STR(field) sstp_conf_string(field, sizeof(field), v, err, errlen)

/* "COUNT/PERIOD" (PERIOD as sstp_conf_seconds reads it), or "0": none. */
static int rate_limit(struct sstp_server_config *c, const char *v, char *err,
		      size_t errlen)
{
	const char *slash = strchr(v, '/');
	char count[32];

	if (!strcmp(v, "0")) {
		c->rate_count = 0;
		return 0;
	}
	if (!slash || (size_t)(slash - v) >= sizeof(count)) {
		snprintf(err, errlen, "'%s' is not COUNT/PERIOD (say 10/60s), or 0", v);
		return -1;
	}
	memcpy(count, v, (size_t)(slash - v));
	count[slash - v] = '\0';
	if (sstp_conf_uint(count, 1, 100000, &c->rate_count, err, errlen) ||
	    sstp_conf_seconds(slash + 1, 86400, &c->rate_period, err, errlen))
		return -1;
	if (!c->rate_period) {
		snprintf(err, errlen, "'%s': the period must be at least 1s", v);
		return -1;
	}
	return 0;
}

/* http-error = allow | deny | URL (http:// or https://, no spaces). */
static int http_error(struct sstp_server_config *c, const char *v, char *err,
		      size_t errlen)
{
	const char *p;

	if (!strcmp(v, "allow") || !strcmp(v, "deny")) {
		c->http_error = v[0] == 'a' ? SSTP_HTTP_ERROR_ALLOW :
			       SSTP_HTTP_ERROR_DENY;
		return 0;
	}
	if (strncmp(v, "http://", 7) && strncmp(v, "https://", 8))
		goto bad;
	for (p = v; *p; p++)
		if (*p <= ' ' || *p > '~')
			goto bad;
	c->http_error = SSTP_HTTP_ERROR_REDIRECT;
	return sstp_conf_string(c->http_redirect, sizeof(c->http_redirect), v,
				err, errlen);
bad:
	snprintf(err, errlen, "'%s' is not allow, deny or an http(s):// URL", v);
	return -1;
}

/* A certificate hash in hex, checked now, kept as text for serve. */
static int cert_hash(char *dst, size_t size, uint8_t proto, const char *v,
		     char *err, size_t errlen)
{
	struct sstp_cert_hashes h = { 0 };

	if (sstp_cert_hashes_parse(&h, proto, v, err, errlen))
		return -1;
	return sstp_conf_string(dst, size, v, err, errlen);
}

/*
 * accel-ppp's accept = ssl,proxy: "ssl" does TLS here (else plain HTTP
 * behind a TLS proxy), "proxy" reads a PROXY header first.
 */
static int accept_list(struct sstp_server_config *c, const char *v,
		       char *err, size_t errlen)
{
	static const char *const accept_words[] = { "ssl", "proxy", NULL };
	unsigned int bits = 0;

	if (*v && sstp_conf_word_list(v, accept_words, &bits, err, errlen))
		return -1;
	c->plain_http = !(bits & 1);
	c->proxy_protocol = bits & 2;
	return 0;
}

static int server_key(struct sstp_server_config *c, const char *k,
		      const char *v, char *err, size_t errlen)
{
	/* In the order of enum sstp_binding_policy. */
	static const char *const binding_words[] = { "required", "warn", NULL };
	int choice = sstp_link_conf_key(&c->link, k, v, err, errlen);

	if (choice <= 0)
		return choice;

	if (!strcmp(k, "listen"))
		return STR(c->listen);
	if (!strcmp(k, "port"))
		return sstp_conf_uint(v, 1, 65535, &c->port, err, errlen);
	if (!strcmp(k, "certificate"))
		return STR(c->certificate);
	if (!strcmp(k, "private-key"))
		return STR(c->private_key);
	if (!strcmp(k, "ca"))
		return STR(c->ca);
	if (!strcmp(k, "verify-client-certificate"))
		return sstp_conf_bool(v, &c->verify_client_certificate, err, errlen);
	if (!strcmp(k, "default-profile"))
		return STR(c->default_profile);
	if (!strcmp(k, "max-sessions"))
		return sstp_conf_uint(v, 1, 100000, &c->max_sessions, err, errlen);
	if (!strcmp(k, "netlink-buffer"))
		return sstp_conf_uint(v, 4096, 1 << 30, &c->netlink_buffer,
				      err, errlen);
	if (!strcmp(k, "crypto-binding")) {
		if (sstp_conf_choice(v, binding_words, &choice, err, errlen))
			return -1;
		c->crypto_binding = (enum sstp_binding_policy)choice;
		return 0;
	}
	if (!strcmp(k, "handshake-timeout"))
		return sstp_conf_seconds(v, 600, &c->handshake_timeout, err, errlen);
	if (!strcmp(k, "negotiation-timeout"))
		return sstp_conf_seconds(v, 600, &c->negotiation_timeout, err, errlen);
	if (!strcmp(k, "http-error"))
		return http_error(c, v, err, errlen);
	if (!strcmp(k, "connection-rate-limit"))
		return rate_limit(c, v, err, errlen);
	if (!strcmp(k, "proxy-protocol"))
		return sstp_conf_bool(v, &c->proxy_protocol, err, errlen);
	if (!strcmp(k, "plain-http"))
		return sstp_conf_bool(v, &c->plain_http, err, errlen);
	if (!strcmp(k, "accept"))
		return accept_list(c, v, err, errlen);
	if (!strcmp(k, "cert-hash-sha256"))
		return cert_hash(c->cert_hash_sha256, sizeof(c->cert_hash_sha256),
				 SSTP_HASH_SHA256, v, err, errlen);
	if (!strcmp(k, "cert-hash-sha1"))
		return cert_hash(c->cert_hash_sha1, sizeof(c->cert_hash_sha1),
				 SSTP_HASH_SHA1, v, err, errlen);
	if (!strcmp(k, "pppd"))
		return STR(c->pppd);
	if (!strcmp(k, "plugin"))
		return STR(c->plugin);
	if (!strcmp(k, "status-socket"))
		return STR(c->status_socket);
	if (!strcmp(k, "use-radius"))
		return sstp_conf_bool(v, &c->use_radius, err, errlen);
	if (!strcmp(k, "radius-accounting"))
		return sstp_conf_bool(v, &c->radius_accounting, err, errlen);
	snprintf(err, errlen, "unknown key '%s' in [server]", k);
	return -1;
}

static int profile_key(struct sstp_profile *p, const char *k, const char *v,
		       char *err, size_t errlen)
{
	if (!strcmp(k, "local-address"))
		return STR(p->local_address);
	if (!strcmp(k, "remote-address"))
		return STR(p->remote_address);
	if (!strcmp(k, "dns-server")) {
		const char *comma = strchr(v, ',');

		if (comma && (size_t)(comma - v) < sizeof(p->dns_server[0])) {
			memcpy(p->dns_server[0], v, comma - v);
			p->dns_server[0][comma - v] = '\0';
			return sstp_conf_string(p->dns_server[1], sizeof(p->dns_server[1]),
				       comma + 1, err, errlen);
		}
		return STR(p->dns_server[0]);
	}
	if (!strcmp(k, "idle-timeout"))
		return sstp_conf_seconds(v, 86400 * 7, &p->idle_timeout, err, errlen);
	if (!strcmp(k, "session-timeout"))
		return sstp_conf_seconds(v, 86400 * 7, &p->session_timeout, err, errlen);
	if (!strcmp(k, "max-mtu"))
		return sstp_conf_uint(v, 576, 16384, &p->max_mtu, err, errlen);
	if (!strcmp(k, "max-mru") || !strcmp(k, "mrru")) {
		snprintf(err, errlen, "%s is a [server] key: LCP agrees on it "
			 "before the user, and so the profile, is known", k);
		return -1;
	}
	snprintf(err, errlen, "unknown key '%s' in [profile]", k);
	return -1;
}

static int user_key(struct sstp_user *u, const char *k, const char *v,
		    char *err, size_t errlen)
{
	if (!strcmp(k, "password"))
		return STR(u->password);
	if (!strcmp(k, "local-address"))
		return STR(u->local_address);
	if (!strcmp(k, "remote-address"))
		return STR(u->remote_address);
	if (!strcmp(k, "profile"))
		return STR(u->profile);
	snprintf(err, errlen, "unknown key '%s' in [user]", k);
	return -1;
}

static int pool_key(struct sstp_pool_conf *p, const char *k, const char *v,
		    char *err, size_t errlen)
{
	if (!strcmp(k, "ranges"))
		return STR(p->ranges);
	snprintf(err, errlen, "unknown key '%s' in [pool]", k);
	return -1;
}

/*
 * A literal IPv4 address: radius.so's radiusclient opens IPv4 sockets
 * only, and would resolve a name again in every pppd.
 */
static int radius_address(struct sstp_radius_conf *r, const char *v,
			  char *err, size_t errlen)
{
	struct in6_addr a6;
	struct in_addr a;

	if (inet_pton(AF_INET, v, &a) == 1)
		return STR(r->address);
	if (inet_pton(AF_INET6, v, &a6) == 1)
		snprintf(err, errlen, "address '%s': pppd's radius.so reaches "
			 "RADIUS servers over IPv4 only", v);
	else
		snprintf(err, errlen, "address '%s' is not an IPv4 address", v);
	return -1;
}

/*
 * radiusclient reads the secret as the second word of a line of its
 * servers file and keeps 48 bytes of it: one word, printable, that long.
 */
static int radius_secret(struct sstp_radius_conf *r, const char *v,
			 char *err, size_t errlen)
{
	const char *p;

	if (!*v) {
		snprintf(err, errlen, "secret is empty");
		return -1;
	}
	if (strlen(v) > SSTP_RADIUS_SECRET_MAX) {
		snprintf(err, errlen, "secret longer than %d characters (the "
			 "most pppd's radius.so keeps)", SSTP_RADIUS_SECRET_MAX);
		return -1;
	}
	for (p = v; *p; p++) {
		if (*p <= ' ' || *p > '~') {
			snprintf(err, errlen, "secret: printable characters "
				 "only, no spaces (radius.so reads it as one word)");
			return -1;
		}
	}
	return STR(r->secret);
}

static int radius_key(struct sstp_radius_conf *r, const char *k,
		      const char *v, char *err, size_t errlen)
{
	if (!strcmp(k, "address"))
		return radius_address(r, v, err, errlen);
	if (!strcmp(k, "secret"))
		return radius_secret(r, v, err, errlen);
	if (!strcmp(k, "authentication-port"))
		return sstp_conf_uint(v, 1, 65535, &r->authentication_port,
				      err, errlen);
	if (!strcmp(k, "accounting-port"))
		return sstp_conf_uint(v, 1, 65535, &r->accounting_port,
				      err, errlen);
	if (!strcmp(k, "timeout")) {
		/* radius.so waits whole seconds, and at least one. */
		if (sstp_conf_seconds(v, 60, &r->timeout, err, errlen) ||
		    !r->timeout) {
			snprintf(err, errlen, "timeout '%s': whole seconds from "
				 "1 to 60 (radius.so counts whole seconds)", v);
			return -1;
		}
		return 0;
	}
	if (!strcmp(k, "retries"))
		return sstp_conf_uint(v, 1, 10, &r->retries, err, errlen);
	snprintf(err, errlen, "unknown key '%s' in [radius]", k);
	return -1;
}

#undef STR

/* A new section: make its object, at the head of its list. */
static int new_section(struct sstp_server_config *c,
		       const struct sstp_conf_entry *e, char *err,
		       size_t errlen)
{
	bool named = strcmp(e->kind, "server") && strcmp(e->kind, "radius");

	if (named != (e->name[0] != '\0')) {
		snprintf(err, errlen, named ? "[%s] needs a name: [%s NAME]" :
			 "[%s] takes no name", e->kind, e->kind);
		return -1;
	}
	if (!strcmp(e->kind, "server"))
		return 0;
	if (!strcmp(e->kind, "radius")) {
		if (c->radius.line) {
			snprintf(err, errlen, "[radius] given twice (line %d): "
				 "one RADIUS server is supported",
				 c->radius.line);
			return -1;
		}
		c->radius.line = e->line;
		return 0;
	}
	if (!strcmp(e->kind, "user")) {
		struct sstp_user *u = calloc(1, sizeof(*u));

		if (!u || sstp_conf_string(u->name, sizeof(u->name), e->name, err, errlen)) {
			free(u);
			return -1;
		}
		if (sstp_server_find_user(c, e->name)) {
			snprintf(err, errlen, "user '%s' defined twice", e->name);
			free(u);
			return -1;
		}
		u->line = e->line;
		u->next = c->users;
		c->users = u;
		return 0;
	}
	if (!strcmp(e->kind, "profile")) {
		struct sstp_profile *p = calloc(1, sizeof(*p));

		if (!p || sstp_conf_string(p->name, sizeof(p->name), e->name, err, errlen)) {
			free(p);
			return -1;
		}
		if (sstp_server_find_profile(c, e->name)) {
			snprintf(err, errlen, "profile '%s' defined twice", e->name);
			free(p);
			return -1;
		}
		p->line = e->line;
		p->next = c->profiles;
		c->profiles = p;
		return 0;
	}
	if (!strcmp(e->kind, "pool")) {
		struct sstp_pool_conf *p = calloc(1, sizeof(*p));

		if (!p || sstp_conf_string(p->name, sizeof(p->name), e->name, err, errlen)) {
			free(p);
			return -1;
		}
		if (sstp_server_find_pool(c, e->name)) {
			snprintf(err, errlen, "pool '%s' defined twice", e->name);
			free(p);
			return -1;
		}
		p->next = c->pools;
		c->pools = p;
		return 0;
	}
	snprintf(err, errlen, "unknown section [%s] (want server, profile, "
		 "pool, user or radius)", e->kind);
	return -1;
}

static int entry(const struct sstp_conf_entry *e, void *arg, char *err,
		 size_t errlen)
{
	struct sstp_server_config *c = arg;

	if (!e->key)
		return new_section(c, e, err, errlen);
	if (!e->kind[0] || !strcmp(e->kind, "server"))
		return server_key(c, e->key, e->value, err, errlen);
	if (!strcmp(e->kind, "user"))
		return user_key(c->users, e->key, e->value, err, errlen);
	if (!strcmp(e->kind, "profile"))
		return profile_key(c->profiles, e->key, e->value, err, errlen);
	if (!strcmp(e->kind, "radius"))
		return radius_key(&c->radius, e->key, e->value, err, errlen);
	return pool_key(c->pools, e->key, e->value, err, errlen);
}

int sstp_server_config_read(struct sstp_server_config *c, const char *path,
			    char *err, size_t errlen)
{
	defaults(c);
	if (sstp_conf_parse_file(path, entry, c, err, errlen)) {
		sstp_server_config_free(c);
		return -1;
	}
	return 0;
}

void sstp_server_config_free(struct sstp_server_config *c)
{
	memset(c->radius.secret, 0, sizeof(c->radius.secret));
	while (c->users) {
		struct sstp_user *u = c->users;

		c->users = u->next;
		memset(u->password, 0, sizeof(u->password));
		free(u);
	}
	while (c->profiles) {
		struct sstp_profile *p = c->profiles;

		c->profiles = p->next;
		free(p);
	}
	while (c->pools) {
		struct sstp_pool_conf *p = c->pools;

		c->pools = p->next;
		free(p);
	}
}

const struct sstp_user *sstp_server_find_user(const struct sstp_server_config *c,
					      const char *name)
{
	const struct sstp_user *u;

	for (u = c->users; u; u = u->next)
		if (!strcmp(u->name, name))
			return u;
	return NULL;
}

const struct sstp_profile *sstp_server_find_profile(const struct sstp_server_config *c,
						    const char *name)
{
	const struct sstp_profile *p;

	for (p = c->profiles; p; p = p->next)
		if (!strcmp(p->name, name))
			return p;
	return NULL;
}

const struct sstp_profile *sstp_server_user_profile(const struct sstp_server_config *c,
						    const struct sstp_user *u)
{
	return sstp_server_find_profile(c, u && u->profile[0] ? u->profile :
					c->default_profile);
}

const struct sstp_pool_conf *sstp_server_find_pool(const struct sstp_server_config *c,
						   const char *name)
{
	const struct sstp_pool_conf *p;

	for (p = c->pools; p; p = p->next)
		if (!strcmp(p->name, name))
			return p;
	return NULL;
}
