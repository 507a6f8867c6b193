#!/usr/bin/env bash
# The fully cached re-run of the 1,000-step no-op DAG on a large store that does not grow while
# it is measured: every timed re-run gets its own copy of a filled data folder (figures go to
# docs/benchmarks.md, issue 14 item 13).
#
# DATA is a folder filled by bench/run_cached_rerun_bench.sh (KEEP=1) or the same way; it is
# never changed. Each binary first gets its own master copy, migrated by opening it (`kiln
# experiments ls`), so that a schema migration is not timed. Then, alternating A and B, REPS
# re-runs each on a fresh copy of that master: wall and CPU time (user + sys). With strace
# installed, one more re-run each counts pread64/pwrite64 (page I/O; independent of the load).
#
# usage: bench/run_cached_rerun_copies.sh KILN_A KILN_B DATA
#        env REPS (default 5); the copies go to a temporary folder under TMPDIR (about three
#        times DATA's size at once).
set -euo pipefail
A=$(realpath "$1")
B=$(realpath "$2")
DATA=$(realpath "$3")
REPS=${REPS:-5}
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
python3 "$HERE/make_noop_dag.py" 1000 10 > "$WORK/dag1000.yaml"

for side in a b; do
  kiln=$A
  [ "$side" = b ] && kiln=$B
  cp -a "$DATA" "$WORK/master-$side"
  "$kiln" experiments ls --data "$WORK/master-$side" > /dev/null
done

rerun() {  # rerun SIDE KILN [PREFIX...]: one re-run on a fresh copy of SIDE's master
  local side=$1 kiln=$2
  shift 2
  rm -rf "$WORK/copy"
  cp -a "$WORK/master-$side" "$WORK/copy"
  "$@" "$kiln" run "$WORK/dag1000.yaml" --data "$WORK/copy" --json > /dev/null 2>&1
}

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

: > "$WORK/times"
for _ in $(seq "$REPS"); do
  for side in a b; do
    kiln=$A
    [ "$side" = b ] && kiln=$B
    rerun "$side" "$kiln" /usr/bin/time -f "%e %U %S" -o "$WORK/time"
    awk -v s="$side" -v l="$(cut -d' ' -f1 /proc/loadavg)" \
      '{printf "%s %.2f %.2f %s\n", s, $1, $2 + $3, l}' "$WORK/time" | tee -a "$WORK/times"
  done
done
for side in a b; do
  echo "$side: wall median $(awk -v s="$side" '$1 == s {print $2}' "$WORK/times" | median) s," \
    "CPU median $(awk -v s="$side" '$1 == s {print $3}' "$WORK/times" | median) s"
done

if command -v strace > /dev/null; then
  for side in a b; do
    kiln=$A
    [ "$side" = b ] && kiln=$B
    rerun "$side" "$kiln" strace -f -c -e pread64,pwrite64 -o "$WORK/strace"
    echo "$side: $(awk '/pread64|pwrite64/ {print $NF, $4}' "$WORK/strace" | tr '\n' ' ')"
  done
fi
