#!/usr/bin/env bash
# Unit test of check-log.sh: clean boot logs of the three harness kernels
# (captured from real runs, tools/vm/testdata/) must pass, and each bad line
# below must be flagged, alone and when planted inside a clean log, with
# nothing else flagged.  Runs on the host in well under a second per log.
#
# Usage: tools/vm/check-log-test.sh
set -euo pipefail

here=$(dirname "$(readlink -f "$0")")
check=$here/check-log.sh
data=$here/testdata
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

failures=0
fail() { echo "check-log-test: FAIL: $*"; failures=$((failures + 1)); }

# Real shapes of reports from the detectors the harness relies on.
bad_lines=(
	'[   12.345678] BUG: KASAN: slab-out-of-bounds in sstp_rx+0x1a/0x2b [sstp]'
	'[   12.345678] BUG: kernel NULL pointer dereference, address: 0000000000000008'
	'[   12.345678] BUG: sleeping function called from invalid context at mm/slab.h:742'
	'[   12.345678] BUG: scheduling while atomic: kworker/0:1/12/0x00000002'
	'[   12.345678] watchdog: BUG: soft lockup - CPU#0 stuck for 26s! [bash:123]'
	'[   12.345678] kernel BUG at net/core/skbuff.c:123!'
	'[   12.345678] Oops: general protection fault, probably for non-canonical address 0xdffffc0000000001: 0000 [#1] PREEMPT SMP KASAN'
	'[   12.345678] general protection fault, probably for non-canonical address 0xdead000000000100: 0000 [#1] SMP NOPTI'
	'[   12.345678] WARNING: CPU: 1 PID: 321 at kernel/locking/lockdep.c:4700 lockdep_init_map_type+0x1/0x2'
	'[   12.345678] WARNING: possible circular locking dependency detected'
	'[   12.345678] WARNING: possible recursive locking detected'
	'[   12.345678] WARNING: inconsistent lock state'
	'[   12.345678] refcount_t: underflow; use-after-free.'
	'[   12.345678] list_del corruption. prev->next should be ffff888003f0a1b8, but was 0000000000000000'
	'[   12.345678] list_add corruption. next->prev should be prev (ffff8880), but was ffff8881. (next=ffff8882).'
	'[   12.345678] INFO: lockdep is turned off.'
	'[   12.345678] kmemleak: 3 new suspected memory leaks (see /sys/kernel/debug/kmemleak)'
	'[   12.345678] kmemleak: Kernel memory leak detector disabled'
	'unreferenced object 0xffff888004a1c000 (size 192):'
	'[   12.345678] UBSAN: array-index-out-of-bounds in kernel/rx.c:42:7'
	'[   12.345678] Call Trace:'
	'[   12.345678] Kernel panic - not syncing: stack-protector: Kernel stack is corrupted in: sstp_tx+0x99/0x100'
	'[   12.345678] ODEBUG: free active (active state 0) object: ffff888005d8a0c8 object type: timer_list hint: sstp_keepalive+0x0/0x40 [sstp]'
	'[   12.345678] INFO: task kworker/1:2:77 blocked for more than 120 seconds.'
	'[   12.345678] rcu: INFO: rcu_preempt self-detected stall on CPU'
)

# Lines that look alarming to a naive grep but are healthy.
benign_lines=(
	'[    0.000000] kmemleak: Kernel memory leak detector initialized (mem pool available: 15359)'
	'[    0.000000] kmemleak: Automatic memory scanning thread started'
	'[    2.000000] kmemleak: Automatic memory scanning thread ended'
	'[    0.000000] Lock dependency validator: Copyright (c) 2006 Red Hat, Inc., Ingo Molnar'
	'[    0.000000] ... MAX_LOCKDEP_SUBCLASSES:  8'
	'[    0.000000] ... MAX_LOCKDEP_KEYS:        8192'
	'[    0.000000] ... MAX_LOCKDEP_ENTRIES:     32768'
	'[    0.000000] ... MAX_LOCKDEP_CHAINS:      65536'
	$'[    0.000000] rcu: \tRCU lockdep checking is enabled.'
	'[   10.000000] sstp: loading out-of-tree module taints kernel.'
	'[   10.000000] sstp: module verification failed: signature and/or required key missing - tainting kernel'
	'[    1.000000] PCI: Using host bridge windows from ACPI; if necessary, use "pci=nocrs" and report a bug'
	'[    1.000000] AMD-Vi: AMD IOMMUv2 functionality not available on this system - This is not a bug.'
	'[    0.000000] tsc: Fast TSC calibration failed'
	'[    5.000000] debug: unmapping init [mem 0xffffffff82a00000-0xffffffff82bfffff]'
)

# A clean log of each kernel, as dmesg and as the console copy.
clean_logs() {
	local f found=0
	for f in "$data"/clean-*.log; do
		[ -f "$f" ] || continue
		found=1
		printf '%s\n' "$f"
	done
	[ "$found" = 1 ] || { echo "check-log-test: no $data/clean-*.log" >&2; exit 2; }
}

test_clean_logs_pass() {
	local f out
	while read -r f; do
		if ! out=$("$check" "$f" 2>&1); then
			fail "clean log $(basename "$f") flagged:"
			printf '%s\n' "$out" | head -n 20
		fi
	done < <(clean_logs)
}

test_benign_lines_pass() {
	local l
	for l in "${benign_lines[@]}"; do
		printf '%s\n' "$l" >"$tmp/one"
		"$check" -l "$tmp/one" >/dev/null || fail "benign line flagged: $l"
	done
}

test_bad_lines_flagged_alone() {
	local l
	for l in "${bad_lines[@]}"; do
		printf '%s\n' "$l" >"$tmp/one"
		"$check" -l "$tmp/one" >/dev/null && fail "bad line not flagged: $l"
	done
	return 0
}

# Plant each bad line in the middle of each clean log: exactly that line (by
# number) must come out, and the context report must mark it.
test_bad_lines_flagged_in_logs() {
	local f l n mid got report
	while read -r f; do
		n=$(wc -l <"$f")
		mid=$((n / 2))
		for l in "${bad_lines[@]}"; do
			{ head -n "$mid" "$f"; printf '%s\n' "$l"; tail -n +"$((mid + 1))" "$f"; } >"$tmp/log"
			got=$("$check" -l "$tmp/log" | cut -d: -f2 | tr '\n' ' ' || true)
			[ "$got" = "$((mid + 1)) " ] ||
				fail "$(basename "$f") + '$l': flagged lines '$got', expected '$((mid + 1))'"
			report=$("$check" "$tmp/log" || true)
			grep -qF -- "> $l" <<<"$report" ||
				fail "$(basename "$f") + '$l': context report does not mark the line"
		done
	done < <(clean_logs)
}

test_exit_codes() {
	local rc=0
	"$check" /nonexistent/log 2>/dev/null || rc=$?
	[ "$rc" = 2 ] || fail "unreadable file: exit $rc, expected 2"
	rc=0
	"$check" 2>/dev/null || rc=$?
	[ "$rc" = 2 ] || fail "no argument: exit $rc, expected 2"
	printf '%s\n' "${bad_lines[0]}" >"$tmp/bad"
	printf 'all fine\n' >"$tmp/good"
	rc=0
	"$check" "$tmp/good" "$tmp/bad" >/dev/null || rc=$?
	[ "$rc" = 1 ] || fail "one bad file of two: exit $rc, expected 1"
}

test_clean_logs_pass
test_benign_lines_pass
test_bad_lines_flagged_alone
test_bad_lines_flagged_in_logs
test_exit_codes

if [ "$failures" -gt 0 ]; then
	echo "check-log-test: $failures failure(s)"
	exit 1
fi
echo "check-log-test: all passed (${#bad_lines[@]} bad, ${#benign_lines[@]} benign lines, $(clean_logs | wc -l) clean logs)"
