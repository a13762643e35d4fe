#!/bin/sh
# vm: userspace (the kernel sees ordinary calls; what is new is in the helper and the plugin)
# Per-user profiles (MikroTik's PPP profiles): each user gets the profile
# named in its [user] section, the others default-profile, and the
# profile reaches pppd once the user is known:
# - alice (the default profile): an address of the pool "clients", the
#   server end 198.51.100.1, DNS 198.51.100.53;
# - bob ([profile staff]): an address of the pool "staff", the server end
#   203.0.113.1, DNS 203.0.113.53 and .54, the server's side of his link
#   capped at an MTU of 1300, and a session-timeout that ends his session;
# - carol ([profile quiet]): the profile's one address, no DNS at all (the
#   default profile's is taken away), an idle-timeout that ends her
#   session when she sends nothing.
# alice's session outlives both.
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

client_world
make_server_config "authentication = mschap2"
sed -i '/^\[profile default\]/a dns-server = 198.51.100.53' "$WORK/server.conf"
cat >>"$WORK/server.conf" <<CONF
[profile staff]
local-address = 203.0.113.1
remote-address = staff
dns-server = 203.0.113.53,203.0.113.54
session-timeout = 15s
max-mtu = 1300
[pool staff]
ranges = 203.0.113.10-203.0.113.20
[profile quiet]
remote-address = 198.51.100.99
idle-timeout = 4s
[user bob]
password = "bob's secret"
profile = staff
[user carol]
password = "carol's secret"
profile = quiet
CONF
start_serve
printf "bob's secret\n" >"$WORK/bob.pw"
printf "carol's secret\n" >"$WORK/carol.pw"

# connect USER PASSWORD-FILE IFNAME: a client in cli, logging to
# $WORK/USER.log; its pid in $pid.
connect() {
	ip netns exec cli "$HELPER" connect 192.0.2.1 --user "$1" \
		--password-file "$2" --ca "$WORK/ca.pem" --name "$3" \
		--use-peer-dns yes >"$WORK/$1.log" 2>&1 &
	pid=$!
	wait_for 30 grep -q "crypto binding verified for user $1 " "$WORK/serve.err.log" ||
		fail "$1's call did not come up: $(tail -5 "$WORK/$1.log")"
	wait_for 20 has_addr cli "$3" "" ||
		fail "$3 got no address: $(tail -5 "$WORK/$1.log")"
}

# iface_of USER: the server's ppp interface of USER's session (status
# lists the clients too: their status sockets are on the same disk).
iface_of() {
	ip netns exec srv "$HELPER" status --json | grep '"role": "server"' |
		grep "\"user\": \"$1\"" |
		grep -o '"interface": "[^"]*"' | cut -d'"' -f4
}

connect alice "$WORK/password" sstp-a
alice=$pid
has_addr cli sstp-a "198.51.100.1[0-9] peer 198.51.100.1/32" ||
	fail "alice is not on the default profile's pool: $(ip -n cli -4 addr show dev sstp-a)"
grep -q "primary   DNS address 198.51.100.53" "$WORK/alice.log" ||
	fail "alice did not get the default profile's DNS"
ip netns exec cli ping -c 2 -i 0.2 -W 2 -I sstp-a 198.51.100.1 >/dev/null 2>&1 ||
	fail "ping through alice's tunnel"

connect bob "$WORK/bob.pw" sstp-b
bob=$pid
bob_started=$(cut -d. -f1 /proc/uptime)
has_addr cli sstp-b "203.0.113.10 peer 203.0.113.1/32" ||
	fail "bob is not on staff's pool and address: $(ip -n cli -4 addr show dev sstp-b)"
grep -q "primary   DNS address 203.0.113.53" "$WORK/bob.log" &&
	grep -q "secondary DNS address 203.0.113.54" "$WORK/bob.log" ||
	fail "bob did not get staff's DNS servers: $(grep DNS "$WORK/bob.log")"
ip netns exec cli ping -c 2 -i 0.2 -W 2 -I sstp-b 203.0.113.1 >/dev/null 2>&1 ||
	fail "ping through bob's tunnel"
bob_if=$(iface_of bob)
[ -n "$bob_if" ] || fail "status shows no interface for bob"
ip -n srv link show dev "$bob_if" | grep -q "mtu 1300 " ||
	fail "bob's server interface is not capped at 1300: $(ip -n srv link show dev "$bob_if")"
ip netns exec srv ping -M do -s 1272 -c 1 -W 2 203.0.113.10 >/dev/null 2>&1 ||
	fail "a 1300-byte packet did not reach bob"
ip netns exec srv ping -M do -s 1273 -c 1 -W 2 203.0.113.10 >"$WORK/big.log" 2>&1 &&
	fail "a 1301-byte packet with DF passed bob's MTU of 1300"
alice_if=$(iface_of alice)
ip -n srv link show dev "$alice_if" | grep -q "mtu 1500 " ||
	fail "staff's MTU reached alice: $(ip -n srv link show dev "$alice_if")"

connect carol "$WORK/carol.pw" sstp-c
carol=$pid
has_addr cli sstp-c "198.51.100.99 peer 198.51.100.1/32" ||
	fail "carol has not quiet's address: $(ip -n cli -4 addr show dev sstp-c)"
grep -q "DNS address" "$WORK/carol.log" &&
	fail "carol got DNS servers her profile has none of: $(grep DNS "$WORK/carol.log")"

# carol sends nothing: idle-timeout ends her session, not the others'.
wait_for 30 grep -q "pppd exited: idle timeout (12), user carol" "$WORK/serve.err.log" ||
	fail "carol's session did not end on idle-timeout: $(tail -5 "$WORK/serve.err.log")"
wait_for 20 gone "$carol" || fail "carol's client outlived her session"
# bob's session-timeout: 15 s after his call, traffic or not.
wait_for 40 grep -q "pppd exited: session timeout (13), user bob" "$WORK/serve.err.log" ||
	fail "bob's session did not end on session-timeout: $(tail -5 "$WORK/serve.err.log")"
lasted=$(($(cut -d. -f1 /proc/uptime) - bob_started))
[ "$lasted" -ge 12 ] || fail "bob's session ended after ${lasted}s, before its 15s"
wait_for 20 gone "$bob" || fail "bob's client outlived his session"

ip netns exec cli ping -c 2 -i 0.2 -W 2 -I sstp-a 198.51.100.1 >/dev/null 2>&1 ||
	fail "alice's tunnel did not outlive the others"
grep -q "pppd exited.*user alice" "$WORK/serve.err.log" &&
	fail "alice's session ended: $(grep alice "$WORK/serve.err.log")"

client=$alice
stop_client
kill -TERM "$serve"
wait "$serve"
wait_for 10 no_process pppd || fail "pppd still running"
rmmod sstp || fail "rmmod sstp"
grep -E "profile|timeout" "$WORK/serve.err.log"
