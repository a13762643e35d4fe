#!/usr/bin/env bash
# Run the VM tests on the harness kernels: one fresh boot per test per kernel
# (a KASAN report disables lockdep for the rest of a boot, so tests must not
# share one).
#
# Usage: tools/vm/run-tests.sh [-k KERNEL]... [-j JOBS] [TEST...]
#   -k KERNEL  6.1, 6.12 or debug; repeatable (default: all three)
#   -j JOBS    guests at once (default 2, or SSTP_VM_JOBS)
#   TEST       test scripts (default: tests/vm/*.sh)
#
# Prints one line per test and kernel as each finishes:
#   PASS <kernel> <test> (<secs>s)
#   FAIL <kernel> <test> (<secs>s): <why>     followed by the details
# then "N passed, N failed".  Exit status 1 if anything failed (or the
# preparation did).
#
# Parallelism (-j): two guests at once, each -smp 2 with TCG thread=multi,
# beat one at a time on the 2-core machines: a guest keeps only about one
# host core busy on average (boot, 9p round trips and bash startup are mostly
# serial).  Measured 2026-11-26 on a host shared with other work: 8 boots of
# the 6.12 kernel in 111 s with -j 2 against 163 s with -j 1; 12 boots of 6.1
# in 133 s against 163 s.  The queue starts with the slow debug kernel's
# tests so that both slots stay busy to the end.
set -euo pipefail

here=$(dirname "$(readlink -f "$0")")
# shellcheck source=tools/vm/lib.sh
. "$here/lib.sh"

kernels=()
tests=()
jobs=${SSTP_VM_JOBS:-2}

usage() {
	sed -n '6,9p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

parse_args() {
	while [ $# -gt 0 ]; do
		case $1 in
		-k) [ $# -ge 2 ] || usage; kernels+=("$2"); shift 2 ;;
		-j) [ $# -ge 2 ] || usage; jobs=$2; shift 2 ;;
		-h | --help) usage ;;
		-*) usage ;;
		*) tests+=("$1"); shift ;;
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

# Queue order: the slow debug kernel's tests first, so that the two slots
# stay busy until the end instead of one debug boot running alone last.
#
# The debug kernel is 5-20 times slower under TCG, so it runs only the
# tests that drive sstp.ko down a path of its own: a test whose kernel path
# another test already covers (it differs only in userspace: pppd plugin
# options, sstp-helper's refusals) says so with a line "# vm: no-debug"
# and runs on 6.1 and 6.12 only.
queue() {
	local k t
	for k in debug "${kernels[@]}"; do
		[ "$k" = debug ] && [[ " ${kernels[*]} " != *" debug "* ]] && continue
		for t in "${tests[@]}"; do
			[ "$k" = debug ] && grep -q '^# vm: no-debug' "$t" && continue
			printf '%s\t%s\n' "$k" "$t"
		done
	done | awk '!seen[$0]++'
}

# One test on one kernel; its output goes to a file the parent prints on
# failure.  Writes "<exit status> <seconds>" to $out.rc.
run_one() {
	local k=$1 t=$2 out=$3 start rc=0
	start=$SECONDS
	SSTP_RESULT_DIR=$(sstp_vm_build_dir "$k")/results/$(basename "$t" .sh) \
		"$here/run.sh" "$k" "$t" >"$out" 2>&1 </dev/null || rc=$?
	echo "$rc $((SECONDS - start))" >"$out.rc"
}

PASSED=0 FAILED=0
report() {
	local k=$1 t=$2 out=$3 rc secs why name res
	name=$(basename "$t")
	read -r rc secs <"$out.rc"
	if [ "$rc" = 0 ]; then
		PASSED=$((PASSED + 1))
		echo "PASS $k $name (${secs}s)"
		return
	fi
	FAILED=$((FAILED + 1))
	res=$(sstp_vm_build_dir "$k")/results/$(basename "$t" .sh)
	why=$(cat "$res/verdict" 2>/dev/null || true)
	[ -n "$why" ] || why="run.sh exit $rc: $(tail -n1 "$out")"
	echo "FAIL $k $name (${secs}s): $why"
	sed 's/^/    /' "$out"
}

# Wait for any one run to end and report it (uses main's job_of).
reap() {
	local pid line
	wait -n -p pid || true
	line=${job_of[$pid]}
	IFS=$'\t' read -r k t log <<<"$line"
	report "$k" "$t" "$log"
}

main() {
	parse_args "$@"
	local k t log
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

	local -a q
	mapfile -t q < <(queue)
	echo "run-tests: ${#q[@]} runs of ${#tests[@]} tests on ${#kernels[@]} kernels, $jobs at a time"
	local -A job_of=()
	local n=0 running=0 item
	for item in "${q[@]}"; do
		n=$((n + 1))
		[ "$running" -lt "$jobs" ] || { reap; running=$((running - 1)); }
		k=${item%%$'\t'*} t=${item#*$'\t'}
		run_one "$k" "$t" "$tmp/$n.log" &
		job_of[$!]="$k"$'\t'"$t"$'\t'"$tmp/$n.log"
		running=$((running + 1))
	done
	while [ "$running" -gt 0 ]; do
		reap
		running=$((running - 1))
	done

	echo "$PASSED passed, $FAILED failed"
	[ "$FAILED" = 0 ]
}

main "$@"
