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


@check("duplicate-detection")
def _(mod):
    records = [
        {"email": "ann@example.com", "name": "Ann", "orders": []},
        {"email": "bob@example.com", "name": "Bob", "orders": []},
        {"email": " ANN@example.com", "name": "Ann B.", "orders": []},
        {"email": "cy@example.com", "name": "Cy", "orders": []},
        {"email": "bob@example.com", "name": "Bob", "orders": []},
    ]
    got = mod.find_duplicates(records)
    want = {"ann@example.com", "bob@example.com"}
    if set(got) != want:
        return f"find_duplicates returned {sorted(got)!r}, expected {sorted(want)!r}"
    if mod.find_duplicates(records[:2]):
        return "find_duplicates reports duplicates for distinct emails"
    return None


@check("missing-merge")
def _(mod):
    records = [
        {"email": "ann@example.com", "name": "Ann", "orders": [1, 2]},
        {"email": "bob@example.com", "name": "Bob", "orders": [3]},
        {"email": "Ann@Example.com", "name": "Ann", "orders": [4]},
    ]
    merged = mod.merge_customers(records)
    if len(merged) != 2:
        return f"expected 2 customers after merging, got {len(merged)}"
    ann = [c for c in merged if c["email"] == "ann@example.com"]
    if not ann:
        return "merged customer for ann@example.com missing"
    if sorted(ann[0]["orders"]) != [1, 2, 4]:
        return f"duplicate's orders not merged: {ann[0]['orders']!r}"
    if records[0]["orders"] != [1, 2]:
        return "merge mutated the input records"
    return None


@check("undefined-discount")
def _(mod):
    items = [{"price": 40.0, "qty": 2}, {"price": 20.0, "qty": 1}]
    loyal = mod.order_total({"loyal": True}, items)
    plain_same_subtotal = mod.order_total({"loyal": False}, [{"price": 90.0, "qty": 1}])
    if abs(loyal - plain_same_subtotal) > 1e-9:
        return f"loyal total {loyal!r} does not reflect a 10% discount ({plain_same_subtotal!r})"
    small_loyal = mod.order_total({"loyal": True}, [{"price": 20.0, "qty": 1}])
    small_plain = mod.order_total({}, [{"price": 18.0, "qty": 1}])
    if abs(small_loyal - small_plain) > 1e-9:
        return f"loyal total {small_loyal!r} != {small_plain!r}"
    return None


@check("free-shipping-inverted")
def _(mod):
    big = mod.order_total({}, [{"price": 30.0, "qty": 2}])
    if abs(big - 60.0) > 1e-9:
        return f"order of 60.00 should ship free, got {big!r}"
    small = mod.order_total({}, [{"price": 10.0, "qty": 2}])
    if abs(small - 24.99) > 1e-9:
        return f"order of 20.00 should pay shipping (24.99), got {small!r}"
    edge = mod.order_total({}, [{"price": 50.0, "qty": 1}])
    if abs(edge - 50.0) > 1e-9:
        return f"order of exactly 50.00 should ship free, got {edge!r}"
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
