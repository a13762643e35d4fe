#!/bin/sh
# vm: userspace (the kernel path of serve-sstpc-mschapv2; what differs is the status socket)
# sstp-helper status: two sstpc sessions on one server, listed as a table
# and as JSON with their users, client addresses, ppp interfaces, link
# addresses, TLS and the kernel's counters (which grow with traffic); a
# session that ends leaves the list; with no server, a clear error. The
# socket is root's alone (0600).
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

load_modules
make_netns
make_cert
if ip netns exec srv "$HELPER" status >"$WORK/none.log" 2>&1; then
	fail "status succeeded with no server running"
fi
grep -q "nothing answers at /run/sstp/server.sock" "$WORK/none.log" ||
	fail "no clear error without a server: $(cat "$WORK/none.log")"

make_server_config "authentication = mschap2"
start_serve
mode=$(stat -c %a /run/sstp/server.sock) || fail "no status socket"
[ "$mode" = 600 ] || fail "the status socket is mode $mode, want 600"
for i in 1 2; do
	sstpc_alice "$WORK/sstpc-$i.log"
	eval "sstpc_$i=\$sstpc"
	wait_for 40 sh -c "[ \$(ip -n cli -4 -o addr show | grep -c 'inet 198.51.100') -ge $i ]" ||
		fail "client $i got no address"
done
ip -n cli -4 -o addr show | sed -n 's/^[0-9]*: \(ppp[0-9]*\) .*/\1/p' >"$WORK/ifaces.log"
while read -r dev; do
	ip netns exec cli ping -I "$dev" -c 3 -i 0.2 -W 3 198.51.100.1 >/dev/null 2>&1 ||
		fail "no ping through $dev"
done <"$WORK/ifaces.log"

ip netns exec srv "$HELPER" status >"$WORK/table.log" 2>&1 || fail "status failed"
cat "$WORK/table.log"
[ "$(grep -c '^[0-9].* up  *alice  *192\.0\.2\.2:[0-9]* *ppp[0-9] *198\.51\.100\.1 *198\.51\.100\.[1-9][0-9] *TLSv1\.3 ' \
	"$WORK/table.log")" -eq 2 ] || fail "the table does not list both sessions"

ip netns exec srv "$HELPER" status --json >"$WORK/status.json" 2>&1 ||
	fail "status --json failed"
python3 - "$WORK/status.json" <<'PY' || fail "status --json: $(cat "$WORK/status.json")"
import json, sys
s = json.load(open(sys.argv[1]))["sessions"]
assert len(s) == 2, s
assert len({x["remote_address"] for x in s}) == 2, s
assert len({x["interface"] for x in s}) == 2, s
for x in s:
    assert x["role"] == "server", x
    assert x["state"] == "up" and x["user"] == "alice", x
    assert x["peer"].startswith("192.0.2.2:"), x
    assert x["local_address"] == "198.51.100.1", x
    assert x["tls_version"] == "TLSv1.3" and x["tls_cipher"].startswith("TLS_"), x
    # ping's 3 x 84 bytes, plus LCP/IPCP
    assert x["rx_packets"] >= 3 and x["rx_bytes"] >= 252, x
    assert x["tx_packets"] >= 3 and x["tx_bytes"] >= 252, x
    assert 0 <= x["uptime"] < 600, x
PY

# One session goes: it leaves the list.
kill -TERM "$sstpc_1"
wait_for 20 sh -c "[ \$(ip netns exec srv '$HELPER' status --json | grep -c '\"id\"') -eq 1 ]" ||
	fail "an ended session is still listed"

kill -TERM "$serve"
wait "$serve"
[ ! -e /run/sstp/server.sock ] || fail "the status socket was left behind"

# A server killed outright (kill -9) with a live session: the kernel
# takes its tunnels down (their owner's netlink socket is gone), its pppd
# hangs up, the client notices; the next server takes over the stale
# status socket.
start_serve
sstpc_alice "$WORK/sstpc-3.log"
wait_for 40 sh -c "ip -n cli -4 -o addr show | grep -q 'inet 198.51.100'" ||
	fail "client 3 got no address"
kill -KILL "$serve"
wait "$serve" 2>/dev/null
wait_for 20 no_process pppd || fail "pppd outlived the killed server"
wait_for 30 gone "$sstpc" || fail "sstpc did not notice the killed server"
[ -e /run/sstp/server.sock ] || fail "no stale status socket to take over"
start_serve
ip netns exec srv "$HELPER" status >"$WORK/after-kill.log" 2>&1 ||
	fail "status after a restart: $(cat "$WORK/after-kill.log")"
kill -TERM "$serve"
wait "$serve"
rmmod sstp || fail "rmmod sstp"
echo "status listed both sessions, as a table and as JSON; a killed server left nothing behind"
