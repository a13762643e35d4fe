#!/bin/sh
# The benchmark's rows, inside one guest (tools/bench/bench.sh boots it).
#
# Usage: rows.sh SECONDS REPS
#
# Every row moves data from cli (192.0.2.2) to srv (192.0.2.1) for SECONDS
# ("up"), then back ("down"), REPS times, the rows interleaved (a b c d a
# b c d ...) so that a slow moment of the host falls on all of them:
#   tcp    plain TCP on the veth (iperf3)
#   ktls   a raw TLS stream, kTLS at both ends (sstp-testpeer --stream),
#          TLS 1.2 AES-128-GCM: the ceiling of what sstp.ko can do
#   ours   sstp-helper connect -> serve, TLS 1.2 (AES-128-GCM), iperf3
#          through sstp.ko's tunnel
#   sstpc  Debian's sstpc -> serve, iperf3 through its pty + pppd path
# Each measurement leaves its raw numbers in $SSTP_OUT/bench/REP-ROW-DIR.*
# (tools/bench/report.py reads them): .iperf (iperf3 -J) or .stream
# ("stream received BYTES SECONDS"), .stat0 and .stat1 (the guest's
# /proc/stat cpu line before and after: both ends share the kernel),
# .ping (pings every 0.2 s during the transfer), and per row and rep
# .idle (pings before it) and .tls (the TLS version and cipher) or, for
# the tunnels, .status (the server's sstp-helper status --json).
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

SECS=${1:-10}
REPS=${2:-3}
OUT=$SSTP_OUT/bench
mkdir -p "$OUT"

load_modules
make_netns
# shellcheck disable=SC2119 # the default validity
make_ca_cert
printf 'open sesame\n' >"$WORK/password"

cpu_line() { read -r _line </proc/stat; echo "$_line"; }

# measure NAME TARGET CMD...: CMD moves the data; pings to TARGET from
# cli meanwhile (through the row's path), /proc/stat around it.
measure() {
	_name=$1 _target=$2
	shift 2
	ip netns exec cli ping -i 0.2 -w "$SECS" -q "$_target" >"$OUT/$_name.ping" 2>&1 &
	_ping=$!
	cpu_line >"$OUT/$_name.stat0"
	"$@" || fail "$_name: $*"
	cpu_line >"$OUT/$_name.stat1"
	wait "$_ping"
}

idle_rtt() {
	ip netns exec cli ping -c 5 -i 0.2 -q "$2" >"$OUT/$1.idle" 2>&1 ||
		fail "$1: no ping to $2 before the transfer"
}

# iperf_run NAME TARGET [-R]: iperf3 from cli to TARGET in srv.
iperf_run() {
	ip netns exec srv iperf3 -s -1 -B "$2" >/dev/null 2>&1 &
	_srv=$!
	wait_for 10 listening "$_srv" 5201 || fail "$1: iperf3 server not listening"
	# shellcheck disable=SC2086 # no option at all when empty
	measure "$1" "$2" ip netns exec cli iperf3 -c "$2" -t "$SECS" -J ${3:-} \
		--logfile "$OUT/$1.iperf"
	wait "$_srv"
}

row_tcp() {
	idle_rtt "$1-tcp" 192.0.2.1
	echo "-" >"$OUT/$1-tcp.tls"
	iperf_run "$1-tcp-up" 192.0.2.1
	iperf_run "$1-tcp-down" 192.0.2.1 -R
}

# stream_run NAME SENDER_NS: one raw kTLS stream; the server end in srv.
stream_run() {
	if [ "$2" = cli ]; then _srv_mode=recv _cli_mode=send; else _srv_mode=send _cli_mode=recv; fi
	ip netns exec srv "$BIN/sstp-testpeer" --listen 192.0.2.1:4433 --tls 1.2 \
		--cert "$WORK/cert.pem" --key "$WORK/key.pem" --stream $_srv_mode \
		--seconds "$SECS" >"$WORK/stream-srv.log" 2>&1 &
	_srv=$!
	wait_for 10 listening "$_srv" 4433 || fail "$1: stream server not listening"
	ip netns exec cli "$BIN/sstp-testpeer" --connect 192.0.2.1:4433 --tls 1.2 \
		--stream $_cli_mode --seconds "$SECS" >"$WORK/stream-cli.log" 2>&1 ||
		fail "$1: $(cat "$WORK/stream-cli.log")"
	wait "$_srv" || fail "$1: $(cat "$WORK/stream-srv.log")"
	cat "$WORK/stream-srv.log" "$WORK/stream-cli.log" | grep '^stream received' \
		>"$OUT/$1.stream" || fail "$1: no byte count"
}

row_ktls() {
	idle_rtt "$1-ktls" 192.0.2.1
	echo "TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256" >"$OUT/$1-ktls.tls"
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
	kill -TERM "$serve"
	wait "$serve"
}

row_sstpc() {
	start_serve
	sstpc_alice "$WORK/sstpc.log"
	wait_for 60 has_addr cli "" '198.51.100.1[0-9]' || fail "sstpc: no tunnel"
	_dev=$(ip -n cli -o link show type ppp | sed -n 's/^[0-9]*: \([^:@]*\).*/\1/p' | head -n 1)
	tunnel_rows "$1-sstpc" "${_dev:-ppp0}"
	kill -TERM "$sstpc"
	wait "$sstpc"
	kill -TERM "$serve"
	wait "$serve"
	wait_for 20 no_process pppd || fail "sstpc: pppd still running"
}

make_server_config "authentication = mschap2"
rep=1
while [ "$rep" -le "$REPS" ]; do
	for row in tcp ktls ours sstpc; do
		echo "rep $rep: $row"
		"row_$row" "$rep"
	done
	rep=$((rep + 1))
done
echo "bench: $REPS reps of $SECS s each way, results in $OUT"
