#!/bin/sh
# vm: userspace (the kernel path of netlink-api's events.overrun; what differs is serve's answer to it)
# serve's tunnel events overflow its netlink socket (ENOBUFS), and serve
# recovers by re-reading the tunnels: with netlink-buffer at its smallest,
# serve is stopped (SIGSTOP) while five of its six clients hang up (each
# a Call Disconnect and a TUNNEL_DOWN that nobody reads), then continued.
# serve says that events were lost and re-reads the tunnels; the five
# sessions end, the sixth keeps passing traffic, a new client still
# connects, and serve stops cleanly.
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

client_world
make_server_config "authentication = mschap2" "netlink-buffer = 4096"
start_serve

# connect N: client N (sstp-outN) up, its pid in client_N.
connect() {
	ip netns exec cli "$HELPER" connect 192.0.2.1 --user alice \
		--password-file "$WORK/password" --ca "$WORK/ca.pem" \
		--name "sstp-out$1" >"$WORK/client-$1.log" 2>&1 &
	eval "client_$1=\$!"
	wait_for 60 grep -q "connected to 192.0.2.1" "$WORK/client-$1.log" ||
		fail "client $1 did not connect: $(cat "$WORK/client-$1.log")"
}

# sessions: how many sessions serve lists.
sessions() {
	ip netns exec srv "$HELPER" status --json |
		python3 -c 'import json, sys; print(sum(1 for s in json.load(sys.stdin)["sessions"] if s["role"] == "server"))'
}
one_session() { [ "$(sessions)" = 1 ]; }

for i in 1 2 3 4 5 6; do
	connect "$i"
done
[ "$(sessions)" = 6 ] || fail "serve lists $(sessions) sessions, want 6"

kill -STOP "$serve"
for i in 1 2 3 4 5; do
	eval "kill -TERM \$client_$i"
done
# Each waits for a Disconnect Ack that cannot come, then closes.
for i in 1 2 3 4 5; do
	eval "wait \$client_$i"
done
kill -CONT "$serve"

wait_for 30 grep -q "netlink: events were lost; re-reading the tunnels" \
	"$WORK/serve.err.log" ||
	fail "serve did not notice the lost events: $(tail -n 20 "$WORK/serve.err.log")"
if grep -q "netlink: cannot re-read\|netlink receive" "$WORK/serve.err.log"; then
	fail "serve's netlink failed: $(grep netlink "$WORK/serve.err.log")"
fi
wait_for 30 one_session ||
	fail "serve lists $(sessions) sessions after the hang-ups, want 1"
ip netns exec cli ping -I sstp-out6 -c 3 -i 0.2 -W 3 198.51.100.1 >"$WORK/ping6.log" 2>&1 ||
	fail "the sixth call lost its traffic: $(cat "$WORK/ping6.log")"

connect 7
ip netns exec cli ping -I sstp-out7 -c 3 -i 0.2 -W 3 198.51.100.1 >"$WORK/ping7.log" 2>&1 ||
	fail "no traffic through a call made after the resync"

kill -TERM "$serve"
wait "$serve"
rc=$?
[ "$rc" -eq 0 ] || fail "serve exited $rc on SIGTERM"
for i in 6 7; do
	eval "wait \$client_$i"
	grep -q "server disconnected\|Call Disconnect" "$WORK/client-$i.log" ||
		fail "client $i: no Call Disconnect from the stopping server: $(tail -n 3 "$WORK/client-$i.log")"
done
