#!/bin/sh
# Keepalive in the kernel: with a 1 s hello interval and a 3 s keepalive
# timeout, a peer that stays silent first gets an Echo Request, then the
# tunnel goes down with reason "keepalive timeout" and the kernel shuts the
# connection down (the peer reads EOF).
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

load_modules
make_netns
make_cert

start_server --hello 1 --keepalive 3
start_client --raw --seconds 60
wait_for 15 log_has "$WORK/cli.log" "^recv 1001000800080000" ||
	fail "no Echo Request from the kernel after the hello interval"
wait_for 15 log_has "$WORK/srv.log" "^down keepalive timeout" ||
	fail "tunnel not down after the keepalive timeout"
wait_for 10 log_has "$WORK/cli.log" "^eof" || fail "peer did not see the connection closed"
log_has "$WORK/cli.log" "^record 21 0100$" || fail "no TLS close_notify before the end"
wait "$srv"
wait "$cli"
cat "$WORK/srv.log" "$WORK/cli.log"
