#!/bin/sh
# vm: userspace (the kernel path of client-connect; what differs is PPP authentication)
# The client's PPP authentication against sstp-helper serve: a wrong
# password gives the authentication error and exit status 6; PAP over
# TLS 1.2, CHAP-MD5 and MS-CHAPv1 bind with a zero HLAK and pass traffic;
# and a server that stops sends Call Disconnect, on which the client
# exits 0.
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

load_modules
make_netns
make_ca_cert

# client LOG PASSWORD [options...]: the client in cli, in the background.
client() {
	_log=$1
	printf '%s\n' "$2" >"$WORK/password"
	shift 2
	ip netns exec cli "$HELPER" connect 192.0.2.1 --user alice \
		--password-file "$WORK/password" --ca "$WORK/ca.pem" "$@" \
		>"$WORK/$_log" 2>&1 &
	client=$!
}

# 1. A wrong password.
make_server_config "authentication = mschap2"
start_serve
client wrong.log "not the password"
wait_for 60 gone "$client" || fail "the client with a wrong password did not give up"
wait "$client"
rc=$?
[ "$rc" -eq 6 ] || fail "wrong password: exit status $rc, want 6"
grep -q "authentication failed: the server refused user alice" "$WORK/wrong.log" ||
	fail "wrong password: no clear message: $(cat "$WORK/wrong.log")"
kill -TERM "$serve"
wait "$serve"

# 2. PAP over TLS 1.2, then CHAP-MD5, then MS-CHAPv1 (which Windows no
# longer offers, but pppd and MikroTik do); each ends by the server
# stopping.
for auth in pap chap mschap1; do
	tls=any
	[ $auth = pap ] && tls=only-1.2
	make_server_config "authentication = $auth" "tls-version = $tls"
	start_serve
	# CHAP also without IPv6CP: no IPv6 address on its interface.
	ipv6=yes
	[ $auth = chap ] && ipv6=no
	client $auth.log "open sesame" --authentication $auth --ipv6 $ipv6 \
		--name "c-$auth"
	wait_for 60 grep -q "connected to 192.0.2.1 as alice ($auth)" "$WORK/$auth.log" ||
		fail "$auth: no connection: $(cat "$WORK/$auth.log")"
	wait_for 10 grep -q "crypto binding verified for user alice ($auth)" \
		"$WORK/serve.err.log" || fail "$auth: the binding was not verified"
	[ $auth != pap ] || grep -q "TLSv1.2" "$WORK/$auth.log" || fail "pap: not TLS 1.2"
	wait_for 20 has_addr cli "" '198.51.100.1[0-9]' ||
		fail "$auth: no address"
	ip netns exec cli ping -c 2 -i 0.3 -W 2 198.51.100.1 >/dev/null 2>&1 ||
		fail "$auth: no ping"
	if [ $ipv6 = no ]; then
		! ip -n cli -6 addr show dev "c-$auth" | grep -q "inet6" ||
			fail "$auth: IPv6CP came up with ipv6 = no"
	else
		wait_for 10 sh -c "ip -n cli -6 addr show dev c-$auth | grep -q 'inet6 fe80'" ||
			fail "$auth: no IPv6 link-local address"
	fi
	kill -TERM "$serve"
	wait "$serve"
	wait_for 20 gone "$client" || fail "$auth: the client outlived the server"
	wait "$client"
	rc=$?
	[ "$rc" -eq 0 ] || fail "$auth: exit status $rc after the server's Disconnect, want 0"
	grep -q "the server disconnected" "$WORK/$auth.log" ||
		fail "$auth: the client did not log the server's Disconnect"
	grep -q "session ended: disconnected" "$WORK/serve.err.log" ||
		fail "$auth: the client did not acknowledge the server's Disconnect"
done
wait_for 10 no_process pppd || fail "pppd still running"
rmmod sstp || fail "rmmod sstp"
echo "wrong password refused (6); pap over TLS 1.2, chap and mschap1 bound and passed traffic"
