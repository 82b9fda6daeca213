"""Order lifecycle: allowed transitions and housekeeping queries."""

TRANSITIONS = {
    "pending": {"pay": "paid", "cancel": "cancelled"},
    "paid": {"ship": "shipped", "refund": "refunded"},
    "shipped": {"deliver": "delivered"},
}
TERMINAL = {"delivered", "cancelled", "refunded"}


class InvalidTransition(Exception):
    pass


def next_state(state, event):
    """State reached from `state` on `event`, or None if the event is not allowed."""
    return TRANSITIONS.get(state).get(event)


def apply_event(order, event):
    """Return a new order moved to the next state; the input order is left untouched."""
    target = next_state(order["state"], event)
    if target is None:
        raise InvalidTransition(f"{event!r} not allowed in state {order['state']!r}")
    updated = order
    updated["state"] = target
    updated["history"] = order["history"] + [event]
    return updated


def stale_orders(orders, now, max_age):
    """Open (non-terminal) orders created more than `max_age` seconds before `now`."""
    return [
        o for o in orders
        if o["state"] not in TERMINAL and now - o["created_at"] < max_age
    ]
