#!/bin/sh
# vm: userspace (the kernel path of client-connect; what differs is the client's loop)
# reconnect = yes: the server goes away (its Disconnect, then nothing
# listening); the client waits 1 s, 2 s, ... and tries again, and once
# the server is back the call comes up again and passes traffic. A
# SIGTERM while it waits ends it at once with status 0.
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

client_setup
client_config "reconnect = yes" "reconnect-max-delay = 4"
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

serve_again reconnect

# The server goes for good: SIGTERM while the client waits.
tries=$(grep -c "reconnecting in" "$WORK/client.log")
kill -TERM "$serve"
wait "$serve"
wait_for 20 sh -c "[ \$(grep -c 'reconnecting in' '$WORK/client.log') -gt $tries ]" ||
	fail "no second round of reconnecting"
kill -TERM "$client"
wait_for 5 gone "$client" || fail "SIGTERM did not end the waiting client"
wait "$client"
rc=$?
[ "$rc" -eq 0 ] || fail "exit status $rc after SIGTERM, want 0"
grep "reconnecting\|connected to\|disconnected" "$WORK/client.log"
