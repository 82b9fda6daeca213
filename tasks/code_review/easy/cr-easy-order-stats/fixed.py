"""Summary statistics for a shop's orders.

Each order is a dict with a "customer" name and a list of "items"; every
item is a dict with a "price" (float) and a "quantity" (int).
"""

TAX_RATE = 0.08


def order_total(order):
    """Total price of the order including tax, rounded to cents."""
    subtotal = 0.0
    for item in order["items"]:
        subtotal += item["price"] * item["quantity"]
    return round(subtotal * (1 + TAX_RATE), 2)


def item_count(order):
    """Number of units in the order."""
    return sum(item["quantity"] for item in order["items"])


def biggest_order(orders):
    """The order with the most units (the earliest one on a tie)."""
    best = orders[0]
    for i in range(1, len(orders)):
        if item_count(orders[i]) > item_count(best):
            best = orders[i]
    return best


def orders_by_customer(orders):
    """Group the orders into a dict mapping customer -> list of orders."""
    grouped = {}
    for order in orders:
        grouped.setdefault(order["customer"], []).append(order)
    return grouped


def average_units(orders):
    """Mean number of units per order (0.0 for an empty list)."""
    counts = [item_count(order) for order in orders]
    return sum(counts) / len(counts) if counts else 0.0
