#!/bin/sh
# vm: userspace (kernel path as in tunnel-ping / serve-sstpc-mschapv2; differs in userspace)
# sstp-helper serve refuses, each with a clear log line, while it keeps
# serving: a wrong password, an unknown user, and a plain HTTP GET (which
# gets a 404). A good client connects afterwards. Its config, which holds
# a password, is readable by all: serve says so, with the chmod to run.
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

load_modules
make_netns
make_cert
make_server_config "authentication = mschap2"
chmod 644 "$WORK/server.conf"
start_serve
grep -q "warning: $WORK/server.conf holds passwords but others than its owner may read it (mode 0644): chmod 600 $WORK/server.conf" \
	"$WORK/serve.err.log" || fail "no warning for a config others may read"

sstpc_refused() {
	sstpc_as "$WORK/sstpc-$1.log" "$1" "$2" require-mschap-v2
	wait_for 40 gone "$sstpc" || fail "sstpc $1 not refused"
}

sstpc_refused alice wrong
wait_for 10 grep -q "user alice failed to authenticate (mschap2)" "$WORK/serve.err.log" ||
	fail "no log line for the wrong password"

sstpc_refused bob "open sesame"
wait_for 10 grep -q "unknown user 'bob'" "$WORK/serve.err.log" ||
	fail "no log line for the unknown user"

printf 'GET / HTTP/1.1\r\nHost: vpn.example\r\n\r\n' |
	ip netns exec cli timeout 10 openssl s_client -connect 192.0.2.1:443 \
		-quiet >"$WORK/get.log" 2>/dev/null
grep -q "^HTTP/1.1 404" "$WORK/get.log" || fail "a GET was not answered 404"
wait_for 10 grep -q "not an SSTP request" "$WORK/serve.err.log" ||
	fail "no log line for the GET"

sstpc_alice "$WORK/sstpc.log"
wait_for 40 has_addr cli "" '198.51.100.1[0-9]' ||
	fail "a good client could not connect after the refusals"
kill -TERM "$serve"
wait "$serve"
cat "$WORK/serve.err.log"
