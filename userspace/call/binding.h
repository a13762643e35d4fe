/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * binding.h - SSTP crypto binding ([MS-SSTP] 3.2.5.2, 3.3.5.2; see
 * docs/sstp-protocol.md section 4).
 *
 * The binding ties the PPP authentication inside the tunnel to the TLS
 * session around it, so that a man in the middle who terminates TLS with
 * another certificate cannot relay a victim's PPP authentication:
 *
 *   client                                   server
 *     <------ CALL_CONNECT_ACK: hash bitmask, nonce ------
 *     (PPP authentication; both ends now hold the same HLAK)
 *     ------- CALL_CONNECTED: chosen hash, nonce, -------->
 *             hash of the certificate the client saw,
 *             Compound MAC keyed from the HLAK
 *
 * Client use, once PPP authentication is done:
 *   sstp_cert_hashes_from_x509(&ch, SSL_get0_peer_certificate(ssl));
 *   sstp_hlak(SSTP_AUTH_MSCHAPV2, SSTP_ROLE_CLIENT, send, 16, recv, 16, hlak);
 *   sstp_binding_build(&ack.binding_req, &ch, hlak, pkt);   -> send pkt
 *   OPENSSL_cleanse(hlak, sizeof(hlak));
 *
 * Server use:
 *   sstp_cert_hashes_from_x509(&ours, cert)   (or _from_der, or
 *	sstp_cert_hashes_parse() for cert-hash-sha256= / cert-hash-sha1=, or
 *	nothing at all when TLS ends in front of us and no hash is configured)
 *   offer sstp_binding_offer_mask(&ours) and a fresh nonce in CONNECT_ACK
 *   on CALL_CONNECTED: sstp_ctrl_decode(pkt, len, &msg), keep the packet
 *	until the HLAK is known (it may arrive before our own PPP end has
 *	finished authentication), then
 *   r = sstp_binding_verify(&msg, pkt, len, offered, nonce, &ours, hlak);
 *   sstp_verify_passed(r) ? go on : abort with sstp_verify_reason(r)
 *
 * Every hash and HMAC is OpenSSL's. Nothing here logs or returns key
 * material; intermediate keys are wiped before returning. Functions that
 * can fail return 0 (or a length) on success, a negative errno otherwise.
 */
#ifndef SSTP_BINDING_H
#define SSTP_BINDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/x509.h>

#include <linux/sstp.h>

#include "sstp/wire.h"

#define SSTP_HLAK_LEN		32	/* Higher-Layer Authentication Key */
#define SSTP_MSCHAPV2_KEY_LEN	16	/* an RFC 3079 master send/recv key */

/**
 * struct sstp_cert_hashes - hashes of the server's TLS certificate
 * @known: SSTP_HASH_* bits of the hashes below that are filled in; 0 when
 *	the server does not know its certificate (TLS terminated in front)
 * @sha1: SHA-1 of the leaf certificate's DER, 20 bytes then 12 zeros,
 *	exactly as in the Cert Hash field
 * @sha256: SHA-256 of the leaf certificate's DER
 *
 * Clear with memset() before filling it piece by piece.
 */
struct sstp_cert_hashes {
	uint8_t known;
	uint8_t sha1[SSTP_HASH_FIELD_LEN];
	uint8_t sha256[SSTP_HASH_FIELD_LEN];
};

/* Who computes an HLAK (enum sstp_role of the uapi header): the two ends
 * order the MS-CHAPv2 keys oppositely. */

/* The PPP authentication method that ran inside the tunnel. */
enum sstp_auth_method {
	SSTP_AUTH_NONE,		/* no authentication: zero HLAK */
	SSTP_AUTH_PAP,		/* zero HLAK */
	SSTP_AUTH_CHAP_MD5,	/* zero HLAK */
	SSTP_AUTH_MSCHAPV1,	/* zero HLAK ([MS-SSTP] defines none) */
	SSTP_AUTH_MSCHAPV2,	/* 16-byte master send and receive keys */
	SSTP_AUTH_EAP,		/* EAP-TLS and other MSK methods: 32 bytes */
};

/* Outcome of sstp_binding_verify(); sstp_verify_reason() explains each. */
enum sstp_verify_result {
	SSTP_VERIFY_OK = 0,
	/* Passed, but we know no hash of our certificate to compare with. */
	SSTP_VERIFY_OK_CERT_UNCHECKED,
	/* Not a 112-byte CALL_CONNECTED, or msg and the raw bytes disagree. */
	SSTP_VERIFY_BAD_PACKET,
	SSTP_VERIFY_HASH_NOT_OFFERED,
	SSTP_VERIFY_NONCE_MISMATCH,
	SSTP_VERIFY_CERT_HASH_MISMATCH,
	SSTP_VERIFY_CMAC_MISMATCH,
	/* OpenSSL failed to compute the MAC (out of memory, no provider). */
	SSTP_VERIFY_INTERNAL_ERROR,
};

/**
 * sstp_hash_len() - digest length of a hash protocol
 * @hash_proto: SSTP_HASH_SHA1 or SSTP_HASH_SHA256 (one bit)
 *
 * Return: 20, 32, or 0 for anything else.
 */
size_t sstp_hash_len(uint8_t hash_proto);

/**
 * sstp_hash_choose() - the hash a client uses for an offered bitmask
 * @offered: the Crypto Binding Request bitmask from CALL_CONNECT_ACK
 *
 * SHA-256 whenever offered (the stronger one, and the only one Windows
 * servers and SoftEther offer), else SHA-1; unknown bits are ignored.
 *
 * Return: SSTP_HASH_SHA256, SSTP_HASH_SHA1, or 0 if neither is offered.
 */
uint8_t sstp_hash_choose(uint8_t offered);

/**
 * sstp_cert_hashes_from_x509() - hash a certificate both ways
 * @h: result, overwritten; known = SSTP_HASH_KNOWN on success
 * @cert: the leaf certificate (client: SSL_get0_peer_certificate();
 *	server: its own)
 *
 * Return: 0, -EINVAL for a NULL argument, -EIO if OpenSSL fails.
 */
int sstp_cert_hashes_from_x509(struct sstp_cert_hashes *h, X509 *cert);

/**
 * sstp_cert_hashes_anonymous() - the hashes of no certificate
 * @h: result: both hashes zero, and known
 *
 * For TLS with anonymous Diffie-Hellman (anonymous-dh), where neither end
 * has a certificate. [MS-SSTP] has no such case; both our ends put zeros
 * in the Cert Hash field and hold each other to them. (What MikroTik puts
 * there has not been seen.)
 */
void sstp_cert_hashes_anonymous(struct sstp_cert_hashes *h);

/**
 * sstp_cert_hashes_from_der() - hash a DER-encoded certificate both ways
 * @h: result, overwritten; known = SSTP_HASH_KNOWN on success
 * @der: the certificate, DER (not PEM)
 * @len: its length
 *
 * The bytes must be exactly one parseable X.509 certificate, so that a PEM
 * file or a truncated read is refused instead of silently hashed.
 *
 * Return: 0, -EINVAL, -EBADMSG (not one DER certificate), -EIO.
 */
int sstp_cert_hashes_from_der(struct sstp_cert_hashes *h, const uint8_t *der,
			      size_t len);

/**
 * sstp_cert_hashes_parse() - set one hash from its configured hex text
 * @h: the hashes; the one of @hash_proto is set and its bit added to
 *	@h->known, the rest is kept (so cert-hash-sha1= and cert-hash-sha256=
 *	may both be given)
 * @hash_proto: SSTP_HASH_SHA1 (40 hex digits) or SSTP_HASH_SHA256 (64)
 * @text: the value: hex digits in either case, either all run together
 *	or with a ':' between every two ("AB:CD:..", as printed by
 *	`openssl x509 -noout -fingerprint -sha256`); nothing else, no spaces
 * @err: on failure, a message saying what is wrong and where (may be NULL)
 * @errlen: room at @err
 *
 * Nothing in @h changes on failure.
 *
 * Return: 0, or -EINVAL with @err filled in.
 */
int sstp_cert_hashes_parse(struct sstp_cert_hashes *h, uint8_t hash_proto,
			   const char *text, char *err, size_t errlen);

/**
 * sstp_binding_offer_mask() - the bitmask a server should offer
 * @ours: our certificate's hashes
 *
 * The hashes we can check (a client choosing another one could not be held
 * to our certificate), or both when we know none.
 *
 * Return: SSTP_HASH_* bits, never 0.
 */
uint8_t sstp_binding_offer_mask(const struct sstp_cert_hashes *ours);

/**
 * sstp_hlak() - the Higher-Layer Authentication Key of one end
 * @method: the PPP authentication that ran
 * @role: which end we are
 * @send_key: this end's MPPE master send key (NULL for zero-HLAK methods)
 * @send_len: its length
 * @recv_key: this end's MPPE master receive key (NULL for zero-HLAK methods)
 * @recv_len: its length
 * @hlak: result, 32 bytes; all zero on failure
 *
 * MS-CHAPv2 ([MS-SSTP] 3.2.5.2.2): two 16-byte keys; the client takes
 * send | recv, the server recv | send. Since one end's send key is the
 * other's receive key, both arrive at the same 32 bytes.
 *
 * EAP: the first 32 bytes of the MSK, which is the client's send key and
 * the server's receive key; the client needs only @send_key, the server
 * only @recv_key, each at least 32 bytes long. Keys cut to 16 bytes (old
 * pppd) cannot give the right HLAK and are refused rather than guessed at.
 *
 * PAP, CHAP-MD5, MS-CHAPv1 and none: 32 zero bytes; the keys are ignored.
 * The binding is still sent and checked with that key.
 *
 * Return: 0, or -EINVAL (unknown method or role, missing or short key).
 */
int sstp_hlak(enum sstp_auth_method method, enum sstp_role role,
	      const uint8_t *send_key, size_t send_len,
	      const uint8_t *recv_key, size_t recv_len,
	      uint8_t hlak[SSTP_HLAK_LEN]);

/**
 * sstp_cmk() - the Compound MAC Key
 * @hash_proto: SSTP_HASH_SHA1 or SSTP_HASH_SHA256
 * @hlak: the HLAK
 * @cmk: result: 20 bytes then 12 zeros (SHA-1) or 32 bytes
 *
 * CMK = HMAC-H(HLAK, "SSTP inner method derived CMK" | LEN | 0x01), LEN
 * being the digest length as 16 bits *little* endian, which is what
 * Windows and every interoperating implementation use.
 *
 * Return: the digest length (20 or 32), -EINVAL, or -EIO.
 */
int sstp_cmk(uint8_t hash_proto, const uint8_t hlak[SSTP_HLAK_LEN],
	     uint8_t cmk[SSTP_HASH_FIELD_LEN]);

/**
 * sstp_cmac() - the Compound MAC of a CALL_CONNECTED packet
 * @hash_proto: SSTP_HASH_SHA1 or SSTP_HASH_SHA256
 * @hlak: the HLAK (the CMK is derived from it and wiped)
 * @pkt: the whole 112-byte packet; its CMAC field is ignored (the MAC is
 *	taken over a copy with that field zeroed)
 * @cmac: result: 20 bytes then 12 zeros (SHA-1) or 32 bytes
 *
 * Return: the digest length (20 or 32), -EINVAL, or -EIO.
 */
int sstp_cmac(uint8_t hash_proto, const uint8_t hlak[SSTP_HLAK_LEN],
	      const uint8_t pkt[SSTP_CALL_CONNECTED_LEN],
	      uint8_t cmac[SSTP_HASH_FIELD_LEN]);

/**
 * sstp_binding_build() - the client's complete CALL_CONNECTED packet
 * @req: the Crypto Binding Request of the server's CALL_CONNECT_ACK
 * @cert: hashes of the certificate the server presented in TLS
 * @hlak: the HLAK (sstp_hlak() with SSTP_ROLE_CLIENT)
 * @pkt: result, SSTP_CALL_CONNECTED_LEN bytes
 *
 * Uses SHA-256 when offered, else SHA-1 (sstp_hash_choose()).
 *
 * Return: SSTP_CALL_CONNECTED_LEN, -EINVAL (NULL argument, or @cert lacks
 * the chosen hash), -EPROTONOSUPPORT (the server offered neither SHA-1 nor
 * SHA-256), or -EIO (OpenSSL failed). On failure @pkt is zeroed.
 */
int sstp_binding_build(const struct sstp_binding_req *req,
		       const struct sstp_cert_hashes *cert,
		       const uint8_t hlak[SSTP_HLAK_LEN],
		       uint8_t pkt[SSTP_CALL_CONNECTED_LEN]);

/**
 * sstp_binding_verify() - the server's check of a received CALL_CONNECTED
 * @msg: the packet as decoded by sstp_ctrl_decode() (which succeeded)
 * @pkt: the raw packet the MAC is computed over
 * @len: its length
 * @offered: the hash bitmask our CALL_CONNECT_ACK offered
 * @nonce: the nonce our CALL_CONNECT_ACK carried
 * @ours: our certificate's hashes; a hash we do not know is not compared
 *	(the result then says SSTP_VERIFY_OK_CERT_UNCHECKED)
 * @hlak: our HLAK (sstp_hlak() with SSTP_ROLE_SERVER)
 *
 * Checks, in this order, that @msg and @pkt are the same 112-byte
 * CALL_CONNECTED, that the chosen hash was offered, the nonce, the
 * certificate hash and the Compound MAC. Secret-dependent comparisons are
 * constant time. Only the digest's bytes of the SHA-1 fields are compared
 * (their zero padding is not: accel-ppp does the same, and the MAC covers
 * the cert hash padding anyway).
 *
 * Return: the first check that failed, or one of the two OK codes.
 */
enum sstp_verify_result
sstp_binding_verify(const struct sstp_ctrl *msg, const uint8_t *pkt,
		    size_t len, uint8_t offered,
		    const uint8_t nonce[SSTP_NONCE_LEN],
		    const struct sstp_cert_hashes *ours,
		    const uint8_t hlak[SSTP_HLAK_LEN]);

/* True for the two results that let the call proceed. */
static inline bool sstp_verify_passed(enum sstp_verify_result r)
{
	return r == SSTP_VERIFY_OK || r == SSTP_VERIFY_OK_CERT_UNCHECKED;
}

/**
 * sstp_verify_reason() - a short human-readable text for a result, for logs
 * @r: the result
 *
 * Return: a static string, e.g. "nonce mismatch".
 */
const char *sstp_verify_reason(enum sstp_verify_result r);

#endif /* SSTP_BINDING_H */
