#!/bin/sh
# vm: userspace (the benchmark's own rows, 2 s each way: make bench must not rot; the paths it measures are tested elsewhere)
# make bench in brief: tools/bench/rows.sh runs every row once for 2 s
# each way (TCP, a raw kTLS stream, ours <-> ours, 8 of our tunnels at
# once, sstpc -> ours; the 64 tunnels of make bench are left out), and
# tools/bench/report.py makes its table, JSON and chart from what it left:
# every row moved data both ways, the tunnels ran on kTLS ciphers, and the
# chart has a bar for each row and direction.
set -u
. "$SSTP_SRC/tests/lib/vm-common.sh"

"$SSTP_SRC/tools/bench/rows.sh" 2 1 "tcp ktls ours ours8 sstpc" >"$WORK/rows.log" 2>&1 ||
	fail "rows.sh: $(tail -n 20 "$WORK/rows.log")"
python3 "$SSTP_SRC/tools/bench/report.py" "$SSTP_OUT/bench" "$WORK/report" \
	>"$WORK/report.log" 2>&1 || fail "report.py: $(cat "$WORK/report.log")"
cat "$WORK/report.log"
python3 - "$WORK/report/bench.json" <<'PY' || fail "bench.json lacks a row"
import json, sys
median = json.load(open(sys.argv[1]))["median"]
for row in ("tcp", "ktls", "ours", "ours8", "sstpc"):
    for d in ("up", "down"):
        s = median[f"{row}-{d}"]
        assert s["mbps"] > 0 and s["cpu_s_per_gb"]["total"] > 0, (row, d, s)
        assert s["rtt_load_ms"] and s["rtt_idle_ms"], (row, d, s)
PY
grep -q "ours.*TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256" "$WORK/report/bench.md" ||
	fail "ours did not run TLS 1.2 AES-128-GCM"
[ "$(grep -c '<rect' "$WORK/report/bench.svg")" = 10 ] ||
	fail "the chart has not 10 bars"
echo "bench smoke: every row measured both ways"
