#!/bin/sh
# Install the Debian 12 packages reviewgym needs, only those missing (idempotent).
# Build: gcc make pkg-config and the -dev libraries; tests: Criterion, python3 with
# python3-websockets (the integration client), clang for the fuzzers.
set -eu
PKGS="gcc make pkg-config libc6-dev libwebsockets-dev libjansson-dev libgit2-dev \
libcriterion-dev libcurl4-openssl-dev libsqlite3-dev python3 python3-websockets curl clang-14 libclang-rt-14-dev valgrind"
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
