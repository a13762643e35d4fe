#!/bin/sh
# Bulk data both ways through the kernel data path, once over TLS 1.2 and
# once over TLS 1.3: iperf3 through ppp over sstp.ko, client to server and
# back (-R). Under the debug kernel this is the KASAN/lockdep run of the
# transmit queue, coalescing and stream reassembly under load.
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

load_modules
make_netns
make_cert

for tls in 1.2 1.3; do
	# shellcheck disable=SC2086 # the option lists are word lists
	start_server --tls "$tls" --open-gate --plugin "$PLUGIN" -- $PPPD_SRV
	# shellcheck disable=SC2086
	start_client --tls "$tls" --open-gate --plugin "$PLUGIN" -- $PPPD_CLI
	wait_for 40 has_addr cli ppp20 198.51.100.2 ||
		fail "TLS $tls: client ppp20 never got its address"
	wait_for 10 has_addr srv ppp10 198.51.100.1 ||
		fail "TLS $tls: server ppp10 never got its address"
	iperf_both_ways "TLS $tls"
	stop "$cli"
	wait_for 10 gone "$srv" || fail "TLS $tls: server end stayed up"
	wait "$srv"
	grep -q '^pppd exited' "$WORK/srv.log" || fail "TLS $tls: server pppd did not exit"
done
rmmod sstp || fail "rmmod sstp"
echo "iperf3 both ways over TLS 1.2 and 1.3"
