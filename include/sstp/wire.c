// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * wire.c - SSTP packet codec shared by sstp.ko and userspace.
 *
 * See wire.h for the API and the error codes. Everything here is plain C
 * on byte arrays: no allocation, no unaligned loads, no host byte order.
 */
#include "wire.h"

static inline uint16_t sstp_get_be16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

static inline uint32_t sstp_get_be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	       ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

static inline void sstp_put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void sstp_put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static inline size_t sstp_min(size_t a, size_t b)
{
	return a < b ? a : b;
}

/* Length of an attribute or packet from its 16-bit R + Length field. */
static inline uint16_t sstp_get_len(const uint8_t *p)
{
	return sstp_get_be16(p) & SSTP_LEN_MASK;
}

int sstp_hdr_decode(const uint8_t *buf, size_t avail, struct sstp_hdr *h)
{
	uint16_t len;
	bool control;

	if (!buf || !h)
		return -EINVAL;
	if (avail < SSTP_HDR_LEN)
		return -EMSGSIZE;
	if (buf[0] != SSTP_VERSION)
		return -EPROTONOSUPPORT;

	control = buf[1] & SSTP_FLAG_CONTROL;
	len = sstp_get_len(buf + 2);
	if (len < SSTP_HDR_LEN || (control && len < SSTP_CTRL_HDR_LEN))
		return -EBADMSG;

	h->control = control;
	h->len = len;
	return 0;
}

int sstp_hdr_encode(uint8_t *buf, bool control, uint16_t len)
{
	if (!buf || len > SSTP_MAX_PACKET ||
	    len < (control ? SSTP_CTRL_HDR_LEN : SSTP_HDR_LEN))
		return -EINVAL;

	buf[0] = SSTP_VERSION;
	buf[1] = control ? SSTP_FLAG_CONTROL : 0;
	sstp_put_be16(buf + 2, len);
	return 0;
}

/*
 * Which attributes each message type allows and requires, and how many
 * Status Info attributes it may carry ([MS-SSTP] 2.2.9 - 2.2.17). Every
 * attribute other than Status Info may appear at most once.
 */
struct sstp_msg_rule {
	uint8_t allowed;
	uint8_t required;
	uint16_t max_status;
};

#define SSTP_BIT_ENCAP		SSTP_ATTR_BIT(SSTP_ATTR_ENCAPSULATED_PROTOCOL_ID)
#define SSTP_BIT_STATUS		SSTP_ATTR_BIT(SSTP_ATTR_STATUS_INFO)
#define SSTP_BIT_BIND		SSTP_ATTR_BIT(SSTP_ATTR_CRYPTO_BINDING)
#define SSTP_BIT_BIND_REQ	SSTP_ATTR_BIT(SSTP_ATTR_CRYPTO_BINDING_REQ)

/*
 * A NAK has "one or more" Status Info: no limit but the packet size, which
 * holds at most (4095 - 8) / 12 = 340 of them.
 */
#define SSTP_NO_LIMIT	0xffff

static const struct sstp_msg_rule sstp_msg_rules[SSTP_MSG_MAX + 1] = {
	[SSTP_MSG_CALL_CONNECT_REQUEST] = {
		.allowed = SSTP_BIT_ENCAP, .required = SSTP_BIT_ENCAP,
	},
	[SSTP_MSG_CALL_CONNECT_ACK] = {
		.allowed = SSTP_BIT_BIND_REQ, .required = SSTP_BIT_BIND_REQ,
	},
	[SSTP_MSG_CALL_CONNECT_NAK] = {
		.allowed = SSTP_BIT_STATUS, .required = SSTP_BIT_STATUS,
		.max_status = SSTP_NO_LIMIT,
	},
	[SSTP_MSG_CALL_CONNECTED] = {
		.allowed = SSTP_BIT_BIND, .required = SSTP_BIT_BIND,
	},
	[SSTP_MSG_CALL_ABORT] = {
		.allowed = SSTP_BIT_STATUS, .max_status = 1,
	},
	[SSTP_MSG_CALL_DISCONNECT] = {
		.allowed = SSTP_BIT_STATUS, .max_status = 1,
	},
	[SSTP_MSG_CALL_DISCONNECT_ACK] = { 0 },
	[SSTP_MSG_ECHO_REQUEST] = { 0 },
	[SSTP_MSG_ECHO_RESPONSE] = { 0 },
};

static const struct sstp_msg_rule *sstp_msg_rule(uint16_t type)
{
	if (type == 0 || type > SSTP_MSG_MAX)
		return NULL;
	return &sstp_msg_rules[type];
}

/* Header checks common to every whole control packet. */
static int sstp_ctrl_check_hdr(const uint8_t *pkt, size_t len)
{
	struct sstp_hdr h;
	int ret;

	ret = sstp_hdr_decode(pkt, len, &h);
	if (ret)
		return ret;
	if (!h.control)
		return -ENOMSG;
	if (h.len != len)
		return -EMSGSIZE;
	return 0;
}

int sstp_ctrl_peek_type(const uint8_t *pkt, size_t len)
{
	int ret;

	ret = sstp_ctrl_check_hdr(pkt, len);
	if (ret)
		return ret;
	return sstp_get_be16(pkt + 4);
}

static bool sstp_ctrl_is_empty_msg(const uint8_t *pkt, size_t len,
				   uint16_t type)
{
	return len == SSTP_CTRL_HDR_LEN && !sstp_ctrl_check_hdr(pkt, len) &&
	       sstp_get_be16(pkt + 4) == type && sstp_get_be16(pkt + 6) == 0;
}

bool sstp_ctrl_is_echo_request(const uint8_t *pkt, size_t len)
{
	return sstp_ctrl_is_empty_msg(pkt, len, SSTP_MSG_ECHO_REQUEST);
}

bool sstp_ctrl_is_echo_response(const uint8_t *pkt, size_t len)
{
	return sstp_ctrl_is_empty_msg(pkt, len, SSTP_MSG_ECHO_RESPONSE);
}

static int sstp_ctrl_fail(struct sstp_ctrl *out, int err, uint32_t status,
			  uint8_t attr_id)
{
	out->err_status = status;
	out->err_attr = attr_id;
	return err;
}

/*
 * Decode one attribute whose framing was already checked. @extra is the
 * number of value bytes beyond its Length field (the accel-ppp NAK quirk).
 * @nstatus_seen counts Status Info attributes, kept or not.
 */
static int sstp_attr_decode(struct sstp_ctrl *out,
			    const struct sstp_msg_rule *rule,
			    const uint8_t *a, uint16_t alen, size_t extra,
			    unsigned int *nstatus_seen)
{
	uint8_t id = a[1];
	uint8_t bit;
	struct sstp_status_info *si;

	if (id == SSTP_ATTR_NO_ERROR || id > SSTP_ATTR_MAX)
		return sstp_ctrl_fail(out, -ENOPROTOOPT,
				      SSTP_STATUS_UNRECOGNIZED_ATTRIBUTE, id);

	bit = (uint8_t)SSTP_ATTR_BIT(id);
	if (!(rule->allowed & bit))
		return sstp_ctrl_fail(out, -EPERM,
				      id == SSTP_ATTR_STATUS_INFO ?
				      SSTP_STATUS_STATUS_INFO_NOT_SUPPORTED_IN_MSG :
				      SSTP_STATUS_ATTRIB_NOT_SUPPORTED_IN_MSG,
				      id);
	if ((out->attrs & bit) &&
	    (id != SSTP_ATTR_STATUS_INFO || *nstatus_seen >= rule->max_status))
		return sstp_ctrl_fail(out, -EEXIST,
				      SSTP_STATUS_DUPLICATE_ATTRIBUTE, id);

	switch (id) {
	case SSTP_ATTR_ENCAPSULATED_PROTOCOL_ID:
		if (alen != SSTP_ATTR_ENCAP_LEN)
			goto bad_length;
		out->encap_proto = sstp_get_be16(a + 4);
		break;

	case SSTP_ATTR_STATUS_INFO:
		/* 3 reserved bytes, AttribID, Status, then the value. */
		if (alen < SSTP_ATTR_STATUS_MIN_LEN)
			goto bad_length;
		(*nstatus_seen)++;
		if (out->nstatus >= SSTP_CTRL_MAX_STATUS)
			break;
		si = &out->status[out->nstatus++];
		si->attr_id = a[7];
		si->status = sstp_get_be32(a + 8);
		si->value = a + SSTP_ATTR_STATUS_MIN_LEN;
		si->value_len = (uint16_t)(alen - SSTP_ATTR_STATUS_MIN_LEN +
					   extra);
		break;

	case SSTP_ATTR_CRYPTO_BINDING_REQ:
		/* 3 reserved bytes, hash bitmask, nonce. */
		if (alen != SSTP_ATTR_BINDING_REQ_LEN)
			goto bad_length;
		/* Unknown bits may be future hashes: keep them, need one known. */
		if (!(a[7] & SSTP_HASH_KNOWN))
			goto bad_value;
		out->binding_req.hash_mask = a[7];
		memcpy(out->binding_req.nonce, a + 8, SSTP_NONCE_LEN);
		break;

	case SSTP_ATTR_CRYPTO_BINDING:
		/* 3 reserved bytes, hash protocol, nonce, cert hash, CMAC. */
		if (alen != SSTP_ATTR_BINDING_LEN)
			goto bad_length;
		/* The client states the one hash it used: exactly one bit. */
		if (a[7] != SSTP_HASH_SHA1 && a[7] != SSTP_HASH_SHA256)
			goto bad_value;
		out->binding.hash_proto = a[7];
		memcpy(out->binding.nonce, a + 8, SSTP_NONCE_LEN);
		memcpy(out->binding.cert_hash, a + 8 + SSTP_NONCE_LEN,
		       SSTP_HASH_FIELD_LEN);
		memcpy(out->binding.cmac,
		       a + 8 + SSTP_NONCE_LEN + SSTP_HASH_FIELD_LEN,
		       SSTP_HASH_FIELD_LEN);
		break;
	}

	out->attrs |= bit;
	return 0;

bad_length:
	return sstp_ctrl_fail(out, -ERANGE,
			      SSTP_STATUS_INVALID_ATTRIB_VALUE_LENGTH, id);
bad_value:
	return sstp_ctrl_fail(out, -EDOM, SSTP_STATUS_VALUE_NOT_SUPPORTED, id);
}

int sstp_ctrl_decode(const uint8_t *pkt, size_t len, struct sstp_ctrl *out)
{
	const struct sstp_msg_rule *rule;
	unsigned int i, nattrs, nstatus_seen = 0;
	size_t off, last_off = 0, trail, extra;
	uint16_t alen, last_len = 0;
	uint8_t missing;
	int ret;

	if (!out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	ret = sstp_ctrl_check_hdr(pkt, len);
	if (ret)
		return ret;

	out->type = sstp_get_be16(pkt + 4);
	out->nattrs = sstp_get_be16(pkt + 6);
	nattrs = out->nattrs;
	rule = sstp_msg_rule(out->type);
	if (!rule)
		return sstp_ctrl_fail(out, -EOPNOTSUPP,
				      SSTP_STATUS_UNACCEPTED_FRAME_RECEIVED, 0);

	/*
	 * First pass: framing only, so that a garbled attribute list is
	 * reported as such rather than as whatever its first bytes look like.
	 */
	off = SSTP_CTRL_HDR_LEN;
	for (i = 0; i < nattrs; i++) {
		if (len - off < SSTP_ATTR_HDR_LEN)
			goto bad_frame;
		alen = sstp_get_len(pkt + off + 2);
		if (alen < SSTP_ATTR_HDR_LEN || alen > len - off)
			goto bad_frame;
		last_off = off;
		last_len = alen;
		off += alen;
	}

	/*
	 * accel-ppp's NAK: a Status Info of Length 12 followed by 2 value
	 * bytes it did not count. Accept it, narrowly: only in a NAK, only
	 * after an empty-valued last Status Info, and only when the leftover
	 * is too short to be an attribute (so Num Attributes cannot have
	 * been what was wrong). The bytes become that attribute's value.
	 */
	trail = len - off;
	if (trail) {
		if (out->type != SSTP_MSG_CALL_CONNECT_NAK || !nattrs ||
		    pkt[last_off + 1] != SSTP_ATTR_STATUS_INFO ||
		    last_len != SSTP_ATTR_STATUS_MIN_LEN ||
		    trail >= SSTP_ATTR_HDR_LEN)
			goto bad_frame;
		out->flags |= SSTP_CTRL_F_NAK_QUIRK;
	}

	off = SSTP_CTRL_HDR_LEN;
	for (i = 0; i < nattrs; i++) {
		alen = sstp_get_len(pkt + off + 2);
		extra = i + 1 == nattrs ? trail : 0;
		ret = sstp_attr_decode(out, rule, pkt + off, alen, extra,
				       &nstatus_seen);
		if (ret)
			return ret;
		off += alen;
	}

	missing = rule->required & (uint8_t)~out->attrs;
	if (missing) {
		for (i = 0; !(missing & SSTP_ATTR_BIT(i)); i++)
			;
		return sstp_ctrl_fail(out, -ENOENT,
				      SSTP_STATUS_REQUIRED_ATTRIBUTE_MISSING,
				      (uint8_t)i);
	}
	return 0;

bad_frame:
	return sstp_ctrl_fail(out, -EPROTO,
			      SSTP_STATUS_INVALID_FRAME_RECEIVED, 0);
}

void sstp_ctrl_init(struct sstp_ctrl *msg, uint16_t type)
{
	memset(msg, 0, sizeof(*msg));
	msg->type = type;
	if (type == SSTP_MSG_CALL_CONNECT_REQUEST)
		msg->encap_proto = SSTP_ENCAP_PPP;
}

int sstp_ctrl_add_status(struct sstp_ctrl *msg, uint8_t attr_id,
			 uint32_t status, const uint8_t *value,
			 uint16_t value_len)
{
	struct sstp_status_info *si;

	if (!msg || (!value && value_len))
		return -EINVAL;
	if (msg->nstatus >= SSTP_CTRL_MAX_STATUS)
		return -ENOSPC;

	si = &msg->status[msg->nstatus++];
	si->attr_id = attr_id;
	si->status = status;
	si->value = value;
	si->value_len = value_len;
	return 0;
}

int sstp_ctrl_encoded_len(const struct sstp_ctrl *msg)
{
	const struct sstp_msg_rule *rule;
	const struct sstp_status_info *si;
	size_t len = SSTP_CTRL_HDR_LEN;
	unsigned int i;

	if (!msg)
		return -EINVAL;
	rule = sstp_msg_rule(msg->type);
	if (!rule)
		return -EINVAL;

	/* Refuse anything sstp_ctrl_decode() would reject. */
	if (msg->nstatus > SSTP_CTRL_MAX_STATUS ||
	    msg->nstatus > rule->max_status ||
	    ((rule->required & SSTP_BIT_STATUS) && !msg->nstatus))
		return -EINVAL;
	if (rule->allowed & SSTP_BIT_ENCAP)
		len += SSTP_ATTR_ENCAP_LEN;
	if (rule->allowed & SSTP_BIT_BIND_REQ) {
		if (!(msg->binding_req.hash_mask & SSTP_HASH_KNOWN))
			return -EINVAL;
		len += SSTP_ATTR_BINDING_REQ_LEN;
	}
	if (rule->allowed & SSTP_BIT_BIND) {
		if (msg->binding.hash_proto != SSTP_HASH_SHA1 &&
		    msg->binding.hash_proto != SSTP_HASH_SHA256)
			return -EINVAL;
		len += SSTP_ATTR_BINDING_LEN;
	}
	for (i = 0; i < msg->nstatus; i++) {
		si = &msg->status[i];
		if (!si->value && si->value_len)
			return -EINVAL;
		if (si->value_len > SSTP_MAX_PACKET - SSTP_ATTR_STATUS_MIN_LEN)
			return -EMSGSIZE;
		len += SSTP_ATTR_STATUS_MIN_LEN + si->value_len;
	}
	if (len > SSTP_MAX_PACKET)
		return -EMSGSIZE;
	return (int)len;
}

static uint8_t *sstp_put_attr_hdr(uint8_t *p, uint8_t id, uint16_t alen)
{
	p[0] = 0;
	p[1] = id;
	sstp_put_be16(p + 2, alen);
	return p + SSTP_ATTR_HDR_LEN;
}

int sstp_ctrl_encode(const struct sstp_ctrl *msg, uint8_t *buf, size_t size)
{
	const struct sstp_msg_rule *rule;
	const struct sstp_status_info *si;
	unsigned int i, nattrs = 0;
	uint8_t *p;
	int len;

	len = sstp_ctrl_encoded_len(msg);
	if (len < 0)
		return len;
	if (size < (size_t)len)
		return -ENOSPC;
	if (!buf)
		return -EINVAL;

	rule = sstp_msg_rule(msg->type);
	p = buf + SSTP_CTRL_HDR_LEN;

	if (rule->allowed & SSTP_BIT_ENCAP) {
		p = sstp_put_attr_hdr(p, SSTP_ATTR_ENCAPSULATED_PROTOCOL_ID,
				      SSTP_ATTR_ENCAP_LEN);
		sstp_put_be16(p, msg->encap_proto);
		p += 2;
		nattrs++;
	}
	if (rule->allowed & SSTP_BIT_BIND_REQ) {
		p = sstp_put_attr_hdr(p, SSTP_ATTR_CRYPTO_BINDING_REQ,
				      SSTP_ATTR_BINDING_REQ_LEN);
		memset(p, 0, 3);
		p[3] = msg->binding_req.hash_mask;
		memcpy(p + 4, msg->binding_req.nonce, SSTP_NONCE_LEN);
		p += 4 + SSTP_NONCE_LEN;
		nattrs++;
	}
	if (rule->allowed & SSTP_BIT_BIND) {
		p = sstp_put_attr_hdr(p, SSTP_ATTR_CRYPTO_BINDING,
				      SSTP_ATTR_BINDING_LEN);
		memset(p, 0, 3);
		p[3] = msg->binding.hash_proto;
		p += 4;
		memcpy(p, msg->binding.nonce, SSTP_NONCE_LEN);
		p += SSTP_NONCE_LEN;
		memcpy(p, msg->binding.cert_hash, SSTP_HASH_FIELD_LEN);
		p += SSTP_HASH_FIELD_LEN;
		memcpy(p, msg->binding.cmac, SSTP_HASH_FIELD_LEN);
		p += SSTP_HASH_FIELD_LEN;
		nattrs++;
	}
	for (i = 0; i < msg->nstatus; i++) {
		si = &msg->status[i];
		p = sstp_put_attr_hdr(p, SSTP_ATTR_STATUS_INFO,
				      (uint16_t)(SSTP_ATTR_STATUS_MIN_LEN +
						 si->value_len));
		memset(p, 0, 3);
		p[3] = si->attr_id;
		sstp_put_be32(p + 4, si->status);
		p += 8;
		if (si->value_len)
			memcpy(p, si->value, si->value_len);
		p += si->value_len;
		nattrs++;
	}

	sstp_hdr_encode(buf, true, (uint16_t)len);
	sstp_put_be16(buf + 4, msg->type);
	sstp_put_be16(buf + 6, (uint16_t)nattrs);
	return len;
}

int sstp_ctrl_encode_empty(uint16_t type, uint8_t *buf, size_t size)
{
	const struct sstp_msg_rule *rule = sstp_msg_rule(type);

	if (!rule || rule->required || !buf)
		return -EINVAL;
	if (size < SSTP_CTRL_HDR_LEN)
		return -ENOSPC;

	sstp_hdr_encode(buf, true, SSTP_CTRL_HDR_LEN);
	sstp_put_be16(buf + 4, type);
	sstp_put_be16(buf + 6, 0);
	return SSTP_CTRL_HDR_LEN;
}

static const char * const sstp_msg_names[SSTP_MSG_MAX + 1] = {
	[SSTP_MSG_CALL_CONNECT_REQUEST]	= "CALL_CONNECT_REQUEST",
	[SSTP_MSG_CALL_CONNECT_ACK]	= "CALL_CONNECT_ACK",
	[SSTP_MSG_CALL_CONNECT_NAK]	= "CALL_CONNECT_NAK",
	[SSTP_MSG_CALL_CONNECTED]	= "CALL_CONNECTED",
	[SSTP_MSG_CALL_ABORT]		= "CALL_ABORT",
	[SSTP_MSG_CALL_DISCONNECT]	= "CALL_DISCONNECT",
	[SSTP_MSG_CALL_DISCONNECT_ACK]	= "CALL_DISCONNECT_ACK",
	[SSTP_MSG_ECHO_REQUEST]		= "ECHO_REQUEST",
	[SSTP_MSG_ECHO_RESPONSE]	= "ECHO_RESPONSE",
};

const char *sstp_msg_type_name(uint16_t type)
{
	if (type > SSTP_MSG_MAX || !sstp_msg_names[type])
		return "UNKNOWN";
	return sstp_msg_names[type];
}

static const char * const sstp_status_names[SSTP_STATUS_MAX + 1] = {
	[SSTP_STATUS_NO_ERROR]			= "NO_ERROR",
	[SSTP_STATUS_DUPLICATE_ATTRIBUTE]	= "DUPLICATE_ATTRIBUTE",
	[SSTP_STATUS_UNRECOGNIZED_ATTRIBUTE]	= "UNRECOGNIZED_ATTRIBUTE",
	[SSTP_STATUS_INVALID_ATTRIB_VALUE_LENGTH] = "INVALID_ATTRIB_VALUE_LENGTH",
	[SSTP_STATUS_VALUE_NOT_SUPPORTED]	= "VALUE_NOT_SUPPORTED",
	[SSTP_STATUS_UNACCEPTED_FRAME_RECEIVED]	= "UNACCEPTED_FRAME_RECEIVED",
	[SSTP_STATUS_RETRY_COUNT_EXCEEDED]	= "RETRY_COUNT_EXCEEDED",
	[SSTP_STATUS_INVALID_FRAME_RECEIVED]	= "INVALID_FRAME_RECEIVED",
	[SSTP_STATUS_NEGOTIATION_TIMEOUT]	= "NEGOTIATION_TIMEOUT",
	[SSTP_STATUS_ATTRIB_NOT_SUPPORTED_IN_MSG] = "ATTRIB_NOT_SUPPORTED_IN_MSG",
	[SSTP_STATUS_REQUIRED_ATTRIBUTE_MISSING] = "REQUIRED_ATTRIBUTE_MISSING",
	[SSTP_STATUS_STATUS_INFO_NOT_SUPPORTED_IN_MSG] =
		"STATUS_INFO_NOT_SUPPORTED_IN_MSG",
};

const char *sstp_status_name(uint32_t status)
{
	if (status > SSTP_STATUS_MAX)
		return "UNKNOWN";
	return sstp_status_names[status];
}

void sstp_stream_init(struct sstp_stream *s)
{
	s->err = 0;
	s->have = 0;
	s->need = 0;
}

static int sstp_stream_fail(struct sstp_stream *s, int err)
{
	s->err = err;
	return err;
}

/* Move up to @want bytes of input into the reassembly buffer. */
static void sstp_stream_gather(struct sstp_stream *s, const uint8_t **p,
			       size_t *n, size_t want)
{
	size_t take = sstp_min(want, *n);

	if (!take)
		return;
	memcpy(s->buf + s->have, *p, take);
	s->have = (uint16_t)(s->have + take);
	*p += take;
	*n -= take;
}

int sstp_stream_next(struct sstp_stream *s, const uint8_t **in,
		     size_t *in_len, const uint8_t **pkt)
{
	const uint8_t *p;
	struct sstp_hdr h;
	size_t n;
	int ret;

	if (!s || !in || !in_len || !pkt || (!*in && *in_len))
		return -EINVAL;
	*pkt = NULL;
	if (s->err)
		return s->err;
	p = *in;
	n = *in_len;

	/* Common case: nothing buffered and the whole packet is in the input. */
	if (!s->have && n >= SSTP_HDR_LEN) {
		ret = sstp_hdr_decode(p, n, &h);
		if (ret)
			return sstp_stream_fail(s, ret);
		if (h.len <= n) {
			*pkt = p;
			*in = p + h.len;
			*in_len = n - h.len;
			return h.len;
		}
	}

	/* Otherwise gather the header, then the rest of the packet, in buf. */
	if (s->have < SSTP_HDR_LEN) {
		sstp_stream_gather(s, &p, &n, SSTP_HDR_LEN - s->have);
		if (s->have < SSTP_HDR_LEN)
			goto consumed;
		ret = sstp_hdr_decode(s->buf, s->have, &h);
		if (ret)
			return sstp_stream_fail(s, ret);
		s->need = h.len;
	}
	sstp_stream_gather(s, &p, &n, s->need - s->have);
	if (s->have < s->need)
		goto consumed;

	*pkt = s->buf;
	ret = s->need;
	s->have = 0;
	s->need = 0;
	*in = p;
	*in_len = n;
	return ret;

consumed:
	*in = p;
	*in_len = n;
	return 0;
}

bool sstp_stream_partial(const struct sstp_stream *s)
{
	return s->have != 0;
}
