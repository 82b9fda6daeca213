"""Checks for cr-easy-order-stats: python3 test.py <candidate.py>. One check per issue."""
import importlib.util
import sys

sys.dont_write_bytecode = True


def load(path):
    spec = importlib.util.spec_from_file_location("candidate", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _order(customer, *items):
    return {"customer": customer,
            "items": [{"price": p, "quantity": q} for p, q in items]}


def check_undefined_tax_rate(mod):
    total = mod.order_total(_order("ann", (10.0, 2), (5.0, 1)))
    if abs(total - 27.0) > 1e-9:
        return f"order_total = {total!r}, expected 27.0 (25.00 + 8% tax)"
    return None


def check_loop_skips_last(mod):
    orders = [_order("ann", (1.0, 1)), _order("bob", (1.0, 2)), _order("cy", (1.0, 5))]
    best = mod.biggest_order(orders)
    if best is not orders[2]:
        return f"biggest_order returned {best!r}, expected the last order (5 units)"
    two = [_order("ann", (1.0, 1)), _order("bob", (1.0, 3))]
    if mod.biggest_order(two) is not two[1]:
        return "biggest_order ignored the last of two orders"
    tie = [_order("ann", (1.0, 3)), _order("bob", (1.0, 3))]
    if mod.biggest_order(tie) is not tie[0]:
        return "biggest_order should keep the earliest order on a tie"
    return None


def check_grouping_returns_dict(mod):
    orders = [_order("ann", (1.0, 1)), _order("bob", (1.0, 2)), _order("ann", (2.0, 1))]
    grouped = mod.orders_by_customer(orders)
    if not isinstance(grouped, dict):
        return f"orders_by_customer returned {grouped!r}, expected a dict"
    if set(grouped) != {"ann", "bob"} or len(grouped["ann"]) != 2 or len(grouped["bob"]) != 1:
        return f"wrong grouping: {grouped!r}"
    return None


def check_average_empty(mod):
    value = mod.average_units([])
    if value != 0.0:
        return f"average_units([]) = {value!r}, expected 0.0"
    value = mod.average_units([_order("ann", (1.0, 1)), _order("bob", (1.0, 2))])
    if abs(value - 1.5) > 1e-9:
        return f"average_units = {value!r}, expected 1.5"
    return None


CHECKS = [
    ("undefined-tax-rate", check_undefined_tax_rate),
    ("loop-skips-last-order", check_loop_skips_last),
    ("grouping-missing-return", check_grouping_returns_dict),
    ("average-empty-division", check_average_empty),
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
