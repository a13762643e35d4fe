// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * binding.c - SSTP crypto binding: certificate hashes, HLAK, CMK, Compound
 * MAC, and the CALL_CONNECTED packet built by the client and checked by the
 * server. See binding.h for the API and docs/sstp-protocol.md section 4 for
 * the protocol.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "call/binding.h"
#include "common/err.h"
#include "common/hex.h"

/* The PRF seed of [MS-SSTP] 3.2.5.2.3, without its terminating NUL. */
static const char cmk_seed[] = "SSTP inner method derived CMK";
#define CMK_SEED_LEN	(sizeof(cmk_seed) - 1)

size_t sstp_hash_len(uint8_t hash_proto)
{
	switch (hash_proto) {
	case SSTP_HASH_SHA1:
		return SSTP_SHA1_LEN;
	case SSTP_HASH_SHA256:
		return SSTP_SHA256_LEN;
	}
	return 0;
}

static const char *hash_name(uint8_t hash_proto)
{
	return hash_proto == SSTP_HASH_SHA256 ? "SHA-256" : "SHA-1";
}

uint8_t sstp_hash_choose(uint8_t offered)
{
	if (offered & SSTP_HASH_SHA256)
		return SSTP_HASH_SHA256;
	if (offered & SSTP_HASH_SHA1)
		return SSTP_HASH_SHA1;
	return 0;
}

/* The Cert Hash field of @h for @hash_proto (one bit). */
static const uint8_t *cert_field(const struct sstp_cert_hashes *h,
				 uint8_t hash_proto)
{
	return hash_proto == SSTP_HASH_SHA256 ? h->sha256 : h->sha1;
}

/*
 * HMAC-H(key, msg) into a 32-byte field, zero-padded after a SHA-1 digest.
 * Returns the digest length or -EIO; out is all zero on failure.
 */
static int hmac(uint8_t hash_proto, const uint8_t *key, size_t keylen,
		const uint8_t *msg, size_t msglen,
		uint8_t out[SSTP_HASH_FIELD_LEN])
{
	const char *md = hash_proto == SSTP_HASH_SHA256 ? "SHA256" : "SHA1";
	size_t want = sstp_hash_len(hash_proto), got = 0;

	memset(out, 0, SSTP_HASH_FIELD_LEN);
	if (!want)
		return -EINVAL;
	if (!EVP_Q_mac(NULL, "HMAC", NULL, md, NULL, key, keylen, msg, msglen,
		       out, SSTP_HASH_FIELD_LEN, &got) || got != want) {
		OPENSSL_cleanse(out, SSTP_HASH_FIELD_LEN);
		return -EIO;
	}
	return (int)want;
}

int sstp_cert_hashes_from_x509(struct sstp_cert_hashes *h, X509 *cert)
{
	unsigned int n1 = 0, n256 = 0;

	if (!h)
		return -EINVAL;
	memset(h, 0, sizeof(*h));
	if (!cert)
		return -EINVAL;
	/* X509_digest() hashes the DER encoding of the whole certificate. */
	if (!X509_digest(cert, EVP_sha1(), h->sha1, &n1) ||
	    !X509_digest(cert, EVP_sha256(), h->sha256, &n256) ||
	    n1 != SSTP_SHA1_LEN || n256 != SSTP_SHA256_LEN) {
		memset(h, 0, sizeof(*h));
		return -EIO;
	}
	h->known = SSTP_HASH_KNOWN;
	return 0;
}

void sstp_cert_hashes_anonymous(struct sstp_cert_hashes *h)
{
	memset(h, 0, sizeof(*h));
	h->known = SSTP_HASH_KNOWN;
}

int sstp_cert_hashes_from_der(struct sstp_cert_hashes *h, const uint8_t *der,
			      size_t len)
{
	const unsigned char *p = der;
	unsigned int n1 = 0, n256 = 0;
	X509 *cert;

	if (!h)
		return -EINVAL;
	memset(h, 0, sizeof(*h));
	if (!der || !len || len > LONG_MAX)
		return -EINVAL;
	/*
	 * Parse only to refuse what is not one certificate; the hash is taken
	 * over the bytes given, which is what the TLS peer sends.
	 */
	cert = d2i_X509(NULL, &p, (long)len);
	if (!cert)
		return -EBADMSG;
	X509_free(cert);
	if ((size_t)(p - der) != len)
		return -EBADMSG;
	if (!EVP_Digest(der, len, h->sha1, &n1, EVP_sha1(), NULL) ||
	    !EVP_Digest(der, len, h->sha256, &n256, EVP_sha256(), NULL) ||
	    n1 != SSTP_SHA1_LEN || n256 != SSTP_SHA256_LEN) {
		memset(h, 0, sizeof(*h));
		return -EIO;
	}
	h->known = SSTP_HASH_KNOWN;
	return 0;
}

/* Describe the character at text[i] and where it is, for error messages. */
static void bad_char(char *err, size_t errlen, const char *what,
		     const char *text, size_t i)
{
	unsigned char c = (unsigned char)text[i];

	if (c == '\0')
		sstp_set_err(err, errlen, "%s: %s at the end (character %zu)",
			text, what, i + 1);
	else if (c > ' ' && c < 0x7f)
		sstp_set_err(err, errlen, "%s: %s at character %zu ('%c')",
			text, what, i + 1, c);
	else
		sstp_set_err(err, errlen, "%s: %s at character %zu (byte 0x%02x)",
			text, what, i + 1, c);
}

int sstp_cert_hashes_parse(struct sstp_cert_hashes *h, uint8_t hash_proto,
			   const char *text, char *err, size_t errlen)
{
	size_t want = sstp_hash_len(hash_proto), n = 0, i = 0;
	uint8_t buf[SSTP_HASH_FIELD_LEN] = { 0 };
	uint8_t other;
	bool colons;
	int hi, lo;

	if (!h || !want || !text) {
		sstp_set_err(err, errlen, "bad arguments to the hash parser");
		return -EINVAL;
	}
	if (!*text) {
		sstp_set_err(err, errlen,
			"empty certificate hash: expected %zu hex digits of %s",
			2 * want, hash_name(hash_proto));
		return -EINVAL;
	}
	/* Either "ab:cd:..." throughout, or plain hex: decided by the first. */
	colons = strchr(text, ':') != NULL;
	for (;;) {
		hi = sstp_hex_digit(text[i]);
		if (hi < 0) {
			bad_char(err, errlen, colons && text[i] == ':' ?
				 "misplaced ':'" : "expected a hex digit",
				 text, i);
			return -EINVAL;
		}
		lo = sstp_hex_digit(text[i + 1]);
		if (lo < 0) {
			bad_char(err, errlen, colons && text[i + 1] == ':' ?
				 "odd number of hex digits before ':'" :
				 text[i + 1] ? "expected a hex digit" :
				 "odd number of hex digits", text, i + 1);
			return -EINVAL;
		}
		if (n < want)
			buf[n] = (uint8_t)(hi << 4 | lo);
		n++;
		i += 2;
		if (!text[i])
			break;
		if (colons) {
			if (text[i] != ':') {
				bad_char(err, errlen,
					 "expected ':' between bytes", text, i);
				return -EINVAL;
			}
			i++;
		}
	}
	if (n != want) {
		/* The other hash's length is a likely mix-up of the two keys. */
		other = hash_proto ^ SSTP_HASH_KNOWN;
		sstp_set_err(err, errlen,
			"%s: %zu bytes, but a %s hash has %zu (%zu hex digits)%s%s%s",
			text, n, hash_name(hash_proto), want, 2 * want,
			n == sstp_hash_len(other) ? ": is this a " : "",
			n == sstp_hash_len(other) ? hash_name(other) : "",
			n == sstp_hash_len(other) ? " hash?" : "");
		return -EINVAL;
	}
	memcpy(hash_proto == SSTP_HASH_SHA256 ? h->sha256 : h->sha1, buf,
	       SSTP_HASH_FIELD_LEN);
	h->known |= hash_proto;
	return 0;
}

uint8_t sstp_binding_offer_mask(const struct sstp_cert_hashes *ours)
{
	uint8_t m = ours ? ours->known & SSTP_HASH_KNOWN : 0;

	return m ? m : SSTP_HASH_KNOWN;
}

int sstp_hlak(enum sstp_auth_method method, enum sstp_role role,
	      const uint8_t *send_key, size_t send_len,
	      const uint8_t *recv_key, size_t recv_len,
	      uint8_t hlak[SSTP_HLAK_LEN])
{
	const uint8_t *key;
	size_t key_len;

	if (!hlak)
		return -EINVAL;
	memset(hlak, 0, SSTP_HLAK_LEN);
	if (role != SSTP_ROLE_CLIENT && role != SSTP_ROLE_SERVER)
		return -EINVAL;

	switch (method) {
	case SSTP_AUTH_NONE:
	case SSTP_AUTH_PAP:
	case SSTP_AUTH_CHAP_MD5:
	case SSTP_AUTH_MSCHAPV1:
		/* No keys to bind to: the binding still runs, keyed with 0. */
		return 0;
	case SSTP_AUTH_MSCHAPV2:
		if (!send_key || !recv_key ||
		    send_len != SSTP_MSCHAPV2_KEY_LEN ||
		    recv_len != SSTP_MSCHAPV2_KEY_LEN)
			return -EINVAL;
		/* Client->server key first, as seen from either end. */
		if (role == SSTP_ROLE_CLIENT) {
			memcpy(hlak, send_key, SSTP_MSCHAPV2_KEY_LEN);
			memcpy(hlak + SSTP_MSCHAPV2_KEY_LEN, recv_key,
			       SSTP_MSCHAPV2_KEY_LEN);
		} else {
			memcpy(hlak, recv_key, SSTP_MSCHAPV2_KEY_LEN);
			memcpy(hlak + SSTP_MSCHAPV2_KEY_LEN, send_key,
			       SSTP_MSCHAPV2_KEY_LEN);
		}
		return 0;
	case SSTP_AUTH_EAP:
		/* MSK[0..31]: the client's send key is the server's receive key. */
		key = role == SSTP_ROLE_CLIENT ? send_key : recv_key;
		key_len = role == SSTP_ROLE_CLIENT ? send_len : recv_len;
		if (!key || key_len < SSTP_HLAK_LEN)
			return -EINVAL;
		memcpy(hlak, key, SSTP_HLAK_LEN);
		return 0;
	}
	return -EINVAL;
}

int sstp_cmk(uint8_t hash_proto, const uint8_t hlak[SSTP_HLAK_LEN],
	     uint8_t cmk[SSTP_HASH_FIELD_LEN])
{
	uint8_t msg[CMK_SEED_LEN + 3];
	size_t len = sstp_hash_len(hash_proto);

	if (!cmk)
		return -EINVAL;
	memset(cmk, 0, SSTP_HASH_FIELD_LEN);
	if (!hlak || !len)
		return -EINVAL;
	/*
	 * T1 = HMAC(HLAK, S | LEN | 0x01). One PRF round is enough: the CMK
	 * is exactly one digest long. LEN is little endian on the wire of
	 * every implementation that works with Windows.
	 */
	memcpy(msg, cmk_seed, CMK_SEED_LEN);
	msg[CMK_SEED_LEN] = (uint8_t)len;
	msg[CMK_SEED_LEN + 1] = (uint8_t)(len >> 8);
	msg[CMK_SEED_LEN + 2] = 0x01;
	return hmac(hash_proto, hlak, SSTP_HLAK_LEN, msg, sizeof(msg), cmk);
}

int sstp_cmac(uint8_t hash_proto, const uint8_t hlak[SSTP_HLAK_LEN],
	      const uint8_t pkt[SSTP_CALL_CONNECTED_LEN],
	      uint8_t cmac[SSTP_HASH_FIELD_LEN])
{
	uint8_t copy[SSTP_CALL_CONNECTED_LEN];
	uint8_t cmk[SSTP_HASH_FIELD_LEN];
	int len, ret;

	if (!cmac)
		return -EINVAL;
	if (!pkt) {
		memset(cmac, 0, SSTP_HASH_FIELD_LEN);
		return -EINVAL;
	}
	/* Copy first: cmac may point into pkt (the client fills it in place). */
	memcpy(copy, pkt, sizeof(copy));
	memset(copy + SSTP_CALL_CONNECTED_CMAC_OFF, 0, SSTP_HASH_FIELD_LEN);

	len = sstp_cmk(hash_proto, hlak, cmk);
	if (len < 0) {
		memset(cmac, 0, SSTP_HASH_FIELD_LEN);
		return len;
	}
	ret = hmac(hash_proto, cmk, (size_t)len, copy, sizeof(copy), cmac);
	OPENSSL_cleanse(cmk, sizeof(cmk));
	return ret;
}

int sstp_binding_build(const struct sstp_binding_req *req,
		       const struct sstp_cert_hashes *cert,
		       const uint8_t hlak[SSTP_HLAK_LEN],
		       uint8_t pkt[SSTP_CALL_CONNECTED_LEN])
{
	struct sstp_ctrl msg;
	uint8_t proto;
	int ret;

	if (!pkt)
		return -EINVAL;
	memset(pkt, 0, SSTP_CALL_CONNECTED_LEN);
	if (!req || !cert || !hlak)
		return -EINVAL;
	proto = sstp_hash_choose(req->hash_mask);
	if (!proto)
		return -EPROTONOSUPPORT;
	if (!(cert->known & proto))
		return -EINVAL;

	/* The codec lays the packet out; the CMAC field stays zero for now. */
	sstp_ctrl_init(&msg, SSTP_MSG_CALL_CONNECTED);
	msg.binding.hash_proto = proto;
	memcpy(msg.binding.nonce, req->nonce, SSTP_NONCE_LEN);
	memcpy(msg.binding.cert_hash, cert_field(cert, proto),
	       SSTP_HASH_FIELD_LEN);
	ret = sstp_ctrl_encode(&msg, pkt, SSTP_CALL_CONNECTED_LEN);
	if (ret != SSTP_CALL_CONNECTED_LEN) {
		memset(pkt, 0, SSTP_CALL_CONNECTED_LEN);
		return ret < 0 ? ret : -EIO;
	}

	ret = sstp_cmac(proto, hlak, pkt, pkt + SSTP_CALL_CONNECTED_CMAC_OFF);
	if (ret < 0) {
		memset(pkt, 0, SSTP_CALL_CONNECTED_LEN);
		return ret;
	}
	return SSTP_CALL_CONNECTED_LEN;
}

/*
 * Is msg what sstp_ctrl_decode() made of pkt? The MAC is checked over the
 * raw bytes and the other fields in msg, so the two must agree, or a caller
 * mixing up buffers would have us check one packet's MAC and another's
 * nonce.
 */
static bool same_packet(const struct sstp_ctrl *msg, const uint8_t *pkt,
			size_t len)
{
	const struct sstp_binding *b = &msg->binding;

	return len == SSTP_CALL_CONNECTED_LEN &&
	       msg->type == SSTP_MSG_CALL_CONNECTED &&
	       (msg->attrs & SSTP_ATTR_BIT(SSTP_ATTR_CRYPTO_BINDING)) &&
	       sstp_ctrl_peek_type(pkt, len) == SSTP_MSG_CALL_CONNECTED &&
	       pkt[SSTP_CALL_CONNECTED_HASH_PROTO_OFF] == b->hash_proto &&
	       !memcmp(pkt + SSTP_CALL_CONNECTED_NONCE_OFF, b->nonce,
		       SSTP_NONCE_LEN) &&
	       !memcmp(pkt + SSTP_CALL_CONNECTED_CERT_HASH_OFF, b->cert_hash,
		       SSTP_HASH_FIELD_LEN) &&
	       !memcmp(pkt + SSTP_CALL_CONNECTED_CMAC_OFF, b->cmac,
		       SSTP_HASH_FIELD_LEN);
}

enum sstp_verify_result
sstp_binding_verify(const struct sstp_ctrl *msg, const uint8_t *pkt,
		    size_t len, uint8_t offered,
		    const uint8_t nonce[SSTP_NONCE_LEN],
		    const struct sstp_cert_hashes *ours,
		    const uint8_t hlak[SSTP_HLAK_LEN])
{
	uint8_t cmac[SSTP_HASH_FIELD_LEN];
	const struct sstp_binding *b;
	bool unchecked = false;
	uint8_t proto;
	size_t hlen;
	bool bad;

	if (!msg || !pkt)
		return SSTP_VERIFY_BAD_PACKET;
	if (!nonce || !ours || !hlak)
		return SSTP_VERIFY_INTERNAL_ERROR;
	if (!same_packet(msg, pkt, len))
		return SSTP_VERIFY_BAD_PACKET;

	b = &msg->binding;
	proto = b->hash_proto;
	hlen = sstp_hash_len(proto);
	if (!hlen || !(proto & offered))
		return SSTP_VERIFY_HASH_NOT_OFFERED;

	if (CRYPTO_memcmp(b->nonce, nonce, SSTP_NONCE_LEN))
		return SSTP_VERIFY_NONCE_MISMATCH;

	if (ours->known & proto) {
		if (CRYPTO_memcmp(b->cert_hash, cert_field(ours, proto), hlen))
			return SSTP_VERIFY_CERT_HASH_MISMATCH;
	} else {
		unchecked = true;
	}

	if (sstp_cmac(proto, hlak, pkt, cmac) < 0)
		return SSTP_VERIFY_INTERNAL_ERROR;
	bad = CRYPTO_memcmp(cmac, b->cmac, hlen) != 0;
	OPENSSL_cleanse(cmac, sizeof(cmac));
	if (bad)
		return SSTP_VERIFY_CMAC_MISMATCH;
	return unchecked ? SSTP_VERIFY_OK_CERT_UNCHECKED : SSTP_VERIFY_OK;
}

const char *sstp_verify_reason(enum sstp_verify_result r)
{
	switch (r) {
	case SSTP_VERIFY_OK:
		return "crypto binding verified";
	case SSTP_VERIFY_OK_CERT_UNCHECKED:
		return "crypto binding verified, certificate hash not checked "
		       "(our certificate's hash is unknown: TLS terminated in "
		       "front and no cert-hash-sha256=/cert-hash-sha1= set)";
	case SSTP_VERIFY_BAD_PACKET:
		return "not a valid 112-byte CALL_CONNECTED";
	case SSTP_VERIFY_HASH_NOT_OFFERED:
		return "hash protocol not offered";
	case SSTP_VERIFY_NONCE_MISMATCH:
		return "nonce mismatch";
	case SSTP_VERIFY_CERT_HASH_MISMATCH:
		return "certificate hash mismatch (client saw a different "
		       "certificate: MITM or TLS terminated in front?)";
	case SSTP_VERIFY_CMAC_MISMATCH:
		return "compound MAC mismatch (wrong MPPE keys or HLAK)";
	case SSTP_VERIFY_INTERNAL_ERROR:
		return "internal error while computing the compound MAC";
	}
	return "unknown crypto binding result";
}
