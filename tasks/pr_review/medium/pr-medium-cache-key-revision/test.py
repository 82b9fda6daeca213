"""Checks for pr-medium-cache-key-revision. Usage: python3 test.py <candidate.py>

The decorator is exercised on a recording lookup (so cache hits are observable), then
get_price() is checked end to end with fetch_price() wrapped by a call counter.
"""
import importlib.util
import sys


def load(path):
    spec = importlib.util.spec_from_file_location("candidate_pricing", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def main():
    mod = load(sys.argv[1])

    calls = []

    def lookup(sku, currency):
        calls.append((sku, currency))
        return f"{sku}:{currency}"

    cached = mod.memoize(lookup)
    assert cached("A", "EUR") == "A:EUR", "first lookup returned the wrong value"
    assert cached("A", "EUR") == "A:EUR", "cached lookup returned the wrong value"
    assert calls == [("A", "EUR")], f"a repeated lookup must be served from the cache, calls: {calls}"
    got = cached("A", "USD")
    assert got == "A:USD", f"lookup('A', 'USD') after ('A', 'EUR') returned {got!r}"
    assert cached("B", "EUR") == "B:EUR", "lookup('B', 'EUR') returned the wrong value"
    assert cached("A", "EUR") == "A:EUR" and cached("A", "USD") == "A:USD", "cache mixed up entries"
    assert len(calls) == 3, f"expected 3 underlying lookups, got {len(calls)}: {calls}"

    fetched = []
    real_fetch = mod.fetch_price

    def counting_fetch(sku, currency):
        fetched.append((sku, currency))
        return real_fetch(sku, currency)

    mod.fetch_price = counting_fetch
    mod.get_price.cache_clear()
    prices = [mod.get_price("SKU-100", "EUR"), mod.get_price("SKU-100", "USD"),
              mod.get_price("SKU-100", "EUR"), mod.get_price("SKU-200", "USD")]
    assert prices == [1999, 2199, 1999, 4900], f"get_price returned {prices}"
    assert len(fetched) == 3, f"expected 3 pricing-service calls, got {fetched}"
    print("ok")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as exc:
        print(f"FAIL: {exc}")
        sys.exit(1)
