// SPDX-License-Identifier: GPL-2.0-or-later
/* link.c - the link settings both roles share (see link.h). */

#include <string.h>

#include "common/config.h"
#include "common/link.h"

static const char *const auth_words[] = { "pap", "chap", "mschap1", "mschap2", NULL };
/* In the order of enum sstp_tls_versions and enum sstp_pfs. */
static const char *const tls_words[] = { "any", "only-1.2", "only-1.3", NULL };
static const char *const pfs_words[] = { "required", "yes", "no", NULL };
/* In the order of enum sstp_datapath. */
static const char *const datapath_words[] = { "auto", "kernel", "user", NULL };

void sstp_link_conf_init(struct sstp_link_conf *l)
{
	memset(l, 0, sizeof(*l));
	l->tls_version = SSTP_TLS_ANY;
	l->authentication = SSTP_AUTH_BIT_PAP | SSTP_AUTH_BIT_CHAP |
			    SSTP_AUTH_BIT_MSCHAP1 | SSTP_AUTH_BIT_MSCHAP2;
	l->keepalive_timeout = 60;
	l->max_mtu = 1500;
	l->max_mru = 1500;
	l->ipv6 = true;
}

int sstp_link_conf_key(struct sstp_link_conf *l, const char *k,
		       const char *v, char *err, size_t errlen)
{
	int choice;

	if (!strcmp(k, "tls-version")) {
		if (sstp_conf_choice(v, tls_words, &choice, err, errlen))
			return -1;
		l->tls_version = (enum sstp_tls_versions)choice;
		return 0;
	}
	if (!strcmp(k, "datapath")) {
		if (sstp_conf_choice(v, datapath_words, &choice, err, errlen))
			return -1;
		l->datapath = (enum sstp_datapath)choice;
		return 0;
	}
	if (!strcmp(k, "pfs")) {
		if (sstp_conf_choice(v, pfs_words, &choice, err, errlen))
			return -1;
		l->pfs = (enum sstp_pfs)choice;
		return 0;
	}
	if (!strcmp(k, "ciphers"))
		return sstp_conf_string(l->ciphers, sizeof(l->ciphers), v, err,
					errlen);
	if (!strcmp(k, "authentication"))
		return sstp_conf_word_list(v, auth_words, &l->authentication,
					   err, errlen);
	if (!strcmp(k, "keepalive-timeout"))
		return sstp_conf_seconds(v, 3600, &l->keepalive_timeout, err, errlen);
	if (!strcmp(k, "max-mtu"))
		return sstp_conf_uint(v, 576, 4087, &l->max_mtu, err, errlen);
	if (!strcmp(k, "max-mru"))
		return sstp_conf_uint(v, 576, 4087, &l->max_mru, err, errlen);
	if (!strcmp(k, "mrru")) {
		/*
		 * "disabled" as RouterOS prints it. RouterOS goes up to 65535,
		 * but pppd's bundle MTU stops at its "mtu" limit, 16384.
		 */
		if (!strcmp(v, "disabled") || !strcmp(v, "0")) {
			l->mrru = 0;
			return 0;
		}
		return sstp_conf_uint(v, 1500, 16384, &l->mrru, err, errlen);
	}
	if (!strcmp(k, "ipv6"))
		return sstp_conf_bool(v, &l->ipv6, err, errlen);
	if (!strcmp(k, "anonymous-dh"))
		return sstp_conf_bool(v, &l->anonymous_dh, err, errlen);
	return 1;
}

const char *sstp_link_conf_anonymous_conflict(const struct sstp_link_conf *l,
					      bool have_certificate)
{
	if (!l->anonymous_dh)
		return NULL;
	if (l->tls_version == SSTP_TLS_ONLY_13)
		return "anonymous-dh needs TLS 1.2 (TLS 1.3 has no anonymous "
		       "suites): not with tls-version = only-1.3";
	if (l->ciphers[0])
		return "anonymous-dh has its own two suites (ADH AES-GCM): not "
		       "with ciphers";
	if (have_certificate)
		return "anonymous-dh uses no certificate: not with "
		       "certificate (a server says certificate = none)";
	return NULL;
}
