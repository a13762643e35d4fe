#!/bin/sh
# vm: userspace (the same kernel path as serve-sstpc-mschapv2; what differs is a capture read by tshark)
# The wire, as a third party sees it: a capture of sstpc's session with
# sstp-helper serve, decrypted with the server's TLS key log
# (SSLKEYLOGFILE), goes through Wireshark's own SSTP dissector. Everything
# after the HTTP exchange was framed by sstp.ko: the call's control
# packets (Connect Request/Ack, Call Connected, Disconnect/Ack), PPP in
# data packets, ping's ICMP inside them, and not one malformed packet.
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

load_modules
make_netns
make_cert
make_server_config "authentication = mschap2" "tls-version = only-1.2"

start_capture "$WORK/wire.pcapng"

export SSLKEYLOGFILE="$WORK/tls-keys"
start_serve
unset SSLKEYLOGFILE
sstpc_alice "$WORK/sstpc.log"
wait_for 40 grep -q "crypto binding verified for user alice" "$WORK/serve.err.log" ||
	fail "the call did not come up"
wait_for 20 has_addr cli "" '198.51.100.1[0-9]' ||
	fail "the client never got an address"
ip netns exec cli ping -c 3 -i 0.2 -W 2 198.51.100.1 >"$WORK/ping.log" 2>&1 ||
	fail "ping through the tunnel"
kill -TERM "$serve"
wait "$serve"
wait_for 10 gone "$sstpc" || fail "sstpc still running after the server stopped"
grep -q "session ended: disconnected" "$WORK/serve.err.log" ||
	fail "sstpc did not acknowledge the server's Call Disconnect"
stop_capture
grep -q "CLIENT_RANDOM" "$WORK/tls-keys" || fail "the key log has no TLS 1.2 secret"

check_wire "$WORK/wire.pcapng" "$WORK/tls-keys"
