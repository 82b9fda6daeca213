"""server/app.py, the launcher OpenEnv's tooling calls (`uv run server`): main() runs
the C binary, which then answers /health; the command line it builds honours
--host/--port, HOST/PORT, REVIEWGYM_BIN and passes other options through; `app`
refuses to serve under an ASGI server. Standard library only."""
import asyncio
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import unittest
from unittest import mock

import os as _os
import sys as _sys
_sys.path.insert(0, _os.path.dirname(_os.path.abspath(__file__)))
from shell_common import REPO

sys.path.insert(0, REPO)
from server import app as launcher  # noqa: E402

BIN = os.environ["REVIEWGYM_BIN"]
TASKS = os.environ["REVIEWGYM_TASKS"]


def get(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.request("GET", path)
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp.status, json.loads(body)


class LauncherProcessTest(unittest.TestCase):
    def start(self, args, env_extra=None, how="script"):
        tmp = tempfile.mkdtemp(prefix="rg-app-")
        port_file = os.path.join(tmp, "port")
        env = dict(os.environ, **(env_extra or {}))
        cmd = ([sys.executable, os.path.join(REPO, "server", "app.py")] if how == "script"
               else [sys.executable, "-m", "server.app"])
        log = open(os.path.join(tmp, "log"), "wb")
        proc = subprocess.Popen(cmd + args + ["--port-file", port_file, "--no-store"],
                                cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
        self.addCleanup(log.close)
        deadline = time.time() + 10
        while time.time() < deadline:
            if os.path.exists(port_file):
                with open(port_file) as f:
                    text = f.read().strip()
                if text:
                    return proc, int(text), os.path.join(tmp, "log")
            if proc.poll() is not None:
                break
            time.sleep(0.02)
        proc.kill()
        with open(os.path.join(tmp, "log")) as f:
            self.fail("launcher did not start the server: " + f.read())

    def stop(self, proc):
        proc.send_signal(signal.SIGTERM)
        self.assertEqual(proc.wait(10), 0)

    def test_main_execs_the_binary_and_health_answers(self):
        proc, port, _ = self.start(["--host", "127.0.0.1", "--port", "0"])
        try:
            self.assertEqual(get(port, "/health"), (200, {"status": "healthy"}))
            st, meta = get(port, "/metadata")
            self.assertEqual((st, meta["name"]), (200, "reviewgym"))
            # exec, not a child: the pid we started is the server itself
            with open("/proc/%d/cmdline" % proc.pid, "rb") as f:
                argv = f.read().split(b"\0")
            self.assertEqual(os.path.basename(argv[0].decode()), "reviewgym")
            self.assertIn(b"serve", argv)
            tasks = argv[argv.index(b"--tasks") + 1].decode()
            self.assertEqual(os.path.realpath(tasks), os.path.realpath(TASKS))
        finally:
            self.stop(proc)

    def test_python_m_with_env_host_port(self):
        proc, port, _ = self.start([], {"HOST": "127.0.0.1", "PORT": "0"}, how="module")
        try:
            self.assertEqual(get(port, "/health"), (200, {"status": "healthy"}))
        finally:
            self.stop(proc)

    def test_missing_binary_is_a_clear_error(self):
        env = dict(os.environ, REVIEWGYM_BIN="/nonexistent/reviewgym")
        r = subprocess.run([sys.executable, os.path.join(REPO, "server", "app.py")],
                           env=env, capture_output=True, text=True, timeout=10)
        self.assertEqual(r.returncode, 127)
        self.assertIn("REVIEWGYM_BIN=/nonexistent/reviewgym", r.stderr)


class BuildCommandTest(unittest.TestCase):
    def test_defaults(self):
        with mock.patch.dict(os.environ, {"REVIEWGYM_BIN": BIN}, clear=False):
            for k in ("HOST", "PORT"):
                os.environ.pop(k, None)
            cmd = launcher.build_command([])
        self.assertEqual(cmd[:6], [BIN, "serve", "--host", "0.0.0.0", "--port", "8000"])
        self.assertEqual(cmd[6], "--tasks")

    def test_flags_env_and_passthrough(self):
        with mock.patch.dict(os.environ, {"REVIEWGYM_BIN": BIN, "HOST": "127.0.0.2",
                                          "PORT": "9001"}):
            self.assertEqual(launcher.build_command([])[2:6],
                             ["--host", "127.0.0.2", "--port", "9001"])
            cmd = launcher.build_command(["--port", "7000", "--tasks", "/t", "--max-envs", "8"])
        self.assertEqual(cmd, [BIN, "serve", "--host", "127.0.0.2", "--port", "7000",
                               "--tasks", "/t", "--max-envs", "8"])

    def test_bad_port(self):
        with mock.patch.dict(os.environ, {"REVIEWGYM_BIN": BIN}), \
                mock.patch("sys.stderr"), self.assertRaises(SystemExit):
            launcher.build_command(["--port", "70000"])

    def test_binary_search_order(self):
        env = {k: v for k, v in os.environ.items() if k != "REVIEWGYM_BIN"}
        with mock.patch.dict(os.environ, env, clear=True):
            found = launcher.find_binary()
        built = [os.path.join(REPO, r) for r in launcher.CANDIDATES
                 if os.access(os.path.join(REPO, r), os.X_OK)]
        if built:
            self.assertEqual(found, built[0])
        with mock.patch.dict(os.environ, env, clear=True), \
                mock.patch.object(launcher, "REPO", "/nonexistent"), \
                mock.patch("shutil.which", return_value="/usr/local/bin/reviewgym"):
            self.assertEqual(launcher.find_binary(), "/usr/local/bin/reviewgym")


class AsgiRefusalTest(unittest.TestCase):
    def test_app_refuses(self):
        sent = []

        async def send(msg):
            sent.append(msg)

        async def run():
            msgs = iter([{"type": "lifespan.startup"}])

            async def receive():
                return next(msgs)
            await launcher.app({"type": "lifespan"}, receive, send)
            await launcher.app({"type": "http", "path": "/health"}, receive, send)
        asyncio.run(run())
        self.assertEqual(sent[0]["type"], "lifespan.startup.failed")
        self.assertIn("C program", sent[0]["message"])
        self.assertEqual(sent[1]["status"], 503)


class ValidateShapeTest(unittest.TestCase):
    """What `openenv validate` (directory mode, protocol §8.2) checks, minus uv.lock."""

    def test_directory_layout(self):
        import ast
        try:
            import tomllib
        except ImportError:  # Python < 3.11
            self.skipTest("tomllib needs Python 3.11")
        for f in ("openenv.yaml", "pyproject.toml", "server/app.py", "server/__init__.py",
                  "__init__.py", "client.py", "models.py", "README.md", "Dockerfile"):
            self.assertTrue(os.path.exists(os.path.join(REPO, f)), f)
        with open(os.path.join(REPO, "pyproject.toml"), "rb") as f:
            py = tomllib.load(f)
        self.assertEqual(py["project"]["name"], "reviewgym")
        self.assertIn(":main", py["project"]["scripts"]["server"])
        self.assertTrue(any(d.lower().startswith("openenv") for d in py["project"]["dependencies"]))
        with open(os.path.join(REPO, "server", "app.py")) as f:
            src = f.read()
        self.assertIn("def main(", src)
        guard = [n for n in ast.parse(src).body if isinstance(n, ast.If)
                 and "__main__" in ast.dump(n.test)]
        self.assertTrue(guard and "main" in ast.dump(guard[0]))
        with open(os.path.join(REPO, "openenv.yaml")) as f:
            text = f.read()
        for line in ("spec_version: 1", "name: reviewgym", "type: space", "port: 8000",
                     "app: server.app:app"):
            self.assertIn("\n" + line + "\n", "\n" + text)


class DeployFilesTest(unittest.TestCase):
    """The image and the Kubernetes manifest agree with the server's conventions:
    port 8000, /health, a non-root user. (deploy/nginx.conf runs for real in
    tests/integration/test_scaleout.py.)"""

    def test_dockerfile(self):
        with open(os.path.join(REPO, "Dockerfile")) as f:
            text = f.read()
        self.assertEqual(len([ln for ln in text.splitlines() if ln.startswith("FROM ")]), 2)
        self.assertIn("FROM debian:bookworm-slim AS build", text)
        self.assertIn("sh scripts/install-deps.sh", text)
        self.assertIn("EXPOSE 8000", text)
        self.assertRegex(text, r"(?m)^USER (?!root)\w+")
        self.assertRegex(text, r"HEALTHCHECK .*\n.*/health")
        cmd = [ln for ln in text.splitlines() if ln.startswith("CMD ")]
        self.assertEqual(len(cmd), 1)
        argv = json.loads(cmd[0][4:])
        self.assertEqual(argv[:2], ["sh", "-c"])
        for part in ("exec reviewgym serve", "--port \"${PORT:-8000}\"", "--tasks /app/tasks",
                     "--web-dir /app/web", "--store"):
            self.assertIn(part, argv[2])
        # every option the CMD passes exists in this build's `serve --help`
        r = subprocess.run([BIN, "serve", "--help"], capture_output=True, text=True)
        helptext = r.stdout + r.stderr
        for opt in set(re.findall(r"--[a-z][a-z-]+", argv[2])):
            self.assertIn(opt, helptext, "serve has no %s" % opt)

    def test_k8s_manifest(self):
        try:
            import yaml
        except ImportError:
            self.skipTest("PyYAML is not installed for %s" % sys.executable)
        with open(os.path.join(REPO, "deploy", "k8s.yaml")) as f:
            docs = list(yaml.safe_load_all(f))
        kinds = [d["kind"] for d in docs]
        self.assertEqual(kinds, ["Deployment", "Service", "Ingress", "Ingress"])
        pod = docs[0]["spec"]["template"]["spec"]
        c = pod["containers"][0]
        self.assertEqual(c["ports"][0]["containerPort"], 8000)
        for probe in ("readinessProbe", "livenessProbe"):
            self.assertEqual(c[probe]["httpGet"]["path"], "/health")
        self.assertEqual(pod["securityContext"]["runAsUser"], 1000)
        def cores(q):
            return float(q[:-1]) / 1000 if q.endswith("m") else float(q)
        # the loop's core, plus room for the store's writer (docs/deploy.md, Sizing)
        self.assertEqual(cores(c["resources"]["requests"]["cpu"]), 1.0)
        self.assertGreaterEqual(cores(c["resources"]["limits"]["cpu"]), 1.2)
        mounts = {m["mountPath"] for m in c["volumeMounts"]}
        self.assertEqual(mounts, {"/data", "/tmp"})
        sticky = docs[3]
        self.assertIn("$http_x_episode_id", sticky["metadata"]["annotations"][
            "nginx.ingress.kubernetes.io/upstream-hash-by"])
        paths = {p["path"] for p in sticky["spec"]["rules"][0]["http"]["paths"]}
        self.assertEqual(paths, {"/reset", "/step", "/state", "/config/custom"})


if __name__ == "__main__":
    unittest.main()
