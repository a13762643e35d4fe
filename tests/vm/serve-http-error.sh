#!/bin/sh
# vm: userspace (no tunnel: this is the server's HTTP stage only)
# http-error: what a browser's GET gets instead of SSTP. A URL sends it
# there (301 with Location); deny closes the connection without a word.
# (allow, the default, answers 404: serve-refusals.sh.)
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

load_modules
make_netns
make_cert

get() {
	printf 'GET / HTTP/1.1\r\nHost: vpn.example\r\n\r\n' |
		ip netns exec cli timeout 30 openssl s_client -connect 192.0.2.1:443 \
			-quiet >"$1" 2>/dev/null
}

make_server_config "http-error = https://www.example.com/vpn-help"
start_serve
get "$WORK/redirect.log"
grep -q "^HTTP/1.1 301" "$WORK/redirect.log" || fail "no 301: $(cat "$WORK/redirect.log")"
grep -q "^Location: https://www.example.com/vpn-help" "$WORK/redirect.log" ||
	fail "no Location: $(cat "$WORK/redirect.log")"
wait_for 10 grep -q "not an SSTP request (.*): answered HTTP 301" "$WORK/serve.err.log" ||
	fail "no log line for the redirect"
kill -TERM "$serve"
wait "$serve"

make_server_config "http-error = deny"
start_serve
get "$WORK/deny.log"
[ ! -s "$WORK/deny.log" ] || fail "deny answered: $(cat "$WORK/deny.log")"
wait_for 10 grep -q "not an SSTP request (.*): closed (http-error = deny)" \
	"$WORK/serve.err.log" || fail "no log line for the denied request"
kill -TERM "$serve"
wait "$serve"

make_server_config "http-error = ftp://nowhere"
if ip netns exec srv "$HELPER" serve --config "$WORK/server.conf" 2>"$WORK/bad.log"; then
	fail "a bad http-error was accepted"
fi
grep -q "is not allow, deny or an http(s):// URL" "$WORK/bad.log" ||
	fail "no clear error for a bad http-error: $(cat "$WORK/bad.log")"
