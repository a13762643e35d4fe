# shellcheck shell=sh
# Shared setup for the VM tests (sourced, never run as a test itself).
#
# Topology of the tunnel tests: two network namespaces joined by a veth
# pair, documentation addresses only:
#   srv  veth-s 192.0.2.1/24   (SSTP server end, TCP port 443)
#   cli  veth-c 192.0.2.2/24   (SSTP client end)
# PPP addresses inside the tunnel: 198.51.100.1 (srv) <-> 198.51.100.2 (cli).

BIN=$SSTP_SRC/build/tests
PLUGIN=$SSTP_SRC/build/sstp-pppd.so
WORK=${SSTP_OUT:-/tmp}/work
mkdir -p "$WORK"

fail() {
	echo "FAIL: $*"
	for f in "$WORK"/*.log; do
		[ -f "$f" ] || continue
		echo "--- $f"
		tail -n 30 "$f"
	done
	exit 1
}

load_modules() {
	modprobe tls || fail "modprobe tls"
	modprobe ppp_generic || fail "modprobe ppp_generic"
	modprobe veth || fail "modprobe veth"
	insmod "$SSTP_KO" || fail "insmod $SSTP_KO"
	mkdir -p /run/lock /var/run/netns
}

make_netns() {
	ip netns add srv
	ip netns add cli
	ip link add veth-s netns srv type veth peer name veth-c netns cli
	ip -n srv addr add 192.0.2.1/24 dev veth-s
	ip -n cli addr add 192.0.2.2/24 dev veth-c
	ip -n srv link set lo up
	ip -n cli link set lo up
	ip -n srv link set veth-s up
	ip -n cli link set veth-c up
}

# A throwaway server certificate for the TLS handshakes.
make_cert() {
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=sstp-test \
		-keyout "$WORK/key.pem" -out "$WORK/cert.pem" >/dev/null 2>&1 ||
		fail "openssl req"
}

# wait_for SECONDS CMD...: poll CMD every 0.2 s until it succeeds.
wait_for() {
	_limit=$(($1 * 5))
	shift
	_i=0
	while ! "$@" >/dev/null 2>&1; do
		_i=$((_i + 1))
		[ "$_i" -ge "$_limit" ] && return 1
		sleep 0.2
	done
	return 0
}

# The pppd options of both ends: no authentication (the tests are about
# the data path), fixed addresses, no compression, in the foreground.
PPPD_COMMON="noauth nodetach nodefaultroute noccp novj nopcomp noaccomp
	lcp-echo-interval 0 file /dev/null"
PPPD_SRV="$PPPD_COMMON 198.51.100.1:198.51.100.2 unit 10"
PPPD_CLI="$PPPD_COMMON noipdefault unit 20"

# has_addr NETNS DEV ADDR: DEV in NETNS has ADDR.
has_addr() {
	ip -n "$1" -4 addr show dev "$2" 2>/dev/null | grep -q "inet $3"
}

# stop PID: SIGTERM, then wait for it.
stop() {
	kill -TERM "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}

# start_server [testpeer options...]: a tunnel end listening in srv; waits
# until it listens. Sets $srv to its pid; its event lines go to
# $WORK/srv.log, its errors and pppd's log to $WORK/srv.err.log.
start_server() {
	ip netns exec srv "$BIN/sstp-testpeer" --listen 192.0.2.1:443 \
		--cert "$WORK/cert.pem" --key "$WORK/key.pem" "$@" \
		>"$WORK/srv.log" 2>"$WORK/srv.err.log" &
	srv=$!
	wait_for 10 sh -c "ip netns exec srv ss -ltn | grep -q ':443 '" ||
		fail "server not listening"
}

# start_client [testpeer options...]: the other end, in cli. Sets $cli.
start_client() {
	ip netns exec cli "$BIN/sstp-testpeer" --connect 192.0.2.1:443 "$@" \
		>"$WORK/cli.log" 2>"$WORK/cli.err.log" &
	cli=$!
}

# log_has FILE REGEX: FILE has a line matching REGEX.
log_has() {
	grep -q -- "$2" "$1"
}
