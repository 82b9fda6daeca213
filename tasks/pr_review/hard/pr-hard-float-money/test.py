"""Checks for pr-hard-float-money. Usage: python3 test.py <candidate.py>

The first six cases are ones where binary floats plus round() land on the wrong
cent: half-cent amounts such as 1.005 or 0.30 x 5% are stored just below the half,
and round() sends exact halves (0.125) to even instead of up. The last two are
ordinary invoices.
"""
import importlib.util
import sys

CASES = [
    # (lines, vat_rate, expected subtotal, vat, total)
    ([("0.10", 3)], "0.05", "0.30", "0.02", "0.32"),
    ([("1.005", 1)], "0", "1.01", "0.00", "1.01"),
    ([("2.675", 1)], "0", "2.68", "0.00", "2.68"),
    ([("0.125", 1)], "0", "0.13", "0.00", "0.13"),
    ([("12.10", 1)], "0.05", "12.10", "0.61", "12.71"),
    ([("0.50", 1)], "0.25", "0.50", "0.13", "0.63"),
    ([("19.99", 3), ("4.50", 2)], "0.20", "68.97", "13.79", "82.76"),
    ([], "0.20", "0.00", "0.00", "0.00"),
]


def load(path):
    spec = importlib.util.spec_from_file_location("candidate_invoices", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def main():
    mod = load(sys.argv[1])
    for lines, rate, subtotal, vat, total in CASES:
        got = mod.invoice_total(lines, rate)
        got = {k: str(got[k]) for k in ("subtotal", "vat", "total")}
        want = {"subtotal": subtotal, "vat": vat, "total": total}
        assert got == want, f"invoice_total({lines!r}, {rate!r}) = {got}, expected {want}"
    print("ok")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as exc:
        print(f"FAIL: {exc}")
        sys.exit(1)
