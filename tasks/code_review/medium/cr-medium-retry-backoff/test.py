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


class Flaky:
    def __init__(self, failures, exc_type=ConnectionError):
        self.failures = failures
        self.exc_type = exc_type
        self.calls = 0

    def __call__(self):
        self.calls += 1
        if self.calls <= self.failures:
            raise self.exc_type(f"failure {self.calls}")
        return "payload"


@check("attempts-off-by-one")
def _(mod):
    sleeps = []
    flaky = Flaky(failures=2)
    try:
        got = mod.call_with_retry(flaky, max_attempts=3, sleep=sleeps.append)
    except mod.RetryError:
        return f"gave up after {flaky.calls} calls; 3 attempts were allowed and the 3rd succeeds"
    if got != "payload" or flaky.calls != 3:
        return f"returned {got!r} after {flaky.calls} calls, expected 'payload' after 3"
    dead = Flaky(failures=100)
    try:
        mod.call_with_retry(dead, max_attempts=4, sleep=sleeps.append)
    except mod.RetryError:
        pass
    if dead.calls != 4:
        return f"always-failing call was attempted {dead.calls} times with max_attempts=4"
    return None


@check("backoff-not-exponential")
def _(mod):
    got = [mod.backoff_delay(n) for n in range(1, 6)]
    want = [0.5, 1.0, 2.0, 4.0, 8.0]
    if any(abs(g - w) > 1e-9 for g, w in zip(got, want)):
        return f"backoff_delay(1..5) = {got!r}, expected {want!r}"
    if abs(mod.backoff_delay(12) - 30.0) > 1e-9:
        return f"backoff_delay(12) = {mod.backoff_delay(12)!r}, expected the 30.0 cap"
    return None


@check("catches-everything")
def _(mod):
    sleeps = []
    broken = Flaky(failures=100, exc_type=ValueError)
    try:
        mod.call_with_retry(broken, max_attempts=3, sleep=sleeps.append)
    except ValueError:
        pass
    except Exception as exc:
        return f"non-retryable ValueError surfaced as {type(exc).__name__}"
    else:
        return "non-retryable error was swallowed"
    if broken.calls != 1 or sleeps:
        return f"non-retryable error was retried ({broken.calls} calls, {len(sleeps)} sleeps)"
    return None


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
