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

import threading


class ProbeClock:
    """Fake clock that can report whether the limiter's lock is held when read."""

    def __init__(self):
        self.now = 0.0
        self.limiter = None
        self.observed = []

    def _lock_is_held(self):
        lock = getattr(self.limiter, "_lock", None)
        if lock is None:
            return False
        result = []

        def probe():
            got = lock.acquire(blocking=False)
            if got:
                lock.release()
            result.append(not got)

        t = threading.Thread(target=probe)
        t.start()
        t.join(2)
        return bool(result and result[0])

    def __call__(self):
        if self.limiter is not None:
            self.observed.append(self._lock_is_held())
        return self.now


@check("lock-not-used")
def _(mod):
    clock = ProbeClock()
    limiter = mod.RateLimiter(per_minute=120, burst=3, clock=clock)
    clock.limiter = limiter
    limiter.allow()
    clock.now += 1
    limiter.allow()
    if not clock.observed:
        return "allow() never read the clock"
    if not all(clock.observed):
        return "allow() reads and updates the bucket without holding the limiter's lock"
    return None


@check("integer-rate")
def _(mod):
    clock = ProbeClock()
    limiter = mod.RateLimiter(per_minute=30, burst=1, clock=clock)
    if not limiter.allow():
        return "first request with a full bucket was refused"
    if limiter.allow():
        return "second immediate request allowed with burst=1"
    clock.now += 2.5
    if not limiter.allow():
        return "30/minute limiter did not refill a token after 2.5 seconds"
    return None


@check("uncapped-refill")
def _(mod):
    clock = ProbeClock()
    limiter = mod.RateLimiter(per_minute=60, burst=2, clock=clock)
    clock.now += 600
    granted = sum(1 for _ in range(6) if limiter.allow())
    if granted != 2:
        return f"after a long idle period {granted} back-to-back requests were allowed (burst=2)"
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
