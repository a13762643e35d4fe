#!/bin/sh
# The generic netlink API of sstp.ko, check by check (tests/progs/sstp-nltest.c):
# TUNNEL_NEW refusals with their errno and extack message, tunnels on both
# ends of a kTLS pair, GET and dump, SET, CTRL_SEND arriving as CTRL_RECV,
# echo answered inside the kernel, TUNNEL_DOWN to owners and monitors.
# Linux's ynl cli, driven by our spec (Documentation/netlink/specs/sstp.yaml),
# dumps no tunnels, and gets the errors and extack messages the spec and the
# module agree on for a tunnel id that does not exist and for id 0.
# 10,000 tunnels made and deleted one after another leave none behind and
# the slab where it was (the debug kernel's kmemleak scans 300 of them).
# Without CAP_NET_ADMIN (an ordinary user, or root of a user namespace)
# every command and joining the events group fail with EPERM.  Then the
# module is unloaded under 102 live tunnels, two of which another network
# namespace can neither see nor delete: rmmod succeeds and their owner
# hears TUNNEL_DOWN with reason "module unloaded".
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

NLTEST=$BIN/sstp-nltest
[ -x "$NLTEST" ] || fail "$NLTEST missing: run 'make userspace' on the host"

load_modules

# ynl: Linux's generic netlink client, with our spec (tools/ynl.sh, run on
# the host by tools/vm/prepare.sh, put it in the cache).
YNL_DIR=${SSTP_VM_CACHE:-/var/cache/sstp-vm}/ynl
[ -f "$YNL_DIR/tools/net/ynl/cli.py" ] ||
	fail "$YNL_DIR missing: run tools/ynl.sh on the host"
# ynl_cli ARGS...: cli.py on the spec, its output in $WORK/ynl.log.
ynl_cli() {
	/usr/bin/python3 "$YNL_DIR/tools/net/ynl/cli.py" \
		--spec "$SSTP_SRC/Documentation/netlink/specs/sstp.yaml" \
		--schema "$YNL_DIR/Documentation/netlink/genetlink-legacy.yaml" \
		"$@" >"$WORK/ynl.log" 2>&1
}
ynl_cli --dump tunnel-get --output-json ||
	fail "ynl dump of tunnel-get: $(cat "$WORK/ynl.log")"
[ "$(cat "$WORK/ynl.log")" = "[]" ] ||
	fail "ynl dump of tunnel-get on a fresh module: $(cat "$WORK/ynl.log")"
echo "ynl: tunnel-get dump: $(cat "$WORK/ynl.log")"
# ynl_refused WHAT JSON ERROR EXTACK [MORE]: tunnel-get with JSON fails
# with strerror ERROR, an extack message EXTACK, and MORE in the extack.
ynl_refused() {
	! ynl_cli --do tunnel-get --json "$2" ||
		fail "ynl tunnel-get $1 succeeded: $(cat "$WORK/ynl.log")"
	if ! grep -q "Netlink error: $3" "$WORK/ynl.log" ||
		! grep -q "'msg': '$4'" "$WORK/ynl.log" ||
		! grep -qF "${5:-extack}" "$WORK/ynl.log"; then
		fail "ynl tunnel-get $1: want '$3', '$4' ${5:+and $5}: $(cat "$WORK/ynl.log")"
	fi
	echo "ynl: tunnel-get $1: $3 ($4)"
}
ynl_refused "of no tunnel" '{"tunnel-id": 4000000}' \
	"No such file or directory" "no such tunnel"
# The spec's minimum, in the policy the kernel reports with the error.
ynl_refused "of id 0" '{"tunnel-id": 0}' \
	"Numerical result out of range" "integer out of range" "'min-value': 1,"

# Every check, with the module freshly loaded (the dump expects no others).
# A failure here is reported at the end: the unload check still runs.
"$NLTEST" >"$WORK/nltest.log" 2>&1
checks_rc=$?
cat "$WORK/nltest.log"

# On the debug kernel 300 do (kmemleak reports a single lost
# object) in a fraction of the time.
cycles=10000
[ "$SSTP_KERNEL" = debug ] && cycles=300
before=$(unreclaimable_kb)
"$NLTEST" --cycles $cycles >"$WORK/cycles.log" 2>&1 ||
	fail "tunnel cycles: $(cat "$WORK/cycles.log")"
grew=$(($(unreclaimable_kb) - before))
cat "$WORK/cycles.log"
echo "$cycles tunnel cycles: unreclaimable slab grew by $grew kB"
# Caches keep some objects: a leak of one object per tunnel would be more.
# KASAN's quarantine holds freed objects back, so on the debug kernel
# kmemleak (after the test) is the judge instead.
if [ "$SSTP_KERNEL" != debug ] && [ "$grew" -ge 2048 ]; then
	fail "$cycles tunnel cycles left $grew kB of slab"
fi

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
# The debug kernel is built without user namespaces (CONFIG_USER_NS);
# Debian's have them, and the checks are the module's, the same on all.
if unshare --user --map-root-user true 2>/dev/null; then
	refused userns-root unshare --user --map-root-user "$NLTEST" --refused
	refused userns-root-own-netns unshare --user --map-root-user --net \
		"$NLTEST" --refused events-ok
elif [ "$SSTP_KERNEL" = debug ]; then
	echo "user-namespace checks skipped: this kernel has no user namespaces"
else
	fail "unshare --user fails on $SSTP_KERNEL: $(unshare --user true 2>&1)"
fi

# The program holds 102 tunnels until the module goes away under them.
before=$(unreclaimable_kb)
"$NLTEST" --unload-hold 100 >"$WORK/unload.log" 2>&1 &
hold=$!
if ! wait_for 30 grep -q '^ready' "$WORK/unload.log"; then
	kill "$hold" 2>/dev/null
	fail "sstp-nltest --unload-hold never had its tunnels up"
fi
# What an idle tunnel costs the kernel, its two TCP sockets included:
# about 6 KB. Its read buffer (16 KB) and reassembly buffer (4 KB) exist
# only while it has something to read; with them it was 30 KB. (Large
# kmallocs count as slab too. KASAN's quarantine skews the debug kernel.)
per_tunnel=$((($(unreclaimable_kb) - before) * 1024 / 102))
echo "102 idle tunnels: $per_tunnel bytes of unreclaimable slab each"
if [ "$SSTP_KERNEL" != debug ] && [ "$per_tunnel" -ge 16384 ]; then
	kill "$hold" 2>/dev/null
	fail "an idle tunnel holds $per_tunnel bytes of slab (16384 at most)"
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
