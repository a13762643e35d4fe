/* SPDX-License-Identifier: GPL-2.0-or-later */
/* clock.h - the one clock sstp-helper's timers and uptimes are read from. */
#ifndef SSTP_CLOCK_H
#define SSTP_CLOCK_H

#include <time.h>

/* Milliseconds of CLOCK_MONOTONIC: deadlines and uptimes, never dates. */
static inline long long sstp_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

#endif /* SSTP_CLOCK_H */
