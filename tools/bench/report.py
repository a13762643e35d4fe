#!/usr/bin/env python3
"""The benchmark's numbers from the raw files tools/bench/rows.sh left.

Usage: report.py RAW_DIR OUT_DIR

Reads RAW_DIR/REP-ROW-DIR.* (see rows.sh), writes OUT_DIR/bench.json
(every measurement and the medians), OUT_DIR/bench.md (the table) and
OUT_DIR/bench.svg (throughput each way, a bar per row), and prints the
table. Exits 1 when nothing was measured, or a row that ran has no
measurement one way or moved nothing.

Per row and direction, the median over the reps of: Mbit/s at the
receiver; the guest's CPU seconds per GB moved (user, sys, softirq and
their sum, from /proc/stat: both ends of every row share one kernel); the
average ping RTT before the transfer (idle) and during it (load). The
ratios are to the raw kTLS stream's row, the ceiling of a kernel path
that reads and writes through kTLS.
"""
import glob
import json
import os
import re
import statistics
import sys

ROWS = [
    ("tcp", "TCP on the veth"),
    ("tcpmtu", "TCP, 1500-byte packets"),
    ("ktls", "raw kTLS stream"),
    ("ours", "ours <-> ours (sstp.ko)"),
    ("ours8", "8 tunnels at once (sum)"),
    ("ours64", "64 tunnels at once (sum)"),
    ("sstpc", "sstpc -> our server"),
]
DIRS = ("up", "down")
USER_HZ = 100


def read(path):
    with open(path) as f:
        return f.read()


def cpu_ticks(path):
    """user nice system idle iowait irq softirq steal, from a cpu line."""
    fields = read(path).split()
    return [int(x) for x in fields[1:9]]


def ping_avg(path):
    """The average RTT in ms of a ping -q summary, or None."""
    m = re.search(r"= [\d.]+/([\d.]+)/", read(path)) if os.path.exists(path) else None
    return float(m.group(1)) if m else None


def iperf_moved(path):
    """(bytes, seconds) after iperf3's omitted start, and every byte sent
    in the whole run, omitted intervals included: the CPU measured around
    the run went to all of them."""
    run = json.loads(read(path))
    end = run["end"]["sum_received"]
    every = sum(i["sum"]["bytes"] for i in run.get("intervals", []))
    return end["bytes"], end["seconds"], max(every, end["bytes"])


def moved(prefix):
    """(bytes, seconds) the receiver saw, and the bytes to count the CPU
    against: iperf3's report, the stream's, or for many tunnels the
    receiving sockets' window (rows.sh)."""
    if os.path.exists(prefix + ".iperf"):
        return iperf_moved(prefix + ".iperf")
    for suffix in (".window", ".stream"):
        if os.path.exists(prefix + suffix):
            words = read(prefix + suffix).split()
            return int(words[2]), float(words[3]), int(words[2])
    raise FileNotFoundError(prefix + ".iperf, .window or .stream")


def tls_of(raw, rep, row):
    base = os.path.join(raw, f"{rep}-{row}")
    if os.path.exists(base + ".tls"):
        return read(base + ".tls").strip()
    sessions = json.loads(read(base + ".status"))["sessions"]
    server = [s for s in sessions if s.get("role") == "server"]
    if not server:
        return "?"
    return f"{server[0].get('tls_version', '?')} {server[0].get('tls_cipher', '?')}"


COUNTS = ("rx_work", "tls_recvmsg", "tls_recvmsg_again", "tls_sendmsg")


def counts(prefix):
    """Kprobe hits during the transfer (rows.sh), or {}."""
    if not os.path.exists(prefix + ".counts"):
        return {}
    out = {}
    for line in read(prefix + ".counts").splitlines():
        name, hits = line.split()
        out[name] = int(hits)
    return out


def measurement(raw, rep, row, direction):
    prefix = os.path.join(raw, f"{rep}-{row}-{direction}")
    nbytes, secs, cpu_bytes = moved(prefix)
    t0, t1 = cpu_ticks(prefix + ".stat0"), cpu_ticks(prefix + ".stat1")
    d = [b - a for a, b in zip(t0, t1)]
    gb = cpu_bytes / 1e9
    per_gb = (lambda ticks: ticks / USER_HZ / gb) if gb else (lambda ticks: None)
    user, sys_, softirq = d[0] + d[1], d[2] + d[5], d[6]
    return {
        "row": row, "rep": rep, "dir": direction,
        "bytes": nbytes, "seconds": secs,
        "mbps": nbytes * 8 / secs / 1e6 if secs else 0.0,
        "cpu_s_per_gb": {
            "user": per_gb(user), "sys": per_gb(sys_),
            "softirq": per_gb(softirq), "total": per_gb(user + sys_ + softirq),
        },
        "busy": (user + sys_ + softirq) / max(1, sum(d)),
        "rtt_idle_ms": ping_avg(os.path.join(raw, f"{rep}-{row}.idle")),
        "rtt_load_ms": ping_avg(prefix + ".ping"),
        "tls": tls_of(raw, rep, row),
        "counts": counts(prefix),
    }


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def summarize(ms):
    out = {}
    for row, _ in ROWS:
        for direction in DIRS:
            sel = [m for m in ms if m["row"] == row and m["dir"] == direction]
            if not sel:
                continue
            out[f"{row}-{direction}"] = {
                "reps": len(sel),
                "mbps": median([m["mbps"] for m in sel]),
                "cpu_s_per_gb": {k: median([m["cpu_s_per_gb"][k] for m in sel])
                                 for k in ("user", "sys", "softirq", "total")},
                "busy": median([m["busy"] for m in sel]),
                "rtt_idle_ms": median([m["rtt_idle_ms"] for m in sel]),
                "rtt_load_ms": median([m["rtt_load_ms"] for m in sel]),
                "tls": sel[0]["tls"],
                "counts_per_mb": {
                    k: median([m["counts"][k] / (m["bytes"] / 1e6)
                               for m in sel if k in m["counts"] and m["bytes"]])
                    for k in COUNTS},
            }
    return out


def fmt(v, spec="{:.1f}"):
    return "-" if v is None else spec.format(v)


def present(summary):
    """(title, direction, medians) of each row and direction measured."""
    for row, title in ROWS:
        for direction in DIRS:
            s = summary.get(f"{row}-{direction}")
            if s:
                yield title, direction, s


def table(summary):
    lines = [
        "| row | TLS | dir | Mbit/s | x kTLS | CPU s/GB (user/sys/softirq) | x kTLS | RTT idle / load ms |",
        "|---|---|---|---:|---:|---|---:|---|",
    ]
    for title, direction, s in present(summary):
        k = summary.get(f"ktls-{direction}")
        ratio = s["mbps"] / k["mbps"] if k and k["mbps"] else None
        c = s["cpu_s_per_gb"]
        kc = k["cpu_s_per_gb"]["total"] if k else None
        cratio = c["total"] / kc if c["total"] and kc else None
        lines.append(
            f"| {title} | {s['tls']} | {direction} | {fmt(s['mbps'])} | "
            f"{fmt(ratio, '{:.2f}')} | {fmt(c['total'], '{:.0f}')} "
            f"({fmt(c['user'], '{:.0f}')}/{fmt(c['sys'], '{:.0f}')}/"
            f"{fmt(c['softirq'], '{:.0f}')}) | {fmt(cratio, '{:.2f}')} | "
            f"{fmt(s['rtt_idle_ms'], '{:.2f}')} / {fmt(s['rtt_load_ms'], '{:.2f}')} |")
    return "\n".join(lines)


def counts_table(summary):
    """Kprobe hits per MB received, where they were counted."""
    lines = [
        "| row | dir | rx_work runs | kTLS recvmsg | of which -EAGAIN | kTLS sendmsg |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for title, direction, s in present(summary):
        c = s["counts_per_mb"]
        if all(v is None for v in c.values()):
            continue
        lines.append(f"| {title} | {direction} | " + " | ".join(
            fmt(c[k]) for k in COUNTS) + " |")
    return "\n".join(lines) if len(lines) > 2 else ""


def svg(summary):
    """Horizontal bars, Mbit/s up and down per row."""
    rows = [(t, summary.get(f"{r}-up"), summary.get(f"{r}-down")) for r, t in ROWS]
    rows = [r for r in rows if r[1] or r[2]]
    top = max([s["mbps"] for _, u, d in rows for s in (u, d) if s] + [1.0])
    w, left, bar, gap = 640, 190, 14, 14
    h = 40 + len(rows) * (2 * bar + gap)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
           'font-family="sans-serif" font-size="12">',
           f'<text x="{left}" y="16">Mbit/s, median (up: cli to srv, dark; down: light)</text>']
    y = 30
    for title, up, down in rows:
        out.append(f'<text x="4" y="{y + bar + 4}">{title}</text>')
        for s, colour in ((up, "#33658a"), (down, "#86bbd8")):
            width = (w - left - 60) * (s["mbps"] if s else 0) / top
            out.append(f'<rect x="{left}" y="{y}" width="{width:.1f}" height="{bar - 2}" fill="{colour}"/>')
            out.append(f'<text x="{left + width + 4:.1f}" y="{y + bar - 3}">{fmt(s["mbps"] if s else None)}</text>')
            y += bar
        y += gap
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.split("\n\n")[1])
    raw, out_dir = sys.argv[1], sys.argv[2]
    found = sorted({tuple(os.path.basename(p).split(".")[0].split("-"))
                    for p in glob.glob(os.path.join(raw, "*-*-*.stat1"))})
    ms = [measurement(raw, int(rep), row, d) for rep, row, d in found]
    summary = summarize(ms)
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "bench.json"), "w") as f:
        json.dump({"measurements": ms, "median": summary}, f, indent=1)
    md = table(summary)
    ct = counts_table(summary)
    if ct:
        md += "\n\nKprobe hits per MB received (both ends share the kernel):\n\n" + ct
    with open(os.path.join(out_dir, "bench.md"), "w") as f:
        f.write(md + "\n")
    with open(os.path.join(out_dir, "bench.svg"), "w") as f:
        f.write(svg(summary))
    print(md)
    ran = {m["row"] for m in ms}
    missing = [f"{r}-{d}" for r, _ in ROWS for d in DIRS if r in ran and
               (not summary.get(f"{r}-{d}") or not summary[f"{r}-{d}"]["mbps"])]
    if not ms:
        missing = ["every row"]
    if missing:
        print("report: nothing measured for " + ", ".join(missing), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
