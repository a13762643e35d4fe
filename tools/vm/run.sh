#!/usr/bin/env bash
# Boot a harness kernel under QEMU and run test scripts inside it.
#
# Usage: tools/vm/run.sh KERNEL TEST_SCRIPT [ARGS...]     one test, one boot
#        tools/vm/run.sh --batch KERNEL TEST_SCRIPT...    several, one boot
#   KERNEL: 6.1, 6.12 or debug.  Prepares that kernel first (fast when
#   cached) unless SSTP_VM_PREPARED=1.
#
# The guest: host / shared read-only over 9p under a tmpfs overlay, PID 1 in
# that root (tools/vm/initramfs-init.sh, then guest-init.sh), the kernel's
# modules at /lib/modules/$(uname -r), the repo at its host path.  Each test
# runs in a fresh overlay of that root and a fresh network namespace
# (guest-test.sh), as root, cwd $SSTP_SRC, stdin /dev/null, with:
#   SSTP_KO      sstp.ko built for this kernel (build-module.sh)
#   SSTP_KERNEL  the harness name (6.1, 6.12, debug)
#   SSTP_KVER    uname -r of the guest
#   SSTP_SRC     repo root
#   SSTP_OUT     writable directory for artifacts (RESULT_DIR/out on the host)
# After each test the guest ends what it left running, unloads sstp.ko and
# scans for leaks; the kernel log written meanwhile is the test's.
#
# Results per test in RESULT_DIR (build/vm/KERNEL/results/TESTNAME, replaced
# each run; SSTP_RESULT_DIR overrides for a single test): stdout, stderr,
# status, duration, dmesg (the test's part), kmemleak (debug), cpu.start and
# cpu.end (busy and idle ticks), leftovers, cleanup, check-log.txt, verdict
# (one line), report.txt (on failure), boot (a link to the boot's
# directory: console.log, qemu.log, dmesg of the whole boot), out/.
#
# Exit status: the test's own status (of the first failing test, for a
# batch), unless one of these, reserved by the harness (a test exiting with
# a reserved code is reported as 1):
#   0    the tests passed and the kernel log is clean
#   124  timeout (QEMU killed by the host, or the test by the guest's limit)
#   240  harness setup error (usage, unknown kernel, prepare failed)
#   241  test script missing
#   242  early boot failure (the guest never reached the test)
#   243  no result (the test started but the guest died before reporting,
#        or it never ran because the guest died or could not be cleaned
#        after an earlier test of the batch)
#   244  the kernel log has BUG/WARNING/KASAN/lockdep/kmemleak/... lines
#
# A guest that has not started the first test after SSTP_VM_BOOT_TIMEOUT
# seconds (default 90; x4 for debug) is stopped and booted once more.
#
# Environment: SSTP_VM_TIMEOUT (seconds per test, default 300; x4 for
# debug), SSTP_CONSOLE_LINES (console tail printed on failure, default 80),
# SSTP_VERBOSE=1 (print the test's output even when it passes),
# SSTP_VM_TRACE=1 (run each test under bash -x, each line stamped with the
# time, into its stderr: where a test's time goes), SSTP_WAIT_SCALE (what
# the tests' wait limits are multiplied by: tests/lib/vm-common.sh),
# SSTP_VM_APPEND (extra kernel command line, e.g. "dyndbg=..."),
# SSTP_VM_MEM (guest memory in MB; default 2048), SSTP_VM_SMP (virtual
# CPUs; default 2 on 6.12, 1 elsewhere: see lib.sh),
# SSTP_RESULT_DIR (where a single test's results go), SSTP_BOOT_DIR (where
# the boot's own files go; default build/vm/KERNEL/boots/FIRSTTEST).
set -euo pipefail

here=$(dirname "$(readlink -f "$0")")
# shellcheck source=tools/vm/lib.sh
. "$here/lib.sh"

readonly E_TIMEOUT=124 E_SETUP=240 E_MISSING=241 E_EARLY=242 E_NORESULT=243 E_KLOG=244

setup_fail() { echo "run.sh: $*" >&2; exit "$E_SETUP"; }

# Absolute path of the test; it must be visible through the shared root.
resolve_test() {
	local t
	t=$(readlink -f -- "$1" 2>/dev/null) || t=
	if [ -z "$t" ] || [ ! -f "$t" ]; then
		echo "run.sh: test script '$1' not found" >&2
		exit "$E_MISSING"
	fi
	case $t in
	/proc/* | /sys/* | /dev/* | /run/*)
		setup_fail "test script $t is under a path the guest mounts over"
		;;
	esac
	printf '%s\n' "$t"
}

prepare() {
	local log=$1
	[ "${SSTP_VM_PREPARED:-0}" = 1 ] && return 0
	if [ "$VM_NAME" = debug ] && ! sstp_debug_kver >/dev/null; then
		echo "run.sh: building the debug kernel first (~10 min; log: $(sstp_debug_kernel_dir)/build.log)"
	fi
	if ! "$here/prepare.sh" "$VM_NAME" >"$log" 2>&1; then
		cat "$log" >&2
		setup_fail "prepare.sh $VM_NAME failed"
	fi
}

# write_job BOOT_DIR GUEST_TIMEOUT: job.sh (sourced by guest-init.sh) for
# the tests in TESTS/NAMES, with ARGS for a single test.
write_job() {
	local res=$1 guest_timeout=$2
	{
		printf 'SSTP_TESTS=('
		printf ' %q' "${TESTS[@]}"
		printf ' )\nSSTP_NAMES=('
		printf ' %q' "${NAMES[@]}"
		printf ' )\nSSTP_ARGS=('
		[ ${#ARGS[@]} -eq 0 ] || printf ' %q' "${ARGS[@]}"
		printf ' )\n'
		printf 'SSTP_KO=%q\n' "$(sstp_vm_build_dir "$VM_NAME")/src/sstp.ko"
		printf 'SSTP_KERNEL=%q\n' "$VM_NAME"
		printf 'SSTP_KVER=%q\n' "$VM_KVER"
		printf 'SSTP_SRC=%q\n' "$SSTP_ROOT"
		printf 'SSTP_GUEST_TIMEOUT=%q\n' "$guest_timeout"
		printf 'SSTP_TRACE=%q\n' "${SSTP_VM_TRACE:-0}"
		printf 'SSTP_WAIT_SCALE=%q\n' "${SSTP_WAIT_SCALE:-}"
	} >"$res/job.sh"
	cp "$here/guest-init.sh" "$here/guest-test.sh" "$res/"
}

# QEMU options take comma-separated values: a literal comma is doubled.
qemu_path() { printf '%s' "${1//,/,,}"; }

# Exit status of boot() when the guest did not reach the test in time.
readonly BOOT_STALLED=250

# Run QEMU until it exits, the timeout, or the boot deadline passes without
# the guest having started the test (then QEMU is stopped: a boot that
# stalls is never the test's fault, and waiting for the full timeout would
# waste CI time).
boot() {
	local res=$1 initrd=$2 timeout=$3 boot_timeout=$4 append
	append="console=ttyS0 panic=-1 log_buf_len=8M sstp.modroot=$VM_KROOT $VM_APPEND ${SSTP_VM_APPEND:-}"
	local -a qemu=(
		qemu-system-x86_64
		-accel "tcg,thread=multi" -cpu max # KVM here hangs standard kernels
		# Less memory makes the debug kernel's leak scans shorter (9 s
		# with 2048 MB, 5.5 s with 1024), but its tests slower by more
		# (tunnel-iperf 272 s instead of 159 with 1024).
		-m "${SSTP_VM_MEM:-2048}" -smp "${SSTP_VM_SMP:-$VM_SMP}"
		-nodefaults -no-user-config -nic none -display none -monitor none
		-serial stdio -no-reboot
		-kernel "$VM_IMAGE" -initrd "$initrd" -append "$append"
		-virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap"
		-virtfs "local,path=$(qemu_path "$res"),mount_tag=result,security_model=none"
		-device virtio-rng-pci
	)
	local rc=0 pid deadline=$((SECONDS + boot_timeout))
	timeout -k 10 "$timeout" "${qemu[@]}" </dev/null >"$res/console.log" 2>"$res/qemu.log" &
	pid=$!
	# shellcheck disable=SC2064 # expand $pid now
	trap "kill $pid 2>/dev/null; exit 143" TERM INT
	while kill -0 "$pid" 2>/dev/null; do
		if [ "$SECONDS" -ge "$deadline" ] && [ ! -e "$res/started" ] && [ ! -e "$res/status" ]; then
			kill "$pid" 2>/dev/null || true # timeout(1) passes it on to QEMU
			wait "$pid" || true
			return "$BOOT_STALLED"
		fi
		sleep 0.5
	done
	wait "$pid" || rc=$?
	return "$rc"
}

# Empty the boot directory for a new attempt, keeping the job and any
# earlier attempt's console.
reset_results() {
	local res=$1 f
	for f in "$res"/*; do
		case ${f##*/} in
		job.sh | guest-init.sh | guest-test.sh | prepare.log | console.attempt*.log) ;;
		*) rm -rf "$f" ;;
		esac
	done
}

# Why the batch stopped before a test that never ran (set by judge).
BATCH_ENDED=

# judge BOOT_DIR TEST_DIR NAME QEMU_STATUS TIMEOUT: sets CODE and WHY for
# one test from what the guest left in its directory.
CODE=0 WHY=
judge() {
	local boot=$1 res=$2 name=$3 qrc=$4 timeout=$5 st early
	local -a logs=()
	if [ "$qrc" = "$BOOT_STALLED" ]; then
		CODE=$E_EARLY WHY="early boot failure: the test had not started after ${BOOT_TIMEOUT}s"
	elif [ -f "$res/status" ]; then
		st=$(cat "$res/status")
		if [ "$st" = missing ]; then
			CODE=$E_MISSING WHY="test script not found inside the guest"
		elif [ -f "$res/guest-timeout" ]; then
			CODE=$E_TIMEOUT WHY="timeout: test killed after $(cat "$res/guest-timeout")s"
		elif [ "$st" = 0 ]; then
			CODE=0 WHY=
		else
			case $st in
			124 | 24[0-4]) CODE=1 WHY="exit status $st (a code reserved by run.sh: reported as 1)" ;;
			*) CODE=$st WHY="exit status $st" ;;
			esac
		fi
		if [ -s "$res/cleanup" ]; then
			[ "$CODE" != 0 ] || CODE=1
			WHY="${WHY:+$WHY; }after the test: $(cat "$res/cleanup")"
			BATCH_ENDED="the guest could not be cleaned after $name"
		fi
		logs=("$res/dmesg")
	elif [ -f "$res/started" ]; then
		if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
			CODE=$E_TIMEOUT WHY="timeout: guest still running after ${timeout}s"
		else
			CODE=$E_NORESULT WHY="no result: the guest stopped during the test (qemu exit $qrc)"
		fi
		BATCH_ENDED="the guest stopped during $name"
		logs=("$boot/console.log")
	elif [ -f "$boot/started" ]; then
		CODE=$E_NORESULT WHY="not run: ${BATCH_ENDED:-the guest stopped before this test (qemu exit $qrc)}"
	else
		early=$(grep -a -m1 -o 'SSTP-EARLY-FAIL:.*\|SSTP-BOOT-DIRTY:.*' "$boot/console.log" || true)
		CODE=$E_EARLY WHY="early boot failure: ${early:-no SSTP-EARLY-FAIL line; qemu exit $qrc, see console.log/qemu.log}"
		logs=("$boot/console.log")
	fi

	# The kernel log is checked whatever happened: its findings win over
	# the test's own status (a splat is the more important news), not over
	# harness failures (their reason is kept, the finding appended).
	[ ${#logs[@]} -gt 0 ] && [ -f "${logs[0]}" ] || return 0
	[ -f "$res/kmemleak" ] && logs+=("$res/kmemleak")
	if ! "$here/check-log.sh" "${logs[@]}" >"$res/check-log.txt" 2>&1; then
		local first
		first=$("$here/check-log.sh" -l "${logs[@]}" 2>/dev/null | head -n1 | cut -d: -f3- | sed 's/^\[ *[0-9.]*\] //' || true)
		case $CODE in
		"$E_TIMEOUT" | "$E_MISSING" | "$E_EARLY" | "$E_NORESULT") WHY="$WHY; kernel log: $first" ;;
		*)
			[ -z "$WHY" ] || WHY="$WHY; "
			CODE=$E_KLOG WHY="${WHY}kernel log: $first"
			;;
		esac
	fi
}

print_file() {
	local title=$1 file=$2 lines=${3:-200}
	[ -s "$file" ] || return 0
	echo "----- $title ($file, last $lines lines) -----"
	tail -n "$lines" "$file"
}

report_failure() {
	local res=$1 boot=$2
	print_file "test stdout" "$res/stdout"
	print_file "test stderr" "$res/stderr"
	print_file "left running after the test (killed)" "$res/leftovers" 20
	[ -s "$res/check-log.txt" ] && print_file "kernel log findings" "$res/check-log.txt" 1000
	print_file "guest console" "$boot/console.log" "${SSTP_CONSOLE_LINES:-80}"
	print_file "qemu stderr" "$boot/qemu.log" 20
	echo "----- all results in $res -----"
}

# parse_args ARGS...: sets KERNEL, TESTS (absolute paths), NAMES, ARGS.
KERNEL="" TESTS=() NAMES=() ARGS=()
parse_args() {
	local batch=0 t name
	if [ "${1:-}" = --batch ]; then
		batch=1
		shift
	fi
	[ $# -ge 2 ] || setup_fail "usage: $0 KERNEL TEST_SCRIPT [ARGS...] | --batch KERNEL TEST_SCRIPT..."
	KERNEL=$1
	shift
	if [ "$batch" = 0 ]; then
		TESTS=("$(resolve_test "$1")")
		shift
		ARGS=("$@")
	else
		for t in "$@"; do
			TESTS+=("$(resolve_test "$t")")
		done
	fi
	for t in "${TESTS[@]}"; do
		name=$(basename "$t" .sh)
		[[ " ${NAMES[*]} " != *" $name "* ]] || setup_fail "two tests named $name in one batch"
		NAMES+=("$name")
	done
}

# result_dir NAME: where a test's results end up.
result_dir() {
	if [ ${#TESTS[@]} = 1 ] && [ -n "${SSTP_RESULT_DIR:-}" ]; then
		printf '%s\n' "$SSTP_RESULT_DIR"
	else
		printf '%s/results/%s\n' "$(sstp_vm_build_dir "$VM_NAME")" "$1"
	fi
}

# run_batch BOOT_DIR INITRD TIMEOUT: boot (once more if the guest did not
# reach the first test); sets QRC and RETRIED.
QRC=0 RETRIED=
run_batch() {
	local boot=$1 initrd=$2 timeout=$3 attempt dirty
	# TCG occasionally livelocks a guest during boot (seen once in ~70
	# boots, with two guests on 2 busy cores: soft lockup at a patched
	# jump label).  Nothing of the tests has run by then, so one retry is
	# safe; a second bad boot fails them.  A boot whose kernel log is
	# already dirty (guest-init says SSTP-BOOT-DIRTY) is retried the same way.
	for attempt in 1 2; do
		QRC=0
		boot "$boot" "$initrd" "$timeout" "$BOOT_TIMEOUT" || QRC=$?
		if [ "$attempt" = 1 ] && [ ! -e "$boot/started" ] && [ ! -e "$boot/t" ] &&
			! grep -aq 'SSTP-EARLY-FAIL:' "$boot/console.log"; then
			dirty=$(grep -a -m1 -o 'SSTP-BOOT-DIRTY:.*' "$boot/console.log" | head -c 200 || true)
			echo "run.sh: $VM_NAME: the guest did not reach the first test (qemu status $QRC${dirty:+; $dirty}); booting again"
			mv "$boot/console.log" "$boot/console.attempt1.log"
			reset_results "$boot"
			RETRIED=" (boot retried; first console in console.attempt1.log)"
			continue
		fi
		break
	done
}

# verdict_of NAME: judge one test of the batch, move its results into
# place, print its line (and its report on failure).  Sets CODE.
verdict_of() {
	local boot=$1 name=$2 timeout=$3 res timing
	res=$(result_dir "$name")
	rm -rf "$res"
	mkdir -p "$(dirname "$res")"
	if [ -d "$boot/t/$name" ]; then
		mv "$boot/t/$name" "$res"
	else
		mkdir -p "$res/out"
	fi
	ln -sfn "$boot" "$res/boot"
	judge "$boot" "$res" "$name" "$QRC" "$timeout"
	[ -z "$RETRIED" ] || WHY="$WHY$RETRIED"
	if [ -f "$res/duration" ]; then
		timing="test took $(cat "$res/duration")s, started at $(cat "$res/started")s uptime"
	else
		timing="test did not finish"
	fi
	if [ "$CODE" = 0 ]; then
		echo "PASS" >"$res/verdict"
		echo "run.sh: PASS $VM_NAME $name ($timing)"
		if [ "${SSTP_VERBOSE:-0}" = 1 ]; then
			print_file "test stdout" "$res/stdout"
			print_file "test stderr" "$res/stderr"
		fi
	else
		echo "$WHY" >"$res/verdict"
		echo "run.sh: FAIL $VM_NAME $name ($timing): $WHY"
		report_failure "$res" "$boot" | tee "$res/report.txt"
	fi
}

main() {
	local boot initrd timeout guest_timeout start rc=0 name
	parse_args "$@"
	sstp_vm_resolve "$KERNEL"

	boot=${SSTP_BOOT_DIR:-$(sstp_vm_build_dir "$VM_NAME")/boots/${NAMES[0]}}
	rm -rf "$boot"
	mkdir -p "$boot"
	prepare "$boot/prepare.log"
	sstp_vm_resolve "$KERNEL" # the debug kernel's release is known once built
	if [ -z "$VM_KVER" ] || [ ! -f "$VM_IMAGE" ]; then
		setup_fail "kernel $KERNEL not prepared (tools/vm/prepare.sh $KERNEL)"
	fi
	initrd=$("$here/make-initramfs.sh" "$VM_NAME") || setup_fail "no initramfs for $KERNEL"

	# Per test: SSTP_VM_TIMEOUT less the clean-up and leak scan after it.
	timeout=${SSTP_VM_TIMEOUT:-$((300 * VM_SLOW))}
	guest_timeout=$((timeout - 60 * VM_SLOW))
	[ "$guest_timeout" -ge $((timeout / 2)) ] || guest_timeout=$((timeout / 2))
	write_job "$boot" "$guest_timeout"

	BOOT_TIMEOUT=${SSTP_VM_BOOT_TIMEOUT:-$((90 * VM_SLOW))}
	start=$SECONDS
	run_batch "$boot" "$initrd" $((BOOT_TIMEOUT + ${#TESTS[@]} * timeout))
	echo "$((SECONDS - start))" >"$boot/seconds"
	BATCH_ENDED=
	for name in "${NAMES[@]}"; do
		verdict_of "$boot" "$name" "$timeout"
		[ "$CODE" = 0 ] || [ "$rc" != 0 ] || rc=$CODE
	done
	echo "run.sh: $VM_NAME: ${#TESTS[@]} test(s) in one boot, $((SECONDS - start))s${RETRIED:+, boot retried}$([ -f "$boot/started" ] && echo ", first test at $(cat "$boot/started")s uptime")"
	exit "$rc"
}

main "$@"
