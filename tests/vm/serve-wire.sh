#!/bin/sh
# vm: no-debug (the same kernel path as serve-sstpc-mschapv2; what differs is a capture read by tshark)
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

ip netns exec srv dumpcap -q -i veth-s -f "tcp port 443" \
	-w "$WORK/wire.pcapng" >"$WORK/dumpcap.log" 2>&1 &
dumpcap=$!
wait_for 20 test -s "$WORK/wire.pcapng" || fail "dumpcap did not start"

export SSLKEYLOGFILE="$WORK/tls-keys"
start_serve
unset SSLKEYLOGFILE
run_sstpc "$WORK/sstpc.log" --cert-warn --user alice --password "open sesame" \
	192.0.2.1:443 require-mschap-v2 noauth noipdefault nodefaultroute \
	refuse-eap noccp
wait_for 40 grep -q "crypto binding verified for user alice" "$WORK/serve.err.log" ||
	fail "the call did not come up"
wait_for 20 sh -c "ip -n cli -4 addr show | grep -q 'inet 198.51.100.1[0-9]'" ||
	fail "the client never got an address"
ip netns exec cli ping -c 3 -i 0.2 -W 2 198.51.100.1 >"$WORK/ping.log" 2>&1 ||
	fail "ping through the tunnel"
kill -TERM "$serve"
wait "$serve"
wait_for 10 sh -c "! kill -0 $sstpc" || fail "sstpc still running after the server stopped"
grep -q "session ended: disconnected" "$WORK/serve.err.log" ||
	fail "sstpc did not acknowledge the server's Call Disconnect"
sleep 1
kill -INT "$dumpcap"
wait "$dumpcap"
grep -q "CLIENT_RANDOM" "$WORK/tls-keys" || fail "the key log has no TLS 1.2 secret"

# tshark FILTER FIELDS...: one line per SSTP packet that FILTER matches.
tshark_sstp() {
	_filter=$1
	shift
	tshark -r "$WORK/wire.pcapng" -o "tls.keylog_file:$WORK/tls-keys" \
		-Y "$_filter" -T fields -E occurrence=a "$@" 2>>"$WORK/tshark.log"
}

# Message types as numbers: 1 Connect Request, 2 Connect Ack,
# 4 Call Connected, 6 Disconnect, 7 Disconnect Ack.
tshark_sstp "sstp.iscontrol == 1" -e sstp.messagetype | tr ',' '\n' |
	sort -u >"$WORK/types.log"
for t in 1 2 4 6 7; do
	grep -qix "0x000$t" "$WORK/types.log" ||
		fail "no control packet of type $t on the wire (saw: $(tr '\n' ' ' <"$WORK/types.log"))"
done
data=$(tshark_sstp "sstp.iscontrol == 0" -e frame.number | wc -l)
[ "$data" -ge 10 ] || fail "only $data frames with SSTP data packets, want >= 10"
icmp=$(tshark_sstp "sstp && icmp.type == 8" -e frame.number | wc -l)
[ "$icmp" -ge 3 ] || fail "saw $icmp echo requests inside SSTP, want 3"
# Every SSTP packet is version 1.0.
bad=$(tshark_sstp "sstp && (sstp.majorversion != 1 || sstp.minorversion != 0)" \
	-e frame.number | wc -l)
[ "$bad" -eq 0 ] || fail "$bad frames with an SSTP version other than 1.0"
malformed=$(tshark_sstp "_ws.malformed || _ws.expert.severity >= error" \
	-e frame.number -e _ws.expert.message)
[ -z "$malformed" ] || fail "tshark found malformed packets: $malformed"

cat "$WORK/types.log"
echo "$data frames of SSTP data, $icmp echo requests inside, nothing malformed"
