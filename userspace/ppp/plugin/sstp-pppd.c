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
 * sstp-dial (the client end, with sstp-ctl-fd, instead of sstp-channel):
 * dial-on-demand. pppd runs first ("demand"); when traffic wakes it,
 * connect() asks the helper to "dial" and gets the channel of the call
 * it set up; when pppd lets the link go, disconnect() says "hangup".
 *
 * sstp-ctl-timeout <seconds>: how long pppd waits for the helper's
 * answers (ctl.c): the call's own negotiation-timeout.
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
static int sstp_set_dial(char **argv);
static int sstp_set_ctl_timeout(char **argv);

/* How long a dial may take: TCP, TLS, HTTP and the server's Connect Ack. */
#define SSTP_DIAL_TIMEOUT_MS	120000

static int sstp_dial;

int sstp_ask_address;

static int sstp_set_ask_address(char **argv)
{
	(void)argv;
	sstp_ask_address = 1;
	sstp_auth_ask_address();
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
		.name = "sstp-ctl-timeout",
		.type = o_special,
		.addr = (void *)sstp_set_ctl_timeout,
		.description = "Seconds to wait for sstp-helper's answers "
			       "(default 10)",
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
	{
		.name = "sstp-dial",
		.type = o_special_noarg,
		.addr = (void *)sstp_set_dial,
		.description = "Ask sstp-helper for a channel when the link is "
			       "wanted (dial-on-demand)",
		.flags = OPT_PRIO | OPT_PRIV,
	},
	{ .name = NULL }
};

/* dial-on-demand: the helper connects and names the call's channel. */
static int sstp_dial_channel(void)
{
	unsigned char buf[16];
	char *end;
	size_t len;
	long index;

	if (!sstp_ctl_ask_within(SSTP_CTL_DIAL, SSTP_CTL_CHANNEL, buf,
				 sizeof(buf) - 1, &len, SSTP_DIAL_TIMEOUT_MS)) {
		error("sstp: the helper could not connect (see its log)");
		return -1;
	}
	buf[len] = '\0';
	index = strtol((char *)buf, &end, 10);
	if (end == (char *)buf || *end || index < 0 || index > 0x7fffffff) {
		error("sstp: the helper's channel is not a channel index");
		return -1;
	}
	sstp_channel_index = (int)index;
	return 0;
}

static int sstp_connect(void)
{
	int fd, index;

	if (sstp_dial && sstp_dial_channel())
		return -1;
	index = sstp_channel_index;
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
	if (sstp_dial) {
		sstp_ctl_send(SSTP_CTL_HANGUP);
		sstp_channel_index = -1;
	}
}

static void sstp_check_options(void)
{
	if (sstp_dial && !sstp_ctl_attached())
		fatal("sstp: sstp-dial needs sstp-ctl-fd");
	if (sstp_channel_index < 0 && !sstp_dial)
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

static int sstp_set_dial(char **argv)
{
	(void)argv;
	sstp_dial = 1;
	sstp_pppd_set_devnam("sstp-dial");
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

static int sstp_set_ctl_timeout(char **argv)
{
	return sstp_ctl_set_timeout(argv[0]);
}

/* pppd calls this when it loads the plugin. */
void plugin_init(void);
void plugin_init(void)
{
	sstp_pppd_add_options(sstp_options);
}
