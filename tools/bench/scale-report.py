#!/usr/bin/env python3
"""The scale benchmark's table from the "scale: ..." lines of its runs.

Usage: scale-report.py OUT_DIR N...

Reads OUT_DIR/scale-N/stdout for each session count N (written by
tests/vm/serve-scale.sh through tools/bench/scale.sh), and
OUT_DIR/scale-tunnels/stdout when there is one (tools/bench/kernel-tunnels.sh:
sstp.ko's tunnels alone), writes
OUT_DIR/scale.json and OUT_DIR/scale.md and prints the table. Exits 1
when a run left no measurement.
"""
import json
import re
import sys

COLUMNS = [
    ("calls", "sessions"),
    ("rate", "setup, calls/s"),
    ("cpu_per_call", "guest CPU s/call"),
    ("pppd_share", "of it pppd + scripts"),
    ("slab_kb", "kernel slab KB/session"),
    ("pppd_pss_kb", "pppd PSS KB/session"),
    ("serve_kb", "serve KB/session"),
    ("status_ms", "status ms"),
]


def parse(path):
    text = open(path, errors="replace").read()

    def num(pattern):
        m = re.search(pattern, text)
        if not m:
            raise ValueError(f"{path}: no match for {pattern}")
        return float(m.group(1))

    calls = num(r"scale: calls (\d+)")
    guest = num(r"scale: cpu_seconds guest (\d+)")
    pppd = num(r"scale: cpu_seconds .* pppd (\d+)") + num(r"pppd_scripts (\d+)")
    serve0 = num(r"serve_rss_kb (\d+) ->")
    serve1 = num(r"serve_rss_kb \d+ -> (\d+)")
    slab = re.search(r"scale: slab growth: (.*)", text)
    return {
        "calls": int(calls),
        "rate": num(r"scale: calls .* rate ([\d.]+)"),
        "setup_seconds": num(r"scale: calls .* seconds ([\d.]+)"),
        "cpu_per_call": round(guest / calls, 2),
        "pppd_share": f"{100 * pppd / guest:.0f} %" if guest else "-",
        "slab_kb": int(num(r"kernel_slab_kb_per_session (\d+)")),
        "pppd_pss_kb": int(num(r"pppd_pss_kb_per_session (\d+)")),
        "serve_kb": round((serve1 - serve0) / calls, 1),
        "status_ms": int(num(r"scale: status_ms (\d+)")),
        "slab_growth": slab.group(1).strip(" ,") if slab else "",
    }


def kernel_tunnels(path):
    """The kernel-only run's numbers, or None when it did not run."""
    try:
        text = open(path, errors="replace").read()
    except OSError:
        return None
    m = re.search(r"scale: kernel_tunnels (\d+) seconds (\d+) slab_bytes_per_tunnel (\d+)",
                  text)
    if not m or "ok unload.down.plain" not in text:
        raise ValueError(f"{path}: no complete kernel tunnel measurement")
    return {"tunnels": int(m.group(1)), "seconds": int(m.group(2)),
            "slab_bytes": int(m.group(3))}


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    out = sys.argv[1]
    try:
        rows = [parse(f"{out}/scale-{n}/stdout") for n in sys.argv[2:]]
    except (OSError, ValueError) as e:
        sys.exit(f"scale-report: {e}")
    lines = ["| " + " | ".join(h for _, h in COLUMNS) + " |",
             "|" + "---|" * len(COLUMNS)]
    for r in rows:
        lines.append("| " + " | ".join(str(r[k]) for k, _ in COLUMNS) + " |")
    for r in rows:
        lines.append("")
        lines.append(f"Slab caches that grew most with {r['calls']} sessions "
                     f"(KB in all): {r['slab_growth']}")
    tunnels = kernel_tunnels(f"{out}/scale-tunnels/stdout")
    if tunnels:
        lines.append("")
        lines.append(f"sstp.ko alone: {tunnels['tunnels']} idle tunnels made in "
                     f"{tunnels['seconds']} s, {tunnels['slab_bytes']} bytes of "
                     "unreclaimable slab each with their two sockets; all "
                     "went down when the module was unloaded under them.")
    table = "\n".join(lines) + "\n"
    with open(f"{out}/scale.md", "w") as f:
        f.write(table)
    with open(f"{out}/scale.json", "w") as f:
        json.dump({"sessions": rows, "kernel_tunnels": tunnels}, f, indent=1)
    print(table, end="")


if __name__ == "__main__":
    main()
