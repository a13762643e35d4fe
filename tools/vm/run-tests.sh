#!/usr/bin/env bash
# Run the VM tests on the harness kernels, several tests per boot.
#
# Usage: tools/vm/run-tests.sh [-k KERNEL]... [-j JOBS] [--full] [TEST...]
#   -k KERNEL  6.1, 6.12 or debug; repeatable (default: all three)
#   -j JOBS    guests at once (default 2, or SSTP_VM_JOBS)
#   --full     the whole matrix (also SSTP_CHECK_FULL=1): see "Where a test runs"
#   TEST       test scripts (default: tests/vm/*.sh)
#
# Prints one line per test and kernel as each boot finishes:
#   PASS <kernel> <test> (<secs>s)
#   FAIL <kernel> <test> (<secs>s): <why>     followed by the details
# and "RETRY <kernel> <test>: <message>" for each known flake retried (a
# boot that stalled, sstpc's event-loop flake), then a timing summary (also
# in build/vm/timings.tsv) and "N passed, N failed".  Exit status 1 if anything failed (or the
# preparation did).
#
# Where a test runs.  A test drives sstp.ko down a path of its own unless
# it says "# vm: userspace (why)": its kernel path is one another test
# covers, and what it checks is in userspace (pppd options, sstp-helper,
# configs, tshark).  A kernel test runs on every kernel (6.1, 6.12 and the
# debug kernel: KASAN, lockdep, kmemleak).  A userspace test runs on one
# Debian kernel only (6.1, the one Debian 12 boots; 6.12 if 6.1 is not
# selected), never on the debug kernel; with --full on 6.1 and 6.12 both.
# A kernel test marked "# vm: heavy (why)" (floods, memory bounds) runs on
# 6.1 and the debug kernel, a 6.12 with KASAN and kmemleak on, and on
# plain 6.12 only with --full. One marked "# vm: debug-elsewhere (which
# test runs its path under the checkers)" skips the debug kernel outside
# --full.
#
# Batches.  A boot costs 10-20 s on 6.1/6.12 and about a minute on the debug
# kernel (with its leak scans), so each boot runs several tests one after
# the other (run.sh --batch): each in a fresh root and network namespace,
# its kernel log and leak report its own.  SSTP_VM_BATCH (default 8) and
# SSTP_VM_BATCH_DEBUG (default 7) set the tests per boot; 1 gives a boot
# per test.
#
# Parallelism (-j): two guests at once, each of one vCPU (two on 6.12: lib.sh),
# beat one at a time on the 2-core machines: a guest keeps only about one
# host core busy on average (boot, 9p round trips and bash startup are mostly
# serial).  Measured 2026-11-26 on a host shared with other work: 8 boots of
# the 6.12 kernel in 111 s with -j 2 against 163 s with -j 1; 12 boots of 6.1
# in 133 s against 163 s.  The queue starts with the slow debug kernel's
# boots, so that both slots stay busy to the end.
set -euo pipefail

here=$(dirname "$(readlink -f "$0")")
# shellcheck source=tools/vm/lib.sh
. "$here/lib.sh"

kernels=()
tests=()
jobs=${SSTP_VM_JOBS:-2}
full=${SSTP_CHECK_FULL:-0}

usage() {
	sed -n '4,8p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

# test_path TEST: the script TEST names, a path or a name in tests/vm
# (tunnel-ping or tunnel-ping.sh). A test that is not there is an error:
# the results of an earlier run must never stand for it.
test_path() {
	local t
	for t in "$1" "$SSTP_ROOT/tests/vm/${1%.sh}.sh"; do
		[ -f "$t" ] && { readlink -f "$t"; return 0; }
	done
	echo "${0##*/}: no test '$1' (neither a file nor tests/vm/${1%.sh}.sh)" >&2
	return 1
}

parse_args() {
	local t
	while [ $# -gt 0 ]; do
		case $1 in
		-k) [ $# -ge 2 ] || usage; kernels+=("$2"); shift 2 ;;
		-j) [ $# -ge 2 ] || usage; jobs=$2; shift 2 ;;
		--full) full=1; shift ;;
		-h | --help) usage ;;
		-*) usage ;;
		*) t=$(test_path "$1") || exit 2; tests+=("$t"); shift ;;
		esac
	done
	[ ${#kernels[@]} -gt 0 ] || kernels=("${SSTP_VM_KERNELS[@]}")
	if [ ${#tests[@]} -eq 0 ]; then
		local t
		for t in "$SSTP_ROOT"/tests/vm/*.sh; do
			[ -f "$t" ] && tests+=("$t")
		done
	fi
	[ ${#tests[@]} -gt 0 ] || sstp_vm_die "no tests (tests/vm/*.sh is empty)"
	[[ $jobs =~ ^[1-9][0-9]*$ ]] || sstp_vm_die "-j wants a positive number"
}

selected() { [[ " ${kernels[*]} " == *" $1 "* ]]; }
is_userspace() { grep -q '^# vm: userspace' "$1"; }
# A heavy kernel test (load, memory) runs on 6.1 and on the debug kernel,
# which is 6.12 with the checkers on; on plain 6.12 too with --full.
is_heavy() { grep -q '^# vm: heavy' "$1"; }
# A kernel test whose path another test already runs under the debug
# kernel's checkers skips that kernel outside --full (the debug kernel is
# six to eight times slower: its time goes where it finds something).
is_debug_elsewhere() { grep -q '^# vm: debug-elsewhere' "$1"; }

# The one Debian kernel that runs the userspace tests outside --full.
userspace_kernel() {
	if selected 6.1; then echo 6.1; elif selected 6.12; then echo 6.12; fi
}

# tests_for KERNEL: the tests that run on KERNEL, one a line.
tests_for() {
	local k=$1 t
	for t in "${tests[@]}"; do
		if is_userspace "$t"; then
			[ "$k" != debug ] || continue
			[ "$full" = 1 ] || [ "$k" = "$(userspace_kernel)" ] || continue
		fi
		if is_heavy "$t" && [ "$k" = 6.12 ] && [ "$full" != 1 ]; then
			continue
		fi
		if is_debug_elsewhere "$t" && [ "$k" = debug ] && [ "$full" != 1 ]; then
			continue
		fi
		echo "$t"
	done
}

# queue: one line per boot, "KERNEL<TAB>TEST TEST ...": each kernel's tests
# dealt round-robin to as many boots as its batch size needs (so that the
# slow tests, which share a prefix, spread); the debug kernel's boots first.
queue() {
	local k size n boots i j
	local -a ts list
	for k in debug 6.12 6.1; do
		selected "$k" || continue
		mapfile -t ts < <(tests_for "$k")
		n=${#ts[@]}
		[ "$n" -gt 0 ] || continue
		size=${SSTP_VM_BATCH:-8}
		[ "$k" != debug ] || size=${SSTP_VM_BATCH_DEBUG:-7}
		[[ $size =~ ^[1-9][0-9]*$ ]] || sstp_vm_die "the batch size wants a positive number"
		boots=$(((n + size - 1) / size))
		for ((i = 0; i < boots; i++)); do
			list=()
			for ((j = i; j < n; j += boots)); do
				list+=("${ts[j]}")
			done
			printf '%s\t%s\n' "$k" "${list[*]}"
		done
	done
}

# One boot of one kernel; run.sh's output goes to $out, its status to
# $out.rc.
run_boot() {
	local k=$1 n=$2 out=$3 rc=0
	shift 3
	SSTP_BOOT_DIR=$(sstp_vm_build_dir "$k")/boots/$n \
		"$here/run.sh" --batch "$k" "$@" >"$out" 2>&1 </dev/null || rc=$?
	echo "$rc" >"$out.rc"
}

PASSED=0 FAILED=0 RETRIED=0
# report KERNEL LOG TEST...: a line per test of a finished boot, and one
# per known flake that was retried: "RETRY <kernel> <what>: <message>".
report() {
	local k=$1 out=$2 t name res why secs line
	shift 2
	if grep -q '^run.sh: .*booting again$' "$out"; then
		RETRIED=$((RETRIED + 1))
		echo "RETRY $k boot: $(grep -m1 '^run.sh: .*booting again$' "$out" | cut -d' ' -f2-)"
	fi
	for t in "$@"; do
		name=$(basename "$t" .sh)
		res=$(sstp_vm_build_dir "$k")/results/$name
		secs=$(cat "$res/duration" 2>/dev/null || echo "?")
		while IFS= read -r line; do
			RETRIED=$((RETRIED + 1))
			echo "RETRY $k $name.sh: ${line#RETRY: }"
		done < <(grep '^RETRY: ' "$res/stdout" 2>/dev/null)
		if [ "$(cat "$res/verdict" 2>/dev/null)" = PASS ]; then
			PASSED=$((PASSED + 1))
			echo "PASS $k $name.sh (${secs}s)"
			continue
		fi
		FAILED=$((FAILED + 1))
		why=$(cat "$res/verdict" 2>/dev/null || true)
		[ -n "$why" ] || why="run.sh exit $(cat "$out.rc"): $(tail -n1 "$out")"
		echo "FAIL $k $name.sh (${secs}s): $why"
		if [ -f "$res/report.txt" ]; then
			sed 's/^/    /' "$res/report.txt"
		else
			sed 's/^/    /' "$out"
		fi
	done
}

# Wait for any one boot to end and report its tests (uses main's job_of).
reap() {
	local pid line k log list
	wait -n -p pid || true
	line=${job_of[$pid]}
	IFS=$'\t' read -r k log list <<<"$line"
	# shellcheck disable=SC2086 # a list of test paths
	report "$k" "$log" $list
}

main() {
	parse_args "$@"
	local k log list
	# Global: the EXIT trap runs after main's locals are gone.
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	# Stopped from outside (CI cancel): stop the guests too.
	trap 'kill $(jobs -p) 2>/dev/null; exit 143' TERM INT

	if ! "$here/prepare.sh" "${kernels[@]}"; then
		echo "run-tests: preparation failed"
		echo "0 passed, 1 failed"
		exit 1
	fi
	export SSTP_VM_PREPARED=1
	for k in "${kernels[@]}"; do
		rm -rf "$(sstp_vm_build_dir "$k")/boots"
	done
	# A verdict is read back from the results: none may be left from
	# an earlier run, should a boot never write its own.
	local t
	while IFS=$'\t' read -r k list; do
		for t in $list; do
			rm -rf "$(sstp_vm_build_dir "$k")/results/$(basename "$t" .sh)"
		done
	done < <(queue)

	local -a q
	mapfile -t q < <(queue)
	local runs=0 item
	for item in "${q[@]}"; do
		list=${item#*$'\t'}
		# shellcheck disable=SC2086
		set -- $list
		runs=$((runs + $#))
	done
	echo "run-tests: $runs runs of ${#tests[@]} tests on ${#kernels[@]} kernels in ${#q[@]} boots, $jobs at a time$([ "$full" = 1 ] && echo ", full matrix")"
	local -A job_of=()
	local n=0 running=0
	for item in "${q[@]}"; do
		n=$((n + 1))
		[ "$running" -lt "$jobs" ] || { reap; running=$((running - 1)); }
		k=${item%%$'\t'*} list=${item#*$'\t'}
		# shellcheck disable=SC2086 # a list of test paths
		run_boot "$k" "$n" "$tmp/$n.log" $list &
		job_of[$!]="$k"$'\t'"$tmp/$n.log"$'\t'"$list"
		running=$((running + 1))
	done
	while [ "$running" -gt 0 ]; do
		reap
		running=$((running - 1))
	done

	"$here/timings.sh" "${kernels[@]}" || true
	echo "run-tests: $RETRIED known flakes retried (RETRY lines)"
	echo "$PASSED passed, $FAILED failed"
	[ "$FAILED" = 0 ]
}

main "$@"
