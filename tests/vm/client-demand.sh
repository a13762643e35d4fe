#!/bin/sh
# vm: userspace (the kernel sees ordinary calls; what is new is in pppd and the helper)
# dial-on-demand: sstp-helper connect starts pppd in demand mode and makes
# no call until traffic goes into the interface; the first ping dials, and
# comes back through the tunnel; after idle-timeout pppd lets the link go
# and the call ends with Call Disconnect, the interface stays; the next
# ping dials again. With add-default-route, the server's route is pinned
# before pppd takes the default route. SIGTERM ends it all cleanly.
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

client_setup

ip netns exec cli "$HELPER" connect 192.0.2.1 --user alice \
	--password-file "$WORK/password" --ca "$WORK/ca.pem" --name sstp-dod \
	--dial-on-demand yes --idle-timeout 4 --add-default-route yes \
	>"$WORK/client.log" 2>&1 &
client=$!
wait_for 20 grep -q "dial-on-demand: waiting for traffic" "$WORK/client.log" ||
	fail "the client did not start in demand mode: $(cat "$WORK/client.log")"
grep -q "add-default-route: the route to 192.0.2.1 .*stays outside the tunnel" \
	"$WORK/client.log" || fail "the server's route was not pinned first"
wait_for 20 ip -n cli link show dev sstp-dod >/dev/null 2>&1 ||
	fail "pppd did not bring sstp-dod up before any call"
wait_for 10 sh -c "ip -n cli route show default | grep -q 'dev sstp-dod'" ||
	fail "no default route through sstp-dod: $(ip -n cli route)"
sleep 2
grep -q "connected" "$WORK/serve.err.log" &&
	fail "a call was made before any traffic: $(cat "$WORK/serve.err.log")"

# calls N: the server has verified N crypto bindings.
calls() {
	[ "$(grep -c "crypto binding verified for user alice" "$WORK/serve.err.log")" -eq "$1" ]
}

# The first packet dials; ping keeps trying until a reply comes.
ip netns exec cli ping -c 1 -w 60 198.51.100.1 >"$WORK/ping1.log" 2>&1 ||
	fail "no ping through the tunnel after dialling: $(cat "$WORK/ping1.log")"
grep -q "traffic for the tunnel: connecting to 192.0.2.1" "$WORK/client.log" ||
	fail "the client did not say it dialled"
grep -q "connected to 192.0.2.1 as alice (mschap2)" "$WORK/client.log" ||
	fail "the call did not come up"
calls 1 || fail "want 1 call on the server: $(grep verified "$WORK/serve.err.log")"
ip netns exec cli "$HELPER" status --json >"$WORK/status.json" || fail "status"
grep -q '"role": "client", "state": "up"' "$WORK/status.json" ||
	fail "status does not show the call up: $(cat "$WORK/status.json")"

# Idle for 4 s: pppd lets the link go, the call ends, the interface stays.
wait_for 30 grep -q "session ended: client disconnected" "$WORK/serve.err.log" ||
	fail "the call did not end after idle-timeout: $(tail -5 "$WORK/client.log")"
grep -q "pppd let the link go: disconnecting" "$WORK/client.log" ||
	fail "the client did not say why it disconnected"
wait_for 10 grep -q "dial-on-demand: waiting for traffic again" "$WORK/client.log" ||
	fail "the client did not go back to waiting"
kill -0 "$client" || fail "the client exited after the idle hang-up"
ip -n cli link show dev sstp-dod >/dev/null 2>&1 || fail "sstp-dod went away"
ip netns exec cli "$HELPER" status --json >"$WORK/status-idle.json" || fail "status"
grep -q '"role": "client", "state": "idle"' "$WORK/status-idle.json" ||
	fail "status does not show the client idle: $(cat "$WORK/status-idle.json")"

# Traffic again: a second call.
ip netns exec cli ping -c 1 -w 60 198.51.100.1 >"$WORK/ping2.log" 2>&1 ||
	fail "no ping after the second dial: $(cat "$WORK/ping2.log")"
calls 2 || fail "want 2 calls on the server: $(grep verified "$WORK/serve.err.log")"

kill -TERM "$client"
wait "$client"
rc=$?
[ "$rc" -eq 0 ] || fail "the client exited $rc after SIGTERM, want 0: $(tail -5 "$WORK/client.log")"
wait_for 10 sh -c "! ip -n cli link show dev sstp-dod >/dev/null 2>&1" ||
	fail "sstp-dod outlived the client"
ip -n cli route show | grep -q "192.0.2.1 " && fail "the pinned route was left behind"
kill -TERM "$serve"
wait "$serve"
wait_for 10 no_process pppd || fail "pppd still running"
rmmod sstp || fail "rmmod sstp"
cat "$WORK/client.log"
