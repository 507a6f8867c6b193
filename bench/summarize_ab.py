#!/usr/bin/env python3
"""Prints a Markdown table comparing two builds from the JSON files bench/run_ab_bench.sh
writes (old-<round>.json, new-<round>.json): per benchmark the median over every repetition
of its p50, p90 and p99 latency (LatencyRecorder) for each build, the ratio new/old of the
p50s, and the load averages at the start of the rounds. Usage: summarize_ab.py FOLDER"""
import collections
import glob
import json
import os
import re
import statistics
import sys


def load(folder, side):
    latency = collections.defaultdict(lambda: collections.defaultdict(list))
    loads = []
    for path in sorted(glob.glob(os.path.join(folder, f"{side}-*.json"))):
        with open(path) as f:
            data = json.load(f)
        loads.append(data["context"].get("load_avg", [0.0])[0])
        for b in data["benchmarks"]:
            if b.get("run_type") != "iteration" or "p50_us" not in b:
                continue
            name = re.sub(r"/min_time:[0-9.]+|/manual_time", "", b["run_name"])
            for key in ("p50_us", "p90_us", "p99_us"):
                latency[name][key].append(b[key] / 1000.0)
            latency[name]["label"] = b.get("label", "")
    return latency, loads


def ms(values):
    return f"{statistics.median(values):.2f}" if values else "-"


def main(folder):
    old, old_loads = load(folder, "old")
    new, new_loads = load(folder, "new")
    loads = old_loads + new_loads
    if loads:
        print(f"\nload average (1 min) at the start of the {len(loads)} rounds: min "
              f"{min(loads):.1f}, median {statistics.median(loads):.1f}, max {max(loads):.1f}\n")
    print("| benchmark | old p50 | new p50 | new/old | old p90 / p99 | new p90 / p99 | reps | label |")
    print("|---|---|---|---|---|---|---|---|")
    for name in sorted(set(old) | set(new)):
        o, n = old.get(name, {}), new.get(name, {})
        ratio = "-"
        if o.get("p50_us") and n.get("p50_us"):
            ratio = f"{statistics.median(n['p50_us']) / statistics.median(o['p50_us']):.3f}x"
        print(f"| {name} | {ms(o.get('p50_us', []))} ms | {ms(n.get('p50_us', []))} ms | {ratio} "
              f"| {ms(o.get('p90_us', []))} / {ms(o.get('p99_us', []))} ms "
              f"| {ms(n.get('p90_us', []))} / {ms(n.get('p99_us', []))} ms "
              f"| {len(o.get('p50_us', []))}/{len(n.get('p50_us', []))} "
              f"| {n.get('label') or o.get('label', '')} |")


if __name__ == "__main__":
    main(sys.argv[1])
