#!/usr/bin/env bash
# Installs what is needed, builds, and runs every test: unit tests (GoogleTest) and the
# integration suites that drive a real `kiln server` over HTTP, and the web UI's end-to-end
# tests in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
bash scripts/check_format.sh
bash scripts/build.sh
bash scripts/build_web.sh
cd build
ctest --output-on-failure -j2 --timeout 600
