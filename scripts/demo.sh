#!/usr/bin/env bash
# Installs, builds and runs the main job on the embedded default: `kiln server` over
# ./kiln-data (SQLite + artifact folder), with an example run logged and registered through
# the MLflow API, then prints the addresses. Ctrl-C stops the server.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
port="${KILN_PORT:-8080}"
data="${KILN_DATA:-./kiln-data}"
./build/kiln server --host 127.0.0.1 --port "$port" --data "$data" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null' EXIT INT TERM
base="http://127.0.0.1:$port"
for _ in $(seq 50); do curl -sf "$base/api/v1/health" >/dev/null && break; sleep 0.1; done
python3 scripts/demo_client.py "$base"
cat <<EOM

Kiln is running on the embedded default ($data: kiln.db + artifacts/).
  MLflow tracking URI : export MLFLOW_TRACKING_URI=$base
  native API          : $base/api/v1/runs
  runs from the CLI   : ./build/kiln runs ls --server $base
  registered models   : ./build/kiln models show iris-demo --server $base
Press Ctrl-C to stop.
EOM
wait $server
