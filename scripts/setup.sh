#!/usr/bin/env bash
# Installs the Debian packages Kiln needs to build, test and benchmark. Idempotent; run as root.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config clang-format
  libboost-dev libboost-system-dev nlohmann-json3-dev libcli11-dev libspdlog-dev libfmt-dev
  libsqlite3-dev libssl-dev libyaml-cpp-dev libxgboost-dev libeigen3-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 curl
)
# The peers some integration tests compare with (scikit-learn's metrics, python3-xgboost).
if [[ "${1:-}" == "--test" ]]; then
  packages+=(python3-xgboost python3-sklearn)
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
echo "setup: all build dependencies present"
