#!/bin/sh
# vm: debug-elsewhere (serve-tls-proxy and tunnel-iperf run its server-role path)
# Debian's sstpc, a third-party client, connects to sstp-helper serve with
# MS-CHAPv2: the server verifies sstpc's crypto binding, opens the gate,
# and ping and iperf3 pass through the tunnel (data path in sstp.ko).
# SIGTERM to the server disconnects the client and leaves rmmod possible.
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

load_modules
make_netns
make_cert
make_server_config "authentication = mschap2"
start_serve

sstpc_alice "$WORK/sstpc.log"
wait_for 40 has_addr cli "" '198.51.100.1[0-9]' ||
	fail "the client never got an address"
# sstpc (OpenSSL's default order) puts AES-256-GCM first; the server's
# order wins, and its default starts with AES-128-GCM.
grep -q "TLSv1.3 TLS_AES_128_GCM_SHA256" "$WORK/serve.err.log" ||
	fail "not TLS 1.3 with the server's first suite, AES-128-GCM: $(grep TLSv "$WORK/serve.err.log")"
wait_for 10 grep -q "crypto binding verified for user alice (mschap2)" "$WORK/serve.err.log" ||
	fail "server did not verify the crypto binding"
ip netns exec cli ping -c 3 -i 0.2 -W 2 198.51.100.1 >"$WORK/ping.log" 2>&1 ||
	fail "ping through the tunnel"
ip netns exec srv iperf3 -s -1 -B 198.51.100.1 >/dev/null 2>&1 &
wait_for 10 listening $! 5201 ||
	fail "iperf3 server not listening"
ip netns exec cli iperf3 -c 198.51.100.1 -t 2 >"$WORK/iperf.log" 2>&1 ||
	fail "iperf3 through the tunnel"

kill -TERM "$serve"
wait "$serve"
wait_for 10 gone "$sstpc" || fail "sstpc still running after the server stopped"
grep -q "disconnecting" "$WORK/serve.err.log" || fail "no Call Disconnect on SIGTERM"
rmmod sstp || fail "rmmod sstp after the server stopped"
tail -n 3 "$WORK/iperf.log"
cat "$WORK/serve.err.log"
