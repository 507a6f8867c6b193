#!/usr/bin/env bash
# Pipeline benchmarks (figures go to docs/benchmarks.md): per-step overhead on a chain of
# no-op steps, a 1,000-step DAG of no-op steps (100 levels of 10), and its fully cached
# re-run. Each is run REPS times on a fresh data folder; the median wall time is printed.
# usage: bench/run_pipeline_bench.sh [KILN_BIN]   (env REPS, default 3)
set -euo pipefail
KILN=${1:-build/kiln}
REPS=${REPS:-3}
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
python3 "$HERE/make_noop_dag.py" 100 1 > "$WORK/chain100.yaml"
python3 "$HERE/make_noop_dag.py" 1000 10 > "$WORK/dag1000.yaml"
python3 "$HERE/make_noop_dag.py" 1000 10 --script > "$WORK/script1000.yaml"
printf 'echo "$1" > "$2"\n' > "$WORK/noop.sh"

seconds() {  # seconds FILE DATA: wall time of one `kiln run`
  local start end
  start=$(date +%s.%N)
  "$KILN" run "$1" --data "$2" --json > /dev/null 2>&1
  end=$(date +%s.%N)
  calc "$end - $start"
}

calc() { python3 -c "print(round($1, 3))"; }

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

chain=(); dag=(); cached=(); baseline=(); script_cached=()
for rep in $(seq "$REPS"); do
  chain+=("$(seconds "$WORK/chain100.yaml" "$WORK/c$rep")")
  dag+=("$(seconds "$WORK/dag1000.yaml" "$WORK/d$rep")")
  cached+=("$(seconds "$WORK/dag1000.yaml" "$WORK/d$rep")")
  # Every step names noop.sh: its cache key hashes the script (issue 14).
  # (its data folder is not named sN: the steps' arguments would name it)
  seconds "$WORK/script1000.yaml" "$WORK/script-data$rep" > /dev/null
  script_cached+=("$(seconds "$WORK/script1000.yaml" "$WORK/script-data$rep")")
  # The floor: the same 100 processes started one after another by the shell.
  start=$(date +%s.%N)
  for i in $(seq 100); do sh -c "echo s$i > $WORK/out"; done
  baseline+=("$(calc "$(date +%s.%N) - $start")")
done
chain_med=$(printf '%s\n' "${chain[@]}" | median)
base_med=$(printf '%s\n' "${baseline[@]}" | median)
echo "chain of 100 steps:        median $chain_med s  (${chain[*]})"
echo "  per step:                $(calc "$chain_med * 10") ms"
echo "  same processes by sh:    median $base_med s -> overhead per step $(calc "($chain_med - $base_med) * 10") ms"
echo "1000-step DAG:             median $(printf '%s\n' "${dag[@]}" | median) s  (${dag[*]})"
echo "1000-step DAG, cached:     median $(printf '%s\n' "${cached[@]}" | median) s  (${cached[*]})"
echo "  naming a script, cached: median $(printf '%s\n' "${script_cached[@]}" | median) s  (${script_cached[*]})"
