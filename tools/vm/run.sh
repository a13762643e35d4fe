#!/usr/bin/env bash
# Boot a harness kernel under QEMU and run one test script inside it.
#
# Usage: tools/vm/run.sh KERNEL TEST_SCRIPT [ARGS...]
#   KERNEL: 6.1, 6.12 or debug.  Prepares that kernel first (fast when
#   cached) unless SSTP_VM_PREPARED=1.
#
# The guest: host / shared read-only over 9p under a tmpfs overlay, PID 1 in
# that root (tools/vm/initramfs-init.sh, then guest-init.sh), the kernel's
# modules at /lib/modules/$(uname -r), the repo at its host path.  The test
# runs as root, cwd $SSTP_SRC, stdin /dev/null, with:
#   SSTP_KO      sstp.ko built for this kernel (build-module.sh)
#   SSTP_KERNEL  the harness name (6.1, 6.12, debug)
#   SSTP_KVER    uname -r of the guest
#   SSTP_SRC     repo root
#   SSTP_OUT     writable directory for artifacts (RESULT_DIR/out on the host)
#
# Results in RESULT_DIR (default build/vm/KERNEL/results/TESTNAME, replaced
# each run; SSTP_RESULT_DIR overrides): stdout, stderr, status, dmesg,
# kmemleak (debug), console.log, qemu.log, verdict (one line), out/.
#
# Exit status: the test's own status, unless one of these, reserved by the
# harness (a test exiting with a reserved code is reported as 1):
#   0    test passed and the kernel log is clean
#   124  timeout (QEMU killed by the host, or the test by the guest's limit)
#   240  harness setup error (usage, unknown kernel, prepare failed)
#   241  test script missing
#   242  early boot failure (the guest never reached the test)
#   243  no result (the test started but the guest died before reporting)
#   244  the kernel log has BUG/WARNING/KASAN/lockdep/kmemleak/... lines
#
# A guest that has not started the test after SSTP_VM_BOOT_TIMEOUT seconds
# (default 90; x4 for debug) is stopped and booted once more.
#
# Environment: SSTP_VM_TIMEOUT (seconds, default 300; x4 for debug),
# SSTP_CONSOLE_LINES (console tail printed on failure, default 80),
# SSTP_VERBOSE=1 (print the test's output even when it passes),
# SSTP_VM_APPEND (extra kernel command line, e.g. "dyndbg=..."),
# SSTP_RESULT_DIR (where results go).
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

write_job() {
	local res=$1 test=$2 guest_timeout=$3
	shift 3
	{
		printf 'SSTP_TEST=%q\n' "$test"
		printf 'SSTP_ARGS=('
		[ $# -eq 0 ] || printf ' %q' "$@"
		printf ' )\n'
		printf 'SSTP_KO=%q\n' "$(sstp_vm_build_dir "$VM_NAME")/src/sstp.ko"
		printf 'SSTP_KERNEL=%q\n' "$VM_NAME"
		printf 'SSTP_KVER=%q\n' "$VM_KVER"
		printf 'SSTP_SRC=%q\n' "$SSTP_ROOT"
		printf 'SSTP_OUT=%q\n' /sstp-result/out
		printf 'SSTP_GUEST_TIMEOUT=%q\n' "$guest_timeout"
	} >"$res/job.sh"
	cp "$here/guest-init.sh" "$res/guest-init.sh"
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
		-m 2048 -smp 2                   # more memory slows kmemleak scans
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

# Empty the result directory for a new attempt, keeping the job and any
# earlier attempt's console.
reset_results() {
	local res=$1 f
	for f in "$res"/*; do
		case ${f##*/} in
		job.sh | guest-init.sh | prepare.log | console.attempt*.log) ;;
		out) rm -rf "$f" && mkdir -p "$f" ;;
		*) rm -rf "$f" ;;
		esac
	done
}

# Sets CODE and WHY from what the guest left in the result share.
CODE=0 WHY=
judge() {
	local res=$1 qrc=$2 timeout=$3 st early klog_src
	if [ "$qrc" = "$BOOT_STALLED" ]; then
		CODE=$E_EARLY WHY="early boot failure: the test had not started after ${BOOT_TIMEOUT}s"
	elif [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
		CODE=$E_TIMEOUT WHY="timeout: guest still running after ${timeout}s"
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
	elif [ -f "$res/started" ]; then
		CODE=$E_NORESULT WHY="no result: the guest stopped during the test (qemu exit $qrc)"
	else
		early=$(grep -a -m1 -o 'SSTP-EARLY-FAIL:.*\|SSTP-BOOT-DIRTY:.*' "$res/console.log" || true)
		CODE=$E_EARLY WHY="early boot failure: ${early:-no SSTP-EARLY-FAIL line; qemu exit $qrc, see console.log/qemu.log}"
	fi

	# The kernel log is checked whatever happened: its findings win over
	# the test's own status (a splat is the more important news), not over
	# harness failures (their reason is kept, the finding appended).
	klog_src=$res/dmesg
	[ -f "$klog_src" ] || klog_src=$res/console.log
	local -a logs=("$klog_src")
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
	local res=$1
	print_file "test stdout" "$res/stdout"
	print_file "test stderr" "$res/stderr"
	[ -s "$res/check-log.txt" ] && print_file "kernel log findings" "$res/check-log.txt" 1000
	print_file "guest console" "$res/console.log" "${SSTP_CONSOLE_LINES:-80}"
	print_file "qemu stderr" "$res/qemu.log" 20
	echo "----- all results in $res -----"
}

main() {
	[ $# -ge 2 ] || setup_fail "usage: $0 KERNEL TEST_SCRIPT [ARGS...]"
	local kernel=$1 test res initrd timeout guest_timeout qrc=0 start
	shift
	test=$(resolve_test "$1")
	shift
	sstp_vm_resolve "$kernel"

	res=${SSTP_RESULT_DIR:-$(sstp_vm_build_dir "$VM_NAME")/results/$(basename "$test" .sh)}
	rm -rf "$res"
	mkdir -p "$res/out"
	prepare "$res/prepare.log"
	sstp_vm_resolve "$kernel" # the debug kernel's release is known once built
	if [ -z "$VM_KVER" ] || [ ! -f "$VM_IMAGE" ]; then
		setup_fail "kernel $kernel not prepared (tools/vm/prepare.sh $kernel)"
	fi
	initrd=$("$here/make-initramfs.sh" "$VM_NAME") || setup_fail "no initramfs for $kernel"

	timeout=${SSTP_VM_TIMEOUT:-$((300 * VM_SLOW))}
	# Leave the guest time to boot before and to scan for leaks after.
	guest_timeout=$((timeout - 60 * VM_SLOW))
	[ "$guest_timeout" -ge $((timeout / 2)) ] || guest_timeout=$((timeout / 2))
	write_job "$res" "$test" "$guest_timeout" "$@"

	# TCG occasionally livelocks a guest during boot (seen once in ~70 boots,
	# with two guests on 2 busy cores: soft lockup at a patched jump label).
	# Nothing of the test has run by then, so one retry is safe; a second
	# bad boot fails the test. A boot whose kernel log is already dirty
	# (guest-init says SSTP-BOOT-DIRTY) is retried the same way.
	BOOT_TIMEOUT=${SSTP_VM_BOOT_TIMEOUT:-$((90 * VM_SLOW))}
	local attempt retried= dirty
	start=$SECONDS
	for attempt in 1 2; do
		qrc=0
		boot "$res" "$initrd" "$timeout" "$BOOT_TIMEOUT" || qrc=$?
		if [ "$attempt" = 1 ] && [ ! -e "$res/started" ] && [ ! -e "$res/status" ] &&
			! grep -aq 'SSTP-EARLY-FAIL:' "$res/console.log"; then
			dirty=$(grep -a -m1 -o 'SSTP-BOOT-DIRTY:.*' "$res/console.log" | head -c 200 || true)
			echo "run.sh: $VM_NAME: the guest did not reach the test (qemu status $qrc${dirty:+; $dirty}); booting again"
			mv "$res/console.log" "$res/console.attempt1.log"
			reset_results "$res"
			retried=" (boot retried; first console in console.attempt1.log)"
			continue
		fi
		break
	done
	judge "$res" "$qrc" "$timeout"
	[ -z "$retried" ] || WHY="$WHY$retried"

	local took=$((SECONDS - start)) name
	name=$(basename "$test")
	local timing="${took}s${retried:+, boot retried}"
	[ -f "$res/started" ] && timing="$timing, test started at $(cat "$res/started")s uptime"
	[ -f "$res/duration" ] && timing="$timing, test took $(cat "$res/duration")s"
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
		report_failure "$res"
	fi
	exit "$CODE"
}

main "$@"
