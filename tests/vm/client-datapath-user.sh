#!/bin/sh
# vm: userspace (the client's frames never touch sstp.ko; the server's kernel path is tunnel-ping's and serve-sstpc's)
# sstp-helper connect with datapath = user against sstp-helper serve (on
# sstp.ko): no kTLS at the client, OpenSSL keeps the connection and the
# helper carries the frames to pppd on a pty. The call comes up with the
# crypto binding verified by the server, ping and iperf3 pass both ways,
# status counts the client's bytes from its own carrier and shows each
# end's path, and SIGTERM disconnects cleanly. The user path with
# dial-on-demand is refused. Then the other way round: serve with
# datapath = user, and a client that takes sstp.ko (auto).
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

modprobe ppp_async || fail "modprobe ppp_async"
client_setup

ip netns exec cli "$HELPER" connect 192.0.2.1 --user alice \
	--password-file "$WORK/password" --ca "$WORK/ca.pem" --name sstp-out1 \
	--datapath user >"$WORK/client.log" 2>&1 &
client=$!
wait_for 60 grep -q "connected to 192.0.2.1 as alice (mschap2)" "$WORK/client.log" ||
	fail "the client did not connect: $(cat "$WORK/client.log")"
grep -q "datapath user: the helper carries the call, pppd runs on /dev/pts/" "$WORK/client.log" ||
	fail "the client did not say it carries the call itself"
wait_for 10 grep -q "crypto binding verified for user alice (mschap2)" "$WORK/serve.err.log" ||
	fail "the server did not verify the client's crypto binding"
wait_for 20 has_addr cli sstp-out1 '198.51.100.1[0-9]' ||
	fail "sstp-out1 got no address"
# Only the server's end is sstp.ko's: the client's pppd is on its pty.
pppd_cli=$(grep -l -- '/dev/pts/' /proc/[0-9]*/cmdline 2>/dev/null | head -n 1)
[ -n "$pppd_cli" ] || fail "no pppd runs on a pty"
carry_traffic client
python3 - "$WORK/status.json" <<'PY' || fail "status: $(cat "$WORK/status.json")"
import json, sys
s = json.load(open(sys.argv[1]))["sessions"]
c = [x for x in s if x["role"] == "client"][0]
assert c["state"] == "up" and c["interface"] == "sstp-out1", c
assert c["datapath"] == "user", c
assert [x for x in s if x["role"] == "server"][0]["datapath"] == "kernel", s
assert c["tx_bytes"] > 100000 and c["rx_bytes"] > 100000, c
assert c["tx_packets"] > 100 and c["rx_packets"] > 100, c
PY

kill -TERM "$client"
wait "$client"
rc=$?
[ "$rc" -eq 0 ] || fail "the client exited $rc after SIGTERM, want 0: $(cat "$WORK/client.log")"
wait_for 10 grep -q "session ended: client disconnected" "$WORK/serve.err.log" ||
	fail "the server did not get the client's Call Disconnect"
grep -q "sstp-helper: disconnected$" "$WORK/client.log" ||
	fail "the client got no Disconnect Ack"

if ip netns exec cli "$HELPER" connect 192.0.2.1 --user alice \
	--password-file "$WORK/password" --datapath user --dial-on-demand yes \
	>"$WORK/demand.log" 2>&1; then
	fail "datapath user with dial-on-demand was accepted"
fi
grep -q "dial-on-demand needs datapath = kernel" "$WORK/demand.log" ||
	fail "no reason for refusing dial-on-demand: $(cat "$WORK/demand.log")"
kill -TERM "$serve"
wait "$serve"
wait_for 10 no_process pppd || fail "pppd still running"

# The other way round: the server on the userspace path, the client
# (auto, sstp.ko loaded) on the kernel's.
make_server_config "authentication = mschap2" "datapath = user"
start_serve
ip netns exec cli "$HELPER" connect 192.0.2.1 --user alice \
	--password-file "$WORK/password" --ca "$WORK/ca.pem" --name sstp-out2 \
	>"$WORK/client2.log" 2>&1 &
client=$!
wait_for 60 has_addr cli sstp-out2 '198.51.100.1[0-9]' ||
	fail "sstp-out2 got no address: $(cat "$WORK/client2.log")"
grep -q "datapath auto: sstp.ko carries the call" "$WORK/client2.log" ||
	fail "the client did not take sstp.ko"
ip netns exec cli ping -c 3 -i 0.2 -W 2 198.51.100.1 >"$WORK/ping2.log" 2>&1 ||
	fail "ping from the kernel path to the userspace path"
ip netns exec cli "$HELPER" status --json >"$WORK/status2.json" || fail "status"
python3 - "$WORK/status2.json" <<'PY' || fail "status: $(cat "$WORK/status2.json")"
import json, sys
s = json.load(open(sys.argv[1]))["sessions"]
paths = {x["role"]: x["datapath"] for x in s}
assert paths == {"client": "kernel", "server": "user"}, s
PY
kill -TERM "$client"
wait "$client" || fail "the client exited $? after SIGTERM"
kill -TERM "$serve"
wait "$serve"
wait_for 10 no_process pppd || fail "pppd still running"
cat "$WORK/client.log"
echo "datapath = user at either end against sstp.ko at the other: calls up, traffic, status, clean disconnect"
