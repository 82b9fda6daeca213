#!/bin/sh
# make bench: grading cost (C), what recording costs the loop (C and a real server),
# and WebSocket step throughput (real server, loopback, recording on).
set -eu
BUILD=build/release
cc -std=c11 -D_POSIX_C_SOURCE=200809L -O2 -Isrc -o $BUILD/bench_grade bench/bench_grade.c \
	$(ls $BUILD/src/*/*.o | grep -v /cli/main.o) $(pkg-config --libs libwebsockets jansson libgit2 libcurl sqlite3) -lm -lpthread
./$BUILD/bench_grade
cc -std=c11 -D_POSIX_C_SOURCE=200809L -O2 -Isrc -D_DEFAULT_SOURCE -o $BUILD/bench_store bench/bench_store.c \
	$(ls $BUILD/src/*/*.o | grep -v /cli/main.o) $(pkg-config --libs libwebsockets jansson libgit2 libcurl sqlite3) -lm -lpthread
./$BUILD/bench_store
dir=$(mktemp -d)
./build/reviewgym serve --host 127.0.0.1 --port 0 --port-file "$dir/port" --log-level warn \
	--store "$dir/bench.db" &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$dir"' EXIT
i=0; while [ ! -s "$dir/port" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); done
port=$(cat "$dir/port")
for k in 1 16 64; do
	/usr/bin/python3 bench/ws_steps.py "ws://127.0.0.1:$port/ws" $k 300
done
/usr/bin/python3 bench/store_server.py ./build/reviewgym tasks 16 500 9
