"""Checks for cr-easy-word-stats: python3 test.py <candidate.py>. One check per issue."""
import importlib.util
import sys

sys.dont_write_bytecode = True


def load(path):
    spec = importlib.util.spec_from_file_location("candidate", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def check_shared_default(mod):
    first = mod.count_words("the cat saw the dog")
    if first != {"the": 2, "cat": 1, "saw": 1, "dog": 1}:
        return f"count_words on first call = {first!r}"
    second = mod.count_words("a cat")
    if second != {"a": 1, "cat": 1}:
        return f"second call returned {second!r}: counts leak between calls"
    mine = {"cat": 5}
    result = mod.count_words("cat", mine)
    if result.get("cat") != 6:
        return f"an explicit counts dict should be updated, got {result!r}"
    return None


def check_ngrams_last(mod):
    words = ["a", "b", "c", "d"]
    got = mod.ngrams(words, 2)
    want = [("a", "b"), ("b", "c"), ("c", "d")]
    if got != want:
        return f"ngrams(..., 2) = {got!r}, expected {want!r}"
    got = mod.ngrams(["x", "y"], 2)
    if got != [("x", "y")]:
        return f"ngrams(['x', 'y'], 2) = {got!r}, expected [('x', 'y')]"
    got = mod.ngrams(["x"], 2)
    if got != []:
        return f"ngrams(['x'], 2) = {got!r}, expected []"
    return None


def check_min_length_inclusive(mod):
    got = mod.long_words(["tree", "oak", "pine", "willow", "oak"], 4)
    want = ["pine", "tree", "willow"]
    if got != want:
        return f"long_words(..., 4) = {got!r}, expected {want!r}"
    return None


CHECKS = [
    ("mutable-default-counts", check_shared_default),
    ("ngrams-drop-last", check_ngrams_last),
    ("min-length-exclusive", check_min_length_inclusive),
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
