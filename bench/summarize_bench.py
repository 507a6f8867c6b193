#!/usr/bin/env python3
"""Prints a Markdown summary of a Google Benchmark JSON file written with repetitions:
per benchmark the median over repetitions of the time per operation (wall clock; manual
time for latency benchmarks), of the calling thread's CPU time per operation, of the p50/p90/p99
latency counters (LatencyRecorder) and of items/s, with the coefficient of variation of the
time. Usage: summarize_bench.py results.json"""
import json
import sys


def fmt_time(value, unit):
    scale = {"ns": 1e-3, "us": 1.0, "ms": 1e3, "s": 1e6}[unit]
    us = value * scale
    return f"{us / 1000:.3f} ms" if us >= 1000 else f"{us:.1f} us"


def fmt_us(value):
    return "" if value is None else (f"{value / 1000:.2f} ms" if value >= 1000 else f"{value:.0f} us")


def main(path):
    with open(path) as f:
        data = json.load(f)
    ctx = data["context"]
    reps = None
    rows = {}
    order = []
    for b in data["benchmarks"]:
        if b.get("run_type") != "aggregate":
            continue
        name = b["run_name"]
        for noise in ("/manual_time", "/real_time", "/min_time:1.000"):
            name = name.replace(noise, "")
        if name not in rows:
            rows[name] = {}
            order.append(name)
        rows[name][b["aggregate_name"]] = b
        reps = b.get("repetitions", reps)
    print(f"\n{ctx.get('date', '')}  host={ctx.get('host_name', '')}  "
          f"cpus={ctx.get('num_cpus')}  load_avg={ctx.get('load_avg')}  repetitions={reps}  (medians over repetitions)\n")
    print("| benchmark | time/op | cpu/op | cv | p50 | p90 | p99 | items/s | notes |")
    print("|---|---|---|---|---|---|---|---|---|")
    # Interleaved repetitions arrive shuffled; print in a fixed, readable order.
    # Each Kiln benchmark is followed by its raw-SQLite floor.
    families = ["BM_LogBatch", "BM_RawSqlite_LogBatch", "BM_RawSqlite_Insert", "BM_LogMetric",
                "BM_RawSqlite_LogMetric", "BM_CreateRun", "BM_SearchRuns", "BM_RawSqlite_Search"]

    def rank(name):
        for i, family in enumerate(families):
            if name.startswith(family):
                return (i, name)
        return (len(families), name)

    for name in sorted(order, key=rank):
        med = rows[name].get("median")
        if med is None:
            continue
        cv = rows[name].get("cv", {})
        cv_text = f"{cv['real_time'] * 100:.1f}%" if "real_time" in cv else ""
        items = med.get("items_per_second")
        notes = []
        if "returned" in med:
            notes.append(f"returned={med['returned']:.0f}")
        if "body_kb" in med:
            notes.append(f"body={med['body_kb']:.0f} KiB")
        if med.get("label"):
            notes.append(med["label"])
        print(f"| {name} | {fmt_time(med['real_time'], med['time_unit'])} "
              f"| {fmt_time(med['cpu_time'], med['time_unit'])} | {cv_text} "
              f"| {fmt_us(med.get('p50_us'))} | {fmt_us(med.get('p90_us'))} "
              f"| {fmt_us(med.get('p99_us'))} | {'' if items is None else f'{items:,.0f}'} "
              f"| {'; '.join(notes)} |")


if __name__ == "__main__":
    main(sys.argv[1])
