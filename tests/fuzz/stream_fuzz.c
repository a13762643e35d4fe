// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The SSTP codec as sstp.ko and the helper use it: a byte stream cut into
 * reads of any size (the first byte picks the cut) through the stream
 * reassembler, and every control packet through sstp_ctrl_decode().
 * Packets must come out whole and within the protocol's bounds, and a
 * decoded packet must encode back to the same length.
 */
#include <string.h>

#include <sstp/wire.h>

#include "fuzz.h"

static void check_packet(const uint8_t *pkt, int n)
{
	static struct sstp_ctrl msg;
	static uint8_t out[SSTP_MAX_PACKET];

	FUZZ_ASSERT(n >= SSTP_HDR_LEN && n <= SSTP_MAX_PACKET);
	if (!(pkt[1] & SSTP_FLAG_CONTROL))
		return;
	if (sstp_ctrl_decode(pkt, n, &msg))
		return;
	FUZZ_ASSERT(sstp_ctrl_encoded_len(&msg) == n);
	FUZZ_ASSERT(sstp_ctrl_encode(&msg, out, sizeof(out)) == n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sstp_stream s;
	const uint8_t *in, *pkt;
	size_t cut, len, chunk;
	int n;

	if (size < 1)
		return 0;
	cut = (size_t)data[0] + 1;
	data++;
	size--;
	sstp_stream_init(&s);
	while (size) {
		chunk = size < cut ? size : cut;
		in = data;
		len = chunk;
		while ((n = sstp_stream_next(&s, &in, &len, &pkt)) > 0)
			check_packet(pkt, n);
		if (n < 0)
			return 0;	/* a framing error ends the stream */
		FUZZ_ASSERT(len == 0);
		data += chunk;
		size -= chunk;
	}
	return 0;
}
