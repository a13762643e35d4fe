/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * compat.h - the few types and functions the shared SSTP code may use.
 *
 * Code under include/sstp/ is compiled both into sstp.ko and into the
 * userspace helper and its tests. It may only use what this header pulls
 * in: fixed-width integer types, size_t, bool, memcpy/memset/memcmp and
 * the errno constants (which have the same names in the kernel and libc).
 * No allocation, no I/O, no other library calls.
 */
#ifndef _SSTP_SHARED_COMPAT_H
#define _SSTP_SHARED_COMPAT_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/string.h>
#include <linux/errno.h>
#else
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <string.h>
#include <errno.h>
#endif

#endif /* _SSTP_SHARED_COMPAT_H */
