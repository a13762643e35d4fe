// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * server-config-check.c - loading the server's configuration: read
 * (server-config.c), then what only the whole file can tell:
 * a user's profile must exist, a certificate must be given (or TLS be
 * left to a proxy in front), RADIUS must be complete.
 */

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "call/binding.h"
#include "common/config.h"
#include "server/server-config.h"

/* Empty, or one IPv4 address. */
static bool is_ipv4(const char *s)
{
	struct in_addr a;

	return !s[0] || inet_pton(AF_INET, s, &a) == 1;
}

/*
 * plain-http: TLS is the proxy's, so is the certificate the clients bind
 * to; none of our TLS settings apply.
 */
static int check_plain_http(const struct sstp_server_config *c,
			    const char *path, char *err, size_t errlen)
{
	const char *why = NULL;

	if (!c->plain_http) {
		if (c->cert_hash_sha256[0] || c->cert_hash_sha1[0])
			why = "cert-hash-sha256/-sha1 are for plain-http = yes "
			      "(TLS here: our certificate is hashed)";
	} else if (!c->cert_hash_sha256[0] && !c->cert_hash_sha1[0]) {
		why = "plain-http = yes needs cert-hash-sha256 (or "
		      "cert-hash-sha1): the hash of the certificate the TLS "
		      "proxy presents, which clients bind to; openssl x509 "
		      "-noout -fingerprint -sha256 -in PROXY-CERT prints it";
	} else if (c->certificate[0] || c->link.anonymous_dh ||
		   c->verify_client_certificate) {
		why = "plain-http = yes does no TLS: certificate, "
		      "anonymous-dh and verify-client-certificate belong to "
		      "the TLS proxy in front";
	}
	if (why)
		snprintf(err, errlen, "%s: %s", path, why);
	return why ? -1 : 0;
}

/* The userspace data path keeps TLS in OpenSSL: TLS of our own. */
static int check_datapath(const struct sstp_server_config *c, const char *path,
			  char *err, size_t errlen)
{
	if (c->link.datapath != SSTP_DATAPATH_USER || !c->plain_http)
		return 0;
	snprintf(err, errlen, "%s: datapath = user carries calls over our own "
		 "TLS: not with plain-http (a TLS proxy in front)", path);
	return -1;
}

/* A certificate, or none (MikroTik's anonymous mode) when asked for twice. */
static int check_tls(struct sstp_server_config *c, const char *path,
		     char *err, size_t errlen)
{
	const char *conflict;

	if (check_plain_http(c, path, err, errlen))
		return -1;
	if (c->plain_http)
		return 0;

	if (!strcmp(c->certificate, "none")) {
		if (!c->link.anonymous_dh) {
			snprintf(err, errlen, "%s: certificate = none means TLS "
				 "with anonymous Diffie-Hellman: clients cannot "
				 "tell us from a man in the middle, and only "
				 "MikroTik clients connect; to allow it anyway, "
				 "set anonymous-dh = yes too", path);
			return -1;
		}
		c->certificate[0] = '\0';
	} else if (!c->certificate[0]) {
		snprintf(err, errlen, "%s: [server] certificate is required", path);
		return -1;
	}
	conflict = sstp_link_conf_anonymous_conflict(&c->link, c->certificate[0]);
	if (!conflict && c->link.anonymous_dh && c->verify_client_certificate)
		conflict = "an anonymous server cannot ask for client "
			   "certificates: not with verify-client-certificate";
	if (conflict) {
		snprintf(err, errlen, "%s: %s", path, conflict);
		return -1;
	}
	return 0;
}

/* use-radius and [radius] go together; [radius] needs its two keys. */
static int check_radius(const struct sstp_server_config *c, const char *path,
			char *err, size_t errlen)
{
	const struct sstp_radius_conf *r = &c->radius;

	if (!c->use_radius && r->line) {
		snprintf(err, errlen, "%s:%d: [radius] is used only with "
			 "use-radius = yes in [server]", path, r->line);
		return -1;
	}
	if (c->use_radius && !r->line) {
		snprintf(err, errlen, "%s: use-radius = yes needs a [radius] "
			 "section (address, secret)", path);
		return -1;
	}
	if (r->line && (!r->address[0] || !r->secret[0])) {
		snprintf(err, errlen, "%s:%d: [radius] needs %s", path, r->line,
			 !r->address[0] ? "address (the server's IPv4 address)" :
			 "secret (shared with the RADIUS server)");
		return -1;
	}
	return 0;
}

/*
 * Addresses are IPv4; a remote-address that is none names a pool. With
 * none at all, the one pool is used, if there is exactly one.
 */
static int check_profile(const struct sstp_server_config *c,
			 const struct sstp_profile *p, const char *path,
			 char *err, size_t errlen)
{
	const char *ra = p->remote_address;
	const char *why = NULL;

	if (!is_ipv4(p->local_address))
		why = "local-address takes an IPv4 address";
	else if (!is_ipv4(p->dns_server[0]) || !is_ipv4(p->dns_server[1]))
		why = "dns-server takes one or two IPv4 addresses";
	else if (!ra[0] && c->pools && c->pools->next)
		why = "no remote-address, and there is more than one [pool]: "
		      "name one";
	if (why) {
		snprintf(err, errlen, "%s:%d: [profile %s]: %s", path, p->line,
			 p->name, why);
		return -1;
	}
	if (ra[0] && !is_ipv4(ra) && !sstp_server_find_pool(c, ra)) {
		snprintf(err, errlen, "%s:%d: [profile %s]: remote-address '%s' "
			 "is neither an IPv4 address nor a [pool]", path,
			 p->line, p->name, ra);
		return -1;
	}
	return 0;
}

static int check(struct sstp_server_config *c, const char *path, char *err,
		 size_t errlen)
{
	const struct sstp_profile *p;
	const struct sstp_user *u;

	if (check_datapath(c, path, err, errlen) ||
	    check_tls(c, path, err, errlen) ||
	    check_radius(c, path, err, errlen))
		return -1;
	for (u = c->users; u; u = u->next) {
		if (!u->password[0]) {
			snprintf(err, errlen, "%s:%d: user '%s' has no password",
				 path, u->line, u->name);
			return -1;
		}
		if (u->profile[0] && !sstp_server_find_profile(c, u->profile)) {
			snprintf(err, errlen, "%s:%d: user '%s': no [profile %s]",
				 path, u->line, u->name, u->profile);
			return -1;
		}
		if (!is_ipv4(u->local_address) || !is_ipv4(u->remote_address)) {
			snprintf(err, errlen, "%s:%d: user '%s': local-address and "
				 "remote-address take an IPv4 address", path,
				 u->line, u->name);
			return -1;
		}
	}
	if (strcmp(c->default_profile, "default") &&
	    !sstp_server_find_profile(c, c->default_profile)) {
		snprintf(err, errlen, "%s: default-profile: no [profile %s]", path,
			 c->default_profile);
		return -1;
	}
	for (p = c->profiles; p; p = p->next)
		if (check_profile(c, p, path, err, errlen))
			return -1;
	return 0;
}

int sstp_server_config_load(struct sstp_server_config *c, const char *path,
			    char *err, size_t errlen)
{
	if (sstp_server_config_read(c, path, err, errlen))
		return -1;
	if (check(c, path, err, errlen)) {
		sstp_server_config_free(c);
		return -1;
	}
	return 0;
}
