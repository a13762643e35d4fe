#!/bin/sh
# The demo, run inside a VM guest by `make demo`: two network namespaces,
# `sstp-helper serve` in one and `sstp-helper connect` in the other. The
# client verifies the server's certificate, the call runs with MS-CHAPv2
# and crypto binding, and from then on every packet goes through sstp.ko
# (TLS with kTLS, pppd attached to the sstp.ko channel): ping, iperf3,
# `sstp-helper status`, then a clean disconnect. Then the same call on
# the userspace data path (datapath = user, what a machine without
# sstp.ko gets): pppd on a pty, the helper moving the frames.
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

step() { printf '\n== %s\n' "$*"; }

step "loading tls, ppp_generic, veth and sstp.ko"
load_modules
genl ctrl get name sstp | head -n 3
make_netns
make_ca_cert

step "sstp-helper serve in netns srv (192.0.2.1:443)"
make_server_config "authentication = mschap2"
cat "$WORK/server.conf"
start_serve
printf 'open sesame\n' >"$WORK/password"

step "sstp-helper connect in netns cli: 192.0.2.1 as alice, interface sstp-out1"
ip netns exec cli "$HELPER" connect 192.0.2.1 --user alice \
	--password-file "$WORK/password" --ca "$WORK/ca.pem" --name sstp-out1 \
	>"$WORK/client.log" 2>&1 &
client=$!
wait_for 60 sh -c "ip -n cli -4 addr show dev sstp-out1 2>/dev/null | grep -q 'inet 198.51.100'" ||
	fail "the tunnel did not come up"
grep "^sstp-helper" "$WORK/client.log"
ip -n cli addr show dev sstp-out1

step "ping through the tunnel"
ip netns exec cli ping -c 3 -i 0.2 198.51.100.1

step "iperf3 through the tunnel, 5 s (TCG-emulated CPU: compare ratios, not numbers)"
ip netns exec srv iperf3 -s -1 -B 198.51.100.1 >/dev/null 2>&1 &
sleep 1
ip netns exec cli iperf3 -c 198.51.100.1 -t 5 -f m | tail -n 4

step "sstp-helper status"
"$HELPER" status

step "disconnecting (SIGTERM to the client)"
kill -TERM "$client"
wait "$client"
tail -n 2 "$WORK/client.log"

step "the same call on the userspace data path: sstp-helper connect --datapath user"
modprobe ppp_async
ip netns exec cli "$HELPER" connect 192.0.2.1 --user alice \
	--password-file "$WORK/password" --ca "$WORK/ca.pem" --name sstp-out1 \
	--datapath user >"$WORK/client-user.log" 2>&1 &
client=$!
wait_for 60 sh -c "ip -n cli -4 addr show dev sstp-out1 2>/dev/null | grep -q 'inet 198.51.100'" ||
	fail "the tunnel did not come up on the userspace path"
grep "^sstp-helper" "$WORK/client-user.log"
ip netns exec cli ping -c 3 -i 0.2 198.51.100.1
ip netns exec srv iperf3 -s -1 -B 198.51.100.1 >/dev/null 2>&1 &
sleep 1
ip netns exec cli iperf3 -c 198.51.100.1 -t 5 -f m | tail -n 4
kill -TERM "$client"
wait "$client"
tail -n 1 "$WORK/client-user.log"

step "stopping the server"
kill -TERM "$serve"
wait "$serve"
grep "session ended" "$WORK/serve.err.log"
rmmod sstp && echo "sstp.ko unloaded"
