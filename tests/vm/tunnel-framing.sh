#!/bin/sh
# A peer that breaks SSTP framing (version 2.0 in the header) takes the
# tunnel down with reason "protocol error"; the connection is shut down.
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

load_modules
make_netns
make_cert

start_server
start_client --raw --seconds 60 --send 2001000800080000
wait_for 15 log_has "$WORK/srv.log" "^down protocol error" ||
	fail "tunnel not down for a framing error"
wait_for 10 log_has "$WORK/cli.log" "^eof" || fail "peer did not see the connection closed"
wait "$srv"
wait "$cli"
cat "$WORK/srv.log" "$WORK/cli.log"
