"""Checks for pr-easy-pagination-offset. Usage: python3 test.py <candidate.py>"""
import importlib.util
import sys


def load(path):
    spec = importlib.util.spec_from_file_location("candidate_pagination", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def main():
    mod = load(sys.argv[1])
    items = list(range(45))
    first = mod.paginate(items, 1, 20)
    assert first == list(range(20)), f"page 1 of 45 items gave {first!r}"
    second = mod.paginate(items, 2, 20)
    assert second == list(range(20, 40)), f"page 2 gave {second!r}"
    last = mod.paginate(items, 3, 20)
    assert last == [40, 41, 42, 43, 44], f"last (partial) page gave {last!r}"
    assert mod.paginate(items, 4, 20) == [], "a page past the end must be empty"
    assert mod.paginate(items, 1, None) == list(range(20)), "page_size None must use the default"
    assert mod.paginate(items, 1, 500) == items, "page_size must be clamped to MAX_PAGE_SIZE"
    assert mod.paginate(("a", "b", "c"), 2, 2) == ["c"], "tuples must page too"
    assert mod.paginate([], 1, 10) == [], "an empty listing has an empty first page"
    pages = mod.page_count(len(items), 20)
    seen = [x for p in range(1, pages + 1) for x in mod.paginate(items, p, 20)]
    assert seen == items, f"walking all {pages} pages gave {len(seen)} items, not every item once"
    for bad in (0, -1):
        try:
            mod.paginate(items, bad, 20)
        except ValueError:
            pass
        else:
            raise AssertionError(f"page {bad} must raise ValueError")
    print("ok")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as exc:
        print(f"FAIL: {exc}")
        sys.exit(1)
