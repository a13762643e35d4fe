/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * err.h - the "return -1 with @err" convention: say why into the caller's
 * buffer, if it gave one.
 */
#ifndef SSTP_ERR_H
#define SSTP_ERR_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

static inline void sstp_set_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static inline void sstp_set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

#endif /* SSTP_ERR_H */
