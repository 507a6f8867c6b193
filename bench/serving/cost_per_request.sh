#!/usr/bin/env bash
# Per-request cost of a serving process, in measures that other load on the machine changes
# little: system calls and CPU time of the server process per answered request, under
# `wrk -t1 -c32` single-row load (bench/serving/post.lua), plus an strace -c breakdown.
# Compares Kiln (`kiln server` + `kiln deploy iris`) with nginx's fixed JSON answer.
#
# How to run:
#   bench/serving/cost_per_request.sh build/kiln           # Kiln
#   bench/serving/cost_per_request.sh nginx build/kiln     # nginx (KILN_BIN trains the model)
#   DURATION=10 bench/serving/cost_per_request.sh build/kiln
# Prints: req/s, p99, syscalls/req (perf stat raw_syscalls:sys_enter), CPU us/req (perf stat
# task-clock), context switches/req, then the strace -c table. KEEP=1 keeps the temp dir.
# Needs perf, strace, wrk, curl, python3 (and nginx for the nginx case); runs as root or with
# perf_event_paranoid allowing tracepoints.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TARGET=$1
KILN=$(realpath "${2:-$1}")
DUR=${DURATION:-10}
WORK=$(mktemp -d /tmp/kiln-cost.XXXXXX)
LUA=$ROOT/bench/serving/post.lua
ROW='{"rows": [{"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2}]}'
SP=
cleanup() {
  [[ -n "$SP" ]] && kill "$SP" 2>/dev/null && wait "$SP" 2>/dev/null
  if [[ "${KEEP:-0}" == 1 ]]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
if [[ $TARGET == nginx ]]; then
  mkdir -p "$WORK/nginx"
  sed -e "s|@PORT@|$port|; s|@DIR@|$WORK/nginx|g; s|@WORKERS@|$(nproc)|" \
    "$ROOT/bench/serving/nginx.conf" >"$WORK/nginx/nginx.conf"
  nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" &
  SP=$!
  URL=http://127.0.0.1:$port/predict
  sleep 1
  PIDS=$(pgrep -P "$SP" | paste -sd,)
else
  cp "$ROOT/examples/iris/iris.csv" "$ROOT/examples/iris/pipeline.yaml" "$WORK/"
  (cd "$WORK" && "$KILN" run pipeline.yaml --data "$WORK/data" >"$WORK/run.log" 2>&1)
  "$KILN" server --port "$port" --data "$WORK/data" --quiet >"$WORK/server.log" 2>&1 &
  SP=$!
  for _ in $(seq 150); do curl -sf -o /dev/null "http://127.0.0.1:$port/api/v1/health" && break; sleep 0.2; done
  "$KILN" deploy iris --model iris-classifier@champion --server "http://127.0.0.1:$port" >/dev/null
  URL=http://127.0.0.1:$port/serve/iris/predict
  PIDS=$SP
fi
for _ in $(seq 50); do
  curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' -d "$ROW" "$URL" && break
  sleep 0.2
done
wrk -t1 -c32 -d2s -s "$LUA" "$URL" >/dev/null  # warm-up
wrk -t1 -c32 -d"${DUR}s" --latency -s "$LUA" "$URL" >"$WORK/wrk.txt" &
WP=$!
perf stat -e raw_syscalls:sys_enter,task-clock,context-switches -p "$PIDS" -x, \
  -o "$WORK/perf.txt" -- sleep $((DUR - 1))
wait "$WP"
# The breakdown by call, from a second run (strace slows the server, so only the mix counts).
wrk -t1 -c32 -d5s -s "$LUA" "$URL" >/dev/null &
WP=$!
sleep 0.5
timeout -s INT 3 strace -c -f $(for p in ${PIDS//,/ }; do echo "-p $p"; done) \
  -o "$WORK/strace.txt" 2>/dev/null || true
wait "$WP"
python3 - "$WORK" "$DUR" <<'PY'
import re, sys
work, dur = sys.argv[1], int(sys.argv[2])
wrk = open(f"{work}/wrk.txt").read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", wrk).group(1))
p99 = re.search(r"99%\s+(\S+)", wrk).group(1)
requests = rps * (dur - 1)  # perf counted dur - 1 seconds of the run
counts = {}
for line in open(f"{work}/perf.txt"):
    parts = line.split(",")
    if len(parts) > 3 and parts[0][:1].isdigit():
        counts[parts[2]] = float(parts[0])
print(f"{rps:.0f} req/s, p99 {p99}; per request: "
      f"{counts.get('raw_syscalls:sys_enter', 0) / requests:.2f} syscalls, "
      f"{counts.get('task-clock', 0) / requests * 1000:.1f} us CPU, "
      f"{counts.get('context-switches', 0) / requests:.2f} context switches")
print(open(f"{work}/strace.txt").read())
PY
