#!/bin/sh
# The call gate: before userspace marks the call connected, PPP control
# protocols pass (LCP and IPCP come up) but IP frames are dropped and
# counted; once both ends open the gate, ping passes.
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

load_modules
make_netns
make_cert

# shellcheck disable=SC2086 # the option lists are word lists
start_server --plugin "$PLUGIN" -- $PPPD_SRV
# shellcheck disable=SC2086
start_client --plugin "$PLUGIN" -- $PPPD_CLI

wait_for 30 has_addr cli ppp20 198.51.100.2 || fail "IPCP did not come up through the closed gate"
if ip netns exec cli ping -c 2 -i 0.2 -W 1 198.51.100.1 >/dev/null 2>&1; then
	fail "ping passed the closed gate"
fi
kill -USR1 "$srv" "$cli"
wait_for 10 log_has "$WORK/srv.log" "^gate open" || fail "server gate did not open"
wait_for 10 log_has "$WORK/cli.log" "^gate open" || fail "client gate did not open"
ip netns exec cli ping -c 3 -i 0.2 -W 2 198.51.100.1 >/dev/null 2>&1 ||
	fail "ping did not pass the open gate"

stop "$cli"
wait "$srv"
gate=$(sed -n 's/^down .* gate \([0-9]*\) .*/\1/p' "$WORK/cli.log")
[ "${gate:-0}" -ge 2 ] || fail "client counted ${gate:-no} gate drops, want >= 2"
cat "$WORK/srv.log" "$WORK/cli.log"
