#!/bin/sh
# sstp.ko answers an SSTP Echo Request itself, and relays other control
# packets to the tunnel's owner: a raw peer sends an Echo Request and a
# Call Connect Request in one write; it gets the Echo Response back from
# the kernel, and the owner gets exactly the Connect Request as an event.
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

ECHO_REQUEST=1001000800080000
ECHO_RESPONSE=1001000800090000
CONNECT_REQUEST=1001000e00010001000100060001

load_modules
make_netns
make_cert

start_server
start_client --raw --seconds 60 --send "${ECHO_REQUEST}${CONNECT_REQUEST}"
wait_for 15 log_has "$WORK/cli.log" "^recv $ECHO_RESPONSE" ||
	fail "no Echo Response from the kernel"
wait_for 10 log_has "$WORK/srv.log" "^ctrl ${CONNECT_REQUEST}\$" ||
	fail "Call Connect Request not relayed to the owner"
log_has "$WORK/srv.log" "^ctrl $ECHO_REQUEST" &&
	fail "the Echo Request was relayed to userspace"
stop "$srv"
wait "$cli"
log_has "$WORK/srv.log" "^down deleted" || fail "server end: no 'down deleted'"
cat "$WORK/srv.log" "$WORK/cli.log"
