#!/bin/sh
# The generic netlink API of sstp.ko, check by check (tests/progs/sstp-nltest.c):
# TUNNEL_NEW refusals with their errno and extack message, tunnels on both
# ends of a kTLS pair, GET and dump, SET, CTRL_SEND arriving as CTRL_RECV,
# echo answered inside the kernel, TUNNEL_DOWN to owners and monitors.
# Then the module is unloaded under two live tunnels: rmmod succeeds and
# their owner hears TUNNEL_DOWN with reason "module unloaded".
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

NLTEST=$BIN/sstp-nltest
[ -x "$NLTEST" ] || fail "$NLTEST missing: run 'make userspace' on the host"

load_modules

# Every check, with the module freshly loaded (the dump expects no others).
# A failure here is reported at the end: the unload check still runs.
"$NLTEST" >"$WORK/nltest.log" 2>&1
checks_rc=$?
cat "$WORK/nltest.log"

# The program holds two tunnels until the module goes away under them.
"$NLTEST" --unload-hold >"$WORK/unload.log" 2>&1 &
hold=$!
if ! wait_for 30 grep -q '^ready' "$WORK/unload.log"; then
	kill "$hold" 2>/dev/null
	fail "sstp-nltest --unload-hold never had its tunnels up"
fi
rmmod sstp || { kill "$hold" 2>/dev/null; fail "rmmod sstp with live tunnels"; }
if grep -q '^sstp ' /proc/modules; then
	kill "$hold" 2>/dev/null
	fail "sstp still loaded after rmmod"
fi
wait "$hold"
rc=$?
cat "$WORK/unload.log"
[ "$rc" = 0 ] || fail "sstp-nltest --unload-hold: exit $rc"
[ "$checks_rc" = 0 ] || fail "sstp-nltest: exit $checks_rc (FAIL lines above)"

echo "netlink API checks passed; module unloaded under live tunnels"
