// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * binding_test.c - unit tests of the SSTP crypto binding
 * (userspace/binding.c): the published vectors, client build -> server
 * verify round trips, every way verification can fail, certificate hashes
 * and the cert-hash-* hex parser.
 *
 * Vectors (docs/sstp-protocol.md 4.3): SHA-256 from [MS-SSTP] 4.7, SHA-1
 * from sstp-client's unit test, EAP-TLS from sstp-client's capture of a
 * Windows 8.1 client and a Windows Server 2019 RAS.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "call/binding.h"
#include "unit.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* --- helpers ------------------------------------------------------------ */

/* Test vector hex (spaces allowed) into exactly size bytes, or abort. */
static void unhex(const char *s, uint8_t *out, size_t size)
{
	size_t n = unit_unhex(s, out, size);

	if (n != size) {
		fprintf(stderr, "hex test vector has %zu bytes, not %zu\n", n,
			size);
		abort();
	}
}

static void rng_fill(uint8_t *p, size_t n)
{
	while (n--)
		*p++ = (uint8_t)unit_rng();
}

/* A self-signed certificate with a fresh P-256 key. */
static X509 *make_cert(const char *cn)
{
	EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	X509 *x = X509_new();
	X509_NAME *name;

	if (!key || !x)
		abort();
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600);
	X509_set_pubkey(x, key);
	name = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
				   (const unsigned char *)cn, -1, -1, 0);
	X509_set_issuer_name(x, name);
	if (!X509_sign(x, key, EVP_sha256()))
		abort();
	EVP_PKEY_free(key);
	return x;
}

static bool all_zero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

/* Decode pkt and verify it as a server with the given expectations. */
static enum sstp_verify_result
server_verify(const uint8_t *pkt, uint8_t offered, const uint8_t *nonce,
	      const struct sstp_cert_hashes *ours, const uint8_t *hlak)
{
	uint8_t *copy = malloc(SSTP_CALL_CONNECTED_LEN);
	struct sstp_ctrl msg;
	enum sstp_verify_result r;

	if (!copy)
		abort();
	/* A heap copy of exactly 112 bytes: ASan sees any overread. */
	memcpy(copy, pkt, SSTP_CALL_CONNECTED_LEN);
	if (sstp_ctrl_decode(copy, SSTP_CALL_CONNECTED_LEN, &msg)) {
		free(copy);
		return SSTP_VERIFY_BAD_PACKET;
	}
	r = sstp_binding_verify(&msg, copy, SSTP_CALL_CONNECTED_LEN, offered,
				nonce, ours, hlak);
	free(copy);
	return r;
}

#define CHECK_VERIFY(actual, expected)					\
	do {								\
		enum sstp_verify_result r_ = (actual);			\
		CHECK_MSG(r_ == (expected), "%s: got %d (%s), expected %s", \
			  #actual, r_, sstp_verify_reason(r_), #expected); \
	} while (0)

/* --- the published vectors --------------------------------------------- */

static const char spec_nonce[] =
	"412B489AEBD7ECC7D08966F26BE7CD72B231A0E9210D7C91B308862B0344C435";
static const char spec_certhash[] =
	"7993EF314C493DACE9F02D60E7E61C84B6690AAFE9D7AEEA92CBBE8AD599422D";
static const char spec_send[] = "2A1BB40D55AB0F5EF32F06F2B3CC73C4";
static const char spec_recv[] = "8FD3FAC41D7A1315A19228D9024CA164";

static void test_vector_sha256_spec(void)
{
	uint8_t send[16], recv[16], hlak[32], srv_hlak[32], cmk[32], cmac[32];
	uint8_t expect_hlak[32], expect_cmk[32], expect_cmac[32];
	uint8_t expect_pkt[112], pkt[112];
	struct sstp_binding_req req = { .hash_mask = SSTP_HASH_SHA256 };
	struct sstp_cert_hashes ch;

	unhex(spec_send, send, sizeof(send));
	unhex(spec_recv, recv, sizeof(recv));
	unhex("2a1bb40d55ab0f5ef32f06f2b3cc73c48fd3fac41d7a1315a19228d9024ca164",
	      expect_hlak, sizeof(expect_hlak));
	unhex("ecf59ac9fe155cf0a9e7d66adc1b363c1ad7ba91a9217f0cec2a534298828df6",
	      expect_cmk, sizeof(expect_cmk));
	unhex("52a68efd8cffbf52770b8f0fe8ec73716583af6d611eb6d179b3b20840985449",
	      expect_cmac, sizeof(expect_cmac));
	unhex("10 01 00 70 00 04 00 01 00 03 00 68 00 00 00 02",
	      expect_pkt, 16);
	unhex(spec_nonce, expect_pkt + 16, 32);
	unhex(spec_certhash, expect_pkt + 48, 32);
	memcpy(expect_pkt + 80, expect_cmac, 32);

	CHECK_INT(sstp_hlak(SSTP_AUTH_MSCHAPV2, SSTP_ROLE_CLIENT, send, 16,
			    recv, 16, hlak), 0);
	CHECK_MEM(hlak, expect_hlak, 32);
	/* The server's send key is the client's receive key. */
	CHECK_INT(sstp_hlak(SSTP_AUTH_MSCHAPV2, SSTP_ROLE_SERVER, recv, 16,
			    send, 16, srv_hlak), 0);
	CHECK_MEM(srv_hlak, expect_hlak, 32);

	CHECK_INT(sstp_cmk(SSTP_HASH_SHA256, hlak, cmk), 32);
	CHECK_MEM(cmk, expect_cmk, 32);
	CHECK_INT(sstp_cmac(SSTP_HASH_SHA256, hlak, expect_pkt, cmac), 32);
	CHECK_MEM(cmac, expect_cmac, 32);

	unhex(spec_nonce, req.nonce, 32);
	memset(&ch, 0, sizeof(ch));
	CHECK_INT(sstp_cert_hashes_parse(&ch, SSTP_HASH_SHA256, spec_certhash,
					 NULL, 0), 0);
	memset(pkt, 0xa5, sizeof(pkt));
	CHECK_INT(sstp_binding_build(&req, &ch, hlak, pkt), 112);
	CHECK_MEM(pkt, expect_pkt, 112);

	/* The server end accepts exactly that packet. */
	CHECK_VERIFY(server_verify(expect_pkt, SSTP_HASH_SHA256, req.nonce,
				   &ch, srv_hlak), SSTP_VERIFY_OK);
	CHECK_VERIFY(server_verify(expect_pkt, SSTP_HASH_KNOWN, req.nonce,
				   &ch, srv_hlak), SSTP_VERIFY_OK);
}

static void test_vector_sha1(void)
{
	uint8_t send[16], recv[16], hlak[32], srv_hlak[32], cmk[32], pkt[112];
	uint8_t expect_cmk[32] = { 0 }, expect_cmac[32] = { 0 };
	struct sstp_binding_req req = { .hash_mask = SSTP_HASH_SHA1 };
	struct sstp_cert_hashes ch = { .known = SSTP_HASH_SHA1 };
	uint8_t hdr[16];

	unhex("4B3128F43925D9006EEFB1C4E86515A1", send, 16);
	unhex("D88E56BAB3CA2BDF0373B7F5A8A13B19", recv, 16);
	unhex("a98b862a38cc7e224b42cd128586acb22f0bd1e9", expect_cmk, 20);
	unhex("69915dd583d8062fef16f61db2f03290ec27cb6c", expect_cmac, 20);
	unhex("0F1A2D58D4A3E3000FAD3CE4906E07B707AA9E441CCEAC5CBD7B2CC1C9D86CDF",
	      req.nonce, 32);
	unhex("5826B629BDA59B8E6FD8DCD2622FD34C534805A5", ch.sha1, 20);
	unhex("10 01 00 70 00 04 00 01 00 03 00 68 00 00 00 01", hdr, 16);

	CHECK_INT(sstp_hlak(SSTP_AUTH_MSCHAPV2, SSTP_ROLE_CLIENT, send, 16,
			    recv, 16, hlak), 0);
	memset(cmk, 0xff, sizeof(cmk));
	CHECK_INT(sstp_cmk(SSTP_HASH_SHA1, hlak, cmk), 20);
	CHECK_MEM(cmk, expect_cmk, 32);		/* 20 bytes, then 12 zeros */

	CHECK_INT(sstp_binding_build(&req, &ch, hlak, pkt), 112);
	CHECK_MEM(pkt, hdr, 16);
	CHECK_MEM(pkt + 16, req.nonce, 32);
	CHECK_MEM(pkt + 48, ch.sha1, 32);
	CHECK(all_zero(pkt + 68, 12));
	CHECK_MEM(pkt + 80, expect_cmac, 32);	/* 20 bytes, then 12 zeros */

	CHECK_INT(sstp_hlak(SSTP_AUTH_MSCHAPV2, SSTP_ROLE_SERVER, recv, 16,
			    send, 16, srv_hlak), 0);
	CHECK_VERIFY(server_verify(pkt, SSTP_HASH_KNOWN, req.nonce, &ch,
				   srv_hlak), SSTP_VERIFY_OK);
}

static void test_vector_eap_tls(void)
{
	uint8_t cli_send[32], cli_recv[32], hlak[32], srv_hlak[32];
	uint8_t expect_cmac[32], pkt[112], cmac[32];
	struct sstp_binding_req req = { .hash_mask = SSTP_HASH_SHA256 };
	struct sstp_cert_hashes ch = { .known = SSTP_HASH_SHA256 };

	unhex("bb2c17edbaa643b3d511eb9848792b7cab5f5d709fe9bdf89b5deaf5a8c17db7",
	      cli_send, 32);
	unhex("6db2817cdc55aa42c3a1ff3389be08e2effe8b2dc719074a43cfbb8acf7414ce",
	      cli_recv, 32);
	unhex("388a1ecbf302ba02f9f372ce37488ec36b71a28b5e1b19fbe44d5465a631c463",
	      req.nonce, 32);
	unhex("7ff150176fa8e38a1f402d11ff89ff11b66505ad7f9ae81205277ba4a6b9ef9d",
	      ch.sha256, 32);
	unhex("fe6473c7d183914e483fea1b12a6e760a4da16b62fab12a0a1e54e0ec325b24e",
	      expect_cmac, 32);

	/* The client's HLAK is its send key; the other key plays no part. */
	CHECK_INT(sstp_hlak(SSTP_AUTH_EAP, SSTP_ROLE_CLIENT, cli_send, 32,
			    cli_recv, 32, hlak), 0);
	CHECK_MEM(hlak, cli_send, 32);
	CHECK_INT(sstp_hlak(SSTP_AUTH_EAP, SSTP_ROLE_CLIENT, cli_send, 32,
			    NULL, 0, hlak), 0);
	CHECK_MEM(hlak, cli_send, 32);
	/* The server's receive key is the client's send key (MSK[0..31]). */
	CHECK_INT(sstp_hlak(SSTP_AUTH_EAP, SSTP_ROLE_SERVER, cli_recv, 32,
			    cli_send, 32, srv_hlak), 0);
	CHECK_MEM(srv_hlak, cli_send, 32);
	/* A 64-byte key (a whole MSK) gives its first 32 bytes. */
	{
		uint8_t msk[64];

		memcpy(msk, cli_send, 32);
		memcpy(msk + 32, cli_recv, 32);
		CHECK_INT(sstp_hlak(SSTP_AUTH_EAP, SSTP_ROLE_CLIENT, msk, 64,
				    NULL, 0, hlak), 0);
		CHECK_MEM(hlak, cli_send, 32);
	}

	CHECK_INT(sstp_binding_build(&req, &ch, hlak, pkt), 112);
	CHECK_MEM(pkt + 80, expect_cmac, 32);
	CHECK_INT(sstp_cmac(SSTP_HASH_SHA256, hlak, pkt, cmac), 32);
	CHECK_MEM(cmac, expect_cmac, 32);
	CHECK_VERIFY(server_verify(pkt, SSTP_HASH_KNOWN, req.nonce, &ch,
				   srv_hlak), SSTP_VERIFY_OK);
	/* Using the receive key instead, as if it were MS-CHAPv2, fails. */
	CHECK_INT(sstp_hlak(SSTP_AUTH_EAP, SSTP_ROLE_SERVER, cli_send, 32,
			    cli_recv, 32, srv_hlak), 0);
	CHECK_VERIFY(server_verify(pkt, SSTP_HASH_KNOWN, req.nonce, &ch,
				   srv_hlak), SSTP_VERIFY_CMAC_MISMATCH);
}

/* --- HLAK, CMK and hash choice ------------------------------------------ */

static void test_hlak_methods(void)
{
	static const enum sstp_auth_method zero_methods[] = {
		SSTP_AUTH_NONE, SSTP_AUTH_PAP, SSTP_AUTH_CHAP_MD5,
		SSTP_AUTH_MSCHAPV1,
	};
	uint8_t k16a[16], k16b[16], k32[32], hlak[32];
	size_t i;

	rng_fill(k16a, sizeof(k16a));
	rng_fill(k16b, sizeof(k16b));
	rng_fill(k32, sizeof(k32));

	/* Methods without keys: zero, whatever keys are passed. */
	for (i = 0; i < ARRAY_SIZE(zero_methods); i++) {
		memset(hlak, 0xff, sizeof(hlak));
		CHECK_INT(sstp_hlak(zero_methods[i], SSTP_ROLE_CLIENT, NULL, 0,
				    NULL, 0, hlak), 0);
		CHECK(all_zero(hlak, 32));
		memset(hlak, 0xff, sizeof(hlak));
		CHECK_INT(sstp_hlak(zero_methods[i], SSTP_ROLE_SERVER, k16a, 16,
				    k16b, 16, hlak), 0);
		CHECK(all_zero(hlak, 32));
	}

	/* MS-CHAPv2: client send|recv, server recv|send. */
	CHECK_INT(sstp_hlak(SSTP_AUTH_MSCHAPV2, SSTP_ROLE_CLIENT, k16a, 16,
			    k16b, 16, hlak), 0);
	CHECK_MEM(hlak, k16a, 16);
	CHECK_MEM(hlak + 16, k16b, 16);
	CHECK_INT(sstp_hlak(SSTP_AUTH_MSCHAPV2, SSTP_ROLE_SERVER, k16a, 16,
			    k16b, 16, hlak), 0);
	CHECK_MEM(hlak, k16b, 16);
	CHECK_MEM(hlak + 16, k16a, 16);

	/* Refusals leave a zero HLAK, never a half-filled one. */
	memset(hlak, 0xff, sizeof(hlak));
	CHECK_INT(sstp_hlak(SSTP_AUTH_MSCHAPV2, SSTP_ROLE_CLIENT, k32, 32,
			    k32, 32, hlak), -EINVAL);
	CHECK(all_zero(hlak, 32));
	CHECK_INT(sstp_hlak(SSTP_AUTH_MSCHAPV2, SSTP_ROLE_CLIENT, k16a, 16,
			    NULL, 0, hlak), -EINVAL);
	CHECK_INT(sstp_hlak(SSTP_AUTH_MSCHAPV2, SSTP_ROLE_CLIENT, k16a, 16,
			    k16b, 15, hlak), -EINVAL);
	memset(hlak, 0xff, sizeof(hlak));
	CHECK_INT(sstp_hlak(SSTP_AUTH_EAP, SSTP_ROLE_CLIENT, k16a, 16,
			    k16b, 16, hlak), -EINVAL);
	CHECK(all_zero(hlak, 32));
	CHECK_INT(sstp_hlak(SSTP_AUTH_EAP, SSTP_ROLE_SERVER, k32, 32,
			    NULL, 0, hlak), -EINVAL);
	CHECK_INT(sstp_hlak(SSTP_AUTH_EAP, SSTP_ROLE_SERVER, NULL, 0,
			    k32, 32, hlak), 0);
	CHECK_MEM(hlak, k32, 32);
	CHECK_INT(sstp_hlak((enum sstp_auth_method)99, SSTP_ROLE_CLIENT,
			    k16a, 16, k16b, 16, hlak), -EINVAL);
	CHECK_INT(sstp_hlak(SSTP_AUTH_PAP, (enum sstp_role)7, NULL, 0, NULL,
			    0, hlak), -EINVAL);
	CHECK_INT(sstp_hlak(SSTP_AUTH_PAP, SSTP_ROLE_CLIENT, NULL, 0, NULL, 0,
			    NULL), -EINVAL);
}

static void test_cmk_and_choice(void)
{
	uint8_t hlak[32] = { 0 }, cmk[32], cmk2[32], pkt[112] = { 0 }, mac[32];

	CHECK_INT(sstp_hash_len(SSTP_HASH_SHA1), 20);
	CHECK_INT(sstp_hash_len(SSTP_HASH_SHA256), 32);
	CHECK_INT(sstp_hash_len(0), 0);
	CHECK_INT(sstp_hash_len(SSTP_HASH_KNOWN), 0);
	CHECK_INT(sstp_hash_len(0x04), 0);

	CHECK_INT(sstp_hash_choose(SSTP_HASH_KNOWN), SSTP_HASH_SHA256);
	CHECK_INT(sstp_hash_choose(SSTP_HASH_SHA256), SSTP_HASH_SHA256);
	CHECK_INT(sstp_hash_choose(SSTP_HASH_SHA1), SSTP_HASH_SHA1);
	CHECK_INT(sstp_hash_choose(SSTP_HASH_SHA1 | 0xf0), SSTP_HASH_SHA1);
	CHECK_INT(sstp_hash_choose(0xfc), 0);
	CHECK_INT(sstp_hash_choose(0), 0);

	/* A zero HLAK still gives a CMK: PAP sessions are bound too. */
	CHECK_INT(sstp_cmk(SSTP_HASH_SHA256, hlak, cmk), 32);
	CHECK(!all_zero(cmk, 32));
	CHECK_INT(sstp_cmk(SSTP_HASH_SHA1, hlak, cmk2), 20);
	CHECK(all_zero(cmk2 + 20, 12));
	/* Not a prefix of each other: the LEN byte differs. */
	CHECK(memcmp(cmk, cmk2, 20) != 0);

	memset(cmk, 0xff, sizeof(cmk));
	CHECK_INT(sstp_cmk(0, hlak, cmk), -EINVAL);
	CHECK(all_zero(cmk, 32));
	CHECK_INT(sstp_cmk(SSTP_HASH_KNOWN, hlak, cmk), -EINVAL);
	CHECK_INT(sstp_cmk(SSTP_HASH_SHA1, NULL, cmk), -EINVAL);
	CHECK_INT(sstp_cmac(SSTP_HASH_KNOWN, hlak, pkt, mac), -EINVAL);
	CHECK_INT(sstp_cmac(SSTP_HASH_SHA1, hlak, NULL, mac), -EINVAL);

	/* The CMAC field's content does not change the MAC. */
	CHECK_INT(sstp_cmac(SSTP_HASH_SHA256, hlak, pkt, mac), 32);
	memset(pkt + 80, 0x77, 32);
	CHECK_INT(sstp_cmac(SSTP_HASH_SHA256, hlak, pkt, cmk), 32);
	CHECK_MEM(cmk, mac, 32);
	/* Anything else does. */
	pkt[79] ^= 1;
	CHECK_INT(sstp_cmac(SSTP_HASH_SHA256, hlak, pkt, cmk), 32);
	CHECK(memcmp(cmk, mac, 32) != 0);
}

static void test_build_errors(void)
{
	struct sstp_binding_req req = { .hash_mask = 0x04 };
	struct sstp_cert_hashes ch = { .known = SSTP_HASH_SHA1 };
	uint8_t hlak[32] = { 0 }, pkt[112];

	memset(pkt, 0xa5, sizeof(pkt));
	CHECK_INT(sstp_binding_build(&req, &ch, hlak, pkt), -EPROTONOSUPPORT);
	CHECK(all_zero(pkt, sizeof(pkt)));
	req.hash_mask = 0;
	CHECK_INT(sstp_binding_build(&req, &ch, hlak, pkt), -EPROTONOSUPPORT);
	/* SHA-256 offered, but we only have the SHA-1 of the certificate. */
	req.hash_mask = SSTP_HASH_SHA256;
	memset(pkt, 0xa5, sizeof(pkt));
	CHECK_INT(sstp_binding_build(&req, &ch, hlak, pkt), -EINVAL);
	CHECK(all_zero(pkt, sizeof(pkt)));
	/* Both offered: SHA-256 is taken, and so still missing. */
	req.hash_mask = SSTP_HASH_KNOWN;
	CHECK_INT(sstp_binding_build(&req, &ch, hlak, pkt), -EINVAL);
	req.hash_mask = SSTP_HASH_SHA1;
	CHECK_INT(sstp_binding_build(&req, &ch, hlak, pkt), 112);
	CHECK_INT(pkt[SSTP_CALL_CONNECTED_HASH_PROTO_OFF], SSTP_HASH_SHA1);

	CHECK_INT(sstp_binding_build(NULL, &ch, hlak, pkt), -EINVAL);
	CHECK_INT(sstp_binding_build(&req, NULL, hlak, pkt), -EINVAL);
	CHECK_INT(sstp_binding_build(&req, &ch, NULL, pkt), -EINVAL);
	CHECK_INT(sstp_binding_build(&req, &ch, hlak, NULL), -EINVAL);
}

/* --- round trips --------------------------------------------------------- */

/* One session: keys, nonce and certificate as both ends see them. */
struct session {
	uint8_t offered;
	uint8_t nonce[32];
	struct sstp_cert_hashes cert;	/* client's view == server's */
	uint8_t cli_hlak[32];
	uint8_t srv_hlak[32];
	uint8_t pkt[112];
};

static X509 *test_cert;

static void session_init(struct session *s, uint8_t offered,
			 enum sstp_auth_method method)
{
	uint8_t c2s[16], s2c[16];
	struct sstp_binding_req req;

	memset(s, 0, sizeof(*s));
	s->offered = offered;
	rng_fill(s->nonce, sizeof(s->nonce));
	rng_fill(c2s, sizeof(c2s));
	rng_fill(s2c, sizeof(s2c));
	CHECK_INT(sstp_cert_hashes_from_x509(&s->cert, test_cert), 0);
	/* The client sends with c2s; the server receives with it. */
	CHECK_INT(sstp_hlak(method, SSTP_ROLE_CLIENT, c2s, 16, s2c, 16,
			    s->cli_hlak), 0);
	CHECK_INT(sstp_hlak(method, SSTP_ROLE_SERVER, s2c, 16, c2s, 16,
			    s->srv_hlak), 0);
	req.hash_mask = offered;
	memcpy(req.nonce, s->nonce, sizeof(req.nonce));
	CHECK_INT(sstp_binding_build(&req, &s->cert, s->cli_hlak, s->pkt),
		  112);
	OPENSSL_cleanse(c2s, sizeof(c2s));
	OPENSSL_cleanse(s2c, sizeof(s2c));
}

static enum sstp_verify_result session_verify(const struct session *s,
					      const uint8_t *pkt)
{
	return server_verify(pkt, s->offered, s->nonce, &s->cert, s->srv_hlak);
}

static void test_roundtrips(void)
{
	static const struct {
		uint8_t offered, chosen;
	} masks[] = {
		{ SSTP_HASH_SHA1, SSTP_HASH_SHA1 },
		{ SSTP_HASH_SHA256, SSTP_HASH_SHA256 },
		{ SSTP_HASH_KNOWN, SSTP_HASH_SHA256 },
		{ SSTP_HASH_SHA1 | 0x80, SSTP_HASH_SHA1 },
	};
	static const enum sstp_auth_method methods[] = {
		SSTP_AUTH_MSCHAPV2, SSTP_AUTH_PAP, SSTP_AUTH_NONE,
		SSTP_AUTH_CHAP_MD5, SSTP_AUTH_MSCHAPV1,
	};
	struct session s;
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(masks); i++) {
		for (j = 0; j < ARRAY_SIZE(methods); j++) {
			session_init(&s, masks[i].offered, methods[j]);
			CHECK_INT(s.pkt[SSTP_CALL_CONNECTED_HASH_PROTO_OFF],
				  masks[i].chosen);
			CHECK_MEM(s.cli_hlak, s.srv_hlak, 32);
			CHECK_VERIFY(session_verify(&s, s.pkt), SSTP_VERIFY_OK);
			if (masks[i].chosen == SSTP_HASH_SHA1) {
				CHECK(all_zero(s.pkt + 68, 12));
				CHECK(all_zero(s.pkt + 100, 12));
			}
		}
	}
	/* Zero HLAK on both ends really is zero, and still verifies. */
	session_init(&s, SSTP_HASH_KNOWN, SSTP_AUTH_PAP);
	CHECK(all_zero(s.srv_hlak, 32));
	CHECK_VERIFY(session_verify(&s, s.pkt), SSTP_VERIFY_OK);
}

/* --- verification failures ---------------------------------------------- */

static void test_verify_field_flips(void)
{
	static const uint8_t masks[] = { SSTP_HASH_SHA1, SSTP_HASH_SHA256 };
	uint8_t pkt[112];
	struct session s;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(masks); i++) {
		session_init(&s, masks[i], SSTP_AUTH_MSCHAPV2);
		CHECK_VERIFY(session_verify(&s, s.pkt), SSTP_VERIFY_OK);

		memcpy(pkt, s.pkt, sizeof(pkt));
		pkt[SSTP_CALL_CONNECTED_NONCE_OFF + 31] ^= 0x01;
		CHECK_VERIFY(session_verify(&s, pkt),
			     SSTP_VERIFY_NONCE_MISMATCH);

		memcpy(pkt, s.pkt, sizeof(pkt));
		pkt[SSTP_CALL_CONNECTED_CERT_HASH_OFF] ^= 0x80;
		CHECK_VERIFY(session_verify(&s, pkt),
			     SSTP_VERIFY_CERT_HASH_MISMATCH);

		memcpy(pkt, s.pkt, sizeof(pkt));
		pkt[SSTP_CALL_CONNECTED_CMAC_OFF + 5] ^= 0x10;
		CHECK_VERIFY(session_verify(&s, pkt),
			     SSTP_VERIFY_CMAC_MISMATCH);

		/* The attribute's reserved bytes: only the MAC catches it. */
		memcpy(pkt, s.pkt, sizeof(pkt));
		pkt[13] ^= 0x40;
		CHECK_VERIFY(session_verify(&s, pkt),
			     SSTP_VERIFY_CMAC_MISMATCH);

		/* Server offered only the other hash. */
		CHECK_VERIFY(server_verify(s.pkt, SSTP_HASH_KNOWN ^ masks[i],
					   s.nonce, &s.cert, s.srv_hlak),
			     SSTP_VERIFY_HASH_NOT_OFFERED);
		CHECK_VERIFY(server_verify(s.pkt, 0, s.nonce, &s.cert,
					   s.srv_hlak),
			     SSTP_VERIFY_HASH_NOT_OFFERED);
		/* A wrong nonce on our side is the same mismatch. */
		s.nonce[0] ^= 1;
		CHECK_VERIFY(session_verify(&s, s.pkt),
			     SSTP_VERIFY_NONCE_MISMATCH);
		s.nonce[0] ^= 1;
		/* A wrong HLAK on our side, by one bit. */
		s.srv_hlak[17] ^= 4;
		CHECK_VERIFY(session_verify(&s, s.pkt),
			     SSTP_VERIFY_CMAC_MISMATCH);
		s.srv_hlak[17] ^= 4;
		CHECK_VERIFY(session_verify(&s, s.pkt), SSTP_VERIFY_OK);
	}
}

/*
 * Every single-bit flip anywhere in the packet is either refused by the
 * decoder or by the verification, except in the zero padding after a SHA-1
 * Compound MAC: that is outside the MAC and not compared (binding.h).
 */
static void test_verify_every_bit(void)
{
	static const uint8_t masks[] = { SSTP_HASH_SHA1, SSTP_HASH_SHA256 };
	unsigned int decoded, passed_bad;
	uint8_t pkt[112];
	struct session s;
	size_t i, bit;

	for (i = 0; i < ARRAY_SIZE(masks); i++) {
		session_init(&s, SSTP_HASH_KNOWN, SSTP_AUTH_MSCHAPV2);
		if (masks[i] == SSTP_HASH_SHA1) {
			struct sstp_binding_req req = {
				.hash_mask = SSTP_HASH_SHA1,
			};

			memcpy(req.nonce, s.nonce, 32);
			CHECK_INT(sstp_binding_build(&req, &s.cert, s.cli_hlak,
						     s.pkt), 112);
		}
		decoded = passed_bad = 0;
		for (bit = 0; bit < 112 * 8; bit++) {
			size_t byte = bit / 8;
			bool padding = masks[i] == SSTP_HASH_SHA1 &&
				       byte >= SSTP_CALL_CONNECTED_CMAC_OFF + 20;
			struct sstp_ctrl msg;
			enum sstp_verify_result r;

			memcpy(pkt, s.pkt, sizeof(pkt));
			pkt[byte] ^= (uint8_t)(1u << (bit % 8));
			if (sstp_ctrl_decode(pkt, sizeof(pkt), &msg))
				continue;
			decoded++;
			r = sstp_binding_verify(&msg, pkt, sizeof(pkt),
						s.offered, s.nonce, &s.cert,
						s.srv_hlak);
			if (sstp_verify_passed(r) != padding) {
				passed_bad++;
				CHECK_MSG(0, "hash %u: flip of bit %zu gives %s",
					  masks[i], bit, sstp_verify_reason(r));
			}
		}
		CHECK_INT(passed_bad, 0);
		/* Most flips decode fine: the verification did the work. */
		CHECK_MSG(decoded > 700, "only %u flips decoded", decoded);
	}
}

static void test_verify_orientation(void)
{
	uint8_t c2s[16], s2c[16], wrong[32];
	struct session s;

	/* The server building its HLAK as a client would (send|recv). */
	rng_fill(c2s, sizeof(c2s));
	rng_fill(s2c, sizeof(s2c));
	session_init(&s, SSTP_HASH_KNOWN, SSTP_AUTH_PAP);
	CHECK_INT(sstp_hlak(SSTP_AUTH_MSCHAPV2, SSTP_ROLE_CLIENT, c2s, 16, s2c,
			    16, s.cli_hlak), 0);
	{
		struct sstp_binding_req req = { .hash_mask = SSTP_HASH_KNOWN };

		memcpy(req.nonce, s.nonce, 32);
		CHECK_INT(sstp_binding_build(&req, &s.cert, s.cli_hlak, s.pkt),
			  112);
	}
	CHECK_INT(sstp_hlak(SSTP_AUTH_MSCHAPV2, SSTP_ROLE_CLIENT, s2c, 16, c2s,
			    16, wrong), 0);
	CHECK_VERIFY(server_verify(s.pkt, s.offered, s.nonce, &s.cert, wrong),
		     SSTP_VERIFY_CMAC_MISMATCH);
	/* Right keys, right role. */
	CHECK_INT(sstp_hlak(SSTP_AUTH_MSCHAPV2, SSTP_ROLE_SERVER, s2c, 16, c2s,
			    16, s.srv_hlak), 0);
	CHECK_VERIFY(session_verify(&s, s.pkt), SSTP_VERIFY_OK);
	/* The server thinking it was PAP (zero HLAK) when it was not. */
	memset(wrong, 0, sizeof(wrong));
	CHECK_VERIFY(server_verify(s.pkt, s.offered, s.nonce, &s.cert, wrong),
		     SSTP_VERIFY_CMAC_MISMATCH);
	/* A client that used the zero HLAK against a keyed server. */
	session_init(&s, SSTP_HASH_KNOWN, SSTP_AUTH_PAP);
	CHECK_INT(sstp_hlak(SSTP_AUTH_MSCHAPV2, SSTP_ROLE_SERVER, s2c, 16, c2s,
			    16, s.srv_hlak), 0);
	CHECK_VERIFY(session_verify(&s, s.pkt), SSTP_VERIFY_CMAC_MISMATCH);
}

static void test_verify_cert_cases(void)
{
	struct sstp_cert_hashes none = { 0 }, sha1_only, other;
	X509 *mitm = make_cert("mitm.example");
	struct sstp_binding_req req = { .hash_mask = SSTP_HASH_KNOWN };
	struct session s;

	session_init(&s, SSTP_HASH_KNOWN, SSTP_AUTH_MSCHAPV2);

	/* The client saw another certificate (with a valid MAC over it). */
	CHECK_INT(sstp_cert_hashes_from_x509(&other, mitm), 0);
	memcpy(req.nonce, s.nonce, 32);
	CHECK_INT(sstp_binding_build(&req, &other, s.cli_hlak, s.pkt), 112);
	CHECK_VERIFY(session_verify(&s, s.pkt),
		     SSTP_VERIFY_CERT_HASH_MISMATCH);

	/* We do not know our certificate: not checked, and we say so. */
	CHECK_VERIFY(server_verify(s.pkt, s.offered, s.nonce, &none,
				   s.srv_hlak), SSTP_VERIFY_OK_CERT_UNCHECKED);
	CHECK(sstp_verify_passed(SSTP_VERIFY_OK_CERT_UNCHECKED));
	/* The MAC is still checked then. */
	s.srv_hlak[0] ^= 1;
	CHECK_VERIFY(server_verify(s.pkt, s.offered, s.nonce, &none,
				   s.srv_hlak), SSTP_VERIFY_CMAC_MISMATCH);
	s.srv_hlak[0] ^= 1;

	/* Only our SHA-1 known, client chose SHA-256: not comparable. */
	sha1_only = s.cert;
	sha1_only.known = SSTP_HASH_SHA1;
	CHECK_VERIFY(server_verify(s.pkt, s.offered, s.nonce, &sha1_only,
				   s.srv_hlak), SSTP_VERIFY_OK_CERT_UNCHECKED);
	CHECK_INT(sstp_binding_offer_mask(&sha1_only), SSTP_HASH_SHA1);
	CHECK_INT(sstp_binding_offer_mask(&none), SSTP_HASH_KNOWN);
	CHECK_INT(sstp_binding_offer_mask(&s.cert), SSTP_HASH_KNOWN);
	CHECK_INT(sstp_binding_offer_mask(NULL), SSTP_HASH_KNOWN);

	/* Our SHA-1 known and the client used SHA-1 with the MITM's cert. */
	req.hash_mask = SSTP_HASH_SHA1;
	CHECK_INT(sstp_binding_build(&req, &other, s.cli_hlak, s.pkt), 112);
	CHECK_VERIFY(server_verify(s.pkt, SSTP_HASH_SHA1, s.nonce, &sha1_only,
				   s.srv_hlak), SSTP_VERIFY_CERT_HASH_MISMATCH);
	X509_free(mitm);
}

static void test_verify_bad_input(void)
{
	struct sstp_ctrl msg, msg2;
	struct session s, t;
	uint8_t *pkt = malloc(SSTP_CALL_CONNECTED_LEN);

	if (!pkt)
		abort();
	session_init(&s, SSTP_HASH_KNOWN, SSTP_AUTH_MSCHAPV2);
	session_init(&t, SSTP_HASH_KNOWN, SSTP_AUTH_MSCHAPV2);
	memcpy(pkt, s.pkt, SSTP_CALL_CONNECTED_LEN);
	CHECK_INT(sstp_ctrl_decode(pkt, SSTP_CALL_CONNECTED_LEN, &msg), 0);
	CHECK_INT(sstp_ctrl_decode(t.pkt, SSTP_CALL_CONNECTED_LEN, &msg2), 0);
	CHECK_VERIFY(sstp_binding_verify(&msg, pkt, SSTP_CALL_CONNECTED_LEN,
					 s.offered, s.nonce, &s.cert,
					 s.srv_hlak), SSTP_VERIFY_OK);

	/* Decoded message of another packet than the raw bytes given. */
	CHECK_VERIFY(sstp_binding_verify(&msg2, pkt, SSTP_CALL_CONNECTED_LEN,
					 s.offered, s.nonce, &s.cert,
					 s.srv_hlak), SSTP_VERIFY_BAD_PACKET);
	CHECK_VERIFY(sstp_binding_verify(&msg, pkt, 111, s.offered, s.nonce,
					 &s.cert, s.srv_hlak),
		     SSTP_VERIFY_BAD_PACKET);
	CHECK_VERIFY(sstp_binding_verify(NULL, pkt, SSTP_CALL_CONNECTED_LEN,
					 s.offered, s.nonce, &s.cert,
					 s.srv_hlak), SSTP_VERIFY_BAD_PACKET);
	CHECK_VERIFY(sstp_binding_verify(&msg, NULL, SSTP_CALL_CONNECTED_LEN,
					 s.offered, s.nonce, &s.cert,
					 s.srv_hlak), SSTP_VERIFY_BAD_PACKET);
	CHECK_VERIFY(sstp_binding_verify(&msg, pkt, SSTP_CALL_CONNECTED_LEN,
					 s.offered, NULL, &s.cert, s.srv_hlak),
		     SSTP_VERIFY_INTERNAL_ERROR);
	CHECK_VERIFY(sstp_binding_verify(&msg, pkt, SSTP_CALL_CONNECTED_LEN,
					 s.offered, s.nonce, NULL, s.srv_hlak),
		     SSTP_VERIFY_INTERNAL_ERROR);
	CHECK_VERIFY(sstp_binding_verify(&msg, pkt, SSTP_CALL_CONNECTED_LEN,
					 s.offered, s.nonce, &s.cert, NULL),
		     SSTP_VERIFY_INTERNAL_ERROR);
	msg2 = msg;
	msg2.type = SSTP_MSG_CALL_CONNECT_ACK;
	CHECK_VERIFY(sstp_binding_verify(&msg2, pkt, SSTP_CALL_CONNECTED_LEN,
					 s.offered, s.nonce, &s.cert,
					 s.srv_hlak), SSTP_VERIFY_BAD_PACKET);
	free(pkt);
}

static void test_verify_reasons(void)
{
	static const enum sstp_verify_result all[] = {
		SSTP_VERIFY_OK, SSTP_VERIFY_OK_CERT_UNCHECKED,
		SSTP_VERIFY_BAD_PACKET, SSTP_VERIFY_HASH_NOT_OFFERED,
		SSTP_VERIFY_NONCE_MISMATCH, SSTP_VERIFY_CERT_HASH_MISMATCH,
		SSTP_VERIFY_CMAC_MISMATCH, SSTP_VERIFY_INTERNAL_ERROR,
	};
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(all); i++) {
		CHECK(sstp_verify_reason(all[i])[0] != '\0');
		CHECK_INT(sstp_verify_passed(all[i]), i < 2);
		for (j = 0; j < i; j++)
			CHECK(strcmp(sstp_verify_reason(all[i]),
				     sstp_verify_reason(all[j])));
	}
	CHECK(!strcmp(sstp_verify_reason(SSTP_VERIFY_NONCE_MISMATCH),
		      "nonce mismatch"));
	CHECK(!strcmp(sstp_verify_reason(SSTP_VERIFY_HASH_NOT_OFFERED),
		      "hash protocol not offered"));
	CHECK(strstr(sstp_verify_reason(SSTP_VERIFY_CERT_HASH_MISMATCH),
		     "MITM") != NULL);
	CHECK(strstr(sstp_verify_reason(SSTP_VERIFY_CMAC_MISMATCH),
		     "HLAK") != NULL);
	CHECK(strstr(sstp_verify_reason((enum sstp_verify_result)42),
		     "unknown") != NULL);
}

/* --- certificate hashes ------------------------------------------------- */

/*
 * Ask the openssl command for the fingerprint, as an admin would, and read
 * it back through the cert-hash parser. Returns false if there is no
 * openssl command to ask.
 */
static bool openssl_fingerprint(const uint8_t *der, size_t len,
				const char *md, uint8_t proto,
				struct sstp_cert_hashes *out)
{
	char path[] = "/tmp/binding_test.XXXXXX", cmd[160], line[256], *eq;
	char err[160];
	FILE *f;
	int fd = mkstemp(path);
	bool ok = false;

	if (fd < 0 || write(fd, der, len) != (ssize_t)len) {
		CHECK_MSG(0, "cannot write %s", path);
		if (fd >= 0)
			close(fd);
		return true;
	}
	close(fd);
	snprintf(cmd, sizeof(cmd), "openssl x509 -inform DER -noout "
		 "-fingerprint -%s -in %s 2>/dev/null", md, path);
	f = popen(cmd, "r");
	if (f && fgets(line, sizeof(line), f)) {
		/* "sha256 Fingerprint=AB:CD:...\n" */
		line[strcspn(line, "\n")] = '\0';
		eq = strchr(line, '=');
		CHECK_MSG(eq != NULL, "odd openssl output: %s", line);
		if (eq)
			CHECK_MSG(!sstp_cert_hashes_parse(out, proto, eq + 1,
							  err, sizeof(err)),
				  "%s", err);
		ok = true;
	}
	if (f)
		pclose(f);
	unlink(path);
	return ok;
}

static void test_cert_hash(void)
{
	X509 *cert = make_cert("vpn.example");
	struct sstp_cert_hashes a, b, cli = { 0 };
	uint8_t sha1[32] = { 0 }, sha256[32], *der = NULL, *bad;
	unsigned int n;
	int len = i2d_X509(cert, &der);

	CHECK(len > 0);
	if (len <= 0)
		return;
	/* The fingerprint as `openssl x509 -fingerprint` computes it. */
	CHECK(EVP_Digest(der, (size_t)len, sha1, &n, EVP_sha1(), NULL));
	CHECK_INT(n, 20);
	CHECK(EVP_Digest(der, (size_t)len, sha256, &n, EVP_sha256(), NULL));
	CHECK_INT(n, 32);

	memset(&a, 0xee, sizeof(a));
	CHECK_INT(sstp_cert_hashes_from_x509(&a, cert), 0);
	CHECK_INT(a.known, SSTP_HASH_KNOWN);
	CHECK_MEM(a.sha1, sha1, 32);		/* 20 bytes, 12 zeros */
	CHECK_MEM(a.sha256, sha256, 32);

	memset(&b, 0xee, sizeof(b));
	CHECK_INT(sstp_cert_hashes_from_der(&b, der, (size_t)len), 0);
	CHECK_INT(b.known, SSTP_HASH_KNOWN);
	CHECK_MEM(b.sha1, sha1, 32);
	CHECK_MEM(b.sha256, sha256, 32);

	/* The openssl command agrees, through the colon-separated parser. */
	if (openssl_fingerprint(der, (size_t)len, "sha256", SSTP_HASH_SHA256,
				&cli) &&
	    openssl_fingerprint(der, (size_t)len, "sha1", SSTP_HASH_SHA1,
				&cli)) {
		CHECK_INT(cli.known, SSTP_HASH_KNOWN);
		CHECK_MEM(cli.sha256, sha256, 32);
		CHECK_MEM(cli.sha1, sha1, 32);
	} else {
		printf("  note: no openssl command, fingerprint cross-check "
		       "skipped\n");
	}

	/* Not exactly one DER certificate. */
	bad = malloc((size_t)len + 1);
	if (!bad)
		abort();
	memcpy(bad, der, (size_t)len);
	bad[len] = 0;
	CHECK_INT(sstp_cert_hashes_from_der(&b, bad, (size_t)len + 1),
		  -EBADMSG);
	CHECK_INT(b.known, 0);
	CHECK_INT(sstp_cert_hashes_from_der(&b, bad, (size_t)len - 1),
		  -EBADMSG);
	bad[0] ^= 0xff;
	CHECK_INT(sstp_cert_hashes_from_der(&b, bad, (size_t)len), -EBADMSG);
	CHECK_INT(sstp_cert_hashes_from_der(&b, (const uint8_t *)
					    "-----BEGIN CERTIFICATE-----\n",
					    28), -EBADMSG);
	CHECK_INT(sstp_cert_hashes_from_der(&b, der, 0), -EINVAL);
	CHECK_INT(sstp_cert_hashes_from_der(&b, NULL, 10), -EINVAL);
	CHECK_INT(sstp_cert_hashes_from_der(NULL, der, (size_t)len), -EINVAL);
	CHECK_INT(sstp_cert_hashes_from_x509(&b, NULL), -EINVAL);
	CHECK_INT(b.known, 0);
	CHECK_INT(sstp_cert_hashes_from_x509(NULL, cert), -EINVAL);

	free(bad);
	OPENSSL_free(der);
	X509_free(cert);
}

/* Expect the parser to refuse text, with msg somewhere in the error. */
#define CHECK_HEX_BAD(proto, text, msg)					\
	check_hex_bad(__FILE__, __LINE__, proto, text, msg)

static void check_hex_bad(const char *file, int line, uint8_t proto,
			  const char *text, const char *msg)
{
	struct sstp_cert_hashes h, before;
	char err[256] = "";
	int ret;

	memset(&h, 0x3c, sizeof(h));
	before = h;
	ret = sstp_cert_hashes_parse(&h, proto, text, err, sizeof(err));
	unit_count_check();
	if (ret != -EINVAL)
		unit_fail(file, line, "parse of \"%s\" gave %d", text, ret);
	else if (!strstr(err, msg))
		unit_fail(file, line, "parse of \"%s\": error \"%s\" lacks "
			  "\"%s\"", text, err, msg);
	else if (memcmp(&h, &before, sizeof(h)))
		unit_fail(file, line, "failed parse of \"%s\" changed the "
			  "hashes", text);
}

static void test_hex_parse(void)
{
	static const char s256[] =
		"7993ef314c493dace9f02d60e7e61c84b6690aafe9d7aeea92cbbe8ad599422d";
	static const char s256_colons[] =
		"79:93:EF:31:4C:49:3D:AC:E9:F0:2D:60:E7:E6:1C:84:"
		"B6:69:0A:AF:E9:D7:AE:EA:92:CB:BE:8A:D5:99:42:2D";
	static const char s1[] = "5826B629BDA59B8E6FD8DCD2622FD34C534805A5";
	uint8_t expect256[32], expect1[32] = { 0 };
	struct sstp_cert_hashes h = { 0 };
	char err[256], tiny[8];

	unhex(s256, expect256, 32);
	unhex(s1, expect1, 20);

	CHECK_INT(sstp_cert_hashes_parse(&h, SSTP_HASH_SHA256, s256, err,
					 sizeof(err)), 0);
	CHECK_INT(h.known, SSTP_HASH_SHA256);
	CHECK_MEM(h.sha256, expect256, 32);
	memset(&h, 0, sizeof(h));
	CHECK_INT(sstp_cert_hashes_parse(&h, SSTP_HASH_SHA256, s256_colons,
					 err, sizeof(err)), 0);
	CHECK_MEM(h.sha256, expect256, 32);
	/* SHA-1 too, keeping the SHA-256 already there; padding zeroed. */
	memset(h.sha1, 0xff, sizeof(h.sha1));
	CHECK_INT(sstp_cert_hashes_parse(&h, SSTP_HASH_SHA1, s1, NULL, 0), 0);
	CHECK_INT(h.known, SSTP_HASH_KNOWN);
	CHECK_MEM(h.sha1, expect1, 32);
	CHECK_MEM(h.sha256, expect256, 32);
	/* Mixed case is fine. */
	CHECK_INT(sstp_cert_hashes_parse(&h, SSTP_HASH_SHA1,
					 "5826b629BDA59B8E6fd8DCD2622FD34C534805a5",
					 NULL, 0), 0);
	CHECK_MEM(h.sha1, expect1, 32);

	CHECK_HEX_BAD(SSTP_HASH_SHA256, "", "empty");
	CHECK_HEX_BAD(SSTP_HASH_SHA256, s1, "is this a SHA-1 hash?");
	CHECK_HEX_BAD(SSTP_HASH_SHA1, s256, "is this a SHA-256 hash?");
	CHECK_HEX_BAD(SSTP_HASH_SHA1, "5826B629BDA59B8E6FD8DCD2622FD34C534805",
		      "19 bytes");
	CHECK_HEX_BAD(SSTP_HASH_SHA1,
		      "5826B629BDA59B8E6FD8DCD2622FD34C534805A5A5", "21 bytes");
	CHECK_HEX_BAD(SSTP_HASH_SHA1, "5826B629BDA59B8E6FD8DCD2622FD34C534805A",
		      "odd number of hex digits");
	CHECK_HEX_BAD(SSTP_HASH_SHA1, "5826B629BDA59B8E6FD8DCD2622FD34C534805AG",
		      "character 40 ('G')");
	CHECK_HEX_BAD(SSTP_HASH_SHA1, "x826B629BDA59B8E6FD8DCD2622FD34C534805A5",
		      "character 1 ('x')");
	CHECK_HEX_BAD(SSTP_HASH_SHA1, "5826B629BDA59B8E6FD8 DCD2622FD34C534805A5",
		      "byte 0x20");
	CHECK_HEX_BAD(SSTP_HASH_SHA1, " 5826B629BDA59B8E6FD8DCD2622FD34C534805A5",
		      "character 1");
	CHECK_HEX_BAD(SSTP_HASH_SHA1, "5826B629BDA59B8E6FD8DCD2622FD34C534805A5\n",
		      "byte 0x0a");
	CHECK_HEX_BAD(SSTP_HASH_SHA1, "0x5826B629BDA59B8E6FD8DCD2622FD34C534805",
		      "character 2 ('x')");
	/* Colon forms: every pair separated, nothing leading or trailing. */
	CHECK_HEX_BAD(SSTP_HASH_SHA256, ":79:93", "misplaced ':' at character 1");
	CHECK_HEX_BAD(SSTP_HASH_SHA256, "79:93:", "at the end");
	CHECK_HEX_BAD(SSTP_HASH_SHA256, "79::93", "misplaced ':' at character 4");
	CHECK_HEX_BAD(SSTP_HASH_SHA256, "7993:EF", "expected ':' between bytes");
	CHECK_HEX_BAD(SSTP_HASH_SHA256, "79:9:3EF", "odd number of hex digits");
	CHECK_HEX_BAD(SSTP_HASH_SHA256, "79:93:EF", "3 bytes");
	CHECK_HEX_BAD(SSTP_HASH_SHA256, "79-93-EF", "character 3 ('-')");
	CHECK_HEX_BAD(0, s1, "bad arguments");
	CHECK_HEX_BAD(SSTP_HASH_KNOWN, s1, "bad arguments");

	CHECK_INT(sstp_cert_hashes_parse(&h, SSTP_HASH_SHA1, NULL, err,
					 sizeof(err)), -EINVAL);
	CHECK_INT(sstp_cert_hashes_parse(NULL, SSTP_HASH_SHA1, s1, err,
					 sizeof(err)), -EINVAL);
	/* A small error buffer is cut, not overrun (ASan watches). */
	CHECK_INT(sstp_cert_hashes_parse(&h, SSTP_HASH_SHA1, "zz", tiny,
					 sizeof(tiny)), -EINVAL);
	CHECK_INT(strlen(tiny), sizeof(tiny) - 1);
}

static const struct unit_test tests[] = {
	UNIT_TEST(test_vector_sha256_spec),
	UNIT_TEST(test_vector_sha1),
	UNIT_TEST(test_vector_eap_tls),
	UNIT_TEST(test_hlak_methods),
	UNIT_TEST(test_cmk_and_choice),
	UNIT_TEST(test_build_errors),
	UNIT_TEST(test_roundtrips),
	UNIT_TEST(test_verify_field_flips),
	UNIT_TEST(test_verify_every_bit),
	UNIT_TEST(test_verify_orientation),
	UNIT_TEST(test_verify_cert_cases),
	UNIT_TEST(test_verify_bad_input),
	UNIT_TEST(test_verify_reasons),
	UNIT_TEST(test_cert_hash),
	UNIT_TEST(test_hex_parse),
};

int main(void)
{
	int ret;

	test_cert = make_cert("vpn.example");
	ret = unit_run(tests, ARRAY_SIZE(tests));
	X509_free(test_cert);
	return ret;
}
