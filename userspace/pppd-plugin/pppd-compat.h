/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The pppd plugin API differs between pppd 2.4.9 (Debian 12) and 2.5
 * (Debian 13): 2.5 prefixed most functions with ppp_ and moved options to
 * <pppd/options.h>. Everything the plugin uses goes through these names.
 */
#ifndef SSTP_PPPD_COMPAT_H
#define SSTP_PPPD_COMPAT_H

#include <stdint.h>
#include <sys/types.h>

#if __has_include(<pppd/pppdconf.h>)
#define SSTP_PPPD_25 1
#include <pppd/pppdconf.h>
#include <pppd/pppd.h>
#include <pppd/options.h>

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

#else /* pppd 2.4.9 */
#include <string.h>
#include <pppd/pppd.h>
#include <pppd/patchlevel.h>

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
#endif

#endif /* SSTP_PPPD_COMPAT_H */
