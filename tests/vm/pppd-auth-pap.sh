#!/bin/sh
# vm: userspace (kernel path as in tunnel-ping / serve-sstpc-mschapv2; differs in userspace)
# PAP without secrets files: the server end's pppd ("auth require-pap")
# compares alice's password with the secret its helper gives over
# sstp-pppd.so's control socket, the client end's pppd gets its password
# the same way. IPCP comes up and ping crosses; both ends report alice and
# pap, and "keys - -".
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

load_modules
make_netns
make_cert

start_auth_tunnel require-pap "$AUTH_PASSWORD"
auth_expect_up
auth_expect_reported pap
for end in srv cli; do
	[ "$(ctl_keys $end)" = "- -" ] || fail "$end: keys '$(ctl_keys $end)', want '- -'"
done

auth_stop
cat "$WORK/cli.log" "$WORK/srv.log"
echo "PAP through the plugin; no keys"
