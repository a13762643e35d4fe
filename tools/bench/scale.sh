#!/usr/bin/env bash
# make bench-scale: one sstp-helper serve with many sessions, measured.
#
# Usage: tools/bench/scale.sh [--calls "N..."] [--parallel P]
#                             [--tunnels N] [--kernel K] [--out DIR]
#   --calls     session counts, one guest boot each (default "100 740";
#               746 is the most the documentation address ranges hold)
#   --parallel  calls being set up at once (default 50)
#   --tunnels   sstp.ko's tunnels alone, without pppd or serve, in one more
#               guest (tools/bench/kernel-tunnels.sh; default 1000, 0: none)
#   --kernel    6.1 (default) or 6.12
#   --out       where scale.md and scale.json go (default build/bench)
#
# Each count runs tests/vm/serve-scale.sh in a fresh guest of 6 GB: the
# calls come from sstp-loadgen (tests/progs/sstp-loadgen.c, every call in
# userspace in one process), so what is measured is the server: setup
# rate, guest CPU per call and whose it is, kernel slab per session and
# the caches that grew, serve's and pppd's memory, `status` time.
set -euo pipefail

top=$(dirname "$(readlink -f "$0")")/../..
cd "$top"
calls="100 740" parallel=50 tunnels=1000 kernel=6.1 out=build/bench

while [ $# -gt 0 ]; do
	case $1 in
	--calls) calls=$2; shift 2 ;;
	--parallel) parallel=$2; shift 2 ;;
	--tunnels) tunnels=$2; shift 2 ;;
	--kernel) kernel=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	*) sed -n '4,12p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
	esac
done
for n in $calls $parallel; do
	[[ $n =~ ^[1-9][0-9]*$ ]] ||
		{ echo "bench-scale: --calls and --parallel want positive numbers" >&2; exit 2; }
done
[[ $tunnels =~ ^[0-9]+$ ]] || { echo "bench-scale: --tunnels wants a number" >&2; exit 2; }

make -s userspace test-keys
mkdir -p "$out"
for n in $calls; do
	raw=$out/scale-$n
	rm -rf "$raw" "$raw.boot"
	# About a second a call on the emulated CPU, set up and torn down.
	if ! SSTP_VM_MEM=6144 SSTP_VM_TIMEOUT=$((n * 3 + 300)) SSTP_RESULT_DIR=$raw \
		SSTP_BOOT_DIR=$raw.boot \
		tools/vm/run.sh "$kernel" tests/vm/serve-scale.sh "$n" "$parallel"; then
		echo "bench-scale: $n calls failed ($raw)" >&2
		exit 1
	fi
done
if [ "$tunnels" -gt 0 ]; then
	raw=$out/scale-tunnels
	rm -rf "$raw" "$raw.boot"
	if ! SSTP_VM_MEM=6144 SSTP_VM_TIMEOUT=$((tunnels + 600)) SSTP_RESULT_DIR=$raw \
		SSTP_BOOT_DIR=$raw.boot \
		tools/vm/run.sh "$kernel" tools/bench/kernel-tunnels.sh "$tunnels"; then
		echo "bench-scale: $tunnels kernel tunnels failed ($raw)" >&2
		exit 1
	fi
fi
# shellcheck disable=SC2086 # one argument per count
python3 tools/bench/scale-report.py "$out" $calls
echo "bench-scale: $out/scale.md, $out/scale.json"
