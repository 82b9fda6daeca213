"""Checks for pr-medium-retry-backoff. Usage: python3 test.py <candidate.py>

No real sleeping: every call injects a fake sleep that records the requested delays.
"""
import importlib.util
import logging
import sys


class GatewayDown(Exception):
    pass


def load(path):
    spec = importlib.util.spec_from_file_location("candidate_retry", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


class Flaky:
    """Fails `failures` times with GatewayDown, then returns `result`."""

    def __init__(self, failures, result):
        self.failures, self.result, self.errors, self.calls = failures, result, [], 0

    def __call__(self):
        self.calls += 1
        if self.calls <= self.failures:
            exc = GatewayDown(f"timeout on call {self.calls}")
            self.errors.append(exc)
            raise exc
        return self.result


def main():
    logging.disable(logging.CRITICAL)
    mod = load(sys.argv[1])

    delays = []
    fn = Flaky(2, "charged")
    got = mod.retry(fn, attempts=3, base_delay=0.5, sleep=delays.append)
    assert got == "charged", f"retry returned {got!r} instead of the successful result"
    assert fn.calls == 3, f"fn was called {fn.calls} times, expected 3"
    assert delays == [0.5, 1.0], f"backoff delays were {delays}, expected [0.5, 1.0]"

    delays = []
    fn = Flaky(0, None)
    got = mod.retry(fn, attempts=3, base_delay=0.5, sleep=delays.append)
    assert got is None and fn.calls == 1 and delays == [], "a first-try success must not retry"

    for attempts, want_delays in ((4, [1.0, 2.0, 4.0]), (1, [])):
        delays = []
        fn = Flaky(10, "never")
        try:
            got = mod.retry(fn, attempts=attempts, base_delay=1.0, sleep=delays.append)
        except GatewayDown as exc:
            assert exc is fn.errors[-1], "the exception raised must be the one from the last attempt"
        else:
            raise AssertionError(f"retry returned {got!r} after all {attempts} attempts failed; "
                                 "the last error must reach the caller")
        assert fn.calls == attempts, f"fn was called {fn.calls} times, expected {attempts}"
        assert delays == want_delays, f"backoff delays were {delays}, expected {want_delays}"
    print("ok")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as exc:
        print(f"FAIL: {exc}")
        sys.exit(1)
