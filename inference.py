#!/usr/bin/env python3
"""inference.py - the OpenEnv hackathon's baseline entry point for reviewgym.

Runs the `llm` policy of the C runner (`reviewgym run`) against a reviewgym
server and passes its stdout through unchanged, so the standard lines

    [START] task=<task> env=<benchmark> model=<model>
    [STEP] step=<n> action=<...> reward=<0.00> done=<true|false> error=<msg|null>
    [END] success=<true|false> steps=<n> score=<0.000> rewards=<r1,r2,...>

reach the evaluation tooling exactly as the runner prints them (one block per task).

Environment (protocol §10.1):
  API_BASE_URL   LLM endpoint (default https://router.huggingface.co/v1)
  MODEL_NAME     model id (default Qwen/Qwen2.5-72B-Instruct)
  HF_TOKEN       API key (API_KEY is accepted as a fallback); never printed
  ENV_URL        a running reviewgym server (default: start one locally from
                 build/reviewgym on a free loopback port, building it if needed)
  REVIEWGYM_FAMILIES   families to play, comma-separated (default code_review,pr_review)
  REVIEWGYM_EPISODES   episodes per family (default 1 for code_review = 3 tasks,
                       3 for pr_review)
  REVIEWGYM_SEED       base seed (default 0), so runs are comparable

Standard library only. Exit code: the runner's (0 when every episode ran to its end).
"""
import os
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.path.join(HERE, "build", "reviewgym")
BENCHMARK = "reviewgym"


def ensure_binary():
    if not os.access(BIN, os.X_OK):
        print("inference.py: building reviewgym (make)", file=sys.stderr)
        subprocess.run(["make", "-s", "-C", HERE, "all"], check=True, stdout=sys.stderr)


def start_local_server():
    """Start `reviewgym serve` on a free loopback port; returns (process, url)."""
    tmp = tempfile.mkdtemp(prefix="reviewgym-")
    port_file = os.path.join(tmp, "port")
    proc = subprocess.Popen(
        # a throwaway server records nothing (no reviewgym.db left in the cwd)
        [BIN, "serve", "--host", "127.0.0.1", "--port", "0", "--port-file", port_file, "--no-store",
         "--tasks", os.path.join(HERE, "tasks"), "--log-level", "warn"],
        stdout=subprocess.DEVNULL, stderr=sys.stderr)
    deadline = time.time() + 30
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit("inference.py: the server exited with %s" % proc.returncode)
        try:
            with open(port_file) as f:
                port = int(f.read().strip() or 0)
            if port:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    return proc, "http://127.0.0.1:%d" % port
        except (OSError, ValueError):
            pass
        time.sleep(0.05)
    proc.kill()
    raise SystemExit("inference.py: the server did not start within 30 s")


def main():
    ensure_binary()
    server = None
    url = os.environ.get("ENV_URL")
    if not url:
        server, url = start_local_server()
    families = [f.strip() for f in
                os.environ.get("REVIEWGYM_FAMILIES", "code_review,pr_review").split(",") if f.strip()]
    seed = os.environ.get("REVIEWGYM_SEED", "0")
    rc = 0
    try:
        for family in families:
            default_episodes = "1" if family == "code_review" else "3"
            cmd = [BIN, "run", "--url", url, "--policy", "llm", "--family", family,
                   "--episodes", os.environ.get("REVIEWGYM_EPISODES", default_episodes),
                   "--seed", seed, "--benchmark", BENCHMARK, "--quiet"]
            # stdout passes straight through: the [START]/[STEP]/[END] lines are the runner's.
            sys.stdout.flush()
            r = subprocess.run(cmd, stdout=sys.stdout, stderr=sys.stderr)
            rc = rc or r.returncode
    finally:
        if server:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
    return rc


if __name__ == "__main__":
    sys.exit(main())
