/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * log.h - one line per event on stderr (journald adds the time and the
 * unit), "sstp-helper: [session] message". Never log a password or key.
 */
#ifndef SSTP_LOG_H
#define SSTP_LOG_H

#include <stdbool.h>

extern bool sstp_log_debug_on;

void sstp_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void sstp_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* SSTP_LOG_H */
