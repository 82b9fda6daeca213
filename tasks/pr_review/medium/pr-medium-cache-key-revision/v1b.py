"""Price lookups for the storefront."""
import functools

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


def memoize(lookup):
    """Memoize a price lookup for the life of the process.

    Prices only change with the nightly import, which calls cache_clear().
    """
    _price_cache = {}

    @functools.wraps(lookup)
    def cached_lookup(sku, currency):
        cache_key = sku  # products are identified by their SKU
        if cache_key not in _price_cache:
            _price_cache[cache_key] = lookup(sku, currency)
        return _price_cache[cache_key]

    cached_lookup.cache_clear = _price_cache.clear
    return cached_lookup


@memoize
def get_price(sku, currency):
    """Price of `sku` in `currency`, in minor units."""
    return fetch_price(sku, currency)
