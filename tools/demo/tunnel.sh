#!/bin/sh
# The demo, run inside a VM guest by `make demo`: two network namespaces,
# an SSTP tunnel between them whose data path is sstp.ko (TLS 1.3 with
# kTLS, pppd attached to the sstp.ko channel), then ping and iperf3
# through it.
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

step() { printf '\n== %s\n' "$*"; }

step "loading tls, ppp_generic, veth and sstp.ko"
load_modules
genl ctrl get name sstp | head -n 3
make_netns
make_cert

step "server in netns srv (192.0.2.1:443), client in netns cli (192.0.2.2)"
# shellcheck disable=SC2086 # the option lists are word lists
start_server --open-gate --plugin "$PLUGIN" -- $PPPD_SRV
# shellcheck disable=SC2086
start_client --open-gate --plugin "$PLUGIN" -- $PPPD_CLI
wait_for 30 has_addr cli ppp20 198.51.100.2 || fail "the tunnel did not come up"
wait_for 10 has_addr srv ppp10 198.51.100.1 || fail "the server end did not come up"
ip -n cli addr show dev ppp20

step "ping through the tunnel"
ip netns exec cli ping -c 3 -i 0.2 198.51.100.1

step "iperf3 through the tunnel, 5 s (TCG-emulated CPU: compare ratios, not numbers)"
ip netns exec srv iperf3 -s -1 -B 198.51.100.1 >/dev/null 2>&1 &
sleep 1
ip netns exec cli iperf3 -c 198.51.100.1 -t 5 -f m | tail -n 4

step "taking the tunnel down"
stop "$cli"
wait "$srv"
grep -h '^down' "$WORK/cli.log" "$WORK/srv.log"
rmmod sstp && echo "sstp.ko unloaded"
