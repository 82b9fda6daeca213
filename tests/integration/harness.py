"""Integration-test harness: start the real `reviewgym serve` on 127.0.0.1 (port 0,
read back from --port-file), speak HTTP with http.client and WebSocket with the
`websockets` library (Debian's python3-websockets), and play episodes the way
OpenEnv's GenericEnvClient does (protocol notes §7.2): reset(**kw) sends
{"type":"reset","data":kw}, step(action) sends the action dict (with metadata {}),
state() sends {"type":"state"}, and an "error" reply raises RuntimeError.
"""
import asyncio
import http.client
import json
import os
import signal
import subprocess
import tempfile
import time
import unittest

import websockets

BIN = os.environ.get("REVIEWGYM_BIN", "build/reviewgym")
TASKS = os.environ.get("REVIEWGYM_TASKS", "tasks")


class Server:
    def __init__(self, *args, env=None):
        self.dir = tempfile.mkdtemp(prefix="rg-it-")
        port_file = os.path.join(self.dir, "port")
        self.log_path = os.path.join(self.dir, "server.log")
        self.log = open(self.log_path, "wb")
        e = dict(os.environ)
        e.update(env or {})
        self.proc = subprocess.Popen(
            [BIN, "serve", "--host", "127.0.0.1", "--port", "0", "--tasks", TASKS,
             "--port-file", port_file,
             *([] if "--store" in args or "--no-store" in args
               else ["--store", os.path.join(self.dir, "store.db")]),
             *args],
            stdout=self.log, stderr=subprocess.STDOUT, env=e)
        deadline = time.time() + 10
        while time.time() < deadline:
            if os.path.exists(port_file) and open(port_file).read().strip():
                self.port = int(open(port_file).read())
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.02)
        raise RuntimeError("server did not start: " + self.logs())

    def logs(self):
        if not self.log.closed:
            self.log.flush()
        return open(self.log_path, errors="replace").read()

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.port

    def stop(self):
        """SIGTERM and wait; returns the exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        return self.proc.returncode

    def stop_clean(self):
        """Stop and require exit code 0: sanitizer and leak reports fail the test."""
        code = self.stop()
        if code != 0:
            raise AssertionError("server exited with %s:\n%s" % (code, self.logs()[-4000:]))

    def http(self, method, path, body=None, raw=None, headers=None):
        """Returns (status, headers dict lower-cased, parsed JSON or text)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        h = dict(headers or {})
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
            h.setdefault("Content-Type", "application/json")
        conn.request(method, path, body=data, headers=h)
        resp = conn.getresponse()
        text = resp.read().decode()
        hdrs = {k.lower(): v for k, v in resp.getheaders()}
        conn.close()
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = text
        return resp.status, hdrs, parsed

    def ws(self, **kw):
        return WS("ws://127.0.0.1:%d/ws" % self.port, **kw)


class ServerTest(unittest.TestCase):
    """Test cases sharing one default server, which must exit cleanly (code 0:
    sanitizer and leak reports fail the class)."""

    @classmethod
    def setUpClass(cls):
        cls.s = Server()

    @classmethod
    def tearDownClass(cls):
        cls.s.stop_clean()


class WS:
    """A synchronous wrapper over one websockets connection."""

    def __init__(self, url, **kw):
        self.loop = asyncio.new_event_loop()
        kw.setdefault("max_size", 100 * 1024 * 1024)

        async def connect():  # websockets 10 binds to the loop running at connect time
            return await websockets.connect(url, **kw)
        self.conn = self.loop.run_until_complete(connect())

    def run(self, coro, timeout=10):
        return self.loop.run_until_complete(asyncio.wait_for(coro, timeout))

    def send(self, msg):
        self.run(self.conn.send(msg if isinstance(msg, (str, bytes)) else json.dumps(msg)))

    def recv(self, timeout=10):
        return json.loads(self.run(self.conn.recv(), timeout))

    def request(self, msg):
        self.send(msg)
        return self.recv()

    def ping_seconds(self):
        t = time.perf_counter()
        pong = self.run(self.conn.ping())
        self.run(pong)
        return time.perf_counter() - t

    def wait_closed(self, timeout=10):
        try:
            self.run(self.conn.recv(), timeout)
        except websockets.ConnectionClosed:
            pass
        return self.conn.close_code

    def close(self):
        self.run(self.conn.close())
        self.loop.close()


class StepResult:
    def __init__(self, observation, reward, done):
        self.observation, self.reward, self.done = observation, reward, done


class GenericClient:
    """The framing and result-building of OpenEnv's GenericEnvClient (§7.2)."""

    def __init__(self, server):
        self.ws = server.ws()

    def _result(self, reply):
        if reply.get("type") == "error":
            d = reply["data"]
            raise RuntimeError("Server error: %s (code: %s)" % (d.get("message"), d.get("code")))
        data = reply["data"]
        return StepResult(data.get("observation", {}), data.get("reward"), data.get("done", False))

    def reset(self, **kw):
        return self._result(self.ws.request({"type": "reset", "data": kw}))

    def step(self, action):
        action = dict(action)
        action.setdefault("metadata", {})
        return self._result(self.ws.request({"type": "step", "data": action}))

    def state(self):
        reply = self.ws.request({"type": "state"})
        if reply.get("type") == "error":
            raise RuntimeError(reply["data"]["message"])
        return reply["data"]

    def close(self):
        try:
            self.ws.send({"type": "close"})
            self.ws.wait_closed(5)
        finally:
            self.ws.loop.close()


def load_task(task_id):
    for root, _dirs, files in os.walk(TASKS):
        if os.path.basename(root) == task_id and "task.json" in files:
            with open(os.path.join(root, "task.json")) as f:
                return json.load(f)
    raise KeyError(task_id)


def oracle_action(task_id):
    """The ground-truth review of a task, read from the bank on disk."""
    t = load_task(task_id)
    findings = []
    for issue in t["issues"]:
        line = issue["lines"][0] if "lines" in issue else issue["line"]
        findings.append({"line_number": line, "issue_type": issue["type"],
                         "description": issue["explanation"], "suggested_fix": issue["fix"]})
    return {"findings": findings, "review_summary": "reference review"}


OBS_REQUIRED = ["task_id", "task_description", "difficulty", "code_to_review", "language",
                "num_known_issues", "feedback", "issues_found_so_far", "attempt",
                "max_attempts", "task_index", "num_tasks", "reward_breakdown", "warnings"]


def check_schema(tc, value, schema, path="$"):
    """A small JSON Schema check for what our /schema uses: type, enum, const,
    required, properties with additionalProperties false, items, anyOf,
    minimum. Fails the test case tc with the path of the first mismatch."""
    if "anyOf" in schema:
        errors = []
        for alt in schema["anyOf"]:
            try:
                check_schema(tc, value, alt, path)
                return
            except AssertionError as e:
                errors.append(str(e))
        tc.fail("%s: matches no alternative: %s" % (path, errors))
    types = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}
    t = schema.get("type")
    if t == "integer":
        tc.assertTrue(isinstance(value, int) and not isinstance(value, bool), "%s: not an integer" % path)
    elif t == "number":
        tc.assertTrue(isinstance(value, (int, float)) and not isinstance(value, bool), "%s: not a number" % path)
    elif t in types:
        tc.assertIsInstance(value, types[t], path)
    if "enum" in schema:
        tc.assertIn(value, schema["enum"], path)
    if "const" in schema:
        tc.assertEqual(value, schema["const"], path)
    if "minimum" in schema:
        tc.assertGreaterEqual(value, schema["minimum"], path)
    if isinstance(value, dict) and "properties" in schema:
        for k in schema.get("required", []):
            tc.assertIn(k, value, "%s: missing required %s" % (path, k))
        for k, v in value.items():
            if k in schema["properties"]:
                check_schema(tc, v, schema["properties"][k], "%s.%s" % (path, k))
            else:
                tc.assertNotEqual(schema.get("additionalProperties", True), False,
                                  "%s: field %s is not in the schema" % (path, k))
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            check_schema(tc, item, schema["items"], "%s[%d]" % (path, i))


def wait_until(pred, timeout=3.0):
    """Poll pred every 50 ms until it returns something true or timeout passes;
    returns its last value (for things the server does shortly after replying, such
    as the store's commit)."""
    deadline = time.time() + timeout
    while True:
        v = pred()
        if v or time.time() > deadline:
            return v
        time.sleep(0.05)
