#!/usr/bin/env bash
# The web UI on a big experiment: seeds RUNS runs (default 10,000) into a fresh server through the
# MLflow API, then times the run table in Chromium (bench/ui_run_table_bench.mjs). Needs the
# built UI (scripts/build_web.sh) and chromium (scripts/setup.sh --test).
# usage: bench/run_ui_bench.sh [KILN_BIN]     env: RUNS, REPS
set -euo pipefail
cd "$(dirname "$0")/.."
kiln="${1:-build/kiln}"
work=$(mktemp -d)
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
"$kiln" server --host 127.0.0.1 --port 0 --data "$work/data" --ui-dir web/dist --quiet \
  >"$work/out" 2>&1 &
server=$!
for _ in $(seq 100); do grep -q "listening on" "$work/out" && break; sleep 0.1; done
base=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/out" | head -1)
seeded=$(python3 bench/ui_seed_runs.py "$base" "${RUNS:-10000}")
echo "seeded: $seeded"
experiment=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["experiment_id"])' "$seeded")
node bench/ui_run_table_bench.mjs "$base" "$experiment" "${REPS:-7}"
