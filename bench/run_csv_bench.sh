#!/usr/bin/env bash
# Compares Kiln's ReadCsvFile with pandas.read_csv on the same numeric CSV (default 1,000,000
# rows x 50 columns of mixed ints and floats, from bench/make_csv.py) and prints both medians
# and the ratio.
#
#   bench/run_csv_bench.sh
#   ROWS=100000 REPS=5 bench/run_csv_bench.sh
#
# Environment: ROWS (1000000), COLS (50), REPS (3), CSV (the file; default
# /tmp/kiln-csv-bench-<rows>x<cols>.csv, generated once and reused), BUILD_DIR (default
# <repo>/build, an already configured build tree; kiln_bench_ml is built there with -j1).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build}
ROWS=${ROWS:-1000000}
COLS=${COLS:-50}
REPS=${REPS:-3}
CSV=${CSV:-/tmp/kiln-csv-bench-${ROWS}x${COLS}.csv}
OUT=/tmp/kiln-csv-bench-$$.json

if [ ! -s "$CSV" ]; then
  echo "generating $CSV ($ROWS x $COLS)" >&2
  python3 "$ROOT/bench/make_csv.py" --rows "$ROWS" --cols "$COLS" --seed 42 --out "$CSV.tmp"
  mv "$CSV.tmp" "$CSV"
fi
[ -f "$BUILD_DIR/build.ninja" ] || cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja >/dev/null
ninja -C "$BUILD_DIR" -j1 kiln_bench_ml >&2

BUILD_TYPE=$(grep -m1 '^CMAKE_BUILD_TYPE' "$BUILD_DIR/CMakeCache.txt" | cut -d= -f2)
# CMakeLists.txt picks RelWithDebInfo (-O2 -g) when none is given.
echo "file: $CSV ($(du -m "$CSV" | cut -f1) MB), build: ${BUILD_TYPE:-RelWithDebInfo}"
echo "machine: $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

KILN_CSV_BENCH_FILE=$CSV "$BUILD_DIR/kiln_bench_ml" --benchmark_repetitions="$REPS" \
  --benchmark_report_aggregates_only=true --benchmark_min_time=0.01 \
  --benchmark_out="$OUT" --benchmark_out_format=json >&2

# pandas may live only in Debian's python3 (python3-pandas) when `python3` is another install.
PY=python3
for candidate in python3 /usr/bin/python3; do
  if "$candidate" -c "import pandas" 2>/dev/null; then PY=$candidate; break; fi
done
"$PY" - "$OUT" "$CSV" "$REPS" <<'PY'
import json, statistics, sys, time

out, csv, reps = sys.argv[1], sys.argv[2], int(sys.argv[3])
kiln = {}
for b in json.load(open(out))["benchmarks"]:
    if b.get("aggregate_name") == "median":
        kiln[b["run_name"]] = b["real_time"] / 1000.0  # ms -> s
for name, secs in sorted(kiln.items()):
    print(f"kiln {name}: median {secs:.3f} s")
try:
    import pandas
except ImportError:
    print("pandas: not installed (apt-get install python3-pandas); no ratio")
    sys.exit(0)
times = []
for _ in range(reps):
    start = time.perf_counter()
    df = pandas.read_csv(csv)
    times.append(time.perf_counter() - start)
    del df
pd_secs = statistics.median(times)
print(f"pandas {pandas.__version__} read_csv: median {pd_secs:.3f} s over {reps} runs")
for name, secs in sorted(kiln.items()):
    print(f"ratio pandas/kiln ({name}): {pd_secs / secs:.2f}x")
PY
rm -f "$OUT"
