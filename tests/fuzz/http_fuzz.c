// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The HTTP parsers: the server's view of a client's request, the client's
 * view of a server's response and of an HTTP proxy's answer to CONNECT.
 * A positive return must point inside the input.
 */
#include <sys/types.h>

#include "fuzz.h"
#include "call/http.h"
#include "client/http-connect.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sstp_http_request req;
	struct sstp_http_response resp;
	char msg[256];
	int n;

	n = sstp_http_parse_request(data, size, &req);
	FUZZ_ASSERT(n <= (int)size);
	n = sstp_http_parse_response(data, size, &resp);
	FUZZ_ASSERT(n <= (int)size);
	if (n > 0)
		sstp_http_response_check(&resp, msg, sizeof(msg));
	n = sstp_http_parse_connect_response(data, size, &resp);
	FUZZ_ASSERT(n <= (int)size);
	if (n > 0) {
		sstp_http_connect_check(&resp, false, msg, sizeof(msg));
		sstp_http_connect_check(&resp, true, msg, sizeof(msg));
	}
	return 0;
}
