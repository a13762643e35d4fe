#!/bin/sh
# The benchmark's rows, inside one guest (tools/bench/bench.sh boots it).
#
# Usage: rows.sh SECONDS REPS [ROWS]   (ROWS: default all of them)
#
# Every row moves data from cli (192.0.2.2) to srv (192.0.2.1) for SECONDS
# ("up"), then back ("down"), REPS times, the rows interleaved (a b c d a
# b c d ...) so that a slow moment of the host falls on all of them:
#   tcp    plain TCP on the veth (iperf3)
#   tcpmtu the same with packets of the veth's MTU (gso_max_segs 1 on
#          both ends): what TCP costs without offloads, as the TCP
#          inside a tunnel runs (a ppp interface has no GSO)
#   ktls   a raw TLS stream, kTLS at both ends (sstp-testpeer --stream),
#          TLS 1.2 AES-128-GCM: the ceiling of what sstp.ko can do
#   ours   sstp-helper connect -> serve, TLS 1.2 (AES-128-GCM), iperf3
#          through sstp.ko's tunnel
#   sstpc  Debian's sstpc -> serve, iperf3 through its pty + pppd path
#   ours8, ours64  8 or 64 calls of sstp-helper connect to one serve, an
#          iperf3 through each at the same time: the aggregate, against
#          the one tunnel of "ours"
# Each measurement leaves its raw numbers in $SSTP_OUT/bench/REP-ROW-DIR.*
# (tools/bench/report.py reads them): .iperf (iperf3 -J), .stream
# ("stream received BYTES SECONDS") or, for the rows of many tunnels,
# .window ("window received BYTES SECONDS": what the receiving sockets
# took in over SECS with every flow moving), .stat0 and .stat1 (the guest's
# /proc/stat cpu line before and after: both ends share the kernel),
# .ping (pings every 0.2 s during the transfer), .counts (kprobe hits
# during it, where the kernel has kprobe events: runs of sstp.ko's
# rx_work, kTLS's recvmsg calls and how many of them found no whole
# record, kTLS's sendmsg calls), and per row and rep
# .idle (pings before it) and .tls (the TLS version and cipher) or, for
# the tunnels, .status (the server's sstp-helper status --json).
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

SECS=${1:-10}
REPS=${2:-3}
# This shell, which starts, samples and times the rows, runs at nice -10,
# and so do ping and the servers' and clients' control planes it starts;
# the load (iperf3, the stream tool, sstpc's userspace data path) runs at
# nice 0 ($LOAD). sstp.ko's workers run ahead of every normal process:
# at nice 0 this shell came back seconds late under load (a 2-second
# window took 22) and ping's RTT counted its own wait for the CPU.
renice -n -10 -p $$ >/dev/null
LOAD="nice -n 10"
# iperf3 leaves its first seconds out of what it reports (--omit): TCP's
# slow start, and for the rows of many tunnels every iperf3's own start,
# which takes seconds on the emulated CPU when 128 of them start at once.
OMIT=2
ROWS=${3:-tcp tcpmtu ktls ours ours8 ours64 sstpc}
OUT=$SSTP_OUT/bench
mkdir -p "$OUT"

cpu_line() { read -r _line </proc/stat; echo "$_line"; }

# Counting, not profiling (perf is of little use under TCG): kprobes on
# the receive and send paths, filtered so that only the reads that found
# nothing (-EAGAIN) fill the trace buffer; every probe's hits are counted
# in kprobe_profile whatever its filter.
T=/sys/kernel/debug/tracing
counters_setup() {
	[ -w "$T/kprobe_events" ] || return 0
	# shellcheck disable=SC2016 # $retval is the tracer's
	printf '%s\n' 'p:kprobes/rx_work sstp_rx_work' \
		'p:kprobes/tls_recvmsg tls_sw_recvmsg' \
		'r:kprobes/tls_recvmsg_again tls_sw_recvmsg ret=$retval:s32' \
		'p:kprobes/tls_sendmsg tls_sw_sendmsg' >"$T/kprobe_events" || return 0
	for _ev in rx_work tls_recvmsg tls_sendmsg; do
		echo 'common_pid < 0' >"$T/events/kprobes/$_ev/filter"
	done
	echo 'ret == -11' >"$T/events/kprobes/tls_recvmsg_again/filter"
	echo 4096 >"$T/buffer_size_kb"
}

counters_on() {
	[ -d "$T/events/kprobes" ] || return 0
	: >"$T/trace"
	echo 1 >"$T/events/kprobes/enable"
}

# counters_off NAME: the counts, one "event hits" a line, into NAME.counts.
counters_off() {
	[ -d "$T/events/kprobes" ] || return 0
	echo 0 >"$T/events/kprobes/enable"
	{
		while read -r _ev _hits _; do
			[ "$_ev" = tls_recvmsg_again ] || echo "$_ev $_hits"
		done <"$T/kprobe_profile"
		_again=0
		while read -r _l; do
			case $_l in '#'*) ;; *) _again=$((_again + 1)) ;; esac
		done <"$T/trace"
		echo "tls_recvmsg_again $_again"
	} >"$OUT/$1.counts"
	# Hits count from when the probe is enabled: a fresh set each time.
	counters_setup
}

# measure NAME TARGET CMD...: CMD moves the data; pings to TARGET from
# cli meanwhile (through the row's path), /proc/stat around it.
measure() {
	_name=$1 _target=$2
	shift 2
	ip netns exec cli ping -i 0.2 -w "$SECS" -q "$_target" >"$OUT/$_name.ping" 2>&1 &
	_ping=$!
	counters_on
	cpu_line >"$OUT/$_name.stat0"
	"$@" || fail "$_name: $*"
	cpu_line >"$OUT/$_name.stat1"
	counters_off "$_name"
	wait "$_ping"
}

idle_rtt() {
	ip netns exec cli ping -c 5 -i 0.2 -q "$2" >"$OUT/$1.idle" 2>&1 ||
		fail "$1: no ping to $2 before the transfer"
}

# iperf_run NAME TARGET [-R]: iperf3 from cli to TARGET in srv.
iperf_run() {
	$LOAD ip netns exec srv iperf3 -s -1 -B "$2" >/dev/null 2>&1 &
	_srv=$!
	wait_for 10 listening "$_srv" 5201 || fail "$1: iperf3 server not listening"
	# shellcheck disable=SC2086 # no option at all when empty
	measure "$1" "$2" $LOAD ip netns exec cli iperf3 -c "$2" -t "$SECS" -O "$OMIT" -J ${3:-} \
		--logfile "$OUT/$1.iperf"
	wait "$_srv"
}

# veth_rows NAME: iperf3 on the veth, both ways, as row NAME.
veth_rows() {
	idle_rtt "$1" 192.0.2.1
	echo "-" >"$OUT/$1.tls"
	iperf_run "$1-up" 192.0.2.1
	iperf_run "$1-down" 192.0.2.1 -R
}

row_tcp() { veth_rows "$1-tcp"; }

row_tcpmtu() {
	_segs=$(ip -n cli -d link show veth-c | sed -n 's/.* gso_max_segs \([0-9]*\).*/\1/p')
	ip -n cli link set veth-c gso_max_segs 1 || fail "tcpmtu: gso_max_segs"
	ip -n srv link set veth-s gso_max_segs 1 || fail "tcpmtu: gso_max_segs"
	veth_rows "$1-tcpmtu"
	ip -n cli link set veth-c gso_max_segs "${_segs:-65535}"
	ip -n srv link set veth-s gso_max_segs "${_segs:-65535}"
}

# stream_run NAME SENDER_NS: one raw kTLS stream; the server end in srv.
# The TLS version and cipher, as the client end saw them, go to the row's
# .tls.
stream_run() {
	if [ "$2" = cli ]; then _srv_mode=recv _cli_mode=send; else _srv_mode=send _cli_mode=recv; fi
	$LOAD ip netns exec srv "$BIN/sstp-testpeer" --listen 192.0.2.1:4433 --tls 1.2 \
		--cert "$WORK/cert.pem" --key "$WORK/key.pem" --stream $_srv_mode \
		--seconds "$SECS" >"$WORK/stream-srv.log" 2>&1 &
	_srv=$!
	wait_for 10 listening "$_srv" 4433 || fail "$1: stream server not listening"
	$LOAD ip netns exec cli "$BIN/sstp-testpeer" --connect 192.0.2.1:4433 --tls 1.2 \
		--stream $_cli_mode --seconds "$SECS" >"$WORK/stream-cli.log" 2>&1 ||
		fail "$1: $(cat "$WORK/stream-cli.log")"
	wait "$_srv" || fail "$1: $(cat "$WORK/stream-srv.log")"
	cat "$WORK/stream-srv.log" "$WORK/stream-cli.log" | grep '^stream received' \
		>"$OUT/$1.stream" || fail "$1: no byte count"
	sed -n 's/^tls //p' "$WORK/stream-cli.log" >"$OUT/${1%-*}.tls"
}

row_ktls() {
	idle_rtt "$1-ktls" 192.0.2.1
	measure "$1-ktls-up" 192.0.2.1 stream_run "$1-ktls-up" cli
	measure "$1-ktls-down" 192.0.2.1 stream_run "$1-ktls-down" srv
}

# tunnel_rows NAME IFACE: the tunnel's iface in cli is up; measure it.
tunnel_rows() {
	wait_for 60 has_addr cli "$2" '198.51.100.1[0-9]' || fail "$1: no tunnel"
	ip netns exec srv "$HELPER" status --json >"$OUT/$1.status" ||
		fail "$1: sstp-helper status"
	idle_rtt "$1" 198.51.100.1
	iperf_run "$1-up" 198.51.100.1
	iperf_run "$1-down" 198.51.100.1 -R
}

row_ours() {
	start_serve
	ip netns exec cli "$HELPER" connect 192.0.2.1 --user alice \
		--password-file "$WORK/password" --ca "$WORK/ca.pem" --name sstp-out1 \
		--tls-version only-1.2 >"$WORK/client.log" 2>&1 &
	client=$!
	tunnel_rows "$1-ours" sstp-out1
	stop_client
	stop "$serve"
}

# received NS: what the iperf3 data sockets of NS have received, one
# number per socket (ss's bytes_received: TCP payload, as iperf3 counts).
received() {
	ip netns exec "$1" ss -tinH state established \
		'( sport >= :5201 and sport <= :5299 ) or ( dport >= :5201 and dport <= :5299 )' |
		grep -o 'bytes_received:[0-9]*' | cut -d: -f2
}

# moving NS: how many flows have received more than their first window.
moving() {
	received "$1" | awk '$1 > 65536' | wc -l
}

# all_moving NS K: K flows are moving.
all_moving() {
	[ "$(moving "$1")" -ge "$2" ]
}

# received_total NS: the sum of received.
received_total() {
	received "$1" | awk '{ s += $1 } END { print s + 0 }'
}

# window NAME NS: bytes received in NS over about SECS, into NAME.window
# with the seconds that really passed (a loaded guest runs late).
window() {
	_w0=$(received_total "$2")
	read -r _t0 _ </proc/uptime
	sleep "$SECS"
	_w1=$(received_total "$2")
	read -r _t1 _ </proc/uptime
	echo "window received $((_w1 - _w0)) $(awk -v a="$_t0" -v b="$_t1" 'BEGIN { print b - a }')" \
		>"$OUT/$1.window"
}

# many_iperf NAME K [-R]: iperf3 through sstp-out1..K at once, each
# client bound to its tunnel's interface, each to a server of its own.
# The sum is read off the receiving sockets over SECS once every flow
# moves and OMIT more seconds have passed: K iperf3 reports cannot be
# summed, as their windows, started seconds apart, do not overlap. The
# clients run until then and are killed, their servers with them.
many_iperf() {
	_rxns=srv
	[ "${3:-}" = -R ] && _rxns=cli
	_pids=""
	_i=1
	while [ "$_i" -le "$2" ]; do
		$LOAD ip netns exec srv iperf3 -s -1 -B 198.51.100.1 -p $((5200 + _i)) \
			>/dev/null 2>&1 &
		_pids="$_pids $!"
		_i=$((_i + 1))
	done
	_i=1
	for _p in $_pids; do
		wait_for 20 listening "$_p" $((5200 + _i)) ||
			fail "$1: iperf3 server $_i is not listening"
		_i=$((_i + 1))
	done
	_cpids=""
	_i=1
	while [ "$_i" -le "$2" ]; do
		# shellcheck disable=SC2086 # no option at all when empty
		$LOAD ip netns exec cli iperf3 -c 198.51.100.1 -p $((5200 + _i)) \
			--bind-dev "sstp-out$_i" -t $((SECS + OMIT + 300)) ${3:-} \
			>/dev/null 2>&1 &
		_cpids="$_cpids $!"
		_i=$((_i + 1))
	done
	wait_for 120 all_moving "$_rxns" "$2" ||
		fail "$1: $(moving "$_rxns") of $2 flows moving"
	sleep "$OMIT"
	measure "$1" 198.51.100.1 window "$1" "$_rxns"
	# shellcheck disable=SC2086 # lists of PIDs
	kill -KILL $_cpids $_pids 2>/dev/null
	for _p in $_cpids $_pids; do wait "$_p"; done
}

# row_many REP K: K calls of our client, measured together. Their setup
# takes minutes on an emulated CPU: both ends' timers allow ten.
row_many() {
	start_serve
	_clients=""
	_i=1
	_many=$1-ours$2
	while [ "$_i" -le "$2" ]; do
		ip netns exec cli "$HELPER" connect 192.0.2.1 --user alice \
			--password-file "$WORK/password" --ca "$WORK/ca.pem" \
			--name "sstp-out$_i" --tls-version only-1.2 \
			--negotiation-timeout 600 >"$WORK/client-$_i.log" 2>&1 &
		_clients="$_clients $!"
		# Eight at a time: a burst of 64 on the emulated CPU makes the
		# pppds' 3 s restart timers fire and IPCP start over (bursts are
		# serve-scale's business; this row measures throughput).
		if [ $((_i % 8)) = 0 ] || [ "$_i" = "$2" ]; then
			wait_for 300 sh -c "[ \$(ip -n cli -4 -o addr show | grep -c 'inet 198.51.100') -ge $_i ]" ||
				fail "$_many: $(ip -n cli -4 -o addr show | grep -c 'inet 198.51.100') of $_i tunnels up"
		fi
		_i=$((_i + 1))
	done
	ip netns exec srv "$HELPER" status --json >"$OUT/$_many.status" ||
		fail "$_many: sstp-helper status"
	idle_rtt "$_many" 198.51.100.1
	many_iperf "$_many-up" "$2"
	many_iperf "$_many-down" "$2" -R
	for _p in $_clients; do kill -TERM "$_p"; done
	for _p in $_clients; do wait "$_p"; done
	stop "$serve"
	wait_for 60 no_process pppd || fail "$_many: pppd still running"
}

row_ours8() { row_many "$1" 8; }
row_ours64() { row_many "$1" 64; }

row_sstpc() {
	start_serve
	sstpc_alice "$WORK/sstpc.log"
	wait_for 60 has_addr cli "" '198.51.100.1[0-9]' || fail "sstpc: no tunnel"
	# sstpc and its pppd carry the row's bytes: the load's priority.
	# shellcheck disable=SC2046 # one PID a word
	renice -n 0 -p $(pgrep -x sstpc) $(pgrep -x pppd) >/dev/null
	_dev=$(ip -n cli -o link show type ppp | sed -n 's/^[0-9]*: \([^:@]*\).*/\1/p' | head -n 1)
	tunnel_rows "$1-sstpc" "${_dev:-ppp0}"
	stop "$sstpc"
	stop "$serve"
	wait_for 20 no_process pppd || fail "sstpc: pppd still running"
}

load_modules
make_netns
# shellcheck disable=SC2119 # the default validity
make_ca_cert
printf 'open sesame\n' >"$WORK/password"
POOL_RANGES=198.51.100.10-198.51.100.254
make_server_config "authentication = mschap2" "negotiation-timeout = 600"
counters_setup
rep=1
while [ "$rep" -le "$REPS" ]; do
	for row in $ROWS; do
		case $row in tcp | tcpmtu | ktls | ours | ours8 | ours64 | sstpc) ;;
		*) fail "no row '$row'" ;;
		esac
		echo "rep $rep: $row"
		"row_$row" "$rep"
	done
	rep=$((rep + 1))
done
echo "bench: $REPS reps of $SECS s each way, results in $OUT"
