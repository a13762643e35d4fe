/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * plugin-ctl.h - what sstp-pppd.so (inside pppd) and sstp-helper say to
 * each other.
 *
 * The helper makes a socketpair(AF_UNIX, SOCK_SEQPACKET), keeps one end and
 * lets pppd inherit the other, named by the plugin option
 * "sstp-ctl-fd <fd>". Each message is one packet of text: a verb, then
 * fields separated by single spaces; any value that may hold arbitrary bytes
 * (user names, passwords, keys) is lowercase hex, "-" when empty. No
 * message ever carries a password or key in clear text, so an strace or a
 * log of the raw packets shows none.
 *
 * Plugin to helper:
 *   secret <user>           the server end asks for <user>'s password, to
 *                           check PAP or verify CHAP/MS-CHAP; the helper
 *                           answers "secret <password>" or "no-secret"
 *   address <user>          the server end (with the plugin option
 *                           sstp-ask-address), after <user> authenticated
 *                           and before IPCP starts: which addresses, and
 *                           which profile? The helper answers "address
 *                           <remote> [local=<a>] dns=[<a>[,<b>]] idle=<s>
 *                           session=<s> mtu=<n>" (text, hex-encoded like
 *                           any value; without local= the command line's
 *                           stays; 0 is none; mtu only lowers the
 *                           interface's) or "no-address"
 *   given <user> <remote>   the server end, instead of "address": an
 *                           earlier plugin (radius.so: Framed-IP-Address)
 *                           gave <user> the address <remote> (dotted
 *                           form); no answer. The helper holds it in its
 *                           pool, or ends the session if another has it
 *   password                the client end asks for its own password; the
 *                           helper answers "password <password>"
 *   auth <user> <method>    the peer authenticated (server end) or we did
 *                           (client end); <method> is one of the
 *                           SSTP_CTL_AUTH_* names (not hex); "auth - none"
 *                           when the link came up without authentication
 *   auth-failed <user> <method>   the server end refused <user>: a wrong
 *                           password, or a user the helper does not know;
 *                           sent before pppd answers the peer, so it is
 *                           there before the peer can hang up. On the
 *                           client end: the server refused us (<user> is
 *                           ours)
 *   keys <send> <recv>      the MPPE master keys of this end, sent when the
 *                           link enters the network phase (after any
 *                           authentication); "keys - -" when the method
 *                           made none (PAP, CHAP-MD5, no auth). MS-CHAP
 *                           keys are always 16 bytes (pppd 2.5 keeps 20,
 *                           the plugin sends the 16 that are the key);
 *                           EAP keys are what pppd holds (up to 32)
 *   ip-up <ifname> <local> <remote>     IPCP is up (addresses in dotted
 *                           form, not hex; <ifname> as pppd named it)
 *   ip-down <ifname>
 *   dial                    the client end with the plugin option
 *                           sstp-dial (dial-on-demand): traffic is waiting,
 *                           pppd wants a link; the helper connects and
 *                           answers "channel <index>" (the decimal index as
 *                           text, hex-encoded like any value) once the
 *                           server has acknowledged the call, or
 *                           "no-channel" when it could not
 *   hangup                  the client end with sstp-dial: pppd let the
 *                           link go (idle, or it failed); the helper ends
 *                           the call and waits for the next "dial"
 *
 * A helper that does not know a verb ignores it; the plugin treats any
 * unexpected answer as "no".
 */
#ifndef SSTP_PLUGIN_CTL_H
#define SSTP_PLUGIN_CTL_H

/* Largest message: "secret " + 2 * 255 bytes of hex, with room to spare. */
#define SSTP_CTL_MAX_MSG	1024

#define SSTP_CTL_SECRET		"secret"
#define SSTP_CTL_NO_SECRET	"no-secret"
#define SSTP_CTL_PASSWORD	"password"
#define SSTP_CTL_ADDRESS	"address"
#define SSTP_CTL_NO_ADDRESS	"no-address"
#define SSTP_CTL_GIVEN		"given"
#define SSTP_CTL_AUTH		"auth"
#define SSTP_CTL_AUTH_FAILED	"auth-failed"
#define SSTP_CTL_KEYS		"keys"
#define SSTP_CTL_IP_UP		"ip-up"
#define SSTP_CTL_IP_DOWN	"ip-down"
#define SSTP_CTL_DIAL		"dial"
#define SSTP_CTL_CHANNEL	"channel"
#define SSTP_CTL_NO_CHANNEL	"no-channel"
#define SSTP_CTL_HANGUP		"hangup"

#define SSTP_CTL_AUTH_NONE	"none"
#define SSTP_CTL_AUTH_PAP	"pap"
#define SSTP_CTL_AUTH_CHAP	"chap"
#define SSTP_CTL_AUTH_MSCHAP	"mschap1"
#define SSTP_CTL_AUTH_MSCHAP2	"mschap2"
#define SSTP_CTL_AUTH_EAP	"eap"

#include <stddef.h>

/*
 * Write "VERB <hex of value>" ("VERB -" when @len is 0, just "VERB" when
 * @value is NULL) into @buf; returns its length, or -1 if it does not fit.
 */
int sstp_ctl_format(char *buf, size_t size, const char *verb,
		    const void *value, size_t len);

#endif /* SSTP_PLUGIN_CTL_H */
