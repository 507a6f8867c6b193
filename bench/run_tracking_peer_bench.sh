#!/usr/bin/env bash
# Tracking over HTTP, side by side with the peer: `kiln server` and MLflow 2.12.2's own tracking
# server (../shared/peers/mlflow, SQLite backend, one worker), both on 127.0.0.1, timed by one
# Python client (bench/tracking/peer_ops.py) alternating between them. Figures go to
# docs/benchmarks.md ("Tracking side by side with MLflow").
#
# usage: bench/run_tracking_peer_bench.sh [KILN_BIN]    env ROUNDS (5), CALLS (100),
#        PEER (default build/peers/mlflow, made by scripts/setup.sh --test)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
kiln=$(realpath "${1:-$repo/build/kiln}")
peer=${PEER:-$repo/build/peers/mlflow}
[ -f "$peer/env.sh" ] || bash "$repo/../shared/peers/mlflow/setup.sh" "$peer" >/dev/null
# shellcheck disable=SC1091
. "$peer/env.sh"
work=$(mktemp -d)
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
pids=()
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
kport=$(free_port)
mport=$(free_port)
"$kiln" server --data "$work/kiln" --port "$kport" --quiet > "$work/kiln.log" 2>&1 &
pids+=($!)
mlflow_server "$mport" "$work/mlflow" --workers 1 > "$work/mlflow.log" 2>&1 &
pids+=($!)
for url in "http://127.0.0.1:$kport/api/v1/health" "http://127.0.0.1:$mport/health"; do
  for _ in $(seq 1 120); do curl -sf "$url" > /dev/null && break; sleep 0.5; done
done
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 "$here/tracking/peer_ops.py" "http://127.0.0.1:$kport" "http://127.0.0.1:$mport" \
  "${ROUNDS:-5}" "${CALLS:-100}"
