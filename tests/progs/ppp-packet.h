/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ppp-packet.h - the test peers' PPP: one control packet (LCP, PAP, IPCP)
 * framed as sstpc and Windows send it, in an SSTP data packet with the
 * HDLC address and control bytes (FF 03) before the protocol.
 */
#ifndef SSTP_TEST_PPP_PACKET_H
#define SSTP_TEST_PPP_PACKET_H

#include <stdint.h>
#include <string.h>

#include "sstp/wire.h"

/* SSTP header, FF 03, protocol, then code, id and length. */
#define PPP_PACKET_OVERHEAD	(SSTP_HDR_LEN + 4 + 4)

/*
 * Packet @code/@id of @proto with @body into @pkt (@size bytes).
 * Return: its length, or 0 when it does not fit.
 */
static inline size_t ppp_packet(uint8_t *pkt, size_t size, uint16_t proto,
				uint8_t code, uint8_t id, const uint8_t *body,
				size_t blen)
{
	size_t len = PPP_PACKET_OVERHEAD + blen;

	if (len > size || len > SSTP_MAX_PACKET)
		return 0;
	sstp_hdr_encode(pkt, false, (uint16_t)len);
	pkt[4] = 0xff;
	pkt[5] = 0x03;
	pkt[6] = (uint8_t)(proto >> 8);
	pkt[7] = (uint8_t)proto;
	pkt[8] = code;
	pkt[9] = id;
	pkt[10] = (uint8_t)((4 + blen) >> 8);
	pkt[11] = (uint8_t)(4 + blen);
	if (blen)
		memcpy(pkt + 12, body, blen);
	return len;
}

#endif /* SSTP_TEST_PPP_PACKET_H */
