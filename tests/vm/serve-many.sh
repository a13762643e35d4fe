#!/bin/sh
# vm: userspace (twenty sessions of the kernel path that tunnel-ping runs under the debug kernel)
# The concentrator: 20 sstpc clients at once on one sstp-helper serve
# (which raises its file limit for max-sessions),
# each with its own tunnel in sstp.ko, its own pppd and its own address
# from the pool (none handed out twice). Then traffic on every tunnel at
# the same time: a ping bound to each client's ppp interface. Then
# SIGTERM: every client is disconnected, every tunnel torn down, and
# sstp.ko unloads.
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

N=20

load_modules
make_netns
make_cert
# Twenty TLS handshakes at once on an emulated CPU can take a while: this
# test is about concurrency, not the handshake timer.
make_server_config "authentication = mschap2" "handshake-timeout = 60"
start_serve
# Two descriptors a session: the default max-sessions (1,000) needs 2,064,
# more than the usual soft limit of 1,024, which serve raises.
# shellcheck disable=SC2046 # "Max open files SOFT HARD files"
set -- $(grep '^Max open files' "/proc/$serve/limits")
[ "$4" -ge 2064 ] || fail "serve may open $4 files; max-sessions needs 2064"

# One client until its session ends (run_sstpc retries the known flake
# of its start).
one_client() {
	sstpc_alice "$WORK/sstpc-$1.log"
	wait "$sstpc"
}

# accepted N: the server has accepted N connections (the clients are
# started one after another's TCP connection, not all in one instant).
accepted() {
	[ "$(grep -c ': connected$' "$WORK/serve.err.log")" -ge "$1" ]
}
i=1
while [ "$i" -le "$N" ]; do
	one_client "$i" &
	wait_for 30 accepted "$i" || fail "the server did not accept client $i"
	i=$((i + 1))
done

count_up() {
	[ "$(grep -c 'crypto binding verified' "$WORK/serve.err.log")" -ge "$N" ]
}
wait_for 180 count_up ||
	fail "only $(grep -c 'crypto binding verified' "$WORK/serve.err.log") of $N sessions came up"
wait_for 60 sh -c "[ \$(ip -n cli -4 -o addr show | grep -c 'inet 198.51.100') -ge $N ]" ||
	fail "only $(ip -n cli -4 -o addr show | grep -c 'inet 198.51.100') of $N clients have an address"

ip -n cli -4 -o addr show | sed -n 's/^[0-9]*: \(ppp[0-9]*\) *inet \([0-9.]*\).*/\1 \2/p' \
	>"$WORK/ifaces.log"
[ "$(cut -d' ' -f2 "$WORK/ifaces.log" | sort -u | wc -l)" -eq "$N" ] ||
	fail "addresses handed out twice: $(cut -d' ' -f2 "$WORK/ifaces.log" | sort | uniq -d)"

# Every tunnel at once.
pids=""
while read -r dev addr; do
	ip netns exec cli ping -I "$dev" -c 5 -i 0.3 -W 5 198.51.100.1 \
		>"$WORK/ping-$dev.log" 2>&1 &
	pids="$pids $!"
done <"$WORK/ifaces.log"
bad=0
for p in $pids; do
	wait "$p" || bad=$((bad + 1))
done
[ "$bad" -eq 0 ] || fail "$bad of $N tunnels lost every ping"
lost=$(cat "$WORK"/ping-ppp*.log | sed -n 's/.* \([0-9]*\) received.*/\1/p' |
	awk '{ lost += 5 - $1 } END { print lost + 0 }')
echo "pings lost over $N tunnels at once: $lost of $((5 * N))"
[ "$lost" -le "$N" ] || fail "$lost of $((5 * N)) pings lost"

kill -TERM "$serve"
wait "$serve"
wait_for 30 no_process sstpc || fail "sstpc clients still running after the server stopped"
[ "$(grep -c 'session ended: disconnected' "$WORK/serve.err.log")" -eq "$N" ] ||
	fail "only $(grep -c 'session ended: disconnected' "$WORK/serve.err.log") of $N clients acknowledged the Disconnect"
wait_for 20 no_process pppd || fail "pppd still running"
rmmod sstp || fail "rmmod sstp"
tail -n 5 "$WORK/serve.err.log"
echo "$N sessions up at once, each passed traffic, all torn down"
