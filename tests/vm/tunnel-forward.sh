#!/bin/sh
# vm: debug-elsewhere (tunnel-ping runs the receive path under the checkers)
# A server forwards what arrives through the tunnel to a network behind
# it, as a VPN concentrator does: pings from the client cross sstp.ko and
# the server's IP forwarding to 203.0.113.2 in a third namespace, and back.
# The packets sstp.ko hands to ppp_input() carry room for the outgoing
# device's header: the forwarding path must not reallocate their heads
# (pskb_expand_head(), which ip_forward()'s skb_cow() calls, counted with a kprobe) for each of them.
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

N=200
T=/sys/kernel/debug/tracing
[ -w "$T/kprobe_events" ] || fail "no kprobe events on $SSTP_KERNEL"

load_modules
make_netns
make_cert
printf '%s\n' "netns add far" \
	"link add veth-r netns srv type veth peer name veth-f netns far" |
	ip -batch - || fail "cannot make the far namespace"
printf '%s\n' "addr add 203.0.113.1/24 dev veth-r" "link set veth-r up" |
	ip -n srv -batch - || fail "cannot set up srv's far side"
printf '%s\n' "addr add 203.0.113.2/24 dev veth-f" "link set lo up" \
	"link set veth-f up" "route add 198.51.100.0/24 via 203.0.113.1" |
	ip -n far -batch - || fail "cannot set up far"
ip netns exec srv sysctl -q -w net.ipv4.ip_forward=1 || fail "ip_forward"

# shellcheck disable=SC2086 # the option lists are word lists
start_server --open-gate --plugin "$PLUGIN" -- $PPPD_SRV
# shellcheck disable=SC2086
start_client --open-gate --plugin "$PLUGIN" -- $PPPD_CLI
wait_for 40 has_addr cli ppp20 198.51.100.2 || fail "client ppp20 never got its address"
wait_for 10 has_addr srv ppp10 198.51.100.1 || fail "server ppp10 never got its address"
ip -n cli route add 203.0.113.0/24 dev ppp20 || fail "route to far"
ip netns exec cli ping -c 2 -W 5 203.0.113.2 >"$WORK/ping-first.log" 2>&1 ||
	fail "no ping through the tunnel to far: $(cat "$WORK/ping-first.log")"

echo 'p:kprobes/expand_head pskb_expand_head' >"$T/kprobe_events" ||
	fail "cannot place a kprobe on pskb_expand_head"
echo 1 >"$T/events/kprobes/enable"
ip netns exec cli ping -q -c "$N" -i 0.01 -W 5 203.0.113.2 >"$WORK/ping.log" 2>&1 ||
	fail "ping to far: $(cat "$WORK/ping.log")"
echo 0 >"$T/events/kprobes/enable"
hits=$(sed -n 's/^ *expand_head *\([0-9]*\).*/\1/p' "$T/kprobe_profile")
echo >"$T/kprobe_events"
cat "$WORK/ping.log"
echo "$N pings forwarded: pskb_expand_head ran ${hits:-?} times"
[ -n "$hits" ] || fail "no count from the kprobe"
# Each would be a head reallocated on the way out of veth-r.
[ "$hits" -lt $((N / 10)) ] ||
	fail "$hits heads reallocated for $N forwarded packets"

stop "$cli"
wait_for 10 gone "$srv" || fail "server end stayed up"
wait "$srv"
ip netns del far
rmmod sstp || fail "rmmod sstp"
