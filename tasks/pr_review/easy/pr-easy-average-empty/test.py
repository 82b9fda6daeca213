"""Checks for pr-easy-average-empty. Usage: python3 test.py <candidate.py>"""
import importlib.util
import sys


def load(path):
    spec = importlib.util.spec_from_file_location("candidate_reviews", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def main():
    mod = load(sys.argv[1])
    cases = [([5, 4, 4], 4.3), ([5, 4], 4.5), ([3], 3.0), ([1, 2, 3, 4, 5], 3.0),
             (["5", "4"], 4.5), ((r for r in [2, 2, 3]), 2.3)]
    for ratings, want in cases:
        got = mod.average_rating(ratings)
        assert got == want, f"average_rating({ratings!r}) = {got!r}, expected {want!r}"
    for empty in ([], (), iter([])):
        try:
            got = mod.average_rating(empty)
        except ZeroDivisionError:
            raise AssertionError(f"average_rating({empty!r}) raised ZeroDivisionError")
        assert got is None, f"no ratings must give None, got {got!r}"
    try:
        mod.average_rating([4, 6])
    except ValueError:
        pass
    else:
        raise AssertionError("a rating of 6 must raise ValueError")
    assert mod.star_histogram([5, 4, 5]) == {1: 0, 2: 0, 3: 0, 4: 1, 5: 2}, "star_histogram changed"
    print("ok")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as exc:
        print(f"FAIL: {exc}")
        sys.exit(1)
