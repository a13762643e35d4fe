#!/bin/sh
# A peer that breaks SSTP framing takes the tunnel down with reason
# "protocol error" and the connection is shut down; what is merely odd
# is survived. Four peers, one after another:
#  1. version 2.0 in the header: protocol error, and the tunnel ends TLS
#     with a close_notify alert before it shuts the connection down;
#  2. one byte per TLS record: an Echo Request (answered), a control
#     packet of an unknown type (ignored), a Call Connect Request (relayed
#     whole), then a header whose length, 3, is shorter than a header:
#     protocol error;
#  3. a data packet of the largest length, 4095 (dropped at the closed
#     gate, counted), then a length that promises more bytes than come
#     before the peer closes: peer closed, nothing invented;
#  4. a Call Connect Request whose attribute runs past the packet: protocol
#     error.
# Meanwhile a bystander, a second tunnel with pppd at both ends, answers
# the pings sent through it during each.
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

ECHO_REQUEST=1001000800080000
ECHO_RESPONSE=1001000800090000
UNKNOWN_TYPE=10010008000a0000
CONNECT_REQUEST=1001000e00010001000100060001
BAD_ATTRIBUTE=1001000e00010001000100100001

load_modules
make_netns
make_cert
start_bystander

# peer NAME REASON TESTPEER-OPTIONS...: one tunnel end in srv, one raw peer
# sending in cli; the tunnel must go down with REASON. Logs: NAME.*.log.
peer() {
	_name=$1 _reason=$2
	shift 2
	start_server
	bystander_ping "$_name" 3
	start_client --raw "$@"
	wait_for 60 log_has "$WORK/srv.log" "^down $_reason" ||
		fail "$_name: tunnel not down with '$_reason': $(cat "$WORK/srv.log")"
	wait "$srv"
	stop "$cli"
	bystander_answered "$_name"
	mv "$WORK/srv.log" "$WORK/$_name.srv.log"
	mv "$WORK/cli.log" "$WORK/$_name.cli.log"
}

peer version "protocol error" --seconds 30 --send 2001000800080000
log_has "$WORK/version.cli.log" "^eof" || fail "version: peer did not see the connection closed"
log_has "$WORK/version.cli.log" "^record 21 0100$" ||
	fail "version: no TLS close_notify before the end"

peer split "protocol error" --seconds 60 --split \
	--send "$ECHO_REQUEST$UNKNOWN_TYPE${CONNECT_REQUEST}10000003"
log_has "$WORK/split.cli.log" "^recv $ECHO_RESPONSE" ||
	fail "split: no Echo Response to an Echo Request cut into 8 records"
log_has "$WORK/split.srv.log" "^ctrl $CONNECT_REQUEST\$" ||
	fail "split: the Call Connect Request was not relayed whole"
log_has "$WORK/split.srv.log" "^ctrl 10010008000a" &&
	fail "split: a control packet of unknown type was relayed"

data=$(printf '10000fffff030021'; head -c 4087 /dev/zero | od -An -v -tx1 | tr -d ' \n')
peer short "peer closed" --seconds 1 --send "${data}10000fff0102030405060708090a"
log_has "$WORK/short.srv.log" "^down peer closed .* rx 0 tx 0 gate 1 " ||
	fail "short: want the 4095-byte packet counted at the gate and no frame made of the cut one"

peer attribute "protocol error" --seconds 30 --send "$BAD_ATTRIBUTE"
stop_bystander

cat "$WORK"/*.srv.log
