// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * radius.c - the configuration of pppd's radius.so (see radius.h).
 *
 * What radiusclient (the copy inside Debian's radius.so, pppd 2.4.9)
 * insists on, read from its source: radiusclient.conf must name
 * authserver, acctserver, servers, dictionary, seqfile and mapfile, and
 * give radius_timeout and radius_retries above zero; the mapfile must
 * exist (it may be empty); the dictionary must hold every attribute the
 * plugin puts into a request, or the request is not sent, and those it
 * reads from a reply, or it ignores them (the MPPE keys among them).
 * Without nas_identifier it sends NAS-IP-Address, which it finds by
 * resolving the host name, and gives up when that fails: we name the NAS.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "server/radius.h"

/* The files, in the directory; the secrets file alone is private. */
#define CONF_FILE	"radiusclient.conf"
#define SERVERS_FILE	"servers"
#define DICT_FILE	"dictionary"
#define SEQ_FILE	"seq"
#define MAP_FILE	"port-map"

static const char *const all_files[] = {
	CONF_FILE, SERVERS_FILE, DICT_FILE, SEQ_FILE, MAP_FILE, NULL
};

/*
 * The attributes radius.so sends or reads. Names and numbers: RFC 2865
 * (access), RFC 2866 (accounting), RFC 2869 (extensions), and RFC 2548
 * for Microsoft's, which carry MS-CHAP and its MPPE keys. radiusclient's
 * types: "string" holds any bytes (keys too), "integer" 32 bits,
 * "ipaddr" an IPv4 address.
 */
struct dict_attr {
	const char *name;
	int number;
	const char *type;
};

static const struct dict_attr rfc_attrs[] = {
	{ "User-Name", 1, "string" },
	{ "User-Password", 2, "string" },
	{ "CHAP-Password", 3, "string" },
	{ "NAS-IP-Address", 4, "ipaddr" },
	{ "NAS-Port", 5, "integer" },
	{ "Service-Type", 6, "integer" },
	{ "Framed-Protocol", 7, "integer" },
	{ "Framed-IP-Address", 8, "ipaddr" },
	{ "Framed-IP-Netmask", 9, "ipaddr" },
	{ "Framed-Routing", 10, "integer" },
	{ "Filter-Id", 11, "string" },
	{ "Framed-MTU", 12, "integer" },
	{ "Framed-Compression", 13, "integer" },
	{ "Reply-Message", 18, "string" },
	{ "Framed-Route", 22, "string" },
	{ "State", 24, "string" },
	{ "Class", 25, "string" },
	{ "Session-Timeout", 27, "integer" },
	{ "Idle-Timeout", 28, "integer" },
	{ "Termination-Action", 29, "integer" },
	{ "Called-Station-Id", 30, "string" },
	{ "Calling-Station-Id", 31, "string" },
	{ "NAS-Identifier", 32, "string" },
	{ "Proxy-State", 33, "string" },
	{ "Acct-Status-Type", 40, "integer" },
	{ "Acct-Delay-Time", 41, "integer" },
	{ "Acct-Input-Octets", 42, "integer" },
	{ "Acct-Output-Octets", 43, "integer" },
	{ "Acct-Session-Id", 44, "string" },
	{ "Acct-Authentic", 45, "integer" },
	{ "Acct-Session-Time", 46, "integer" },
	{ "Acct-Input-Packets", 47, "integer" },
	{ "Acct-Output-Packets", 48, "integer" },
	{ "Acct-Terminate-Cause", 49, "integer" },
	{ "Acct-Multi-Session-Id", 50, "string" },
	{ "Acct-Link-Count", 51, "integer" },
	{ "Acct-Input-Gigawords", 52, "integer" },
	{ "Acct-Output-Gigawords", 53, "integer" },
	{ "CHAP-Challenge", 60, "string" },
	{ "NAS-Port-Type", 61, "integer" },
	{ "Message-Authenticator", 80, "string" },
	{ "Acct-Interim-Interval", 85, "integer" },
	{ "NAS-Port-Id", 87, "string" },
	{ NULL, 0, NULL }
};

#define MS_VENDOR_NAME	"Microsoft"
#define MS_VENDOR_ID	311

static const struct dict_attr ms_attrs[] = {
	{ "MS-CHAP-Response", 1, "string" },
	{ "MS-CHAP-Error", 2, "string" },
	{ "MS-MPPE-Encryption-Policy", 7, "integer" },
	{ "MS-MPPE-Encryption-Types", 8, "integer" },
	{ "MS-CHAP-Domain", 10, "string" },
	{ "MS-CHAP-Challenge", 11, "string" },
	{ "MS-CHAP-MPPE-Keys", 12, "string" },
	{ "MS-MPPE-Send-Key", 16, "string" },
	{ "MS-MPPE-Recv-Key", 17, "string" },
	{ "MS-CHAP2-Response", 25, "string" },
	{ "MS-CHAP2-Success", 26, "string" },
	{ "MS-Primary-DNS-Server", 28, "ipaddr" },
	{ "MS-Secondary-DNS-Server", 29, "ipaddr" },
	{ "MS-Primary-NBNS-Server", 30, "ipaddr" },
	{ "MS-Secondary-NBNS-Server", 31, "ipaddr" },
	{ NULL, 0, NULL }
};

/* Room for the dictionary, the largest file. */
#define TEXT_MAX	4096

struct text {
	char buf[TEXT_MAX];
	size_t len;
	bool overflow;
};

static void add(struct text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(t->buf + t->len, sizeof(t->buf) - t->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(t->buf) - t->len)
		t->overflow = true;
	else
		t->len += (size_t)n;
}

static void dictionary(struct text *t)
{
	const struct dict_attr *a;

	add(t, "# RADIUS attributes for pppd's radius.so, written by "
	    "sstp-helper serve:\n# RFC 2865, 2866 and 2869, and RFC 2548's "
	    "Microsoft attributes.\n");
	for (a = rfc_attrs; a->name; a++)
		add(t, "ATTRIBUTE\t%s\t%d\t%s\n", a->name, a->number, a->type);
	add(t, "VENDOR\t%s\t%d\n", MS_VENDOR_NAME, MS_VENDOR_ID);
	for (a = ms_attrs; a->name; a++)
		add(t, "ATTRIBUTE\t%s\t%d\t%s\t%s\n", a->name, a->number,
		    a->type, MS_VENDOR_NAME);
}

/*
 * The host name, as RADIUS servers log the NAS; it is one word of
 * printable characters, as radiusclient.conf needs.
 */
static void nas_identifier(char *buf, size_t size)
{
	const char *p;

	if (gethostname(buf, size) || !buf[0] || !memchr(buf, '\0', size))
		goto fallback;
	for (p = buf; *p; p++)
		if (*p <= ' ' || *p > '~')
			goto fallback;
	return;
fallback:
	snprintf(buf, size, "sstp-helper");
}

/*
 * radiusclient.conf. Without accounting, the accounting server is
 * 0.0.0.0: radius.so always tries to account for a session, but
 * radiusclient takes that address for one it cannot resolve and sends
 * nothing (radius.so has no option to turn accounting off).
 */
static void client_conf(struct text *t, const struct sstp_radius_files *f,
			const struct sstp_radius_conf *r, bool accounting)
{
	char nas[256];

	nas_identifier(nas, sizeof(nas));
	add(t, "# radiusclient settings for pppd's radius.so, written by "
	    "sstp-helper serve\n# from its [radius] section at each start.\n");
	add(t, "authserver\t%s:%lu\n", r->address, r->authentication_port);
	add(t, "acctserver\t%s:%lu\n", accounting ? r->address : "0.0.0.0",
	    r->accounting_port);
	add(t, "servers\t%s/%s\n", f->dir, SERVERS_FILE);
	add(t, "dictionary\t%s/%s\n", f->dir, DICT_FILE);
	add(t, "seqfile\t%s/%s\n", f->dir, SEQ_FILE);
	add(t, "mapfile\t%s/%s\n", f->dir, MAP_FILE);
	add(t, "radius_timeout\t%lu\n", r->timeout);
	add(t, "radius_retries\t%lu\n", r->retries);
	add(t, "nas_identifier\t%s\n", nas);
}

/* Create @name in the directory with @mode, holding @t. */
static int write_file(const struct sstp_radius_files *f, const char *name,
		      mode_t mode, const struct text *t, char *err,
		      size_t errlen)
{
	char path[PATH_MAX + 32];
	size_t done = 0;
	ssize_t n;
	int fd;

	if (t->overflow) {
		snprintf(err, errlen, "RADIUS: %s does not fit", name);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/%s", f->dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  mode);
	if (fd < 0)
		goto fail;
	while (done < t->len) {
		n = write(fd, t->buf + done, t->len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			close(fd);
			goto fail;
		}
		done += (size_t)n;
	}
	if (close(fd) == 0)
		return 0;
fail:
	snprintf(err, errlen, "RADIUS: cannot write %s: %s", path,
		 strerror(errno));
	return -1;
}

static int write_all(const struct sstp_radius_files *f,
		     const struct sstp_radius_conf *r, bool accounting,
		     char *err, size_t errlen)
{
	struct text *t = calloc(1, sizeof(*t));
	int rc = -1;

	if (!t) {
		snprintf(err, errlen, "RADIUS: out of memory");
		return -1;
	}
	/* The secret: the second word after the server's address. */
	add(t, "%s\t%s\n", r->address, r->secret);
	if (write_file(f, SERVERS_FILE, 0600, t, err, errlen))
		goto out;
	explicit_bzero(t, sizeof(*t));
	dictionary(t);
	if (write_file(f, DICT_FILE, 0644, t, err, errlen))
		goto out;
	memset(t, 0, sizeof(*t));
	if (write_file(f, SEQ_FILE, 0600, t, err, errlen) ||
	    write_file(f, MAP_FILE, 0644, t, err, errlen))
		goto out;
	client_conf(t, f, r, accounting);
	rc = write_file(f, CONF_FILE, 0644, t, err, errlen);
out:
	explicit_bzero(t, sizeof(*t));
	free(t);
	return rc;
}

int sstp_radius_files_write(struct sstp_radius_files *f, const char *parent,
			    const struct sstp_radius_conf *r, bool accounting,
			    char *err, size_t errlen)
{
	memset(f, 0, sizeof(*f));
	if (mkdir(parent, 0755) && errno != EEXIST) {
		snprintf(err, errlen, "RADIUS: cannot make %s: %s", parent,
			 strerror(errno));
		return -1;
	}
	/* mkdtemp makes it 0700: only root reads the secret in it. */
	if ((size_t)snprintf(f->dir, sizeof(f->dir), "%s/radius-XXXXXX",
			     parent) >= sizeof(f->dir) || !mkdtemp(f->dir)) {
		snprintf(err, errlen, "RADIUS: cannot make a directory in %s: %s",
			 parent, strerror(errno));
		f->dir[0] = '\0';
		return -1;
	}
	snprintf(f->conf, sizeof(f->conf), "%.*s/%s",
		 (int)(sizeof(f->conf) - sizeof(CONF_FILE) - 1), f->dir,
		 CONF_FILE);
	if (write_all(f, r, accounting, err, errlen)) {
		sstp_radius_files_remove(f);
		return -1;
	}
	return 0;
}

void sstp_radius_files_remove(struct sstp_radius_files *f)
{
	char path[PATH_MAX + 32];
	int i;

	if (!f->dir[0])
		return;
	for (i = 0; all_files[i]; i++) {
		snprintf(path, sizeof(path), "%s/%s", f->dir, all_files[i]);
		unlink(path);
	}
	rmdir(f->dir);
	f->dir[0] = '\0';
	f->conf[0] = '\0';
}
