"""WebSocket step throughput against a running server: K connections, each
reset then N steps with a realistic 3-finding action, strictly one request in
flight per connection (as OpenEnv's client does). Prints steps/s and the median
and p99 step latency. Usage: ws_steps.py URL [K] [N]. The Python client is part
of what is measured: figures are a floor for the server, not its ceiling."""
import asyncio
import json
import statistics
import sys
import time

import websockets

ACTION = json.dumps({"type": "step", "data": {"findings": [
    {"line_number": 12, "issue_type": "bug", "description": "off by one: the loop skips the last element of the list",
     "suggested_fix": "iterate over range(len(items))"},
    {"line_number": 20, "issue_type": "logic_error", "description": "divides by zero when the list is empty",
     "suggested_fix": "return 0 when the list is empty"},
    {"line_number": 31, "issue_type": "security_vulnerability", "description": "user input is formatted into the SQL query",
     "suggested_fix": "use a parameterized query"}]}})


async def one(lat):
    async with websockets.connect(URL, max_size=None) as ws:
        await ws.send(json.dumps({"type": "reset", "data": {"max_attempts": 10}}))
        await ws.recv()
        for i in range(N):
            if i and i % 9 == 0:
                await ws.send(json.dumps({"type": "reset", "data": {"max_attempts": 10}}))
                await ws.recv()
            t = time.perf_counter()
            await ws.send(ACTION)
            await ws.recv()
            lat.append(time.perf_counter() - t)


async def main():
    lat = []
    t = time.perf_counter()
    await asyncio.gather(*(one(lat) for _ in range(K)))
    dt = time.perf_counter() - t
    lat.sort()
    print("ws: %d connections x %d steps: %.0f steps/s, median %.3f ms, p99 %.3f ms"
          % (K, N, len(lat) / dt, statistics.median(lat) * 1e3, lat[int(len(lat) * 0.99)] * 1e3))

if __name__ == "__main__":
    URL = sys.argv[1] if len(sys.argv) > 1 else "ws://127.0.0.1:8000/ws"
    K = int(sys.argv[2]) if len(sys.argv) > 2 else 16
    N = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    asyncio.run(main())
