#!/usr/bin/env bash
# Dataset hashing (figures go to docs/benchmarks.md): `kiln data add` of one large file
# against the peers that hash the same file (coreutils sha256sum, Python's hashlib), each run
# REPS times on a file in the page cache; medians in seconds and GB/s (10^9 bytes/s).
#   fresh add: hash, upload into a new data folder (copy + fsync), record the version
#   re-add:    hash, find every blob stored, record nothing new (the hashing path alone)
# usage: bench/run_data_bench.sh [KILN_BIN]   (env SIZE_MB, default 1024; REPS, default 3)
set -euo pipefail
KILN=${1:-build/kiln}
SIZE_MB=${SIZE_MB:-1024}
REPS=${REPS:-3}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
head -c $((SIZE_MB * 1024 * 1024)) /dev/urandom > "$WORK/data.bin"
cat "$WORK/data.bin" > /dev/null  # into the page cache
BYTES=$((SIZE_MB * 1024 * 1024))

seconds() {  # seconds CMD...: wall time of one command
  local start end
  start=$(date +%s.%N)
  "$@" > /dev/null 2>&1
  end=$(date +%s.%N)
  python3 -c "print(round($end - $start, 3))"
}
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
report() {  # report LABEL TIMES...
  local label=$1; shift
  local med
  med=$(printf '%s\n' "$@" | median)
  printf '%-26s median %6.3f s  %5.2f GB/s  (%s)\n' "$label" "$med" \
    "$(python3 -c "print($BYTES / $med / 1e9)")" "$*"
}

fresh=(); readd=(); sum=(); py=()
for rep in $(seq "$REPS"); do
  fresh+=("$(seconds "$KILN" data add "$WORK/data.bin" --name bench --data "$WORK/d$rep")")
  readd+=("$(seconds "$KILN" data add "$WORK/data.bin" --name bench --data "$WORK/d$rep")")
  sum+=("$(seconds sha256sum "$WORK/data.bin")")
  py+=("$(seconds python3 -c "import hashlib,sys; h=hashlib.sha256(); f=open(sys.argv[1],'rb')
while (b := f.read(1 << 20)): h.update(b)
print(h.hexdigest())" "$WORK/data.bin")")
  rm -rf "$WORK/d$rep"
done
echo "file: $SIZE_MB MiB, $REPS runs each"
report "kiln data add (fresh)" "${fresh[@]}"
report "kiln data add (re-add)" "${readd[@]}"
report "sha256sum" "${sum[@]}"
report "python3 hashlib" "${py[@]}"
