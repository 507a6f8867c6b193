#!/usr/bin/env bash
# The fully cached re-run of the 1,000-step no-op DAG (bench/make_noop_dag.py 1000 10) with a
# large store, side by side for two binaries (figures go to docs/benchmarks.md).
#
# Each binary gets its own data folder, filled the honest way: one first run of the DAG, then
# cached re-runs of it (each adds 1,001 tracking runs: the pipeline run and one per step) until
# the store holds RUNS runs. Then the timed re-runs alternate between the binaries (A B A B ...)
# so that the shared machine's noise falls on both alike; the median of REPS is printed.
# Each timed re-run is `kiln run dag1000.yaml --data DIR --json` in a fresh process: its wall
# time and its CPU time (user + sys, steadier than wall time on a loaded machine).
#
# usage: bench/run_cached_rerun_bench.sh KILN_A KILN_B
#        env RUNS (default 100000), REPS (default 5), KEEP=1 keeps the data folders;
#        DATA_A / DATA_B: a folder an earlier KEEP=1 run filled with that binary, used in place
#        (the DAG's file must be the same: make_noop_dag.py 1000 10).
set -euo pipefail
A=$(realpath "$1")
B=$(realpath "$2")
RUNS=${RUNS:-100000}
REPS=${REPS:-5}
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d)
if [ "${KEEP:-0}" = 1 ]; then echo "data folders kept in $WORK"; else trap 'rm -rf "$WORK"' EXIT; fi
python3 "$HERE/make_noop_dag.py" 1000 10 > "$WORK/dag1000.yaml"

seconds() {  # seconds KILN DATA: "WALL CPU" of one `kiln run` of the DAG (CPU = user + sys)
  /usr/bin/time -f "%e %U %S" -o "$WORK/time" "$1" run "$WORK/dag1000.yaml" --data "$2" --json \
    > /dev/null 2>&1
  awk '{printf "%.2f %.2f\n", $1, $2 + $3}' "$WORK/time"
}

count_runs() {
  python3 -c "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(
      'SELECT COUNT(*) FROM runs').fetchone()[0])" "$1/kiln.db"
}

fill() {  # fill KILN DATA: runs the DAG until the store holds RUNS runs
  local n=0
  "$1" run "$WORK/dag1000.yaml" --data "$2" --json > /dev/null 2>&1
  while [ "$(count_runs "$2")" -lt "$RUNS" ]; do
    "$1" run "$WORK/dag1000.yaml" --data "$2" --json > /dev/null 2>&1
    n=$((n + 1))
  done
  echo "filled $2: $(count_runs "$2") runs after 1 first run and $n cached re-runs," \
    "$(du -sm "$2/kiln.db" | cut -f1) MB kiln.db"
}

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

DA=${DATA_A:-$WORK/a}
DB=${DATA_B:-$WORK/b}
[ -n "${DATA_A:-}" ] || fill "$A" "$DA"
[ -n "${DATA_B:-}" ] || fill "$B" "$DB"
echo "A store: $(count_runs "$DA") runs; B store: $(count_runs "$DB") runs"
wa=(); wb=(); ca=(); cb=()
for rep in $(seq "$REPS"); do
  read -r w c <<< "$(seconds "$A" "$DA")"; wa+=("$w"); ca+=("$c")
  read -r w c <<< "$(seconds "$B" "$DB")"; wb+=("$w"); cb+=("$c")
done
report() {  # report NAME BIN WALLS... -- CPUS...
  local name=$1 bin=$2; shift 2
  local walls=() cpus=()
  while [ "$1" != "--" ]; do walls+=("$1"); shift; done; shift
  cpus=("$@")
  echo "$name $bin: wall median $(printf '%s\n' "${walls[@]}" | median) s (${walls[*]});" \
    "CPU median $(printf '%s\n' "${cpus[@]}" | median) s (${cpus[*]})"
}
report A "$A" "${wa[@]}" -- "${ca[@]}"
report B "$B" "${wb[@]}" -- "${cb[@]}"
mwa=$(printf '%s\n' "${wa[@]}" | median); mwb=$(printf '%s\n' "${wb[@]}" | median)
mca=$(printf '%s\n' "${ca[@]}" | median); mcb=$(printf '%s\n' "${cb[@]}" | median)
echo "B/A: wall $(python3 -c "print(round($mwb / $mwa, 2))"), CPU $(python3 -c "print(round($mcb / $mca, 2))")"
