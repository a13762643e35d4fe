#!/bin/sh
# vm: userspace (the client role of sstp.ko runs under the debug kernel in the sstp-testpeer tests)
# sstp-helper connect against sstp-helper serve, MS-CHAPv2, the server's
# certificate verified against a test CA (name and IP address): the call
# comes up with the crypto binding verified by the server, the interface
# takes its configured name, ping and iperf3 pass both ways, the server's
# status lists the session, and SIGTERM disconnects cleanly (exit 0, the
# server logs the client's Call Disconnect).
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

client_setup

ip netns exec cli "$HELPER" connect 192.0.2.1 --user alice \
	--password-file "$WORK/password" --ca "$WORK/ca.pem" --name sstp-out1 \
	--uuid "{5ECA1E5E-0000-4000-8000-000000000001}" >"$WORK/client.log" 2>&1 &
client=$!
wait_for 60 grep -q "connected to 192.0.2.1 as alice (mschap2)" "$WORK/client.log" ||
	fail "the client did not connect"
grep -q "datapath auto: sstp.ko carries the call (sstp.ko runs TLS_AES_128_GCM_SHA256)" \
	"$WORK/client.log" || fail "the client did not say sstp.ko carries the call"
wait_for 10 grep -q "crypto binding verified for user alice (mschap2)" "$WORK/serve.err.log" ||
	fail "the server did not verify the client's crypto binding"
grep -q "correlation id {5ECA1E5E-0000-4000-8000-000000000001}" "$WORK/serve.err.log" ||
	fail "the server did not get the client's --uuid"
wait_for 20 has_addr cli sstp-out1 '198.51.100.1[0-9]' ||
	fail "sstp-out1 got no address"
grep -q "sstp-out1 up: local 198.51.100.1[0-9]*, remote 198.51.100.1$" "$WORK/client.log" ||
	fail "the client did not log its link"
carry_traffic client
python3 - "$WORK/status.json" <<'PY' || fail "status: $(cat "$WORK/status.json")"
import json, sys
s = json.load(open(sys.argv[1]))["sessions"]
client = [x for x in s if x["role"] == "client"]
server = [x for x in s if x["role"] == "server"]
assert len(client) == 1 and len(server) == 1, s
c = client[0]
assert c["state"] == "up" and c["user"] == "alice", c
assert c["peer"] == "192.0.2.1:443" and c["interface"] == "sstp-out1", c
assert c["local_address"].startswith("198.51.100.1"), c
assert c["remote_address"] == "198.51.100.1", c
assert c["tls_version"] == "TLSv1.3" and c["tx_bytes"] > 100000, c
assert server[0]["state"] == "up" and server[0]["user"] == "alice", server
PY
ip netns exec cli "$HELPER" status | grep -q "^[0-9]* *client *up *alice *192\.0\.2\.1:443 *sstp-out1 " ||
	fail "the status table does not show the client: $(ip netns exec cli "$HELPER" status)"

kill -TERM "$client"
wait "$client"
rc=$?
[ "$rc" -eq 0 ] || fail "the client exited $rc after SIGTERM, want 0"
grep -q "stopping on a signal: disconnecting" "$WORK/client.log" ||
	fail "the client did not say it was disconnecting"
wait_for 10 grep -q "session ended: client disconnected" "$WORK/serve.err.log" ||
	fail "the server did not get the client's Call Disconnect"
# pppd writes to the same file at the same moment ("Modem hangup" and
# then its newline), so the helper's line need not start one.
grep -q "sstp-helper: disconnected$" "$WORK/client.log" ||
	fail "the client got no Disconnect Ack"
[ ! -e /run/sstp/client-sstp-out1.sock ] || fail "the client left its status socket"
kill -TERM "$serve"
wait "$serve"
wait_for 10 no_process pppd || fail "pppd still running"
rmmod sstp || fail "rmmod sstp"
cat "$WORK/client.log"
