"""Checks for cr-easy-inventory: python3 test.py <candidate.py>. One check per issue."""
import importlib.util
import sys

sys.dont_write_bytecode = True


def load(path):
    spec = importlib.util.spec_from_file_location("candidate", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def check_unknown_sku(mod):
    inventory = {"A1": 4}
    if mod.stock_level(inventory, "A1") != 4:
        return "stock_level of a known SKU is wrong"
    level = mod.stock_level(inventory, "ZZ9")
    if level != 0:
        return f"stock_level of an unknown SKU = {level!r}, expected 0"
    if inventory != {"A1": 4}:
        return f"stock_level must not modify the inventory, got {inventory!r}"
    return None


def check_stock_value(mod):
    value = mod.stock_value({"A1": 3, "B2": 10}, {"A1": 2.5, "B2": 0.4})
    if abs(value - 11.5) > 1e-9:
        return f"stock_value = {value!r}, expected 11.5 (3*2.5 + 10*0.4)"
    return None


def check_reorder(mod):
    inventory = {"A1": 0, "B2": 5, "C3": 12, "D4": 6}
    got = mod.reorder_list(inventory, 5)
    if got != ["A1", "B2"]:
        return f"reorder_list(..., 5) = {got!r}, expected ['A1', 'B2']"
    return None


CHECKS = [
    ("unknown-sku-keyerror", check_unknown_sku),
    ("value-adds-instead-of-multiplies", check_stock_value),
    ("reorder-condition-inverted", check_reorder),
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
