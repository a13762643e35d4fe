#!/usr/bin/env bash
# make bench: the data path measured side by side in one guest boot.
#
# Usage: tools/bench/bench.sh [--seconds N] [--reps N] [--rows "ROW..."]
#                             [--kernel K] [--out DIR]
#   --seconds  per transfer, each way (default 10)
#   --reps     rounds of all rows, interleaved (default 3)
#   --rows     some of: tcp tcpmtu ktls ours ours8 ours64 sstpc (default all)
#   --kernel   6.1 (default) or 6.12
#   --out      where the table, JSON and chart go (default build/bench)
#
# Boots one guest (tools/vm/run.sh) that runs tools/bench/rows.sh, then
# tools/bench/report.py turns the raw files into OUT/bench.md (printed),
# OUT/bench.json and OUT/bench.svg. The guest is emulated (TCG): compare
# the rows with each other, never the numbers with real hardware.
set -euo pipefail

top=$(dirname "$(readlink -f "$0")")/../..
cd "$top"
secs=10 reps=3 kernel=6.1 out=build/bench rows="tcp tcpmtu ktls ours ours8 ours64 sstpc"

while [ $# -gt 0 ]; do
	case $1 in
	--seconds) secs=$2; shift 2 ;;
	--reps) reps=$2; shift 2 ;;
	--rows) rows=$2; shift 2 ;;
	--kernel) kernel=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	*) sed -n '4,10p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
	esac
done
[[ $secs =~ ^[1-9][0-9]*$ && $reps =~ ^[1-9][0-9]*$ ]] ||
	{ echo "bench: --seconds and --reps want positive numbers" >&2; exit 2; }

make -s userspace test-keys
raw=$out/vm
rm -rf "$raw" "$raw.boot"
mkdir -p "$out"
# Per row and rep: two transfers, pings, and calls set up for the tunnels
# (64 of them for ours64).
export SSTP_VM_TIMEOUT=$((reps * (12 * secs + 900) + 120))
if ! SSTP_RESULT_DIR=$raw SSTP_BOOT_DIR=$raw.boot tools/vm/run.sh "$kernel" tools/bench/rows.sh "$secs" "$reps" "$rows"; then
	echo "bench: the guest's run failed (above; $raw)" >&2
	exit 1
fi
python3 tools/bench/report.py "$raw/out/bench" "$out"
echo "bench: $out/bench.md, $out/bench.json, $out/bench.svg"
