// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The server's check of a client's Call Connected (the crypto binding),
 * against fixed keys: whatever arrives decodes and verifies without a
 * fault, and only the one packet built from those keys passes.
 */
#include <string.h>

#include <sstp/wire.h>

#include "call/binding.h"
#include "fuzz.h"

static const uint8_t nonce[SSTP_NONCE_LEN] = { 1, 2, 3, 4 };
static const uint8_t hlak[SSTP_HLAK_LEN] = { 5, 6, 7, 8 };

static void fixed_cert(struct sstp_cert_hashes *h)
{
	memset(h, 0, sizeof(*h));
	h->known = SSTP_HASH_SHA256;
	memset(h->sha256, 0x5a, 32);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sstp_ctrl msg;
	struct sstp_cert_hashes cert;
	struct sstp_binding_req req = { .hash_mask = SSTP_HASH_SHA256 };
	uint8_t good[SSTP_CALL_CONNECTED_LEN];
	enum sstp_verify_result r;

	if (sstp_ctrl_decode(data, size, &msg))
		return 0;
	fixed_cert(&cert);
	r = sstp_binding_verify(&msg, data, size, SSTP_HASH_SHA256, nonce,
				&cert, hlak);
	if (!sstp_verify_passed(r))
		return 0;
	/* It passed: it must be the packet the keys make. */
	memcpy(req.nonce, nonce, sizeof(nonce));
	FUZZ_ASSERT(sstp_binding_build(&req, &cert, hlak, good) ==
		    SSTP_CALL_CONNECTED_LEN);
	FUZZ_ASSERT(size == sizeof(good) && !memcmp(data, good, size));
	return 0;
}
