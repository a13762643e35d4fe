// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * auth.c - authentication without pap-secrets/chap-secrets: pppd's auth
 * hooks get what they need from sstp-helper over the control socket, and
 * pppd's notifiers tell the helper how the link came up.
 *
 * Server end (pppd authenticates the peer: "auth require-..."):
 *   pap_check_hook, chap_check_hook  say a secret can be had, so pppd
 *     neither refuses to start nor drops PAP/CHAP for want of a secrets
 *     file entry;
 *   pap_auth_hook     asks "secret <user>", compares in constant time;
 *   chap_verify_hook  asks "secret <user>" and hands it to the digest's own
 *     verify_response (MD5, MS-CHAP, MS-CHAPv2), which for MS-CHAP also
 *     derives the MPPE keys, exactly as with a secrets file;
 *   ip_choose_hook    (sstp-ask-address) asks "address <user>" once the
 *     user is known: the user's own address or one of the pool, and
 *     the user's profile (our address, DNS, idle and session limits,
 *     MTU);
 *   allowed_address_hook  lets the peer have the remote address given on
 *     pppd's command line or by the helper: without a secrets file there
 *     is no address list, and pppd with "auth" would refuse every address.
 * Client end (pppd authenticates itself: "user NAME", no "password"):
 *   pap_passwd_hook, chap_passwd_hook  ask "password". pppd calls them only
 *     while it has no password of its own.
 * A refusal by either server hook is reported as "auth-failed", and so,
 * on the client end, is the server refusing us.
 *
 * Another plugin loaded before ours (radius.so, for `serve` with
 * use-radius) has installed its own hooks by the time ours go in; ours
 * keep them and chain, in MikroTik's order: a user the helper knows is
 * verified with the helper's secret, and only one it has none for
 * ("no-secret", or no answer) goes to the earlier hook (RADIUS). An
 * address that plugin chose (RADIUS's Framed-IP-Address) is the peer's;
 * without one the helper is asked. pppd's check hooks need no chaining:
 * ours say a secret can be had.
 * Both ends: "auth" from the auth-up notifier, "keys" on entering the
 * network phase, "ip-up"/"ip-down" from the IPCP notifiers.
 *
 * No message of ours names a password or a key: pppd's log is not a place
 * for them, whatever its "debug" option prints about packets.
 */

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "pppd-compat.h"
#include "sstp-pppd.h"

/* MS-CHAP keys are 128-bit: the 16 bytes crypto binding uses. */
#define SSTP_MSCHAP_KEY_LEN	16
/* Room for EAP-TLS's 32-byte keys, the largest pppd 2.5 keeps. */
#define SSTP_KEY_MAX		32

/* Client end: the name pppd authenticates us with (2.5 does not export
 * pppd's own copy); the passwd hooks are handed it. */
static char our_user[MAXNAMELEN];
/* "keys" goes out once per link, on the first entry to the network phase
 * (pppd returns to it from "running" when IPCP goes down). */
static int keys_sent;
/* Client end: "auth-failed" for ourselves goes out once. */
static int refusal_sent;

/* The hooks of a plugin loaded before ours, or NULL: see the top. */
static struct {
	__typeof__(pap_auth_hook) pap_auth;
	__typeof__(chap_verify_hook) chap_verify;
	__typeof__(ip_choose_hook) ip_choose;
	__typeof__(allowed_address_hook) allowed_address;
} earlier;

static void remember_user(const char *user)
{
	snprintf(our_user, sizeof(our_user), "%s", user ? user : "");
}

/* Ask for USER's password; it lands in secret (MAXSECRETLEN bytes). */
static int ask_secret(const char *user, unsigned char *secret, size_t *len)
{
	char msg[SSTP_CTL_MAX_MSG], hex[2 * MAXNAMELEN + 2];
	size_t ulen = strnlen(user, MAXNAMELEN - 1);

	snprintf(msg, sizeof(msg), "%s %s", SSTP_CTL_SECRET,
		 sstp_hex(hex, sizeof(hex), user, ulen));
	/* One byte short of the buffer, so a string always fits. */
	if (!sstp_ctl_ask(msg, SSTP_CTL_SECRET, secret, MAXSECRETLEN - 1, len))
		return 0;
	/* pppd passes passwords around as C strings. */
	if (memchr(secret, 0, *len)) {
		error("sstp: the helper's secret for %q holds a NUL byte", user);
		sstp_wipe(secret, MAXSECRETLEN);
		return 0;
	}
	return 1;
}

/* Tell the helper USER was refused, before pppd tells the peer. */
static void report_failure(const char *user, const char *method)
{
	char msg[SSTP_CTL_MAX_MSG], hex[2 * MAXNAMELEN + 2];

	snprintf(msg, sizeof(msg), "%s %s %s", SSTP_CTL_AUTH_FAILED,
		 sstp_hex(hex, sizeof(hex), user, strnlen(user, MAXNAMELEN - 1)),
		 method);
	sstp_ctl_send(msg);
}

static const char *chap_method(int code)
{
	switch (code) {
	case CHAP_MICROSOFT_V2:
		return SSTP_CTL_AUTH_MSCHAP2;
	case CHAP_MICROSOFT:
		return SSTP_CTL_AUTH_MSCHAP;
	default:
		return SSTP_CTL_AUTH_CHAP;
	}
}

static int sstp_check_hook(void)
{
	return 1;
}

/*
 * Both a and b are MAXSECRETLEN bytes, zero past their lengths: every byte
 * is compared whatever the contents, so the time taken tells a guesser
 * nothing about how much of a guess was right.
 */
static int same_secret(const unsigned char *a, size_t alen,
		       const unsigned char *b, size_t blen)
{
	volatile unsigned char diff = 0;
	size_t i;

	for (i = 0; i < MAXSECRETLEN; i++)
		diff |= a[i] ^ b[i];
	return diff == 0 && alen == blen;
}

/* A user the helper does not know, for the earlier plugin's PAP hook. */
static int earlier_pap_auth(char *user, char *passwd, char **msgp,
			    struct wordlist **paddrs, struct wordlist **popts)
{
	int ok;

	info("sstp: %q is not the helper's: the earlier plugin decides", user);
	ok = earlier.pap_auth(user, passwd, msgp, paddrs, popts);
	/* < 0: "not mine", pppd's own files decide (empty, for us). */
	if (ok == 0)
		report_failure(user, SSTP_CTL_AUTH_PAP);
	return ok;
}

static int sstp_pap_auth(char *user, char *passwd, char **msgp,
			 struct wordlist **paddrs, struct wordlist **popts)
{
	unsigned char secret[MAXSECRETLEN] = { 0 }, given[MAXSECRETLEN] = { 0 };
	size_t slen = 0, glen = strnlen(passwd, MAXSECRETLEN - 1);
	int known, ok;

	known = ask_secret(user, secret, &slen);
	if (!known && earlier.pap_auth)
		return earlier_pap_auth(user, passwd, msgp, paddrs, popts);
	(void)paddrs;	/* no address list: allowed_address_hook decides */
	(void)popts;
	memcpy(given, passwd, glen);
	ok = known && same_secret(secret, slen, given, glen);
	sstp_wipe(secret, sizeof(secret));
	sstp_wipe(given, sizeof(given));
	if (!known)
		info("sstp: the helper has no secret for %q", user);
	if (!ok)
		report_failure(user, SSTP_CTL_AUTH_PAP);
	/* The same words for an unknown user as for a wrong password. */
	*msgp = ok ? "Login ok" : "Login incorrect";
	return ok;
}

/*
 * Refuse: the response checked against a random secret nobody knows, so
 * that the peer gets the digest's own failure message (MS-CHAP's
 * "E=691 ..."), the same as for a wrong password.
 */
static void digest_refusal(char *name, int id, struct chap_digest_type *digest,
			   unsigned char *challenge, unsigned char *response,
			   char *message, int message_space)
{
	unsigned char secret[32];

	if (getrandom(secret, sizeof(secret), 0) != (ssize_t)sizeof(secret))
		snprintf(message, (size_t)message_space, "Access denied");
	else
		digest->verify_response(id, name, secret, (int)sizeof(secret),
					challenge, response, message,
					message_space);
	sstp_wipe(secret, sizeof(secret));
}

/* A user the helper does not know, for the earlier plugin's CHAP hook. */
static int earlier_chap_verify(char *name, char *ourname, int id,
			       struct chap_digest_type *digest,
			       unsigned char *challenge,
			       unsigned char *response, char *message,
			       int message_space)
{
	int ok;

	info("sstp: %q is not the helper's: the earlier plugin decides", name);
	message[0] = '\0';
	ok = earlier.chap_verify(name, ourname, id, digest, challenge,
				 response, message, message_space);
	if (ok)
		return ok;
	report_failure(name, chap_method(digest->code));
	/* radius.so passes on RADIUS's Reply-Message, mostly none. */
	if (!message[0])
		digest_refusal(name, id, digest, challenge, response, message,
			       message_space);
	return 0;
}

static int sstp_chap_verify(char *name, char *ourname, int id,
			    struct chap_digest_type *digest,
			    unsigned char *challenge, unsigned char *response,
			    char *message, int message_space)
{
	unsigned char secret[MAXSECRETLEN] = { 0 };
	size_t len = 0;
	int ok;

	if (!ask_secret(name, secret, &len)) {
		if (earlier.chap_verify)
			return earlier_chap_verify(name, ourname, id, digest,
						   challenge, response, message,
						   message_space);
		info("sstp: the helper has no secret for %q", name);
		digest_refusal(name, id, digest, challenge, response, message,
			       message_space);
		report_failure(name, chap_method(digest->code));
		return 0;
	}
	ok = digest->verify_response(id, name, secret, (int)len, challenge,
				     response, message, message_space);
	sstp_wipe(secret, sizeof(secret));
	if (!ok)
		report_failure(name, chap_method(digest->code));
	return ok;
}

/* Fill passwd (MAXSECRETLEN bytes or more) with our password. */
static int fetch_password(char *passwd)
{
	unsigned char buf[MAXSECRETLEN];
	size_t len = 0;

	if (!sstp_ctl_ask(SSTP_CTL_PASSWORD, SSTP_CTL_PASSWORD, buf,
			  MAXSECRETLEN - 1, &len)) {
		error("sstp: the helper gave no password");
		return 0;
	}
	if (memchr(buf, 0, len)) {
		error("sstp: the helper's password holds a NUL byte");
		sstp_wipe(buf, sizeof(buf));
		return 0;
	}
	memcpy(passwd, buf, len);
	passwd[len] = '\0';
	sstp_wipe(buf, sizeof(buf));
	return 1;
}

static int sstp_pap_passwd(char *user, char *passwd)
{
	remember_user(user);
	/* NULL: pppd only asks whether we could, when LCP starts. */
	if (!passwd)
		return 1;
	/* pppd wipes passwd once PAP has succeeded or failed. */
	return fetch_password(passwd);
}

static int sstp_chap_passwd(char *user, char *passwd)
{
	remember_user(user);
	/* pppd copies it into the response and wipes its buffers; < 0 makes
	 * it log the failure and answer with an empty secret. */
	return fetch_password(passwd) ? 0 : -1;
}

/* "a.b.c.d" into *addr (network order); 0 for "". */
static int parse_ipv4(const char *text, uint32_t *addr)
{
	struct in_addr a;

	if (!*text) {
		*addr = 0;
		return 1;
	}
	if (inet_pton(AF_INET, text, &a) != 1)
		return 0;
	*addr = a.s_addr;
	return 1;
}

/* "dns=A,B", "dns=A" or "dns=": what we offer a peer that asks. */
static int set_dns(char *list)
{
	char *second = strchr(list, ',');
	uint32_t dns[2];

	if (second)
		*second++ = '\0';
	if (!parse_ipv4(list, &dns[0]) || !parse_ipv4(second ? second : "", &dns[1]))
		return 0;
	ipcp_allowoptions[0].dnsaddr[0] = dns[0];
	ipcp_allowoptions[0].dnsaddr[1] = dns[1];
	return 1;
}

/*
 * The user's profile, one "key=value" word of the helper's answer. IPCP
 * has not started, so np_up() has not yet armed the idle and connect
 * timers, and no peer has asked for DNS addresses yet.
 */
static int apply_profile_word(char *word)
{
	char *value = strchr(word, '=');
	int n;

	if (!value)
		return 0;
	*value++ = '\0';
	if (!strcmp(word, "local")) {
		uint32_t local;

		if (!parse_ipv4(value, &local) || !local)
			return 0;
		/* resetci copied the wanted options already: set both. */
		ipcp_wantoptions[0].ouraddr = local;
		ipcp_gotoptions[0].ouraddr = local;
		return 1;
	}
	if (!strcmp(word, "dns"))
		return set_dns(value);
	if (sscanf(value, "%d", &n) != 1 || n < 0)
		return 0;
	if (!strcmp(word, "idle")) {
		sstp_pppd_set_idle_limit(n);
	} else if (!strcmp(word, "session")) {
		sstp_pppd_set_connect_limit(n);
	} else if (!strcmp(word, "mtu")) {
		/* A cap: never above what LCP (or a bundle) made it. */
		if (n && n < sstp_pppd_get_mtu())
			sstp_pppd_set_mtu(n);
	} else {
		return 0;
	}
	return 1;
}

/* The helper keeps a pool's address from going to two peers. */
static void tell_given(const char *user, struct in_addr a)
{
	char msg[SSTP_CTL_MAX_MSG], hex[2 * MAXNAMELEN + 2];
	char text[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &a, text, sizeof(text));
	snprintf(msg, sizeof(msg), "%s %s %s", SSTP_CTL_GIVEN,
		 sstp_hex(hex, sizeof(hex), user, strnlen(user, MAXNAMELEN - 1)),
		 text);
	sstp_ctl_send(msg);
}

/*
 * sstp-ask-address: pppd is about to start IPCP, the peer's user known.
 * An earlier plugin may have an address for the user (RADIUS's
 * Framed-IP-Address, with RADIUS's own limits); otherwise the helper
 * answers with the peer's address (the user's own, the profile's, or
 * one of its pool) and the user's profile (plugin-ctl.h).
 */
static void sstp_choose_ip(uint32_t *addr)
{
	char msg[SSTP_CTL_MAX_MSG], hex[2 * MAXNAMELEN + 2];
	const char *user = sstp_pppd_peer_authname();
	char buf[SSTP_CTL_MAX_MSG / 2], *word, *save;
	uint32_t remote;
	struct in_addr a;
	size_t len = 0;

	/* A remote address on the command line wins (the tests' pppd). */
	if (!sstp_ask_address || *addr)
		return;
	if (earlier.ip_choose) {
		earlier.ip_choose(addr);
		if (*addr) {
			a.s_addr = *addr;
			info("sstp: %q gets %I from the earlier plugin", user,
			     a.s_addr);
			tell_given(user, a);
			return;
		}
	}
	snprintf(msg, sizeof(msg), "%s %s", SSTP_CTL_ADDRESS,
		 sstp_hex(hex, sizeof(hex), user, strnlen(user, MAXNAMELEN - 1)));
	if (!sstp_ctl_ask(msg, SSTP_CTL_ADDRESS, (unsigned char *)buf,
			  sizeof(buf) - 1, &len)) {
		error("sstp: the helper has no address for %q", user);
		return;
	}
	buf[len] = '\0';
	word = strtok_r(buf, " ", &save);
	if (!word || !parse_ipv4(word, &remote) || !remote) {
		error("sstp: the helper's address for %q is not one", user);
		return;
	}
	while ((word = strtok_r(NULL, " ", &save)))
		if (!apply_profile_word(word))
			warn("sstp: ignoring '%s' of the helper's answer", word);
	*addr = remote;
}

/*
 * The peer's address from pppd's command line ("local:remote"), from the
 * helper or from an earlier plugin (sstp_choose_ip): that one, nothing
 * else. Without one (the client end, "noipdefault"), or with one pppd
 * made up to be replaced (the client end's dial-on-demand), an earlier
 * plugin's hook or else pppd's own rules apply.
 */
static int sstp_allowed_address(uint32_t addr)
{
	uint32_t remote = ipcp_wantoptions[0].hisaddr;

	if (remote && !ipcp_wantoptions[0].accept_remote)
		return addr == remote;
	return earlier.allowed_address ? earlier.allowed_address(addr) : -1;
}

static const char *method_name(const lcp_options *o)
{
	if (o->neg_eap)
		return SSTP_CTL_AUTH_EAP;
	/* The digest pppd itself picks from the negotiated types. */
	if (o->neg_chap)
		return chap_method(CHAP_DIGEST(o->chap_mdtype));
	if (o->neg_upap)
		return SSTP_CTL_AUTH_PAP;
	return NULL;
}

/*
 * How this link was authenticated: lcp_gotoptions says how the peer had to
 * authenticate to us (server end), lcp_hisoptions how we had to (client
 * end). pppd reaches the network phase only when all of it succeeded.
 */
static const char *link_auth(const char **user)
{
	const char *method = method_name(&lcp_gotoptions[0]);

	if (method) {
		*user = sstp_pppd_peer_authname();
		return method;
	}
	method = method_name(&lcp_hisoptions[0]);
	if (method) {
		*user = our_user;
		return method;
	}
	*user = "";
	return SSTP_CTL_AUTH_NONE;
}

/*
 * pppd 2.4.9 (Debian's build: checked in the binary) and 2.5 notify
 * auth-up from network_phase() on every link, whichever end authenticated
 * and even when nobody did; older pppd did it only after the peer had
 * authenticated to us.
 */
static void on_auth_up(void *ctx, int arg)
{
	char msg[SSTP_CTL_MAX_MSG], hex[2 * MAXNAMELEN + 2];
	const char *user, *method;

	(void)ctx;
	(void)arg;
	method = link_auth(&user);
	snprintf(msg, sizeof(msg), "%s %s %s", SSTP_CTL_AUTH,
		 sstp_hex(hex, sizeof(hex), user, strnlen(user, MAXNAMELEN - 1)),
		 method);
	sstp_ctl_send(msg);
}

static void send_keys(void)
{
	unsigned char skey[SSTP_KEY_MAX], rkey[SSTP_KEY_MAX];
	char msg[SSTP_CTL_MAX_MSG];
	char shex[2 * SSTP_KEY_MAX + 2], rhex[2 * SSTP_KEY_MAX + 2];
	const char *user, *method = link_auth(&user);
	size_t len = 0;

	/*
	 * Only methods that make keys: pppd does not clear the keys of an
	 * earlier link, and a PAP or CHAP-MD5 link must report none.
	 */
	if (!strcmp(method, SSTP_CTL_AUTH_MSCHAP2) ||
	    !strcmp(method, SSTP_CTL_AUTH_MSCHAP) ||
	    !strcmp(method, SSTP_CTL_AUTH_EAP))
		len = sstp_pppd_mppe_keys(skey, rkey, sizeof(skey));
	/* pppd 2.5 keeps MS-CHAP's 20-byte SHA-1 output; the key is the
	 * first 16 bytes, as 2.4.9 keeps it and as the kernel's MPPE uses. */
	if (len > SSTP_MSCHAP_KEY_LEN && strcmp(method, SSTP_CTL_AUTH_EAP))
		len = SSTP_MSCHAP_KEY_LEN;
	/* pppd's own MS-CHAP always makes them; a RADIUS server may not. */
	if (!len && (!strcmp(method, SSTP_CTL_AUTH_MSCHAP2) ||
		     !strcmp(method, SSTP_CTL_AUTH_MSCHAP)))
		warn("sstp: %s succeeded without MPPE keys (from RADIUS: no "
		     "MS-MPPE-Send-Key/Recv-Key with an Encryption-Policy?): "
		     "the crypto binding cannot be verified", method);
	snprintf(msg, sizeof(msg), "%s %s %s", SSTP_CTL_KEYS,
		 sstp_hex(shex, sizeof(shex), skey, len),
		 sstp_hex(rhex, sizeof(rhex), rkey, len));
	sstp_ctl_send(msg);
	sstp_wipe(skey, sizeof(skey));
	sstp_wipe(rkey, sizeof(rkey));
	sstp_wipe(shex, sizeof(shex));
	sstp_wipe(rhex, sizeof(rhex));
	sstp_wipe(msg, sizeof(msg));
}

/*
 * Client end: the server refused us. pppd sets its exit status to
 * EXIT_AUTH_TOPEER_FAILED, then closes LCP, which enters the terminate
 * phase; there is no notifier for the failure itself. Server end: the
 * auth hooks above report their refusals.
 */
static void report_our_refusal(void)
{
	const char *method = method_name(&lcp_hisoptions[0]);

	if (refusal_sent || sstp_pppd_exit_status() != EXIT_AUTH_TOPEER_FAILED)
		return;
	refusal_sent = 1;
	report_failure(our_user, method ? method : SSTP_CTL_AUTH_NONE);
}

static void on_phase_change(void *ctx, int phase)
{
	(void)ctx;
	if (phase == PHASE_TERMINATE)
		report_our_refusal();
	if (phase == PHASE_ESTABLISH || phase == PHASE_DEAD)
		keys_sent = 0;
	if (phase != PHASE_NETWORK || keys_sent)
		return;
	keys_sent = 1;
	send_keys();
}

static void on_ip_up(void *ctx, int arg)
{
	char msg[SSTP_CTL_MAX_MSG];
	char local[INET_ADDRSTRLEN], remote[INET_ADDRSTRLEN];
	struct in_addr ours = { .s_addr = ipcp_gotoptions[0].ouraddr };
	struct in_addr his = { .s_addr = ipcp_hisoptions[0].hisaddr };

	(void)ctx;
	(void)arg;
	inet_ntop(AF_INET, &ours, local, sizeof(local));
	inet_ntop(AF_INET, &his, remote, sizeof(remote));
	snprintf(msg, sizeof(msg), "%s %s %s %s", SSTP_CTL_IP_UP,
		 sstp_pppd_ifname(), local, remote);
	sstp_ctl_send(msg);
}

static void on_ip_down(void *ctx, int arg)
{
	char msg[SSTP_CTL_MAX_MSG];

	(void)ctx;
	(void)arg;
	snprintf(msg, sizeof(msg), "%s %s", SSTP_CTL_IP_DOWN,
		 sstp_pppd_ifname());
	sstp_ctl_send(msg);
}

/*
 * sstp-ask-address: the server end's addresses come from the helper. Only
 * then: pppd stops accepting the peer's idea of its address whenever an
 * ip_choose_hook exists, which would refuse a server's address to a
 * client in demand mode (whose remote address is a stand-in).
 */
void sstp_auth_ask_address(void)
{
	/* Whichever of our options comes first: never chain to ourselves. */
	if (ip_choose_hook != sstp_choose_ip)
		earlier.ip_choose = ip_choose_hook;
	ip_choose_hook = sstp_choose_ip;
}

void sstp_auth_init(void)
{
	static int done;

	/* Once: a second time, the earlier hooks would be ours. */
	if (done)
		return;
	done = 1;
	earlier.pap_auth = pap_auth_hook;
	earlier.chap_verify = chap_verify_hook;
	earlier.allowed_address = allowed_address_hook;

	pap_check_hook = sstp_check_hook;
	chap_check_hook = sstp_check_hook;
	pap_auth_hook = sstp_pap_auth;
	chap_verify_hook = sstp_chap_verify;
	allowed_address_hook = sstp_allowed_address;
	pap_passwd_hook = sstp_pap_passwd;
	chap_passwd_hook = sstp_chap_passwd;

	sstp_pppd_on_auth_up(on_auth_up);
	sstp_pppd_on_phase_change(on_phase_change);
	sstp_pppd_on_ip_up(on_ip_up);
	sstp_pppd_on_ip_down(on_ip_down);
}
