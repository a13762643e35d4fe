#!/bin/sh
# vm: userspace (no tunnel is made: the client never gets past TLS)
# The client's dial (TCP, proxy, TLS, HTTP) runs beside its loop: against
# a server that accepts TCP and then says nothing, `sstp-helper status`
# lists the client at once (state "tls"), and SIGTERM ends it within a
# second or two, not after the 15 s the TLS handshake may wait; exit 0.
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

make_netns
# A server that accepts and never speaks: the TLS handshake waits.
ip netns exec srv python3 -c '
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("192.0.2.1", 443))
s.listen(4)
held = []
while True:
    held.append(s.accept()[0])
' >/dev/null 2>&1 &
mute=$!
wait_for 10 listening "$mute" 192.0.2.1:443 ||
	fail "the mute server is not listening"

printf 'x\n' >"$WORK/password"
ip netns exec cli "$HELPER" connect 192.0.2.1 --user alice \
	--password-file "$WORK/password" --name dial-stop \
	>"$WORK/client.log" 2>&1 &
client=$!
# The TCP connection is up; the handshake is waiting on the server.
wait_for 10 sh -c "ip netns exec cli ss -tn state established | grep -q '192.0.2.1:443'" ||
	fail "the client did not connect: $(cat "$WORK/client.log")"

# Status answers while the dial waits.
ip netns exec cli "$HELPER" status --json >"$WORK/status.json" 2>&1 ||
	fail "status failed during the dial: $(cat "$WORK/status.json")"
python3 - "$WORK/status.json" <<'PY' || fail "status during the dial: $(cat "$WORK/status.json")"
import json, sys
s = json.load(open(sys.argv[1]))["sessions"]
assert len(s) == 1 and s[0]["role"] == "client" and s[0]["state"] == "tls", s
PY

# SIGTERM is answered now, not when the handshake gives up.
start=$(cut -d. -f1 /proc/uptime)
kill -TERM "$client"
gone() { ! kill -0 "$client" 2>/dev/null; }
wait_for 5 gone || fail "the client still runs 5 s after SIGTERM"
took=$(($(cut -d. -f1 /proc/uptime) - start))
wait "$client"
rc=$?
[ "$rc" -eq 0 ] || fail "exit status $rc after SIGTERM, want 0: $(cat "$WORK/client.log")"
grep -q "stopping on a signal" "$WORK/client.log" ||
	fail "no word of the signal: $(cat "$WORK/client.log")"
[ ! -e /run/sstp/client-dial-stop.sock ] || fail "the status socket was left behind"
kill "$mute"
echo "status answered during the dial; SIGTERM ended the client in ${took}s"
