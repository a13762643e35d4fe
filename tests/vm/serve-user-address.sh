#!/bin/sh
# vm: userspace (the kernel path of client-connect; what differs is address assignment)
# Addresses per user: bob has his own (inside the pool, so the pool never
# hands it to anyone else) and his own server-side address; alice gets
# one of the pool. A second session of bob's gets no address while his
# first holds it, and the server says why.
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

load_modules
make_netns
make_ca_cert
make_server_config "authentication = mschap2"
{
	echo "[user bob]"
	echo "password = \"bob's secret\""
	echo "remote-address = 198.51.100.10"
	echo "local-address = 198.51.100.2"
} >>"$WORK/server.conf"
start_serve

# client NAME USER PASSWORD: our client in cli, interface NAME ($!).
client() {
	printf '%s\n' "$3" >"$WORK/password-$1"
	ip netns exec cli "$HELPER" connect 192.0.2.1 --user "$2" \
		--password-file "$WORK/password-$1" --ca "$WORK/ca.pem" --name "$1" \
		>"$WORK/client-$1.log" 2>&1 &
}

client bob1 bob "bob's secret"
bob1=$!
wait_for 60 has_addr cli bob1 '198.51.100.10 peer 198.51.100.2' ||
	fail "bob did not get his addresses: $(ip -n cli -4 addr show dev bob1)"
client alice1 alice "open sesame"
alice1=$!
wait_for 60 has_addr cli alice1 '198.51.100.1[1-9] peer 198.51.100.1/' ||
	fail "alice did not get a pool address other than bob's: $(ip -n cli -4 addr show dev alice1)"
ip netns exec cli ping -I bob1 -c 2 -i 0.3 -W 3 198.51.100.2 >/dev/null 2>&1 ||
	fail "no ping to bob's own server address"
ip netns exec cli ping -I alice1 -c 2 -i 0.3 -W 3 198.51.100.1 >/dev/null 2>&1 ||
	fail "no ping through alice's tunnel"

client bob2 bob "bob's secret"
bob2=$!
wait_for 60 grep -q "no address for user bob: the user's address 198.51.100.10 is in use" \
	"$WORK/serve.err.log" || fail "bob's second session was not refused an address"
wait_for 60 gone "$bob2" || fail "bob's second client is still up"
kill -0 "$bob1" || fail "bob's first session went down"

kill -TERM "$bob1" "$alice1"
wait "$bob1"
wait "$alice1"
kill -TERM "$serve"
wait "$serve"
grep "address" "$WORK/serve.err.log"
