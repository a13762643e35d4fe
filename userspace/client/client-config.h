/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * client-config.h - what `sstp-helper connect` is told: a [client] section
 * of a config file and/or command-line flags, both with MikroTik RouterOS
 * option names (flags win over the file), plus sstpc's spellings of the
 * flags a user of sstpc would reach for.
 */
#ifndef SSTP_CLIENT_CONFIG_H
#define SSTP_CLIENT_CONFIG_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "common/link.h"

struct sstp_client_config {
	char connect_to[256];		/* host name or address */
	unsigned long port;
	char user[256];
	char password[256];		/* from password=, password-file= */
	bool have_password;
	bool inline_secret;	/* a password written out, not a file's */
	char certificate[PATH_MAX];	/* client certificate, PEM; "" = none */
	char private_key[PATH_MAX];
	char ca[PATH_MAX];		/* file or directory; "" = system store */
	bool verify_server_certificate;
	bool verify_server_address;	/* verify-server-address-from-certificate */
	struct sstp_link_conf link;	/* tls-version, authentication, ... */
	bool add_default_route;
	bool save_server_route;		/* pin the server's route regardless */
	char correlation_id[128];	/* uuid (sstpc); "" = a fresh GUID */
	bool use_peer_dns;
	char name[16];			/* interface name; "" = pppd's pppN */
	unsigned long negotiation_timeout;
	bool dial_on_demand;		/* pppd waits for traffic, then we dial */
	unsigned long idle_timeout;	/* s without traffic: hang up; 0 never */
	bool reconnect;			/* after a loss, with backoff */
	unsigned long reconnect_max;	/* longest wait between tries, s */
	/* http-proxy = [http://][USER:PASSWORD@]HOST:PORT */
	char proxy_host[256];
	unsigned long proxy_port;
	char proxy_user[128], proxy_password[128];
	char pppd[PATH_MAX];
	char plugin[PATH_MAX];
};

void sstp_client_config_init(struct sstp_client_config *c);
/* The [client] section of @path; 0, or -1 with "FILE:LINE: why" in @err. */
int sstp_client_config_load(struct sstp_client_config *c, const char *path,
			    char *err, size_t errlen);
/*
 * One setting by its option name (a config key, or a flag without its
 * "--"; sstpc's spellings included); 0, or -1 with @err. @value is NULL
 * for the flags that take none (cert-warn).
 */
int sstp_client_config_set(struct sstp_client_config *c, const char *key,
			   const char *value, char *err, size_t errlen);
/* Does the flag @key (without "--") take a value? -1 if no such flag. */
int sstp_client_flag_arity(const char *key);
/* After all settings: what is missing or contradicts; 0 or -1 with @err. */
int sstp_client_config_check(struct sstp_client_config *c, char *err,
			     size_t errlen);
/* Wipe the password. */
void sstp_client_config_wipe(struct sstp_client_config *c);

#endif /* SSTP_CLIENT_CONFIG_H */
