#!/bin/sh
# vm: userspace (the kernel path of client-connect; what differs is a capture read by tshark)
# Our client on the wire, as a third party sees it: a capture of its call
# with sstp-helper serve over TLS 1.3, decrypted with the client's own key
# log (SSLKEYLOGFILE), goes through Wireshark's SSTP dissector: the whole
# call (the client's Disconnect this time), data packets with ping inside,
# nothing malformed.
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

client_setup
start_capture "$WORK/wire.pcapng"
ip netns exec cli env SSLKEYLOGFILE="$WORK/tls-keys" "$HELPER" connect \
	192.0.2.1 --user alice --password-file "$WORK/password" --ca "$WORK/ca.pem" \
	>"$WORK/client.log" 2>&1 &
client=$!
wait_for 60 grep -q "connected to 192.0.2.1" "$WORK/client.log" ||
	fail "the client did not connect"
wait_for 20 has_addr cli "" '198.51.100.1[0-9]' ||
	fail "no address"
ip netns exec cli ping -c 3 -i 0.2 -W 2 198.51.100.1 >"$WORK/ping.log" 2>&1 ||
	fail "ping through the tunnel"
kill -TERM "$client"
wait "$client" || fail "the client exited $? after SIGTERM"
wait_for 10 grep -q "session ended: client disconnected" "$WORK/serve.err.log" ||
	fail "the server did not get the client's Disconnect"
stop_capture
grep -q "CLIENT_TRAFFIC_SECRET_0" "$WORK/tls-keys" || fail "the key log has no TLS 1.3 secret"
check_wire "$WORK/wire.pcapng" "$WORK/tls-keys"
kill -TERM "$serve"
wait "$serve"
