/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hex.h - lowercase hex, as the helper, sstp-pppd.so and the test tools
 * write binary values (user names, passwords, keys) in text messages.
 */
#ifndef SSTP_HEX_H
#define SSTP_HEX_H

#include <stddef.h>
#include <stdint.h>

/* The value of one hex digit (either case), or -1. */
int sstp_hex_digit(char c);

/*
 * Decode pairs of hex digits, nothing else, into at most @max bytes.
 * Returns the number of bytes, or -1 for odd length, a non-hex character
 * or too many bytes.
 */
int sstp_hex_decode(const char *hex, uint8_t *out, size_t max);

/* Encode @len bytes into @out, which has room for 2 * @len + 1 chars. */
void sstp_hex_encode(const uint8_t *in, size_t len, char *out);

#endif /* SSTP_HEX_H */
