/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * wire.h - SSTP packet codec shared by sstp.ko and userspace.
 *
 * Layouts follow [MS-SSTP] section 2.2; every multi-byte field is big
 * endian. The codec never allocates and never copies a packet it can point
 * into; all state lives in caller-provided structures.
 *
 * Errors are negative errno values. One code per class of failure, so that
 * callers can log it and pick the Status Info to answer with:
 *
 *   -EINVAL           caller error (NULL pointer, inconsistent message to
 *                     encode, bad length given to sstp_hdr_encode())
 *   -EMSGSIZE         buffer length disagrees with the header Length field,
 *                     fewer than 4 bytes given to sstp_hdr_decode(), or a
 *                     message to encode exceeds SSTP_MAX_PACKET
 *   -EPROTONOSUPPORT  Version field is not 0x10
 *   -EBADMSG          header Length < 4, or control packet with Length < 8
 *   -ENOMSG           sstp_ctrl_decode() given a data packet
 *   -EOPNOTSUPP       unknown control message type (callers may ignore the
 *                     packet, as real implementations do)
 *   -EPROTO           attribute list malformed: attribute Length < 4 or
 *                     running past the packet, Num Attributes different from
 *                     the attributes present, bytes left over
 *   -ENOPROTOOPT      unknown attribute id
 *   -EPERM            attribute not allowed in this message type
 *   -EEXIST           attribute present more often than allowed
 *   -ERANGE           attribute length wrong for its id
 *   -EDOM             attribute value not supported (hash protocol bits)
 *   -ENOENT           required attribute missing
 *   -ENOSPC           sstp_ctrl_encode() output buffer too small
 *
 * For the decode failures from -EOPNOTSUPP down, sstp_ctrl_decode() also
 * fills in the SSTP status and attribute id that a Status Info attribute
 * reporting the problem should carry (struct sstp_ctrl err_status and
 * err_attr).
 */
#ifndef _SSTP_WIRE_H
#define _SSTP_WIRE_H

#include "compat.h"

#define SSTP_VERSION		0x10	/* major 1, minor 0 */
#define SSTP_HDR_LEN		4	/* common header of every packet */
#define SSTP_CTRL_HDR_LEN	8	/* common header + type + num attrs */
#define SSTP_ATTR_HDR_LEN	4
#define SSTP_MAX_PACKET		4095	/* Length is a 12-bit field */
#define SSTP_MAX_DATA_PAYLOAD	(SSTP_MAX_PACKET - SSTP_HDR_LEN)
#define SSTP_LEN_MASK		0x0fff	/* the 4 high bits are reserved */
#define SSTP_FLAG_CONTROL	0x01	/* C bit, low bit of header byte 1 */

#define SSTP_NONCE_LEN		32
#define SSTP_HASH_FIELD_LEN	32	/* cert hash and CMAC fields */
#define SSTP_SHA1_LEN		20	/* zero-padded to 32 on the wire */
#define SSTP_SHA256_LEN		32

/* Encapsulated Protocol ID values. */
#define SSTP_ENCAP_PPP		1

/* Hash protocol bits (Crypto Binding Request bitmask, Crypto Binding). */
#define SSTP_HASH_SHA1		0x01
#define SSTP_HASH_SHA256	0x02
#define SSTP_HASH_KNOWN		(SSTP_HASH_SHA1 | SSTP_HASH_SHA256)

/* Attribute lengths, 4-byte attribute header included. */
#define SSTP_ATTR_ENCAP_LEN		6
#define SSTP_ATTR_STATUS_MIN_LEN	12	/* plus the echoed value */
#define SSTP_ATTR_BINDING_REQ_LEN	40
#define SSTP_ATTR_BINDING_LEN		104

/* Total lengths of the fixed-size messages. */
#define SSTP_CALL_CONNECT_REQUEST_LEN	14
#define SSTP_CALL_CONNECT_ACK_LEN	48
#define SSTP_CALL_CONNECTED_LEN		112

/*
 * Offsets of the crypto binding fields inside a whole CALL_CONNECTED packet.
 * The Compound MAC is an HMAC over the 112 bytes with the CMAC field zeroed.
 */
#define SSTP_CALL_CONNECTED_HASH_PROTO_OFF	15
#define SSTP_CALL_CONNECTED_NONCE_OFF		16
#define SSTP_CALL_CONNECTED_CERT_HASH_OFF	48
#define SSTP_CALL_CONNECTED_CMAC_OFF		80

enum sstp_msg_type {
	SSTP_MSG_CALL_CONNECT_REQUEST	= 0x0001,
	SSTP_MSG_CALL_CONNECT_ACK	= 0x0002,
	SSTP_MSG_CALL_CONNECT_NAK	= 0x0003,
	SSTP_MSG_CALL_CONNECTED		= 0x0004,
	SSTP_MSG_CALL_ABORT		= 0x0005,
	SSTP_MSG_CALL_DISCONNECT	= 0x0006,
	SSTP_MSG_CALL_DISCONNECT_ACK	= 0x0007,
	SSTP_MSG_ECHO_REQUEST		= 0x0008,
	SSTP_MSG_ECHO_RESPONSE		= 0x0009,
};

#define SSTP_MSG_MAX	SSTP_MSG_ECHO_RESPONSE

enum sstp_attr_id {
	/* Only meaningful as the AttribID inside a Status Info. */
	SSTP_ATTR_NO_ERROR			= 0x00,
	SSTP_ATTR_ENCAPSULATED_PROTOCOL_ID	= 0x01,
	SSTP_ATTR_STATUS_INFO			= 0x02,
	SSTP_ATTR_CRYPTO_BINDING		= 0x03,
	SSTP_ATTR_CRYPTO_BINDING_REQ		= 0x04,
};

#define SSTP_ATTR_MAX		SSTP_ATTR_CRYPTO_BINDING_REQ
#define SSTP_ATTR_BIT(id)	(1u << (id))

enum sstp_status {
	SSTP_STATUS_NO_ERROR				= 0x00,
	SSTP_STATUS_DUPLICATE_ATTRIBUTE			= 0x01,
	SSTP_STATUS_UNRECOGNIZED_ATTRIBUTE		= 0x02,
	SSTP_STATUS_INVALID_ATTRIB_VALUE_LENGTH		= 0x03,
	SSTP_STATUS_VALUE_NOT_SUPPORTED			= 0x04,
	SSTP_STATUS_UNACCEPTED_FRAME_RECEIVED		= 0x05,
	SSTP_STATUS_RETRY_COUNT_EXCEEDED		= 0x06,
	SSTP_STATUS_INVALID_FRAME_RECEIVED		= 0x07,
	SSTP_STATUS_NEGOTIATION_TIMEOUT			= 0x08,
	SSTP_STATUS_ATTRIB_NOT_SUPPORTED_IN_MSG		= 0x09,
	SSTP_STATUS_REQUIRED_ATTRIBUTE_MISSING		= 0x0a,
	SSTP_STATUS_STATUS_INFO_NOT_SUPPORTED_IN_MSG	= 0x0b,
};

#define SSTP_STATUS_MAX	SSTP_STATUS_STATUS_INFO_NOT_SUPPORTED_IN_MSG

/**
 * struct sstp_hdr - the decoded 4-byte common header
 * @control: C bit: true for a control packet, false for a data packet
 * @len: total packet length, header included (4..4095)
 */
struct sstp_hdr {
	bool control;
	uint16_t len;
};

/*
 * Status Info attributes kept by sstp_ctrl_decode(). A NAK carries one per
 * attribute it complains about and we send a single-attribute request, so
 * a few are plenty; the limit keeps struct sstp_ctrl under 256 bytes so the
 * kernel may keep one on the stack.
 */
#define SSTP_CTRL_MAX_STATUS	4

/**
 * struct sstp_status_info - one Status Info attribute
 * @value: the echoed attribute value; points into the decoded packet, or
 *	into caller memory for encoding (may be NULL when @value_len is 0)
 * @status: enum sstp_status value (any 32-bit value is accepted on decode)
 * @value_len: length of @value
 * @attr_id: AttribID: the attribute the status is about, 0 for none
 */
struct sstp_status_info {
	const uint8_t *value;
	uint32_t status;
	uint16_t value_len;
	uint8_t attr_id;
};

/**
 * struct sstp_binding_req - Crypto Binding Request attribute
 * @hash_mask: SSTP_HASH_* bits the server accepts (unknown bits are kept)
 * @nonce: the server's nonce
 */
struct sstp_binding_req {
	uint8_t hash_mask;
	uint8_t nonce[SSTP_NONCE_LEN];
};

/**
 * struct sstp_binding - Crypto Binding attribute
 * @hash_proto: the one SSTP_HASH_* bit the client chose
 * @nonce: copy of the server's nonce
 * @cert_hash: hash of the server certificate (SHA-1: 20 bytes + 12 zeros)
 * @cmac: Compound MAC (SHA-1: 20 bytes + 12 zeros)
 */
struct sstp_binding {
	uint8_t hash_proto;
	uint8_t nonce[SSTP_NONCE_LEN];
	uint8_t cert_hash[SSTP_HASH_FIELD_LEN];
	uint8_t cmac[SSTP_HASH_FIELD_LEN];
};

/* sstp_ctrl.flags: the NAK carried the accel-ppp Status Info length bug. */
#define SSTP_CTRL_F_NAK_QUIRK	0x01

/**
 * struct sstp_ctrl - a decoded control message, or one to encode
 * @type: enum sstp_msg_type
 * @nattrs: decode only: Num Attributes of the packet
 * @encap_proto: Encapsulated Protocol ID (CALL_CONNECT_REQUEST). Decode
 *	does not judge the value: a server answers one it does not support
 *	with a NAK (status VALUE_NOT_SUPPORTED), not with an abort.
 * @attrs: decode only: SSTP_ATTR_BIT() of every attribute present
 * @flags: decode only: SSTP_CTRL_F_* notes on leniencies applied
 * @nstatus: number of entries used in @status (CONNECT_NAK: 1 or more,
 *	CALL_ABORT and CALL_DISCONNECT: 0 or 1, others 0). Decode keeps the
 *	first SSTP_CTRL_MAX_STATUS; @nattrs tells if there were more.
 * @err_attr: decode failure only: AttribID for a Status Info reporting it
 * @err_status: decode failure only: enum sstp_status reporting it
 * @status: the Status Info attributes, in packet order
 * @binding_req: the Crypto Binding Request (CALL_CONNECT_ACK)
 * @binding: the Crypto Binding (CALL_CONNECTED)
 *
 * The message type alone decides which attributes sstp_ctrl_encode()
 * writes; it ignores the decode-only fields.
 */
struct sstp_ctrl {
	uint16_t type;
	uint16_t nattrs;
	uint16_t encap_proto;
	uint8_t attrs;
	uint8_t flags;
	uint8_t nstatus;
	uint8_t err_attr;
	uint32_t err_status;
	struct sstp_status_info status[SSTP_CTRL_MAX_STATUS];
	struct sstp_binding_req binding_req;
	struct sstp_binding binding;
};

/**
 * struct sstp_stream - reassembles SSTP packets from a byte stream
 * @err: 0, or the sticky framing error
 * @have: bytes of the current packet held in @buf
 * @need: length of the current packet once its header is known, else 0
 * @buf: the packet being reassembled
 *
 * About 4 KiB: embed it in a heap object, never put it on a stack.
 */
struct sstp_stream {
	int err;
	uint16_t have;
	uint16_t need;
	uint8_t buf[SSTP_MAX_PACKET];
};

/**
 * sstp_hdr_decode() - decode and check the common 4-byte header
 * @buf: start of the packet
 * @avail: bytes readable at @buf (at least 4; may be less than the packet)
 * @h: result
 *
 * The reserved bits (7 in byte 1, 4 above Length) are ignored, as [MS-SSTP]
 * requires.
 *
 * Return: 0, -EINVAL, -EMSGSIZE (@avail < 4), -EPROTONOSUPPORT or -EBADMSG.
 */
int sstp_hdr_decode(const uint8_t *buf, size_t avail, struct sstp_hdr *h);

/**
 * sstp_hdr_encode() - write a common header with the reserved bits zero
 * @buf: 4 bytes of output
 * @control: true for a control packet
 * @len: total packet length, header included
 *
 * Return: 0, or -EINVAL if @len is outside 4..4095 (8..4095 for control).
 */
int sstp_hdr_encode(uint8_t *buf, bool control, uint16_t len);

/**
 * sstp_ctrl_peek_type() - check the header of a control packet, get its type
 * @pkt: the whole packet
 * @len: its length
 *
 * Checks the header, the C bit and that @len matches the header Length; the
 * attributes are not looked at.
 *
 * Return: the message type (any value, known or not), or a header error.
 */
int sstp_ctrl_peek_type(const uint8_t *pkt, size_t len);

/**
 * sstp_ctrl_is_echo_request() - is this a valid Echo Request
 * @pkt: the whole packet
 * @len: its length
 *
 * Cheap test for the kernel fast path: a valid Echo Request is exactly the
 * 8-byte control header with no attributes (reserved bits ignored).
 *
 * Return: true if it is one.
 */
bool sstp_ctrl_is_echo_request(const uint8_t *pkt, size_t len);

/**
 * sstp_ctrl_is_echo_response() - is this a valid Echo Response
 * @pkt: the whole packet
 * @len: its length
 *
 * Return: true if it is one.
 */
bool sstp_ctrl_is_echo_response(const uint8_t *pkt, size_t len);

/**
 * sstp_ctrl_decode() - strictly decode and validate a control packet
 * @pkt: the whole packet; Status Info values in @out point into it
 * @len: its length, which must equal the header Length
 * @out: result; on failure, @out->type holds the message type if the
 *	header was readable and @out->err_status/@out->err_attr describe
 *	the problem
 *
 * Checks the attribute list exactly fills the packet and matches Num
 * Attributes, each attribute's id and length, which attributes the message
 * type requires and allows, and the hash protocol fields.
 *
 * Leniency: accel-ppp sends CALL_CONNECT_NAK with a Status Info whose
 * Length says 12 although 2 value bytes follow it. A NAK whose last
 * attribute is a Status Info of Length 12, followed by 1..3 bytes (too few
 * to be another attribute), is accepted with those bytes as its value and
 * SSTP_CTRL_F_NAK_QUIRK set in @out->flags. Nothing else may trail.
 *
 * Return: 0 or a negative error (see the table at the top of this file).
 */
int sstp_ctrl_decode(const uint8_t *pkt, size_t len, struct sstp_ctrl *out);

/**
 * sstp_ctrl_init() - start a message to encode
 * @msg: the message, cleared
 * @type: enum sstp_msg_type
 *
 * A CALL_CONNECT_REQUEST gets encap_proto SSTP_ENCAP_PPP.
 */
void sstp_ctrl_init(struct sstp_ctrl *msg, uint16_t type);

/**
 * sstp_ctrl_add_status() - append a Status Info attribute
 * @msg: the message
 * @attr_id: the attribute the status is about, SSTP_ATTR_NO_ERROR for none
 * @status: enum sstp_status
 * @value: copy of the offending attribute's value, not copied (kept by
 *	pointer until encoding); may be NULL if @value_len is 0
 * @value_len: its length
 *
 * Return: 0, -ENOSPC when SSTP_CTRL_MAX_STATUS are there, or -EINVAL.
 */
int sstp_ctrl_add_status(struct sstp_ctrl *msg, uint8_t attr_id,
			 uint32_t status, const uint8_t *value,
			 uint16_t value_len);

/**
 * sstp_ctrl_encoded_len() - validate a message and compute its length
 * @msg: the message
 *
 * Return: the length sstp_ctrl_encode() would write, -EINVAL if the message
 * is inconsistent (unknown type, attribute count not allowed for the type,
 * hash fields that decoding would reject), or -EMSGSIZE if it exceeds
 * SSTP_MAX_PACKET.
 */
int sstp_ctrl_encoded_len(const struct sstp_ctrl *msg);

/**
 * sstp_ctrl_encode() - encode a control message
 * @msg: the message
 * @buf: output
 * @size: room at @buf
 *
 * Reserved fields are written as zero. Nothing is written on failure.
 *
 * Return: the packet length, or the errors of sstp_ctrl_encoded_len(), or
 * -ENOSPC if @size is too small.
 */
int sstp_ctrl_encode(const struct sstp_ctrl *msg, uint8_t *buf, size_t size);

/**
 * sstp_ctrl_encode_empty() - encode a control message without attributes
 * @type: CALL_ABORT, CALL_DISCONNECT, CALL_DISCONNECT_ACK, ECHO_REQUEST or
 *	ECHO_RESPONSE
 * @buf: output
 * @size: room at @buf (SSTP_CTRL_HDR_LEN is enough)
 *
 * For the kernel, which should not need a struct sstp_ctrl to answer an
 * echo.
 *
 * Return: SSTP_CTRL_HDR_LEN, -EINVAL for another type, or -ENOSPC.
 */
int sstp_ctrl_encode_empty(uint16_t type, uint8_t *buf, size_t size);

/**
 * sstp_msg_type_name() - name of a message type, for logs
 * @type: enum sstp_msg_type
 *
 * Return: e.g. "CALL_CONNECT_REQUEST", or "UNKNOWN".
 */
const char *sstp_msg_type_name(uint16_t type);

/**
 * sstp_status_name() - name of a Status Info status, for logs
 * @status: enum sstp_status
 *
 * Return: e.g. "VALUE_NOT_SUPPORTED", or "UNKNOWN".
 */
const char *sstp_status_name(uint32_t status);

/**
 * sstp_stream_init() - reset a stream parser
 * @s: the parser
 */
void sstp_stream_init(struct sstp_stream *s);

/**
 * sstp_stream_next() - get the next complete packet out of a byte stream
 * @s: the parser
 * @in: in/out: the unconsumed input; advanced past what was consumed
 * @in_len: in/out: its length
 * @pkt: out: the packet
 *
 * Input may be cut anywhere, inside the header included. When a whole packet
 * lies in the input and nothing is buffered, *@pkt points into the input
 * (no copy); otherwise the packet is assembled in @s->buf. Either way it is
 * valid until the next call on @s or until the input is released.
 *
 * Only the common header is checked; control packets still need
 * sstp_ctrl_decode(). A framing error kills the stream: every later call
 * returns it again until sstp_stream_init().
 *
 * Return: the packet length (> 0), 0 once all input is consumed with no
 * complete packet left, or -EPROTONOSUPPORT/-EBADMSG on a framing error
 * (-EINVAL for NULL arguments).
 */
int sstp_stream_next(struct sstp_stream *s, const uint8_t **in,
		     size_t *in_len, const uint8_t **pkt);

/**
 * sstp_stream_partial() - whether a packet is begun but not complete
 * @s: the parser
 *
 * Return: true when @s holds the first bytes of a packet whose rest has
 * not come yet: the parser's state must be kept for the next input.
 */
bool sstp_stream_partial(const struct sstp_stream *s);

#endif /* _SSTP_WIRE_H */
