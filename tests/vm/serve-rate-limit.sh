#!/bin/sh
# vm: userspace (no tunnel: this is the server's accept path only)
# connection-rate-limit = 2/60s: the third connection within the minute
# from one address is refused before TLS, with a log line; another
# address still gets in. max-sessions = 1: a second client at once is
# turned away.
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

load_modules
make_netns
make_cert
make_server_config "authentication = mschap2" "connection-rate-limit = 2/60s"
start_serve

# connect NETNS: one TCP connection that sends a byte of non-TLS and ends.
connect() {
	printf 'x' | ip netns exec "$1" busybox nc -w 2 192.0.2.1 443 >/dev/null 2>&1
}
for i in 1 2 3; do
	connect cli
	wait_for 10 sh -c "[ \$(grep -c ': connected\$' '$WORK/serve.err.log') -ge $i ]" ||
		fail "connection $i was not accepted"
done
wait_for 10 grep -q "#3 192.0.2.2:[0-9]*: refused: more than 2 connections in 60 s" \
	"$WORK/serve.err.log" || fail "the third connection was not refused"
[ "$(grep -c "refused: more than" "$WORK/serve.err.log")" -eq 1 ] ||
	fail "more than the third connection was refused"
# From the server's own address: another client, not limited.
connect srv
wait_for 10 grep -q "#4 192.0.2.1:[0-9]*: connected" "$WORK/serve.err.log" ||
	fail "a connection from another address was not accepted"
if grep -q "#4 .*refused" "$WORK/serve.err.log"; then
	fail "another address was refused"
fi
kill -TERM "$serve"
wait "$serve"
cat "$WORK/serve.err.log"

# max-sessions = 1: while one client is being served, the next is turned
# away at accept.
make_server_config "max-sessions = 1"
start_serve
(sleep 8) | ip netns exec cli busybox nc 192.0.2.1 443 >/dev/null 2>&1 &
holder=$!
wait_for 10 grep -q ": connected$" "$WORK/serve.err.log" || fail "the first client was not accepted"
connect cli
wait_for 10 grep -q "refusing a client: max-sessions reached" "$WORK/serve.err.log" ||
	fail "the second client was not refused at max-sessions = 1"
kill "$holder" 2>/dev/null
kill -TERM "$serve"
wait "$serve"
