#!/bin/sh
# vm: userspace (the kernel path of client-connect; what differs is routing)
# add-default-route: the client's only way to the server is its default
# route. Once connected, the default route goes through the tunnel, and
# a host route keeps the server's own address on the old path, so the
# tunnel does not swallow its own packets: traffic to an address behind
# the server flows through the tunnel and the call stays up. On exit the
# host route goes and the old default route is back.
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

client_setup
# cli sits on 203.0.113.0/24 and reaches the server's 192.0.2.1 through
# its default gateway only (srv's 203.0.113.1, routing for it).
ip -n cli addr flush dev veth-c
ip -n cli addr add 203.0.113.2/24 dev veth-c
ip -n srv addr add 203.0.113.1/24 dev veth-s
ip -n cli route add default via 203.0.113.1
# An address "on the Internet", behind the server.
ip -n srv addr add 192.0.2.200/32 dev lo

ip netns exec cli "$HELPER" connect 192.0.2.1 --user alice \
	--password-file "$WORK/password" --ca "$WORK/ca.pem" --name sstp-out1 \
	--add-default-route yes >"$WORK/client.log" 2>&1 &
client=$!
wait_for 60 grep -q "connected to 192.0.2.1" "$WORK/client.log" ||
	fail "the client did not connect: $(cat "$WORK/client.log")"
grep -q "add-default-route: the route to 192.0.2.1 via 203.0.113.1 stays outside the tunnel" \
	"$WORK/client.log" || fail "the client did not pin the server's route"
wait_for 20 sh -c "ip -n cli route show default | grep -q 'dev sstp-out1'" ||
	fail "the default route is not through the tunnel: $(ip -n cli route)"
ip -n cli route show 192.0.2.1 | grep -q "via 203.0.113.1 dev veth-c" ||
	fail "no host route to the server: $(ip -n cli route)"
ip -n cli route get 192.0.2.200 | grep -q "dev sstp-out1" ||
	fail "192.0.2.200 is not routed through the tunnel"
ip netns exec cli ping -c 3 -i 0.3 -W 3 192.0.2.200 >"$WORK/ping.log" 2>&1 ||
	fail "no ping through the tunnel's default route"
sleep 3
kill -0 "$client" || fail "the call did not survive its own default route"
ip netns exec cli ping -c 2 -i 0.3 -W 3 192.0.2.200 >/dev/null 2>&1 ||
	fail "no ping after a while"

kill -TERM "$client"
wait "$client" || fail "the client exited $?"
wait_for 10 sh -c "ip -n cli route show default | grep -q 'via 203.0.113.1 dev veth-c'" ||
	fail "the old default route is not back: $(ip -n cli route)"
if ip -n cli route show 192.0.2.1 | grep -q .; then
	fail "the host route to the server was left: $(ip -n cli route)"
fi
kill -TERM "$serve"
wait "$serve"
ip -n cli route
