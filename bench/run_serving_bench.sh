#!/usr/bin/env bash
# Serving benchmark (figures go to docs/benchmarks.md): Kiln serving the iris model against
# FastAPI + uvicorn serving the same XGBoost model the classic tutorial way
# (bench/serving/fastapi_app.py: pydantic request, a pandas DataFrame per request, DMatrix)
# and against nginx answering a fixed JSON body (bench/serving/nginx.conf: the HTTP floor).
# One run, one machine, one load generator: wrk -t$THREADS -c$CONNS -d$DURATION --latency
# with bench/serving/post.lua, single-row requests against all three, batched requests
# ($BATCH rows each, reported as rows/s) against Kiln and FastAPI.
#
# How to run:
#   bench/run_serving_bench.sh [KILN_BIN]        # default build/kiln (use a Release build)
#   REPS=5 DURATION=10s bench/run_serving_bench.sh build-release/kiln
#   PEERS_ONLY=1 bench/run_serving_bench.sh      # FastAPI and nginx only (no `kiln deploy`)
#
# Steps: trains and registers iris-classifier with `kiln run examples/iris/pipeline.yaml`
# (KILN_BIN is also used to train when PEERS_ONLY=1), copies the registered package's files
# (model.json, kiln-model.json, preprocess.json) out of the blob store for FastAPI, starts
# `kiln server` + `kiln deploy iris`, uvicorn (1 worker, and one per core as a second
# FastAPI row), nginx (one worker per core) on free ports in a temp dir, checks each answers
# correctly and that Kiln and FastAPI agree on labels and probabilities (within 1e-6), then
# runs wrk REPS times per case, interleaved, and prints medians (req/s, p50, p99) and the
# ratios Kiln/FastAPI and Kiln/nginx. All servers are stopped on exit.
#
# Installs nothing. Needs the Debian packages (scripts/setup.sh --bench installs them):
#   python3-fastapi python3-uvicorn python3-pydantic python3-pandas python3-xgboost nginx wrk
#   python3-uvloop python3-httptools (uvicorn's "standard" extras, as the FastAPI docs install)
# Python is Debian's /usr/bin/python3 (PYTHON=... to change).
#
# Environment: REPS (3), DURATION (10s), CONNS (32), THREADS (2), BATCH (100),
#   FASTAPI_WORKERS ("1 <cores>"), PEERS_ONLY (0), KEEP (1 keeps the temp dir), PYTHON.
# Note: wrk runs on the same machine and competes with the server for the cores.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HERE=$ROOT/bench/serving
KILN=$(realpath "${1:-$ROOT/build/kiln}")
REPS=${REPS:-3}
DURATION=${DURATION:-10s}
CONNS=${CONNS:-32}
THREADS=${THREADS:-2}
BATCH=${BATCH:-100}
CORES=$(nproc)
FASTAPI_WORKERS=${FASTAPI_WORKERS:-$(printf '%s\n' 1 "$CORES" | sort -nu | xargs)}
PEERS_ONLY=${PEERS_ONLY:-0}
PY=${PYTHON:-/usr/bin/python3}

for tool in wrk nginx curl "$PY"; do
  command -v "$tool" >/dev/null || { echo "missing $tool (scripts/setup.sh --bench)" >&2; exit 2; }
done
"$PY" -c "import fastapi, uvicorn, pydantic, pandas, xgboost" 2>/dev/null ||
  { echo "$PY lacks fastapi/uvicorn/pydantic/pandas/xgboost (scripts/setup.sh --bench)" >&2; exit 2; }
[[ -x "$KILN" ]] || { echo "no kiln binary at $KILN" >&2; exit 2; }

WORK=$(mktemp -d /tmp/kiln-serving-bench.XXXXXX)
PIDS=()
cleanup() {
  local pid
  [[ -n "${LOAD_PID:-}" ]] && kill "$LOAD_PID" 2>/dev/null
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ "${KEEP:-0}" == 1 ]]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
# wait_post URL BODY: until the URL answers the POST with a 2xx (60 s at most)
wait_post() {
  for _ in $(seq 300); do
    curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' -d "$2" "$1" && return 0
    sleep 0.2
  done
  echo "no answer from $1" >&2
  return 1
}
ROW='{"rows": [{"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2}]}'

# --- 1. train and register iris-classifier; copy the package out for the peer -------------
echo "== training iris-classifier with $KILN" >&2
DATA=$WORK/kiln-data
cp "$ROOT/examples/iris/iris.csv" "$ROOT/examples/iris/pipeline.yaml" "$WORK/"
(cd "$WORK" && "$KILN" run pipeline.yaml --data "$DATA" --json >"$WORK/run.json" 2>"$WORK/run.log") ||
  { cat "$WORK/run.log" >&2; exit 1; }
"$KILN" models show iris-classifier --data "$DATA" --json >"$WORK/model.json"
mkdir -p "$WORK/package"
"$PY" - "$DATA" "$WORK/model.json" "$WORK/package" <<'PY'
import json, os, sys
data, shown, out = sys.argv[1:4]
model = json.load(open(shown))["model"]
champion = {a["alias"]: a["version"] for a in model["aliases"]}["champion"]
version = [v for v in model.get("versions", model["latest_versions"]) if v["version"] == champion][0]
tags = {t["key"]: t["value"] for t in version.get("tags", [])}
digest = tags.get("kiln.package") or version["source"].split("kiln-package:", 1)[1]
def blob(d):
    return open(os.path.join(data, "artifacts", "blobs", "sha256", d[:2], d), "rb").read()
manifest = blob(digest).decode().splitlines()
assert manifest[0] == "kiln-tree-v1", manifest[:1]
for line in manifest[1:]:
    path, d = line.split("\t")[:2]
    os.makedirs(os.path.dirname(os.path.join(out, path)) or out, exist_ok=True)
    open(os.path.join(out, path), "wb").write(blob(d))
print(f"package iris-classifier@champion = version {champion}, {digest[:12]}", file=sys.stderr)
PY

# --- 2. start the servers ---------------------------------------------------------------
declare -A URL  # case name -> prediction URL
if [[ "$PEERS_ONLY" != 1 ]]; then
  port=$(free_port)
  "$KILN" server --port "$port" --data "$DATA" --quiet >"$WORK/kiln-server.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 150); do curl -sf -o /dev/null "http://127.0.0.1:$port/api/v1/health" && break; sleep 0.2; done
  "$KILN" deploy iris --model iris-classifier@champion --server "http://127.0.0.1:$port" \
    >"$WORK/deploy.log" 2>&1 || { cat "$WORK/deploy.log" >&2; exit 1; }
  URL[kiln]=http://127.0.0.1:$port/serve/iris/predict
fi
for w in $FASTAPI_WORKERS; do
  port=$(free_port)
  KILN_BENCH_PACKAGE=$WORK/package "$PY" -m uvicorn fastapi_app:app --app-dir "$HERE" \
    --host 127.0.0.1 --port "$port" --workers "$w" --no-access-log --log-level warning \
    >"$WORK/uvicorn-$w.log" 2>&1 &
  PIDS+=($!)
  URL[fastapi-$w]=http://127.0.0.1:$port/predict
done
port=$(free_port)
mkdir -p "$WORK/nginx"
sed -e "s|@PORT@|$port|; s|@DIR@|$WORK/nginx|g; s|@WORKERS@|$CORES|" "$HERE/nginx.conf" >"$WORK/nginx/nginx.conf"
nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" >"$WORK/nginx/out.log" 2>&1 &
PIDS+=($!)
URL[nginx]=http://127.0.0.1:$port/predict
for name in "${!URL[@]}"; do
  wait_post "${URL[$name]}" "$ROW" || { tail -20 "$WORK"/*.log >&2; exit 1; }
done

# --- 3. each answers correctly; Kiln and FastAPI agree ----------------------------------
"$PY" - "${URL[nginx]}" "${URL[kiln]:-}" $(for w in $FASTAPI_WORKERS; do echo "${URL[fastapi-$w]}"; done) <<'PY'
import json, sys, urllib.request
nginx, kiln, fastapis = sys.argv[1], sys.argv[2], sys.argv[3:]
rows = [dict(zip(("sepal_length", "sepal_width", "petal_length", "petal_width"), r)) for r in
        [(5.1, 3.5, 1.4, 0.2), (6.7, 3.0, 5.2, 2.3), (5.9, 3.0, 4.2, 1.5), (6.3, 2.8, 5.1, 1.5),
         (4.9, 2.5, 4.5, 1.7), (6.0, 2.2, 5.0, 1.5), (5.7, 3.8, 1.7, 0.3), (7.7, 2.6, 6.9, 2.3)]]
def post(url, body):
    request = urllib.request.Request(url, json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200, (url, response.status)
        assert response.headers.get_content_type() == "application/json", url
        return json.loads(response.read())
def normalize(answer):
    """[(label, {class: probability})] from {"predictions": [...]} whichever way a row is
    spelled: {"label"|"predicted"|"class"|"prediction": ..., "probabilities": {c: p} or [p]},
    or plain labels with a parallel top-level "probabilities" list (lists need "classes")."""
    classes = answer.get("classes", [])
    def probs_of(p):
        return dict(zip(classes, p)) if isinstance(p, list) else p
    out = []
    for i, p in enumerate(answer["predictions"]):
        if isinstance(p, dict):
            label = next(p[k] for k in ("label", "predicted", "class", "prediction") if k in p)
            probs = p.get("probabilities", p.get("probability", {}))
        else:
            label, probs = p, answer.get("probabilities", [{}] * (i + 1))[i]
        out.append((label, probs_of(probs)))
    return out
assert normalize(post(nginx, {"rows": rows[:1]}))[0][0] == "setosa"
reference = normalize(post(fastapis[0], {"rows": rows}))
assert [label for label, _ in reference[:3]] == ["setosa", "virginica", "versicolor"], reference
for url in fastapis[1:] + ([kiln] if kiln else []):
    theirs = normalize(post(url, {"rows": rows}))
    assert len(theirs) == len(rows), (url, theirs)
    for i, ((l1, p1), (l2, p2)) in enumerate(zip(reference, theirs)):
        assert l1 == l2, (url, i, l1, l2)
        assert set(p1) == set(p2) and all(abs(p1[c] - p2[c]) <= 1e-6 for c in p1), (url, i, p1, p2)
    one = normalize(post(url, {"rows": rows[:1]}))
    assert one[0][0] == "setosa", (url, one)
print(f"checked: nginx answers, {'Kiln and ' if kiln else ''}FastAPI agree on {len(rows)} rows "
      "(labels, probabilities within 1e-6)", file=sys.stderr)
PY

# --- 4. wrk, REPS rounds, cases interleaved ----------------------------------------------
cases=(nginx)
[[ -n "${URL[kiln]:-}" ]] && cases+=(kiln kiln:batch)
for w in $FASTAPI_WORKERS; do cases+=("fastapi-$w" "fastapi-$w:batch"); done
echo "machine: $CORES cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs);" \
  "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "wrk -t$THREADS -c$CONNS -d$DURATION --latency, $REPS reps (medians), batch = $BATCH rows;" \
  "uvicorn workers: $FASTAPI_WORKERS; nginx workers: $CORES"
: >"$WORK/results.tsv"
for rep in $(seq "$REPS"); do
  for c in "${cases[@]}"; do
    name=${c%:batch}
    rows=1
    [[ "$c" == *:batch ]] && rows=$BATCH
    # in the background + wait, so that Ctrl-C / SIGTERM stop the run at once
    WRK_ROWS=$rows wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -s "$HERE/post.lua" \
      "${URL[$name]}" >"$WORK/wrk.out" 2>&1 &
    LOAD_PID=$!
    wait "$LOAD_PID" || { cat "$WORK/wrk.out" >&2; exit 1; }
    LOAD_PID=
    # case rows req/s p50_ms p99_ms non2xx errors
    awk -v c="$c" -v rows="$rows" '
      function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0;
                       if (v ~ /s$/) return v * 1000; return v + 0 }
      /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) }
      /^Requests\/sec:/ { rps = $2 }
      /Non-2xx or 3xx responses:/ { bad = $NF }
      /Socket errors:/ { gsub(",", ""); err = $4 + $6 + $8 + $10 }
      END { printf "%s\t%d\t%s\t%.3f\t%.3f\t%d\t%d\n", c, rows, rps, p50, p99, bad, err }' \
      "$WORK/wrk.out" >>"$WORK/results.tsv"
    tail -1 "$WORK/results.tsv" | awk -F'\t' -v rep="$rep" \
      '{ printf "  rep %d %-18s %10.0f req/s  p50 %8.3f ms  p99 %8.3f ms%s\n", rep, $1, $3, $4, $5,
         ($6 || $7) ? "  non-2xx " $6 " socket errors " $7 : "" }' >&2
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

# --- 5. medians and ratios ----------------------------------------------------------------
"$PY" - "$WORK/results.tsv" "$FASTAPI_WORKERS" <<'PY'
import statistics, sys
results, workers = sys.argv[1], sys.argv[2].split()
by = {}
for line in open(results):
    case, rows, rps, p50, p99, bad, err = line.rstrip("\n").split("\t")
    by.setdefault(case, []).append((int(rows), float(rps), float(p50), float(p99), int(bad), int(err)))
med = {c: {"rows": v[0][0], "rps": statistics.median(x[1] for x in v),
           "p50": statistics.median(x[2] for x in v), "p99": statistics.median(x[3] for x in v),
           "bad": sum(x[4] for x in v), "err": sum(x[5] for x in v)} for c, v in by.items()}
print(f"{'case':<20}{'rows/req':>9}{'req/s':>11}{'rows/s':>12}{'p50 ms':>9}{'p99 ms':>9}  errors")
for c, m in med.items():
    note = f"non-2xx {m['bad']}, socket {m['err']}" if m["bad"] or m["err"] else "-"
    print(f"{c:<20}{m['rows']:>9}{m['rps']:>11.0f}{m['rps'] * m['rows']:>12.0f}"
          f"{m['p50']:>9.2f}{m['p99']:>9.2f}  {note}")
if "kiln" in med:
    k = med["kiln"]
    print(f"Kiln/nginx single-row throughput: {k['rps'] / med['nginx']['rps']:.2f}x (target >= 0.6x)")
    for w in workers:
        f = f"fastapi-{w}"
        print(f"Kiln/FastAPI ({w} uvicorn worker{'s' if w != '1' else ''}) single-row: "
              f"{k['rps'] / med[f]['rps']:.1f}x, batched rows/s: "
              f"{med['kiln:batch']['rps'] / med[f + ':batch']['rps']:.1f}x (target >= 25x)")
    print(f"Kiln p99 at single-row load: {k['p99']:.2f} ms (target < 5 ms)")
if any(m["bad"] or m["err"] for m in med.values()):
    print("WARNING: some requests failed (see errors column)")
PY
