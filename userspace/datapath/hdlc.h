/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hdlc.h - PPP in HDLC-like framing on a byte stream ([RFC 1662] section
 * 4), as pppd reads and writes it on a pty through the kernel's ppp_async
 * line discipline.
 *
 * The userspace data path carries a call that sstp.ko cannot: SSTP packets
 * hold bare PPP frames, pppd's pty wants them framed. Each frame is
 * escaped (0x7e and 0x7d always, control characters as an ACCM asks), its
 * FCS-16 appended, and it is closed by a flag. Decoding undoes that and
 * checks the FCS. Neither side allocates; the decoder assembles frames in
 * a buffer the caller gives it.
 */
#ifndef SSTP_HDLC_H
#define SSTP_HDLC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SSTP_HDLC_FLAG		0x7e
#define SSTP_HDLC_ESCAPE	0x7d
#define SSTP_HDLC_XOR		0x20
#define SSTP_HDLC_FCS_INIT	0xffff
/* The FCS over a frame and its own FCS field, when nothing was damaged. */
#define SSTP_HDLC_FCS_GOOD	0xf0b8
#define SSTP_HDLC_FCS_LEN	2
/* Escape every control character: what a peer that negotiated nothing gets. */
#define SSTP_HDLC_ACCM_ALL	0xffffffffu

/* Room the encoding of a @len-byte frame may take: every byte escaped. */
#define SSTP_HDLC_ENCODED_MAX(len) (2 + 2 * ((size_t)(len) + SSTP_HDLC_FCS_LEN))

/* Fold @len more bytes into a running FCS-16 (start at SSTP_HDLC_FCS_INIT). */
uint16_t sstp_hdlc_fcs(uint16_t fcs, const uint8_t *p, size_t len);

/*
 * Frame @len bytes of @frame (a PPP frame: address, control, protocol,
 * information, as the peer would see it) into @out, which has room for
 * SSTP_HDLC_ENCODED_MAX(@len) bytes: an opening flag, the escaped frame
 * and FCS, a closing flag. Control characters 0-31 are escaped when their
 * bit is set in @accm. Returns the bytes written.
 */
size_t sstp_hdlc_encode(const uint8_t *frame, size_t len, uint32_t accm,
			uint8_t *out);

/*
 * What the decoder threw away, since sstp_hdlc_decoder_init(): frames with
 * a bad FCS, frames longer than the buffer, frames too short to hold an
 * FCS and one byte, and frames the sender aborted (0x7d 0x7e).
 */
struct sstp_hdlc_drops {
	uint64_t bad_fcs;
	uint64_t too_long;
	uint64_t runt;
	uint64_t aborted;
};

/*
 * The decoder's state between reads: the frame being assembled (in the
 * caller's @buf of @cap bytes), its running FCS, whether the last byte
 * read was an escape, whether bytes are being skipped up to the next flag
 * (before the first one, and after a frame too long for @buf).
 */
struct sstp_hdlc_decoder {
	uint8_t *buf;
	size_t cap;
	size_t len;
	uint16_t fcs;
	bool escaped;
	bool skipping;
	struct sstp_hdlc_drops drops;
};

/*
 * Start decoding into @buf: frames of up to @cap bytes, FCS included, are
 * taken; a longer one is dropped whole.
 */
void sstp_hdlc_decoder_init(struct sstp_hdlc_decoder *d, uint8_t *buf,
			    size_t cap);

/*
 * Read from *@in (*@in_len bytes, both advanced past what was read) up to
 * the end of the next good frame. Bytes before the first flag belong to
 * no frame and are skipped, as are empty frames (two flags in a row); bad
 * frames are counted in d->drops.
 *
 * Returns the frame's length without its FCS (> 0) with *@frame pointing
 * into the decoder's buffer, valid until the next call; or 0 once all the
 * input is read with no frame completed (a frame begun waits in the
 * buffer for the next input).
 */
size_t sstp_hdlc_decode(struct sstp_hdlc_decoder *d, const uint8_t **in,
			size_t *in_len, const uint8_t **frame);

#endif /* SSTP_HDLC_H */
