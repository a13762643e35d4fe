#!/bin/sh
# vm: userspace (the kernel paths are those of tunnel-framing and serve-sstpc-mschapv2; what differs is the server's bookkeeping)
# sstp-helper serve under clients that misbehave, while one good sstpc
# session keeps passing traffic: a TLS client that stalls mid-handshake,
# a client that makes the HTTP exchange and then never sends Call Connect
# Request, one that sends garbage where SSTP should be, a second session
# whose pppd is killed, and a client with a wrong crypto binding. Each ends with its own log line; after
# each, the good session still answers ping.
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

load_modules
make_netns
make_cert
make_server_config "authentication = mschap2" "handshake-timeout = 4" \
	"negotiation-timeout = 6"
start_serve

good_ping() {
	ip netns exec cli ping -c 2 -i 0.3 -W 3 198.51.100.1 >>"$WORK/ping.log" 2>&1 ||
		fail "the good session stopped passing traffic $1"
}

# Wait for the server's log line matching $1 (a fixed string).
expect_log() {
	wait_for "${2:-20}" grep -qF -- "$1" "$WORK/serve.err.log" ||
		fail "no log line '$1'"
}

sstpc_alice "$WORK/sstpc.log"
good=$sstpc
wait_for 40 has_addr cli "" '198.51.100.1[0-9]' ||
	fail "the good client never got an address"
good_ping "before anything"

# 1. Three bytes of a TLS record header, then silence.
(printf '\026\003\001'; sleep 30) |
	ip netns exec cli busybox nc 192.0.2.1 443 >/dev/null 2>&1 &
staller=$!
expect_log "handshake timeout"
good_ping "after a stalled handshake"
kill "$staller" 2>/dev/null

# The request line and headers sstpc sends, as hex for sstp-testpeer.
request=$(printf 'SSTP_DUPLEX_POST /sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75}/ HTTP/1.1\r\nHost: 192.0.2.1\r\nContent-Length: 18446744073709551615\r\nSSTPCORRELATIONID: {12345678-1234-1234-1234-123456789ABC}\r\n\r\n' |
	od -An -v -tx1 | tr -d ' \n')

# 2. The HTTP exchange, then nothing: Call Abort after the negotiation timer.
ip netns exec cli "$BIN/sstp-testpeer" --connect 192.0.2.1:443 --raw \
	--seconds 20 --send "$request" >"$WORK/silent.log" 2>&1 &
silent=$!
expect_log "no Call Connect Request in time"
wait "$silent"
grep -q "^recv 485454502f312e3120323030" "$WORK/silent.log" ||
	fail "the silent client got no HTTP 200"
# Abort: control, length 20, type 5, one Status Info with NEGOTIATION_TIMEOUT.
grep -q "1001001400050001" "$WORK/silent.log" ||
	fail "the silent client got no Call Abort"
grep -q "^eof" "$WORK/silent.log" || fail "the silent client's connection was not closed"
good_ping "after a silent client"

# 3. SSTP version 2.0 where the first packet should be: a protocol error.
ip netns exec cli "$BIN/sstp-testpeer" --connect 192.0.2.1:443 --raw \
	--seconds 10 --send "${request}2001000c0001000100010000" \
	>"$WORK/garbage.log" 2>&1 &
garbage=$!
expect_log "tunnel down: protocol error"
wait "$garbage"
good_ping "after a client sending garbage"

# 4. A second session, whose pppd on the server is then killed.
sstpc_alice "$WORK/sstpc2.log"
second=$sstpc
wait_for 40 sh -c "[ \$(grep -c 'crypto binding verified' '$WORK/serve.err.log') -ge 2 ]" ||
	fail "the second session did not come up"
pid=$(sed -n 's/.*: pppd \([0-9]*\) on channel.*/\1/p' "$WORK/serve.err.log" | tail -n 1)
[ -n "$pid" ] || fail "no pppd pid in the log"
kill -KILL "$pid"
expect_log "pppd killed by signal 9"
wait_for 10 gone "$second" || fail "the second sstpc is still running"
good_ping "after another session's pppd was killed"
kill -0 "$good" || fail "the good sstpc is gone"

# 5. A client whose Compound MAC is wrong (our client, built to forge it):
# the server aborts the call before any IP passes.
printf 'open sesame\n' >"$WORK/password"
ip netns exec cli "$BIN/sstp-helper-forge" connect 192.0.2.1 --user alice \
	--password-file "$WORK/password" --cert-warn --name forged --plugin "$PLUGIN" \
	>"$WORK/forged.log" 2>&1 &
forged=$!
expect_log "session ended: crypto binding failed: " 60
wait_for 20 gone "$forged" || fail "the forging client is still running"
grep -q "the server aborted the call" "$WORK/forged.log" ||
	fail "the forging client was not told: $(cat "$WORK/forged.log")"
if grep -q "#6 .*crypto binding verified" "$WORK/serve.err.log"; then
	fail "a forged binding was verified"
fi
good_ping "after a forged crypto binding"

kill -TERM "$serve"
wait "$serve"
rmmod sstp || fail "rmmod sstp"
cat "$WORK/serve.err.log"
echo "five misbehaving clients refused, the good session kept passing traffic"
