// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The HDLC-like framing of the userspace data path: what pppd's pty gives
 * us, cut into reads of any size (the first byte picks the cut), through
 * the decoder. Every frame it returns fits its buffer and comes back
 * unchanged through the encoder and a fresh decoder, with the ACCM the
 * next four bytes pick; all input is always consumed. The input itself,
 * taken as one frame, must survive encoding and decoding too.
 */
#include <string.h>

#include "datapath/hdlc.h"
#include "fuzz.h"

#define FRAME_MAX 1600

static uint8_t enc[SSTP_HDLC_ENCODED_MAX(1 << 16)];

/* @frame through the encoder and a fresh decoder: the same bytes back. */
static void check_roundtrip(const uint8_t *frame, size_t len, uint32_t accm)
{
	static uint8_t buf[(1 << 16) + SSTP_HDLC_FCS_LEN];
	struct sstp_hdlc_decoder d;
	const uint8_t *p, *out;
	size_t n, left;

	if (len == 0 || len > 1 << 16)
		return;
	n = sstp_hdlc_encode(frame, len, accm, enc);
	FUZZ_ASSERT(n <= SSTP_HDLC_ENCODED_MAX(len));
	sstp_hdlc_decoder_init(&d, buf, len + SSTP_HDLC_FCS_LEN);
	p = enc;
	left = n;
	FUZZ_ASSERT(sstp_hdlc_decode(&d, &p, &left, &out) == len);
	FUZZ_ASSERT(left == 0 && !memcmp(out, frame, len));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t buf[FRAME_MAX];
	struct sstp_hdlc_decoder d;
	const uint8_t *p, *frame;
	size_t cut, chunk, left, n;
	uint32_t accm;

	if (size < 5)
		return 0;
	cut = (size_t)data[0] + 1;
	accm = (uint32_t)data[1] << 24 | (uint32_t)data[2] << 16 |
	       (uint32_t)data[3] << 8 | data[4];
	data += 5;
	size -= 5;
	check_roundtrip(data, size, accm);
	sstp_hdlc_decoder_init(&d, buf, sizeof(buf));
	while (size) {
		chunk = size < cut ? size : cut;
		p = data;
		left = chunk;
		while ((n = sstp_hdlc_decode(&d, &p, &left, &frame)) > 0) {
			FUZZ_ASSERT(n <= sizeof(buf) - SSTP_HDLC_FCS_LEN);
			FUZZ_ASSERT(frame == buf);
			check_roundtrip(frame, n, accm);
		}
		FUZZ_ASSERT(left == 0 && p == data + chunk);
		data += chunk;
		size -= chunk;
	}
	return 0;
}
