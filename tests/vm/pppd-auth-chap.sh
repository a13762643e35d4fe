#!/bin/sh
# vm: userspace (kernel path as in tunnel-ping / serve-sstpc-mschapv2; differs in userspace)
# CHAP-MD5 without secrets files: the server end's pppd ("auth
# require-chap") verifies alice with the secret its helper gives over
# sstp-pppd.so's control socket, the client end's pppd gets its password
# the same way. IPCP comes up and ping crosses; both ends report alice and
# chap, and "keys - -": CHAP-MD5 makes no MPPE keys (SSTP then binds with a
# zero HLAK).
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

load_modules
make_netns
make_cert

start_auth_tunnel require-chap "$AUTH_PASSWORD"
auth_expect_up
auth_expect_reported chap
for end in srv cli; do
	[ "$(ctl_keys $end)" = "- -" ] || fail "$end: keys '$(ctl_keys $end)', want '- -'"
done

auth_stop
cat "$WORK/cli.log" "$WORK/srv.log"
echo "CHAP-MD5 through the plugin; no keys"
