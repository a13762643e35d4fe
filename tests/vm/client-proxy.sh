#!/bin/sh
# vm: userspace (the kernel path of client-connect; what differs is the TCP connection's first hop)
# http-proxy: the client reaches the server through an HTTP CONNECT proxy
# that wants Basic authentication: the first CONNECT gets 407, the second,
# with the credentials, gets the tunnel, and the call comes up through it.
# Wrong proxy credentials end with a clear message (exit 3); a proxy
# password given on the command line draws a warning. The good run reads
# the proxy's password from a file: it is in no command line.
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

client_setup
ip netns exec cli python3 "$SSTP_SRC/tests/progs/connect-proxy.py" 127.0.0.1 3128 \
	"proxyuser:proxy pass" >"$WORK/proxy.log" 2>&1 &
proxy=$!
wait_for 10 listening "$proxy" 127.0.0.1:3128 ||
	fail "the proxy is not listening"

ip netns exec cli "$HELPER" connect vpn.example --user alice \
	--password-file "$WORK/password" --ca "$WORK/ca.pem" \
	--proxy "http://proxyuser:bad@127.0.0.1:3128" >"$WORK/client-bad.log" 2>&1
rc=$?
[ "$rc" -eq 3 ] || fail "wrong proxy credentials: exit status $rc, want 3"
grep -q "proxy 127.0.0.1:" "$WORK/client-bad.log" || grep -q "proxy 127.0.0.1" "$WORK/client-bad.log" ||
	fail "no clear message for the refused proxy credentials: $(cat "$WORK/client-bad.log")"
grep -q "warning: the proxy password in --proxy is visible to other users" \
	"$WORK/client-bad.log" || fail "no warning for a proxy password in argv"
printf 'proxy pass\n' >"$WORK/proxy-password"

# vpn.example is only the name in the CONNECT: the proxy resolves it.
echo "192.0.2.1 vpn.example" >>/etc/hosts
ip netns exec cli "$HELPER" connect vpn.example --user alice \
	--password-file "$WORK/password" --ca "$WORK/ca.pem" \
	--http-proxy "proxyuser@127.0.0.1:3128" \
	--http-proxy-password-file "$WORK/proxy-password" >"$WORK/client.log" 2>&1 &
client=$!
wait_for 60 grep -q "connected to vpn.example" "$WORK/client.log" ||
	fail "no connection through the proxy: $(cat "$WORK/client.log")"
grep -q "through the proxy 127.0.0.1 to vpn.example" "$WORK/client.log" ||
	fail "the client did not say it used the proxy"
tr '\0' ' ' <"/proc/$client/cmdline" | grep -q "proxy pass" &&
	fail "the proxy password is in the client's command line"
[ "$(grep -c '^CONNECT vpn.example:443 407$' "$WORK/proxy.log")" -ge 2 ] ||
	fail "the proxy did not ask for credentials: $(cat "$WORK/proxy.log")"
grep -q '^CONNECT vpn.example:443 200$' "$WORK/proxy.log" ||
	fail "the proxy did not open the tunnel"
wait_for 20 has_addr cli "" '198.51.100.1[0-9]' ||
	fail "no address"
ip netns exec cli ping -c 3 -i 0.2 -W 2 198.51.100.1 >/dev/null 2>&1 ||
	fail "no ping through the tunnel through the proxy"
kill -TERM "$client"
wait "$client" || fail "the client exited $?"
kill "$proxy"
kill -TERM "$serve"
wait "$serve"
cat "$WORK/proxy.log"
