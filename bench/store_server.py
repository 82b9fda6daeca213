"""What recording costs the real server: the event loop's CPU time per WebSocket
step with --no-store and with --store, read from /proc for the loop thread (the
main thread) and for the store's writer thread, while K connections play N steps
each (the ws_steps.py load: reset every 9 steps, a 3-finding action). Servers
with and without the store alternate, ROUNDS pairs; the median of the pairs'
costs is printed (this machine's speed drifts by tens of per cent between
seconds; a pair run back to back shares most of the drift).

CPU time per step, not steps/s: the Python client shares this machine's cores,
so wall-clock throughput measures the client; the loop's CPU time per step is
what bounds a loop-bound server (one core serves 1e6 / us_per_step steps/s).
Usage: store_server.py BINARY TASKS [K] [N] [ROUNDS]."""
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import websockets

from ws_steps import ACTION  # the same 3-finding action

BIN, TASKS = sys.argv[1], sys.argv[2]
K = int(sys.argv[3]) if len(sys.argv) > 3 else 16
N = int(sys.argv[4]) if len(sys.argv) > 4 else 500
ROUNDS = int(sys.argv[5]) if len(sys.argv) > 5 else 9
RESET = json.dumps({"type": "reset", "data": {"max_attempts": 10}})


def cpu_s(pid, tid):
    """CPU time of one thread, in seconds: schedstat's nanoseconds on a CPU, not
    stat's utime + stime, which are sampled at the clock tick (100 Hz: a few
    seconds of CPU would carry several per cent of sampling noise)."""
    with open("/proc/%d/task/%d/schedstat" % (pid, tid)) as f:
        return int(f.read().split()[0]) / 1e9


def threads(pid):
    return [int(t) for t in os.listdir("/proc/%d/task" % pid)]


async def one(url):
    async with websockets.connect(url, max_size=None) as ws:
        for i in range(N):
            if i % 9 == 0:
                await ws.send(RESET)
                await ws.recv()
            await ws.send(ACTION)
            await ws.recv()


async def load(url):
    await asyncio.gather(*(one(url) for _ in range(K)))


def measure(store, tmp):
    port_file = os.path.join(tmp, "port")
    if os.path.exists(port_file):
        os.unlink(port_file)
    db = os.path.join(tmp, "store.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.unlink(db + suffix)
    args = [BIN, "serve", "--host", "127.0.0.1", "--port", "0", "--port-file", port_file,
            "--tasks", TASKS, "--log-level", "warn"] + (["--store", db] if store else ["--no-store"])
    srv = subprocess.Popen(args)
    try:
        for _ in range(200):
            if os.path.exists(port_file) and open(port_file).read().strip():
                break
            time.sleep(0.02)
        url = "ws://127.0.0.1:%s/ws" % open(port_file).read().strip()
        asyncio.run(load(url))  # warm-up: page in, grow the heap, create the file
        others = [t for t in threads(srv.pid) if t != srv.pid]
        loop0 = cpu_s(srv.pid, srv.pid)
        rest0 = sum(cpu_s(srv.pid, t) for t in others)
        asyncio.run(load(url))
        time.sleep(0.5)  # the writer finishes the last batch
        loop1 = cpu_s(srv.pid, srv.pid)
        rest1 = sum(cpu_s(srv.pid, t) for t in others)
    finally:
        srv.terminate()
        srv.wait()
    steps = K * N
    return (loop1 - loop0) / steps * 1e6, (rest1 - rest0) / steps * 1e6


def main():
    off, on, writer, cost = [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(ROUNDS):
            off.append(measure(False, tmp)[0])
            loop, rest = measure(True, tmp)
            on.append(loop)
            writer.append(rest)
            cost.append((loop - off[-1]) / loop * 100.0)
    # the median of each adjacent pair's cost: a pair shares the machine's mood
    print("server: loop CPU per WebSocket step %.1f us without store, %.1f us with store: "
          "recording costs %.1f%% of loop throughput (median of %d pairs, %d x %d steps each)"
          % (statistics.median(off), statistics.median(on), statistics.median(cost), ROUNDS, K, N))
    print("server: the store's writer thread used %.1f us of CPU per step on another core"
          % statistics.median(writer))
    print("server: pairs (us per step without / with store): %s"
          % " ".join("%.0f/%.0f" % p for p in zip(off, on)))


main()
