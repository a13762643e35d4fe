#!/usr/bin/env bash
# tools/fuzz.sh SECONDS NAME...: run each libFuzzer target of tests/fuzz
# (built by `make fuzzers` into build/fuzz) for SECONDS, one after the
# other, starting from its seeds (tests/fuzz/corpus/NAME) and what earlier
# runs found (build/fuzz/corpus/NAME). One line per target:
#   PASS fuzz-NAME (N runs, corpus M)   or   FAIL fuzz-NAME: what it found
# Exit status 1 when any target found something.
set -uo pipefail

top=$(dirname "$(readlink -f "$0")")/..
cd "$top" || exit 2
build=${BUILD:-build}/fuzz
secs=$1
shift
failed=0
mkdir -p "$build/findings"
for name in "$@"; do
	corpus=$build/corpus/$name
	log=$build/$name.log
	mkdir -p "$corpus"
	# -rss_limit_mb: the parsers allocate nothing large; a leak shows.
	if "$build/${name}_fuzz" -max_total_time="$secs" -rss_limit_mb=512 \
		-artifact_prefix="$build/findings/$name-" -print_final_stats=1 \
		"$corpus" "tests/fuzz/corpus/$name" >"$log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		echo "PASS fuzz-$name (${runs:-?} runs, corpus $(find "$corpus" -type f | wc -l))"
	else
		tail -n 30 "$log"
		echo "FAIL fuzz-$name: see $log and $build/findings/"
		failed=1
	fi
done
exit $failed
