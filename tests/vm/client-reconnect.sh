#!/bin/sh
# vm: userspace (the kernel path of client-connect; what differs is the client's loop)
# reconnect = yes: the server goes away (its Disconnect, then nothing
# listening); the client waits 1 s, 2 s, ... and tries again, and once
# the server is back the call comes up again and passes traffic. A
# SIGTERM while it waits ends it at once with status 0.
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

client_setup
cat >"$WORK/client.conf" <<EOF2
[client]
connect-to = 192.0.2.1
user = alice
password-file = $WORK/password
ca = $WORK/ca.pem
name = sstp-out1
reconnect = yes
reconnect-max-delay = 4
EOF2
ip netns exec cli "$HELPER" connect --config "$WORK/client.conf" >"$WORK/client.log" 2>&1 &
client=$!
wait_for 60 grep -q "connected to 192.0.2.1" "$WORK/client.log" ||
	fail "the client did not connect: $(cat "$WORK/client.log")"

kill -TERM "$serve"
wait "$serve"
wait_for 20 grep -q "reconnecting in 1 s" "$WORK/client.log" ||
	fail "the client did not plan to reconnect: $(cat "$WORK/client.log")"
wait_for 20 grep -q "reconnecting in 2 s" "$WORK/client.log" ||
	fail "the client did not back off"
kill -0 "$client" || fail "the client gave up"

mv "$WORK/serve.err.log" "$WORK/serve-1.err.log"
start_serve
wait_for 60 sh -c "[ \$(grep -c 'connected to 192.0.2.1' '$WORK/client.log') -ge 2 ]" ||
	fail "the client did not reconnect: $(cat "$WORK/client.log")"
wait_for 20 sh -c "ip -n cli -4 addr show dev sstp-out1 | grep -q 'inet 198.51.100'" ||
	fail "no address after reconnecting"
ip netns exec cli ping -c 2 -i 0.3 -W 3 198.51.100.1 >/dev/null 2>&1 ||
	fail "no ping after reconnecting"

# The server goes for good: SIGTERM while the client waits.
tries=$(grep -c "reconnecting in" "$WORK/client.log")
kill -TERM "$serve"
wait "$serve"
wait_for 20 sh -c "[ \$(grep -c 'reconnecting in' '$WORK/client.log') -gt $tries ]" ||
	fail "no second round of reconnecting"
kill -TERM "$client"
wait_for 5 sh -c "! kill -0 $client" || fail "SIGTERM did not end the waiting client"
wait "$client"
rc=$?
[ "$rc" -eq 0 ] || fail "exit status $rc after SIGTERM, want 0"
grep "reconnecting\|connected to\|disconnected" "$WORK/client.log"
