#!/bin/sh
# Install the Debian 12 packages reviewgym needs, only those missing (idempotent).
# Build: gcc make pkg-config and the -dev libraries; tests: Criterion, python3 with
# python3-websockets (the integration client), clang for the fuzzers, chromium and
# Node.js for the dashboard's browser tests, nginx for the scale-out test.
set -eu
#   sh scripts/install-deps.sh           everything: build and tests (README, CI)
#   sh scripts/install-deps.sh --build   what building the binary needs (the Dockerfile)
BUILD_PKGS="gcc make pkg-config libc6-dev libwebsockets-dev libjansson-dev libgit2-dev \
libcurl4-openssl-dev libsqlite3-dev python3"
PKGS="$BUILD_PKGS libcriterion-dev python3-websockets curl clang-14 libclang-rt-14-dev valgrind \
chromium nginx"
# Node.js runs the browser tests (Playwright); Debian's nodejs and npm unless a node is
# already installed (e.g. NodeSource's, which conflicts with Debian's npm package).
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || PKGS="$PKGS nodejs npm"
[ "${1:-}" = "--build" ] && PKGS="$BUILD_PKGS"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "install-deps: installing:$missing" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >&2
