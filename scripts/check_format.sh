#!/usr/bin/env bash
# Fails when a C++ file under src/ or bench/ is not formatted per .clang-format, when an
# #include in src/ crosses a layer the wrong way (scripts/check_layers.py, cmake/layers.txt), when
# SQL outside src/store/ uses a SQLite-only construct (scripts/check_portable_sql.py), or when the
# web UI fails ESLint or Prettier.
set -euo pipefail
cd "$(dirname "$0")/.."
files=$(find src bench -name '*.cc' -o -name '*.h' 2>/dev/null)
clang-format --dry-run -Werror $files
echo "format: $(echo "$files" | wc -w) files clean"
python3 scripts/check_layers.py
python3 scripts/check_portable_sql.py
# The web UI's ESLint and Prettier checks, when its packages are installed (scripts/build_web.sh).
if [ -d web/node_modules ]; then
  (cd web && npm run --silent lint && npm run --silent format:check >/dev/null)
  echo "web: lint and format clean"
fi
