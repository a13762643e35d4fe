#!/bin/sh
# vm: userspace (kernel path as in tunnel-ping / serve-sstpc-mschapv2; differs in userspace)
# A helper that answers late, as a server busy with a burst of handshakes
# does: the server end's helper gives alice's secret only after 4 s. With
# "sstp-ctl-timeout 2" the server's pppd gives up on it, says so, and
# fails the authentication; with "sstp-ctl-timeout 10" (what serve and
# connect pass: their negotiation-timeout) it waits, and the link comes
# up. (Without the option the plugin waits 10 s, as it always did.)
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

load_modules
make_netns
make_cert
no_system_secrets

# late_tunnel SECONDS: a tunnel whose server end waits SECONDS for answers.
late_tunnel() {
	# shellcheck disable=SC2086 # the option lists are word lists
	start_server --open-gate --ctl "$AUTH_USER:$AUTH_PASSWORD" \
		--ctl-delay 4000 --plugin "$PLUGIN" -- $PPPD_AUTH_SRV \
		require-mschap-v2 sstp-ctl-timeout "$1"
	# shellcheck disable=SC2086
	start_client --open-gate --ctl "$AUTH_USER:$AUTH_PASSWORD" \
		--plugin "$PLUGIN" -- $PPPD_CLI user "$AUTH_USER"
}

late_tunnel 2
wait_for 30 log_has "$WORK/srv.log" '^pppd exited' ||
	fail "2 s: the server's pppd did not give up"
log_has "$WORK/srv.err.log" "no answer from the helper within 2 s" ||
	fail "2 s: no word of the late answer: $(cat "$WORK/srv.err.log")"
if has_addr cli ppp20 198.51.100.2; then
	fail "2 s: the link came up without the secret"
fi
stop "$cli"
wait_for 10 gone "$srv" || fail "2 s: server end stayed up"
wait "$srv"

late_tunnel 10
auth_expect_up
grep -q "no answer from the helper" "$WORK/srv.err.log" &&
	fail "10 s: the server's pppd gave up waiting"
log_has "$WORK/srv.err.log" "ctl: secret for 'alice': given" ||
	fail "10 s: the helper was never asked for the secret"
auth_stop
echo "a late helper: refused at 2 s, waited for at 10 s"
