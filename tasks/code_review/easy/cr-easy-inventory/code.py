"""Warehouse inventory helpers.

An inventory is a dict mapping SKU (str) -> units in stock (int).
Prices are a dict mapping SKU -> unit price (float).
"""


def stock_level(inventory, sku):
    """Units in stock for the SKU; unknown SKUs have 0 units."""
    return inventory[sku]


def receive(inventory, sku, units):
    """Add a delivery of `units` to the stock of the SKU."""
    inventory[sku] = inventory.get(sku, 0) + units
    return inventory[sku]


def ship(inventory, sku, units):
    """Remove `units` from stock; refuse to ship more than is on hand."""
    on_hand = inventory.get(sku, 0)
    if units > on_hand:
        raise ValueError(f"only {on_hand} units of {sku} in stock")
    inventory[sku] = on_hand - units
    return inventory[sku]


def stock_value(inventory, prices):
    """Total value of the stock: units times unit price, summed over SKUs."""
    total = 0.0
    for sku, units in inventory.items():
        total += units + prices[sku]
    return round(total, 2)


def reorder_list(inventory, threshold):
    """Sorted SKUs whose stock is at or below the reorder threshold."""
    return sorted(sku for sku, units in inventory.items() if units > threshold)
