#!/bin/sh
# vm: userspace (the kernel sees a kTLS socket like any other; the client role runs under the debug kernel in the sstp-testpeer tests)
# MikroTik's certificate=none: TLS 1.2 with anonymous Diffie-Hellman, an
# opt-in on both ends. A server with certificate = none and anonymous-dh =
# yes serves a client with anonymous-dh = yes: the call comes up over an
# ADH AES-GCM suite with the crypto binding verified (zero cert hash on
# both ends), and a ping passes. Without the opt-in, each end refuses: the
# server will not start, a client of ours fails the handshake, and a
# client that opted in gets nowhere with a server that has a certificate.
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

client_world

# anonymous_config [LINES...]: a server without a certificate.
anonymous_config() {
	make_server_config "authentication = mschap2" "$@"
	sed -i -e '/^certificate = /s/.*/certificate = none/' \
		-e '/^private-key = /d' "$WORK/server.conf"
}
stop_serve() {
	kill -TERM "$serve"
	wait "$serve"
}
# client NAME [OPTIONS...]: sstp-helper connect in the foreground, to
# $WORK/client-NAME.log; sets $rc.
client() {
	_name=$1
	shift
	ip netns exec cli timeout 60 "$HELPER" connect 192.0.2.1 --user alice \
		--password-file "$WORK/password" "$@" >"$WORK/client-$_name.log" 2>&1
	rc=$?
}

# 1. certificate = none alone is refused, with the reason and the way out.
anonymous_config
ip netns exec srv "$HELPER" serve --config "$WORK/server.conf" \
	>"$WORK/serve-refused.log" 2>&1
rc=$?
[ "$rc" -eq 1 ] || fail "serve with certificate = none alone exited $rc, want 1"
grep -q "certificate = none means TLS with anonymous Diffie-Hellman.*set anonymous-dh = yes" \
	"$WORK/serve-refused.log" || fail "serve refused without the reason: $(cat "$WORK/serve-refused.log")"

# 2. Both ends opted in: the call comes up.
anonymous_config "anonymous-dh = yes"
start_serve
grep -q "warning: certificate = none: TLS with anonymous Diffie-Hellman" \
	"$WORK/serve.err.log" || fail "the server did not warn about anonymous-dh"
ip netns exec cli "$HELPER" connect 192.0.2.1 --user alice \
	--password-file "$WORK/password" --anonymous-dh yes --name sstp-anon \
	>"$WORK/client.log" 2>&1 &
client=$!
wait_for 60 grep -q "connected to 192.0.2.1 as alice (mschap2)" "$WORK/client.log" ||
	fail "the anonymous client did not connect: $(cat "$WORK/client.log")"
grep -q "warning: anonymous-dh = yes: TLS without certificates" "$WORK/client.log" ||
	fail "the client did not warn about anonymous-dh"
grep -q "TLS with 192.0.2.1: TLSv1.2 ADH-AES[0-9]*-GCM-SHA[0-9]*" "$WORK/client.log" ||
	fail "not an anonymous AES-GCM suite: $(grep 'TLS with' "$WORK/client.log")"
client_pings sstp-anon
stop_client

# 3. A client that did not opt in shares no suite with that server.
client plain --ca "$WORK/ca.pem"
[ "$rc" -eq 4 ] || fail "a client without anonymous-dh exited $rc, want 4"
grep -q "TLS with 192.0.2.1 failed: .*certificate=none needs anonymous-dh = yes" \
	"$WORK/client-plain.log" ||
	fail "no TLS failure line: $(cat "$WORK/client-plain.log")"
echo "without the opt-in: $(grep 'failed' "$WORK/client-plain.log")"
stop_serve

# 4. A client that opted in gets nothing anonymous from a real server.
make_server_config "authentication = mschap2"
start_serve
client anon-vs-cert --anonymous-dh yes
[ "$rc" -eq 4 ] || fail "anonymous-dh against a certificate exited $rc, want 4"
grep -q "TLS with 192.0.2.1 failed: .*offers only anonymous suites" \
	"$WORK/client-anon-vs-cert.log" ||
	fail "no TLS failure line: $(cat "$WORK/client-anon-vs-cert.log")"
grep -q "connected to" "$WORK/client-anon-vs-cert.log" &&
	fail "connected anonymously to a server with a certificate"
echo "opted in, server with a certificate: $(grep 'failed' "$WORK/client-anon-vs-cert.log")"
stop_serve
wait_for 10 no_process pppd || fail "pppd still running"
rmmod sstp || fail "rmmod sstp"
