#!/usr/bin/env bash
# Clang's thread-safety analysis over every translation unit of src/ but the tests: each file of the build's
# compile_commands.json is compiled by clang++ with -fsyntax-only -Wthread-safety
# -Werror=thread-safety (and no other warning, so GCC-only flags and clang's other opinions do
# not fail it). Fails naming file and line of any access to a GUARDED_BY member without its
# mutex, any REQUIRES not met, any lock not released.
# usage: scripts/check_thread_safety.sh [BUILD_DIR]   (default build/; cmake must have run)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
db=$build/compile_commands.json
if [[ ! -f $db ]]; then
  echo "thread-safety: $db missing; configure first (cmake -S . -B $build -G Ninja)" >&2
  exit 2
fi
clangxx=${CLANGXX:-clang++}
command -v "$clangxx" >/dev/null || { echo "thread-safety: $clangxx not found" >&2; exit 2; }
jobs=${JOBS:-$(nproc)}
python3 - "$db" "$clangxx" "$jobs" "$PWD/src/" <<'PY'
import concurrent.futures, json, shlex, subprocess, sys

db, clangxx, jobs, src = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
CHECK = ["-fsyntax-only", "-Wno-everything", "-Wthread-safety", "-Werror=thread-safety"]


def clang_command(entry):
    args = entry.get("arguments") or shlex.split(entry["command"])
    # Drop the launcher (ccache) and the compiler, the output and -c; drop warnings and -Werror.
    while args and not args[0].startswith("-"):
        args = args[1:]
    out, skip = [clangxx], False
    for arg in args:
        if skip:
            skip = False
        elif arg == "-o":
            skip = True
        elif arg == "-c" or arg.startswith("-W") or arg == entry["file"]:
            continue
        else:
            out.append(arg)
    return out + CHECK + [entry["file"]]


def check(entry):
    run = subprocess.run(clang_command(entry), cwd=entry["directory"], capture_output=True,
                         text=True)
    return entry["file"], run.returncode, run.stderr


# Tests are left out: the annotated members live in the sources, and the tests hold no
# GUARDED_BY of their own (they halve the pass's time).
entries = [e for e in json.load(open(db))
           if e["file"].startswith(src) and not e["file"].endswith("_test.cc")]
failed = 0
with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
    for name, code, err in pool.map(check, entries):
        if code != 0:
            failed += 1
            sys.stderr.write(err)
if failed:
    sys.exit(f"thread-safety: {failed} of {len(entries)} files failed")
print(f"thread-safety: {len(entries)} files clean")
PY
