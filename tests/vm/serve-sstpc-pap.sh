#!/bin/sh
# vm: userspace (kernel path as in tunnel-ping / serve-sstpc-mschapv2; differs in userspace)
# sstpc connects to sstp-helper serve with PAP over TLS 1.2: no MPPE keys,
# so both ends bind with a zero HLAK, as [MS-SSTP] says; the binding
# verifies and ping passes. The server names its ciphers in its own order,
# which wins over sstpc's. (The MS-CHAPv2 test runs over TLS 1.3.)
# The server's pppd runs with no signal blocked (exec would keep the
# helper's mask), has reaped its ip-up scripts, and stops on SIGTERM,
# which ends the session. (pppd ignores SIGPIPE itself, for syslog.) Then sstp.ko is unloaded and loaded
# again under the running server (its netlink family gets a new id): the
# next client still gets its tunnel. SIGHUP then stops the server as
# SIGTERM would: Call Disconnect, exit 0.
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

load_modules
make_netns
make_cert
# RouterOS's name for the suite, which sstpc lists before the server's
# other one: the server's order still decides.
serve_sstpc pap "" "tls-version = only-1.2" \
	"ciphers = chacha20-poly1305,aes256-gcm-sha384"
grep -q "TLSv1.2 ECDHE-RSA-CHACHA20-POLY1305" "$WORK/serve.err.log" ||
	fail "not TLS 1.2 with the server's first cipher: $(grep TLSv "$WORK/serve.err.log")"

pid=$(sed -n 's/.*: pppd \([0-9]*\) on channel.*/\1/p' "$WORK/serve.err.log" | tail -n 1)
[ -n "$pid" ] || fail "no pppd pid in the log"
# The plugin waits for serve's answers as long as the call may take.
tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q ' sstp-ctl-timeout 60 ' ||
	fail "pppd runs without sstp-ctl-timeout 60: $(tr '\0' ' ' <"/proc/$pid/cmdline")"
blocked=$(sed -n 's/^SigBlk:[[:space:]]*//p' "/proc/$pid/status")
[ "$((0x$blocked))" = 0 ] || fail "pppd runs with signals blocked: SigBlk $blocked"
wait_for 10 sh -c "! ps -o stat= --ppid $pid | grep -q Z" ||
	fail "pppd left zombies: $(ps -o pid=,stat=,comm= --ppid "$pid")"
kill -TERM "$pid"
wait_for 20 gone "$pid" || fail "pppd ignored SIGTERM"
wait_for 20 grep -q "session ended" "$WORK/serve.err.log" ||
	fail "the session did not end with its pppd"
wait_for 20 gone "$sstpc" || fail "sstpc outlived its session"
rmmod sstp || fail "rmmod sstp under the server"
insmod "$SSTP_KO" || fail "insmod $SSTP_KO again"
sstpc_as "$WORK/sstpc2.log" alice "open sesame"
wait_for 40 sh -c "[ \$(grep -c 'crypto binding verified' '$WORK/serve.err.log') -ge 2 ]" ||
	fail "no session after sstp.ko was loaded again"
wait_for 20 has_addr cli "" '198.51.100.1[0-9]' ||
	fail "the second client never got an address"
ip netns exec cli ping -c 2 -i 0.2 -W 2 198.51.100.1 >>"$WORK/ping.log" 2>&1 ||
	fail "ping through the tunnel made after the reload"
# SIGHUP (a lost terminal) stops the server cleanly, as SIGTERM does.
kill -HUP "$serve"
wait "$serve" || fail "serve exited $? on SIGHUP"
grep -q "stopping: disconnecting 1 sessions" "$WORK/serve.err.log" ||
	fail "SIGHUP did not disconnect the session"
wait_for 20 gone "$sstpc" || fail "sstpc outlived the server"
cat "$WORK/serve.err.log"
