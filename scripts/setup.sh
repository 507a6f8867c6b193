#!/usr/bin/env bash
# Installs the Debian packages Kiln needs to build, test and benchmark. Idempotent; run as root.
# usage: scripts/setup.sh [--test] [--bench]   (--test: test peers (MLflow's client into
#                                                build/peers/mlflow) and the browsers for UI tests;
#                                                --bench: serving bench peers)
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config clang-format clang
  libboost-dev libboost-system-dev nlohmann-json3-dev libcli11-dev libspdlog-dev libfmt-dev
  libsqlite3-dev libssl-dev libyaml-cpp-dev libxgboost-dev libeigen3-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 curl
)
# The peers some integration tests compare with (scikit-learn's metrics, python3-xgboost).
if [[ " $* " == *" --test "* ]]; then
  packages+=(python3-xgboost python3-sklearn chromium firefox-esr fonts-dejavu-core)
fi
# The peers of the serving benchmark (bench/run_serving_bench.sh): FastAPI + uvicorn (with its
# "standard" extras uvloop and httptools) serving XGBoost through pandas, nginx, and wrk.
if [[ " $* " == *" --bench "* ]]; then
  packages+=(python3-fastapi python3-uvicorn python3-uvloop python3-httptools python3-pydantic
             python3-pandas python3-xgboost nginx wrk)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# The web UI builds with Node.js >= 20.19 (Vite 8) and npm; Debian's own nodejs is older, so a
# machine without a new enough one is told so rather than given a broken build.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "setup: installing nodejs npm"
  apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
node -e 'const [a, b] = process.versions.node.split(".").map(Number);
  if (a < 20 || (a === 20 && b < 19)) { console.error(`setup: Node.js ${process.versions.node}
  is too old for the web UI (needs >= 20.19)`); process.exit(1); }'
# The real MLflow 2.12.2 client (tests/integration/test_mlflow_client.py) from ../shared beside
# the clone, into build/peers/mlflow where the test finds it; without it that test fails in CI.
if [[ " $* " == *" --test "* ]]; then
  repo=$(cd "$(dirname "$0")/.." && pwd)
  peer_setup=$repo/../shared/peers/mlflow/setup.sh
  if [[ -f $peer_setup ]]; then
    bash "$peer_setup" "$repo/build/peers/mlflow" ||
      echo "setup: the MLflow peer failed to set up; test_mlflow_client will fail" >&2
  else
    echo "setup: no $peer_setup; test_mlflow_client will fail" >&2
  fi
fi
echo "setup: all build dependencies present"
