// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * wire_test.c - unit tests of the SSTP wire codec (include/sstp/wire.c).
 *
 * Build and run:
 *   gcc -std=gnu11 -g -O1 -Wall -Wextra -Werror \
 *       -fsanitize=address,undefined -fno-sanitize-recover=all \
 *       -Iinclude include/sstp/wire.c tests/unit/wire_test.c -o wire_test
 *
 * Inputs to the decoders are copied into heap buffers of exactly their
 * length, so that AddressSanitizer catches any read past the end.
 */
#include <stdint.h>
#include <stdlib.h>

#include "sstp/wire.h"
#include "unit.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* --- helpers ------------------------------------------------------------ */

static int decode_exact(const uint8_t *pkt, size_t len, struct sstp_ctrl *out)
{
	uint8_t *d = unit_dup_exact(pkt, len);
	int ret = sstp_ctrl_decode(d, len, out);

	/* Status values point into d; callers here only compare scalars. */
	free(d);
	for (unsigned int i = 0; i < SSTP_CTRL_MAX_STATUS; i++)
		out->status[i].value = NULL;
	return ret;
}

static void rng_seed(uint32_t seed)
{
	unit_rng_state = seed ? seed : 1;
}

static uint32_t rng_below(uint32_t n)
{
	return unit_rng() % n;
}

static void rng_fill(uint8_t *p, size_t n)
{
	while (n--)
		*p++ = (uint8_t)unit_rng();
}

/* Compare the meaningful fields of two messages of the same type. */
static bool ctrl_same(const struct sstp_ctrl *a, const struct sstp_ctrl *b)
{
	unsigned int i;

	if (a->type != b->type || a->nstatus != b->nstatus)
		return false;
	for (i = 0; i < a->nstatus; i++) {
		const struct sstp_status_info *x = &a->status[i];
		const struct sstp_status_info *y = &b->status[i];

		if (x->attr_id != y->attr_id || x->status != y->status ||
		    x->value_len != y->value_len)
			return false;
		if (x->value_len && memcmp(x->value, y->value, x->value_len))
			return false;
	}
	switch (a->type) {
	case SSTP_MSG_CALL_CONNECT_REQUEST:
		return a->encap_proto == b->encap_proto;
	case SSTP_MSG_CALL_CONNECT_ACK:
		return !memcmp(&a->binding_req, &b->binding_req,
			       sizeof(a->binding_req));
	case SSTP_MSG_CALL_CONNECTED:
		return !memcmp(&a->binding, &b->binding, sizeof(a->binding));
	}
	return true;
}

/*
 * Encode msg, check it against expect (if given), decode it back, check the
 * fields survive, encode again and check the bytes are identical.
 */
static void check_roundtrip(const struct sstp_ctrl *msg, const uint8_t *expect,
			    size_t expect_len)
{
	static uint8_t a[SSTP_MAX_PACKET], b[SSTP_MAX_PACKET];
	struct sstp_ctrl dec;
	uint8_t *copy;
	int la, lb, ret;

	/* Garbage first: the encoder must write every byte, reserved ones too. */
	memset(a, 0xa5, sizeof(a));
	memset(b, 0x5a, sizeof(b));
	la = sstp_ctrl_encode(msg, a, sizeof(a));
	CHECK_MSG(la > 0, "encode of %s failed: %d",
		  sstp_msg_type_name(msg->type), la);
	if (la <= 0)
		return;
	CHECK_INT(sstp_ctrl_encoded_len(msg), la);
	if (expect) {
		CHECK_INT(la, expect_len);
		CHECK_MEM(a, expect, expect_len);
	}

	copy = unit_dup_exact(a, (size_t)la);
	ret = sstp_ctrl_decode(copy, (size_t)la, &dec);
	CHECK_MSG(ret == 0, "decode of encoded %s failed: %d",
		  sstp_msg_type_name(msg->type), ret);
	if (!ret) {
		CHECK_MSG(ctrl_same(msg, &dec), "%s changed in a round trip",
			  sstp_msg_type_name(msg->type));
		CHECK_INT(dec.flags, 0);
		lb = sstp_ctrl_encode(&dec, b, sizeof(b));
		CHECK_INT(lb, la);
		CHECK_MEM(b, a, (size_t)la);
	}
	free(copy);
}

/* Expect sstp_ctrl_decode() to reject pkt with err, status and attr. */
#define CHECK_REJECT(hex, err, status, attr)				\
	check_reject(__FILE__, __LINE__, hex, err, status, attr)

/* The decode errors that come with an err_status and err_attr. */
static bool err_has_status(int err)
{
	switch (-err) {
	case EOPNOTSUPP: case EPROTO: case ENOPROTOOPT: case EPERM:
	case EEXIST: case ERANGE: case EDOM: case ENOENT:
		return true;
	}
	return false;
}

static void check_reject(const char *file, int line, const char *hex, int err,
			 uint32_t status, uint8_t attr)
{
	uint8_t pkt[SSTP_MAX_PACKET];
	struct sstp_ctrl out;
	size_t len = unit_unhex(hex, pkt, sizeof(pkt));
	int ret = decode_exact(pkt, len, &out);

	unit_count_check();
	if (ret != err)
		unit_fail(file, line, "decode of %s: %d, expected %d", hex, ret,
			  err);
	else if (err_has_status(err) &&
		 (out.err_status != status || out.err_attr != attr))
		unit_fail(file, line,
			  "decode of %s: status %u attr %u, expected %u %u",
			  hex, out.err_status, out.err_attr, status, attr);
}

/* --- SPEC test vectors -------------------------------------------------- */

#define NONCE_4_7	"412B489AEBD7ECC7D08966F26BE7CD72" \
			"B231A0E9210D7C91B308862B0344C435"
#define CERTHASH_4_7	"7993EF314C493DACE9F02D60E7E61C84" \
			"B6690AAFE9D7AEEA92CBBE8AD599422D"
#define CMAC_4_7	"52a68efd8cffbf52770b8f0fe8ec7371" \
			"6583af6d611eb6d179b3b20840985449"

#define NONCE_SHA1	"0F1A2D58D4A3E3000FAD3CE4906E07B7" \
			"07AA9E441CCEAC5CBD7B2CC1C9D86CDF"
#define CERTHASH_SHA1	"5826B629BDA59B8E6FD8DCD2622FD34C534805A5" \
			"000000000000000000000000"
#define CMAC_SHA1	"69915dd583d8062fef16f61db2f03290ec27cb6c" \
			"000000000000000000000000"

static void test_spec_call_connect_request(void)
{
	uint8_t pkt[64];
	size_t len = unit_unhex("10 01 00 0E 00 01 00 01 00 01 00 06 00 01", pkt,
			   sizeof(pkt));
	struct sstp_ctrl msg, dec;

	CHECK_INT(len, SSTP_CALL_CONNECT_REQUEST_LEN);
	CHECK_INT(decode_exact(pkt, len, &dec), 0);
	CHECK_INT(dec.type, SSTP_MSG_CALL_CONNECT_REQUEST);
	CHECK_INT(dec.nattrs, 1);
	CHECK_INT(dec.attrs,
		  SSTP_ATTR_BIT(SSTP_ATTR_ENCAPSULATED_PROTOCOL_ID));
	CHECK_INT(dec.encap_proto, SSTP_ENCAP_PPP);
	CHECK_INT(dec.nstatus, 0);
	CHECK_INT(sstp_ctrl_peek_type(pkt, len),
		  SSTP_MSG_CALL_CONNECT_REQUEST);

	sstp_ctrl_init(&msg, SSTP_MSG_CALL_CONNECT_REQUEST);
	check_roundtrip(&msg, pkt, len);

	/* The value is reported, not judged: the server NAKs it. */
	msg.encap_proto = 0x1234;
	check_roundtrip(&msg, NULL, 0);
	pkt[13] = 0x02;
	CHECK_INT(decode_exact(pkt, len, &dec), 0);
	CHECK_INT(dec.encap_proto, 2);
}

static void test_spec_echo(void)
{
	static const struct {
		const char *hex;
		uint16_t type;
		bool req, resp;
	} v[] = {
		{ "10 01 00 08 00 08 00 00", SSTP_MSG_ECHO_REQUEST, 1, 0 },
		{ "10 01 00 08 00 09 00 00", SSTP_MSG_ECHO_RESPONSE, 0, 1 },
		/* Reserved bits are ignored on receipt. */
		{ "10 FF F0 08 00 08 00 00", SSTP_MSG_ECHO_REQUEST, 1, 0 },
		{ "10 01 00 08 00 07 00 00", SSTP_MSG_CALL_DISCONNECT_ACK,
		  0, 0 },
	};
	uint8_t pkt[16], buf[16];
	struct sstp_ctrl msg, dec;
	size_t i, len;

	for (i = 0; i < ARRAY_SIZE(v); i++) {
		len = unit_unhex(v[i].hex, pkt, sizeof(pkt));
		CHECK_INT(decode_exact(pkt, len, &dec), 0);
		CHECK_INT(dec.type, v[i].type);
		CHECK_INT(dec.nattrs, 0);
		CHECK_INT(sstp_ctrl_is_echo_request(pkt, len), v[i].req);
		CHECK_INT(sstp_ctrl_is_echo_response(pkt, len), v[i].resp);
		if (i == 2)
			continue;
		sstp_ctrl_init(&msg, v[i].type);
		check_roundtrip(&msg, pkt, len);
		memset(buf, 0xa5, sizeof(buf));
		CHECK_INT(sstp_ctrl_encode_empty(v[i].type, buf, 8), 8);
		CHECK_MEM(buf, pkt, len);
		CHECK_INT(buf[8], 0xa5);
	}

	/* Not echoes: attributes, wrong lengths, data packets. */
	len = unit_unhex("10 01 00 08 00 08 00 01", pkt, sizeof(pkt));
	CHECK(!sstp_ctrl_is_echo_request(pkt, len));
	len = unit_unhex("10 01 00 09 00 08 00 00 00", pkt, sizeof(pkt));
	CHECK(!sstp_ctrl_is_echo_request(pkt, len));
	len = unit_unhex("10 01 00 08 00 08 00 00", pkt, sizeof(pkt));
	CHECK(!sstp_ctrl_is_echo_request(pkt, len - 1));
	CHECK(!sstp_ctrl_is_echo_request(pkt, len + 1));
	len = unit_unhex("10 00 00 08 00 08 00 00", pkt, sizeof(pkt));
	CHECK(!sstp_ctrl_is_echo_request(pkt, len));
	len = unit_unhex("11 01 00 08 00 08 00 00", pkt, sizeof(pkt));
	CHECK(!sstp_ctrl_is_echo_request(pkt, len));
	CHECK(!sstp_ctrl_is_echo_request(NULL, 8));
}

static void test_spec_connect_ack(void)
{
	uint8_t pkt[64], nonce[SSTP_NONCE_LEN];
	size_t len = unit_unhex("10 01 00 30 00 02 00 01 00 04 00 28 00 00 00 02"
			   NONCE_4_7, pkt, sizeof(pkt));
	struct sstp_ctrl msg, dec;

	unit_unhex(NONCE_4_7, nonce, sizeof(nonce));
	CHECK_INT(len, SSTP_CALL_CONNECT_ACK_LEN);
	CHECK_INT(decode_exact(pkt, len, &dec), 0);
	CHECK_INT(dec.type, SSTP_MSG_CALL_CONNECT_ACK);
	CHECK_INT(dec.attrs, SSTP_ATTR_BIT(SSTP_ATTR_CRYPTO_BINDING_REQ));
	CHECK_INT(dec.binding_req.hash_mask, SSTP_HASH_SHA256);
	CHECK_MEM(dec.binding_req.nonce, nonce, SSTP_NONCE_LEN);

	sstp_ctrl_init(&msg, SSTP_MSG_CALL_CONNECT_ACK);
	msg.binding_req.hash_mask = SSTP_HASH_SHA256;
	memcpy(msg.binding_req.nonce, nonce, SSTP_NONCE_LEN);
	check_roundtrip(&msg, pkt, len);

	/* Both hashes (accel-ppp default); unknown extra bits are kept. */
	msg.binding_req.hash_mask = SSTP_HASH_SHA1 | SSTP_HASH_SHA256;
	check_roundtrip(&msg, NULL, 0);
	msg.binding_req.hash_mask = 0x80 | SSTP_HASH_SHA1;
	check_roundtrip(&msg, NULL, 0);
	pkt[15] = 0x83;
	CHECK_INT(decode_exact(pkt, len, &dec), 0);
	CHECK_INT(dec.binding_req.hash_mask, 0x83);
}

static void check_call_connected(const char *hex, uint8_t proto,
				 const char *nonce_hex, const char *cert_hex,
				 const char *cmac_hex)
{
	uint8_t pkt[SSTP_CALL_CONNECTED_LEN + 1];
	uint8_t nonce[32], cert[32], cmac[32];
	size_t len = unit_unhex(hex, pkt, sizeof(pkt));
	struct sstp_ctrl msg, dec;

	unit_unhex(nonce_hex, nonce, sizeof(nonce));
	unit_unhex(cert_hex, cert, sizeof(cert));
	unit_unhex(cmac_hex, cmac, sizeof(cmac));

	CHECK_INT(len, SSTP_CALL_CONNECTED_LEN);
	CHECK_INT(decode_exact(pkt, len, &dec), 0);
	CHECK_INT(dec.type, SSTP_MSG_CALL_CONNECTED);
	CHECK_INT(dec.attrs, SSTP_ATTR_BIT(SSTP_ATTR_CRYPTO_BINDING));
	CHECK_INT(dec.binding.hash_proto, proto);
	CHECK_MEM(dec.binding.nonce, nonce, 32);
	CHECK_MEM(dec.binding.cert_hash, cert, 32);
	CHECK_MEM(dec.binding.cmac, cmac, 32);

	/* The offsets userspace uses to compute the CMAC in place. */
	CHECK_INT(pkt[SSTP_CALL_CONNECTED_HASH_PROTO_OFF], proto);
	CHECK_MEM(pkt + SSTP_CALL_CONNECTED_NONCE_OFF, nonce, 32);
	CHECK_MEM(pkt + SSTP_CALL_CONNECTED_CERT_HASH_OFF, cert, 32);
	CHECK_MEM(pkt + SSTP_CALL_CONNECTED_CMAC_OFF, cmac, 32);
	CHECK_INT(SSTP_CALL_CONNECTED_CMAC_OFF + SSTP_HASH_FIELD_LEN,
		  SSTP_CALL_CONNECTED_LEN);

	sstp_ctrl_init(&msg, SSTP_MSG_CALL_CONNECTED);
	msg.binding.hash_proto = proto;
	memcpy(msg.binding.nonce, nonce, 32);
	memcpy(msg.binding.cert_hash, cert, 32);
	memcpy(msg.binding.cmac, cmac, 32);
	check_roundtrip(&msg, pkt, len);
}

static void test_spec_call_connected(void)
{
	check_call_connected("10 01 00 70 00 04 00 01 00 03 00 68 00 00 00 02"
			     NONCE_4_7 CERTHASH_4_7 CMAC_4_7,
			     SSTP_HASH_SHA256, NONCE_4_7, CERTHASH_4_7,
			     CMAC_4_7);
	check_call_connected("10 01 00 70 00 04 00 01 00 03 00 68 00 00 00 01"
			     NONCE_SHA1 CERTHASH_SHA1 CMAC_SHA1,
			     SSTP_HASH_SHA1, NONCE_SHA1, CERTHASH_SHA1,
			     CMAC_SHA1);
}

static void test_abort_disconnect_with_status(void)
{
	/* accel-ppp's Abort: INVALID_FRAME_RECEIVED about Status Info. */
	static const char abort_hex[] =
		"10 01 00 14 00 05 00 01 00 02 00 0C 00 00 00 02 00 00 00 07";
	/* accel-ppp's Disconnect: NO_ERROR, no attribute. */
	static const char disc_hex[] =
		"10 01 00 14 00 06 00 01 00 02 00 0C 00 00 00 00 00 00 00 00";
	uint8_t pkt[32];
	size_t len = unit_unhex(abort_hex, pkt, sizeof(pkt));
	struct sstp_ctrl msg, dec;

	CHECK_INT(len, 20);
	CHECK_INT(decode_exact(pkt, len, &dec), 0);
	CHECK_INT(dec.type, SSTP_MSG_CALL_ABORT);
	CHECK_INT(dec.attrs, SSTP_ATTR_BIT(SSTP_ATTR_STATUS_INFO));
	CHECK_INT(dec.nstatus, 1);
	CHECK_INT(dec.status[0].attr_id, SSTP_ATTR_STATUS_INFO);
	CHECK_INT(dec.status[0].status, SSTP_STATUS_INVALID_FRAME_RECEIVED);
	CHECK_INT(dec.status[0].value_len, 0);

	sstp_ctrl_init(&msg, SSTP_MSG_CALL_ABORT);
	CHECK_INT(sstp_ctrl_add_status(&msg, SSTP_ATTR_STATUS_INFO,
				       SSTP_STATUS_INVALID_FRAME_RECEIVED,
				       NULL, 0), 0);
	check_roundtrip(&msg, pkt, len);

	len = unit_unhex(disc_hex, pkt, sizeof(pkt));
	sstp_ctrl_init(&msg, SSTP_MSG_CALL_DISCONNECT);
	CHECK_INT(sstp_ctrl_add_status(&msg, SSTP_ATTR_NO_ERROR,
				       SSTP_STATUS_NO_ERROR, NULL, 0), 0);
	check_roundtrip(&msg, pkt, len);

	/* A status value is echoed, and any 32-bit status is accepted. */
	len = unit_unhex("10 01 00 16 00 05 00 01 00 02 00 0E 00 00 00 01"
		    "DE AD BE EF 00 01", pkt, sizeof(pkt));
	CHECK_INT(decode_exact(pkt, len, &dec), 0);
	CHECK_INT(dec.status[0].attr_id, 1);
	CHECK_INT(dec.status[0].status, 0xdeadbeefu);
	CHECK_INT(dec.status[0].value_len, 2);
}

static void test_nak(void)
{
	/* What the spec says: Length 14 counts the 2-byte value. */
	static const char spec_hex[] =
		"10 01 00 16 00 03 00 01 00 02 00 0E 00 00 00 01"
		"00 00 00 04 00 01";
	static const uint8_t val[] = { 0x00, 0x01 }, val2[] = { 0xab };
	uint8_t pkt[64], *copy;
	size_t len = unit_unhex(spec_hex, pkt, sizeof(pkt));
	struct sstp_ctrl msg, dec;

	copy = unit_dup_exact(pkt, len);
	CHECK_INT(sstp_ctrl_decode(copy, len, &dec), 0);
	CHECK_INT(dec.type, SSTP_MSG_CALL_CONNECT_NAK);
	CHECK_INT(dec.flags, 0);
	CHECK_INT(dec.nstatus, 1);
	CHECK_INT(dec.status[0].attr_id,
		  SSTP_ATTR_ENCAPSULATED_PROTOCOL_ID);
	CHECK_INT(dec.status[0].status, SSTP_STATUS_VALUE_NOT_SUPPORTED);
	CHECK_INT(dec.status[0].value_len, 2);
	/* Zero copy: the value points into the packet. */
	CHECK(dec.status[0].value == copy + 20);
	free(copy);

	sstp_ctrl_init(&msg, SSTP_MSG_CALL_CONNECT_NAK);
	CHECK_INT(sstp_ctrl_add_status(&msg, 1,
				       SSTP_STATUS_VALUE_NOT_SUPPORTED, val,
				       sizeof(val)), 0);
	check_roundtrip(&msg, pkt, len);

	/* Several Status Info attributes, in order. */
	CHECK_INT(sstp_ctrl_add_status(&msg, 7, 2, val2, 1), 0);
	CHECK_INT(sstp_ctrl_add_status(&msg, 0, 0, NULL, 0), 0);
	check_roundtrip(&msg, NULL, 0);
}

static void test_nak_accel_ppp_quirk(void)
{
	/* accel-ppp: Status Info Length 12, then 2 value bytes. */
	static const char quirk_hex[] =
		"10 01 00 16 00 03 00 01 00 02 00 0C 00 00 00 01"
		"00 00 00 04 00 00";
	uint8_t pkt[64], out[64], *copy;
	size_t len = unit_unhex(quirk_hex, pkt, sizeof(pkt));
	struct sstp_ctrl dec;
	int ret;

	copy = unit_dup_exact(pkt, len);
	CHECK_INT(sstp_ctrl_decode(copy, len, &dec), 0);
	CHECK_INT(dec.flags, SSTP_CTRL_F_NAK_QUIRK);
	CHECK_INT(dec.nstatus, 1);
	CHECK_INT(dec.status[0].attr_id, 1);
	CHECK_INT(dec.status[0].status, SSTP_STATUS_VALUE_NOT_SUPPORTED);
	CHECK_INT(dec.status[0].value_len, 2);
	CHECK(dec.status[0].value == copy + 20);

	/* Re-encoding writes the spec form: only the Length differs. */
	ret = sstp_ctrl_encode(&dec, out, sizeof(out));
	CHECK_INT(ret, 22);
	pkt[11] = 0x0e;
	CHECK_MEM(out, pkt, len);
	free(copy);

	/* Up to 3 uncounted bytes after the last Status Info... */
	CHECK_INT(decode_exact(pkt, unit_unhex(
		"10 01 00 17 00 03 00 01 00 02 00 0C 00 00 00 01"
		"00 00 00 04 00 00 00", pkt, sizeof(pkt)), &dec), 0);
	CHECK_INT(dec.status[0].value_len, 3);
	CHECK_INT(decode_exact(pkt, unit_unhex(
		"10 01 00 22 00 03 00 02 00 02 00 0D 00 00 00 01"
		"00 00 00 04 00 00 02 00 0C 00 00 00 00 00 00 00 00 AA",
		pkt, sizeof(pkt)), &dec), 0);
	CHECK_INT(dec.nstatus, 2);
	CHECK_INT(dec.status[0].value_len, 1);
	CHECK_INT(dec.status[1].value_len, 1);

	/* ...but 4 or more is an uncounted attribute: rejected. */
	CHECK_REJECT("10 01 00 18 00 03 00 01 00 02 00 0C 00 00 00 01"
		     "00 00 00 04 00 00 00 00", -EPROTO,
		     SSTP_STATUS_INVALID_FRAME_RECEIVED, 0);
	/* Only after a Length of exactly 12. */
	CHECK_REJECT("10 01 00 17 00 03 00 01 00 02 00 0D 00 00 00 01"
		     "00 00 00 04 00 00 00", -EPROTO,
		     SSTP_STATUS_INVALID_FRAME_RECEIVED, 0);
	/* Only in a NAK. */
	CHECK_REJECT("10 01 00 16 00 05 00 01 00 02 00 0C 00 00 00 01"
		     "00 00 00 04 00 00", -EPROTO,
		     SSTP_STATUS_INVALID_FRAME_RECEIVED, 0);
	CHECK_REJECT("10 01 00 16 00 06 00 01 00 02 00 0C 00 00 00 01"
		     "00 00 00 04 00 00", -EPROTO,
		     SSTP_STATUS_INVALID_FRAME_RECEIVED, 0);
	/* Not after a NAK without attributes. */
	CHECK_REJECT("10 01 00 0A 00 03 00 00 00 00", -EPROTO,
		     SSTP_STATUS_INVALID_FRAME_RECEIVED, 0);
}

/* --- every message type ------------------------------------------------- */

static void test_roundtrip_every_type(void)
{
	static const uint8_t v1[] = { 1, 2, 3, 4, 5 };
	static uint8_t big[SSTP_MAX_PACKET];
	struct sstp_ctrl msg;
	uint16_t t;

	for (t = SSTP_MSG_CALL_CONNECT_REQUEST; t <= SSTP_MSG_MAX; t++) {
		sstp_ctrl_init(&msg, t);
		msg.binding_req.hash_mask = SSTP_HASH_SHA1;
		msg.binding.hash_proto = SSTP_HASH_SHA256;
		memset(msg.binding_req.nonce, 0x11, SSTP_NONCE_LEN);
		memset(msg.binding.nonce, 0x22, SSTP_NONCE_LEN);
		memset(msg.binding.cert_hash, 0x33, SSTP_HASH_FIELD_LEN);
		memset(msg.binding.cmac, 0x44, SSTP_HASH_FIELD_LEN);
		if (t == SSTP_MSG_CALL_CONNECT_NAK)
			sstp_ctrl_add_status(&msg, 1, 4, v1, sizeof(v1));
		check_roundtrip(&msg, NULL, 0);
	}

	/* Expected lengths of each type, as the spec table gives them. */
	sstp_ctrl_init(&msg, SSTP_MSG_CALL_CONNECT_REQUEST);
	CHECK_INT(sstp_ctrl_encoded_len(&msg), 14);
	sstp_ctrl_init(&msg, SSTP_MSG_CALL_CONNECT_ACK);
	msg.binding_req.hash_mask = 3;
	CHECK_INT(sstp_ctrl_encoded_len(&msg), 48);
	sstp_ctrl_init(&msg, SSTP_MSG_CALL_CONNECTED);
	msg.binding.hash_proto = 1;
	CHECK_INT(sstp_ctrl_encoded_len(&msg), 112);
	for (t = SSTP_MSG_CALL_ABORT; t <= SSTP_MSG_MAX; t++) {
		sstp_ctrl_init(&msg, t);
		CHECK_INT(sstp_ctrl_encoded_len(&msg), 8);
	}
	for (t = SSTP_MSG_CALL_ABORT; t <= SSTP_MSG_CALL_DISCONNECT; t++) {
		sstp_ctrl_init(&msg, t);
		sstp_ctrl_add_status(&msg, 0, 0, NULL, 0);
		CHECK_INT(sstp_ctrl_encoded_len(&msg), 20);
		check_roundtrip(&msg, NULL, 0);
	}

	/* The largest possible control message: exactly 4095 bytes. */
	sstp_ctrl_init(&msg, SSTP_MSG_CALL_CONNECT_NAK);
	rng_seed(7);
	rng_fill(big, sizeof(big));
	sstp_ctrl_add_status(&msg, 1, 4, big, SSTP_MAX_PACKET - 8 - 12);
	CHECK_INT(sstp_ctrl_encoded_len(&msg), SSTP_MAX_PACKET);
	check_roundtrip(&msg, NULL, 0);
}

/* Decode keeps SSTP_CTRL_MAX_STATUS Status Info; nattrs shows the rest. */
static void test_nak_many_status(void)
{
	static uint8_t pkt[SSTP_MAX_PACKET];
	struct sstp_ctrl dec;
	size_t len = 8, i;
	/* As many as fit: 340. */
	const size_t n = (SSTP_MAX_PACKET - 8) / 12;

	for (i = 0; i < n; i++) {
		len += unit_unhex("00 02 00 0C 00 00 00 00 00 00 00 04", pkt + len,
			     sizeof(pkt) - len);
		pkt[len - 5] = (uint8_t)i;	/* AttribID */
	}
	sstp_hdr_encode(pkt, true, (uint16_t)len);
	pkt[4] = 0;
	pkt[5] = SSTP_MSG_CALL_CONNECT_NAK;
	pkt[6] = (uint8_t)(n >> 8);
	pkt[7] = (uint8_t)n;
	CHECK_INT(decode_exact(pkt, len, &dec), 0);
	CHECK_INT(dec.nattrs, n);
	CHECK_INT(dec.nstatus, SSTP_CTRL_MAX_STATUS);
	for (i = 0; i < SSTP_CTRL_MAX_STATUS; i++)
		CHECK_INT(dec.status[i].attr_id, i);
}

/* --- header ------------------------------------------------------------- */

static void test_hdr_decode(void)
{
	static const struct {
		const char *hex;
		int ret;
		bool control;
		uint16_t len;
	} v[] = {
		{ "10 00 00 04", 0, false, 4 },
		{ "10 01 00 08", 0, true, 8 },
		{ "10 00 0F FF", 0, false, 4095 },
		{ "10 01 0F FF", 0, true, 4095 },
		/* Reserved bits ignored: 7 in byte 1, 4 above Length. */
		{ "10 FE F0 04", 0, false, 4 },
		{ "10 FF FF FF", 0, true, 4095 },
		{ "10 80 A5 DC", 0, false, 0x5dc },
		{ "11 00 00 04", -EPROTONOSUPPORT, false, 0 },
		{ "00 00 00 04", -EPROTONOSUPPORT, false, 0 },
		{ "20 01 00 08", -EPROTONOSUPPORT, false, 0 },
		{ "01 10 00 04", -EPROTONOSUPPORT, false, 0 },
		{ "FF 01 00 08", -EPROTONOSUPPORT, false, 0 },
		{ "10 00 00 00", -EBADMSG, false, 0 },
		{ "10 00 00 03", -EBADMSG, false, 0 },
		{ "10 00 F0 03", -EBADMSG, false, 0 },
		{ "10 00 10 00", -EBADMSG, false, 0 },	/* 0x1000 masks to 0 */
		{ "10 01 00 04", -EBADMSG, false, 0 },
		{ "10 01 00 07", -EBADMSG, false, 0 },
		{ "10 FF F0 07", -EBADMSG, false, 0 },
	};
	uint8_t buf[8], *copy;
	struct sstp_hdr h;
	size_t i, len;

	for (i = 0; i < ARRAY_SIZE(v); i++) {
		len = unit_unhex(v[i].hex, buf, sizeof(buf));
		copy = unit_dup_exact(buf, len);
		memset(&h, 0xcc, sizeof(h));
		CHECK_MSG(sstp_hdr_decode(copy, len, &h) == v[i].ret,
			  "%s: got %d, expected %d", v[i].hex,
			  sstp_hdr_decode(copy, len, &h), v[i].ret);
		if (!v[i].ret) {
			CHECK_INT(h.control, v[i].control);
			CHECK_INT(h.len, v[i].len);
		}
		free(copy);
	}

	/* Fewer than 4 bytes available, and NULL. */
	unit_unhex("10 00 00 04", buf, sizeof(buf));
	for (len = 0; len < 4; len++) {
		copy = unit_dup_exact(buf, len);
		CHECK_INT(sstp_hdr_decode(copy, len, &h), -EMSGSIZE);
		free(copy);
	}
	CHECK_INT(sstp_hdr_decode(NULL, 4, &h), -EINVAL);
	CHECK_INT(sstp_hdr_decode(buf, 4, NULL), -EINVAL);
}

static void test_hdr_encode(void)
{
	uint8_t buf[5], exp[4];

	memset(buf, 0xff, sizeof(buf));
	CHECK_INT(sstp_hdr_encode(buf, false, 4), 0);
	CHECK_MEM(buf, exp, unit_unhex("10 00 00 04", exp, 4));
	CHECK_INT(buf[4], 0xff);
	CHECK_INT(sstp_hdr_encode(buf, false, 4095), 0);
	CHECK_MEM(buf, exp, unit_unhex("10 00 0F FF", exp, 4));
	CHECK_INT(sstp_hdr_encode(buf, true, 8), 0);
	CHECK_MEM(buf, exp, unit_unhex("10 01 00 08", exp, 4));
	CHECK_INT(sstp_hdr_encode(buf, true, 0x5dc), 0);
	CHECK_MEM(buf, exp, unit_unhex("10 01 05 DC", exp, 4));

	memset(buf, 0xee, sizeof(buf));
	CHECK_INT(sstp_hdr_encode(buf, false, 3), -EINVAL);
	CHECK_INT(sstp_hdr_encode(buf, false, 0), -EINVAL);
	CHECK_INT(sstp_hdr_encode(buf, false, 4096), -EINVAL);
	CHECK_INT(sstp_hdr_encode(buf, true, 0xffff), -EINVAL);
	CHECK_INT(sstp_hdr_encode(buf, true, 7), -EINVAL);
	CHECK_INT(sstp_hdr_encode(buf, true, 4), -EINVAL);
	CHECK_INT(sstp_hdr_encode(NULL, true, 8), -EINVAL);
	CHECK_INT(buf[0], 0xee);
}

static void test_peek_type(void)
{
	uint8_t pkt[32];
	size_t len;

	len = unit_unhex("10 01 00 08 12 34 00 05", pkt, sizeof(pkt));
	CHECK_INT(sstp_ctrl_peek_type(pkt, len), 0x1234);
	len = unit_unhex("10 01 00 0E 00 01 00 01 00 01 00 06 00 01", pkt,
		    sizeof(pkt));
	CHECK_INT(sstp_ctrl_peek_type(pkt, len), 1);
	CHECK_INT(sstp_ctrl_peek_type(pkt, len - 1), -EMSGSIZE);
	len = unit_unhex("10 00 00 08 00 08 00 00", pkt, sizeof(pkt));
	CHECK_INT(sstp_ctrl_peek_type(pkt, len), -ENOMSG);
	len = unit_unhex("10 01 00 07 00 08 00", pkt, sizeof(pkt));
	CHECK_INT(sstp_ctrl_peek_type(pkt, len), -EBADMSG);
	CHECK_INT(sstp_ctrl_peek_type(pkt, 3), -EMSGSIZE);
}

/* --- rejections --------------------------------------------------------- */

/* Status values for the err_status checks. */
#define S_FRAME		SSTP_STATUS_INVALID_FRAME_RECEIVED
#define S_UNACC		SSTP_STATUS_UNACCEPTED_FRAME_RECEIVED
#define S_UNREC		SSTP_STATUS_UNRECOGNIZED_ATTRIBUTE
#define S_LEN		SSTP_STATUS_INVALID_ATTRIB_VALUE_LENGTH
#define S_VALUE		SSTP_STATUS_VALUE_NOT_SUPPORTED
#define S_DUP		SSTP_STATUS_DUPLICATE_ATTRIBUTE
#define S_NOTIN		SSTP_STATUS_ATTRIB_NOT_SUPPORTED_IN_MSG
#define S_SINOTIN	SSTP_STATUS_STATUS_INFO_NOT_SUPPORTED_IN_MSG
#define S_MISSING	SSTP_STATUS_REQUIRED_ATTRIBUTE_MISSING

static void test_reject_header(void)
{
	uint8_t pkt[32];
	struct sstp_ctrl out;
	size_t len;

	/* Bad version, short lengths, data packet. */
	CHECK_REJECT("11 01 00 08 00 08 00 00", -EPROTONOSUPPORT, 0, 0);
	CHECK_REJECT("00 01 00 08 00 08 00 00", -EPROTONOSUPPORT, 0, 0);
	CHECK_REJECT("10 01 00 03 00 08 00 00", -EBADMSG, 0, 0);
	CHECK_REJECT("10 01 00 07 00 08 00 00", -EBADMSG, 0, 0);
	CHECK_REJECT("10 01 00 04", -EBADMSG, 0, 0);
	CHECK_REJECT("10 00 00 08 00 08 00 00", -ENOMSG, 0, 0);
	CHECK_REJECT("10 00 00 04", -ENOMSG, 0, 0);
	CHECK_REJECT("10 01 00", -EMSGSIZE, 0, 0);
	CHECK_REJECT("", -EMSGSIZE, 0, 0);

	/* Header Length must be exactly the buffer length, both ways. */
	CHECK_REJECT("10 01 00 09 00 08 00 00", -EMSGSIZE, 0, 0);
	CHECK_REJECT("10 01 00 08 00 08 00 00 00", -EMSGSIZE, 0, 0);
	CHECK_REJECT("10 01 00 0E 00 01 00 01 00 01 00 06 00", -EMSGSIZE,
		     0, 0);
	len = unit_unhex("10 01 00 0E 00 01 00 01 00 01 00 06 00 01 00 00", pkt,
		    sizeof(pkt));
	CHECK_INT(decode_exact(pkt, len, &out), -EMSGSIZE);
	CHECK_INT(decode_exact(pkt, len - 2, &out), 0);
	CHECK_INT(sstp_ctrl_decode(NULL, 8, &out), -EINVAL);
	CHECK_INT(sstp_ctrl_decode(pkt, 8, NULL), -EINVAL);

	/* Unknown message types: distinct error, type still reported. */
	CHECK_REJECT("10 01 00 08 00 00 00 00", -EOPNOTSUPP, S_UNACC, 0);
	CHECK_REJECT("10 01 00 08 00 0A 00 00", -EOPNOTSUPP, S_UNACC, 0);
	CHECK_REJECT("10 01 00 08 FF FF 00 00", -EOPNOTSUPP, S_UNACC, 0);
	CHECK_REJECT("10 01 00 08 01 01 00 00", -EOPNOTSUPP, S_UNACC, 0);
	/* Even with an attribute list that is garbage. */
	CHECK_REJECT("10 01 00 0B 00 0A 00 07 FF FF FF", -EOPNOTSUPP,
		     S_UNACC, 0);
	len = unit_unhex("10 01 00 08 00 0A 00 00", pkt, sizeof(pkt));
	CHECK_INT(decode_exact(pkt, len, &out), -EOPNOTSUPP);
	CHECK_INT(out.type, 10);
}

static void test_reject_attr_framing(void)
{
	/* Num Attributes says more than there are. */
	CHECK_REJECT("10 01 00 0E 00 01 00 02 00 01 00 06 00 01", -EPROTO,
		     S_FRAME, 0);
	CHECK_REJECT("10 01 00 08 00 05 00 01", -EPROTO, S_FRAME, 0);
	CHECK_REJECT("10 01 00 0A 00 05 00 01 00 02", -EPROTO, S_FRAME, 0);
	/* ...or fewer. */
	CHECK_REJECT("10 01 00 0E 00 01 00 00 00 01 00 06 00 01", -EPROTO,
		     S_FRAME, 0);
	CHECK_REJECT("10 01 00 20 00 05 00 01"
		     "00 02 00 0C 00 00 00 00 00 00 00 00"
		     "00 02 00 0C 00 00 00 00 00 00 00 00", -EPROTO,
		     S_FRAME, 0);
	/* Attribute Length below 4 (no progress possible). */
	CHECK_REJECT("10 01 00 0E 00 01 00 01 00 01 00 00 00 01", -EPROTO,
		     S_FRAME, 0);
	CHECK_REJECT("10 01 00 0E 00 01 00 01 00 01 00 03 00 01", -EPROTO,
		     S_FRAME, 0);
	CHECK_REJECT("10 01 00 0E 00 01 00 01 00 01 F0 00 00 01", -EPROTO,
		     S_FRAME, 0);
	/* Attribute running past the packet. */
	CHECK_REJECT("10 01 00 0E 00 01 00 01 00 01 00 07 00 01", -EPROTO,
		     S_FRAME, 0);
	CHECK_REJECT("10 01 00 0E 00 01 00 01 00 01 0F FF 00 01", -EPROTO,
		     S_FRAME, 0);
	/* A framing error wins over a semantic error earlier on. */
	CHECK_REJECT("10 01 00 16 00 01 00 02 00 09 00 06 00 01"
		     "00 01 00 09 00 01 00 00", -EPROTO, S_FRAME, 0);

	/* Reserved fields are ignored, R bits in lengths included. */
	CHECK_REJECT("10 FF F0 0E 00 01 00 01 FF 01 F0 06 00 01", 0, 0, 0);
	CHECK_REJECT("10 01 00 14 00 05 00 01 AA 02 B0 0C FF FF FF 00"
		     "00 00 00 07", 0, 0, 0);
	CHECK_REJECT("10 01 00 30 00 02 00 01 FF 04 F0 28 FF FF FF 02"
		     NONCE_4_7, 0, 0, 0);
	CHECK_REJECT("10 01 00 70 00 04 00 01 FF 03 F0 68 FF FF FF 02"
		     NONCE_4_7 CERTHASH_4_7 CMAC_4_7, 0, 0, 0);
}

static void test_reject_attr_semantics(void)
{
	/* Unknown attribute ids, 0 included (it is only an AttribID). */
	CHECK_REJECT("10 01 00 0E 00 01 00 01 00 00 00 06 00 01",
		     -ENOPROTOOPT, S_UNREC, 0);
	CHECK_REJECT("10 01 00 0E 00 01 00 01 00 05 00 06 00 01",
		     -ENOPROTOOPT, S_UNREC, 5);
	CHECK_REJECT("10 01 00 0C 00 05 00 01 00 FF 00 04",
		     -ENOPROTOOPT, S_UNREC, 0xff);

	/* Wrong fixed lengths. */
	CHECK_REJECT("10 01 00 10 00 01 00 01 00 01 00 08 00 01 00 00",
		     -ERANGE, S_LEN, 1);
	CHECK_REJECT("10 01 00 0D 00 01 00 01 00 01 00 05 00", -ERANGE,
		     S_LEN, 1);
	CHECK_REJECT("10 01 00 2C 00 02 00 01 00 04 00 24 00 00 00 02"
		     "00000000 00000000 00000000 00000000 00000000 00000000"
		     "00000000", -ERANGE, S_LEN, 4);
	CHECK_REJECT("10 01 00 34 00 02 00 01 00 04 00 2C 00 00 00 02"
		     NONCE_4_7 "00000000", -ERANGE, S_LEN, 4);
	CHECK_REJECT("10 01 00 6C 00 04 00 01 00 03 00 64 00 00 00 02"
		     NONCE_4_7 CERTHASH_4_7
		     "00000000 00000000 00000000 00000000 00000000 00000000"
		     "00000000", -ERANGE, S_LEN, 3);
	CHECK_REJECT("10 01 00 74 00 04 00 01 00 03 00 6C 00 00 00 02"
		     NONCE_4_7 CERTHASH_4_7 CMAC_4_7 "00000000", -ERANGE,
		     S_LEN, 3);
	CHECK_REJECT("10 01 00 13 00 05 00 01 00 02 00 0B 00 00 00 00"
		     "00 00 00", -ERANGE, S_LEN, 2);
	CHECK_REJECT("10 01 00 0C 00 03 00 01 00 02 00 04", -ERANGE,
		     S_LEN, 2);

	/* Required attribute missing. */
	CHECK_REJECT("10 01 00 08 00 01 00 00", -ENOENT, S_MISSING, 1);
	CHECK_REJECT("10 01 00 08 00 02 00 00", -ENOENT, S_MISSING, 4);
	CHECK_REJECT("10 01 00 08 00 03 00 00", -ENOENT, S_MISSING, 2);
	CHECK_REJECT("10 01 00 08 00 04 00 00", -ENOENT, S_MISSING, 3);

	/* Attributes not allowed in the message. */
	CHECK_REJECT("10 01 00 14 00 01 00 01 00 02 00 0C 00 00 00 00"
		     "00 00 00 00", -EPERM, S_SINOTIN, 2);
	CHECK_REJECT("10 01 00 14 00 08 00 01 00 02 00 0C 00 00 00 00"
		     "00 00 00 00", -EPERM, S_SINOTIN, 2);
	CHECK_REJECT("10 01 00 14 00 09 00 01 00 02 00 0C 00 00 00 00"
		     "00 00 00 00", -EPERM, S_SINOTIN, 2);
	CHECK_REJECT("10 01 00 14 00 07 00 01 00 02 00 0C 00 00 00 00"
		     "00 00 00 00", -EPERM, S_SINOTIN, 2);
	CHECK_REJECT("10 01 00 14 00 02 00 01 00 02 00 0C 00 00 00 00"
		     "00 00 00 00", -EPERM, S_SINOTIN, 2);
	CHECK_REJECT("10 01 00 0E 00 02 00 01 00 01 00 06 00 01", -EPERM,
		     S_NOTIN, 1);
	CHECK_REJECT("10 01 00 0E 00 03 00 01 00 01 00 06 00 01", -EPERM,
		     S_NOTIN, 1);
	CHECK_REJECT("10 01 00 0E 00 05 00 01 00 01 00 06 00 01", -EPERM,
		     S_NOTIN, 1);
	CHECK_REJECT("10 01 00 30 00 04 00 01 00 04 00 28 00 00 00 02"
		     NONCE_4_7, -EPERM, S_NOTIN, 4);
	CHECK_REJECT("10 01 00 70 00 02 00 01 00 03 00 68 00 00 00 02"
		     NONCE_4_7 CERTHASH_4_7 CMAC_4_7, -EPERM, S_NOTIN, 3);
	/* Required present but followed by a foreign one. */
	CHECK_REJECT("10 01 00 1A 00 01 00 02 00 01 00 06 00 01"
		     "00 02 00 0C 00 00 00 00 00 00 00 00", -EPERM,
		     S_SINOTIN, 2);

	/* Duplicates. */
	CHECK_REJECT("10 01 00 14 00 01 00 02 00 01 00 06 00 01"
		     "00 01 00 06 00 01", -EEXIST, S_DUP, 1);
	CHECK_REJECT("10 01 00 20 00 05 00 02"
		     "00 02 00 0C 00 00 00 00 00 00 00 00"
		     "00 02 00 0C 00 00 00 00 00 00 00 00", -EEXIST, S_DUP, 2);
	CHECK_REJECT("10 01 00 20 00 06 00 02"
		     "00 02 00 0C 00 00 00 00 00 00 00 00"
		     "00 02 00 0C 00 00 00 00 00 00 00 00", -EEXIST, S_DUP, 2);
	CHECK_REJECT("10 01 00 58 00 02 00 02"
		     "00 04 00 28 00 00 00 02" NONCE_4_7
		     "00 04 00 28 00 00 00 02" NONCE_4_7, -EEXIST, S_DUP, 4);

	/* Hash protocol: exactly one known bit; bitmask: at least one. */
	CHECK_REJECT("10 01 00 70 00 04 00 01 00 03 00 68 00 00 00 00"
		     NONCE_4_7 CERTHASH_4_7 CMAC_4_7, -EDOM, S_VALUE, 3);
	CHECK_REJECT("10 01 00 70 00 04 00 01 00 03 00 68 00 00 00 03"
		     NONCE_4_7 CERTHASH_4_7 CMAC_4_7, -EDOM, S_VALUE, 3);
	CHECK_REJECT("10 01 00 70 00 04 00 01 00 03 00 68 00 00 00 04"
		     NONCE_4_7 CERTHASH_4_7 CMAC_4_7, -EDOM, S_VALUE, 3);
	CHECK_REJECT("10 01 00 70 00 04 00 01 00 03 00 68 00 00 00 82"
		     NONCE_4_7 CERTHASH_4_7 CMAC_4_7, -EDOM, S_VALUE, 3);
	CHECK_REJECT("10 01 00 30 00 02 00 01 00 04 00 28 00 00 00 00"
		     NONCE_4_7, -EDOM, S_VALUE, 4);
	CHECK_REJECT("10 01 00 30 00 02 00 01 00 04 00 28 00 00 00 04"
		     NONCE_4_7, -EDOM, S_VALUE, 4);
	CHECK_REJECT("10 01 00 30 00 02 00 01 00 04 00 28 00 00 00 FC"
		     NONCE_4_7, -EDOM, S_VALUE, 4);
}

/* --- encoder errors ----------------------------------------------------- */

static void test_encode_errors(void)
{
	static uint8_t big[SSTP_MAX_PACKET];
	uint8_t buf[SSTP_CALL_CONNECTED_LEN + 8];
	struct sstp_ctrl msg;
	size_t size, i;
	int len;

	/* Every buffer size below the needed one: -ENOSPC, nothing written. */
	sstp_ctrl_init(&msg, SSTP_MSG_CALL_CONNECTED);
	msg.binding.hash_proto = SSTP_HASH_SHA256;
	len = sstp_ctrl_encoded_len(&msg);
	CHECK_INT(len, SSTP_CALL_CONNECTED_LEN);
	for (size = 0; size < (size_t)len; size++) {
		memset(buf, 0xa5, sizeof(buf));
		CHECK_INT(sstp_ctrl_encode(&msg, buf, size), -ENOSPC);
		for (i = 0; i < sizeof(buf) && buf[i] == 0xa5; i++)
			;
		CHECK_MSG(i == sizeof(buf), "size %zu: byte %zu written",
			  size, i);
	}
	CHECK_INT(sstp_ctrl_encode(&msg, buf, (size_t)len), len);
	CHECK_INT(sstp_ctrl_encode(&msg, NULL, 0), -ENOSPC);
	CHECK_INT(sstp_ctrl_encode(&msg, NULL, 200), -EINVAL);
	CHECK_INT(sstp_ctrl_encode(NULL, buf, sizeof(buf)), -EINVAL);
	CHECK_INT(sstp_ctrl_encode_empty(SSTP_MSG_ECHO_REQUEST, buf, 7),
		  -ENOSPC);

	/* More than 4095 bytes: in total, or in one attribute. */
	sstp_ctrl_init(&msg, SSTP_MSG_CALL_CONNECT_NAK);
	sstp_ctrl_add_status(&msg, 1, 4, big, 2040);
	sstp_ctrl_add_status(&msg, 1, 4, big, 2040);
	CHECK_INT(sstp_ctrl_encoded_len(&msg), -EMSGSIZE);
	CHECK_INT(sstp_ctrl_encode(&msg, big, sizeof(big)), -EMSGSIZE);
	sstp_ctrl_init(&msg, SSTP_MSG_CALL_CONNECT_NAK);
	sstp_ctrl_add_status(&msg, 1, 4, big, SSTP_MAX_PACKET - 8 - 12 + 1);
	CHECK_INT(sstp_ctrl_encoded_len(&msg), -EMSGSIZE);
	sstp_ctrl_init(&msg, SSTP_MSG_CALL_CONNECT_NAK);
	sstp_ctrl_add_status(&msg, 1, 4, big, 0xffff);
	CHECK_INT(sstp_ctrl_encoded_len(&msg), -EMSGSIZE);

	/* Inconsistent messages. */
	sstp_ctrl_init(&msg, 0);
	CHECK_INT(sstp_ctrl_encoded_len(&msg), -EINVAL);
	sstp_ctrl_init(&msg, SSTP_MSG_MAX + 1);
	CHECK_INT(sstp_ctrl_encoded_len(&msg), -EINVAL);
	sstp_ctrl_init(&msg, SSTP_MSG_CALL_CONNECT_NAK);
	CHECK_INT(sstp_ctrl_encoded_len(&msg), -EINVAL);
	sstp_ctrl_init(&msg, SSTP_MSG_CALL_ABORT);
	sstp_ctrl_add_status(&msg, 0, 0, NULL, 0);
	sstp_ctrl_add_status(&msg, 0, 0, NULL, 0);
	CHECK_INT(sstp_ctrl_encoded_len(&msg), -EINVAL);
	sstp_ctrl_init(&msg, SSTP_MSG_ECHO_REQUEST);
	sstp_ctrl_add_status(&msg, 0, 0, NULL, 0);
	CHECK_INT(sstp_ctrl_encoded_len(&msg), -EINVAL);
	sstp_ctrl_init(&msg, SSTP_MSG_CALL_CONNECT_REQUEST);
	sstp_ctrl_add_status(&msg, 0, 0, NULL, 0);
	CHECK_INT(sstp_ctrl_encoded_len(&msg), -EINVAL);
	sstp_ctrl_init(&msg, SSTP_MSG_CALL_CONNECTED);
	CHECK_INT(sstp_ctrl_encoded_len(&msg), -EINVAL);
	msg.binding.hash_proto = SSTP_HASH_SHA1 | SSTP_HASH_SHA256;
	CHECK_INT(sstp_ctrl_encoded_len(&msg), -EINVAL);
	msg.binding.hash_proto = 0x04;
	CHECK_INT(sstp_ctrl_encoded_len(&msg), -EINVAL);
	sstp_ctrl_init(&msg, SSTP_MSG_CALL_CONNECT_ACK);
	CHECK_INT(sstp_ctrl_encoded_len(&msg), -EINVAL);
	msg.binding_req.hash_mask = 0x04;
	CHECK_INT(sstp_ctrl_encoded_len(&msg), -EINVAL);
	sstp_ctrl_init(&msg, SSTP_MSG_CALL_CONNECT_NAK);
	sstp_ctrl_add_status(&msg, 0, 0, NULL, 0);
	msg.status[0].value_len = 3;	/* value NULL */
	CHECK_INT(sstp_ctrl_encoded_len(&msg), -EINVAL);
	msg.status[0].value_len = 0;
	msg.nstatus = SSTP_CTRL_MAX_STATUS + 1;
	CHECK_INT(sstp_ctrl_encoded_len(&msg), -EINVAL);
	CHECK_INT(sstp_ctrl_encoded_len(NULL), -EINVAL);

	/* Builders. */
	sstp_ctrl_init(&msg, SSTP_MSG_CALL_CONNECT_NAK);
	for (i = 0; i < SSTP_CTRL_MAX_STATUS; i++)
		CHECK_INT(sstp_ctrl_add_status(&msg, 0, 0, NULL, 0), 0);
	CHECK_INT(sstp_ctrl_add_status(&msg, 0, 0, NULL, 0), -ENOSPC);
	CHECK_INT(sstp_ctrl_add_status(&msg, 0, 0, NULL, 1), -EINVAL);
	CHECK_INT(msg.nstatus, SSTP_CTRL_MAX_STATUS);

	/* encode_empty only for the types that may have no attribute. */
	CHECK_INT(sstp_ctrl_encode_empty(SSTP_MSG_CALL_ABORT, buf, 8), 8);
	CHECK_INT(sstp_ctrl_encode_empty(SSTP_MSG_CALL_DISCONNECT, buf, 8), 8);
	CHECK_INT(sstp_ctrl_encode_empty(SSTP_MSG_CALL_CONNECT_REQUEST, buf,
					 sizeof(buf)), -EINVAL);
	CHECK_INT(sstp_ctrl_encode_empty(SSTP_MSG_CALL_CONNECT_NAK, buf,
					 sizeof(buf)), -EINVAL);
	CHECK_INT(sstp_ctrl_encode_empty(0, buf, sizeof(buf)), -EINVAL);
	CHECK_INT(sstp_ctrl_encode_empty(10, buf, sizeof(buf)), -EINVAL);
	CHECK_INT(sstp_ctrl_encode_empty(8, NULL, 8), -EINVAL);
}

static void test_names(void)
{
	uint32_t i, j;

	CHECK(!strcmp(sstp_msg_type_name(1), "CALL_CONNECT_REQUEST"));
	CHECK(!strcmp(sstp_msg_type_name(9), "ECHO_RESPONSE"));
	CHECK(!strcmp(sstp_msg_type_name(0), "UNKNOWN"));
	CHECK(!strcmp(sstp_msg_type_name(10), "UNKNOWN"));
	CHECK(!strcmp(sstp_msg_type_name(0xffff), "UNKNOWN"));
	CHECK(!strcmp(sstp_status_name(4), "VALUE_NOT_SUPPORTED"));
	CHECK(!strcmp(sstp_status_name(0x0b),
		      "STATUS_INFO_NOT_SUPPORTED_IN_MSG"));
	CHECK(!strcmp(sstp_status_name(0x0c), "UNKNOWN"));
	CHECK(!strcmp(sstp_status_name(0xffffffffu), "UNKNOWN"));
	for (i = 0; i <= SSTP_STATUS_MAX; i++)
		for (j = 0; j < i; j++)
			CHECK_MSG(strcmp(sstp_status_name(i),
					 sstp_status_name(j)),
				  "status %u and %u share a name", i, j);
	/* The kernel may keep one on its stack. */
	CHECK_MSG(sizeof(struct sstp_ctrl) <= 256, "sizeof(sstp_ctrl) = %zu",
		  sizeof(struct sstp_ctrl));
}

/* --- stream reassembly -------------------------------------------------- */

#define STREAM_MAX_PKTS 32

struct test_stream {
	uint8_t *data;		/* heap, exactly len bytes */
	size_t len;
	size_t npkts;
	size_t off[STREAM_MAX_PKTS + 1];	/* packet i: off[i]..off[i+1] */
};

static void ts_add(struct test_stream *ts, const uint8_t *p, size_t n)
{
	if (ts->npkts >= STREAM_MAX_PKTS)
		abort();
	ts->data = realloc(ts->data, ts->len + n);
	if (!ts->data)
		abort();
	memcpy(ts->data + ts->len, p, n);
	ts->len += n;
	ts->npkts++;
	ts->off[ts->npkts] = ts->len;
}

static void ts_add_data(struct test_stream *ts, size_t payload)
{
	static uint8_t pkt[SSTP_MAX_PACKET];

	sstp_hdr_encode(pkt, false, (uint16_t)(SSTP_HDR_LEN + payload));
	rng_fill(pkt + SSTP_HDR_LEN, payload);
	ts_add(ts, pkt, SSTP_HDR_LEN + payload);
}

static void ts_add_hex(struct test_stream *ts, const char *hex)
{
	uint8_t pkt[SSTP_MAX_PACKET];

	ts_add(ts, pkt, unit_unhex(hex, pkt, sizeof(pkt)));
}

/* A stream of packets of many sizes, both kinds, smallest and largest. */
static void ts_build(struct test_stream *ts)
{
	memset(ts, 0, sizeof(*ts));
	rng_seed(42);
	ts_add_hex(ts, "10 01 00 0E 00 01 00 01 00 01 00 06 00 01");
	ts_add_data(ts, 0);
	ts_add_data(ts, SSTP_MAX_DATA_PAYLOAD);
	ts_add_hex(ts, "10 01 00 08 00 08 00 00");
	ts_add_data(ts, 1);
	ts_add_hex(ts, "10 01 00 70 00 04 00 01 00 03 00 68 00 00 00 02"
		   NONCE_4_7 CERTHASH_4_7 CMAC_4_7);
	ts_add_data(ts, 1496);
	ts_add_data(ts, 0);
	ts_add_data(ts, 0);
	ts_add_hex(ts, "10 01 00 14 00 05 00 01 00 02 00 0C 00 00 00 02"
		   "00 00 00 07");
	ts_add_data(ts, 3);
	ts_add_data(ts, SSTP_MAX_DATA_PAYLOAD);
	ts_add_data(ts, 2);
}

/*
 * Feed ts to a parser in the pieces ending at cuts[] (the last cut must be
 * ts->len) and check that exactly its packets come out, in order. Packets
 * wholly inside one piece must come out without a copy; a packet that
 * straddles a cut must come out of the parser's buffer.
 */
static void ts_feed(const struct test_stream *ts, const size_t *cuts,
		    size_t ncuts, const char *what)
{
	static struct sstp_stream s;
	const uint8_t *in, *pkt;
	size_t in_len, start = 0, next = 0, c, piece_end;
	unsigned int bad = 0;
	uint8_t *piece;
	int ret;

	sstp_stream_init(&s);
	for (c = 0; c < ncuts; c++) {
		piece_end = cuts[c];
		piece = unit_dup_exact(ts->data + start, piece_end - start);
		in = piece;
		in_len = piece_end - start;
		while ((ret = sstp_stream_next(&s, &in, &in_len, &pkt)) > 0) {
			size_t ps, pe;
			bool straddles;

			if (next >= ts->npkts) {
				bad++;
				break;
			}
			ps = ts->off[next];
			pe = ts->off[next + 1];
			straddles = ps < start;
			if ((size_t)ret != pe - ps ||
			    memcmp(pkt, ts->data + ps, pe - ps))
				bad++;
			else if (straddles ? pkt != s.buf :
				 (pkt != piece + (ps - start)))
				bad++;
			next++;
		}
		if (ret < 0 || in_len != 0 || in != piece + (piece_end - start))
			bad++;
		/* Partial exactly when the next packet began before the cut. */
		if (sstp_stream_partial(&s) !=
		    (next < ts->npkts && ts->off[next] < piece_end))
			bad++;
		free(piece);
		start = piece_end;
	}
	CHECK_MSG(!bad && next == ts->npkts && s.have == 0,
		  "%s: %u bad, %zu of %zu packets", what, bad, next,
		  ts->npkts);
}

static void test_stream_all_at_once(void)
{
	struct test_stream ts;
	size_t cut;

	ts_build(&ts);
	cut = ts.len;
	ts_feed(&ts, &cut, 1, "all at once");
	free(ts.data);
}

static void test_stream_every_split(void)
{
	struct test_stream ts;
	size_t cuts[2], k;
	char what[64];

	ts_build(&ts);
	cuts[1] = ts.len;
	for (k = 0; k <= ts.len; k++) {
		cuts[0] = k;
		snprintf(what, sizeof(what), "split at %zu", k);
		ts_feed(&ts, cuts, 2, what);
	}
	free(ts.data);
}

static void test_stream_byte_by_byte(void)
{
	struct test_stream ts;
	size_t *cuts, i;

	ts_build(&ts);
	cuts = malloc(ts.len * sizeof(*cuts));
	if (!cuts)
		abort();
	for (i = 0; i < ts.len; i++)
		cuts[i] = i + 1;
	ts_feed(&ts, cuts, ts.len, "byte by byte");
	free(cuts);
	free(ts.data);
}

static void test_stream_random_pieces(void)
{
	struct test_stream ts;
	size_t cuts[256], n, pos;
	char what[64];
	int round;

	ts_build(&ts);
	for (round = 0; round < 200; round++) {
		rng_seed(1000 + (uint32_t)round);
		n = 0;
		pos = 0;
		while (pos < ts.len && n < ARRAY_SIZE(cuts) - 1) {
			/* Mostly small pieces, sometimes big ones. */
			pos += rng_below(8) ? 1 + rng_below(16) :
					      1 + rng_below(6000);
			cuts[n++] = pos < ts.len ? pos : ts.len;
		}
		if (cuts[n - 1] != ts.len)
			cuts[n++] = ts.len;
		snprintf(what, sizeof(what), "random round %d", round);
		ts_feed(&ts, cuts, n, what);
	}
	free(ts.data);
}

static void test_stream_empty_input(void)
{
	static struct sstp_stream s;
	static const uint8_t echo[] = { 0x10, 0x01, 0x00, 0x08,
					0x00, 0x08, 0x00, 0x00 };
	const uint8_t *in = NULL, *pkt = echo;
	size_t in_len = 0;

	sstp_stream_init(&s);
	CHECK_INT(sstp_stream_next(&s, &in, &in_len, &pkt), 0);
	CHECK(pkt == NULL);
	in = echo;
	CHECK_INT(sstp_stream_next(&s, &in, &in_len, &pkt), 0);
	in_len = 3;
	CHECK_INT(sstp_stream_next(&s, &in, &in_len, &pkt), 0);
	CHECK_INT(s.have, 3);
	CHECK_INT(sstp_stream_next(&s, &in, &in_len, &pkt), 0);
	in_len = 5;
	CHECK_INT(sstp_stream_next(&s, &in, &in_len, &pkt), 8);
	CHECK(pkt == s.buf);
	CHECK_MEM(pkt, echo, 8);
	CHECK_INT(in_len, 0);
	CHECK(in == echo + 8);
	CHECK_INT(sstp_stream_next(NULL, &in, &in_len, &pkt), -EINVAL);
	CHECK_INT(sstp_stream_next(&s, NULL, &in_len, &pkt), -EINVAL);
	in = NULL;
	in_len = 1;
	CHECK_INT(sstp_stream_next(&s, &in, &in_len, &pkt), -EINVAL);
	/* -EINVAL is the caller's fault: the stream is still alive. */
	CHECK_INT(s.err, 0);
}

/*
 * Valid packets, then a bad header, then valid packets: the ones before
 * come out, then the error, then the same error forever, whatever the
 * pieces; sstp_stream_init() revives the stream.
 */
static void check_stream_error(const char *bad_hex, int err)
{
	static struct sstp_stream s;
	struct test_stream ts;
	const uint8_t *in, *pkt;
	size_t good, k, in_len, got, start;
	uint8_t *copy;
	unsigned int bad = 0;
	int ret;

	memset(&ts, 0, sizeof(ts));
	rng_seed(9);
	ts_add_data(&ts, 100);
	ts_add_hex(&ts, "10 01 00 08 00 08 00 00");
	ts_add_data(&ts, 0);
	good = ts.npkts;
	ts_add_hex(&ts, bad_hex);
	ts_add_data(&ts, 10);

	/* Every split point, including inside the bad header. */
	for (k = 0; k <= ts.len; k++) {
		sstp_stream_init(&s);
		got = 0;
		ret = 0;
		for (start = 0; start < ts.len && ret >= 0;) {
			size_t end = start < k ? k : ts.len;

			copy = unit_dup_exact(ts.data + start, end - start);
			in = copy;
			in_len = end - start;
			while ((ret = sstp_stream_next(&s, &in, &in_len,
						       &pkt)) > 0) {
				if (got >= good ||
				    memcmp(pkt, ts.data + ts.off[got],
					   (size_t)ret))
					bad++;
				got++;
			}
			/* Error only once the whole bad header is in. */
			if (ret < 0 && end < ts.off[good] + SSTP_HDR_LEN)
				bad++;
			free(copy);
			start = end;
		}
		if (ret != err || got != good)
			bad++;
		/* Sticky, even for fresh valid input. */
		in = ts.data;
		in_len = ts.len;
		if (sstp_stream_next(&s, &in, &in_len, &pkt) != err ||
		    pkt != NULL || in != ts.data)
			bad++;
	}
	CHECK_MSG(!bad, "stream error %s: %u bad", bad_hex, bad);

	sstp_stream_init(&s);
	in = ts.data;
	in_len = ts.len;
	CHECK_INT(sstp_stream_next(&s, &in, &in_len, &pkt), 100 + 4);
	free(ts.data);
}

static void test_stream_errors(void)
{
	check_stream_error("11 00 00 04", -EPROTONOSUPPORT);
	check_stream_error("00 01 00 08 00 08 00 00", -EPROTONOSUPPORT);
	check_stream_error("10 00 00 03", -EBADMSG);
	check_stream_error("10 00 00 00", -EBADMSG);
	check_stream_error("10 01 00 06 00 08", -EBADMSG);
	check_stream_error("10 01 00 04", -EBADMSG);
}

/* --- randomized --------------------------------------------------------- */

/* A random valid message; values point into pool. */
static void random_msg(struct sstp_ctrl *msg, const uint8_t *pool,
		       size_t pool_len)
{
	uint16_t type = (uint16_t)(1 + rng_below(SSTP_MSG_MAX));
	unsigned int i, n = 0;

	sstp_ctrl_init(msg, type);
	msg->encap_proto = (uint16_t)unit_rng();
	msg->binding_req.hash_mask = (uint8_t)unit_rng();
	if (!(msg->binding_req.hash_mask & SSTP_HASH_KNOWN))
		msg->binding_req.hash_mask |= SSTP_HASH_SHA1;
	msg->binding.hash_proto = rng_below(2) ? SSTP_HASH_SHA1 :
						 SSTP_HASH_SHA256;
	rng_fill(msg->binding_req.nonce, SSTP_NONCE_LEN);
	rng_fill(msg->binding.nonce, SSTP_NONCE_LEN);
	rng_fill(msg->binding.cert_hash, SSTP_HASH_FIELD_LEN);
	rng_fill(msg->binding.cmac, SSTP_HASH_FIELD_LEN);
	if (type == SSTP_MSG_CALL_CONNECT_NAK)
		n = 1 + rng_below(SSTP_CTRL_MAX_STATUS);
	else if (type == SSTP_MSG_CALL_ABORT ||
		 type == SSTP_MSG_CALL_DISCONNECT)
		n = rng_below(2);
	for (i = 0; i < n; i++) {
		uint16_t vlen = (uint16_t)rng_below(rng_below(4) ? 8 : 900);
		size_t at = rng_below((uint32_t)(pool_len - vlen));

		sstp_ctrl_add_status(msg, (uint8_t)unit_rng(), unit_rng(),
				     vlen ? pool + at : NULL, vlen);
	}
}

static void test_random_roundtrip(void)
{
	static uint8_t pool[4096];
	struct sstp_ctrl msg;
	int i;

	rng_seed(0x5eed);
	rng_fill(pool, sizeof(pool));
	for (i = 0; i < 3000; i++) {
		random_msg(&msg, pool, sizeof(pool));
		check_roundtrip(&msg, NULL, 0);
	}
}

/*
 * Random corruption of valid packets: the decoder must never read out of
 * bounds (ASan watches) and, whatever it accepts, must describe a message
 * that encodes to the same length and decodes to the same fields.
 */
static void test_random_corruption(void)
{
	static uint8_t pool[4096], pkt[SSTP_MAX_PACKET], re[SSTP_MAX_PACKET];
	struct sstp_ctrl msg, dec, dec2;
	unsigned int accepted = 0, rejected = 0, bad = 0;
	int i, j, len, n, ret;
	uint8_t *copy;

	rng_seed(0xc0ffee);
	rng_fill(pool, sizeof(pool));
	for (i = 0; i < 20000; i++) {
		random_msg(&msg, pool, sizeof(pool));
		len = sstp_ctrl_encode(&msg, pkt, sizeof(pkt));
		if (len <= 0) {
			bad++;
			continue;
		}
		n = 1 + (int)rng_below(3);
		for (j = 0; j < n; j++) {
			int at = (int)rng_below(rng_below(2) ? 16 :
						(uint32_t)len);

			if (at < len)
				pkt[at] ^= (uint8_t)(1 + rng_below(255));
		}
		/* Sometimes cut the packet and fix up its Length. */
		if (!rng_below(8) && len > 8) {
			len = 8 + (int)rng_below((uint32_t)len - 8);
			pkt[2] = (uint8_t)((pkt[2] & 0xf0) | (len >> 8));
			pkt[3] = (uint8_t)len;
		}
		copy = unit_dup_exact(pkt, (size_t)len);
		ret = sstp_ctrl_decode(copy, (size_t)len, &dec);
		if (ret) {
			rejected++;
		} else {
			accepted++;
			n = sstp_ctrl_encode(&dec, re, sizeof(re));
			/* Quirk bytes are counted: the length holds too. */
			if (n != len ||
			    sstp_ctrl_decode(re, (size_t)n, &dec2) ||
			    !ctrl_same(&dec, &dec2))
				bad++;
		}
		free(copy);
	}
	CHECK_MSG(!bad, "%u bad of %u accepted", bad, accepted);
	/* Both outcomes must occur, or the corruption is not biting. */
	CHECK_MSG(accepted > 100 && rejected > 1000, "accepted %u rejected %u",
		  accepted, rejected);
}

static const struct unit_test tests[] = {
	UNIT_TEST(test_hdr_decode),
	UNIT_TEST(test_hdr_encode),
	UNIT_TEST(test_peek_type),
	UNIT_TEST(test_spec_call_connect_request),
	UNIT_TEST(test_spec_echo),
	UNIT_TEST(test_spec_connect_ack),
	UNIT_TEST(test_spec_call_connected),
	UNIT_TEST(test_abort_disconnect_with_status),
	UNIT_TEST(test_nak),
	UNIT_TEST(test_nak_accel_ppp_quirk),
	UNIT_TEST(test_nak_many_status),
	UNIT_TEST(test_roundtrip_every_type),
	UNIT_TEST(test_reject_header),
	UNIT_TEST(test_reject_attr_framing),
	UNIT_TEST(test_reject_attr_semantics),
	UNIT_TEST(test_encode_errors),
	UNIT_TEST(test_names),
	UNIT_TEST(test_stream_all_at_once),
	UNIT_TEST(test_stream_every_split),
	UNIT_TEST(test_stream_byte_by_byte),
	UNIT_TEST(test_stream_random_pieces),
	UNIT_TEST(test_stream_empty_input),
	UNIT_TEST(test_stream_errors),
	UNIT_TEST(test_random_roundtrip),
	UNIT_TEST(test_random_corruption),
};

int main(void)
{
	return unit_run(tests, ARRAY_SIZE(tests));
}
