#!/bin/sh
# Browser tests: install the pinned playwright-core (npm ci, from the committed
# lockfile) once, then drive Debian's chromium headless against a real server.
#   scripts/run-browser.sh BIN
set -eu
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd tests/browser
[ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund --loglevel=error
cd ../..
mkdir -p build/artifacts/browser
REVIEWGYM_BIN="$BIN" REVIEWGYM_TASKS="$(pwd)/tasks" exec node tests/browser/run.mjs
