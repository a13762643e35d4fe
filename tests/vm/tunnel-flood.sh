#!/bin/sh
# vm: heavy (floods for a minute; the debug kernel is the 6.12 run, with KASAN and kmemleak)
# A peer that never reads cannot make sstp.ko hold memory without bound,
# before any authentication. The flooding peer shrinks its receive buffer
# (its TCP window closes once it holds a few KB) and writes, as fast as the
# tunnel takes them:
#  1. Echo Requests, until the connection ends: the kernel keeps at most
#     one Echo Response waiting, so it reads on with flat memory; once the
#     peer's window is shut, nothing more it sends is acknowledged, and the
#     transmit-stall timeout (3 s here) ends the tunnel.
#  2. LCP Configure-Requests, each of which pppd acknowledges: the
#     acknowledgements wait in the transmit queue, the tunnel stops reading
#     (TCP pushes back: the flood blocks), then the stall timeout ends it.
#  3. 300 Call Connect Requests in one TLS record: at most 16 reach the
#     tunnel's owner as events; the rest are counted and dropped.
# The kernel's unreclaimable slab, sampled during each flood, must never
# grow by $BOUND_KB or more (before the bounds, 4 MiB of Echo Requests
# added 351 MB, and 32 MiB ran the guest out of memory).
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

BOUND_KB=4096

load_modules
make_netns
make_cert


# flood NAME KIND SECONDS [server options]: one tunnel, one peer flooding
# it (blocked after SECONDS without progress); samples the slab until the
# flood is done, blocked or ended, and checks its growth.
flood() {
	_name=$1 _kind=$2 _secs=$3
	shift 3
	start_server --tx-stall 3 "$@"
	start_client --flood "$_kind" --seconds "$_secs"
	wait_for 30 log_has "$WORK/srv.log" "^tunnel " ||
		fail "$_name: no tunnel"
	_before=$(unreclaimable_kb)
	_peak=$_before
	_start=$(cut -d. -f1 /proc/uptime)
	_until=$((_start + 120))
	while ! log_has "$WORK/cli.log" "^flood "; do
		_now=$(unreclaimable_kb)
		[ "$_now" -gt "$_peak" ] && _peak=$_now
		[ "$(cut -d. -f1 /proc/uptime)" -lt "$_until" ] ||
			fail "$_name: the flood neither finished nor blocked"
		sleep 0.3
	done
	_grew=$((_peak - _before))
	echo "$_name: $(cat "$WORK/cli.log") after $(($(cut -d. -f1 /proc/uptime) - _start)) s, unreclaimable slab grew by at most $_grew kB"
	[ "$_grew" -lt "$BOUND_KB" ] ||
		fail "$_name: slab grew by $_grew kB (bound $BOUND_KB kB)"
}

# finish NAME: the server's tunnel is down; keep both logs.
finish() {
	wait_for 30 sh -c "! kill -0 $srv" || fail "$1: tunnel still up"
	stop "$cli"
	mv "$WORK/srv.log" "$WORK/$1.srv.log"
	mv "$WORK/cli.log" "$WORK/$1.cli.log"
}

flood echo echo 10
log_has "$WORK/cli.log" "^flood ended" || fail "echo: the tunnel stopped reading"
sent=$(sed -n 's/^flood ended \([0-9]*\) .*/\1/p' "$WORK/cli.log")
[ "$sent" -ge $((4 << 20)) ] || fail "echo: only $sent bytes of Echo Requests"
wait_for 30 log_has "$WORK/srv.log" "^down transmit stalled" ||
	fail "echo: tunnel not down for a stalled transmit: $(cat "$WORK/srv.log")"
finish echo

# shellcheck disable=SC2086 # the option list is a word list
flood lcp lcp 1 --plugin "$PLUGIN" -- $PPPD_SRV
log_has "$WORK/cli.log" "^flood blocked" ||
	fail "lcp: the flood was never pushed back"
wait_for 30 log_has "$WORK/srv.log" "^down transmit stalled" ||
	fail "lcp: tunnel not down for a stalled transmit: $(cat "$WORK/srv.log")"
finish lcp

connect_request=1001000e00010001000100060001
packets=$(i=0; while [ $i -lt 300 ]; do printf %s $connect_request; i=$((i + 1)); done)
start_server
start_client --raw --seconds 3 --send "$packets"
wait_for 30 log_has "$WORK/cli.log" "^eof\|^error" ||
	wait_for 10 sh -c "! kill -0 $cli"
stop "$srv"
events=$(grep -c "^ctrl $connect_request\$" "$WORK/srv.log")
echo "ctrl: $events of 300 Call Connect Requests reached the owner"
if [ "$events" -lt 1 ] || [ "$events" -gt 16 ]; then
	fail "ctrl: $events control events for one tunnel, want 1..16"
fi
log_has "$WORK/srv.log" "^down .* ctrl-dropped $((300 - events))\$" ||
	fail "ctrl: the dropped events were not counted: $(cat "$WORK/srv.log")"
cat "$WORK"/*.srv.log "$WORK/srv.log"
