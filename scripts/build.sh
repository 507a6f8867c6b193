#!/usr/bin/env bash
# Configures and builds Kiln into build/ (Ninja, ccache, Release -O3 unless a build type is
# given). usage: scripts/build.sh [CMAKE_ARGS...] [-- TARGETS...]
# Arguments before `--` go to cmake (a later -D wins over the defaults here); targets after it
# go to ninja (none: every target, tests and benchmarks included).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake_args=()
while (($#)) && [[ "$1" != "--" ]]; do cmake_args+=("$1"); shift; done
(($#)) && shift
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release "${cmake_args[@]}" >/dev/null
ninja -C build "$@"
