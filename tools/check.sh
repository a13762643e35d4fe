#!/usr/bin/env bash
# make check: every test of the project, host first, then the VMs.
#
# Each stage prints one line per test, "PASS <name>" or "FAIL <name>: why";
# this script times the stages, counts those lines over all of them and ends
# with "N passed, N failed". Exit status is non-zero on any failure.
#
# SSTP_CHECK_KERNELS (default "6.1 6.12 debug") limits the VM kernels.
# SSTP_CHECK_FULL=1 (make check-full) runs the whole VM matrix: every
# userspace test on both Debian kernels too (tools/vm/run-tests.sh), for
# changes to kernel/.
set -uo pipefail

top=$(dirname "$(readlink -f "$0")")/..
cd "$top" || exit 2
log=$(mktemp -d /tmp/sstp-check.XXXXXX)
kernels=${SSTP_CHECK_KERNELS:-6.1 6.12 debug}
start_all=$SECONDS
stage_no=0

# stage NAME CMD...: run CMD with output to the terminal and a log, print
# its duration. A stage whose command fails without printing a FAIL line
# gets one, so that a broken stage can never read as a pass.
stage() {
	local name=$1 t0=$SECONDS rc out
	shift
	stage_no=$((stage_no + 1))
	out=$log/$stage_no-$name.log
	echo "== $name"
	"$@" 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	if [ "$rc" -ne 0 ] && ! grep -q '^FAIL' "$out"; then
		echo "FAIL $name: exited $rc" | tee -a "$out"
	fi
	echo "== $name: $((SECONDS - t0))s"
}

# run_one NAME CMD...: a single test whose exit status is the verdict.
run_one() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then
		echo "PASS $name"
	else
		echo "$out" | tail -n 40
		echo "FAIL $name"
	fi
}

# hardened FILE...: each was linked with full RELRO (relro, bind now)
# and built with _FORTIFY_SOURCE (it calls glibc's checked functions).
# (Output is read whole first: with pipefail, grep -q quitting early would
# fail the pipeline on the writer's SIGPIPE.)
hardened() {
	local f out
	for f in "$@"; do
		out=$(readelf -lW "$f")
		grep -q GNU_RELRO <<<"$out" || { echo "$f: no RELRO"; return 1; }
		out=$(readelf -dW "$f")
		grep -q 'FLAGS.*BIND_NOW' <<<"$out" ||
			{ echo "$f: not linked with -z now"; return 1; }
		out=$(nm -D "$f")
		grep -q '__[a-z_]*_chk' <<<"$out" ||
			{ echo "$f: no _FORTIFY_SOURCE"; return 1; }
	done
}

host_builds() {
	run_one build-userspace make -s userspace units test-keys
	run_one hardening hardened "$BUILD"/sstp-helper "$BUILD"/sstp-pppd.so
	# The plugin against Debian 13's pppd 2.5 headers: compiled, not run.
	run_one pppd-plugin-2.5 make -s plugin-ppp25
}

unit_tests() {
	local t
	for t in "$BUILD"/tests/*_test; do
		"$t" || echo "FAIL $(basename "$t"): exited $?"
	done
	run_one check-log tools/vm/check-log-test.sh
}

# sparse reports but does not fail: any warning of its fails the test.
# It runs on a copy of the module sources, so that no build of the tree
# (the VM harness builds in build/vm) is touched.
sparse_clean() {
	local out src=$log/sparse
	mkdir -p "$src"
	cp -a Kbuild kernel include "$src"/
	out=$(make -C "$1" M="$src" C=2 modules 2>&1) || { echo "$out"; return 1; }
	! echo "$out" | grep -E 'warning:|error:'
}

# Each libFuzzer target briefly, so that a parser regression fails fast;
# `make fuzz` runs them longer.
fuzz_briefly() {
	make -s fuzzers || { echo "FAIL fuzz-build"; return 1; }
	# shellcheck disable=SC2046 # one word per target
	tools/fuzz.sh "${SSTP_CHECK_FUZZ_SECONDS:-12}" \
		$(make -s --no-print-directory print-fuzz-targets)
}

static_checks() {
	run_one checkpatch make -s checkpatch
	# The netlink spec against the uapi header and kernel/netlink-gen.[ch].
	run_one netlink-spec tools/netlink-spec.sh
	run_one sparse-6.1 sparse_clean \
		"/usr/src/linux-headers-$(. tools/vm/kernels.sh; sstp_kernel_61)"
}

BUILD=${BUILD:-build}
stage deps tools/deps.sh
stage host-build host_builds
stage unit unit_tests
stage static static_checks
stage fuzz fuzz_briefly
# shellcheck disable=SC2046,SC2086 # word splitting of the kernel list is wanted
stage vm tools/vm/run-tests.sh $(printf -- '-k %s ' $kernels)

passed=$(cat "$log"/*.log | grep -c '^PASS ')
failed=$(cat "$log"/*.log | grep -c '^FAIL ')
retried=$(cat "$log"/*.log | grep -c '^RETRY ')
echo "== total: $((SECONDS - start_all))s (logs in $log)"
echo "== $retried known flakes retried (the RETRY lines above)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
