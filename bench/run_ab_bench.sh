#!/usr/bin/env bash
# Before/after comparison of two builds of the tracking benchmarks on a shared machine: runs
# each build's kiln_bench_tracking (with its own `kiln` for the HTTP benchmarks) in alternating
# rounds, repetitions interleaved in random order inside each round, then prints the median
# p50 of every benchmark for both builds and their ratio (bench/summarize_ab.py).
#
#   bench/run_ab_bench.sh OLD_DIR NEW_DIR [extra benchmark arguments]
#   ROUNDS=5 REPS=2 FILTER=SearchRuns bench/run_ab_bench.sh /tmp/old build
#
# OLD_DIR and NEW_DIR each hold `kiln` and `kiln_bench_tracking` (a build folder, or copies
# of both binaries). Environment: ROUNDS (default 5), REPS per round (default 2), FILTER
# (--benchmark_filter, default SearchRuns), OUT (JSON folder, default /tmp/kiln-bench-ab).
set -euo pipefail

if [[ $# -lt 2 ]]; then
  echo "usage: $0 OLD_DIR NEW_DIR [benchmark arguments]" >&2
  exit 2
fi
OLD=$(cd "$1" && pwd)
NEW=$(cd "$2" && pwd)
shift 2
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROUNDS=${ROUNDS:-5}
REPS=${REPS:-2}
FILTER=${FILTER:-SearchRuns}
OUT=${OUT:-/tmp/kiln-bench-ab}
for dir in "$OLD" "$NEW"; do
  for binary in kiln kiln_bench_tracking; do
    [[ -x $dir/$binary ]] || { echo "$dir/$binary: not found" >&2; exit 2; }
  done
done

rm -rf "$OUT"
mkdir -p "$OUT"
echo "machine: $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "$ROUNDS"); do
  for side in old new; do
    dir=$OLD
    [[ $side == new ]] && dir=$NEW
    echo "round $round/$ROUNDS $side: load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
    KILN_BIN="$dir/kiln" "$dir/kiln_bench_tracking" --benchmark_filter="$FILTER" \
      --benchmark_repetitions="$REPS" --benchmark_enable_random_interleaving=true \
      --benchmark_out="$OUT/$side-$round.json" --benchmark_out_format=json "$@" >/dev/null
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 "$ROOT/bench/summarize_ab.py" "$OUT"
