#!/bin/sh
# vm: userspace (kernel path as in tunnel-gate / serve-sstpc-mschapv2; differs in userspace)
# sstpc with CHAP-MD5. sstpc 1.0.18 authenticates, but never sends Call
# Connected after CHAP-MD5 (it watches its pppd's frames for an MS-CHAPv2
# response or PAP, and its plugin's auth-up notice never comes on the
# client end), so the crypto binding never arrives. The server must hold
# the gate shut: PPP comes up, no IP crosses, and the negotiation timer
# ends the session with a Call Abort and a log line saying why.
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

load_modules
make_netns
make_cert
make_server_config "authentication = chap" "negotiation-timeout = 10"
start_serve
sstpc_as "$WORK/sstpc.log" alice "open sesame"
wait_for 40 grep -q "user alice authenticated (chap)" "$WORK/serve.err.log" ||
	fail "CHAP did not authenticate alice"
wait_for 20 has_addr cli "" '198.51.100.1[0-9]' ||
	fail "IPCP did not come up"
if ip netns exec cli ping -c 2 -i 0.3 -W 1 198.51.100.1 >"$WORK/ping.log" 2>&1; then
	fail "IP crossed the tunnel without a crypto binding"
fi
wait_for 20 grep -q "session ended: no Call Connected in time" "$WORK/serve.err.log" ||
	fail "the session without a binding was not ended"
wait_for 10 gone "$sstpc" || fail "sstpc still running after the Abort"
grep -q "crypto binding verified" "$WORK/serve.err.log" &&
	fail "a binding was verified that was never sent"
kill -TERM "$serve"
wait "$serve"
rmmod sstp || fail "rmmod sstp"
cat "$WORK/serve.err.log"
