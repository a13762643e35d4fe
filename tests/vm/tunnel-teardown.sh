#!/bin/sh
# Teardown orders that do not start from userspace: pppd dies (the tunnel
# stays up, owned by its helper), then the peer resets the TCP connection
# (the tunnel goes down with reason "TCP reset"); the module unloads.
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

load_modules
make_netns
make_cert

# The peer resets when told (SIGTERM), not after a fixed time: a loaded
# debug guest once took more than 20 s to get to the pppd step.
start_server --raw --seconds 300 --reset
# shellcheck disable=SC2086 # the option list is a word list
start_client --plugin "$PLUGIN" -- $PPPD_CLI
# pppd_attached: pppd holds /dev/ppp, so it has attached to the channel.
pppd_attached() {
	_p=$(pidof pppd) && ls -l "/proc/$_p/fd" 2>/dev/null | grep -q ' -> /dev/ppp$'
}
wait_for 15 pppd_attached || fail "pppd did not attach to the channel"
kill -KILL "$(pidof pppd)"
wait_for 10 log_has "$WORK/cli.log" "^pppd exited 137" || fail "pppd kill not seen"
log_has "$WORK/cli.log" "^down" && fail "tunnel went down when pppd died"
kill -TERM "$srv"
wait_for 40 log_has "$WORK/cli.log" "^down TCP reset" || fail "tunnel not down on a reset"
wait "$cli"
wait "$srv"
rmmod sstp || fail "rmmod sstp"
cat "$WORK/cli.log" "$WORK/srv.log"
