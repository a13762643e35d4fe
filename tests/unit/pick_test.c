// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for userspace/datapath/pick.c: auto takes sstp.ko only when
 * the module is there and the kernel's TLS runs the call's cipher, and
 * says why; kernel and user are taken as asked.
 */
#include <string.h>

#include <openssl/ssl.h>

#include "datapath/pick.h"
#include "unit.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static void test_pick(void)
{
	static const unsigned char gcm[2] = { 0x13, 0x01 };	/* TLS_AES_128_GCM_SHA256 */
	static const unsigned char cbc[2] = { 0x00, 0x35 };	/* AES256-SHA (CBC) */
	SSL_CTX *ctx = SSL_CTX_new(TLS_method());
	SSL *ssl = ctx ? SSL_new(ctx) : NULL;
	const SSL_CIPHER *aead = ssl ? SSL_CIPHER_find(ssl, gcm) : NULL;
	const SSL_CIPHER *block = ssl ? SSL_CIPHER_find(ssl, cbc) : NULL;
	char why[160];

	CHECK(aead != NULL && block != NULL);
	if (!aead || !block)
		goto out;
	CHECK_INT(sstp_datapath_pick(SSTP_DATAPATH_AUTO, aead, true, why,
				     sizeof(why)), SSTP_DATAPATH_KERNEL);
	CHECK(strstr(why, "sstp.ko runs TLS_AES_128_GCM_SHA256") != NULL);
	CHECK_INT(sstp_datapath_pick(SSTP_DATAPATH_AUTO, aead, false, why,
				     sizeof(why)), SSTP_DATAPATH_USER);
	CHECK(strstr(why, "sstp.ko is not available") != NULL);
	CHECK_INT(sstp_datapath_pick(SSTP_DATAPATH_AUTO, block, true, why,
				     sizeof(why)), SSTP_DATAPATH_USER);
	CHECK(strstr(why, "does not run AES256-SHA") != NULL);
	/* Asked for by name: taken, whatever the machine has. */
	CHECK_INT(sstp_datapath_pick(SSTP_DATAPATH_KERNEL, block, false, why,
				     sizeof(why)), SSTP_DATAPATH_KERNEL);
	CHECK_INT(sstp_datapath_pick(SSTP_DATAPATH_USER, aead, true, why,
				     sizeof(why)), SSTP_DATAPATH_USER);
out:
	SSL_free(ssl);
	SSL_CTX_free(ctx);
}

int main(void)
{
	static const struct unit_test tests[] = {
		UNIT_TEST(test_pick),
	};

	return unit_run(tests, ARRAY_SIZE(tests));
}
