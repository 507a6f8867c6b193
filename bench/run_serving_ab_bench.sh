#!/usr/bin/env bash
# Before/after comparison of two builds' prediction path on a shared machine: both serve the
# same iris package with `kiln serve --log-dir` (so each request is parsed, scored, logged and
# counted, as on a server), and wrk posts single-row requests (bench/serving/post.lua) to each
# in alternating rounds. Prints each build's median req/s, p50, p99 and the server's CPU time
# per request (user + system, from /proc: less disturbed by other load than req/s), and the
# ratios new/old. An A/A run (the same binary twice) shows how much the two slots differ.
#
#   bench/run_serving_ab_bench.sh OLD_KILN NEW_KILN
#   ROUNDS=7 DURATION=5s bench/run_serving_ab_bench.sh /work/main/build/kiln build/kiln
#
# The package is trained with NEW_KILN (`kiln run examples/iris/pipeline.yaml`). Environment:
# ROUNDS (5), DURATION (5s), CONNS (32), THREADS (2; wrk's), SERVER_THREADS (1 per server, so
# the two servers and wrk share the cores alike), KEEP (1 keeps the temp dir).
# Installs nothing; needs wrk and curl.
set -euo pipefail
[[ $# -eq 2 ]] || { echo "usage: $0 OLD_KILN NEW_KILN" >&2; exit 2; }
OLD=$(realpath "$1")
NEW=$(realpath "$2")
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-5s}
CONNS=${CONNS:-32}
THREADS=${THREADS:-2}
SERVER_THREADS=${SERVER_THREADS:-1}
for tool in wrk curl python3; do
  command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 2; }
done

WORK=$(mktemp -d /tmp/kiln-serving-ab.XXXXXX)
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ "${KEEP:-0}" == 1 ]]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "== training iris-classifier with $NEW" >&2
cp "$ROOT/examples/iris/iris.csv" "$ROOT/examples/iris/pipeline.yaml" "$WORK/"
(cd "$WORK" && "$NEW" run pipeline.yaml --data "$WORK/data" >"$WORK/run.log" 2>&1) ||
  { cat "$WORK/run.log" >&2; exit 1; }

ROW='{"rows": [{"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2}]}'
declare -A URL PID
# cpu_ticks PID: user + system CPU time of a process so far, in clock ticks
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
for side in old new; do
  bin=$OLD
  [[ $side == new ]] && bin=$NEW
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "$bin" serve models:/iris-classifier@champion --data "$WORK/data" --name iris --port "$port" \
    --threads "$SERVER_THREADS" --log-dir "$WORK/log-$side" --quiet >"$WORK/$side.log" 2>&1 &
  PIDS+=($!)
  PID[$side]=$!
  URL[$side]=http://127.0.0.1:$port/serve/iris/predict
  for _ in $(seq 300); do
    curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' -d "$ROW" "${URL[$side]}" &&
      break
    sleep 0.2
  done
  curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' -d "$ROW" "${URL[$side]}" ||
    { echo "$side server does not answer" >&2; cat "$WORK/$side.log" >&2; exit 1; }
done

echo "machine: $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "wrk -t$THREADS -c$CONNS -d$DURATION --latency, $ROUNDS rounds; $SERVER_THREADS I/O thread(s) each"
: >"$WORK/results.tsv"
for round in $(seq "$ROUNDS"); do
  order="old new"
  (( round % 2 == 0 )) && order="new old"
  for side in $order; do
    before=$(cpu_ticks "${PID[$side]}")
    wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -s "$ROOT/bench/serving/post.lua" \
      "${URL[$side]}" >"$WORK/wrk.out" 2>&1
    ticks=$(( $(cpu_ticks "${PID[$side]}") - before ))
    awk -v side="$side" -v ticks="$ticks" -v hz="$(getconf CLK_TCK)" '
      function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0;
                       if (v ~ /s$/) return v * 1000; return v + 0 }
      /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) }
      /^Requests\/sec:/ { rps = $2 }
      /Non-2xx or 3xx responses:/ { bad = $NF }
      /requests in/ { n = $1 }
      END { printf "%s\t%s\t%.3f\t%.3f\t%d\t%.2f\n", side, rps, p50, p99, bad,
            ticks / hz * 1e6 / n }' \
      "$WORK/wrk.out" >>"$WORK/results.tsv"
    tail -1 "$WORK/results.tsv" | awk -F'\t' -v r="$round" \
      '{ printf "  round %d %-4s %10.0f req/s  p50 %7.3f ms  p99 %7.3f ms  %6.2f CPU us/req%s\n",
         r, $1, $2, $3, $4, $6, $5 ? "  non-2xx " $5 : "" }' >&2
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$WORK/results.tsv" <<'PY'
import statistics, sys
by = {}
for line in open(sys.argv[1]):
    side, rps, p50, p99, bad, cpu = line.rstrip("\n").split("\t")
    by.setdefault(side, []).append((float(rps), float(p50), float(p99), float(cpu), int(bad)))
med = {s: [statistics.median(x[i] for x in v) for i in range(4)] + [sum(x[4] for x in v)]
       for s, v in by.items()}
print(f"{'build':<6}{'req/s':>11}{'p50 ms':>9}{'p99 ms':>9}{'CPU us/req':>12}  non-2xx")
for s in ("old", "new"):
    m = med[s]
    print(f"{s:<6}{m[0]:>11.0f}{m[1]:>9.3f}{m[2]:>9.3f}{m[3]:>12.2f}  {m[4]}")
print(f"new/old req/s: {med['new'][0] / med['old'][0]:.3f}; "
      f"new/old CPU per request: {med['new'][3] / med['old'][3]:.3f}")
PY
