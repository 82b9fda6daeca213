#!/bin/sh
# Integration tests: start the real server binary on loopback (the tests do it)
# and speak HTTP and WebSocket to it. Uses Debian's python3 (python3-websockets).
#   scripts/run-integration.sh BIN
set -eu
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
REVIEWGYM_BIN="$BIN" REVIEWGYM_TASKS="$(pwd)/tasks" exec "$PY" tests/integration/run.py
