#!/bin/sh
# vm: userspace (kernel path as in tunnel-ping / serve-sstpc-mschapv2; differs in userspace)
# MS-CHAPv2 without secrets files: the server end's pppd ("auth
# require-mschap-v2") gets alice's secret from its helper over sstp-pppd.so's
# control socket, the client end's pppd ("user alice", no password option)
# gets its password the same way. IPCP comes up and ping crosses; both
# ends report alice, mschap2, IPCP up and down, and MPPE keys that pair up
# as SSTP crypto binding needs: the client's send key is the server's
# receive key and the other way round (client HLAK send||recv == server
# HLAK recv||send). The password is on no pppd command line and in no log.
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

load_modules
make_netns
make_cert

start_auth_tunnel require-mschap-v2 "$AUTH_PASSWORD"
auth_expect_up
auth_expect_reported mschap2

# shellcheck disable=SC2046 # two words: send, recv
set -- $(ctl_keys cli) $(ctl_keys srv)
[ $# = 4 ] || fail "keys lines: client '$(ctl_keys cli)', server '$(ctl_keys srv)'"
for k in "$@"; do
	echo "$k" | grep -q '^[0-9a-f]\{32\}$' || fail "key '$k' is not 16 bytes of hex"
done
[ "$1" = "$4" ] || fail "client send key $1 != server recv key $4"
[ "$2" = "$3" ] || fail "client recv key $2 != server send key $3"
[ "$1" != "$2" ] || fail "send and receive keys are the same"

auth_stop
cat "$WORK/cli.log" "$WORK/srv.log"
echo "MS-CHAPv2 through the plugin: client HLAK $1$2 = server HLAK $4$3"
