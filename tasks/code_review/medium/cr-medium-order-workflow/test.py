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


@check("terminal-state-none")
def _(mod):
    for state in ("delivered", "cancelled", "refunded"):
        got = mod.next_state(state, "pay")
        if got is not None:
            return f"next_state({state!r}, 'pay') = {got!r}, expected None"
    if mod.next_state("pending", "pay") != "paid":
        return "next_state('pending', 'pay') is not 'paid'"
    order = {"id": 7, "state": "delivered", "history": ["pay", "ship", "deliver"]}
    try:
        mod.apply_event(order, "refund")
    except mod.InvalidTransition:
        return None
    except Exception as exc:
        return f"event on a terminal order raised {type(exc).__name__} instead of InvalidTransition"
    return "event on a terminal order was accepted"


@check("mutates-input-order")
def _(mod):
    order = {"id": 1, "state": "pending", "history": [], "created_at": 0}
    new = mod.apply_event(order, "pay")
    if new.get("state") != "paid" or new.get("history") != ["pay"]:
        return f"apply_event returned {new!r}"
    if order["state"] != "pending" or order["history"] != []:
        return f"apply_event modified the input order: {order!r}"
    if new is order:
        return "apply_event returned the same object it was given"
    return None


@check("stale-inverted")
def _(mod):
    orders = [
        {"id": 1, "state": "pending", "created_at": 0},
        {"id": 2, "state": "paid", "created_at": 950},
        {"id": 3, "state": "delivered", "created_at": 0},
        {"id": 4, "state": "shipped", "created_at": 100},
    ]
    got = sorted(o["id"] for o in mod.stale_orders(orders, now=1000, max_age=600))
    if got != [1, 4]:
        return f"stale_orders returned ids {got!r}, expected [1, 4]"
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
