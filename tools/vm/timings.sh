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
# Usage: tools/vm/timings.sh [--markdown] [KERNEL...]   (default: 6.1 6.12 debug)
#   --markdown  also print a table a test a row (for tools/vm/README.md)
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

# markdown TSV: one row per test, its seconds on each kernel ("test /
# idle", and the clean-up after it on the debug kernel), then the boots.
markdown() {
	awk -F'\t' '
		$2 == "BOOT" { boots[$1]++; bootp[$1] += $4; next }
		{ t[$2] = 1; cell[$2, $1] = sprintf("%.0f / %.0f", $3, $4)
		  if ($1 == "debug") clean[$2] = $5; sum[$1] += $3 }
		END {
			print "| test | 6.1 | 6.12 | debug | debug clean-up |"
			print "|---|---|---|---|---|"
			n = 0
			for (x in t) names[++n] = x
			for (i = 1; i <= n; i++)
				for (j = i + 1; j <= n; j++)
					if (names[j] < names[i]) { y = names[i]; names[i] = names[j]; names[j] = y }
			for (i = 1; i <= n; i++) {
				x = names[i]
				printf "| %s | %s | %s | %s | %s |\n", x,
					((x, "6.1") in cell) ? cell[x, "6.1"] : "-",
					((x, "6.12") in cell) ? cell[x, "6.12"] : "-",
					((x, "debug") in cell) ? cell[x, "debug"] : "-",
					(x in clean) ? clean[x] : "-"
			}
			printf "| **tests, all** | %.0f | %.0f | %.0f | |\n", sum["6.1"], sum["6.12"], sum["debug"]
			printf "| **boots** (count: s outside tests) | %d: %.0f | %d: %.0f | %d: %.0f | |\n",
				boots["6.1"], bootp["6.1"], boots["6.12"], bootp["6.12"], boots["debug"], bootp["debug"]
		}' "$1"
}

main() {
	local k out md=0
	if [ "${1:-}" = --markdown ]; then
		md=1
		shift
	fi
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
	[ "$md" = 0 ] || markdown "$out"
}

main "$@"
