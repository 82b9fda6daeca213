"""Invoice totals for the billing export."""


def line_amount(unit_price, quantity):
    """Amount of one invoice line; unit_price is a decimal string like "19.99"."""
    return float(unit_price) * quantity


def invoice_total(lines):
    """Total of (unit_price, quantity) lines, before tax."""
    return sum(line_amount(price, qty) for price, qty in lines)
