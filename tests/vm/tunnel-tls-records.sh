#!/bin/sh
# TLS records other than data end the tunnel with their reason: a fatal
# alert (handshake failure, 40) as "TLS alert" with the alert as detail; a
# close_notify alert as the peer closing; a KeyUpdate, which kTLS cannot
# follow, as "TLS error" with EKEYEXPIRED (127).
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

load_modules
make_netns
make_cert

# expect_down RECORD REGEX: a raw peer sends RECORD; the tunnel's down
# line must match REGEX.
expect_down() {
	start_server
	start_client --raw --seconds 30 --record "$1"
	wait_for 15 log_has "$WORK/srv.log" "^down $2" ||
		fail "record $1: tunnel not down with '$2'"
	wait "$srv"
	wait "$cli"
	cat "$WORK/srv.log"
}

expect_down 21:0228 "TLS alert detail 40 "
expect_down 21:0100 "peer closed "
expect_down 22:1800000100 "TLS error detail 127 "
