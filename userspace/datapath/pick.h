/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pick.h - which carrier takes a call, once its TLS handshake is done:
 * sstp.ko when datapath says kernel, or auto and the module is there and
 * the kernel's TLS runs the call's cipher; the helper's userspace carrier
 * otherwise.
 */
#ifndef SSTP_PICK_H
#define SSTP_PICK_H

#include <stdbool.h>
#include <stddef.h>

#include <openssl/ssl.h>

#include "common/link.h"

/*
 * The carrier for a call on @cipher when @want is asked for: kernel or
 * user, never auto. @module says whether sstp.ko answers (loaded, or
 * loaded now on demand: sstp_datapath_module()). For auto, @why gets the
 * reason in words, for the one log line a call gets.
 */
enum sstp_datapath sstp_datapath_pick(enum sstp_datapath want,
				      const SSL_CIPHER *cipher, bool module,
				      char *why, size_t whylen);

/*
 * Whether sstp.ko answers on generic netlink: asking for its family loads
 * it if it is not (MODULE_ALIAS_GENL_FAMILY). If not, @why says what the
 * kernel said.
 */
bool sstp_datapath_module(char *why, size_t whylen);

#endif /* SSTP_PICK_H */
