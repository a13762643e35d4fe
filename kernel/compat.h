/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel API differences between the releases we build for, other than
 * PPP's. The HAVE_ macros come from Kbuild, which looks at the tree.
 */
#ifndef _SSTP_COMPAT_H
#define _SSTP_COMPAT_H

/* 6.12 moved <asm/unaligned.h> to <linux/unaligned.h>. */
#ifdef SSTP_HAVE_LINUX_UNALIGNED_H
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

#endif /* _SSTP_COMPAT_H */
