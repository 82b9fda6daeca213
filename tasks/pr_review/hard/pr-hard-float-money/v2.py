"""Invoice totals for the billing export."""
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def to_cents(amount):
    """Round a Decimal amount to the cent, half up (the way finance rounds)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def line_amount(unit_price, quantity):
    """Amount of one invoice line, rounded to the cent (half up).

    unit_price is a decimal string like "19.99" (the catalogue allows 3 decimals).
    """
    return to_cents(Decimal(str(unit_price)) * Decimal(str(quantity)))


def invoice_total(lines, vat_rate):
    """Subtotal, VAT and total of (unit_price, quantity) lines.

    Each line is rounded to the cent, VAT is charged on the subtotal and rounded
    to the cent (half up). Amounts are returned as strings with two decimals,
    ready for the export, e.g. {"subtotal": "12.10", "vat": "0.61", "total": "12.71"}.
    """
    subtotal = to_cents(sum((line_amount(price, qty) for price, qty in lines), Decimal(0)))
    vat = to_cents(subtotal * Decimal(str(vat_rate)))
    total = subtotal + vat
    return {"subtotal": str(subtotal), "vat": str(vat), "total": str(total)}
