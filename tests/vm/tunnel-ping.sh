#!/bin/sh
# Two tunnel ends over kTLS, each with pppd on its sstp.ko channel: IPCP
# comes up and ping crosses the tunnel both ways; a frame too big for one
# SSTP packet is dropped and counted, never sent. Then the client end is
# deleted: both ends report the tunnel down (deleted / peer closed), both
# pppd exit, and the module unloads.
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

load_modules
make_netns
make_cert

# shellcheck disable=SC2086 # the option lists are word lists
start_server --open-gate --plugin "$PLUGIN" -- $PPPD_SRV
# shellcheck disable=SC2086
start_client --open-gate --plugin "$PLUGIN" -- $PPPD_CLI

wait_for 30 has_addr cli ppp20 198.51.100.2 || fail "client ppp20 never got its address"
wait_for 10 has_addr srv ppp10 198.51.100.1 || fail "server ppp10 never got its address"

ip netns exec cli ping -c 3 -i 0.2 -W 2 198.51.100.1 >"$WORK/ping-cli.log" 2>&1 ||
	fail "ping from client to server through the tunnel"
ip netns exec srv ping -c 3 -i 0.2 -W 2 198.51.100.2 >"$WORK/ping-srv.log" 2>&1 ||
	fail "ping from server to client through the tunnel"

# ppp would send a 5028-byte IP packet; SSTP carries at most 4091 bytes.
ip -n cli link set ppp20 mtu 6000 || fail "cannot raise ppp20's MTU"
if ip netns exec cli ping -c 1 -s 5000 -W 1 198.51.100.1 >/dev/null 2>&1; then
	fail "a 5028-byte frame crossed the tunnel"
fi

stop "$cli"
wait_for 10 gone "$srv" || fail "server end did not notice the client leaving"
wait "$srv"
grep -q '^down deleted' "$WORK/cli.log" || fail "client end: no 'down deleted' event"
grep -q '^down peer closed' "$WORK/srv.log" || fail "server end: no 'down peer closed' event"
grep -q '^pppd exited' "$WORK/cli.log" || fail "client pppd did not exit"
grep -q '^pppd exited' "$WORK/srv.log" || fail "server pppd did not exit"
rx=$(sed -n 's/^down .* rx \([0-9]*\) .*/\1/p' "$WORK/srv.log")
[ "${rx:-0}" -ge 6 ] || fail "server end counted ${rx:-no} received frames, want >= 6"

oversize=$(sed -n 's/^down .* oversize \([0-9]*\) .*/\1/p' "$WORK/cli.log")
[ "${oversize:-0}" -ge 1 ] || fail "client end counted ${oversize:-no} oversize drops"

rmmod sstp || fail "rmmod sstp"
cat "$WORK/cli.log" "$WORK/srv.log"
echo "ping crossed the tunnel both ways; teardown clean"
