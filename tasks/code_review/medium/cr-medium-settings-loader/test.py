import importlib.util
import sys

sys.dont_write_bytecode = True

CHECKS = []


def check(issue_id):
    def register(fn):
        CHECKS.append((issue_id, fn))
        return fn
    return register


def load():
    spec = importlib.util.spec_from_file_location("candidate", sys.argv[1])
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod

import builtins
import io
import os


def write(name, text):
    with open(name, "w", encoding="utf-8") as fh:
        fh.write(text)
    return os.path.abspath(name)


def tracked_call(fn, *args):
    """Run fn(*args) while recording every file object opened; return (result_or_exc, files)."""
    opened = []
    real_open = builtins.open

    def tracking_open(*a, **kw):
        f = real_open(*a, **kw)
        opened.append(f)
        return f

    builtins.open = tracking_open
    io.open = tracking_open
    try:
        try:
            outcome = fn(*args)
        except Exception as exc:
            outcome = exc
    finally:
        builtins.open = real_open
        io.open = real_open
    return outcome, opened


@check("file-handle-leak")
def _(mod):
    good = write("good.cfg", "# workers\nworkers = 4\n\nname = svc\n")
    bad = write("bad.cfg", "workers = 4\nthis line is broken\n")
    for path, expect_error in ((good, False), (bad, True)):
        outcome, opened = tracked_call(mod.load_settings, path)
        if expect_error and not isinstance(outcome, mod.ConfigError):
            return f"malformed file gave {outcome!r}, expected ConfigError"
        if not expect_error and isinstance(outcome, Exception):
            return f"load_settings raised {outcome!r}"
        if not opened:
            return "could not observe the settings file being opened"
        still_open = [f for f in opened if not f.closed]
        if still_open:
            which = "after ConfigError" if expect_error else "after a successful load"
            return f"settings file left open {which}"
        opened.clear()
    return None


@check("shared-defaults")
def _(mod):
    first = write("first.cfg", "alpha = 1\n")
    second = write("second.cfg", "beta = 2\n")
    s1 = mod.load_settings(first)
    s2 = mod.load_settings(second)
    if "alpha" in s2:
        return f"settings from an earlier file leaked into a later load: {s2!r}"
    if s1 is s2:
        return "two loads returned the same dict object"
    if s2 != {"beta": "2"}:
        return f"load_settings(second.cfg) = {s2!r}"
    return None


@check("swallowed-int-error")
def _(mod):
    if mod.get_int({"workers": "8"}, "workers", 4) != 8:
        return "get_int did not parse '8'"
    if mod.get_int({}, "workers", 4) != 4:
        return "get_int did not return the default for a missing key"
    try:
        got = mod.get_int({"workers": "ten"}, "workers", 4)
    except mod.ConfigError:
        return None
    return f"invalid integer 'ten' returned {got!r} instead of raising ConfigError"


def main():
    if len(sys.argv) != 2:
        print("usage: python3 test.py <candidate.py>")
        sys.exit(2)
    failed = False
    for issue_id, fn in CHECKS:
        try:
            reason = fn(load())
        except (Exception, SystemExit) as exc:
            reason = f"raised {type(exc).__name__}: {exc}"
        if reason:
            failed = True
            print(f"FAIL {issue_id}: {reason}")
        else:
            print(f"ok {issue_id}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
