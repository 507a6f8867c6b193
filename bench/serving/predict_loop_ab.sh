#!/usr/bin/env bash
# Compares two builds' prediction route in-process (predict_loop.cc): compiles the loop against
# each source tree's headers and build folder's libraries, then runs them alternately and
# prints each one's median over rounds of its fastest-repeat ns/request, and the ratio new/old.
#   bench/serving/predict_loop_ab.sh OLD_SRC OLD_BUILD NEW_SRC NEW_BUILD PACKAGE_DIR
# PACKAGE_DIR is a model package folder (e.g. the iris one run_serving_bench.sh copies out
# with KEEP=1). Environment: ROUNDS (7), ITERATIONS (20000), REPEATS (5).
set -euo pipefail
[[ $# -eq 5 ]] || { echo "usage: $0 OLD_SRC OLD_BUILD NEW_SRC NEW_BUILD PACKAGE_DIR" >&2; exit 2; }
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROUNDS=${ROUNDS:-7}
ITERATIONS=${ITERATIONS:-20000}
REPEATS=${REPEATS:-5}
WORK=$(mktemp -d /tmp/kiln-predict-loop.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
LIBS="libkiln_cli.a libkiln_api.a libkiln_exec.a libkiln_tracking.a libkiln_pipeline.a
  libkiln_datasets.a libkiln_serving.a libkiln_ml.a libkiln_registry.a libkiln_meta.a
  libkiln_store.a libkiln_artifacts.a libkiln_http.a libkiln_config.a libkiln_common.a"
build() {  # SRC BUILD OUT
  local libs=()
  for lib in $LIBS; do libs+=("$2/$lib"); done
  c++ -O2 -g -DNDEBUG -std=gnu++20 -DBOOST_ALL_NO_LIB -DBOOST_BEAST_USE_STD_STRING_VIEW \
    -DBOOST_SYSTEM_DYN_LINK -DFMT_SHARED -DSPDLOG_COMPILED_LIB -DSPDLOG_FMT_EXTERNAL \
    -DSPDLOG_SHARED_LIB -I"$1/src" -isystem /usr/include/eigen3 "$HERE/predict_loop.cc" \
    -o "$3" "${libs[@]}" -lxgboost -lsqlite3 -lboost_system -lcrypto -lspdlog -lfmt -lyaml-cpp
}
build "$1" "$2" "$WORK/old" &
build "$3" "$4" "$WORK/new"
wait
: >"$WORK/results"
for round in $(seq "$ROUNDS"); do
  for side in old new; do
    rm -rf "$WORK/log"
    echo "$side $("$WORK/$side" "$5" "$WORK/log" "$ITERATIONS" "$REPEATS")" | tee -a "$WORK/results" >&2
  done
done
python3 - "$WORK/results" <<'PY'
import statistics, sys
by = {}
for line in open(sys.argv[1]):
    side, ns = line.split()
    by.setdefault(side, []).append(float(ns))
old, new = statistics.median(by["old"]), statistics.median(by["new"])
print(f"old {old:.0f} ns/request, new {new:.0f} ns/request (medians of {len(by['old'])} rounds); "
      f"new/old {new / old:.3f}")
PY
