#!/usr/bin/env bash
# Fails when a C++ file under src/ or bench/ is not formatted per .clang-format, or when an
# #include in src/ crosses a layer the wrong way (scripts/check_layers.py, cmake/layers.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
files=$(find src bench -name '*.cc' -o -name '*.h' 2>/dev/null)
clang-format --dry-run -Werror $files
echo "format: $(echo "$files" | wc -w) files clean"
python3 scripts/check_layers.py
