// SPDX-License-Identifier: GPL-2.0-or-later
/* log.c - see log.h. */

#include <stdarg.h>
#include <stdio.h>

#include "common/log.h"

bool sstp_log_debug_on;

static void sstp_vlog(const char *fmt, va_list ap)
{
	char line[1024];

	vsnprintf(line, sizeof(line), fmt, ap);
	/*
	 * Peers choose some of what is logged (user names): a newline or an
	 * escape sequence of theirs must not forge a line or a terminal.
	 */
	for (char *p = line; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	/* One write per line, so lines of concurrent writers never mix. */
	fprintf(stderr, "sstp-helper: %s\n", line);
}

void sstp_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sstp_vlog(fmt, ap);
	va_end(ap);
}

void sstp_debug(const char *fmt, ...)
{
	va_list ap;

	if (!sstp_log_debug_on)
		return;
	va_start(ap, fmt);
	sstp_vlog(fmt, ap);
	va_end(ap);
}
