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


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@check("expiry-inverted")
def _(mod):
    clock = FakeClock()
    cache = mod.TTLCache(capacity=10, ttl=30, clock=clock)
    cache.put("a", "alpha")
    clock.now += 5
    got = cache.get("a")
    if got != "alpha":
        return f"fresh entry (5s old, ttl 30s) returned {got!r}, expected 'alpha'"
    clock.now += 30
    got = cache.get("a", "gone")
    if got != "gone":
        return f"expired entry (35s old, ttl 30s) returned {got!r}, expected the default"
    return None


@check("capacity-off-by-one")
def _(mod):
    clock = FakeClock()
    cache = mod.TTLCache(capacity=2, ttl=30, clock=clock)
    for key in ("a", "b", "c", "d"):
        cache.put(key, key.upper())
        if len(cache) > 2:
            return f"cache holds {len(cache)} entries with capacity 2"
    if len(cache) != 2:
        return f"cache holds {len(cache)} entries, expected 2"
    cache.put("d", "D2")
    if len(cache) != 2:
        return f"overwriting a key changed the size to {len(cache)}"
    return None


@check("mutable-default")
def _(mod):
    clock = FakeClock()
    first = mod.TTLCache(capacity=4, ttl=30, clock=clock)
    second = mod.TTLCache(capacity=4, ttl=30, clock=clock)
    r1 = first.get_many(["x"])
    r1["leaked"] = 1
    r2 = second.get_many(["y"])
    if r2:
        return f"get_many on another cache returned {r2!r}; results share one dict"
    if r1 is r2:
        return "get_many returns the same dict object on every call"
    explicit = {}
    if first.get_many([], explicit) is not explicit:
        return "get_many ignores a caller-supplied dict"
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
