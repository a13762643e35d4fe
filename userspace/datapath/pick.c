// SPDX-License-Identifier: GPL-2.0-or-later
/* pick.c - which carrier takes a call (pick.h). */
#include <stdio.h>

#include "datapath/genl.h"
#include "datapath/pick.h"
#include "transport/ktls.h"

enum sstp_datapath sstp_datapath_pick(enum sstp_datapath want,
				      const SSL_CIPHER *cipher, bool module,
				      char *why, size_t whylen)
{
	const char *name = cipher ? SSL_CIPHER_get_name(cipher) : "no cipher";

	if (want != SSTP_DATAPATH_AUTO)
		return want;
	if (!module) {
		snprintf(why, whylen, "sstp.ko is not available");
		return SSTP_DATAPATH_USER;
	}
	if (!cipher || !sstp_ktls_carries(cipher)) {
		snprintf(why, whylen, "the kernel's TLS does not run %s", name);
		return SSTP_DATAPATH_USER;
	}
	snprintf(why, whylen, "sstp.ko runs %s", name);
	return SSTP_DATAPATH_KERNEL;
}

bool sstp_datapath_module(char *why, size_t whylen)
{
	struct sstp_genl g = { 0 };
	bool ok = !sstp_genl_open(&g);

	if (!ok)
		snprintf(why, whylen, "%s", g.err);
	sstp_genl_close(&g);
	return ok;
}
