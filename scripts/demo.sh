#!/usr/bin/env bash
# Installs, builds and runs the main job on the embedded default: `kiln server` over
# ./kiln-data (SQLite + artifact folder); an example run logged through the MLflow API; the
# iris pipeline (examples/iris) trained and registered as iris-classifier@champion; that model
# deployed as the `iris` prediction API; then the addresses and a ready-to-paste curl.
# Ctrl-C stops the server.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Only the `kiln` binary (Release) and the web UI it serves at /: not the tests and benchmarks,
# which scripts/test.sh builds.
bash scripts/build.sh -- kiln
bash scripts/build_web.sh
port="${KILN_PORT:-8080}"
data="${KILN_DATA:-./kiln-data}"
kiln=./build/kiln
# The examples' folders may hold pipelines sent over HTTP (`kiln run ... --server` sends the
# file's folder as base_dir), besides the data folder's pipelines/.
$kiln server --host 127.0.0.1 --port "$port" --data "$data" --quiet \
  --pipeline-roots "$PWD/examples" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null' EXIT INT TERM
base="http://127.0.0.1:$port"
for _ in $(seq 50); do curl -sf "$base/api/v1/health" >/dev/null && break; sleep 0.1; done
python3 scripts/demo_client.py "$base"
$kiln run examples/iris/pipeline.yaml --server "$base"
$kiln deploy iris --model iris-classifier@champion --server "$base"
row='{"rows": [{"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2}]}'
echo
echo "A prediction from the live API:"
curl -s -X POST "$base/serve/iris/predict" -H 'Content-Type: application/json' -d "$row"
cat <<EOM


Kiln is running on the embedded default ($data: kiln.db + artifacts/).
  web UI              : $base/
  prediction API      : curl -X POST $base/serve/iris/predict -H 'Content-Type: application/json' \\
                          -d '$row'
  its OpenAPI document: $base/serve/iris/openapi.json
  KServe v2           : $base/v2/models/iris
  deployments         : $kiln deployments show iris --server $base
  MLflow tracking URI : export MLFLOW_TRACKING_URI=$base
  native API          : $base/api/v1/runs
  runs from the CLI   : $kiln runs ls --server $base
  registered models   : $kiln models show iris-classifier --server $base
Press Ctrl-C to stop.
EOM
wait $server
