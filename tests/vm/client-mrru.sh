#!/bin/sh
# mrru on both ends: max-mtu 1400 and mrru 1600 make pppd run PPP
# multilink (each in a bundle of its own). The interfaces get an MTU of
# 1600, a 1600-byte packet with DF set passes both ways, cut by
# ppp_generic into fragments that fit sstp.ko's channel MTU (1400: two
# SSTP data packets per ping, counted by the kernel), and a 1601-byte one
# is refused. The kernel path is new (multilink fragments, built without
# headroom for our header), so this runs on the debug kernel too.
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

client_world
make_server_config "authentication = mschap2" "max-mtu = 1400" "mrru = 1600"
start_serve

ip netns exec cli "$HELPER" connect 192.0.2.1 --user alice \
	--password-file "$WORK/password" --ca "$WORK/ca.pem" --name sstp-mp \
	--max-mtu 1400 --mrru 1600 >"$WORK/client.log" 2>&1 &
client=$!
client_pings sstp-mp

ip -n cli link show dev sstp-mp | grep -q "mtu 1600 " ||
	fail "sstp-mp's MTU is not the mrru: $(ip -n cli link show dev sstp-mp)"
ip -n srv -o link show | grep "ppp" | grep -q "mtu 1600 " ||
	fail "the server's ppp interface's MTU is not the mrru: $(ip -n srv -o link)"
pgrep -a pppd | grep -q "mrru 1600 bundle sstp-" ||
	fail "pppd runs without multilink: $(pgrep -a pppd)"

# tx_packets ROLE: of the client's or the server's tunnel, from the
# kernel's counters (status reaches both: the socket paths are shared).
tx_packets() {
	ip netns exec cli "$HELPER" status --json | grep "\"role\": \"$1\"" |
		grep -o '"tx_packets": [0-9]*' | grep -o '[0-9]*$'
}

before=$(tx_packets client)
ip netns exec cli ping -M do -s 1572 -c 10 -i 0.2 -W 2 198.51.100.1 \
	>"$WORK/ping-big.log" 2>&1 ||
	fail "1600-byte packets with DF did not pass: $(cat "$WORK/ping-big.log")"
after=$(tx_packets client)
[ -n "$before" ] && [ -n "$after" ] || fail "no tx_packets in status --json"
[ $((after - before)) -ge 20 ] ||
	fail "10 pings of 1600 bytes went out in $((after - before)) SSTP packets: not cut to max-mtu"

remote=$(ip -n cli -4 -o addr show dev sstp-mp | sed -n 's/.* inet \([0-9.]*\).*/\1/p')
before=$(tx_packets server)
ip netns exec srv ping -M do -s 1572 -c 5 -i 0.2 -W 2 "$remote" \
	>"$WORK/ping-back.log" 2>&1 ||
	fail "1600-byte packets did not pass from the server: $(cat "$WORK/ping-back.log")"
after=$(tx_packets server)
[ -n "$before" ] && [ -n "$after" ] && [ $((after - before)) -ge 10 ] ||
	fail "the server sent 5 pings of 1600 bytes in $((after - before)) SSTP packets"
ip netns exec cli ping -M do -s 1573 -c 1 -W 2 198.51.100.1 \
	>"$WORK/ping-over.log" 2>&1 &&
	fail "a 1601-byte packet with DF passed an MTU of 1600"
grep -q -i "message too long\|mtu = 1600\|mtu=1600" "$WORK/ping-over.log" ||
	fail "the 1601-byte ping failed for another reason: $(cat "$WORK/ping-over.log")"

stop_client
kill -TERM "$serve"
wait "$serve"
wait_for 10 no_process pppd || fail "pppd still running"
rmmod sstp || fail "rmmod sstp"
cat "$WORK/client.log"
