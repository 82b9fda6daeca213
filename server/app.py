"""Launcher for the reviewgym server, the entry point OpenEnv's tooling expects.

reviewgym's server is a C program (`reviewgym serve`). This module is the small
Python shell around it that `openenv validate` and `uv run server` look for
(protocol notes §8.2): `main()` parses `--host`/`--port` (environment HOST/PORT,
default 0.0.0.0:8000) and replaces this process with

    reviewgym serve --host HOST --port PORT --tasks <repo>/tasks [other options]

Any other argument is passed through to `reviewgym serve` (see `reviewgym serve
--help`: --max-envs, --idle-timeout, --port-file, ...). The binary is found in this
order: $REVIEWGYM_BIN, build/release/reviewgym then build/reviewgym under the
repository, then `reviewgym` on PATH. Build it first with `make`.

    uv run server --port 8000
    python -m server.app --port 8000
    python server/app.py --port 8000

There is no ASGI application: uvicorn is not used. `app` below only exists because
OpenEnv's template names `server.app:app` in openenv.yaml (a field no OpenEnv tool
reads); it is an ASGI callable that refuses to serve and says how to start the real
server, so `uvicorn server.app:app` fails with that message instead of half-working.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
from typing import List, Optional

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CANDIDATES = ("build/release/reviewgym", "build/reviewgym")
NOT_ASGI = ("reviewgym's server is a C program, not an ASGI app: start it with "
            "`uv run server`, `python -m server.app` or `reviewgym serve` (see server/app.py)")


def find_binary() -> str:
    """$REVIEWGYM_BIN, else the repository's build, else `reviewgym` on PATH."""
    env = os.environ.get("REVIEWGYM_BIN")
    if env:
        if not os.access(env, os.X_OK):
            raise FileNotFoundError("REVIEWGYM_BIN=%s is not an executable file" % env)
        return env
    for rel in CANDIDATES:
        path = os.path.join(REPO, rel)
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    found = shutil.which("reviewgym")
    if found:
        return found
    raise FileNotFoundError(
        "reviewgym binary not found: set REVIEWGYM_BIN, build it with `make` in %s "
        "(gives build/release/reviewgym), or put `reviewgym` on PATH" % REPO)


def default_tasks() -> Optional[str]:
    """$REVIEWGYM_TASKS, else <repo>/tasks when it exists (else the binary decides)."""
    env = os.environ.get("REVIEWGYM_TASKS")
    if env:
        return env
    path = os.path.join(REPO, "tasks")
    return path if os.path.isdir(path) else None


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("expected a port number, got %r" % text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError("port out of range: %d" % value)
    return value


def build_command(argv: Optional[List[str]] = None) -> List[str]:
    """The `reviewgym serve` command line main() runs."""
    parser = argparse.ArgumentParser(
        prog="server", description="Run the reviewgym server (a C binary) on HOST:PORT.",
        epilog="Other options are passed to `reviewgym serve` (try --serve-help).")
    parser.add_argument("--host", default=os.environ.get("HOST", "0.0.0.0"),
                        help="listen address (env HOST, default 0.0.0.0)")
    parser.add_argument("--port", type=_port, default=os.environ.get("PORT", "8000"),
                        help="port, 0 = any free port (env PORT, default 8000)")
    parser.add_argument("--tasks", default=default_tasks(),
                        help="task bank (env REVIEWGYM_TASKS, default <repo>/tasks)")
    parser.add_argument("--serve-help", action="store_true",
                        help="show `reviewgym serve --help` and exit")
    args, rest = parser.parse_known_args(argv)
    binary = find_binary()
    if args.serve_help:
        return [binary, "serve", "--help"]
    port = args.port if isinstance(args.port, int) else _port(args.port)
    cmd = [binary, "serve", "--host", args.host, "--port", str(port)]
    if args.tasks:
        cmd += ["--tasks", args.tasks]
    return cmd + rest


def main(argv: Optional[List[str]] = None) -> None:
    """Replace this process with `reviewgym serve` (signals and exit code are the server's)."""
    try:
        cmd = build_command(argv)
    except FileNotFoundError as e:
        sys.stderr.write("server: %s\n" % e)
        raise SystemExit(127)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(cmd[0], cmd)


async def app(scope, receive, send):
    """Not an ASGI server: refuses to start (lifespan) and answers 503 (see module doc)."""
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.failed", "message": NOT_ASGI})
                return
            if message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    if scope["type"] == "http":
        body = NOT_ASGI.encode()
        await send({"type": "http.response.start", "status": 503,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
    elif scope["type"] == "websocket":
        await send({"type": "websocket.close", "code": 1011})


if __name__ == "__main__":
    main()
