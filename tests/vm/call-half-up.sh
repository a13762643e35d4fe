#!/bin/sh
# vm: userspace (the kernel path of serve-sstpc-mschapv2; what differs is each helper's timer)
# A call that comes up half: authenticated and bound, IPv6CP up, but IPCP
# never finishes, so the link has no IPv4 address. Neither end may leave
# it so: the negotiation timer runs until pppd's ip-up, and then
# (sstpc cannot show it: it sends Call Connected only after its IPCP)
# - serve disconnects a client whose pppd refuses IPCP;
# - connect, against a server whose pppd refuses IPCP, disconnects and
#   exits 5 (protocol) with the reason.
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

client_world

# pppd-noip: pppd without IPCP (IPv6CP still runs), for either end.
printf '#!/bin/sh\nexec pppd "$@" noip\n' >"$WORK/pppd-noip"
chmod +x "$WORK/pppd-noip"

# The server end: the client's pppd runs no IPCP; the server's timer ends
# the call (the client's would only after 120 s).
make_server_config "authentication = mschap2" "negotiation-timeout = 20"
start_serve
ip netns exec cli "$HELPER" connect 192.0.2.1 --user alice \
	--password-file "$WORK/password" --ca "$WORK/ca.pem" \
	--pppd "$WORK/pppd-noip" --negotiation-timeout 120 \
	>"$WORK/client1.log" 2>&1 &
client=$!
wait_for 40 grep -q "crypto binding verified for user alice" "$WORK/serve.err.log" ||
	fail "server: the call was not bound"
wait_for 20 grep -q "IPCP did not come up within negotiation-timeout: no IPv4 address" \
	"$WORK/serve.err.log" || fail "server: the half-up call stayed: $(cat "$WORK/serve.err.log")"
if grep -q " up, .* for user alice" "$WORK/serve.err.log"; then
	fail "server: IPCP came up after all; nothing was tested"
fi
wait_for 20 gone "$client" || fail "the client outlived its call"
wait "$client"
echo "client after the server's disconnect: exit $?"
cat "$WORK/client1.log"
kill -TERM "$serve"
wait "$serve"

# The client end: the server's pppd runs no IPCP.
make_server_config "authentication = mschap2" "pppd = $WORK/pppd-noip"
start_serve
ip netns exec cli "$HELPER" connect 192.0.2.1 --user alice \
	--password-file "$WORK/password" --ca "$WORK/ca.pem" \
	--negotiation-timeout 20 >"$WORK/client.log" 2>&1
rc=$?
[ "$rc" -eq 5 ] || fail "client: exit $rc, want 5: $(cat "$WORK/client.log")"
grep -q "connected to 192.0.2.1 as alice" "$WORK/client.log" ||
	fail "client: the call was not bound: $(cat "$WORK/client.log")"
grep -q "IPCP did not come up within negotiation-timeout: no IPv4 address: disconnecting" \
	"$WORK/client.log" || fail "client: no reason given: $(cat "$WORK/client.log")"
wait_for 20 grep -q "session ended: client disconnected" "$WORK/serve.err.log" ||
	fail "the server did not get the client's Call Disconnect"
kill -TERM "$serve"
wait "$serve"
echo "half-up calls ended by the server and by the client"
