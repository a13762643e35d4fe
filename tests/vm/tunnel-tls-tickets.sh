#!/bin/sh
# TLS 1.3 servers may send session tickets after the client has handed its
# socket to the kernel: sstp.ko skips them and the tunnel keeps working
# (it answers the Echo Request that follows the two tickets).
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

load_modules
make_netns
make_cert

ip netns exec srv "$BIN/sstp-testpeer" --listen 192.0.2.1:443 \
	--cert "$WORK/cert.pem" --key "$WORK/key.pem" --tls 1.3 --tickets 2 \
	--raw --seconds 60 --send 1001000800080000 >"$WORK/srv.log" 2>"$WORK/srv.err.log" &
srv=$!
wait_for 10 listening "$srv" 443 || fail "server not listening"
start_client --tls 1.3
wait_for 15 log_has "$WORK/srv.log" "^recv 1001000800090000" ||
	fail "no Echo Response after the tickets"
log_has "$WORK/cli.log" "^down" && fail "the tunnel went down over the tickets"
stop "$cli"
wait "$srv"
cat "$WORK/srv.log" "$WORK/cli.log"
