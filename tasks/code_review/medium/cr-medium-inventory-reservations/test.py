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


@check("restock-new-sku")
def _(mod):
    inv = mod.Inventory()
    inv.restock("SKU-1", 5)
    inv.restock("SKU-1", 3)
    if inv.available("SKU-1") != 8:
        return f"available after restocking 5 + 3 units is {inv.available('SKU-1')!r}, expected 8"
    return None


@check("last-unit-refused")
def _(mod):
    inv = mod.Inventory()
    inv.stock.update({"A": 2, "B": 5})
    if not inv.reserve("o1", [("A", 2)]):
        return "reserving exactly the 2 units in stock was refused"
    if inv.available("A") != 0:
        return f"available after taking all units is {inv.available('A')!r}"
    if inv.reserve("o2", [("B", 6)]):
        return "reserving more units than in stock succeeded"
    return None


@check("no-rollback")
def _(mod):
    inv = mod.Inventory()
    inv.stock.update({"A": 5, "B": 1})
    ok = inv.reserve("o1", [("A", 2), ("B", 3)])
    if ok:
        return "reservation that cannot be satisfied succeeded"
    if inv.available("A") != 5 or inv.available("B") != 1:
        return (f"failed reservation left stock at A={inv.available('A')}, "
                f"B={inv.available('B')} (expected A=5, B=1)")
    if "o1" in inv.reservations:
        return "failed reservation was recorded"
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
