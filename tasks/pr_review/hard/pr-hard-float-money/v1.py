"""Invoice totals for the billing export."""


def line_amount(unit_price, quantity):
    """Amount of one invoice line, rounded to the cent (half up).

    unit_price is a decimal string like "19.99" (the catalogue allows 3 decimals).
    """
    return round(float(unit_price) * quantity, 2)


def invoice_total(lines, vat_rate):
    """Subtotal, VAT and total of (unit_price, quantity) lines.

    Each line is rounded to the cent, VAT is charged on the subtotal and rounded
    to the cent (half up). Amounts are returned as strings with two decimals,
    ready for the export, e.g. {"subtotal": "12.10", "vat": "0.61", "total": "12.71"}.
    """
    subtotal = sum(line_amount(price, qty) for price, qty in lines)
    vat = round(subtotal * float(vat_rate), 2)
    total = round(subtotal + vat, 2)
    return {"subtotal": f"{subtotal:.2f}", "vat": f"{vat:.2f}", "total": f"{total:.2f}"}
