#!/bin/sh
# Teardown orders that do not start from userspace: pppd dies (the tunnel
# stays up, owned by its helper), then the peer resets the TCP connection
# (the tunnel goes down with reason "TCP reset"); the module unloads.
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

load_modules
make_netns
make_cert

start_server --raw --seconds 20 --reset
# shellcheck disable=SC2086 # the option list is a word list
start_client --plugin "$PLUGIN" -- $PPPD_CLI
wait_for 15 sh -c "pidof pppd" || fail "pppd did not start"
sleep 1
kill -KILL "$(pidof pppd)"
wait_for 10 log_has "$WORK/cli.log" "^pppd exited 137" || fail "pppd kill not seen"
log_has "$WORK/cli.log" "^down" && fail "tunnel went down when pppd died"
wait_for 40 log_has "$WORK/cli.log" "^down TCP reset" || fail "tunnel not down on a reset"
wait "$cli"
wait "$srv"
rmmod sstp || fail "rmmod sstp"
cat "$WORK/cli.log" "$WORK/srv.log"
