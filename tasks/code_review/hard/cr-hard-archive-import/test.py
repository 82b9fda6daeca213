"""Checks for cr-hard-archive-import. Usage: python3 test.py <candidate.py>

Archives are built and extracted only inside the current (temporary) directory; the
malicious members only climb out of the destination into that directory. The regex
check is bounded by a 0.5 s SIGALRM timer.
"""
import importlib.util
import os
import signal
import sys
import threading
import zipfile

ISSUES = ["redos-archive-name", "limiter-check-then-act", "zip-slip"]


class RegexTimeout(BaseException):
    pass


def load(path):
    spec = importlib.util.spec_from_file_location("candidate_archive_import", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def check_redos(mod):
    def on_alarm(signum, frame):
        raise RegexTimeout()

    old = signal.signal(signal.SIGALRM, on_alarm)
    try:
        for probe in ("a" * 40 + "!", "ab1 " * 16 + "#"):
            signal.setitimer(signal.ITIMER_REAL, 0.5)
            try:
                result = mod.valid_archive_name(probe)
            except RegexTimeout:
                raise AssertionError(f"name validation did not finish within 0.5 s for {probe[:12]!r}... (catastrophic backtracking)")
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            assert not result, f"{probe!r} accepted"
    finally:
        signal.signal(signal.SIGALRM, old)
    for good in ("report 2024.zip", "my_data-v2.zip", "a.zip"):
        assert mod.valid_archive_name(good), f"valid name {good!r} rejected"
    for bad in ("../x.zip", "x.zip.exe", "x", ".zip"):
        assert not mod.valid_archive_name(bad), f"invalid name {bad!r} accepted"


class HookLock:
    """A real lock that runs `hook` once, right after its first release, to replay
    what another thread could do in the gap between two critical sections."""

    def __init__(self):
        self._lock = threading.Lock()
        self.hook = None

    def acquire(self, *a, **k):
        return self._lock.acquire(*a, **k)

    def release(self):
        self._lock.release()
        hook, self.hook = self.hook, None
        if hook:
            hook()

    def __enter__(self):
        self.acquire()
        return self

    def __exit__(self, *exc):
        self.release()
        return False


def check_limiter(mod):
    limiter = mod.ImportLimiter(max_active=2)
    assert limiter.begin(7) and limiter.begin(7), "two imports should be allowed"
    assert not limiter.begin(7), "third concurrent import should be refused"
    limiter.end(7)
    limiter.end(7)

    limiter = mod.ImportLimiter(max_active=2)
    assert limiter.begin(7), "first import refused"
    limiter._lock = HookLock()
    results = []
    limiter._lock.hook = lambda: results.append(("other", limiter.begin(7)))
    results.append(("main", limiter.begin(7)))
    granted = sum(1 for _, ok in results if ok)
    assert granted == 1, f"with one slot left, {granted} interleaved begin() calls were granted"
    assert limiter.active.get(7) == 2, f"active count is {limiter.active.get(7)} after 2 grants (lost update)"


def make_zip(name, members):
    with zipfile.ZipFile(name, "w") as zf:
        for member, data in members.items():
            zf.writestr(member, data)
    return os.path.abspath(name)


def files_under(root):
    out = set()
    for d, _, files in os.walk(root):
        for f in files:
            out.add(os.path.relpath(os.path.join(d, f), root))
    return out


def check_zip_slip(mod):
    root = os.path.abspath("uploads")
    os.makedirs(root, exist_ok=True)
    good = make_zip("good.zip", {"docs/readme.txt": b"hello", "data.csv": b"a,b\n"})
    limiter = mod.ImportLimiter()
    mod.import_archive(limiter, 1, good, root)
    assert files_under(root) == {os.path.join("1", "docs", "readme.txt"), os.path.join("1", "data.csv")}, \
        f"normal archive extracted wrongly: {sorted(files_under(root))}"
    evil = make_zip("evil.zip", {"ok.txt": b"fine", "../escaped.txt": b"pwned",
                                 "docs/../../escaped2.txt": b"pwned", "../2/planted.txt": b"pwned"})
    try:
        mod.import_archive(limiter, 1, evil, root)
    except Exception:
        pass
    outside = sorted(p for p in files_under(root) if not p.startswith("1" + os.sep))
    assert not outside, f"archive members written outside the destination: {outside}"


def main():
    path = os.path.abspath(sys.argv[1])
    try:
        mod = load(path)
    except Exception as exc:
        for iid in ISSUES:
            print(f"FAIL {iid}: candidate does not import: {exc!r}")
        return 1
    checks = [("redos-archive-name", check_redos), ("limiter-check-then-act", check_limiter),
              ("zip-slip", check_zip_slip)]
    failed = 0
    for iid, fn in checks:
        try:
            fn(mod)
            print(f"ok {iid}")
        except Exception as exc:
            failed += 1
            print(f"FAIL {iid}: {exc}" if isinstance(exc, AssertionError) else f"FAIL {iid}: {exc!r}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
