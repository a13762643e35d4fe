// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hex.c - see hex.h. Not OPENSSL_buf2hexstr_ex/OPENSSL_hexstr2buf_ex:
 * sstp-pppd.so builds this file and links no libcrypto.
 */

#include <string.h>

#include "common/hex.h"

int sstp_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int sstp_hex_decode(const char *hex, uint8_t *out, size_t max)
{
	size_t n = strlen(hex), i;
	int hi, lo;

	if (n % 2 || n / 2 > max)
		return -1;
	for (i = 0; i < n / 2; i++) {
		hi = sstp_hex_digit(hex[2 * i]);
		lo = sstp_hex_digit(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return (int)(n / 2);
}

void sstp_hex_encode(const uint8_t *in, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * len] = '\0';
}
