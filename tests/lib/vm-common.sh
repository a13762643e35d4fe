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
	modprobe -a tls ppp_generic veth || fail "modprobe tls ppp_generic veth"
	insmod "$SSTP_KO" || fail "insmod $SSTP_KO"
	mkdir -p /run/lock /var/run/netns
}

# (ip -batch: one exec a namespace, where each costs a second or more
# on the debug kernel.)
make_netns() {
	printf '%s\n' "netns add srv" "netns add cli" \
		"link add veth-s netns srv type veth peer name veth-c netns cli" |
		ip -batch - || fail "cannot make the namespaces"
	printf '%s\n' "addr add 192.0.2.1/24 dev veth-s" "link set lo up" \
		"link set veth-s up" | ip -n srv -batch - || fail "cannot set up srv"
	printf '%s\n' "addr add 192.0.2.2/24 dev veth-c" "link set lo up" \
		"link set veth-c up" | ip -n cli -batch - || fail "cannot set up cli"
}

# test_key FILE NAME: FILE is a copy of the test key NAME (rsa2048-1..6,
# rsa512-1..2), made on the host by `make test-keys`: making a 2048-bit
# key takes seconds in the emulated guest. No two roles in one test share a
# key; different tests may.
test_key() {
	cp "$SSTP_SRC/build/tests/keys/$2.pem" "$1" ||
		fail "no test key $2 (make test-keys)"
}

# A throwaway server certificate for the TLS handshakes (self-signed, key
# rsa2048-1), made on the host by `make test-keys` like the keys.
make_cert() {
	cp "$SSTP_SRC/build/tests/certs/self/cert.pem" \
		"$SSTP_SRC/build/tests/certs/self/key.pem" "$WORK/" ||
		fail "no test certificate (make test-keys)"
}

# make_ca_cert [START END]: a test CA ($WORK/ca.pem) and a server
# certificate it signed, for vpn.example and 192.0.2.1 with EKU serverAuth,
# in $WORK/cert.pem and $WORK/key.pem (what the serve tests use). START and
# END (YYYYMMDDHHMMSSZ) set its validity, for expired and not-yet-valid
# certificates; the default is from yesterday for two days. The CA's key is
# the test key $CA_KEY (default rsa2048-2): a second CA whose certificate
# must not verify as the first needs a key of its own. With the defaults,
# the files are copies of what `make test-keys` made on the host with the
# same script, tests/lib/make-ca-cert.sh (valid for ten years there): the
# debug kernel takes seconds an openssl run.
make_ca_cert() {
	if [ $# = 0 ] && [ -z "${CA_KEY:-}" ]; then
		cp -r "$SSTP_SRC/build/tests/certs/ca/." "$WORK/" ||
			fail "no test CA (make test-keys)"
		return
	fi
	"$SSTP_SRC/tests/lib/make-ca-cert.sh" "$WORK" \
		"$SSTP_SRC/build/tests/keys/${CA_KEY:-rsa2048-2}.pem" \
		"$SSTP_SRC/build/tests/keys/rsa2048-3.pem" \
		"${1:-$(date -u -d yesterday +%Y%m%d%H%M%SZ)}" \
		"${2:-$(date -u -d tomorrow +%Y%m%d%H%M%SZ)}" >"$WORK/ca.log" 2>&1 ||
		fail "make-ca-cert.sh: $(cat "$WORK/ca.log")"
}

# wait_for SECONDS CMD...: poll CMD every 0.2 s until it succeeds, for at
# most SECONDS of guest time (counted by the clock: under TCG one poll can
# take over a second, so counting polls would wait far longer). The clock
# is read with the shell's own read: on the debug kernel every exec costs
# a second or more, so a poll should cost CMD's and the sleep's, no more.
#
# SECONDS is what CMD needs on an idle machine and a Debian kernel; the
# limit is SECONDS times WAIT_SCALE. The debug kernel runs everything a
# few times slower, and a CI machine may be shared: a limit that only
# holds on an idle machine fails there for no fault of the code. A wait
# that succeeds costs no more for the scale, and no test waits to see
# that something does not happen.
case ${SSTP_KERNEL:-} in debug) WAIT_SCALE=6 ;; *) WAIT_SCALE=2 ;; esac
WAIT_SCALE=${SSTP_WAIT_SCALE:-$WAIT_SCALE}
wait_for() {
	read -r _wf_now _ </proc/uptime
	_wf_until=$((${_wf_now%.*} + $1 * WAIT_SCALE))
	shift
	while ! "$@" >/dev/null 2>&1; do
		read -r _wf_now _ </proc/uptime
		[ "${_wf_now%.*}" -ge "$_wf_until" ] && return 1
		sleep 0.2
	done
	return 0
}

# listening PID [ADDR:]PORT: a TCP socket of PID's network namespace
# listens on PORT (on the IPv4 address ADDR, when given; on any address,
# IPv6 too, when not). Reads PID's /proc/net/tcp{,6} with shell builtins
# only: the ss | grep it replaces took four execs a poll. False once PID
# is gone.
listening() {
	_ls_port=${2##*:}
	_ls_addr=
	[ "$_ls_port" = "$2" ] || _ls_addr=${2%:*}
	for _ls_file in /proc/"$1"/net/tcp /proc/"$1"/net/tcp6; do
		[ -z "$_ls_addr" ] || [ "$_ls_file" = "/proc/$1/net/tcp" ] || continue
		# sl local_address rem_address st ...; LISTEN is state 0A.
		while read -r _ _ls_local _ _ls_st _; do
			[ "$_ls_st" = 0A ] || continue
			[ "$((0x${_ls_local##*:}))" = "$_ls_port" ] || continue
			[ -z "$_ls_addr" ] && return 0
			[ "$(hex_ipv4 "${_ls_local%:*}")" = "$_ls_addr" ] && return 0
		done <"$_ls_file" 2>/dev/null || return 1
	done
	return 1
}

# hex_ipv4 HEX: the dotted address of /proc/net/tcp's HEX (in the
# kernel's byte order: 0100007F is 127.0.0.1).
hex_ipv4() {
	_hx_d=${1%??????}
	_hx_c=${1#??}
	_hx_c=${_hx_c%????}
	_hx_b=${1#????}
	_hx_b=${_hx_b%??}
	_hx_a=${1#??????}
	echo "$((0x$_hx_a)).$((0x$_hx_b)).$((0x$_hx_c)).$((0x$_hx_d))"
}

# gone PID: PID has ended (a builtin, where sh -c "! kill -0 PID" was an
# exec a poll).
gone() {
	! kill -0 "$1" 2>/dev/null
}

# no_process NAME: no process is called NAME (its comm), read from /proc
# with builtins (pgrep is an exec a poll).
no_process() {
	for _np in /proc/[0-9]*/comm; do
		read -r _np_comm <"$_np" 2>/dev/null || continue
		[ "$_np_comm" = "$1" ] && return 1
	done
	return 0
}

# The pppd options of both ends: no authentication (the tests are about
# the data path), fixed addresses, no compression, in the foreground.
PPPD_COMMON="noauth nodetach nodefaultroute noccp novj nopcomp noaccomp
	lcp-echo-interval 0 file /dev/null"
PPPD_SRV="$PPPD_COMMON 198.51.100.1:198.51.100.2 unit 10"
PPPD_CLI="$PPPD_COMMON noipdefault unit 20"

# The kernel's unreclaimable slab, in kB: what a leak or a queue without a
# bound grows.
unreclaimable_kb() {
	sed -n 's/^SUnreclaim: *\([0-9]*\) kB/\1/p' /proc/meminfo
}

# slab_growth_until SECONDS FILE REGEX: sample unreclaimable_kb every 0.3 s
# until FILE has a line matching REGEX; print by how many kB it rose above
# its first sample at most. Fails when SECONDS pass first.
slab_growth_until() {
	_sg_before=$(unreclaimable_kb)
	_sg_peak=$_sg_before
	_sg_until=$(($(cut -d. -f1 /proc/uptime) + $1))
	while ! log_has "$2" "$3"; do
		_sg_now=$(unreclaimable_kb)
		[ "$_sg_now" -gt "$_sg_peak" ] && _sg_peak=$_sg_now
		[ "$(cut -d. -f1 /proc/uptime)" -lt "$_sg_until" ] || return 1
		sleep 0.3
	done
	echo $((_sg_peak - _sg_before))
}

# A bystander: a second tunnel between srv and cli (port 444, pppd units
# 11 and 21, 198.51.100.5 and .6), which must keep passing traffic while
# a hostile peer works on another tunnel of the same kernel.
start_bystander() {
	# shellcheck disable=SC2086 # the option lists are word lists
	ip netns exec srv "$BIN/sstp-testpeer" --listen 192.0.2.1:444 \
		--cert "$WORK/cert.pem" --key "$WORK/key.pem" --open-gate \
		--plugin "$PLUGIN" -- $PPPD_COMMON 198.51.100.5:198.51.100.6 unit 11 \
		>"$WORK/bystander.srv.log" 2>&1 &
	by_srv=$!
	wait_for 30 listening "$by_srv" 444 ||
		fail "bystander: server not listening"
	# shellcheck disable=SC2086
	ip netns exec cli "$BIN/sstp-testpeer" --connect 192.0.2.1:444 \
		--open-gate --plugin "$PLUGIN" -- $PPPD_COMMON noipdefault unit 21 \
		>"$WORK/bystander.cli.log" 2>&1 &
	by_cli=$!
	wait_for 30 has_addr cli ppp21 198.51.100.6 || fail "bystander: no address"
}

# bystander_ping NAME [COUNT]: start COUNT (5) pings through the bystander.
bystander_ping() {
	by_count=${2:-5}
	ip netns exec cli ping -c "$by_count" -i 0.5 -W 5 198.51.100.5 \
		>"$WORK/$1.ping.log" 2>&1 &
	by_ping=$!
}

# bystander_answered NAME [MIN]: at least MIN of them (all) were answered.
bystander_answered() {
	wait "$by_ping"
	_by_got=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$WORK/$1.ping.log")
	[ "${_by_got:-0}" -ge "${2:-$by_count}" ] ||
		fail "$1: the bystander lost pings: $(tail -n 2 "$WORK/$1.ping.log")"
}

# stop_bystander: its client end leaves, its server end sees it go.
stop_bystander() {
	stop "$by_cli"
	wait_for 30 gone "$by_srv" || fail "bystander: server end still up"
}

# has_addr NETNS DEV ADDR: DEV in NETNS ("": any of its interfaces) has an
# IPv4 address ADDR, a shell pattern that may go on with what follows in
# ip's line ("198.51.100.1[0-9] peer 198.51.100.1/"). One exec a poll.
has_addr() {
	_ha=$(ip -n "$1" -4 -o addr show ${2:+dev "$2"} 2>/dev/null)
	# shellcheck disable=SC2254 # $3 is a pattern
	case $_ha in *"inet "$3*) return 0 ;; esac
	return 1
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
	wait_for 30 listening "$srv" 443 ||
		fail "server not listening"
}

# start_client [testpeer options...]: the other end, in cli. Sets $cli.
start_client() {
	ip netns exec cli "$BIN/sstp-testpeer" --connect 192.0.2.1:443 "$@" \
		>"$WORK/cli.log" 2>"$WORK/cli.err.log" &
	cli=$!
}

# iperf_both_ways LABEL: iperf3 from cli to srv's 198.51.100.1 through
# the tunnel, 2 s each way; the receiver lines are printed.
iperf_both_ways() {
	for _dir in "" -R; do
		ip netns exec srv iperf3 -s -1 -B 198.51.100.1 >/dev/null 2>&1 &
		_iperf=$!
		wait_for 10 listening "$_iperf" 5201 ||
			fail "$1: iperf3 server not listening"
		ip netns exec cli iperf3 -c 198.51.100.1 -t 2 $_dir \
			>"$WORK/iperf-$1$_dir.log" 2>&1 ||
			fail "$1: iperf3 $_dir through the tunnel"
		wait "$_iperf"
		grep -E 'receiver$' "$WORK/iperf-$1$_dir.log" ||
			fail "$1: iperf3 $_dir reported no transfer"
	done
}

# carry_traffic TAG: ping and iperf3 both ways through the client's
# tunnel to the server's end, then the client's status as JSON in
# $WORK/status.json.
carry_traffic() {
	ip netns exec cli ping -c 3 -i 0.2 -W 2 198.51.100.1 >"$WORK/ping.log" 2>&1 ||
		fail "ping through the tunnel"
	iperf_both_ways "$1"
	ip netns exec cli "$HELPER" status --json >"$WORK/status.json" ||
		fail "status --json failed"
}

# log_has FILE REGEX: FILE has a line matching REGEX.
log_has() {
	grep -q -- "$2" "$1"
}

# The server config of the sstp-helper serve tests: user alice, addresses
# from the pool, the server end 198.51.100.1. Extra [server] lines in "$@".
# POOL_RANGES replaces the pool's 41 addresses (198.51.100.10-50).
make_server_config() {
	{
		echo "[server]"
		echo "certificate = $WORK/cert.pem"
		echo "private-key = $WORK/key.pem"
		# A debug guest's first kTLS handoff loads and self-tests the
		# ciphers: more than the default 10 s from accept to the HTTP
		# request. A test's own handshake-timeout comes after, and wins.
		echo "handshake-timeout = 60"
		for line in "$@"; do echo "$line"; done
		echo "[profile default]"
		echo "local-address = 198.51.100.1"
		echo "remote-address = clients"
		echo "[pool clients]"
		echo "ranges = ${POOL_RANGES:-198.51.100.10-198.51.100.50}"
		echo "[user alice]"
		echo "password = \"open sesame\""
	} >"$WORK/server.conf"
	# It holds a password: serve warns when others may read it.
	chmod 600 "$WORK/server.conf"
}

HELPER=$SSTP_SRC/build/sstp-helper

# client_world: what the sstp-helper connect tests stand on: modules,
# netns, a CA-signed server certificate, and alice's password in
# $WORK/password; no server yet.
client_world() {
	load_modules
	make_netns
	# shellcheck disable=SC2119 # the default validity
	make_ca_cert
	printf 'open sesame\n' >"$WORK/password"
}

# client_setup: client_world, and sstp-helper serve requiring MS-CHAPv2
# of alice.
client_setup() {
	client_world
	make_server_config "authentication = mschap2"
	start_serve
}

# client_config LINE...: $WORK/client.conf, alice's call to 192.0.2.1 as
# sstp-out1, with more [client] lines.
client_config() {
	{
		echo "[client]"
		echo "connect-to = 192.0.2.1"
		echo "user = alice"
		echo "password-file = $WORK/password"
		echo "ca = $WORK/ca.pem"
		echo "name = sstp-out1"
		for line in "$@"; do echo "$line"; done
	} >"$WORK/client.conf"
}

# serve_again WHAT: a new serve, the last one's log kept as
# serve-before-WHAT.err.log; the client (reconnect = yes, its log in
# $WORK/client.log) calls again, gets an address and passes traffic.
serve_again() {
	mv "$WORK/serve.err.log" "$WORK/serve-before-$1.err.log"
	start_serve
	wait_for 60 sh -c "[ \$(grep -c 'connected to 192.0.2.1' '$WORK/client.log') -ge 2 ]" ||
		fail "$1: the client did not call again: $(tail -n 5 "$WORK/client.log")"
	wait_for 20 has_addr cli sstp-out1 '198.51.100' ||
		fail "$1: no address after calling again"
	ip netns exec cli ping -c 2 -i 0.3 -W 3 198.51.100.1 >/dev/null 2>&1 ||
		fail "$1: no ping after calling again"
}

# client_pings IFNAME: the call of the client in cli is up: the server
# verified alice's crypto binding, IFNAME has an address of the pool, and
# a ping to the server's end passes. The waits allow for the debug kernel
# with another guest beside it (a call took over 10 s there).
client_pings() {
	wait_for 60 grep -q "crypto binding verified for user alice (mschap2)" \
		"$WORK/serve.err.log" || fail "the server did not verify the crypto binding"
	wait_for 30 has_addr cli "$1" '198.51.100.1[0-9]' ||
		fail "$1 got no address"
	ip netns exec cli ping -c 3 -i 0.2 -W 2 198.51.100.1 >"$WORK/ping.log" 2>&1 ||
		fail "ping through $1"
}

# stop_client: SIGTERM to the client ($client): it exits 0, and the server
# logs its Call Disconnect.
stop_client() {
	kill -TERM "$client"
	wait "$client"
	_rc=$?
	[ "$_rc" -eq 0 ] || fail "the client exited $_rc after SIGTERM, want 0"
	wait_for 10 grep -q "session ended: client disconnected" "$WORK/serve.err.log" ||
		fail "the server did not get the client's Call Disconnect"
}

# start_serve: sstp-helper serve in srv, logging to $WORK/serve.err.log.
start_serve() {
	ip netns exec srv "$HELPER" serve --debug \
		--config "$WORK/server.conf" 2>"$WORK/serve.err.log" &
	serve=$!
	wait_for 30 listening "$serve" 443 ||
		fail "sstp-helper serve not listening"
}

# The one flake of an outside tool the tests retry: Debian's sstpc 1.0.18
# sometimes ends its event loop ~70 ms after connecting, before it starts
# its pppd (one start in twenty, in serve-many's runs here). A test
# retries it, matched by this message, at most twice for one client (with
# one retry, two flakes in a row for one of serve-many's 20 clients would
# fail about one run in twenty), and says so with note_retry (run-tests.sh
# and make check count those lines). Why sstpc does it is not known yet.
SSTPC_FLAKE="The event loop terminated unsuccessfully"

# note_retry WHAT: the line that tells run-tests.sh a known flake was
# retried.
note_retry() {
	echo "RETRY: $*"
}

# sstpc_flaked LOG: sstpc ($sstpc) is gone, dead of its known flake.
sstpc_flaked() {
	! kill -0 "$sstpc" 2>/dev/null && grep -q "$SSTPC_FLAKE" "$1"
}

# sstpc_settled: sstpc ($sstpc) is past the flake's moment: it started
# its pppd, or it ended.
sstpc_settled() {
	! kill -0 "$sstpc" 2>/dev/null || pgrep -P "$sstpc" -x pppd >/dev/null
}

# run_sstpc LOG ARGS...: Debian's sstpc in cli, in the background
# ($sstpc), once it is past its known flake (retried; the log of a try
# that flaked is kept as LOG.tryN).
run_sstpc() {
	_log=$1
	shift
	for _try in 1 2 3; do
		ip netns exec cli sstpc --log-stderr --log-level 2 "$@" >"$_log" 2>&1 &
		sstpc=$!
		wait_for 60 sstpc_settled
		sstpc_flaked "$_log" || return 0
		cp "$_log" "$_log.try$_try"
		[ "$_try" = 3 ] || note_retry "sstpc: $SSTPC_FLAKE"
	done
	fail "sstpc died three times in a row of its known flake: $SSTPC_FLAKE"
}

# sstpc_as LOG USER PASSWORD [pppd options...]: sstpc (run_sstpc) to the
# server at 192.0.2.1, not verifying its certificate; pppd neither asks the
# server to authenticate nor takes an address of its own or a route. The
# options go before noauth: require-* after it would make pppd demand that
# the server authenticate itself.
sstpc_as() {
	_log=$1
	_user=$2
	_pass=$3
	shift 3
	run_sstpc "$_log" --cert-warn --user "$_user" --password "$_pass" \
		192.0.2.1:443 "$@" noauth noipdefault nodefaultroute refuse-eap noccp
}

# sstpc_alice LOG: alice with MS-CHAPv2, what most serve tests run.
sstpc_alice() {
	sstpc_as "$1" alice "open sesame" require-mschap-v2
}

# --- Authentication through the plugin's control socket (pppd-auth-*.sh).
# The server end's pppd requires authentication; each end's testpeer plays
# sstp-helper on sstp-pppd.so's control socket (--ctl): the server's
# answers "secret alice", the client's "password". The guest's secrets
# files are emptied first, so nothing but the plugin can authenticate
# anybody, and no password is on a command line.
AUTH_USER=alice
AUTH_USER_HEX=616c696365
AUTH_PASSWORD=Sstp-test-Pa55word
PPPD_AUTH_SRV="auth nodetach nodefaultroute noccp novj nopcomp noaccomp
	lcp-echo-interval 0 file /dev/null 198.51.100.1:198.51.100.2 unit 10"

# start_auth_tunnel REQUIRE CLIENT_PASSWORD [SERVER_USER]: the server end
# requires REQUIRE (require-pap, require-chap, require-mschap-v2) and knows
# SERVER_USER (default alice) with $AUTH_PASSWORD; the client end is alice
# with CLIENT_PASSWORD.
start_auth_tunnel() {
	no_system_secrets
	# shellcheck disable=SC2086 # the option lists are word lists
	start_server --open-gate --ctl "${3:-$AUTH_USER}:$AUTH_PASSWORD" \
		--plugin "$PLUGIN" -- $PPPD_AUTH_SRV "$1"
	# shellcheck disable=SC2086
	start_client --open-gate --ctl "$AUTH_USER:$2" \
		--plugin "$PLUGIN" -- $PPPD_CLI user "$AUTH_USER"
}

# no_system_secrets: empty /etc/ppp/pap-secrets and chap-secrets (pppd
# 2.4.9 has no option to read other files; 2.5's pap-secrets/chap-secrets
# options are not there). Only in the VM guest, whose root is an overlay:
# the host's files stay as they are.
no_system_secrets() {
	[ -d /sstp-result ] && grep -q '^[^ ]* / overlay ' /proc/mounts ||
		fail "not in the VM guest: refusing to empty /etc/ppp/*-secrets"
	{ : >/etc/ppp/pap-secrets && : >/etc/ppp/chap-secrets; } ||
		fail "cannot empty /etc/ppp/*-secrets"
}

# pppd_procs: one line "PID COMMAND LINE" for every running pppd.
pppd_procs() {
	for _c in /proc/[0-9]*/cmdline; do
		_a=$(tr '\0' ' ' <"$_c" 2>/dev/null) || continue
		case $_a in
		pppd\ *) _pid=${_c#/proc/}; echo "${_pid%/cmdline} $_a" ;;
		esac
	done
}

# pppd_cmdlines_lack WORD: there are two pppd and neither has WORD in its
# command line (what ps shows).
pppd_cmdlines_lack() {
	pppd_procs >"$WORK/pppd-procs"
	[ "$(wc -l <"$WORK/pppd-procs")" = 2 ] && ! grep -qF -- "$1" "$WORK/pppd-procs"
}

# pppd_ctl_cloexec: both pppd hold their sstp-ctl-fd close-on-exec (the
# plugin sets it), so the scripts pppd runs (ip-up...) do not inherit it.
pppd_ctl_cloexec() {
	_n=0
	pppd_procs >"$WORK/pppd-procs"
	while read -r _pid _a; do
		_fd=$(echo "$_a " | sed -n 's/.* sstp-ctl-fd \([0-9]*\) .*/\1/p')
		[ -n "$_fd" ] || return 1
		# fdinfo's flags are octal; O_CLOEXEC is 02000000.
		_flags=$(sed -n 's/^flags:[[:space:]]*//p' "/proc/$_pid/fdinfo/$_fd")
		[ -n "$_flags" ] && [ $((_flags & 02000000)) -ne 0 ] || return 1
		_n=$((_n + 1))
	done <"$WORK/pppd-procs"
	[ "$_n" = 2 ]
}

# auth_settled: the client end has its address, or a pppd gave up (so a
# failure shows at once, not after wait_for's whole limit).
auth_settled() {
	has_addr cli ppp20 198.51.100.2 || log_has "$WORK/cli.log" '^pppd exited' ||
		log_has "$WORK/srv.log" '^pppd exited'
}

# auth_expect_up: IPCP comes up on both ends, no pppd shows the password,
# ping crosses the tunnel both ways.
auth_expect_up() {
	wait_for 30 auth_settled
	has_addr cli ppp20 198.51.100.2 || fail "client ppp20 never got its address"
	wait_for 10 has_addr srv ppp10 198.51.100.1 || fail "server ppp10 never got its address"
	pppd_cmdlines_lack "$AUTH_PASSWORD" ||
		fail "a pppd command line holds the password (or pppd is missing)"
	pppd_ctl_cloexec || fail "a pppd's control socket is not close-on-exec"
	ip netns exec cli ping -c 3 -i 0.2 -W 2 198.51.100.1 >"$WORK/ping-cli.log" 2>&1 ||
		fail "ping from client to server through the tunnel"
	ip netns exec srv ping -c 3 -i 0.2 -W 2 198.51.100.2 >"$WORK/ping-srv.log" 2>&1 ||
		fail "ping from server to client through the tunnel"
}

# auth_expect_reported METHOD: both ends told their helper who
# authenticated (alice) how, and that IPCP came up.
auth_expect_reported() {
	for _end in srv cli; do
		wait_for 10 log_has "$WORK/$_end.log" '^ctl ip-up ' ||
			fail "$_end: no 'ctl ip-up'"
		log_has "$WORK/$_end.log" "^ctl auth $AUTH_USER_HEX $1\$" ||
			fail "$_end: no 'ctl auth $AUTH_USER_HEX $1'"
		log_has "$WORK/$_end.log" '^ctl keys ' || fail "$_end: no 'ctl keys'"
	done
	log_has "$WORK/srv.log" '^ctl ip-up ppp10 198.51.100.1 198.51.100.2$' ||
		fail "server: wrong ip-up line"
	log_has "$WORK/cli.log" '^ctl ip-up ppp20 198.51.100.2 198.51.100.1$' ||
		fail "client: wrong ip-up line"
}

# ctl_keys END: the "<send> <recv>" of END's (srv, cli) ctl keys line.
ctl_keys() {
	sed -n 's/^ctl keys //p' "$WORK/$1.log" | head -n 1
}

# hex STRING: STRING's bytes in lowercase hex.
hex() {
	printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n'
}

# auth_stop: the client end goes, the server end follows; both pppd exit
# and report IPCP down; the password (clear or hex) is in no log.
auth_stop() {
	stop "$cli"
	wait_for 10 gone "$srv" || fail "server end did not notice the client leaving"
	wait "$srv"
	for _end in srv cli; do
		log_has "$WORK/$_end.log" '^pppd exited' || fail "$_end: pppd did not exit"
		log_has "$WORK/$_end.log" '^ctl ip-down ' || fail "$_end: no 'ctl ip-down'"
	done
	auth_logs_lack_password
	rmmod sstp || fail "rmmod sstp"
}

# auth_logs_lack_password: nothing in $WORK shows the password.
auth_logs_lack_password() {
	if grep -r -q -F -e "$AUTH_PASSWORD" -e "$(hex "$AUTH_PASSWORD")" "$WORK"; then
		fail "the password is in $(grep -r -l -F -e "$AUTH_PASSWORD" -e "$(hex "$AUTH_PASSWORD")" "$WORK")"
	fi
}

# serve_sstpc AUTH PPPD_REQUIRE [SERVER_LINE...]: sstpc connects to
# sstp-helper serve with AUTH as the server's only authentication method;
# the server must verify the crypto binding, and ping must pass. Leaves
# both running.
serve_sstpc() {
	_auth=$1
	_require=$2
	shift 2
	make_server_config "authentication = $_auth" "$@"
	start_serve
	# shellcheck disable=SC2086 # no option at all when empty
	sstpc_as "$WORK/sstpc.log" alice "open sesame" $_require
	wait_for 40 has_addr cli "" '198.51.100.1[0-9]' ||
		fail "the client never got an address"
	wait_for 10 grep -q "crypto binding verified for user alice ($_auth)" \
		"$WORK/serve.err.log" || fail "server did not verify the crypto binding"
	ip netns exec cli ping -c 3 -i 0.2 -W 2 198.51.100.1 >"$WORK/ping.log" 2>&1 ||
		fail "ping through the tunnel"
}

# --- The wire, as tshark sees it (serve-wire.sh, client-wire.sh).

# start_capture FILE: dumpcap on the server's veth, TCP port 443 only.
start_capture() {
	ip netns exec srv dumpcap -q -i veth-s -f "tcp port 443" -w "$1" \
		>"$WORK/dumpcap.log" 2>&1 &
	dumpcap=$!
	wait_for 20 test -s "$1" || fail "dumpcap did not start"
}

stop_capture() {
	sleep 1
	kill -INT "$dumpcap"
	wait "$dumpcap"
}

# tshark_sstp PCAP KEYS FILTER FIELDS...: one line per packet of PCAP,
# decrypted with the key log KEYS, that FILTER matches.
tshark_sstp() {
	_pcap=$1
	_keys=$2
	_filter=$3
	shift 3
	tshark -r "$_pcap" -o "tls.keylog_file:$_keys" -Y "$_filter" -T fields \
		-E occurrence=a "$@" 2>>"$WORK/tshark.log"
}

# check_wire PCAP KEYS: Wireshark's SSTP dissector finds the whole call
# (1 Connect Request, 2 Connect Ack, 4 Call Connected, 6 Disconnect,
# 7 Disconnect Ack), data packets with ping's echo requests inside,
# version 1.0 everywhere, and nothing malformed.
check_wire() {
	tshark_sstp "$1" "$2" "sstp.iscontrol == 1" -e sstp.messagetype |
		tr ',' '\n' | sort -u >"$WORK/types.log"
	for _t in 1 2 4 6 7; do
		grep -qix "0x000$_t" "$WORK/types.log" ||
			fail "no control packet of type $_t on the wire (saw: $(tr '\n' ' ' <"$WORK/types.log"))"
	done
	_data=$(tshark_sstp "$1" "$2" "sstp.iscontrol == 0" -e frame.number | wc -l)
	[ "$_data" -ge 10 ] || fail "only $_data frames with SSTP data packets, want >= 10"
	_icmp=$(tshark_sstp "$1" "$2" "sstp && icmp.type == 8" -e frame.number | wc -l)
	[ "$_icmp" -ge 3 ] || fail "saw $_icmp echo requests inside SSTP, want 3"
	_bad=$(tshark_sstp "$1" "$2" \
		"sstp && (sstp.majorversion != 1 || sstp.minorversion != 0)" \
		-e frame.number | wc -l)
	[ "$_bad" -eq 0 ] || fail "$_bad frames with an SSTP version other than 1.0"
	_malformed=$(tshark_sstp "$1" "$2" "_ws.malformed || _ws.expert.severity >= error" \
		-e frame.number -e _ws.expert.message)
	[ -z "$_malformed" ] || fail "tshark found malformed packets: $_malformed"
	echo "wire: $_data frames of SSTP data, $_icmp echo requests inside, nothing malformed"
}
