/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The pppd plugin API differs between pppd 2.4.9 (Debian 12) and 2.5
 * (Debian 13): 2.5 prefixed most functions with ppp_, moved options to
 * <pppd/options.h> and the auth hooks to <pppd/upap.h> and <pppd/chap.h>,
 * replaced the notifier lists by ppp_add_notify(), hid globals such as
 * ifname and peer_authname behind functions, and keeps the MPPE keys behind
 * mppe_get_*_key(). Everything the plugin uses goes through these names.
 *
 * What stayed the same and is used directly: the hook variables
 * (pap_check_hook, pap_auth_hook, pap_passwd_hook, chap_check_hook,
 * chap_passwd_hook, chap_verify_hook, allowed_address_hook) with the same
 * signatures, struct chap_digest_type, lcp_gotoptions/lcp_hisoptions,
 * ipcp_gotoptions/ipcp_hisoptions/ipcp_wantoptions/ipcp_allowoptions,
 * the PHASE_* names,
 * CHAP_DIGEST() and the CHAP_* digest codes, MAXSECRETLEN and MAXNAMELEN.
 */
#ifndef SSTP_PPPD_COMPAT_H
#define SSTP_PPPD_COMPAT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>

/* The shape of a notifier callback in both versions. */
typedef void sstp_notify_fn(void *ctx, int arg);

#if __has_include(<pppd/pppdconf.h>)
#define SSTP_PPPD_25 1
#include <pppd/pppdconf.h>
#include <pppd/pppd.h>
#include <pppd/options.h>
#include <pppd/fsm.h>
#include <pppd/lcp.h>
#include <pppd/ipcp.h>
#include <pppd/upap.h>
#include <pppd/chap.h>
#include <pppd/mppe.h>

#define SSTP_PPPD_VERSION	PPPD_VERSION

#define sstp_pppd_option_error	ppp_option_error

static inline void sstp_pppd_add_options(option_t *opts)
{
	ppp_add_options(opts);
}

static inline int sstp_pppd_establish(int fd)
{
	return ppp_generic_establish(fd);
}

static inline void sstp_pppd_disestablish(int fd)
{
	ppp_generic_disestablish(fd);
}

/* The device name pppd logs ("Connect: ppp0 <--> name"). */
static inline void sstp_pppd_set_devnam(const char *name)
{
	ppp_set_devnam(name);
	ppp_set_pppdevnam(name);
}

static inline void sstp_pppd_set_mtu(int mtu)
{
	ppp_set_mtu(ppp_ifunit(), mtu);
}

static inline int sstp_pppd_get_mtu(void)
{
	return ppp_get_mtu(ppp_ifunit());
}

/* pppd's "idle" and "maxconnect", in seconds (0: none). */
static inline void sstp_pppd_set_idle_limit(int seconds)
{
	ppp_set_max_idle_time((unsigned int)seconds);
}

static inline void sstp_pppd_set_connect_limit(int seconds)
{
	ppp_set_max_connect_time((unsigned int)seconds);
}

static inline const char *sstp_pppd_ifname(void)
{
	return ppp_ifname();
}

/* The name the peer authenticated itself to us with. */
static inline const char *sstp_pppd_peer_authname(void)
{
	return ppp_peer_authname(NULL, 0);
}

static inline int sstp_pppd_exit_status(void)
{
	return (int)ppp_status();
}

static inline void sstp_pppd_on_phase_change(sstp_notify_fn *fn)
{
	ppp_add_notify(NF_PHASE_CHANGE, fn, NULL);
}

static inline void sstp_pppd_on_auth_up(sstp_notify_fn *fn)
{
	ppp_add_notify(NF_AUTH_UP, fn, NULL);
}

static inline void sstp_pppd_on_ip_up(sstp_notify_fn *fn)
{
	ppp_add_notify(NF_IP_UP, fn, NULL);
}

static inline void sstp_pppd_on_ip_down(sstp_notify_fn *fn)
{
	ppp_add_notify(NF_IP_DOWN, fn, NULL);
}

/*
 * Copy this end's MPPE send and receive keys into send/recv (size bytes
 * each); returns their length, 0 when the authentication made none.
 * 2.5 keeps up to 32 bytes (EAP-TLS); for MS-CHAP it stores the whole
 * 20-byte SHA-1 output, of which the key proper is the first 16.
 */
static inline size_t sstp_pppd_mppe_keys(unsigned char *send,
					 unsigned char *recv, size_t size)
{
	int s, r;

	if (!mppe_keys_isset())
		return 0;
	s = mppe_get_send_key(send, (int)size);
	r = mppe_get_recv_key(recv, (int)size);
	return s > 0 && s == r ? (size_t)s : 0;
}

#else /* pppd 2.4.9 */
#include <pppd/pppd.h>
#include <pppd/patchlevel.h>
#include <pppd/fsm.h>
#include <pppd/lcp.h>
#include <pppd/ipcp.h>
#include <pppd/chap-new.h>
/* chap_ms.h declares the MPPE key globals only for an MPPE build, which
 * Debian's pppd is. */
#ifndef MPPE
#define MPPE 1
#endif
#include <pppd/chap_ms.h>

#define SSTP_PPPD_VERSION	VERSION
#define sstp_pppd_option_error	option_error

static inline void sstp_pppd_add_options(option_t *opts)
{
	add_options(opts);
}

static inline int sstp_pppd_establish(int fd)
{
	return generic_establish_ppp(fd);
}

static inline void sstp_pppd_disestablish(int fd)
{
	generic_disestablish_ppp(fd);
}

static inline void sstp_pppd_set_devnam(const char *name)
{
	strlcpy(devnam, name, sizeof(devnam));
	strlcpy(ppp_devnam, name, sizeof(ppp_devnam));
}

static inline void sstp_pppd_set_mtu(int mtu)
{
	netif_set_mtu(ifunit, mtu);
}

static inline int sstp_pppd_get_mtu(void)
{
	return netif_get_mtu(ifunit);
}

static inline void sstp_pppd_set_idle_limit(int seconds)
{
	idle_time_limit = seconds;
}

static inline void sstp_pppd_set_connect_limit(int seconds)
{
	maxconnect = seconds;
}

static inline const char *sstp_pppd_ifname(void)
{
	return ifname;
}

static inline const char *sstp_pppd_peer_authname(void)
{
	return peer_authname;
}

/* The status pppd will exit with, as set so far. */
static inline int sstp_pppd_exit_status(void)
{
	return status;
}

static inline void sstp_pppd_on_phase_change(sstp_notify_fn *fn)
{
	add_notifier(&phasechange, fn, NULL);
}

static inline void sstp_pppd_on_auth_up(sstp_notify_fn *fn)
{
	add_notifier(&auth_up_notifier, fn, NULL);
}

static inline void sstp_pppd_on_ip_up(sstp_notify_fn *fn)
{
	add_notifier(&ip_up_notifier, fn, NULL);
}

static inline void sstp_pppd_on_ip_down(sstp_notify_fn *fn)
{
	add_notifier(&ip_down_notifier, fn, NULL);
}

/* 2.4.9 has no accessors: 16-byte globals and a flag. */
static inline size_t sstp_pppd_mppe_keys(unsigned char *send,
					 unsigned char *recv, size_t size)
{
	if (!mppe_keys_set || size < MPPE_MAX_KEY_LEN)
		return 0;
	memcpy(send, mppe_send_key, MPPE_MAX_KEY_LEN);
	memcpy(recv, mppe_recv_key, MPPE_MAX_KEY_LEN);
	return MPPE_MAX_KEY_LEN;
}
#endif

#endif /* SSTP_PPPD_COMPAT_H */
