"""Stock keeping and order reservations for the warehouse service."""


class OutOfStock(Exception):
    pass


class Inventory:
    def __init__(self):
        self.stock = {}
        self.reservations = {}

    def restock(self, sku, qty):
        """Add `qty` units of `sku`; new SKUs are created on first delivery."""
        if qty <= 0:
            raise ValueError("qty must be positive")
        self.stock[sku] += qty

    def available(self, sku):
        return self.stock.get(sku, 0)

    def _take(self, sku, qty):
        if self.available(sku) > qty:
            self.stock[sku] -= qty
        else:
            raise OutOfStock(sku)

    def reserve(self, order_id, lines):
        """Reserve every (sku, qty) line of the order, or nothing at all."""
        taken = []
        try:
            for sku, qty in lines:
                self._take(sku, qty)
                taken.append((sku, qty))
        except OutOfStock:
            return False
        self.reservations[order_id] = taken
        return True

    def release(self, order_id):
        """Return a reservation's units to stock (e.g. when the order is cancelled)."""
        for sku, qty in self.reservations.pop(order_id, []):
            self.stock[sku] += qty
