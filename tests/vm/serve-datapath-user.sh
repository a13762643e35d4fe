#!/bin/sh
# vm: userspace (sstp.ko is never loaded: pppd on ptys, through the kernel's ppp_async)
# A machine without sstp.ko: sstp-helper serve with datapath = kernel
# refuses to start and says why; with the default, auto, it starts and
# says the helper carries every call. Our client (auto too) says the
# same and connects, then Debian's sstpc: each call comes up with its
# crypto binding verified, ping and iperf3 pass, the server's status
# counts the session's bytes, our call stays up through 6 s of silence
# with a keepalive of 2 s (the carriers' Echoes), and SIGTERM to the
# server disconnects sstpc cleanly.
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

modprobe -a ppp_generic ppp_async veth || fail "modprobe ppp_generic ppp_async veth"
mkdir -p /run/lock /var/run/netns
make_netns
# shellcheck disable=SC2119 # the default validity
make_ca_cert
printf 'open sesame\n' >"$WORK/password"
make_server_config "authentication = mschap2" "datapath = kernel"
if ip netns exec srv "$HELPER" serve --config "$WORK/server.conf" \
	2>"$WORK/serve-kernel.log"; then
	fail "serve with datapath = kernel started without sstp.ko"
fi
grep -q "sstp" "$WORK/serve-kernel.log" ||
	fail "serve with datapath = kernel said nothing of sstp.ko: $(cat "$WORK/serve-kernel.log")"
make_server_config "authentication = mschap2" "keepalive-timeout = 2"
start_serve
grep -q "datapath auto: sstp.ko is not available (.*): the helper carries every call" \
	"$WORK/serve.err.log" || fail "the server did not say it carries the calls itself"

ip netns exec cli "$HELPER" connect 192.0.2.1 --user alice \
	--password-file "$WORK/password" --ca "$WORK/ca.pem" --name sstp-out1 \
	--keepalive-timeout 2 >"$WORK/client.log" 2>&1 &
client=$!
wait_for 60 grep -q "connected to 192.0.2.1 as alice (mschap2)" "$WORK/client.log" ||
	fail "our client did not connect: $(cat "$WORK/client.log")"
grep -q "datapath auto: the helper carries the call (sstp.ko is not available)" \
	"$WORK/client.log" || fail "our client did not say why it carries the call"
wait_for 10 grep -q "crypto binding verified for user alice (mschap2)" "$WORK/serve.err.log" ||
	fail "the server did not verify our client's crypto binding"
wait_for 20 has_addr cli sstp-out1 '198.51.100.1[0-9]' || fail "sstp-out1 got no address"
carry_traffic ours
ip netns exec srv "$HELPER" status --json >"$WORK/status-srv.json" ||
	fail "the server's status --json failed"
python3 - "$WORK/status-srv.json" <<'PY' || fail "status: $(cat "$WORK/status-srv.json")"
import json, sys
s = [x for x in json.load(open(sys.argv[1]))["sessions"] if x["role"] == "server"]
assert len(s) == 1 and s[0]["state"] == "up" and s[0]["user"] == "alice", s
assert s[0]["rx_bytes"] > 100000 and s[0]["tx_bytes"] > 100000, s
assert s[0]["datapath"] == "user", s
PY
# Idle for three keepalive intervals: each end's Echo is answered by the
# other's carrier, and the call stays up (down after 4 s of silence).
sleep 6
kill -0 "$client" || fail "our client ended while idle: $(cat "$WORK/client.log")"
! grep -q "session ended" "$WORK/serve.err.log" ||
	fail "the server ended the idle session: $(grep 'session ended' "$WORK/serve.err.log")"
ip netns exec cli ping -c 1 -W 2 198.51.100.1 >/dev/null 2>&1 || fail "no ping after the idle time"
kill -TERM "$client"
wait "$client" || fail "our client exited $? after SIGTERM"
wait_for 10 grep -q "session ended: client disconnected" "$WORK/serve.err.log" ||
	fail "the server did not get our client's Call Disconnect"

sstpc_alice "$WORK/sstpc.log"
wait_for 40 has_addr cli "" '198.51.100.1[0-9]' || fail "sstpc never got an address"
wait_for 10 sh -c "[ \$(grep -c 'crypto binding verified for user alice' '$WORK/serve.err.log') -ge 2 ]" ||
	fail "the server did not verify sstpc's crypto binding"
ip netns exec cli ping -c 3 -i 0.2 -W 2 198.51.100.1 >"$WORK/ping-sstpc.log" 2>&1 ||
	fail "ping through sstpc's tunnel"
iperf_both_ways sstpc

kill -TERM "$serve"
wait "$serve"
wait_for 10 gone "$sstpc" || fail "sstpc still running after the server stopped"
grep -q "disconnecting" "$WORK/serve.err.log" || fail "no Call Disconnect on SIGTERM"
! grep -q '^sstp ' /proc/modules || fail "sstp.ko was loaded"
cat "$WORK/serve.err.log"
echo "serve and connect without sstp.ko (datapath auto): our client and sstpc up, traffic both ways"
