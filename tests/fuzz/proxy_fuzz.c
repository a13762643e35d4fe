// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The PROXY protocol header (v1 and v2) a load balancer puts before TLS.
 * A header length must lie inside the input, and any prefix of an input
 * that parses must ask for more bytes or fail, never parse differently.
 */
#include <errno.h>

#include "fuzz.h"
#include "transport/proxy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sstp_proxy_info info;
	int n, m;

	n = sstp_proxy_parse(data, size, &info);
	FUZZ_ASSERT(n <= (int)size);
	if (n > 0 && size > 1) {
		m = sstp_proxy_parse(data, (size_t)n - 1, &info);
		FUZZ_ASSERT(m <= 0);
	}
	return 0;
}
