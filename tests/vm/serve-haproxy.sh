#!/bin/sh
# vm: userspace (the kernel path of serve-sstpc-mschapv2; what differs is the PROXY header before TLS)
# Behind a TCP load balancer: Debian's haproxy in TCP mode, with
# send-proxy-v2, spreads sstpc clients over two sstp-helper serve
# instances (proxy-protocol = yes). Each server gets sessions, logs the
# real client address (not haproxy's), and hands it to pppd as the remote
# number; ping passes through every tunnel. A connection without a PROXY
# header is refused.
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

N=4

load_modules
make_netns
make_cert
ip -n srv link set lo up

# server_conf NAME PORT POOL: the config of one backend.
server_conf() {
	cat >"$WORK/$1.conf" <<-EOF
	[server]
	certificate = $WORK/cert.pem
	private-key = $WORK/key.pem
	listen = 127.0.0.1
	port = $2
	proxy-protocol = yes
	status-socket = /run/sstp/$1.sock
	authentication = mschap2
	[profile default]
	local-address = 198.51.100.1
	remote-address = clients
	[pool clients]
	ranges = $3
	[user alice]
	password = "open sesame"
	EOF
}
server_conf a 4431 198.51.100.10-198.51.100.29
server_conf b 4432 198.51.100.30-198.51.100.49
for s in a b; do
	ip netns exec srv "$HELPER" serve --debug \
		--config "$WORK/$s.conf" >"$WORK/pppd-$s.log" 2>"$WORK/serve-$s.log" &
	eval "serve_$s=\$!"
done
wait_for 10 listening "$serve_b" 127.0.0.1:4432 ||
	fail "the servers are not listening"

cat >"$WORK/haproxy.cfg" <<EOF
global
	maxconn 100
defaults
	mode tcp
	timeout connect 5s
	timeout client 120s
	timeout server 120s
frontend sstp
	bind 192.0.2.1:443
	default_backend servers
backend servers
	balance roundrobin
	server a 127.0.0.1:4431 send-proxy-v2
	server b 127.0.0.1:4432 send-proxy-v2
EOF
ip netns exec srv haproxy -f "$WORK/haproxy.cfg" -db >"$WORK/haproxy.log" 2>&1 &
haproxy=$!
wait_for 60 listening "$haproxy" 192.0.2.1:443 ||
	fail "haproxy is not listening"

i=1
while [ "$i" -le "$N" ]; do
	sstpc_alice "$WORK/sstpc-$i.log"
	i=$((i + 1))
done
up() {
	[ "$(cat "$WORK/serve-a.log" "$WORK/serve-b.log" |
		grep -c 'crypto binding verified')" -ge "$N" ]
}
wait_for 120 up || fail "not all $N sessions came up"

for s in a b; do
	log=$WORK/serve-$s.log
	grep -q "crypto binding verified" "$log" || fail "server $s got no session"
	grep -q "192.0.2.2:[0-9]*: connected through 127.0.0.1:" "$log" ||
		fail "server $s did not log the real client behind haproxy"
	if grep "crypto binding verified\|authenticated\|up, " "$log" | grep -q "127.0.0.1"; then
		fail "server $s logged haproxy's address for a session"
	fi
	grep -q "peer from calling number 192.0.2.2:[0-9]* authorized" "$WORK/pppd-$s.log" ||
		fail "server $s's pppd did not get the real client address"
done

wait_for 30 sh -c "[ \$(ip -n cli -4 -o addr show | grep -c 'inet 198.51.100') -ge $N ]" ||
	fail "not every client got an address"
ip -n cli -4 -o addr show | sed -n 's/^[0-9]*: \(ppp[0-9]*\) .*/\1/p' >"$WORK/ifaces.log"
while read -r dev; do
	ip netns exec cli ping -I "$dev" -c 2 -i 0.3 -W 3 198.51.100.1 >"$WORK/ping-$dev.log" 2>&1 ||
		fail "no ping through $dev"
done <"$WORK/ifaces.log"

# Straight to a backend, without a PROXY header: refused before TLS.
ip netns exec srv sh -c 'printf "\026\003\001\000\005hello" | busybox nc 127.0.0.1 4431' \
	>/dev/null 2>&1
wait_for 10 grep -q "no valid PROXY header" "$WORK/serve-a.log" ||
	fail "a connection without a PROXY header was not refused"

kill -TERM "$serve_a" "$serve_b"
wait "$serve_a"
wait "$serve_b"
kill "$haproxy"
wait "$haproxy"
wait_for 30 no_process sstpc || fail "sstpc still running"
rmmod sstp || fail "rmmod sstp"
grep -h "through\|verified\|PROXY" "$WORK/serve-a.log" "$WORK/serve-b.log"
echo "haproxy spread $N clients over two servers; each saw the real address"
