#!/bin/sh
# The generic netlink API of sstp.ko, check by check (tests/progs/sstp-nltest.c):
# TUNNEL_NEW refusals with their errno and extack message, tunnels on both
# ends of a kTLS pair, GET and dump, SET, CTRL_SEND arriving as CTRL_RECV,
# echo answered inside the kernel, TUNNEL_DOWN to owners and monitors.
# Without CAP_NET_ADMIN (an ordinary user, or root of a user namespace)
# every command and joining the events group fail with EPERM.  Then the
# module is unloaded under two live tunnels, which another network
# namespace can neither see nor delete: rmmod succeeds and their owner
# hears TUNNEL_DOWN with reason "module unloaded".
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

# refused NAME CMD...: CMD runs sstp-nltest --refused and all its checks pass.
refused() {
	_name=$1
	shift
	"$@" >"$WORK/refused-$_name.log" 2>&1 ||
		fail "$_name: $(cat "$WORK/refused-$_name.log")"
	sed "s/^/$_name: /" "$WORK/refused-$_name.log"
}
refused nobody setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$NLTEST" --refused
refused userns-root unshare --user --map-root-user "$NLTEST" --refused
refused userns-root-own-netns unshare --user --map-root-user --net \
	"$NLTEST" --refused events-ok

# The program holds two tunnels until the module goes away under them.
"$NLTEST" --unload-hold >"$WORK/unload.log" 2>&1 &
hold=$!
if ! wait_for 30 grep -q '^ready' "$WORK/unload.log"; then
	kill "$hold" 2>/dev/null
	fail "sstp-nltest --unload-hold never had its tunnels up"
fi
# shellcheck disable=SC2046 # the ids are separate words
unshare --net "$NLTEST" --invisible $(sed -n 's/^ready //p' "$WORK/unload.log") \
	>"$WORK/invisible.log" 2>&1 || {
	kill "$hold" 2>/dev/null
	fail "another netns saw the tunnels: $(cat "$WORK/invisible.log")"
}
cat "$WORK/invisible.log"
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
