#!/usr/bin/env bash
# Builds the web UI (web/) into web/dist, which `kiln server` serves at /. Installs the npm
# packages pinned by web/package-lock.json (npm ci). Needs Node.js >= 20.19 (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/../web"
if [[ ! -d node_modules ]] || ! cmp -s package-lock.json node_modules/.package-lock.json.ci; then
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.package-lock.json.ci
fi
npm run --silent build >/dev/null
echo "build_web: web UI built into web/dist"
