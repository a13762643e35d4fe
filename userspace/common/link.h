/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * link.h - what both ends of a call configure alike, under the same
 * (MikroTik RouterOS) names: TLS versions and PFS, the PPP authentication
 * methods, keepalive, MTU/MRU/MRRU, IPv6CP, anonymous DH. The client's
 * [client] and the server's [server] section each hold one.
 */
#ifndef SSTP_LINK_H
#define SSTP_LINK_H

#include <stdbool.h>
#include <stddef.h>

/* Bits of sstp_link_conf.authentication, in MikroTik's word order. */
enum {
	SSTP_AUTH_BIT_PAP	= 1 << 0,
	SSTP_AUTH_BIT_CHAP	= 1 << 1,
	SSTP_AUTH_BIT_MSCHAP1	= 1 << 2,
	SSTP_AUTH_BIT_MSCHAP2	= 1 << 3,
};

enum sstp_tls_versions {
	SSTP_TLS_ANY,		/* 1.2 and 1.3 */
	SSTP_TLS_ONLY_12,
	SSTP_TLS_ONLY_13,
};

/* pfs (MikroTik): whether TLS 1.2 may use a key exchange without it. */
enum sstp_pfs {
	SSTP_PFS_REQUIRED,	/* ECDHE only (the default) */
	SSTP_PFS_YES,		/* ECDHE preferred, RSA key exchange allowed */
	SSTP_PFS_NO,		/* the same: kTLS has no non-PFS-only suites */
};

/*
 * datapath: what carries a call's frames. sstp.ko (the kernel's TLS,
 * no copy to userspace), or the helper itself with pppd on a pty, for a
 * machine without the module; auto (the default): sstp.ko where it can
 * (datapath/pick.h).
 */
enum sstp_datapath {
	SSTP_DATAPATH_AUTO,
	SSTP_DATAPATH_KERNEL,
	SSTP_DATAPATH_USER,
};

/* What both ends configure alike, under the same names. */
struct sstp_link_conf {
	enum sstp_tls_versions tls_version;
	enum sstp_pfs pfs;
	/*
	 * ciphers: the TLS suites offered, in order of preference (a
	 * server's order wins). "": all that the kernel runs. The words
	 * are read when the TLS context is made (transport/ciphers.h).
	 */
	char ciphers[256];
	unsigned int authentication;	/* SSTP_AUTH_BIT_* */
	unsigned long keepalive_timeout;	/* seconds; 0 = off */
	unsigned long max_mtu, max_mru;
	/*
	 * mrru: PPP multilink's reassembled unit, 0 = disabled. Packets up
	 * to this size pass, cut into fragments that fit max-mtu.
	 */
	unsigned long mrru;
	bool ipv6;			/* IPv6CP, as pppd does by default */
	/*
	 * MikroTik's certificate=none: TLS with anonymous Diffie-Hellman,
	 * no certificate on either end, so nothing stops a man in the
	 * middle. Only TLS 1.2 has such suites. An explicit opt-in on both
	 * ends (the server's certificate = none needs it too).
	 */
	bool anonymous_dh;
	enum sstp_datapath datapath;
};

/* Defaults: TLS 1.2 and 1.3, every method, 60 s, 1500 bytes, IPv6CP; the
 * rest zero. */
void sstp_link_conf_init(struct sstp_link_conf *l);
/*
 * Set @key if it is one of the link keys (tls-version, pfs, ciphers,
 * authentication, keepalive-timeout, max-mtu, max-mru, mrru, ipv6,
 * anonymous-dh, datapath): 0, or -1 with @err; 1 if @key is none of them.
 */
int sstp_link_conf_key(struct sstp_link_conf *l, const char *key,
		       const char *value, char *err, size_t errlen);

/*
 * What anonymous-dh contradicts at either end (a TLS 1.3 only link, a
 * certificate of ours, a ciphers list): NULL, or why not.
 */
const char *sstp_link_conf_anonymous_conflict(const struct sstp_link_conf *l,
					      bool have_certificate);

#endif /* SSTP_LINK_H */
