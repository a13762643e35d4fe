#!/bin/sh
# vm: userspace (serve-many's kernel path at scale; what differs is the number of sessions)
# The concentrator at scale: CALLS calls (default 100) from one
# sstp-loadgen (tests/progs/sstp-loadgen.c: each call plays TLS, SSTP and
# just enough PPP in one process, so the guest's CPU goes to the server)
# arrive PARALLEL at a time (default 50) on one sstp-helper serve. Every
# call comes up with its own tunnel in sstp.ko, its own pppd and address;
# `status` lists them all; SIGTERM disconnects every one, each Disconnect
# is acknowledged, and sstp.ko unloads. Measured on the way (lines
# "scale: ..."; tools/bench/scale.sh collects them): the setup rate, the
# kernel's memory per session (slab, and TCP socket buffers apart), serve's
# and pppd's per session, and how long `status` takes.
#
# Usage (as a VM test, with no arguments): serve-scale.sh [CALLS [PARALLEL]]
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

CALLS=${1:-100}
PARALLEL=${2:-50}

# Pools in the documentation ranges only: 746 addresses at most.
POOL_RANGES="198.51.100.2-198.51.100.254, 203.0.113.1-203.0.113.254, 192.0.2.16-192.0.2.254"
[ "$CALLS" -le 746 ] || fail "at most 746 calls: the documentation ranges have no more addresses"

# meminfo KEY: kB of one /proc/meminfo line.
meminfo() {
	while read -r _k _v _; do
		[ "$_k" = "$1:" ] && { echo "$_v"; return; }
	done </proc/meminfo
}

# slab_kb: the kernel's slab, both kinds.
slab_kb() { echo $(($(meminfo SReclaimable) + $(meminfo SUnreclaim))); }

# tcp_mem_kb: TCP's socket buffer memory (sockstat counts pages).
tcp_mem_kb() {
	sed -n 's/^TCP: .* mem \([0-9]*\).*/\1/p' /proc/net/sockstat |
		awk '{ print $1 * 4 }'
}

# rss_kb PID: resident memory of one process.
rss_kb() { awk '$1 == "VmRSS:" { print $2 }' "/proc/$1/status"; }

# pppd_pss_kb: proportional memory of every pppd (shared pages divided
# among them), in all.
pppd_pss_kb() {
	for _c in /proc/[0-9]*/comm; do
		read -r _n <"$_c" 2>/dev/null || continue
		[ "$_n" = pppd ] || continue
		awk '$1 == "Pss:" { print $2 }' "${_c%comm}smaps_rollup" 2>/dev/null
	done | awk '{ s += $1 } END { print s + 0 }'
}

# cpu_ticks [-c] [PID...]: busy ticks (USER_HZ) of the guest, or of the
# processes given (user + system, fields 14 and 15 of their stat), or,
# with -c, of the children they have reaped (fields 16 and 17).
cpu_ticks() {
	_f=12
	[ "${1:-}" = -c ] && { _f=14; shift; }
	if [ $# = 0 ]; then
		read -r _ _u _n _s _ _ _i _si _ </proc/stat
		echo $((_u + _n + _s + _i + _si))
		return
	fi
	for _p; do
		sed 's/.*) //' "/proc/$_p/stat" 2>/dev/null
	done | awk -v f="$_f" '{ t += $f + $(f + 1) } END { print t + 0 }'
}

# pids_of NAME: the processes called NAME.
pids_of() {
	for _c in /proc/[0-9]*/comm; do
		read -r _n <"$_c" 2>/dev/null || continue
		[ "$_n" = "$1" ] || continue
		_d=${_c%/comm}
		echo "${_d#/proc/}"
	done
}

# slab_top FILE0 FILE1: the caches of /proc/slabinfo that grew most,
# in KB (active objects times object size).
slab_top() {
	awk 'FNR > 2 { kb = $2 * $4 / 1024; if (FNR == NR) a[$1] = kb; else d[$1] = kb - a[$1] }
	     END { for (k in d) if (d[k] > 0) printf "%d %s\n", d[k], k }' "$1" "$2" |
		sort -rn | head -n 8 | awk '{ printf "%s %s KB, ", $2, $1 }'
}

load_modules
make_netns
make_cert
# Handshakes and pppd starts of 50 arrivals at once on an emulated CPU:
# the timers are set for the burst, not for a test of the timers.
# keepalive-timeout: stopping hundreds of sessions runs as many pppd
# ip-down scripts, which on the emulated CPU can hold off the load
# generator's answer to an Echo Request for longer than the default 120 s.
make_server_config "authentication = pap" "handshake-timeout = 120" \
	"negotiation-timeout = 120" "keepalive-timeout = 300" \
	"max-sessions = $((CALLS + 10))"
echo 3 >/proc/sys/vm/drop_caches
slab0=$(slab_kb)
cp /proc/slabinfo "$WORK/slabinfo.0"
# pppd's own lines go to serve's stdout.
start_serve >"$WORK/serve.out.log"
serve0=$(rss_kb "$serve")
busy0=$(cpu_ticks)

# The load generator stands for many machines, each with a CPU of its
# own: here it shares one with the server's pppds, and when 100 of them
# run their ip-down scripts at the server's stop, at nice 0 it answered
# some Disconnects after the server had stopped waiting (CI, beside
# another guest: 58 of 100). It runs ahead of them.
nice -n -5 ip netns exec cli "$SSTP_SRC/build/tests/sstp-loadgen" \
	--connect 192.0.2.1:443 --user alice --password "open sesame" \
	--calls "$CALLS" --parallel "$PARALLEL" --timeout 240 \
	>"$WORK/loadgen.log" 2>"$WORK/loadgen.err.log" &
loadgen=$!
wait_for 600 log_has "$WORK/loadgen.log" '^setup ' ||
	fail "the calls were not set up in time: $(grep -c ' up ' "$WORK/loadgen.log") up"
busy1=$(cpu_ticks)
# shellcheck disable=SC2046 # a list of pids
echo "scale: cpu_seconds guest $(((busy1 - busy0) / 100))" \
	"serve $(($(cpu_ticks "$serve") / 100))" \
	"loadgen $(($(cpu_ticks "$loadgen") / 100))" \
	"pppd $(($(cpu_ticks $(pids_of pppd)) / 100))" \
	"pppd_scripts $(($(cpu_ticks -c $(pids_of pppd)) / 100))"
grep '^setup ' "$WORK/loadgen.log"
grep ' failed: ' "$WORK/loadgen.log" | head -n 5
read -r _ _ up _ failed _ secs _ rate <<EOF2
$(grep '^setup ' "$WORK/loadgen.log")
EOF2
if [ "$failed" != 0 ] || [ "$up" != "$CALLS" ]; then
	fail "$up of $CALLS calls up, $failed failed"
fi
echo "scale: calls $CALLS parallel $PARALLEL seconds $secs rate $rate"
# Where a call's setup time went: the median of each step's own time
# (sstp-loadgen prints when each was done).
grep ' up .* phases ' "$WORK/loadgen.log" | sed 's/.* phases //' |
	awk '{ prev = 0
	       for (i = 1; i <= NF; i++) {
		split($i, kv, "="); name[i] = kv[1]; d[i, NR] = kv[2] - prev; prev = kv[2]
	       } }
	     END { printf "scale: step_median_ms"
		   for (i = 1; i <= NF; i++) {
			n = 0; for (r = 1; r <= NR; r++) v[++n] = d[i, r]
			# insertion sort: a few hundred values
			for (a = 2; a <= n; a++) { x = v[a]; b = a - 1
				while (b > 0 && v[b] > x) { v[b + 1] = v[b]; b-- } v[b + 1] = x }
			printf " %s=%d", name[i], v[int((n + 1) / 2)]
		   }
		   print "" }'

# Every call has its own interface and address on the server.
wait_for 60 sh -c "[ \$(ip -n srv -4 -o addr show | grep -c ' peer ') -ge $CALLS ]" ||
	fail "only $(ip -n srv -4 -o addr show | grep -c ' peer ') ppp interfaces have an address"
peers=$(ip -n srv -4 -o addr show | sed -n 's/.* peer \([0-9.]*\)\/32.*/\1/p' | sort -u | wc -l)
[ "$peers" -eq "$CALLS" ] || fail "$peers distinct peer addresses for $CALLS calls"

t0=$(date +%s%N)
ip netns exec srv "$HELPER" status --json >"$WORK/status.json" ||
	fail "status failed"
t1=$(date +%s%N)
listed=$(grep -o '"user": *"alice"' "$WORK/status.json" | wc -l)
[ "$listed" -eq "$CALLS" ] || fail "status lists $listed of $CALLS sessions"
echo "scale: status_ms $(((t1 - t0) / 1000000)) sessions $listed"

# Memory, once every session is idle.
echo 3 >/proc/sys/vm/drop_caches
slab1=$(slab_kb)
cp /proc/slabinfo "$WORK/slabinfo.1"
echo "scale: kernel_slab_kb_per_session $(((slab1 - slab0) / CALLS))" \
	"tcp_buffers_kb $(tcp_mem_kb)" \
	"serve_rss_kb $serve0 -> $(rss_kb "$serve")" \
	"pppd_pss_kb_per_session $(($(pppd_pss_kb) / CALLS))"
echo "scale: slab growth: $(slab_top "$WORK/slabinfo.0" "$WORK/slabinfo.1")"

kill -TERM "$serve"
wait "$serve"
wait "$loadgen" || fail "sstp-loadgen: $(tail -n 3 "$WORK/loadgen.log")"
grep '^ended ' "$WORK/loadgen.log"
ended=$(grep -c ' ended: disconnected$' "$WORK/loadgen.log")
[ "$ended" -eq "$CALLS" ] || fail "$ended of $CALLS calls ended by the server's Disconnect"
acked=$(grep -c 'session ended: disconnected' "$WORK/serve.err.log")
[ "$acked" -eq "$CALLS" ] || fail "$acked of $CALLS Disconnects acknowledged"
wait_for 60 no_process pppd || fail "pppd still running"
rmmod sstp || fail "rmmod sstp"
echo "$CALLS sessions up at once, listed, disconnected and torn down"
