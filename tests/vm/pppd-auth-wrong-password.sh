#!/bin/sh
# vm: userspace (kernel path as in tunnel-ping / serve-sstpc-mschapv2; differs in userspace)
# A wrong password: the client end's helper gives alice's pppd a password
# that is not the secret the server end's helper has for her. The server's
# pppd fails her MS-CHAPv2 response and exits with EXIT_PEER_AUTH_FAILED
# (11), the client's pppd exits with EXIT_AUTH_TOPEER_FAILED (19), neither
# end reports auth, keys or IPCP (each reports the refusal), and no
# address is ever configured.
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

load_modules
make_netns
make_cert

start_auth_tunnel require-mschap-v2 "wrong-$AUTH_PASSWORD"
wait_for 30 log_has "$WORK/srv.log" '^pppd exited' || fail "server pppd did not exit"
wait_for 10 log_has "$WORK/cli.log" '^pppd exited' || fail "client pppd did not exit"
log_has "$WORK/srv.log" '^pppd exited 11$' || fail "server pppd: $(grep '^pppd exited' "$WORK/srv.log"), want 11"
log_has "$WORK/cli.log" '^pppd exited 19$' || fail "client pppd: $(grep '^pppd exited' "$WORK/cli.log"), want 19"
log_has "$WORK/srv.err.log" "failed CHAP authentication" ||
	fail "server pppd did not log the failed authentication"
# Each end reports the refusal (the server's of alice, the client's of
# itself), and nothing else.
for end in srv cli; do
	[ "$(grep '^ctl ' "$WORK/$end.log")" = "ctl auth-failed $AUTH_USER_HEX mschap2" ] ||
		fail "$end: reported '$(grep '^ctl ' "$WORK/$end.log")', want only the refusal"
	if log_has "$WORK/$end.err.log" 'IP address'; then
		fail "$end: pppd configured an IP address"
	fi
done
if ip netns exec cli ping -c 1 -W 1 198.51.100.1 >/dev/null 2>&1; then
	fail "a ping crossed without authentication"
fi

stop "$cli"
wait_for 10 gone "$srv" || fail "server end did not notice the client leaving"
wait "$srv"
auth_logs_lack_password
rmmod sstp || fail "rmmod sstp"
cat "$WORK/cli.log" "$WORK/srv.log"
echo "wrong password: server pppd exited 11, client pppd 19, nothing reported"
