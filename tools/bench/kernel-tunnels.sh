#!/bin/sh
# sstp.ko alone at scale, inside one guest (tools/bench/scale.sh boots
# it): N idle tunnels (default 1000) on TCP socket pairs over loopback,
# made by sstp-nltest --unload-hold as in tests/vm/netlink-api.sh, with no
# pppd and no addresses (serve's sessions stop at 746, the addresses the
# documentation ranges hold). Prints "scale: kernel_tunnels N seconds S
# slab_bytes_per_tunnel B" (the unreclaimable slab a tunnel and its two
# sockets hold), then unloads the module under them: every one must hear
# TUNNEL_DOWN.
#
# Usage: kernel-tunnels.sh [N]
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

N=${1:-1000}
NLTEST=$BIN/sstp-nltest
load_modules
ip link set lo up
# Two descriptors a tunnel, and a few (dash has ulimit -n).
# shellcheck disable=SC3045
ulimit -n $((2 * N + 64)) || fail "cannot allow $((2 * N + 64)) files"
before=$(unreclaimable_kb)
t0=$(date +%s%N)
"$NLTEST" --unload-hold "$N" >"$WORK/hold.log" 2>&1 &
hold=$!
wait_for 600 grep -q '^ready' "$WORK/hold.log" || {
	kill "$hold" 2>/dev/null
	fail "$N tunnels were not made: $(tail -n 5 "$WORK/hold.log")"
}
t1=$(date +%s%N)
per=$((($(unreclaimable_kb) - before) * 1024 / (N + 2)))
echo "scale: kernel_tunnels $((N + 2)) seconds $(((t1 - t0) / 1000000000))" \
	"slab_bytes_per_tunnel $per"
rmmod sstp || { kill "$hold" 2>/dev/null; fail "rmmod sstp under $N tunnels"; }
wait "$hold" || fail "sstp-nltest: $(grep -v '^ok' "$WORK/hold.log" | tail -n 5)"
grep 'unload.down.plain' "$WORK/hold.log"
