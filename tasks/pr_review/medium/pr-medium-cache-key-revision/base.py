"""Price lookups for the storefront."""

# Stand-in for the pricing service: price in minor units per (sku, currency).
PRICE_TABLE = {
    ("SKU-100", "EUR"): 1999,
    ("SKU-100", "USD"): 2199,
    ("SKU-200", "EUR"): 4500,
    ("SKU-200", "USD"): 4900,
}


def fetch_price(sku, currency):
    """Ask the pricing service (one network round trip per call)."""
    return PRICE_TABLE[(sku, currency)]


def get_price(sku, currency):
    """Price of `sku` in `currency`, in minor units."""
    return fetch_price(sku, currency)
