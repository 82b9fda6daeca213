"""Checks for cr-hard-report-export. Usage: python3 test.py <candidate.py>

Temporary files are confined to the current (temporary) working directory and the
injected expression only calls a harmless recorder.
"""
import builtins
import copy
import csv
import importlib.util
import logging
import os
import sys
import tempfile

ISSUES = ["eval-filter", "mktemp-race", "traceback-leak", "mutates-caller-rows"]
PROBE_HITS = []
MKTEMP_CALLS = []
_real_mktemp = tempfile.mktemp


def _probe(tag):
    PROBE_HITS.append(tag)
    return {}


def _mktemp(*args, **kwargs):
    MKTEMP_CALLS.append((args, kwargs))
    return _real_mktemp(*args, **kwargs)


def sample_rows():
    return [{"id": 1, "customer": "Ada", "status": "open", "amount": 1250},
            {"id": 2, "customer": "Bo", "status": "paid", "amount": 990},
            {"id": 3, "customer": "Cy", "status": "open", "amount": 5}]


def load(path):
    tempfile.tempdir = os.getcwd()
    tempfile.mktemp = _mktemp
    logging.disable(logging.CRITICAL)
    spec = importlib.util.spec_from_file_location("candidate_report_export", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def check_eval(mod):
    builtins._reviewgym_probe = _probe
    try:
        try:
            mod.parse_criteria("_reviewgym_probe('filter evaluated') or {}")
        except Exception:
            pass
        try:
            mod.handle_export({"filter": "_reviewgym_probe('export evaluated') or {}"}, sample_rows())
        except Exception:
            pass
    finally:
        del builtins._reviewgym_probe
    assert not PROBE_HITS, f"the filter string was executed as Python code ({PROBE_HITS})"
    got = mod.parse_criteria('{"status": "open"}')
    assert got == {"status": "open"}, f"a plain filter mapping no longer parses: {got!r}"


def check_tempfile(mod):
    del MKTEMP_CALLS[:]
    path = mod.write_csv([{"id": 7, "customer": "Di", "status": "open", "amount": 100}])
    assert not MKTEMP_CALLS, "tempfile.mktemp used: the name is created before the file (race / symlink attack)"
    assert os.path.isfile(path), "report file not written"
    mode = os.stat(path).st_mode & 0o777
    assert mode & 0o077 == 0, f"report file readable by other users (mode {oct(mode)})"


def check_leak(mod):
    resp = mod.handle_export({"filter": ""}, [{"id": 1}])
    assert resp.get("status") == 500, f"expected a 500 response, got {resp!r}"
    text = repr(resp)
    for marker in ("Traceback", 'File "', ".py", "KeyError"):
        assert marker not in text, f"error response leaks internals ({marker!r} in {text[:120]!r})"


def check_mutation(mod):
    rows = sample_rows()
    before = copy.deepcopy(rows)
    path = mod.write_csv(rows)
    assert rows == before, "write_csv modified the caller's row dicts"
    with open(path, newline="") as fh:
        lines = list(csv.reader(fh))
    assert lines[1][3] == "12.50" and lines[3][3] == "0.05", f"amounts not formatted: {lines}"
    resp = mod.handle_export({"filter": '{"status": "open"}'}, sample_rows())
    assert resp.get("status") == 200, f"export of open rows failed: {resp.get('status')}"
    assert resp["summary"] == {"count": 2, "total": "12.55"}, f"wrong summary {resp['summary']!r}"


def main():
    path = os.path.abspath(sys.argv[1])
    try:
        mod = load(path)
    except Exception as exc:
        for iid in ISSUES:
            print(f"FAIL {iid}: candidate does not import: {exc!r}")
        return 1
    checks = [("eval-filter", check_eval), ("mktemp-race", check_tempfile),
              ("traceback-leak", check_leak), ("mutates-caller-rows", check_mutation)]
    failed = 0
    for iid, fn in checks:
        try:
            fn(mod)
            print(f"ok {iid}")
        except Exception as exc:
            failed += 1
            print(f"FAIL {iid}: {exc!r}" if not isinstance(exc, AssertionError) else f"FAIL {iid}: {exc}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
