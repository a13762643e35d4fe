// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sstp-pppd.so: attaches pppd to the PPP channel of an sstp.ko tunnel.
 *
 *   pppd plugin sstp-pppd.so sstp-channel <index> [sstp-ctl-fd <fd>] ...
 *
 * <index> is the channel index SSTP_CMD_TUNNEL_NEW returned. connect()
 * opens /dev/ppp and attaches it to that channel (PPPIOCATTCHAN); pppd's
 * generic code then asks that fd for PPPIOCGCHAN, which ppp_generic
 * forwards to sstp.ko, and attaches its own /dev/ppp fd, exactly as it does
 * for the pptp and pppol2tp channels. The channel lives in the netns where
 * the tunnel was created: pppd must run there too.
 *
 * sstp-ask-address (the server end, with sstp-ctl-fd): the addresses of
 * the link come from the helper once the user is known (auth.c).
 *
 * sstp-ctl-fd names an inherited AF_UNIX SOCK_SEQPACKET socket to
 * sstp-helper (../plugin-ctl.h): with it, pppd takes passwords and secrets
 * from the helper instead of its secrets files and reports the
 * authentication, the MPPE keys and IPCP to it (auth.c, ctl.c).
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/ppp-ioctl.h>

#include "pppd-compat.h"
#include "sstp-pppd.h"

char pppd_version[] = SSTP_PPPD_VERSION;

static int sstp_channel_index = -1;
/* Our /dev/ppp fd attached to the channel; pppd opens its own beside it. */
static int sstp_channel_fd = -1;

static int sstp_set_channel(char **argv);
static int sstp_set_ctl_fd(char **argv);

int sstp_ask_address;

static int sstp_set_ask_address(char **argv)
{
	(void)argv;
	sstp_ask_address = 1;
	return 1;
}

static option_t sstp_options[] = {
	{
		.name = "sstp-channel",
		.type = o_special,
		.addr = (void *)sstp_set_channel,
		.description = "PPP channel index of the sstp.ko tunnel to run on",
		.flags = OPT_PRIO | OPT_PRIV,
	},
	{
		.name = "sstp-ctl-fd",
		.type = o_special,
		.addr = (void *)sstp_set_ctl_fd,
		.description = "Inherited control socket to sstp-helper",
		.flags = OPT_PRIO | OPT_PRIV,
	},
	{
		.name = "sstp-ask-address",
		.type = o_special_noarg,
		.addr = (void *)sstp_set_ask_address,
		.description = "Ask sstp-helper for the peer's address after "
			       "authentication",
		.flags = OPT_PRIO | OPT_PRIV,
	},
	{ .name = NULL }
};

static int sstp_connect(void)
{
	int fd, index = sstp_channel_index;

	fd = open("/dev/ppp", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		error("sstp: cannot open /dev/ppp: %m");
		return -1;
	}
	if (ioctl(fd, PPPIOCATTCHAN, &index) < 0) {
		error("sstp: cannot attach to PPP channel %d: %m "
		      "(tunnel gone, or created in another netns?)", index);
		close(fd);
		return -1;
	}
	sstp_channel_fd = fd;
	return fd;
}

static void sstp_disconnect(void)
{
	if (sstp_channel_fd >= 0) {
		close(sstp_channel_fd);
		sstp_channel_fd = -1;
	}
}

static void sstp_check_options(void)
{
	if (sstp_channel_index < 0)
		fatal("sstp: the sstp-channel option is required");
}

/* No HDLC on SSTP: the asyncmap and compression flags mean nothing here. */
static void sstp_send_config(int mtu, uint32_t asyncmap, int pcomp, int accomp)
{
	(void)asyncmap;
	(void)pcomp;
	(void)accomp;
	sstp_pppd_set_mtu(mtu);
}

static void sstp_recv_config(int mru, uint32_t asyncmap, int pcomp, int accomp)
{
	(void)mru;
	(void)asyncmap;
	(void)pcomp;
	(void)accomp;
}

static struct channel sstp_channel = {
	.options		= sstp_options,
	.check_options		= sstp_check_options,
	.connect		= sstp_connect,
	.disconnect		= sstp_disconnect,
	.establish_ppp		= sstp_pppd_establish,
	.disestablish_ppp	= sstp_pppd_disestablish,
	.send_config		= sstp_send_config,
	.recv_config		= sstp_recv_config,
};

static int sstp_set_channel(char **argv)
{
	char name[32], *end;
	long index;

	errno = 0;
	index = strtol(argv[0], &end, 10);
	if (errno || end == argv[0] || *end || index < 0 || index > 0x7fffffff) {
		sstp_pppd_option_error("sstp-channel: '%s' is not a channel index", argv[0]);
		return 0;
	}
	sstp_channel_index = (int)index;
	snprintf(name, sizeof(name), "sstp-channel-%d", sstp_channel_index);
	sstp_pppd_set_devnam(name);
	the_channel = &sstp_channel;
	return 1;
}

/* The auth hooks go in only with a helper to answer them: without one,
 * pppd keeps using its secrets files. */
static int sstp_set_ctl_fd(char **argv)
{
	if (!sstp_ctl_attach(argv[0]))
		return 0;
	sstp_auth_init();
	return 1;
}

/* pppd calls this when it loads the plugin. */
void plugin_init(void);
void plugin_init(void)
{
	sstp_pppd_add_options(sstp_options);
}
