"""Checks for cr-easy-date-ranges: python3 test.py <candidate.py>. One check per issue."""
import importlib.util
import sys

sys.dont_write_bytecode = True


def load(path):
    spec = importlib.util.spec_from_file_location("candidate", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module

from datetime import date


def check_range_inclusive(mod):
    got = mod.date_range(date(2024, 2, 27), date(2024, 3, 1))
    want = [date(2024, 2, 27), date(2024, 2, 28), date(2024, 2, 29), date(2024, 3, 1)]
    if got != want:
        return f"date_range(2024-02-27, 2024-03-01) = {got!r}, expected 4 dates ending 2024-03-01"
    one = mod.date_range(date(2024, 5, 5), date(2024, 5, 5))
    if one != [date(2024, 5, 5)]:
        return f"date_range(d, d) = {one!r}, expected [d]"
    return None


def check_weekend(mod):
    # 2024-06-01 is a Saturday.
    expected = {date(2024, 5, 31): False, date(2024, 6, 1): True,
                date(2024, 6, 2): True, date(2024, 6, 3): False}
    for day, want in expected.items():
        got = mod.is_weekend(day)
        if bool(got) != want:
            return f"is_weekend({day.isoformat()}, {day.strftime('%A')}) = {got!r}, expected {want}"
    return None


def check_describe(mod):
    got = mod.describe_stay(date(2024, 3, 1), date(2024, 3, 4))
    want = "2024-03-01 to 2024-03-04 (3 nights)"
    if got != want:
        return f"describe_stay = {got!r}, expected {want!r}"
    return None


CHECKS = [
    ("range-excludes-end", check_range_inclusive),
    ("weekend-misses-saturday", check_weekend),
    ("nights-str-concat", check_describe),
]


def main():
    if len(sys.argv) != 2:
        print("usage: python3 test.py <candidate.py>")
        return 2
    try:
        mod = load(sys.argv[1])
    except (Exception, SystemExit) as exc:
        for name, _ in CHECKS:
            print(f"FAIL {name}: could not import candidate: {type(exc).__name__}: {exc}")
        return 1
    failed = 0
    for name, check in CHECKS:
        try:
            problem = check(mod)
        except (Exception, SystemExit) as exc:
            problem = f"raised {type(exc).__name__}: {exc}"
        if problem:
            failed += 1
            print(f"FAIL {name}: {problem}")
        else:
            print(f"ok {name}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
