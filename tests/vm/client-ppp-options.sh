#!/bin/sh
# vm: userspace (pppd options and TLS refusals; no kernel path of its own)
# What the client hands pppd, and a server it cannot use:
# - use-peer-dns = yes takes the server profile's dns-server (pppd's
#   usepeerdns: DNS1 for the scripts, /etc/ppp/resolv.conf);
# - ip-up and ip-down scripts run with the connection's name (name =) as
#   their sixth argument, ipparam;
# - pppd's plugin waits for the helper's answers for the call's
#   negotiation-timeout (sstp-ctl-timeout 60);
# - ciphers with RouterOS's aes256-sha (AES-CBC) is a configuration error;
# - a server that offers only suites kTLS cannot carry (TLS 1.2 AES-CBC,
#   here openssl s_server) is refused with exit 4 and a plain reason.
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

client_world
# The guest's root is a throwaway overlay: a hook of ours for pppd.
cat >/etc/ppp/ip-up.d/zz-sstp-test <<EOF
#!/bin/sh
echo "up \$1 \$6 DNS1=\${DNS1:-}" >>$WORK/hooks.log
EOF
cat >/etc/ppp/ip-down.d/zz-sstp-test <<EOF
#!/bin/sh
echo "down \$1 \$6" >>$WORK/hooks.log
EOF
chmod +x /etc/ppp/ip-up.d/zz-sstp-test /etc/ppp/ip-down.d/zz-sstp-test
rm -f /etc/ppp/resolv.conf

make_server_config "authentication = mschap2"
sed -i '/^\[profile default\]/a dns-server = 198.51.100.53' "$WORK/server.conf"
start_serve
ip netns exec cli "$HELPER" connect 192.0.2.1 --user alice \
	--password-file "$WORK/password" --ca "$WORK/ca.pem" --name sstp-office \
	--use-peer-dns yes >"$WORK/client.log" 2>&1 &
client=$!
wait_for 60 grep -q "connected to 192.0.2.1 as alice" "$WORK/client.log" ||
	fail "the client did not connect: $(cat "$WORK/client.log")"
client_pings sstp-office
# The plugin waits for the client's answers as long as the call may take.
pppd_procs | grep -q "ipparam sstp-office .*sstp-ctl-timeout 60 \|sstp-ctl-timeout 60 .*ipparam sstp-office" ||
	fail "the client's pppd has no sstp-ctl-timeout 60: $(pppd_procs)"
wait_for 10 grep -q "^up sstp-office sstp-office DNS1=198.51.100.53$" "$WORK/hooks.log" ||
	fail "ip-up did not run with the name and the peer's DNS: $(cat "$WORK/hooks.log" 2>/dev/null)"
grep -q "^nameserver 198.51.100.53$" /etc/ppp/resolv.conf ||
	fail "use-peer-dns: no resolv.conf from pppd: $(cat /etc/ppp/resolv.conf 2>/dev/null)"
stop_client
wait_for 10 grep -q "^down sstp-office sstp-office$" "$WORK/hooks.log" ||
	fail "ip-down did not run with the name: $(cat "$WORK/hooks.log")"
kill -TERM "$serve"
wait "$serve"

# RouterOS's aes256-sha is AES-CBC: refused as configuration (exit 1).
ip netns exec cli "$HELPER" connect 192.0.2.1 --user alice \
	--password-file "$WORK/password" --ciphers aes256-gcm-sha384,aes256-sha \
	>"$WORK/client-ciphers.log" 2>&1
rc=$?
[ "$rc" -eq 1 ] || fail "ciphers with aes256-sha: exit $rc, want 1"
grep -q "ciphers: aes256-sha (AES-CBC with HMAC-SHA1) cannot be handed to the kernel's TLS" \
	"$WORK/client-ciphers.log" || fail "no plain reason: $(cat "$WORK/client-ciphers.log")"

# A TLS 1.2 server with AES-CBC only: nothing kTLS can carry.
ip netns exec srv openssl s_server -quiet -accept 443 -tls1_2 \
	-cipher AES128-SHA -cert "$WORK/cert.pem" -key "$WORK/key.pem" \
	>"$WORK/s_server.log" 2>&1 &
s_server=$!
wait_for 10 listening "$s_server" 443 ||
	fail "openssl s_server is not listening"
ip netns exec cli timeout 60 "$HELPER" connect 192.0.2.1 --user alice \
	--password-file "$WORK/password" --ca "$WORK/ca.pem" >"$WORK/client-cbc.log" 2>&1
rc=$?
[ "$rc" -eq 4 ] || fail "against an AES-CBC server: exit $rc, want 4: $(cat "$WORK/client-cbc.log")"
grep -q "TLS with 192.0.2.1 failed: .*no TLS version or cipher in common with the server" \
	"$WORK/client-cbc.log" || fail "no plain reason: $(cat "$WORK/client-cbc.log")"
cat "$WORK/client-cbc.log"
kill "$s_server"
wait "$s_server"
wait_for 10 no_process pppd || fail "pppd still running"
rmmod sstp || fail "rmmod sstp"
