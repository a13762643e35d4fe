// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * client-config.c - the client's settings: defaults, one table of option
 * names shared by the config file and the command line, and the checks
 * that need all of them.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "client/client-config.h"
#include "common/config.h"


void sstp_client_config_init(struct sstp_client_config *c)
{
	memset(c, 0, sizeof(*c));
	c->port = 443;
	c->verify_server_certificate = true;
	c->verify_server_address = true;
	sstp_link_conf_init(&c->link);
	c->negotiation_timeout = 60;
	c->reconnect_max = 60;
	snprintf(c->pppd, sizeof(c->pppd), "pppd");
}

void sstp_client_config_wipe(struct sstp_client_config *c)
{
	OPENSSL_cleanse(c->password, sizeof(c->password));
	OPENSSL_cleanse(c->proxy_password, sizeof(c->proxy_password));
	c->have_password = false;
}

/*
 * password-file and http-proxy-password-file (@key): the first line of
 * the file, or of standard input for "-", into @out, so that the password
 * is in no command line and no environment.
 */
static int read_secret_file(const char *key, const char *path, char *out,
			    size_t size, char *err, size_t errlen)
{
	int fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : 0;
	size_t len = 0;
	ssize_t n;

	if (fd < 0) {
		snprintf(err, errlen, "%s %s: %s", key, path, strerror(errno));
		return -1;
	}
	while (len < size - 1 && (n = read(fd, out + len, size - 1 - len)) > 0)
		len += (size_t)n;
	if (fd)
		close(fd);
	out[len] = '\0';
	out[strcspn(out, "\r\n")] = '\0';
	if (!out[0]) {
		snprintf(err, errlen, "%s %s: no password in it", key, path);
		return -1;
	}
	return 0;
}

static int read_password(struct sstp_client_config *c, const char *path,
			 char *err, size_t errlen)
{
	if (read_secret_file("password-file", path, c->password,
			     sizeof(c->password), err, errlen))
		return -1;
	c->have_password = true;
	return 0;
}

/*
 * http-proxy (sstpc: --proxy): [http://][USER[:PASSWORD]@]HOST:PORT, HOST a
 * name, an IPv4 address or an [IPv6] one.
 */
static int set_proxy(struct sstp_client_config *c, const char *v, char *err,
		     size_t errlen)
{
	char buf[512], *p = buf, *at, *colon, *host, *port;

	if (sstp_conf_string(buf, sizeof(buf), v, err, errlen))
		return -1;
	if (!strncmp(p, "http://", 7))
		p += 7;
	at = strrchr(p, '@');
	if (at) {
		*at = '\0';
		colon = strchr(p, ':');
		if (colon)
			*colon = '\0';
		/* Without ":PASSWORD", http-proxy-password-file gives it. */
		c->inline_secret |= colon != NULL;
		if (sstp_conf_string(c->proxy_user, sizeof(c->proxy_user), p, err,
				     errlen) ||
		    (colon &&
		     sstp_conf_string(c->proxy_password,
				      sizeof(c->proxy_password), colon + 1,
				      err, errlen)))
			return -1;
		p = at + 1;
	}
	host = sstp_conf_split_host_port(p, &port);
	if (!host || !port)
		goto bad;
	if (!*host || sstp_conf_string(c->proxy_host, sizeof(c->proxy_host), host,
				       err, errlen))
		goto bad;
	if (sstp_conf_uint(port, 1, 65535, &c->proxy_port, err, errlen))
		return -1;
	return 0;
bad:
	snprintf(err, errlen, "'%s' is not [http://][USER:PASSWORD@]HOST:PORT", v);
	return -1;
}

/* The SSTPCORRELATIONID to send: printable, no spaces (as sstpc's --uuid). */
static int set_correlation_id(struct sstp_client_config *c, const char *v,
			      char *err, size_t errlen)
{
	const char *p;

	for (p = v; *p; p++) {
		if (*p <= ' ' || *p > '~') {
			snprintf(err, errlen, "uuid: printable characters only, "
				 "no spaces");
			return -1;
		}
	}
	if (!*v) {
		snprintf(err, errlen, "uuid: empty");
		return -1;
	}
	return sstp_conf_string(c->correlation_id, sizeof(c->correlation_id),
				v, err, errlen);
}

/*
 * Option names that only set a flag: sstpc's --cert-warn,
 * --save-server-route, and --tls-ext (SNI, which we always send).
 */
static int flag_key(struct sstp_client_config *c, const char *k)
{
	if (!strcmp(k, "cert-warn")) {
		c->verify_server_certificate = false;
		return 0;
	}
	if (!strcmp(k, "save-server-route")) {
		c->save_server_route = true;
		return 0;
	}
	if (!strcmp(k, "tls-ext"))
		return 0;
	return -1;
}

#define STR(field) sstp_conf_string(field, sizeof(field), v, err, errlen)
#define BOOL(field) sstp_conf_bool(v, &field, err, errlen)

static int value_key(struct sstp_client_config *c, const char *k,
		     const char *v, char *err, size_t errlen)
{
	int rc = sstp_link_conf_key(&c->link, k, v, err, errlen);

	if (rc <= 0)
		return rc;

	if (!strcmp(k, "connect-to") || !strcmp(k, "server"))
		return STR(c->connect_to);
	if (!strcmp(k, "port"))
		return sstp_conf_uint(v, 1, 65535, &c->port, err, errlen);
	if (!strcmp(k, "user"))
		return STR(c->user);
	if (!strcmp(k, "password")) {
		c->have_password = true;
		c->inline_secret = true;
		return STR(c->password);
	}
	if (!strcmp(k, "password-file"))
		return read_password(c, v, err, errlen);
	if (!strcmp(k, "http-proxy-password-file"))
		return read_secret_file(k, v, c->proxy_password,
					sizeof(c->proxy_password), err, errlen);
	if (!strcmp(k, "certificate"))
		return STR(c->certificate);
	if (!strcmp(k, "private-key"))
		return STR(c->private_key);
	if (!strcmp(k, "ca") || !strcmp(k, "ca-cert"))
		return STR(c->ca);
	if (!strcmp(k, "verify-server-certificate"))
		return BOOL(c->verify_server_certificate);
	if (!strcmp(k, "verify-server-address-from-certificate"))
		return BOOL(c->verify_server_address);
	if (!strcmp(k, "add-default-route"))
		return BOOL(c->add_default_route);
	if (!strcmp(k, "save-server-route"))
		return BOOL(c->save_server_route);
	if (!strcmp(k, "uuid") || !strcmp(k, "correlation-id"))
		return set_correlation_id(c, v, err, errlen);
	if (!strcmp(k, "use-peer-dns") || !strcmp(k, "usepeerdns"))
		return BOOL(c->use_peer_dns);
	if (!strcmp(k, "name"))
		return STR(c->name);
	if (!strcmp(k, "reconnect"))
		return BOOL(c->reconnect);
	if (!strcmp(k, "dial-on-demand"))
		return BOOL(c->dial_on_demand);
	if (!strcmp(k, "idle-timeout"))
		return sstp_conf_seconds(v, 86400, &c->idle_timeout, err, errlen);
	if (!strcmp(k, "reconnect-max-delay"))
		return sstp_conf_seconds(v, 3600, &c->reconnect_max, err, errlen);
	if (!strcmp(k, "negotiation-timeout"))
		return sstp_conf_seconds(v, 600, &c->negotiation_timeout, err, errlen);
	if (!strcmp(k, "http-proxy") || !strcmp(k, "proxy"))
		return set_proxy(c, v, err, errlen);
	if (!strcmp(k, "pppd"))
		return STR(c->pppd);
	if (!strcmp(k, "plugin"))
		return STR(c->plugin);
	snprintf(err, errlen, "unknown option '%s'", k);
	return -1;
}

#undef STR
#undef BOOL

int sstp_client_flag_arity(const char *key)
{
	struct sstp_client_config probe;
	char err[128];

	sstp_client_config_init(&probe);
	if (!flag_key(&probe, key))
		return 0;
	/* A value every known key accepts or refuses, but never "unknown". */
	value_key(&probe, key, "", err, sizeof(err));
	return strncmp(err, "unknown option", 14) ? 1 : -1;
}

int sstp_client_config_set(struct sstp_client_config *c, const char *key,
			   const char *value, char *err, size_t errlen)
{
	if (!value) {
		if (!flag_key(c, key))
			return 0;
		snprintf(err, errlen, "option '%s' needs a value", key);
		return -1;
	}
	return value_key(c, key, value, err, errlen);
}

static int entry(const struct sstp_conf_entry *e, void *arg, char *err,
		 size_t errlen)
{
	struct sstp_client_config *c = arg;

	if (!e->key) {
		if (strcmp(e->kind, "client") || e->name[0]) {
			snprintf(err, errlen, "unknown section [%s%s%s]: a client "
				 "config has only [client]", e->kind,
				 e->name[0] ? " " : "", e->name);
			return -1;
		}
		return 0;
	}
	if (strcmp(e->kind, "client")) {
		snprintf(err, errlen, "'%s' before the [client] section", e->key);
		return -1;
	}
	/* In a file, sstpc's flags are keys with values. */
	if (!strcmp(e->key, "cert-warn") || !strcmp(e->key, "tls-ext")) {
		snprintf(err, errlen, "'%s' is a command-line flag of sstpc's; "
			 "write verify-server-certificate = no", e->key);
		return -1;
	}
	return value_key(c, e->key, e->value, err, errlen);
}

int sstp_client_config_load(struct sstp_client_config *c, const char *path,
			    char *err, size_t errlen)
{
	return sstp_conf_parse_file(path, entry, c, err, errlen);
}

int sstp_client_config_check(struct sstp_client_config *c, char *err,
			     size_t errlen)
{
	const unsigned int known = SSTP_AUTH_BIT_PAP | SSTP_AUTH_BIT_CHAP |
				   SSTP_AUTH_BIT_MSCHAP1 | SSTP_AUTH_BIT_MSCHAP2;
	const char *why;

	if (!c->connect_to[0]) {
		snprintf(err, errlen, "no server: give connect-to (or the server "
			 "as the first argument)");
		return -1;
	}
	if (!c->user[0]) {
		snprintf(err, errlen, "no user: give user");
		return -1;
	}
	if (!c->have_password) {
		snprintf(err, errlen, "no password: give password-file (a file, "
			 "or - for standard input) or password");
		return -1;
	}
	if (!(c->link.authentication & known)) {
		snprintf(err, errlen, "authentication allows no method");
		return -1;
	}
	if (c->private_key[0] && !c->certificate[0]) {
		snprintf(err, errlen, "private-key without certificate");
		return -1;
	}
	if (c->dial_on_demand && c->link.datapath == SSTP_DATAPATH_USER) {
		snprintf(err, errlen, "dial-on-demand needs datapath = kernel: "
			 "pppd's demand mode waits for a channel of sstp.ko's");
		return -1;
	}
	if (c->dial_on_demand && c->reconnect) {
		snprintf(err, errlen, "dial-on-demand and reconnect: dial-on-demand "
			 "already connects again when traffic comes; choose one");
		return -1;
	}
	why = sstp_link_conf_anonymous_conflict(&c->link, c->certificate[0]);
	if (why) {
		snprintf(err, errlen, "%s", why);
		return -1;
	}
	return 0;
}
