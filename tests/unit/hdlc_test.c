// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for userspace/datapath/hdlc.c: the FCS against the bitwise
 * CRC and a published check value, frames encoded to the byte, and the
 * decoder over input cut anywhere, with every kind of bad frame.
 */
#include <stdint.h>
#include <string.h>

#include "datapath/hdlc.h"
#include "unit.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* An LCP Configure-Request with no options, as pppd sends it. */
static const uint8_t lcp_req[] = { 0xff, 0x03, 0xc0, 0x21, 0x01, 0x01, 0x00, 0x04 };

/* The CRC of [RFC 1662] appendix C one bit at a time, not from a table. */
static uint16_t fcs_bitwise(uint16_t fcs, const uint8_t *p, size_t len)
{
	int bit;

	while (len--) {
		fcs ^= *p++;
		for (bit = 0; bit < 8; bit++)
			fcs = (fcs & 1) ? (fcs >> 1) ^ 0x8408 : fcs >> 1;
	}
	return fcs;
}

static void test_fcs(void)
{
	uint8_t byte;
	int c, bad = 0;

	for (c = 0; c < 256; c++) {
		byte = (uint8_t)c;
		if (sstp_hdlc_fcs(0, &byte, 1) != fcs_bitwise(0, &byte, 1))
			bad++;
	}
	CHECK_INT(bad, 0);
	/* CRC-16/X.25's published check value, for "123456789". */
	CHECK_INT(sstp_hdlc_fcs(SSTP_HDLC_FCS_INIT, (const uint8_t *)"123456789", 9) ^ 0xffff,
		  0x906e);
}

static void test_encode(void)
{
	/* FCS 0xb5d1, sent d1 b5; every control character escaped... */
	static const uint8_t all[] = {
		0x7e, 0xff, 0x7d, 0x23, 0xc0, 0x21, 0x7d, 0x21, 0x7d, 0x21,
		0x7d, 0x20, 0x7d, 0x24, 0xd1, 0xb5, 0x7e,
	};
	/* ...or none of them. */
	static const uint8_t none[] = {
		0x7e, 0xff, 0x03, 0xc0, 0x21, 0x01, 0x01, 0x00, 0x04, 0xd1, 0xb5, 0x7e,
	};
	static const uint8_t specials[] = { 0x7e, 0x7d, 0x1f, 0x20 };
	static const uint8_t specials_out[] = { 0x7d, 0x5e, 0x7d, 0x5d, 0x1f, 0x20 };
	uint8_t out[SSTP_HDLC_ENCODED_MAX(sizeof(lcp_req))];
	size_t n;

	n = sstp_hdlc_encode(lcp_req, sizeof(lcp_req), SSTP_HDLC_ACCM_ALL, out);
	CHECK_INT(n, sizeof(all));
	CHECK_MEM(out, all, sizeof(all));
	n = sstp_hdlc_encode(lcp_req, sizeof(lcp_req), 0, out);
	CHECK_INT(n, sizeof(none));
	CHECK_MEM(out, none, sizeof(none));
	/* Flag and escape always, 0x1f only when its ACCM bit asks. */
	n = sstp_hdlc_encode(specials, sizeof(specials), 0x7fffffff, out);
	CHECK_MEM(out + 1, specials_out, sizeof(specials_out));
	n = sstp_hdlc_encode(specials, sizeof(specials), 0x80000000u, out);
	CHECK_MEM(out + 1, "\x7d\x5e\x7d\x5d\x7d\x3f\x20", 7);
}

/* Decode @in fed @cut bytes at a time; the frames' lengths into @lens. */
static size_t decode_all(struct sstp_hdlc_decoder *d, const uint8_t *in,
			 size_t len, size_t cut, size_t *lens, size_t max,
			 const uint8_t *expect)
{
	const uint8_t *frame, *p;
	size_t got = 0, chunk, left, n;

	while (len) {
		chunk = len < cut ? len : cut;
		p = in;
		left = chunk;
		while ((n = sstp_hdlc_decode(d, &p, &left, &frame)) > 0) {
			if (got < max)
				lens[got] = n;
			if (expect && memcmp(frame, expect, n))
				lens[got] = 0;
			got++;
		}
		CHECK_INT(left, 0);
		in += chunk;
		len -= chunk;
	}
	return got;
}

static void test_decode_cut_anywhere(void)
{
	uint8_t stream[3 * SSTP_HDLC_ENCODED_MAX(sizeof(lcp_req))], buf[64];
	struct sstp_hdlc_decoder d;
	size_t len = 0, lens[4], cut, got;
	int bad = 0;

	/* Three frames, the second one sharing its opening flag. */
	len += sstp_hdlc_encode(lcp_req, sizeof(lcp_req), SSTP_HDLC_ACCM_ALL, stream);
	len += sstp_hdlc_encode(lcp_req, sizeof(lcp_req), 0, stream + len - 1) - 1;
	len += sstp_hdlc_encode(lcp_req, sizeof(lcp_req), 0, stream + len);
	for (cut = 1; cut <= len; cut++) {
		sstp_hdlc_decoder_init(&d, buf, sizeof(buf));
		got = decode_all(&d, stream, len, cut, lens, ARRAY_SIZE(lens), lcp_req);
		if (got != 3 || lens[0] != sizeof(lcp_req) ||
		    lens[1] != sizeof(lcp_req) || lens[2] != sizeof(lcp_req))
			bad++;
	}
	CHECK_INT(bad, 0);
	CHECK_INT(d.drops.bad_fcs + d.drops.runt + d.drops.aborted + d.drops.too_long, 0);
}

static void test_decode_bad_frames(void)
{
	uint8_t stream[256], buf[sizeof(lcp_req) + SSTP_HDLC_FCS_LEN];
	struct sstp_hdlc_decoder d;
	size_t len = 0, lens[8], got, n;

	/* Noise before the first flag belongs to no frame. */
	memcpy(stream, "\x01\x02\x7d\x03", 4);
	len = 4;
	/* Empty frames: skipped, not counted. */
	memcpy(stream + len, "\x7e\x7e\x7e", 3);
	len += 3;
	/* Runts: one byte, and an FCS with no frame (that of an empty one). */
	memcpy(stream + len, "\x42\x7e\x00\x00\x7e", 5);
	len += 5;
	/* A damaged frame: one bit flipped after encoding. */
	n = sstp_hdlc_encode(lcp_req, sizeof(lcp_req), 0, stream + len);
	stream[len + 5] ^= 0x10;
	len += n;
	/* An aborted frame: escape, then flag. */
	memcpy(stream + len, "\xff\x03\x7d\x7e", 4);
	len += 4;
	/* One byte too long for the buffer. */
	n = sstp_hdlc_encode((const uint8_t *)"\xff\x03\xc0\x21\x01\x01\x00\x05\x00",
			     9, 0, stream + len);
	len += n;
	/* And a good one: the decoder is in step again. */
	len += sstp_hdlc_encode(lcp_req, sizeof(lcp_req), SSTP_HDLC_ACCM_ALL, stream + len);

	sstp_hdlc_decoder_init(&d, buf, sizeof(buf));
	got = decode_all(&d, stream, len, len, lens, ARRAY_SIZE(lens), lcp_req);
	CHECK_INT(got, 1);
	CHECK_INT(lens[0], sizeof(lcp_req));
	CHECK_INT(d.drops.runt, 2);
	CHECK_INT(d.drops.bad_fcs, 1);
	CHECK_INT(d.drops.aborted, 1);
	CHECK_INT(d.drops.too_long, 1);
}

/* Every byte value through encode and decode, with each ACCM edge. */
static void test_roundtrip(void)
{
	static const uint32_t accms[] = { 0, SSTP_HDLC_ACCM_ALL, 0x000a0000 };
	uint8_t frame[1500], enc[SSTP_HDLC_ENCODED_MAX(sizeof(frame))], buf[1600];
	struct sstp_hdlc_decoder d;
	const uint8_t *p, *out;
	size_t i, n, left;
	int bad = 0;

	for (i = 0; i < sizeof(frame); i++)
		frame[i] = (uint8_t)(i * 7 + (i >> 8));
	for (i = 0; i < ARRAY_SIZE(accms); i++) {
		n = sstp_hdlc_encode(frame, sizeof(frame), accms[i], enc);
		CHECK(n <= sizeof(enc));
		sstp_hdlc_decoder_init(&d, buf, sizeof(buf));
		p = enc;
		left = n;
		if (sstp_hdlc_decode(&d, &p, &left, &out) != sizeof(frame) ||
		    memcmp(out, frame, sizeof(frame)) || left != 0)
			bad++;
	}
	CHECK_INT(bad, 0);
}

static const struct unit_test tests[] = {
	UNIT_TEST(test_fcs),
	UNIT_TEST(test_encode),
	UNIT_TEST(test_decode_cut_anywhere),
	UNIT_TEST(test_decode_bad_frames),
	UNIT_TEST(test_roundtrip),
};

int main(void)
{
	return unit_run(tests, ARRAY_SIZE(tests));
}
