#!/usr/bin/env bash
# XGBoost training through Kiln against Debian's python3-xgboost, same data, params and threads
# (figures go to docs/benchmarks.md). Data: bench/make_csv.py (ROWS x 50 random numbers); the
# label is the last column (regression). Kiln: the train step of `kiln run` on read-csv ->
# train-xgboost, timed from its step record (reading the .ktab, building the matrix, boosting).
# Python: DMatrix from a float32 numpy array plus xgboost.train, timed in the process; loading
# the CSV is not timed on either side. REPS runs each, alternating; medians.
# usage: bench/run_train_bench.sh [KILN_BIN]   (env ROWS=1000000 ROUNDS=20 THREADS=2 REPS=3)
set -euo pipefail
KILN=$(realpath "${1:-build/kiln}")
ROWS=${ROWS:-1000000}
ROUNDS=${ROUNDS:-20}
THREADS=${THREADS:-2}
REPS=${REPS:-3}
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
python3 "$HERE/make_csv.py" --rows "$ROWS" --cols 50 --seed 7 --out "$WORK/data.csv"
cat > "$WORK/p.yaml" <<YAML
name: train-bench
steps:
  read: {uses: read-csv@1.0.0, inputs: {source: "file:data.csv"}}
  train:
    uses: train-xgboost@1.0.0
    inputs: {train: read.table}
    params: {label: c49, task: regression, num_rounds: $ROUNDS, max_depth: 6, eta: 0.3,
             nthread: $THREADS, seed: 0}
YAML

# The peer, once per call: loads the CSV (not timed), then times DMatrix + train.
python_once() {
  /usr/bin/python3 - "$WORK/data.csv" "$ROUNDS" "$THREADS" <<'PY'
import sys, time
import numpy as np, xgboost
path, rounds, threads = sys.argv[1], int(sys.argv[2]), sys.argv[3]
try:  # loading is not timed; pandas is only faster at it
    import pandas
    data = pandas.read_csv(path).to_numpy(dtype=np.float64).astype(np.float32)
except ImportError:
    data = np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.float64).astype(np.float32)
x, y = data[:, :-1], data[:, -1]
params = {"objective": "reg:squarederror", "eval_metric": "rmse", "tree_method": "hist",
          "max_depth": "6", "eta": "0.3", "nthread": threads, "seed": "0"}
start = time.perf_counter()
xgboost.train(params, xgboost.DMatrix(x, label=y, nthread=int(threads)), num_boost_round=rounds)
print(round(time.perf_counter() - start, 3))
PY
}

# Kiln and Python alternate, so a change in the machine's load hits both sides alike.
kiln_times=()
py_times=()
for rep in $(seq "$REPS"); do
  "$KILN" run "$WORK/p.yaml" --data "$WORK/d$rep" --json 2>/dev/null > "$WORK/run.json"
  kiln_times+=("$(python3 -c "
import json; run = json.load(open('$WORK/run.json'))['runs'][0]
s = [s for s in run['steps'] if s['step'] == 'train'][0]
assert s['status'] == 'SUCCEEDED', s
print((s['ended_ms'] - s['started_ms']) / 1000)")")
  rm -rf "$WORK/d$rep"
  py_times+=("$(python_once)")
done
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
k=$(printf '%s\n' "${kiln_times[@]}" | median)
p=$(printf '%s\n' "${py_times[@]}" | median)
echo "rows $ROWS x 50, $ROUNDS rounds, depth 6, $THREADS threads, $REPS runs each"
echo "kiln train-xgboost step:  median $k s  (${kiln_times[*]})"
echo "python3-xgboost:          median $p s  (${py_times[*]})"
python3 -c "print('ratio kiln/python: %.2f' % ($k / $p))"
