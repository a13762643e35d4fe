// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * proxy.c - parse a PROXY protocol v1 or v2 header (see proxy.h).
 *
 * Like the HTTP parsers this one is stateless: each call looks at the
 * whole buffer from its start. The first byte tells the versions apart
 * ('P' for v1, CR for v2's signature), so garbage is refused at once.
 */
#include "transport/proxy.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* v2: the signature, then ver_cmd, family/transport and a length. */
#define V2_SIG_LEN 12
#define V2_HDR_LEN 16

/* Address block sizes of the v2 families INET, INET6, UNIX. */
#define V2_INET_LEN 12
#define V2_INET6_LEN 36
#define V2_UNIX_LEN 216

enum {
	V2_FAM_UNSPEC = 0, V2_FAM_INET = 1, V2_FAM_INET6 = 2, V2_FAM_UNIX = 3,
};

enum {
	V2_TRANS_UNSPEC = 0, V2_TRANS_STREAM = 1, V2_TRANS_DGRAM = 2,
};

static int bad(struct sstp_proxy_info *info, int err, const char *why)
{
	info->error = why;
	return err;
}

/* ---- version 1 ---------------------------------------------------------- */

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * A decimal number 0..@max without leading zeros, the whole of @s (which
 * is NUL-terminated). The spec forbids leading zeros so that nobody can
 * read them as octal.
 */
static bool parse_decimal(const char *s, unsigned int max, unsigned int *out)
{
	unsigned int v = 0;
	size_t i;

	if (!is_digit(s[0]) || (s[0] == '0' && s[1]))
		return false;
	for (i = 0; s[i]; i++) {
		if (!is_digit(s[i]))
			return false;
		v = v * 10 + (unsigned int)(s[i] - '0');
		if (v > max)
			return false;
	}
	*out = v;
	return true;
}

/*
 * Dotted quad, exactly four numbers and three dots. Written out rather
 * than left to inet_pton() so that the no-leading-zero rule is ours, not
 * a property of one libc.
 */
static bool parse_ipv4(const char *s, struct in_addr *addr)
{
	char part[4];
	uint32_t v = 0;
	unsigned int n, k;
	size_t i;

	for (k = 0; k < 4; k++) {
		for (i = 0; i < 3 && is_digit(s[i]); i++)
			part[i] = s[i];
		part[i] = '\0';
		if (!parse_decimal(part, 255, &n))
			return false;
		v = v << 8 | n;
		s += i;
		if (k < 3 && *s++ != '.')
			return false;
	}
	if (*s)
		return false;
	addr->s_addr = htonl(v);
	return true;
}

static bool parse_ipv6(const char *s, struct in6_addr *addr)
{
	size_t i;

	/* inet_pton() alone would do; the character check keeps zone ids
	 * and anything exotic out whatever the libc. */
	for (i = 0; s[i]; i++)
		if (!(is_digit(s[i]) || (s[i] >= 'a' && s[i] <= 'f') ||
		      (s[i] >= 'A' && s[i] <= 'F') || s[i] == ':' ||
		      s[i] == '.'))
			return false;
	return i > 0 && i <= 45 && inet_pton(AF_INET6, s, addr) == 1;
}

static bool fill_addr(struct sockaddr_storage *ss, int family,
		      const char *addr, const char *port)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	unsigned int p;

	memset(ss, 0, sizeof(*ss));
	if (!parse_decimal(port, 65535, &p))
		return false;
	if (family == AF_INET) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)p);
		return parse_ipv4(addr, &sin->sin_addr);
	}
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons((uint16_t)p);
	return parse_ipv6(addr, &sin6->sin6_addr);
}

/* "TCP4 a b p q" or "TCP6 a b p q" or "UNKNOWN..." after "PROXY ". */
static int parse_v1_line(char *s, struct sstp_proxy_info *info)
{
	char *field[4];
	int family;
	unsigned int k;

	if (!strncmp(s, "UNKNOWN", 7)) {
		/* The spec: ignore whatever follows, up to the CRLF. */
		if (s[7] && s[7] != ' ')
			return bad(info, -EINVAL, "PROXY v1: bad protocol");
		info->family = AF_UNSPEC;
		return 0;
	}
	if (!strncmp(s, "TCP4 ", 5))
		family = AF_INET;
	else if (!strncmp(s, "TCP6 ", 5))
		family = AF_INET6;
	else
		return bad(info, -EINVAL, "PROXY v1: bad protocol");

	/* Exactly four fields, one space apart: an empty one means two
	 * spaces and fails to parse below. */
	s += 5;
	for (k = 0; k < 4; k++) {
		field[k] = s;
		s = strchr(s, ' ');
		if (k < 3) {
			if (!s)
				return bad(info, -EINVAL,
					   "PROXY v1: missing field");
			*s++ = '\0';
		} else if (s) {
			return bad(info, -EINVAL, "PROXY v1: extra field");
		}
	}
	if (!fill_addr(&info->src, family, field[0], field[2]) ||
	    !fill_addr(&info->dst, family, field[1], field[3]))
		return bad(info, -EINVAL, "PROXY v1: bad address or port");
	info->family = family;
	return 0;
}

static int parse_v1(const unsigned char *p, size_t len,
		    struct sstp_proxy_info *info)
{
	static const char sig[] = "PROXY ";
	char line[SSTP_PROXY_V1_MAX + 1];
	size_t i, n = len < 6 ? len : 6;
	int r;

	if (memcmp(p, sig, n < 5 ? n : 5))
		return bad(info, -EPROTO, "no PROXY protocol header");
	if (memcmp(p, sig, n))
		return bad(info, -EINVAL, "PROXY v1: no space after PROXY");

	for (i = 0; i < len && i < SSTP_PROXY_V1_MAX; i++) {
		if (p[i] == '\r') {
			/* A CR as 107th byte: its LF would be the 108th. */
			if (i + 1 >= SSTP_PROXY_V1_MAX)
				break;
			if (i + 1 >= len)
				return 0;
			if (p[i + 1] != '\n')
				return bad(info, -EINVAL,
					   "PROXY v1: CR without LF");
			/* i >= 6: the first six bytes are "PROXY ". */
			memcpy(line, p, i);
			line[i] = '\0';
			info->version = 1;
			info->command = SSTP_PROXY_CMD_PROXY;
			r = parse_v1_line(line + 6, info);
			return r < 0 ? r : (int)i + 2;
		}
		if (p[i] == '\n')
			return bad(info, -EINVAL, "PROXY v1: LF without CR");
		if (p[i] < 0x20 || p[i] > 0x7e)
			return bad(info, -EINVAL,
				   "PROXY v1: non-printable byte");
	}
	if (i == len && len < SSTP_PROXY_V1_MAX)
		return 0;
	return bad(info, -EINVAL, "PROXY v1: no CRLF in the first 107 bytes");
}

/* ---- version 2 ---------------------------------------------------------- */

/* Each TLV: type (1 byte), length (2, big endian), value; no leftovers. */
static bool tlvs_fit(const unsigned char *p, size_t len)
{
	size_t off = 0, vlen;

	while (off < len) {
		if (len - off < 3)
			return false;
		vlen = (size_t)p[off + 1] << 8 | p[off + 2];
		if (vlen > len - off - 3)
			return false;
		off += 3 + vlen;
	}
	return true;
}

static int parse_v2(const unsigned char *p, size_t len,
		    struct sstp_proxy_info *info)
{
	static const unsigned char sig[V2_SIG_LEN] = {
		0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a,
		0x51, 0x55, 0x49, 0x54, 0x0a
	};
	struct sockaddr_in *s4 = (struct sockaddr_in *)&info->src;
	struct sockaddr_in *d4 = (struct sockaddr_in *)&info->dst;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&info->src;
	struct sockaddr_in6 *d6 = (struct sockaddr_in6 *)&info->dst;
	unsigned int fam, trans, cmd;
	size_t total, alen;
	const unsigned char *a;

	if (memcmp(p, sig, len < V2_SIG_LEN ? len : V2_SIG_LEN))
		return bad(info, -EPROTO, "no PROXY protocol header");
	if (len <= V2_SIG_LEN)
		return 0;
	if (p[12] >> 4 != 2)
		return bad(info, -EINVAL, "PROXY v2: version is not 2");
	cmd = p[12] & 15;
	if (cmd > SSTP_PROXY_CMD_PROXY)
		return bad(info, -EINVAL, "PROXY v2: unknown command");
	if (len <= 13)
		return 0;
	/* Other values "must be rejected as invalid by receivers". */
	fam = p[13] >> 4;
	trans = p[13] & 15;
	if (fam > V2_FAM_UNIX || trans > V2_TRANS_DGRAM)
		return bad(info, -EINVAL,
			   "PROXY v2: unknown family or transport");
	if (len < V2_HDR_LEN)
		return 0;
	total = V2_HDR_LEN + ((size_t)p[14] << 8 | p[15]);
	if (total > SSTP_PROXY_V2_MAX)
		return bad(info, -EMSGSIZE, "PROXY v2: header too long");
	if (len < total)
		return 0;

	info->version = 2;
	info->command = cmd;
	info->family = AF_UNSPEC;
	/* LOCAL: the block, family included, is to be ignored. UNSPEC: its
	 * layout is unknown, so there is nothing we could check. */
	if (cmd == SSTP_PROXY_CMD_LOCAL || fam == V2_FAM_UNSPEC ||
	    trans == V2_TRANS_UNSPEC)
		return (int)total;

	alen = fam == V2_FAM_INET ? V2_INET_LEN :
	       fam == V2_FAM_INET6 ? V2_INET6_LEN : V2_UNIX_LEN;
	if (total - V2_HDR_LEN < alen)
		return bad(info, -EINVAL,
			   "PROXY v2: address block too short for its family");
	if (!tlvs_fit(p + V2_HDR_LEN + alen, total - V2_HDR_LEN - alen))
		return bad(info, -EINVAL, "PROXY v2: TLVs overrun the header");
	/* SSTP runs over TCP: AF_UNIX and DGRAM give us no usable address. */
	if (fam == V2_FAM_UNIX || trans != V2_TRANS_STREAM)
		return (int)total;

	a = p + V2_HDR_LEN;
	if (fam == V2_FAM_INET) {
		s4->sin_family = AF_INET;
		d4->sin_family = AF_INET;
		memcpy(&s4->sin_addr, a, 4);
		memcpy(&d4->sin_addr, a + 4, 4);
		memcpy(&s4->sin_port, a + 8, 2);	/* both big endian */
		memcpy(&d4->sin_port, a + 10, 2);
		info->family = AF_INET;
	} else {
		s6->sin6_family = AF_INET6;
		d6->sin6_family = AF_INET6;
		memcpy(&s6->sin6_addr, a, 16);
		memcpy(&d6->sin6_addr, a + 16, 16);
		memcpy(&s6->sin6_port, a + 32, 2);
		memcpy(&d6->sin6_port, a + 34, 2);
		info->family = AF_INET6;
	}
	return (int)total;
}

int sstp_proxy_parse(const void *buf, size_t len, struct sstp_proxy_info *info)
{
	const unsigned char *p = buf;

	if (!info)
		return -EINVAL;
	memset(info, 0, sizeof(*info));
	if (!len)
		return 0;
	if (!buf)
		return bad(info, -EINVAL, "no buffer");
	if (p[0] == 'P')
		return parse_v1(p, len, info);
	if (p[0] == '\r')
		return parse_v2(p, len, info);
	return bad(info, -EPROTO, "no PROXY protocol header");
}
