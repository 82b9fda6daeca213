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


def articles(n):
    return [{"id": i, "title": f"Article {i}"} for i in range(n)]


@check("none-title")
def _(mod):
    data = [
        {"id": 1, "title": "Python packaging"},
        {"id": 2, "title": None},
        {"id": 3, "title": "Rust for pythonistas"},
        {"id": 4, "title": "Go"},
    ]
    got = [a["id"] for a in mod.search(data, "PYTHON")]
    if got != [1, 3]:
        return f"search returned ids {got!r}, expected [1, 3]"
    return None


@check("page-count-rounding")
def _(mod):
    cases = {(25, 10): 3, (20, 10): 2, (1, 10): 1, (0, 10): 0, (7, 3): 3}
    for (total, per_page), want in cases.items():
        got = mod.page_count(total, per_page)
        if got != want:
            return f"page_count({total}, {per_page}) = {got!r}, expected {want}"
    return None


@check("sort-mutates-input")
def _(mod):
    data = [{"id": 3, "title": "c"}, {"id": 1, "title": "a"}, {"id": 2, "title": "b"}]
    before = [a["id"] for a in data]
    mod.paginate(data, 1, per_page=2, sort_key=lambda a: a["id"])
    after = [a["id"] for a in data]
    if after != before:
        return f"paginate reordered the caller's list: {before!r} -> {after!r}"
    return None


@check("page-offset")
def _(mod):
    data = articles(25)
    first = [a["id"] for a in mod.paginate(data, 1, per_page=10)["items"]]
    if first != list(range(10)):
        return f"page 1 returned ids {first!r}, expected 0..9"
    last = [a["id"] for a in mod.paginate(data, 3, per_page=10)["items"]]
    if last != list(range(20, 25)):
        return f"page 3 returned ids {last!r}, expected 20..24"
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
