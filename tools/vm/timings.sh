#!/usr/bin/env bash
# Where the time of the last run-tests.sh went, per kernel and test: read
# from build/vm/KERNEL/boots/* (one per boot) and the results of the tests
# each boot ran.  Prints a summary per kernel and writes every row to
# build/vm/timings.tsv:
#
#   kernel test  test_s  idle_s  cleanup_s
#   kernel BOOT  wall_s  boot_s  tests
#
# test_s is the test's own wall time in the guest; idle_s the part of it
# no guest CPU was busy (sleeps and waits on timers): test_s less the CPU
# seconds of /proc/stat, so work on both CPUs at once hides some of it;
# cleanup_s ending what it left running, unloading sstp.ko and the leak scan
# (debug).  A boot's wall_s is QEMU's whole run; boot_s what was not a test
# or its clean-up: firmware, kernel, stage 1 and 2, power-off.
#
# Usage: tools/vm/timings.sh [KERNEL...]   (default: 6.1 6.12 debug)
set -euo pipefail

here=$(dirname "$(readlink -f "$0")")
# shellcheck source=tools/vm/lib.sh
. "$here/lib.sh"

# busy_secs DIR: CPU seconds the guest spent busy during the test, from
# guest-init's cpu.start and cpu.end ("BUSY IDLE" in USER_HZ ticks).
busy_secs() {
	local b0 b1 _
	read -r b0 _ <"$1/cpu.start" || return 1
	read -r b1 _ <"$1/cpu.end" || return 1
	awk -v b=$((b1 - b0)) 'BEGIN { printf "%.1f", b / 100 }'
}

rows() {
	local k=$1 boot name res dur busy clean wall used
	for boot in "$(sstp_vm_build_dir "$k")"/boots/*/; do
		[ -f "$boot/job.sh" ] || continue
		used=0
		local -a SSTP_NAMES=()
		# shellcheck source=/dev/null
		. "$boot/job.sh"
		for name in "${SSTP_NAMES[@]}"; do
			res=$(sstp_vm_build_dir "$k")/results/$name
			[ -f "$res/duration" ] || continue
			dur=$(cat "$res/duration")
			busy=$(busy_secs "$res" || echo 0)
			clean=$(cat "$res/cleanup-secs" 2>/dev/null || echo 0)
			printf '%s\t%s\t%s\t%s\t%s\n' "$k" "$name" "$dur" \
				"$(awk -v d="$dur" -v b="$busy" 'BEGIN { i = d - b; printf "%.1f", (i > 0 ? i : 0) }')" "$clean"
			used=$(awk -v u="$used" -v d="$dur" -v c="$clean" 'BEGIN { print u + d + c }')
		done
		wall=$(cat "$boot/seconds" 2>/dev/null || echo 0)
		printf '%s\tBOOT\t%s\t%s\t%s\n' "$k" "$wall" \
			"$(awk -v w="$wall" -v u="$used" 'BEGIN { printf "%.0f", w - u }')" "${#SSTP_NAMES[@]}"
	done
}

main() {
	local k out
	[ $# -gt 0 ] || set -- "${SSTP_VM_KERNELS[@]}"
	out=${SSTP_VM_BUILD:-$SSTP_ROOT/build/vm}/timings.tsv
	mkdir -p "$(dirname "$out")"
	for k in "$@"; do
		rows "$k"
	done >"$out"
	awk -F'\t' '
		$2 == "BOOT" { boots[$1]++; wall[$1] += $3; bootp[$1] += $4; next }
		{ n[$1]++; t[$1] += $3; idle[$1] += $4; clean[$1] += $5 }
		END {
			for (k in boots)
				printf "timings: %s: %d tests in %d boots, %.0f s of guest time: tests %.0f s (idle %.0f s), clean-up %.0f s, boots %.0f s\n",
					k, n[k], boots[k], wall[k], t[k], idle[k], clean[k], bootp[k]
		}' "$out" | sort
	echo "timings: every row in $out"
}

main "$@"
