#!/bin/sh
# vm: userspace (the teardown paths of client-connect and tunnel-teardown; what differs is when the fault comes)
# Faults at every stage of a call, each followed by a check that nothing
# is left behind and that the next call comes up:
#  1. kill -9 of the client at eight points spread over the time a call
#     takes to come up (TCP, TLS, HTTP, the SSTP call, PPP: the stage each
#     kill hit is printed), and once mid-transfer;
#  2. kill -9 of the client's pppd, then of the server's pppd, mid-call;
#  3. a TCP reset of the call's connection mid-transfer (ss -K on the
#     server): both ends see it, both ends clean up;
#  4. kill -9 of serve under a client with reconnect = yes, then a new
#     serve: the call comes back and passes traffic.
# Nothing left: no pppd, no ppp interface and no sstp.ko tunnel in either
# netns, and `status` lists no session (neither the client's nor serve's).
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

client_setup
client_config "reconnect = no"

start_connect() {
	ip netns exec cli "$HELPER" connect --debug --config "$WORK/client.conf" \
		>"$WORK/client.log" 2>&1 &
	client=$!
}

call_up() {
	grep -q "connected to 192.0.2.1" "$WORK/client.log"
}

# nothing_left: see the top of the file. sstp-nltest --invisible with no
# tunnel id checks that a netns's dump of sstp.ko's tunnels is empty.
nothing_left() {
	! pgrep -x pppd >/dev/null &&
		[ -z "$(ip -n cli -o link show type ppp)" ] &&
		[ -z "$(ip -n srv -o link show type ppp)" ] &&
		ip netns exec cli "$BIN/sstp-nltest" --invisible &&
		ip netns exec srv "$BIN/sstp-nltest" --invisible &&
		[ "$(ip netns exec srv "$HELPER" status 2>&1)" = "no sessions" ]
}

# settle WHAT: wait for nothing_left, and keep the logs of WHAT.
settle() {
	if ! wait_for 40 nothing_left; then
		pgrep -a pppd
		ip -n cli -o link show type ppp
		ip -n srv -o link show type ppp
		ip netns exec srv "$HELPER" status
		fail "$1: something was left: $(tail -n 5 "$WORK/client.log")"
	fi
	cp "$WORK/client.log" "$WORK/$1.client.log"
}

# A call that comes up and ends: also the time one takes.
t0=$(date +%s%N)
start_connect
wait_for 60 call_up || fail "the first call did not come up: $(cat "$WORK/client.log")"
up_ms=$((($(date +%s%N) - t0) / 1000000))
client_pings sstp-out1
stop_client
settle first
echo "a call comes up in $up_ms ms"

# 1. kill -9 of the client, k/8 of the way to a call, k = 1..8. (The sleep
# is the fault's moment, not a wait for a condition.)
for k in 1 2 3 4 5 6 7 8; do
	start_connect
	sleep "$(awk "BEGIN { print $up_ms * $k / 8 / 1000 }")"
	kill -KILL "$client"
	wait "$client" 2>/dev/null
	echo "kill -9 at $k/8: the client's last words: $(tail -n 1 "$WORK/client.log")"
	settle "kill-$k"
done

# mid_transfer: a call up, with pings flowing to the server's end.
mid_transfer() {
	start_connect
	wait_for 60 call_up || fail "$1: the call did not come up: $(cat "$WORK/client.log")"
	ip netns exec cli ping -i 0.05 -c 2000 -W 1 198.51.100.1 >/dev/null 2>&1 &
	pinger=$!
	wait_for 20 ip -n cli link show sstp-out1 || fail "$1: no ppp interface"
}
end_pings() {
	kill "$pinger" 2>/dev/null
	wait "$pinger" 2>/dev/null
}

mid_transfer kill-mid
kill -KILL "$client"
wait "$client" 2>/dev/null
end_pings
settle kill-mid

# 2. pppd killed at either end: the call ends with a Call Disconnect.
for end in client server; do
	mid_transfer "pppd-$end"
	if [ "$end" = client ]; then
		pid=$(pgrep -x -P "$client" pppd)
	else
		pid=$(pgrep -x -P "$serve" pppd)
	fi
	[ -n "$pid" ] || fail "pppd-$end: no pppd found"
	kill -KILL "$pid"
	wait "$client"
	rc=$?
	end_pings
	# The client's own pppd lost is a lost call (non-zero); the server's
	# ends the call with a Call Disconnect, which the client acknowledges.
	if [ "$end" = client ]; then
		[ "$rc" -ne 0 ] || fail "pppd-client: the client exited 0 after losing its pppd"
	else
		grep -q "the server disconnected" "$WORK/client.log" ||
			fail "pppd-server: no Call Disconnect: $(tail -n 3 "$WORK/client.log")"
	fi
	settle "pppd-$end"
done
grep -q "session ended" "$WORK/serve.err.log" || fail "serve logged no session end"

# 3. A TCP reset mid-transfer.
mid_transfer reset
ip netns exec srv ss -K dst 192.0.2.2 >/dev/null ||
	fail "reset: ss -K failed (no CONFIG_INET_DIAG_DESTROY?)"
wait "$client"
rc=$?
end_pings
[ "$rc" -ne 0 ] || fail "reset: the client exited 0 after a reset"
grep -q "connection lost: TCP reset" "$WORK/client.log" ||
	fail "reset: the client did not see the reset: $(tail -n 3 "$WORK/client.log")"
settle reset

# 4. serve killed outright under a client that reconnects, then started
# again: the call comes back.
client_config "reconnect = yes" "reconnect-max-delay = 2"
start_connect
wait_for 60 call_up || fail "restart: the call did not come up"
kill -KILL "$serve"
wait "$serve" 2>/dev/null
wait_for 30 grep -q "reconnecting in" "$WORK/client.log" ||
	fail "restart: the client did not plan to reconnect: $(tail -n 3 "$WORK/client.log")"
serve_again restart
stop_client
settle restart
