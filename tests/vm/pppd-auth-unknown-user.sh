#!/bin/sh
# vm: userspace (kernel path as in tunnel-ping / serve-sstpc-mschapv2; differs in userspace)
# An unknown user: the server end's helper has no secret for alice
# ("no-secret"). The plugin checks her MS-CHAPv2 response against a random
# secret, so she is refused exactly as for a wrong password: the server's
# pppd exits with 11, the client's with 19 (it got a proper MS-CHAP
# failure, the same words as for a wrong password), both ends report
# only the refusal, and the plugin logs that the helper had no secret.
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

load_modules
make_netns
make_cert

start_auth_tunnel require-mschap-v2 "$AUTH_PASSWORD" bob
wait_for 30 log_has "$WORK/srv.log" '^pppd exited' || fail "server pppd did not exit"
wait_for 10 log_has "$WORK/cli.log" '^pppd exited' || fail "client pppd did not exit"
log_has "$WORK/srv.log" '^pppd exited 11$' || fail "server pppd: $(grep '^pppd exited' "$WORK/srv.log"), want 11"
log_has "$WORK/cli.log" '^pppd exited 19$' || fail "client pppd: $(grep '^pppd exited' "$WORK/cli.log"), want 19"
log_has "$WORK/srv.err.log" 'sstp: the helper has no secret for "\{0,1\}alice' ||
	fail "the plugin did not log the unknown user"
# pppd prints the M= text of the "E=691 R=1 C=... V=0 M=Access denied" it got.
log_has "$WORK/cli.err.log" 'MS-CHAP authentication failed: Access denied' ||
	fail "the client did not get MS-CHAP's own failure message"
# Each end reports the refusal (the server's of alice, the client's of
# itself), and nothing else.
for end in srv cli; do
	[ "$(grep '^ctl ' "$WORK/$end.log")" = "ctl auth-failed $AUTH_USER_HEX mschap2" ] ||
		fail "$end: reported '$(grep '^ctl ' "$WORK/$end.log")', want only the refusal"
done

stop "$cli"
wait_for 10 gone "$srv" || fail "server end did not notice the client leaving"
wait "$srv"
rmmod sstp || fail "rmmod sstp"
cat "$WORK/cli.log" "$WORK/srv.log"
echo "unknown user: refused like a wrong password"
