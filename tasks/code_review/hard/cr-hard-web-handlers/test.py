"""Checks for cr-hard-web-handlers. Usage: python3 test.py <candidate.py>

Every unsafe behaviour is observed harmlessly: subprocess/os.system are replaced
by recorders, the pickle payload only calls a recorder, the database is in memory
and files are created only inside the current (temporary) directory.
"""
import importlib.util
import os
import pickle
import sqlite3
import subprocess
import sys

ISSUES = ["sql-injection", "xss-profile", "path-traversal-upload",
          "command-injection-ping", "pickle-session", "hardcoded-api-token"]
SECRET_LITERAL = "sk_live_51Hq8ZtR2vXw9LmN4pQ7"
TEST_TOKEN = "rg-test-token-7f3a91"
PROBE_HITS = []


def _probe(tag):
    PROBE_HITS.append(tag)
    return {"username": "alice"}


class _Evil:
    def __reduce__(self):
        return (_probe, ("pickle-payload-executed",))


def load(path):
    os.environ["API_TOKEN"] = TEST_TOKEN
    spec = importlib.util.spec_from_file_location("candidate_web_handlers", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def check_sql(mod):
    conn = mod.open_db()
    conn.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, username TEXT, email TEXT)")
    conn.executemany("INSERT INTO users (username, email) VALUES (?, ?)",
                     [("alice", "alice@example.test"), ("bob", "bob@example.test"),
                      ("o'brien", "ob@example.test")])
    got = mod.find_user(conn, "alice")
    assert got and got["email"] == "alice@example.test", f"lookup of alice returned {got!r}"
    try:
        injected = mod.find_user(conn, "nobody' OR '1'='1")
    except sqlite3.Error as exc:
        raise AssertionError(f"quote in username breaks the query: {exc}")
    assert injected is None, f"username \"nobody' OR '1'='1\" matched {injected!r}"
    try:
        ob = mod.find_user(conn, "o'brien")
    except sqlite3.Error as exc:
        raise AssertionError(f"username with a quote raises {exc}")
    assert ob and ob["email"] == "ob@example.test", "user o'brien not found"


def check_xss(mod):
    out = mod.render_profile({"display_name": "<script>alert(1)</script>",
                              "bio": "<img src=x onerror=alert(2)>"})
    assert "<script" not in out.lower(), "display name rendered as raw HTML"
    assert "<img" not in out.lower(), "bio rendered as raw HTML"
    assert "&lt;script&gt;" in out, "display name missing or not escaped"


def check_path(mod):
    os.makedirs("uploads", exist_ok=True)
    with open(os.path.join("uploads", "report.txt"), "wb") as fh:
        fh.write(b"public report")
    with open("secret.txt", "wb") as fh:
        fh.write(b"TOP-SECRET")
    mod.UPLOAD_DIR = os.path.abspath("uploads")
    assert mod.read_upload("report.txt") == b"public report", "normal upload not readable"
    for name in ("../secret.txt", os.path.abspath("secret.txt"), "sub/../../secret.txt"):
        try:
            data = mod.read_upload(name)
        except Exception:
            continue
        assert data != b"TOP-SECRET", f"read_upload({name!r}) returned a file outside UPLOAD_DIR"


def check_command(mod):
    calls = []

    def fake_run(args, *a, **kw):
        calls.append(("run", args, kw))
        return subprocess.CompletedProcess(args, 0, "", "")

    def recorder(kind):
        def fake(args, *a, **kw):
            calls.append((kind, args, kw))
            return 0 if kind != "check_output" else b""
        return fake

    def fake_popen(args, *a, **kw):
        calls.append(("Popen", args, kw))
        raise RuntimeError("Popen is disabled in this test")

    saved = {n: getattr(subprocess, n) for n in ("run", "call", "check_call", "check_output", "Popen")}
    saved_os = {n: getattr(os, n) for n in ("system", "popen")}
    subprocess.run = fake_run
    subprocess.call = recorder("call")
    subprocess.check_call = recorder("check_call")
    subprocess.check_output = recorder("check_output")
    subprocess.Popen = fake_popen
    os.system = lambda cmd: calls.append(("os.system", cmd, {})) or 0
    os.popen = lambda cmd, *a, **k: calls.append(("os.popen", cmd, {})) or None
    try:
        host = "127.0.0.1; touch pwned"
        try:
            mod.ping_host(host)
        except (ValueError, RuntimeError):
            pass
        benign_start = len(calls)
        mod.ping_host("192.0.2.7")
        benign = calls[benign_start:]
    finally:
        for n, f in saved.items():
            setattr(subprocess, n, f)
        for n, f in saved_os.items():
            setattr(os, n, f)
    assert any(isinstance(args, (list, tuple)) and "192.0.2.7" in args for _, args, _ in benign) \
        or any(kind in ("os.system", "os.popen") or kw.get("shell") for kind, _, kw in calls), \
        "ping_host('192.0.2.7') did not run ping with the host as its own argument"
    for kind, args, kw in calls:
        assert kind not in ("os.system", "os.popen"), f"{kind} runs a shell command line"
        assert not kw.get("shell"), f"subprocess.{kind} called with shell=True"
        assert isinstance(args, (list, tuple)), f"subprocess.{kind} given a command string {args!r}"
        for a in args:
            assert not (isinstance(a, str) and host in a and a != host), \
                f"host embedded in a larger argument {a!r}"


def check_pickle(mod):
    payload = pickle.dumps(_Evil()).hex()
    try:
        mod.load_session(payload)
    except Exception:
        pass
    assert not PROBE_HITS, "load_session executed code embedded in the client cookie"


def check_secret(mod, path):
    with open(path, encoding="utf-8") as fh:
        source = fh.read()
    assert SECRET_LITERAL not in source, "the live API token is still in the source code"
    assert mod.is_authorized({"Authorization": "Bearer " + TEST_TOKEN}), \
        "token from the API_TOKEN environment variable is not accepted"
    assert not mod.is_authorized({"Authorization": "Bearer " + SECRET_LITERAL}), \
        "the old hard-coded token is still accepted"


def main():
    path = os.path.abspath(sys.argv[1])
    try:
        mod = load(path)
    except Exception as exc:
        for iid in ISSUES:
            print(f"FAIL {iid}: candidate does not import: {exc!r}")
        return 1
    checks = [("sql-injection", lambda: check_sql(mod)),
              ("xss-profile", lambda: check_xss(mod)),
              ("path-traversal-upload", lambda: check_path(mod)),
              ("command-injection-ping", lambda: check_command(mod)),
              ("pickle-session", lambda: check_pickle(mod)),
              ("hardcoded-api-token", lambda: check_secret(mod, path))]
    failed = 0
    for iid, fn in checks:
        try:
            fn()
            print(f"ok {iid}")
        except Exception as exc:
            failed += 1
            print(f"FAIL {iid}: {exc}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
