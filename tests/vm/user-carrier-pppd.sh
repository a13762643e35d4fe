#!/bin/sh
# vm: userspace (does not load sstp.ko: pppd on ptys, through the kernel's ppp_async)
# The userspace data path's carrier against the real pppd: two pppds,
# each on a pty whose master a carrier holds, the two carriers joined by
# TLS (tests/progs/sstp-uc-pair.c). LCP and IPCP come up through our
# HDLC framing, ping crosses both ways, and iperf3 moves data both ways
# with no frame dropped: not a bad FCS, not a runt, not a frame too long.
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

modprobe -a ppp_async veth || fail "modprobe ppp_async veth"
mkdir -p /run/lock /var/run/netns
printf '%s\n' "netns add srv" "netns add cli" | ip -batch - ||
	fail "cannot make the namespaces"
ip -n srv link set lo up || fail "srv: lo"
ip -n cli link set lo up || fail "cli: lo"

"$BIN/sstp-uc-pair" >"$WORK/pair.log" 2>"$WORK/pair.err" &
pair=$!
wait_for 20 grep -q '^pty-b ' "$WORK/pair.log" || fail "sstp-uc-pair: no ptys: $(cat "$WORK/pair.err")"
pty_a=$(sed -n 's/^pty-a //p' "$WORK/pair.log")
pty_b=$(sed -n 's/^pty-b //p' "$WORK/pair.log")

# shellcheck disable=SC2086 # the option lists are word lists
ip netns exec srv pppd "$pty_b" local $PPPD_SRV >"$WORK/pppd-srv.log" 2>&1 &
srv=$!
# shellcheck disable=SC2086
ip netns exec cli pppd "$pty_a" local $PPPD_CLI >"$WORK/pppd-cli.log" 2>&1 &
cli=$!

wait_for 30 has_addr cli ppp20 198.51.100.2 || fail "client ppp20 never got its address: $(cat "$WORK/pppd-cli.log")"
wait_for 10 has_addr srv ppp10 198.51.100.1 || fail "server ppp10 never got its address"

ip netns exec cli ping -c 3 -i 0.2 -W 2 198.51.100.1 >"$WORK/ping-cli.log" 2>&1 ||
	fail "ping from client to server through the carriers"
ip netns exec srv ping -c 3 -i 0.2 -W 2 198.51.100.2 >"$WORK/ping-srv.log" 2>&1 ||
	fail "ping from server to client through the carriers"

ip netns exec srv iperf3 -s -1 -B 198.51.100.1 >/dev/null 2>&1 &
iperf=$!
wait_for 10 listening "$iperf" 198.51.100.1:5201 || fail "iperf3 server not listening"
ip netns exec cli iperf3 -c 198.51.100.1 -t 2 >"$WORK/iperf-up.log" 2>&1 || fail "iperf3 up: $(tail -n 3 "$WORK/iperf-up.log")"
wait "$iperf"
ip netns exec srv iperf3 -s -1 -B 198.51.100.1 >/dev/null 2>&1 &
iperf=$!
wait_for 10 listening "$iperf" 198.51.100.1:5201 || fail "iperf3 server not listening"
ip netns exec cli iperf3 -c 198.51.100.1 -t 2 -R >"$WORK/iperf-down.log" 2>&1 || fail "iperf3 down: $(tail -n 3 "$WORK/iperf-down.log")"
wait "$iperf"
grep receiver "$WORK/iperf-up.log" "$WORK/iperf-down.log"

stop "$cli"
stop "$srv"
stop "$pair"
cat "$WORK/pair.log"
grep -q '^down' "$WORK/pair.log" && fail "a carrier went down"
for end in a b; do
	line=$(grep "^stats $end " "$WORK/pair.log") || fail "no counters of carrier $end"
	# shellcheck disable=SC2086 # one field a word
	set -- $line
	# stats END rx-packets N rx-bytes N tx-packets N tx-bytes N drop-gate N drop-runt N hdlc-dropped N
	[ "$4" -gt 1000 ] || fail "carrier $end passed $4 frames to its pppd: too few for iperf3"
	[ "$8" -gt 1000 ] || fail "carrier $end took $8 frames from its pppd: too few for iperf3"
	[ "${14}" = 0 ] || fail "carrier $end: runts from the peer ($line)"
	[ "${16}" = 0 ] || fail "carrier $end: pppd's frames dropped by the HDLC decoder ($line)"
done
echo "pppd <-> carrier <-> TLS <-> carrier <-> pppd: IPCP, ping and iperf3 both ways, no frame dropped"
