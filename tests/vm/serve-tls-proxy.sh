#!/bin/sh
# Behind a TLS-terminating proxy: Debian's haproxy takes TLS on
# 192.0.2.1:443 with the CA-signed certificate and passes the plain SSTP
# stream, after a PROXY v2 header, to sstp-helper serve on 127.0.0.1 with
# accept = proxy (plain-http, accel-ppp's spelling) and the certificate's
# SHA-256 as cert-hash-sha256. sstp.ko takes those sockets without kTLS
# (SSTP_TRANSPORT_TCP). Our client (verifying the certificate) and
# Debian's sstpc (not on the debug kernel) each come up with the crypto
# binding verified against the configured hash, and traffic passes. With
# a wrong hash configured, the server refuses the binding.
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

load_modules
make_netns
make_ca_cert
ip -n srv link set lo up
printf 'open sesame\n' >"$WORK/password"
cat "$WORK/cert.pem" "$WORK/key.pem" >"$WORK/haproxy.pem"
hash=$(openssl x509 -in "$WORK/cert.pem" -noout -fingerprint -sha256 | cut -d= -f2)
wrong=$(openssl x509 -in "$WORK/ca.pem" -noout -fingerprint -sha256 | cut -d= -f2)

# plain_server HASH: the config of a server behind the proxy.
plain_server() {
	make_server_config "authentication = mschap2" "listen = 127.0.0.1" \
		"port = 8443" "accept = proxy" "cert-hash-sha256 = $1"
	sed -i -e '/^certificate = /d' -e '/^private-key = /d' "$WORK/server.conf"
}
stop_serve() {
	kill -TERM "$serve"
	wait "$serve"
}
start_plain_serve() {
	ip netns exec srv "$HELPER" serve --debug --config "$WORK/server.conf" \
		>"$WORK/pppd.log" 2>"$WORK/serve.err.log" &
	serve=$!
	wait_for 30 listening "$serve" 127.0.0.1:8443 ||
		fail "sstp-helper serve not listening: $(cat "$WORK/serve.err.log")"
}

# Without a hash, plain-http says what it needs.
make_server_config "plain-http = yes"
sed -i -e '/^certificate = /d' -e '/^private-key = /d' "$WORK/server.conf"
ip netns exec srv "$HELPER" serve --config "$WORK/server.conf" >"$WORK/refused.log" 2>&1 &&
	fail "serve started in plain-http mode without a certificate hash"
grep -q "plain-http = yes needs cert-hash-sha256" "$WORK/refused.log" ||
	fail "no reason given: $(cat "$WORK/refused.log")"

plain_server "$hash"
start_plain_serve
grep -q "plain-http = yes: no TLS here" "$WORK/serve.err.log" ||
	fail "the server did not say it does no TLS"

cat >"$WORK/haproxy.cfg" <<EOF
global
	maxconn 100
defaults
	mode tcp
	timeout connect 5s
	timeout client 120s
	timeout server 120s
frontend sstp
	bind 192.0.2.1:443 ssl crt $WORK/haproxy.pem
	default_backend vpn
backend vpn
	server plain 127.0.0.1:8443 send-proxy-v2
EOF
ip netns exec srv haproxy -f "$WORK/haproxy.cfg" -db >"$WORK/haproxy.log" 2>&1 &
haproxy=$!
wait_for 60 listening "$haproxy" 192.0.2.1:443 ||
	fail "haproxy is not listening"

# Our client, verifying the proxy's certificate.
ip netns exec cli "$HELPER" connect 192.0.2.1 --user alice \
	--password-file "$WORK/password" --ca "$WORK/ca.pem" --name sstp-out1 \
	>"$WORK/client.log" 2>&1 &
client=$!
wait_for 60 grep -q "connected to 192.0.2.1 as alice (mschap2)" "$WORK/client.log" ||
	fail "the client did not connect: $(cat "$WORK/client.log")"
wait_for 10 grep -q "crypto binding verified for user alice (mschap2)" "$WORK/serve.err.log" ||
	fail "the server did not verify the binding"
grep "crypto binding verified" "$WORK/serve.err.log" | grep -q "unchecked\|unknown" &&
	fail "the certificate hash was not checked"
grep -q "192.0.2.2:[0-9]*: connected through 127.0.0.1:" "$WORK/serve.err.log" ||
	fail "the server did not log the real client address"
wait_for 20 has_addr cli sstp-out1 '198.51.100.1[0-9]' ||
	fail "sstp-out1 got no address"
iperf_both_ways plain
ip netns exec srv "$HELPER" status --json >"$WORK/status.json" ||
	fail "status --json failed"
python3 - "$WORK/status.json" <<'PY' || fail "status: $(cat "$WORK/status.json")"
import json, sys
s = [x for x in json.load(open(sys.argv[1]))["sessions"] if x["role"] == "server"]
assert len(s) == 1 and s[0]["state"] == "up", s
assert s[0]["tls_version"] == "plain" and s[0]["peer"].startswith("192.0.2.2:"), s
assert s[0]["rx_bytes"] > 100000 and s[0]["tx_bytes"] > 100000, s
PY

# Debian's sstpc through the same proxy. Not on the debug kernel: its
# call takes the kernel path of ours, and it is the slowest part there.
if [ "$SSTP_KERNEL" = debug ]; then
	kill -TERM "$client"
	wait "$client"
else
	sstpc_alice "$WORK/sstpc.log"
	wait_for 60 sh -c "[ \$(grep -c 'crypto binding verified' '$WORK/serve.err.log') -ge 2 ]" ||
		fail "sstpc's session did not come up: $(tail -5 "$WORK/sstpc.log")"
	wait_for 30 sh -c "[ \$(ip -n cli -4 -o addr show | grep -c 'inet 198.51.100') -ge 2 ]" ||
		fail "sstpc got no address"
	dev=$(ip -n cli -4 -o addr show | sed -n 's/^[0-9]*: \(ppp[0-9]*\) .*/\1/p' | head -n1)
	ip netns exec cli ping -I "$dev" -c 3 -i 0.2 -W 2 198.51.100.1 >"$WORK/ping-sstpc.log" 2>&1 ||
		fail "no ping through sstpc's tunnel"
	kill -TERM "$client" "$sstpc"
	wait "$client"
	wait "$sstpc"
fi
stop_serve

# A hash that is not the proxy's certificate's: bindings are refused.
plain_server "$wrong"
start_plain_serve
ip netns exec cli timeout 60 "$HELPER" connect 192.0.2.1 --user alice \
	--password-file "$WORK/password" --ca "$WORK/ca.pem" >"$WORK/client-wrong.log" 2>&1
rc=$?
[ "$rc" -ne 0 ] || fail "the client connected although the server's hash is wrong"
wait_for 10 grep -q "crypto binding.*certificate hash" "$WORK/serve.err.log" ||
	fail "the server did not refuse the binding for the hash: $(cat "$WORK/serve.err.log")"
grep "crypto binding" "$WORK/serve.err.log"
stop_serve
kill "$haproxy"
wait "$haproxy"
wait_for 10 no_process pppd || fail "pppd still running"
rmmod sstp || fail "rmmod sstp"
