#!/usr/bin/env bash
# Builds Kiln in Release (build-bench/), runs the tracking benchmarks with repetitions and
# prints a compact summary (medians over repetitions; p50/p90/p99 from each repetition's
# latency histogram, median over repetitions) suitable for docs/benchmarks.md.
#
#   bench/run_tracking_bench.sh                     # everything, 10 repetitions
#   REPS=3 bench/run_tracking_bench.sh --benchmark_filter=LogMetric
#
# Repetitions run interleaved in random order, so a noisy minute on the shared machine
# spreads over all benchmarks instead of hitting one.
#
# Environment: REPS (default 10), BUILD_DIR (default <repo>/build-bench), OUT (JSON results,
# default /tmp/kiln-bench-tracking.json), KILN_BENCH_SEARCH_RUNS (default 100000; the
# populated dataset is cached in /tmp/kiln-bench-search-<runs>-v1; building it takes 1-3 min here).
# Extra arguments go to the benchmark binary.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build-bench}
REPS=${REPS:-10}
OUT=${OUT:-/tmp/kiln-bench-tracking.json}

cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DKILN_BUILD_TESTS=OFF -DKILN_BUILD_BENCH=ON >/dev/null
ninja -C "$BUILD_DIR" kiln kiln_bench_tracking >&2

echo "load average before: $(cut -d" " -f1-3 /proc/loadavg)"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "$(awk '/MemTotal/ {printf "%.0f GiB RAM", $2/1048576}' /proc/meminfo)"
"$BUILD_DIR/kiln_bench_tracking" \
  --benchmark_repetitions="$REPS" --benchmark_enable_random_interleaving=true \
  --benchmark_report_aggregates_only=true \
  --benchmark_out="$OUT" --benchmark_out_format=json \
  "$@" >&2
echo "load average after: $(cut -d" " -f1-3 /proc/loadavg)"
python3 "$ROOT/bench/summarize_bench.py" "$OUT"
