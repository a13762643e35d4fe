// SPDX-License-Identifier: GPL-2.0-or-later
/* plugin-ctl.c - formatting the messages of plugin-ctl.h. */

#include <stdio.h>
#include <string.h>

#include "common/hex.h"
#include "ppp/plugin-ctl.h"

int sstp_ctl_format(char *buf, size_t size, const char *verb,
		    const void *value, size_t len)
{
	size_t n = strlen(verb);

	/* verb, then " -" or " " and the hex digits, then the NUL */
	if (n + (value ? 1 + (len ? 2 * len : 1) : 0) + 1 > size)
		return -1;
	memcpy(buf, verb, n + 1);
	if (!value)
		return (int)n;
	buf[n++] = ' ';
	if (!len) {
		buf[n++] = '-';
		buf[n] = '\0';
		return (int)n;
	}
	sstp_hex_encode(value, len, buf + n);
	return (int)(n + 2 * len);
}
