"""Checks for cr-easy-sensor-readings: python3 test.py <candidate.py>. One check per issue."""
import importlib.util
import sys

sys.dont_write_bytecode = True


def load(path):
    spec = importlib.util.spec_from_file_location("candidate", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def check_fahrenheit(mod):
    for celsius, want in ((0, 32.0), (100, 212.0), (-40, -40.0), (37.5, 99.5)):
        got = mod.to_fahrenheit(celsius)
        if got is None or abs(got - want) > 1e-9:
            return f"to_fahrenheit({celsius}) = {got!r}, expected {want}"
    return None


def check_count_above(mod):
    got = mod.count_above([18.0, 21.5, 25.0, 21.5, 30.1], 21.5)
    if got != 2:
        return f"count_above(..., 21.5) = {got!r}, expected 2"
    if mod.count_above([], 10) != 0:
        return "count_above([]) should be 0"
    return None


def check_no_mutation(mod):
    readings = [21.0, 19.5, 23.25, 18.0]
    got = mod.sorted_readings(readings)
    if got != [18.0, 19.5, 21.0, 23.25]:
        return f"sorted_readings = {got!r}, expected ascending order"
    if readings != [21.0, 19.5, 23.25, 18.0]:
        return f"sorted_readings modified the caller's list: {readings!r}"
    if got is readings:
        return "sorted_readings must return a new list"
    original = [5.0, 1.0, 3.0, 2.0]
    mod.median(original)
    if original != [5.0, 1.0, 3.0, 2.0]:
        return f"median() reordered the caller's readings: {original!r}"
    return None


CHECKS = [
    ("fahrenheit-missing-return", check_fahrenheit),
    ("count-above-undefined-name", check_count_above),
    ("sort-mutates-input", check_no_mutation),
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
